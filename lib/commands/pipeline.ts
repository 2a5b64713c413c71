// The builder behind multi() and pipeline(): the same typed command methods,
// each queueing its command (and its decoder) and returning the builder with
// the command's result type added; exec() sends them as one whole batch and
// turns the batch's outcome into results in order, or the one error that
// stopped it.

import type { Limits, Request, RequestSink } from "../connection/connection.ts";
import type { Settled } from "../connection/connection.ts";
import {
  ConnectionError,
  IntegerRangeError,
  ReplyError,
  TimeoutError,
  UnexpectedReplyError,
  WatchError,
} from "../errors.ts";
import { namedReplyError } from "../connection/_util.ts";
import { RedisErrorEvent } from "../events.ts";
import type { KeyPrefix } from "../prefix.ts";
import type { RedisArg } from "../resp/encoder.ts";
import type { RespValue } from "../resp/types.ts";
import { type Command, command, isBlocking } from "./_command.ts";
import type { Bulk, Decode, Executor, Int, Queued, Root } from "./_executor.ts";
import { DataCommands } from "./data.ts";
import { array } from "./_reply.ts";

/** The command that opens a transaction (a batch that starts with it is one). */
export const MULTI: Command = command("MULTI");
/** The command that commits a transaction. */
export const EXEC: Command = command("EXEC");

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

/**
 * An error a command of a `multi()` or `pipeline()` leaves in its place in
 * the results of `exec()`, while the other commands keep theirs: the
 * server's error reply (`ReplyError`, such as WRONGTYPE), an integer too
 * large for a number on a view without `bigint` (`IntegerRangeError`: the
 * command ran), or a reply of a shape the method does not expect
 * (`UnexpectedReplyError`).
 *
 * @example Usage
 * ```ts
 * import { type CommandFailure, connect } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const [, n] = await redis.multi().set("name", "ada").incr("name").exec();
 * const failure: CommandFailure | number = n;
 * console.log(failure instanceof Error ? failure.message : failure);
 * ```
 */
export type CommandFailure =
  | ReplyError
  | UnexpectedReplyError
  | IntegerRangeError;

/**
 * What `exec()` resolves to: a tuple with each queued command's result, in
 * order, or the {@linkcode CommandFailure} it failed with.
 *
 * @typeParam R The types of the results queued, in order.
 *
 * @example Usage
 * ```ts
 * import { connect, type ExecResults } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const results: ExecResults<["OK" | null, string | null]> = await redis.multi()
 *   .set("k", "v")
 *   .get("k")
 *   .exec();
 * console.log(results); // → ["OK", "v"]
 * ```
 */
export type ExecResults<R extends unknown[]> = {
  [K in keyof R]: R[K] | CommandFailure;
};

/** Queues each command of a builder. */
class QueueExecutor<
  R extends unknown[],
  B extends Bulk,
  I extends Int,
  P extends Root,
> implements Executor<Queued<R, B, I, P>> {
  readonly requests: Request[] = [];
  /** A command a method refused before queueing it: exec() rejects with it. */
  refused: Error | undefined;
  /** Set by exec() and discard(): nothing more may be queued. */
  closed = false;
  builder!: Pipeline<R, B, I, P>;
  readonly #target: BatchTarget;
  readonly #transaction: boolean;

  constructor(target: BatchTarget, transaction: boolean) {
    this.#target = target;
    this.#transaction = transaction;
  }

  /** Whether bulk strings come back as bytes. */
  get binary(): boolean {
    return this.#target.binary;
  }

  call<T>(command: Command, args: RedisArg[], decode: Decode<T>): never {
    if (this.closed) throw closedError(command.name);
    const target = this.#target;
    const prefix = target.prefix;
    const sent = prefix === undefined
      ? args.slice()
      : prefix.args(command, args);
    if (sent instanceof TypeError) return this.refuse(sent, command.name);
    // A batch is written whole on one connection: a command blocking there
    // would hold up every other caller. In a transaction, none blocks.
    if (
      command.route !== 0 && !this.#transaction && isBlocking(command, sent)
    ) {
      return this.refuse(
        new TypeError(
          `Cannot queue ${command.name} in a pipeline(): it would block the connection the batch is written on; call it on its own (it then waits on a dedicated connection), or in multi(), where it does not block`,
        ),
        command.name,
      );
    }
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

  refuse(error: Error, command: string): never {
    if (this.closed) throw closedError(command);
    this.refused ??= error;
    return this.builder as never;
  }
}

function closedError(name: string): TypeError {
  return new TypeError(
    `Cannot queue ${name}: the builder has already run or was discarded`,
  );
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
 * A command that fails when it runs leaves its error in its place in the
 * results (a {@linkcode CommandFailure}: the tuple's types say so); the
 * others still run. In a transaction, a command the server refuses while
 * queueing (EXECABORT) makes `exec()` reject with a `ReplyError` naming it,
 * and nothing runs.
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

  /**
   * Constructs a new instance. Use `redis.multi()` or `redis.pipeline()`.
   *
   * @param target Where the batch goes.
   * @param transaction Whether to wrap the commands in MULTI/EXEC.
   * @ignore
   */
  constructor(target: BatchTarget, transaction: boolean) {
    const queue = new QueueExecutor<R, B, I, P>(target, transaction);
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
   * transaction) and resolves to their results in order. The batch is
   * admitted, written and timed out as a whole (a `with({ timeout })`
   * view's timeout covers it all); nothing of it is sent when an argument
   * cannot be encoded. A builder runs once: methods and `exec()` called
   * after `exec()` or `discard()` throw (or reject) a `TypeError`.
   *
   * On a `fireAndForget` view's builder it returns nothing, and each
   * failure (the batch's, or a command's left in place) is dispatched as an
   * `"error"` {@linkcode RedisErrorEvent} on the client.
   *
   * An empty pipeline sends nothing; an empty transaction sends MULTI and
   * EXEC (inside `watch()` that still checks the watched keys).
   *
   * @returns The results, each command's value or its
   * {@linkcode CommandFailure}; nothing on a `fireAndForget` view's builder.
   * @throws {ReplyError} EXECABORT: the server refused a command while
   * queueing, so nothing ran; the message names the command and its
   * position. Also when the server refused MULTI itself (an ACL): the
   * commands then ran one by one, outside a transaction, as the message says.
   * @throws {ConnectionError} The connection was lost, closed or could not
   * send the batch. For a transaction, `mayHaveExecuted` is `true` exactly
   * when EXEC had been written: the transaction may then have run, and it
   * is never sent again. For a pipeline, when any of it had been written.
   * @throws {TimeoutError} The view's timeout passed first; `mayHaveExecuted`
   * as for `ConnectionError`.
   * @throws {WatchError} Inside a `watch()` callback: a watched key changed,
   * so the transaction did not run (the callback is run again).
   * @throws {TypeError} An argument cannot be encoded (nothing was sent), or
   * the builder has already run.
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
  exec(): P extends "void" ? void : Promise<ExecResults<R>> {
    type Out = P extends "void" ? void : Promise<ExecResults<R>>;
    const target = this.#target;
    const run = this.#run();
    if (target.root === "void") {
      const events = target.events;
      const name = this.#transaction ? "EXEC" : undefined;
      run.then((results) => {
        for (const result of results) {
          if (isFailure(result)) {
            events.dispatchEvent(new RedisErrorEvent(result, result.command));
          }
        }
      }, (error: Error) => {
        events.dispatchEvent(new RedisErrorEvent(error, name));
      });
      return undefined as Out;
    }
    return run as Out;
  }

  /**
   * Drops the queued commands without sending anything. The builder cannot
   * be used afterwards.
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
    const queue = this.#queue;
    queue.closed = true;
    queue.requests.length = 0;
  }

  async #run(): Promise<ExecResults<R>> {
    const queue = this.#queue;
    if (queue.closed) {
      throw new TypeError(
        "Cannot exec: the builder has already run or was discarded",
      );
    }
    queue.closed = true;
    if (queue.refused !== undefined) throw queue.refused;
    const target = this.#target;
    const commands = queue.requests;
    if (!this.#transaction) {
      if (commands.length === 0) return [] as unknown[] as ExecResults<R>;
      const settled = await target.sink.sendBatch(commands, target.limits);
      return pipelineResult(settled) as ExecResults<R>;
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
      // Nil: a watched key changed (only on a connection leased by watch()).
      if (value === null) return null;
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
    return transactionResult(settled, commands) as ExecResults<R>;
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

/** Whether a command's error stays in its place in the results. */
function isFailure(value: unknown): value is CommandFailure {
  return value instanceof ReplyError ||
    value instanceof UnexpectedReplyError ||
    value instanceof IntegerRangeError;
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
    // An integer too large for a number: the command ran; it says so.
    if (error instanceof IntegerRangeError) {
      error.command = name;
      return error;
    }
    return new UnexpectedReplyError(
      `Cannot decode reply to ${name}: ${
        error instanceof Error ? error.message : String(error)
      }`,
      name,
      { cause: error },
    );
  }
}

/**
 * A pipeline's results: each command's value, or its own failure in its
 * place; a failure of the batch as a whole (the connection, a limit, an
 * argument that cannot be encoded) rejects instead.
 */
function pipelineResult(settled: readonly Settled[]): unknown[] {
  const results: unknown[] = new Array(settled.length);
  let written = false;
  let failure: Error | undefined;
  for (let i = 0; i < settled.length; i++) {
    const s = settled[i]!;
    if (s.ok) {
      results[i] = s.value;
      written = true;
    } else if (isFailure(s.error)) {
      results[i] = s.error;
      written = true;
    } else {
      failure ??= s.error;
      if (mayHaveRun(s.error)) written = true;
    }
  }
  if (failure === undefined) return results;
  throw batchError(
    failure,
    written,
    `Cannot finish the pipeline (${
      written
        ? "some of its commands were sent and may have run"
        : "none of it was sent"
    })`,
  );
}

const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

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
  if (exec.ok) {
    if (exec.value !== null) return exec.value as unknown[];
    throw new WatchError(
      "Cannot commit the transaction: a watched key changed, so nothing of it ran",
    );
  }
  const multi = settled[0]!;
  const error = exec.error;
  // EXEC ran, and its reply did not have the expected shape.
  if (error instanceof UnexpectedReplyError) throw error;
  if (!(error instanceof ReplyError)) {
    // Refused before sending (an argument, a closed client, a limit), lost
    // with the connection, or timed out: EXEC being sent decides whether
    // the transaction may have run.
    const sent = mayHaveRun(error);
    throw batchError(
      error,
      sent,
      `Cannot finish the transaction (${
        sent
          ? "EXEC was sent, so it may have run"
          : "EXEC was not sent, so nothing of it ran"
      })`,
    );
  }
  if (
    !multi.ok &&
    (multi.error === error ||
      (error.cause !== undefined && multi.error.cause === error.cause))
  ) {
    // One failure for the whole batch, not the server's answer to MULTI:
    // the SELECT of the builder's database was refused, and the error says
    // whether the batch was sent (then it ran in another database).
    throw error;
  }
  if (!multi.ok && multi.error instanceof ReplyError) {
    // The server refused MULTI (an ACL, a proxy): the commands ran alone.
    throw new ReplyError(
      `Cannot run the transaction: MULTI was refused, so its ${commands.length} commands ran one by one, outside a transaction: ${multi.error.message}`,
      "MULTI",
      { code: multi.error.code, cause: multi.error },
    );
  }
  // A command refused while queueing explains an EXECABORT.
  for (let i = 0; i < commands.length; i++) {
    const s = settled[i + 1]!;
    if (!s.ok && s.error instanceof ReplyError) {
      throw new ReplyError(
        `Cannot run the transaction: ${commands[i]!.command.name} (command ${
          i + 1
        } of ${commands.length}) was refused, so nothing ran: ${s.error.message}`,
        "EXEC",
        { code: "EXECABORT", cause: s.error },
      );
    }
  }
  throw error;
}

/** Whether a failed request had been written (and so may have run). */
function mayHaveRun(error: Error): boolean {
  return (error instanceof ConnectionError ||
    error instanceof TimeoutError) && error.mayHaveExecuted;
}

/**
 * The error of a batch that failed as a whole: a connection or timeout
 * error restated for the batch (`written` tells whether any of it may have
 * run); any other error (an argument refused, an abort reason) as it is.
 */
function batchError(error: Error, written: boolean, what: string): Error {
  const options = { cause: error, mayHaveExecuted: written };
  if (error instanceof TimeoutError) {
    return new TimeoutError(`${what}: ${error.message}`, options);
  }
  if (error instanceof ConnectionError) {
    return new ConnectionError(`${what}: ${error.message}`, options);
  }
  return error;
}
