// Per-command hooks (the `hooks` option): what a command's start and end
// report (name, database, argument count and bytes, times, outcome, server;
// never argument values unless asked for), and the observer a connection
// calls when hooks are set. Without hooks none of this runs.

import { ReplyError } from "./errors.ts";
import type { Request } from "./connection/connection.ts";
import { Rejection, type Resolve } from "./connection/pending_queue.ts";
import type { RedisArg } from "./resp/encoder.ts";
import type { Command } from "./commands/_command.ts";
import { keyIndexes } from "./commands/_key_positions.ts";

/**
 * Callbacks a client calls for every command it sends, on every connection
 * it opens (the shared one, the blocking pool, watch leases, subscriber
 * connections, each cluster node's): the `hooks` option of `connect()` and
 * `connectCluster()`. Each is optional; a client without hooks does none of
 * this work. A hook runs synchronously where the command is issued and where
 * its reply is read: keep it short. What a hook throws is dropped.
 *
 * Commands a connection writes on its own (its handshake, SELECT, health
 * check PINGs) are not reported; those a client issues for its features
 * (`CLIENT UNBLOCK`, `CLUSTER SLOTS`, `CLIENT TRACKING`) are. On a cluster
 * each attempt is reported on the node it went to: a command redirected by
 * `MOVED` ends once with `errorType` `"MOVED"`, then again on its new node.
 * With hooks, fire-and-forget commands lost with their socket are each an
 * `"error"` event of their own (without, one event counts them).
 *
 * @example Usage
 * ```ts
 * import { type CommandHooks, connect } from "@sleeve/redis";
 *
 * const hooks: CommandHooks = {
 *   commandEnd(command) {
 *     const ms = command.endTime - command.startTime;
 *     console.log(command.name, command.address, command.errorType ?? "ok", ms);
 *   },
 * };
 * await using redis = await connect({ hooks });
 * await redis.set("greeting", "hello");
 * ```
 */
export interface CommandHooks {
  /**
   * A command is issued (before it waits or is written). What it returns
   * is the command's {@linkcode CommandEvent.context}: a span, say.
   */
  commandStart?(command: CommandEvent): unknown;
  /** A command ended: with its reply, an error reply, a timeout or a lost connection. */
  commandEnd?(command: CommandEvent): void;
  /**
   * A pipeline or transaction is issued; its commands are reported one by
   * one too, each with this batch as {@linkcode CommandEvent.batch}. What
   * it returns is the batch's {@linkcode BatchEvent.context}.
   */
  batchStart?(batch: BatchEvent): unknown;
  /** Every command of a pipeline or transaction has ended. */
  batchEnd?(batch: BatchEvent): void;
  /**
   * Puts each command's arguments, keys and values included, in
   * {@linkcode CommandEvent.args}. Off by default: arguments may be secrets
   * (passwords in AUTH, personal data in values), and whatever receives
   * them (a tracing backend) then holds them too.
   */
  readonly includeArgs?: boolean;
  /**
   * Puts each command's keys (as the server finds them: `COMMAND GETKEYS`)
   * in {@linkcode CommandEvent.keys}. Off by default: keys may hold
   * identifiers (`session:<token>`, `user:<email>`).
   */
  readonly includeKeys?: boolean;
}

/**
 * One command, as {@linkcode CommandHooks} see it: the same object at its
 * start and at its end. Enough for an OpenTelemetry span under its database
 * conventions (`db.system.name` "redis", `db.operation.name` = `name`,
 * `db.namespace` = `db`, `server.address`, `server.port`, `error.type` =
 * `errorType`) and for latency histograms.
 *
 * @example Usage
 * ```ts
 * import { type CommandEvent, connect } from "@sleeve/redis";
 *
 * const slow = (command: CommandEvent) => command.endTime - command.startTime > 100;
 * await using redis = await connect({
 *   hooks: { commandEnd: (command) => slow(command) && console.warn("slow", command.name) },
 * });
 * await redis.get("key");
 * ```
 */
export interface CommandEvent {
  /** The command's name, its subcommand included: `"GET"`, `"CONFIG GET"`. */
  readonly name: string;
  /** The database index it runs in (0 on a cluster). */
  readonly db: number;
  /** How many arguments follow the name. */
  readonly argCount: number;
  /** The arguments' size as sent, in bytes (UTF-8 for strings). */
  readonly argBytes: number;
  /** The arguments, only with `includeArgs` (they may be secrets). */
  readonly args: readonly RedisArg[] | undefined;
  /** The keys among the arguments, only with `includeKeys` (they may be secrets). */
  readonly keys: readonly RedisArg[] | undefined;
  /** The server it went to: `"host:port"`, or a socket path. */
  readonly address: string;
  /** The server's host name or IP address (or the socket path). */
  readonly serverAddress: string;
  /** The server's port; undefined over a Unix socket. */
  readonly serverPort: number | undefined;
  /** The connection's role: `"shared"`, `"blocking"`, `"watch"`, `"subscriber"`... */
  readonly role: string;
  /** Whether it was sent fire-and-forget (nobody awaits its reply). */
  readonly fireAndForget: boolean;
  /** The pipeline or transaction it is part of, if any. */
  readonly batch: BatchEvent | undefined;
  /** When it was issued: `performance.now()`, in milliseconds. */
  readonly startTime: number;
  /**
   * When it ended (`performance.now()`); `NaN` until then. Replies read
   * together (one read from the socket) share their end time.
   */
  readonly endTime: number;
  /** Whether it ended with a reply that was no error; false until it ends. */
  readonly ok: boolean;
  /**
   * Why it failed, low in cardinality as OpenTelemetry's `error.type`
   * wants: an error reply's code (`"WRONGTYPE"`, `"ERR"`, `"MOVED"`), or the
   * error's class name (`"TimeoutError"`, `"ConnectionError"`).
   */
  readonly errorType: string | undefined;
  /** The error it failed with. */
  readonly error: Error | undefined;
  /** What `commandStart` returned. */
  readonly context: unknown;
}

/**
 * A pipeline or transaction, as {@linkcode CommandHooks} see it. A
 * transaction's commands are MULTI, each command (its reply `QUEUED`), and
 * EXEC, whose reply holds the results.
 *
 * @example Usage
 * ```ts
 * import { type BatchEvent, connect } from "@sleeve/redis";
 *
 * await using redis = await connect({
 *   hooks: {
 *     batchEnd: (batch: BatchEvent) => console.log(batch.size, batch.errors),
 *   },
 * });
 * await redis.pipeline().set("a", "1").get("a").exec();
 * ```
 */
export interface BatchEvent {
  /** How many commands it sends. */
  readonly size: number;
  /** The server it went to. */
  readonly address: string;
  /** The connection's role. */
  readonly role: string;
  /** Whether it was sent fire-and-forget. */
  readonly fireAndForget: boolean;
  /** When it was issued (`performance.now()`). */
  readonly startTime: number;
  /** When its last command ended; `NaN` until then. */
  readonly endTime: number;
  /** How many of its commands failed (0 until it ends). */
  readonly errors: number;
  /** What `batchStart` returned. */
  readonly context: unknown;
}

/** A command's event, filled in as it goes. */
class Record implements CommandEvent {
  name: string;
  db: number;
  argCount: number;
  args: readonly RedisArg[] | undefined;
  keys: readonly RedisArg[] | undefined;
  /** The arguments, for argBytes (counted when asked for: ~2 ns a character). */
  readonly #args: readonly RedisArg[];
  #argBytes = -1;
  address: string;
  serverAddress: string;
  serverPort: number | undefined;
  role: string;
  fireAndForget: boolean;
  batch: Batch | undefined;
  startTime: number;
  endTime = NaN;
  ok = false;
  errorType: string | undefined = undefined;
  error: Error | undefined = undefined;
  context: unknown = undefined;

  constructor(
    request: Request,
    server: Server,
    role: string,
    fireAndForget: boolean,
    batch: Batch | undefined,
    includeArgs: boolean,
    includeKeys: boolean,
  ) {
    const args = request.args;
    this.name = request.command.name;
    this.db = request.db;
    this.argCount = args.length;
    // A copy: the caller may fill the same array again for its next command.
    this.#args = args.slice();
    this.args = includeArgs ? this.#args : undefined;
    this.keys = includeKeys ? keysOf(request, this.#args) : undefined;
    this.address = server.address;
    this.serverAddress = server.host;
    this.serverPort = server.port;
    this.role = role;
    this.fireAndForget = fireAndForget;
    this.batch = batch;
    this.startTime = performance.now();
  }

  get argBytes(): number {
    if (this.#argBytes === -1) this.#argBytes = argBytes(this.#args);
    return this.#argBytes;
  }
}

/** A batch's event. */
class Batch implements BatchEvent {
  size: number;
  address: string;
  role: string;
  fireAndForget: boolean;
  startTime: number;
  endTime = NaN;
  errors = 0;
  context: unknown = undefined;
  left: number;

  constructor(size: number, address: string, role: string, void_: boolean) {
    this.size = size;
    this.left = size;
    this.address = address;
    this.role = role;
    this.fireAndForget = void_;
    this.startTime = performance.now();
  }
}

/** A server address split once. */
interface Server {
  address: string;
  host: string;
  port: number | undefined;
}

function splitServer(address: string): Server {
  const colon = address.lastIndexOf(":");
  const port = colon === -1 ? NaN : Number(address.slice(colon + 1));
  if (!Number.isInteger(port)) {
    return { address, host: address, port: undefined };
  }
  let host = address.slice(0, colon);
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  return { address, host, port };
}

const encoder = new TextEncoder();

/** The keys of a request's arguments; none for a command without key specs. */
function keysOf(
  request: Request,
  args: readonly RedisArg[],
): readonly RedisArg[] {
  const command = request.command as Partial<Command>;
  if (command.keySpecs === undefined) return [];
  return keyIndexes(command as Command, args).map((i) => args[i]!);
}

/** A character that takes more than one byte in UTF-8. */
const NON_ASCII = /[\u0080-\uffff]/;

/** The size of `args` as sent, in bytes. */
function argBytes(args: readonly RedisArg[]): number {
  let n = 0;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (typeof arg === "string") {
      n += NON_ASCII.test(arg) ? utf8Length(arg) : arg.length;
    } else if (arg instanceof Uint8Array) {
      n += arg.byteLength;
    } else {
      n += encoder.encode(String(arg)).byteLength;
    }
  }
  return n;
}

function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      // A surrogate pair: 4 bytes for 2 UTF-16 units.
      n += 2;
      i++;
    } else n += 2;
  }
  return n;
}

/** The kind of an error, for `errorType` and the stats' errors. */
export function errorType(error: Error): string {
  return error instanceof ReplyError ? error.code : error.name;
}

/**
 * What a connection with hooks calls: makes each command's event, calls the
 * hooks, and wraps the function that settles the command so that its end is
 * reported first.
 */
export class Observer {
  readonly #hooks: CommandHooks;
  readonly #includeArgs: boolean;
  readonly #includeKeys: boolean;
  #server: Server = { address: "", host: "", port: undefined };
  /**
   * The end time of what ends in this synchronous run (the replies of one
   * read, the commands of one lost socket); NaN outside one. One
   * performance.now() per run, not per command: it costs some 110 ns.
   */
  #now = NaN;
  readonly #tick = (): void => {
    this.#now = NaN;
  };

  /**
   * Constructs a new instance.
   *
   * @param hooks The user's hooks.
   */
  constructor(hooks: CommandHooks) {
    this.#hooks = hooks;
    this.#includeArgs = hooks.includeArgs === true;
    this.#includeKeys = hooks.includeKeys === true;
  }

  #serverOf(address: string): Server {
    if (this.#server.address !== address) this.#server = splitServer(address);
    return this.#server;
  }

  /**
   * Reports a command's start; returns the function that reports its end
   * with what settles it (a reply, or a `Rejection`) and then calls `next`.
   */
  start(
    request: Request,
    address: string,
    role: string,
    next: Resolve | null,
    fireAndForget: boolean,
    batch?: Batch,
  ): Resolve {
    const event = new Record(
      request,
      this.#serverOf(address),
      role,
      fireAndForget,
      batch,
      this.#includeArgs,
      this.#includeKeys,
    );
    const start = this.#hooks.commandStart;
    if (start !== undefined) {
      try {
        event.context = start(event);
      } catch {
        // A hook's failure is dropped (see CommandHooks).
      }
    }
    return (value: unknown) => {
      this.#end(event, value instanceof Rejection ? value.error : undefined);
      next?.(value);
    };
  }

  #end(event: Record, error: Error | undefined): void {
    if (event.endTime === event.endTime) return;
    let now = this.#now;
    if (now !== now) {
      now = this.#now = performance.now();
      queueMicrotask(this.#tick);
    }
    event.endTime = now;
    if (error === undefined) {
      event.ok = true;
    } else {
      event.error = error;
      event.errorType = errorType(error);
    }
    const end = this.#hooks.commandEnd;
    if (end !== undefined) {
      try {
        end(event);
      } catch {
        // Dropped.
      }
    }
    const batch = event.batch;
    if (batch !== undefined) {
      if (error !== undefined) batch.errors++;
      if (--batch.left === 0) {
        batch.endTime = event.endTime;
        const batchEnd = this.#hooks.batchEnd;
        if (batchEnd !== undefined) {
          try {
            batchEnd(batch);
          } catch {
            // Dropped.
          }
        }
      }
    }
  }

  /**
   * Reports a batch's start and each of its commands'; returns the
   * functions reporting each command's end, each then calling its `next`.
   */
  startBatch(
    requests: readonly Request[],
    address: string,
    role: string,
    next: readonly (Resolve | null)[] | null,
    fireAndForget: boolean,
  ): Resolve[] {
    const batch = new Batch(requests.length, address, role, fireAndForget);
    const start = this.#hooks.batchStart;
    if (start !== undefined) {
      try {
        batch.context = start(batch);
      } catch {
        // Dropped.
      }
    }
    return requests.map((request, i) =>
      this.start(
        request,
        address,
        role,
        next?.[i] ?? null,
        fireAndForget,
        batch,
      )
    );
  }
}
