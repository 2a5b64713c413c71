// The builder behind multi() and pipeline(): the same typed command methods,
// each queueing its command (and its decoder) and returning the builder with
// the command's result type added; exec() sends them as one whole batch.

import type { Limits, Request, RequestSink } from "../connection/connection.ts";
import type { Settled } from "../connection/connection.ts";
import { ReplyError, UnexpectedReplyError } from "../errors.ts";
import { namedReplyError } from "../connection/_util.ts";
import { RedisErrorEvent } from "../events.ts";
import type { KeyPrefix } from "../prefix.ts";
import type { RedisArg } from "../resp/encoder.ts";
import type { RespValue } from "../resp/types.ts";
import { type Command, command } from "./_command.ts";
import type { Bulk, Decode, Executor, Int, Queued, Root } from "./_executor.ts";
import { DataCommands } from "./data.ts";
import { array } from "./_reply.ts";

const MULTI = command("MULTI");
const EXEC = command("EXEC");

/** Where a builder's batch goes, and how its requests are marked. @ignore */
export interface BatchTarget {
  /** The router (or a leased connection). */
  readonly sink: RequestSink;
  /** The database of the view the builder came from. */
  readonly db: number;
  /** Bulk strings as bytes. */
  readonly binary: boolean;
  /** Integers as bigints. */
  readonly bigint: boolean;
  /** The view's limits, applied to the batch as a whole. */
  readonly limits: Limits | undefined;
  /** `"void"`: exec() returns nothing and reports failures on `events`. */
  readonly root: Root;
  /** The client's events. */
  readonly events: EventTarget;
  /** The view's key prefix (see lib/prefix.ts), if any. */
  readonly prefix: KeyPrefix | undefined;
}

/** Queues each command of a builder. */
class QueueExecutor<
  R extends unknown[],
  B extends Bulk,
  I extends Int,
  P extends Root,
> implements Executor<Queued<R, B, I, P>> {
  readonly requests: Request[] = [];
  refused: Error | undefined;
  builder!: Pipeline<R, B, I, P>;
  readonly #target: BatchTarget;

  constructor(target: BatchTarget) {
    this.#target = target;
  }

  call<T>(command: Command, args: RedisArg[], decode: Decode<T>): never {
    const target = this.#target;
    const prefix = target.prefix;
    const sent = prefix === undefined
      ? args.slice()
      : prefix.args(command, args);
    if (sent instanceof TypeError) return this.refuse(sent);
    this.requests.push({
      command,
      args: sent,
      db: target.db,
      binary: target.binary,
      bigint: target.bigint,
      decode: prefix === undefined ? decode : prefix.decoder(command, decode),
    });
    // The builder's type gains T; the object stays the same.
    return this.builder as never;
  }

  call1<T>(command: Command, arg: RedisArg, decode: Decode<T>): never {
    return this.call(command, [arg], decode);
  }

  callBytes<T>(command: Command, args: RedisArg[], decode: Decode<T>): never {
    const queued = this.requests.length;
    this.call(command, args, decode);
    if (this.requests.length === queued) return this.builder as never;
    const request = this.requests[queued]!;
    this.requests[queued] = { ...request, binary: true };
    return this.builder as never;
  }

  refuse(error: Error): never {
    this.refused ??= error;
    return this.builder as never;
  }
}

/** What a queued command's reply in a transaction must be. */
function queued(value: RespValue): "QUEUED" {
  if (value !== "QUEUED") {
    throw new TypeError("expected QUEUED");
  }
  return value;
}

/**
 * A `multi()` transaction or a `pipeline()`: every command method of
 * {@linkcode Redis}, each queueing its command and returning the builder;
 * {@linkcode Pipeline.exec} sends them all as one batch, written whole and
 * contiguously (no other caller's command lands in between), and resolves
 * to their results in order, typed as a tuple.
 *
 * A command that fails when it runs gives its `ReplyError` in its place in
 * the results; the others still run. In a transaction, a command the
 * server refuses while queueing (EXECABORT) makes `exec()` reject with a
 * `ReplyError` naming it, and nothing runs.
 *
 * @typeParam R The types of the results queued so far, in order.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 * @typeParam P The mode of the view it was made from.
 *
 * @example Usage
 * ```ts
 * import { connect } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const [set, count] = await redis.multi().set("a", "1").incr("n").exec();
 * console.log(set, count); // → "OK" 1
 * ```
 */
export class Pipeline<
  R extends unknown[],
  B extends Bulk,
  I extends Int,
  P extends Root,
> extends DataCommands<Queued<R, B, I, P>, B, I> {
  readonly #queue: QueueExecutor<R, B, I, P>;
  readonly #target: BatchTarget;
  readonly #transaction: boolean;
  #done = false;

  /**
   * Constructs a new instance. Use `redis.multi()` or `redis.pipeline()`.
   *
   * @param target Where the batch goes.
   * @param transaction Whether to wrap the commands in MULTI/EXEC.
   * @ignore
   */
  constructor(target: BatchTarget, transaction: boolean) {
    const queue = new QueueExecutor<R, B, I, P>(target);
    super(queue);
    queue.builder = this;
    this.#queue = queue;
    this.#target = target;
    this.#transaction = transaction;
  }

  /** How many commands are queued. */
  get length(): number {
    return this.#queue.requests.length;
  }

  /**
   * Sends the queued commands as one batch (inside MULTI/EXEC for a
   * transaction) and resolves to their results in order. A builder runs
   * once; it cannot be reused after `exec()` or `discard()`.
   *
   * @returns The results; nothing on a `fireAndForget` view's builder.
   * @throws {ReplyError} EXECABORT: the server refused a command while
   * queueing (nothing ran); the message names the command.
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const results = await redis.pipeline().set("k", "v").get("k").exec();
   * console.log(results); // → ["OK", "v"]
   * ```
   */
  exec(): P extends "void" ? void : Promise<R> {
    const target = this.#target;
    const run = this.#run();
    if (target.root === "void") {
      run.catch((error: Error) =>
        target.events.dispatchEvent(new RedisErrorEvent(error, "EXEC"))
      );
      return undefined as P extends "void" ? void : Promise<R>;
    }
    return run as P extends "void" ? void : Promise<R>;
  }

  /**
   * Drops the queued commands without sending anything.
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const tx = redis.multi().set("k", "v");
   * tx.discard();
   * console.log(await redis.get("k")); // → null
   * ```
   */
  discard(): void {
    this.#done = true;
    this.#queue.requests.length = 0;
  }

  async #run(): Promise<R> {
    if (this.#done) {
      throw new TypeError(
        "Cannot exec: this builder has already run or was discarded",
      );
    }
    this.#done = true;
    const queue = this.#queue;
    if (queue.refused !== undefined) throw queue.refused;
    const target = this.#target;
    const commands = queue.requests;
    if (!this.#transaction) {
      const settled = await target.sink.sendBatch(commands, target.limits);
      return settled.map((s) => s.ok ? s.value : s.error) as R;
    }
    const batch: Request[] = [this.#internal(MULTI, null)];
    // EXEC's reply holds every command's: read as bytes when one of them
    // wants bytes (DUMP), and turned back into text for the others.
    let bytes = false;
    for (const request of commands) {
      batch.push({ ...request, decode: queued });
      if (request.binary) bytes = true;
    }
    const exec = this.#internal(EXEC, (value, bigint) => {
      const items = array(value);
      if (items.length !== commands.length) {
        throw new TypeError(
          `expected ${commands.length} results, received ${items.length}`,
        );
      }
      return items.map((item, i) => {
        const request = commands[i]!;
        return decodeOne(
          request,
          bytes && !request.binary ? asText(item) : item,
          bigint,
        );
      });
    });
    batch.push(bytes ? { ...exec, binary: true } : exec);
    const settled = await target.sink.sendBatch(batch, target.limits);
    return transactionResult(settled, commands) as R;
  }

  #internal(command: Command, decode: Decode<unknown> | null): Request {
    const target = this.#target;
    return {
      command,
      args: [],
      db: target.db,
      binary: target.binary,
      bigint: target.bigint,
      decode,
    };
  }
}

/** One result of EXEC, decoded as its command's method would. */
function decodeOne(
  request: Request,
  item: RespValue,
  bigint: boolean,
): unknown {
  const name = request.command.name;
  if (item instanceof ReplyError) return namedReplyError(name, item);
  if (request.decode === null) return item;
  try {
    return request.decode(item, bigint);
  } catch (error) {
    return new UnexpectedReplyError(
      `Cannot decode reply to ${name}: ${
        error instanceof Error ? error.message : String(error)
      }`,
      name,
      { cause: error },
    );
  }
}

const utf8 = new TextDecoder();

/**
 * A reply read as bytes, as it reads as text: bulk strings (and map keys,
 * set members) decoded as UTF-8, as the connection decodes them for views
 * that are not `binary`.
 */
function asText(value: RespValue): RespValue {
  if (value instanceof Uint8Array) return utf8.decode(value);
  if (Array.isArray(value)) return value.map(asText);
  if (value instanceof Map) {
    const out = new Map<RespValue, RespValue>();
    for (const [k, v] of value) out.set(asText(k), asText(v));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set<RespValue>();
    for (const item of value) out.add(asText(item));
    return out;
  }
  return value;
}

/** EXEC's results, or the error that stopped the transaction. */
function transactionResult(
  settled: readonly Settled[],
  commands: readonly Request[],
): unknown[] {
  const exec = settled[settled.length - 1]!;
  if (exec.ok) return exec.value as unknown[];
  // A command refused while queueing explains an EXECABORT.
  for (let i = 0; i < commands.length; i++) {
    const s = settled[i + 1]!;
    if (!s.ok && s.error instanceof ReplyError) {
      throw new ReplyError(
        `Cannot run the transaction: ${commands[i]!.command.name} (command ${
          i + 1
        }) was refused, so nothing ran: ${s.error.message}`,
        "EXEC",
        { code: "EXECABORT", cause: s.error },
      );
    }
  }
  throw exec.error;
}
