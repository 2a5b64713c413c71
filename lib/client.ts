// The public facade: connect(), the Redis client and its views. A view is the
// command-family chain bound to an executor (database, binary flag, mode);
// views are built once per combination and cached. Events from the connection
// are dispatched on the Redis object.

import {
  type Bulk,
  type Decode,
  EXEC,
  type Executor,
  type Mode,
  type Result,
} from "./commands/_executor.ts";
import { ServerCommands } from "./commands/server.ts";
import type { Connection, Limits } from "./connection/connection.ts";
import { SocketConnection } from "./connection/socket_connection.ts";
import {
  type ConnectOptions,
  milliseconds,
  resolveOptions,
} from "./options.ts";
import type { RedisArg } from "./resp/encoder.ts";
import type { RespValue } from "./resp/types.ts";

/**
 * Dispatched on the {@linkcode Redis} client as `"error"` when a
 * fire-and-forget command fails (`command` names it) or when the connection
 * fails (`command` is `undefined`).
 *
 * @example Usage
 * ```ts
 * import { connect, type RedisErrorEvent } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * redis.addEventListener("error", (event: RedisErrorEvent) => {
 *   console.log(event.command, event.error.message);
 * });
 * redis.fireAndForget.incr("not-a-number-key");
 * ```
 */
export class RedisErrorEvent extends Event {
  /** What failed: a `ReplyError`, `ConnectionError`, `ProtocolError`, `TypeError`... */
  readonly error: Error;
  /** The failed command's name (`"INCR"`), or `undefined` for a connection failure. */
  readonly command: string | undefined;

  /**
   * Constructs a new instance.
   *
   * @param error What failed.
   * @param command The command's name, if a command failed.
   */
  constructor(error: Error, command: string | undefined) {
    super("error");
    this.error = error;
    this.command = command;
  }
}

/**
 * Dispatched on the {@linkcode Redis} client as `"push"` for each RESP3 push
 * frame that is not a reply (for example client-side caching invalidations).
 *
 * @example Usage
 * ```ts
 * import { connect, type RedisPushEvent } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * redis.addEventListener("push", (event: RedisPushEvent) => console.log(event.data));
 * ```
 */
export class RedisPushEvent extends Event {
  /** The push frame's elements, such as `["invalidate", ["key"]]`. */
  readonly data: RespValue[];

  /**
   * Constructs a new instance.
   *
   * @param data The push frame's elements.
   */
  constructor(data: RespValue[]) {
    super("push");
    this.data = data;
  }
}

/**
 * Dispatched on the {@linkcode Redis} client as `"close"` once its
 * connection is closed, by `close()` or because it failed (`error`).
 *
 * @example Usage
 * ```ts
 * import { connect, type RedisCloseEvent } from "@sleeve/redis";
 *
 * const redis = await connect();
 * redis.addEventListener("close", (event: RedisCloseEvent) => console.log(event.error));
 * await redis.close();
 * ```
 */
export class RedisCloseEvent extends Event {
  /** Why the connection ended, or `undefined` after `close()`. */
  readonly error: Error | undefined;

  /**
   * Constructs a new instance.
   *
   * @param error Why the connection ended, if it failed.
   */
  constructor(error: Error | undefined) {
    super("close");
    this.error = error;
  }
}

/**
 * Dispatched on the {@linkcode Redis} client as `"disconnect"` when its
 * socket is lost and a reconnection follows. Commands that had been written
 * are rejected with a `ConnectionError` whose `mayHaveExecuted` is `true`;
 * commands issued from now on wait for the new connection.
 *
 * @example Usage
 * ```ts
 * import { connect, type RedisDisconnectEvent } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * redis.addEventListener("disconnect", (event: RedisDisconnectEvent) => {
 *   console.log("lost:", event.error.message);
 * });
 * ```
 */
export class RedisDisconnectEvent extends Event {
  /** Why the socket was lost. */
  readonly error: Error;

  /**
   * Constructs a new instance.
   *
   * @param error Why the socket was lost.
   */
  constructor(error: Error) {
    super("disconnect");
    this.error = error;
  }
}

/**
 * Dispatched on the {@linkcode Redis} client as `"reconnecting"` before each
 * reconnection attempt.
 *
 * @example Usage
 * ```ts
 * import { connect, type RedisReconnectingEvent } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * redis.addEventListener("reconnecting", (event: RedisReconnectingEvent) => {
 *   console.log(`attempt ${event.attempt} in ${event.delay} ms`);
 * });
 * ```
 */
export class RedisReconnectingEvent extends Event {
  /** The attempt number, from 1. */
  readonly attempt: number;
  /** Milliseconds before the attempt starts (0 for the first). */
  readonly delay: number;

  /**
   * Constructs a new instance.
   *
   * @param attempt The attempt number, from 1.
   * @param delay Milliseconds before it starts.
   */
  constructor(attempt: number, delay: number) {
    super("reconnecting");
    this.attempt = attempt;
    this.delay = delay;
  }
}

/**
 * The events a {@linkcode Redis} client dispatches:
 * - `error`: a fire-and-forget command failed, a reconnection attempt failed,
 *   or the client closed because of a failure;
 * - `push`: a RESP3 push frame;
 * - `connect`: a socket was opened (after a reconnection: the handshake
 *   follows);
 * - `ready`: a reconnection finished its handshake and waiting commands are
 *   being written;
 * - `disconnect`: the socket was lost and a reconnection follows;
 * - `reconnecting`: a reconnection attempt is about to start;
 * - `close`: the client is closed for good.
 *
 * @example Usage
 * ```ts
 * import type { RedisEventMap } from "@sleeve/redis";
 *
 * const kinds: (keyof RedisEventMap)[] = ["error", "disconnect", "ready"];
 * console.log(kinds);
 * ```
 */
export interface RedisEventMap {
  /** A fire-and-forget command, a reconnection attempt or the connection failed. */
  error: RedisErrorEvent;
  /** A RESP3 push frame arrived. */
  push: RedisPushEvent;
  /** A socket was opened. */
  connect: Event;
  /** A (re)connection finished its handshake. */
  ready: Event;
  /** The socket was lost; a reconnection follows. */
  disconnect: RedisDisconnectEvent;
  /** A reconnection attempt is about to start. */
  reconnecting: RedisReconnectingEvent;
  /** The client closed for good. */
  close: RedisCloseEvent;
}

/**
 * Limits of a {@linkcode RedisView.with} view.
 *
 * @example Usage
 * ```ts
 * import { connect, type CommandLimits } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const limits: CommandLimits = { timeout: 500, signal: AbortSignal.timeout(2_000) };
 * console.log(await redis.with(limits).get("key"));
 * ```
 */
export interface CommandLimits {
  /**
   * Milliseconds until the command is rejected with a `TimeoutError`. A
   * command still waiting to be written (no connection, or full buffers) is
   * then never sent; one already handed to the connection keeps its place,
   * and its late reply is read and dropped (the server may still run it).
   */
  timeout?: number;
  /**
   * Aborting it rejects the command with the signal's reason, with the same
   * rules as `timeout`.
   */
  signal?: AbortSignal;
}

/**
 * Commands the shared connection refuses through `send()`, because they would
 * change its state behind the client's back or stall every other caller.
 */
const REFUSED: ReadonlyMap<string, string> = new Map([
  ["SELECT", "use redis.db(index) to run commands in another database"],
  ...["MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH"].map((
    name,
  ): [string, string] => [
    name,
    "transactions would interleave with other callers on the shared connection",
  ]),
  ...[
    "SUBSCRIBE",
    "PSUBSCRIBE",
    "SSUBSCRIBE",
    "UNSUBSCRIBE",
    "PUNSUBSCRIBE",
    "SUNSUBSCRIBE",
  ].map((
    name,
  ): [string, string] => [
    name,
    "subscribing would take over the shared connection",
  ]),
  ...["MONITOR", "SYNC", "PSYNC", "QUIT", "RESET"].map((
    name,
  ): [string, string] => [
    name,
    "it would take over or end the shared connection",
  ]),
  ...["HELLO", "AUTH"].map((name): [string, string] => [
    name,
    "credentials and protocol are set by connect()",
  ]),
  ...[
    "BLPOP",
    "BRPOP",
    "BRPOPLPUSH",
    "BLMOVE",
    "BLMPOP",
    "BZPOPMIN",
    "BZPOPMAX",
    "BZMPOP",
    "WAIT",
    "WAITAOF",
  ].map((
    name,
  ): [string, string] => [
    name,
    "a blocking command would stall every caller of the shared connection",
  ]),
]);

/** Why `send()` refuses a command, or undefined. */
function refusal(
  command: unknown,
  args: readonly RedisArg[],
): string | undefined {
  const name = keyword(command);
  if (name === undefined) return undefined;
  const reason = REFUSED.get(name);
  if (reason !== undefined) return reason;
  if (name === "CLIENT" && keyword(args[0]) === "REPLY") {
    return "turning replies off would break reply matching";
  }
  if ((name === "XREAD" || name === "XREADGROUP") && streamReadBlocks(args)) {
    return "a blocking command would stall every caller of the shared connection";
  }
  return undefined;
}

/** An argument as an upper-case keyword (text or bytes), if it can be one. */
function keyword(arg: unknown): string | undefined {
  if (typeof arg === "string") {
    return arg.length <= 32 ? arg.toUpperCase() : undefined;
  }
  if (arg instanceof Uint8Array && arg.length <= 32) {
    return new TextDecoder().decode(arg).toUpperCase();
  }
  return undefined;
}

/**
 * Whether XREAD/XREADGROUP arguments ask to block. Options come before
 * STREAMS; values (counts, group and consumer names) are skipped, so a key
 * or group named "block" is not mistaken for the option.
 */
function streamReadBlocks(args: readonly RedisArg[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const option = keyword(args[i]);
    if (option === "STREAMS") return false;
    if (option === "BLOCK") return true;
    if (option === "COUNT") i += 1;
    else if (option === "GROUP") i += 2;
  }
  return false;
}

class PromiseExecutor implements Executor<"promise"> {
  readonly #connection: Connection;
  readonly #db: number;
  readonly #binary: boolean;
  readonly #limits: Limits | undefined;

  constructor(
    connection: Connection,
    db: number,
    binary: boolean,
    limits: Limits | undefined,
  ) {
    this.#connection = connection;
    this.#db = db;
    this.#binary = binary;
    this.#limits = limits;
  }

  call<T>(args: RedisArg[], decode: Decode | null): Promise<T> {
    // The decoder checked at run time that the reply has the shape T names.
    return this.#connection.send(
      args,
      this.#db,
      this.#binary,
      decode,
      this.#limits,
    ) as Promise<T>;
  }

  refuse<T>(error: Error): Promise<T> {
    return Promise.reject(error);
  }
}

class VoidExecutor implements Executor<"void"> {
  readonly #connection: Connection;
  readonly #db: number;
  readonly #root: () => EventTarget;
  readonly #limits: Limits | undefined;

  constructor(
    connection: Connection,
    db: number,
    root: () => EventTarget,
    limits: Limits | undefined,
  ) {
    this.#connection = connection;
    this.#db = db;
    this.#root = root;
    this.#limits = limits;
  }

  call(args: RedisArg[]): void {
    this.#connection.sendVoid(args, this.#db, this.#limits);
  }

  refuse(error: Error, command: string): void {
    this.#root().dispatchEvent(new RedisErrorEvent(error, command));
  }
}

/**
 * A promise view's limits: its own, with the client-wide `commandTimeout`
 * where it sets no timeout (a `with({ signal })` view keeps it too).
 */
function withDefaultTimeout(
  limits: Limits | undefined,
  defaults: Limits | undefined,
): Limits | undefined {
  if (limits === undefined) return defaults;
  if (limits.timeout !== undefined || defaults === undefined) return limits;
  return { timeout: defaults.timeout, signal: limits.signal };
}

/** State shared by a client and all its views. */
class Core {
  readonly connection: Connection;
  readonly address: string;
  /** Limits of promise views without their own: the `commandTimeout` option. */
  readonly defaultLimits: Limits | undefined;
  root!: Redis;
  readonly views: Map<number, RedisView<Mode, Bulk>> = new Map();

  constructor(
    connection: Connection,
    address: string,
    commandTimeout: number | undefined,
  ) {
    this.connection = connection;
    this.address = address;
    this.defaultLimits = commandTimeout === undefined
      ? undefined
      : { timeout: commandTimeout };
  }

  view(
    db: number,
    binary: boolean,
    mode: Mode,
    limits?: Limits,
  ): RedisView<Mode, Bulk> {
    // Views with their own limits are not cached: a signal is per use.
    if (limits !== undefined) {
      return new RedisView(this, db, binary, mode, limits);
    }
    const key = db * 4 + (binary ? 2 : 0) + (mode === "void" ? 1 : 0);
    let view = this.views.get(key);
    if (view === undefined) {
      view = new RedisView(this, db, binary, mode);
      this.views.set(key, view);
    }
    return view;
  }
}

/**
 * A view of a client: every command method of {@linkcode Redis}, bound to a
 * database, a reply type for bulk strings, and a mode. Methods return
 * `Promise<T>` on promise views and `void` on `fireAndForget` views. Views
 * share the client's one connection; they cost nothing to get (they are
 * cached) and compose in any order: `redis.db(2).binary.fireAndForget`.
 *
 * Listeners added to a view are added to the client.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 *
 * @example Usage
 * ```ts
 * import { connect } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const tenant = redis.db(3);
 * await tenant.set("visits", 1);
 * tenant.fireAndForget.incr("visits");
 * const bytes = await tenant.binary.get("visits"); // → Uint8Array of "2"
 * console.log(bytes);
 * ```
 */
export class RedisView<M extends Mode, B extends Bulk>
  extends ServerCommands<M, B> {
  readonly #core: Core;
  readonly #db: number;
  readonly #binary: boolean;
  readonly #mode: Mode;
  readonly #limits: Limits | undefined;

  /**
   * Constructs a new instance. Get views from a client instead:
   * {@linkcode RedisView.db}, {@linkcode RedisView.binary},
   * {@linkcode RedisView.fireAndForget}, {@linkcode RedisView.with}.
   *
   * @ignore
   */
  constructor(
    core: Core,
    db: number,
    binary: boolean,
    mode: Mode,
    limits?: Limits,
  ) {
    const executor = mode === "void"
      ? new VoidExecutor(core.connection, db, () => core.root, limits)
      : new PromiseExecutor(
        core.connection,
        db,
        binary,
        withDefaultTimeout(limits, core.defaultLimits),
      );
    // The executor's mode matches M: both come from the same view request.
    super(executor as unknown as Executor<M>);
    this.#core = core;
    this.#db = db;
    this.#binary = binary;
    this.#mode = mode;
    this.#limits = limits;
  }

  /** The database this view's commands run in. */
  get database(): number {
    return this.#db;
  }

  /**
   * A view running commands in database `index` on the same connection. The
   * connection writes `SELECT` only when the database changes between
   * consecutive commands. `redis.db(2).db(5)` is database 5.
   *
   * @param index The database number.
   * @returns The cached view.
   * @throws {RangeError} When `index` is not an integer from 0 to the server's
   * number of databases − 1.
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.db(3).set("tenant", "three");
   * console.log(await redis.db(3).get("tenant")); // → "three"
   * console.log(await redis.get("tenant")); // → null (database 0)
   * ```
   */
  db(index: number): RedisView<M, B> {
    const core = this.#core;
    const databases = core.connection.databases;
    if (
      !Number.isSafeInteger(index) || index < 0 ||
      (databases !== undefined && index >= databases)
    ) {
      const range = databases === undefined
        ? "a non-negative integer"
        : `an integer from 0 to ${databases - 1}`;
      throw new RangeError(
        `Cannot select database: index must be ${range}, received ${index}`,
      );
    }
    // Same mode and bulk type as this view, so the cast restores what M and B were.
    return core.view(
      index,
      this.#binary,
      this.#mode,
      this.#limits,
    ) as unknown as RedisView<M, B>;
  }

  /**
   * The same view with bulk-string replies as `Uint8Array` (binary-safe for
   * all 256 byte values) instead of UTF-8 strings.
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("blob", new Uint8Array([0, 255, 13, 10]));
   * console.log(await redis.binary.get("blob")); // → Uint8Array(4) [0, 255, 13, 10]
   * ```
   */
  get binary(): RedisView<M, Uint8Array> {
    return this.#core.view(
      this.#db,
      true,
      this.#mode,
      this.#limits,
    ) as unknown as RedisView<M, Uint8Array>;
  }

  /**
   * The same view with methods that return nothing: no promise is created,
   * the command keeps its place in the order, its reply is read and dropped,
   * and any failure (including a bad argument or a closed client) is
   * dispatched as an `"error"` {@linkcode RedisErrorEvent} on the client,
   * never thrown or rejected.
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * redis.addEventListener("error", (event) => console.log(event.error));
   * for (let i = 0; i < 1000; i++) redis.fireAndForget.incr("hits");
   * console.log(await redis.get("hits")); // → "1000" (same connection, same order)
   * ```
   */
  get fireAndForget(): RedisView<"void", B> {
    return this.#core.view(
      this.#db,
      this.#binary,
      "void",
      this.#limits,
    ) as unknown as RedisView<"void", B>;
  }

  /**
   * The same view with a timeout and/or an abort signal on every command
   * issued through it; composes with the other views, and with an outer
   * `with()` (the new timeout replaces the old one; both signals count).
   *
   * A command its limit rejects while it waits to be written (no
   * connection, full buffers, or an abort in the same tick as the call) is
   * never sent. One already handed to the connection is rejected at once
   * (`TimeoutError`, or the signal's reason), keeps its place in the reply
   * order, and its late reply is read and dropped: the server may still run
   * it. On `fireAndForget` views a limit applies until the command is
   * handed to the connection, and its failure is an `"error"` event.
   *
   * A timeout is cheap: a deadline in the reply queue, with one timer for
   * the whole connection (`commandTimeout` on every command costs about 10%
   * on 1,000 GETs in flight). A signal costs an abort listener and a queue entry
   * per command, checked at write time.
   *
   * @param limits `timeout` in milliseconds and/or `signal`.
   * @returns A new view (not cached).
   * @throws {TypeError} For a malformed limit.
   * @throws {RangeError} For a timeout that is not a positive number of milliseconds.
   *
   * @example Usage
   * ```ts
   * import { connect, TimeoutError } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * try {
   *   console.log(await redis.with({ timeout: 100 }).get("key"));
   * } catch (error) {
   *   if (error instanceof TimeoutError) console.log("slow server");
   * }
   * ```
   */
  with(limits: CommandLimits): RedisView<M, B> {
    if (typeof limits !== "object" || limits === null) {
      throw new TypeError("Invalid command limits: expected an object");
    }
    const { timeout, signal } = limits;
    milliseconds("timeout", timeout, "Invalid command limits");
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new TypeError(
        "Invalid command limits: signal must be an AbortSignal",
      );
    }
    const outer = this.#limits;
    const merged: Limits = {
      timeout: timeout ?? outer?.timeout,
      signal: signal !== undefined && outer?.signal !== undefined
        ? AbortSignal.any([outer.signal, signal])
        : signal ?? outer?.signal,
    };
    return this.#core.view(
      this.#db,
      this.#binary,
      this.#mode,
      merged,
    ) as unknown as RedisView<M, B>;
  }

  /**
   * Sends any Redis command and returns its raw reply, mapped as described
   * in {@linkcode RespValue}. Commands that would break the shared
   * connection (`SELECT`, `MULTI`, `SUBSCRIBE`, blocking pops, `MONITOR`,
   * `CLIENT REPLY`, ...) are refused with a `TypeError` before anything is
   * sent.
   *
   * @param command The command name, such as `"OBJECT"`.
   * @param args Its arguments.
   * @returns The raw reply.
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.send("SET", "k", "v");
   * console.log(await redis.send("OBJECT", "ENCODING", "k")); // → "embstr"
   * ```
   */
  send(command: string, ...args: RedisArg[]): Result<M, RespValue> {
    const executor = this[EXEC];
    const reason = refusal(command, args);
    if (reason !== undefined) {
      const name = keyword(command)!;
      return executor.refuse(
        new TypeError(`Cannot send ${name}: ${reason}`),
        name,
      );
    }
    return executor.call([command, ...args], null);
  }

  /**
   * Adds an event listener on the client (views forward to it).
   *
   * @param type An event of {@linkcode RedisEventMap}, such as `"error"`.
   * @param listener The listener.
   * @param options Listener options.
   */
  override addEventListener<K extends keyof RedisEventMap>(
    type: K,
    listener: (event: RedisEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  /**
   * Adds an event listener on the client (views forward to it).
   *
   * @param type The event type.
   * @param listener The listener.
   * @param options Listener options.
   */
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener:
      | EventListenerOrEventListenerObject
      | ((event: never) => void)
      | null,
    options?: boolean | AddEventListenerOptions,
  ): void {
    const root: EventTarget = this.#core.root;
    // A typed listener receives exactly the event class its type names.
    const plain = listener as EventListenerOrEventListenerObject | null;
    if (root !== this) root.addEventListener(type, plain, options);
    else super.addEventListener(type, plain, options);
  }

  /**
   * Removes an event listener from the client (views forward to it).
   *
   * @param type An event of {@linkcode RedisEventMap}, such as `"error"`.
   * @param listener The listener.
   * @param options Listener options.
   */
  override removeEventListener<K extends keyof RedisEventMap>(
    type: K,
    listener: (event: RedisEventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  /**
   * Removes an event listener from the client (views forward to it).
   *
   * @param type The event type.
   * @param listener The listener.
   * @param options Listener options.
   */
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener:
      | EventListenerOrEventListenerObject
      | ((event: never) => void)
      | null,
    options?: boolean | EventListenerOptions,
  ): void {
    const root: EventTarget = this.#core.root;
    const plain = listener as EventListenerOrEventListenerObject | null;
    if (root !== this) root.removeEventListener(type, plain, options);
    else super.removeEventListener(type, plain, options);
  }
}

/**
 * A Redis client: one multiplexed, pipelined connection shared by every
 * caller. Commands go on the wire as soon as they are issued (all commands of
 * one tick leave in one write) and replies are matched to callers in order.
 * Get one with {@linkcode connect}.
 *
 * It is an `EventTarget` (see {@linkcode RedisEventMap}) and
 * `AsyncDisposable`: `await using redis = await connect()` closes it at the
 * end of the scope.
 *
 * @example Usage
 * ```ts
 * import { connect } from "@sleeve/redis";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const pending = [redis.set("a", "1"), redis.incr("counter"), redis.get("a")];
 * console.log(await Promise.all(pending)); // → ["OK", 1, "1"]
 * ```
 */
export class Redis extends RedisView<"promise", string>
  implements AsyncDisposable {
  readonly #owned: Core;

  /**
   * Constructs a new instance. Use {@linkcode connect} instead.
   *
   * @ignore
   */
  constructor(
    connection: Connection,
    address: string,
    db: number,
    commandTimeout?: number,
  ) {
    const core = new Core(connection, address, commandTimeout);
    super(core, db, false, "promise");
    this.#owned = core;
    core.root = this;
    core.views.set(db * 4, this);
    connection.events = {
      onError: (error, command) =>
        this.dispatchEvent(new RedisErrorEvent(error, command)),
      onPush: (data) => this.dispatchEvent(new RedisPushEvent(data)),
      onConnect: () => this.dispatchEvent(new Event("connect")),
      onReady: () => this.dispatchEvent(new Event("ready")),
      onDisconnect: (error) =>
        this.dispatchEvent(new RedisDisconnectEvent(error)),
      onReconnecting: (attempt, delay) =>
        this.dispatchEvent(new RedisReconnectingEvent(attempt, delay)),
      onClose: (error) => this.dispatchEvent(new RedisCloseEvent(error)),
    };
  }

  /** The protocol the connection speaks: 3 (RESP3) or 2 (RESP2). */
  get protocol(): 2 | 3 {
    return this.#owned.connection.protocol;
  }

  /** Whether the client has stopped taking commands (closing, closed or failed). */
  get closed(): boolean {
    return this.#owned.connection.closed;
  }

  /**
   * Whether a connection is up and past its handshake. While it is not (a
   * reconnection is under way), commands wait in order, up to `maxQueued`
   * and `queueTimeout`.
   */
  get ready(): boolean {
    return this.#owned.connection.ready;
  }

  /**
   * Stops taking commands, waits until every command already issued has its
   * reply, then closes the socket. Commands issued afterwards are rejected
   * with a `ConnectionError`. Safe to call more than once.
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * const redis = await connect();
   * redis.fireAndForget.set("last", "write");
   * await redis.close(); // the SET has been answered
   * ```
   */
  close(): Promise<void> {
    return this.#owned.connection.close();
  }

  /** Closes the client, as {@linkcode Redis.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Shows the address and state, never credentials. */
  [Symbol.for("Deno.customInspect")](): string {
    const core = this.#owned;
    return `Redis { address: "${core.address}", db: ${this.database}, protocol: ${this.protocol}, closed: ${this.closed} }`;
  }
}

/**
 * Connects to a Redis server and resolves once the handshake is done.
 *
 * `target` is a URL or {@linkcode ConnectOptions}; the default is
 * `redis://127.0.0.1:6379`. URLs: `redis://[user[:password]@]host[:port][/db]`,
 * `rediss://...` for TLS, `redis+unix:///path/to/redis.sock[?db=N]`. The
 * handshake (AUTH, `HELLO 3` with a RESP2 fallback for servers without it,
 * CLIENT SETNAME, CLIENT SETINFO, SELECT) goes out in one write.
 *
 * @param target A URL or options.
 * @returns The connected client.
 * @throws {TypeError} For a malformed URL or option (before any socket is opened).
 * @throws {RangeError} For an out-of-range option.
 * @throws {ConnectionError} When the server cannot be reached.
 * @throws {ReplyError} When the server refuses the credentials, name or database.
 * @throws {TimeoutError} When it did not finish within `connectTimeout`.
 *
 * @example Usage
 * ```ts
 * import { connect } from "@sleeve/redis";
 *
 * await using redis = await connect({ hostname: "127.0.0.1", port: 6379, db: 2 });
 * console.log(await redis.ping()); // → "PONG"
 * ```
 */
export async function connect(
  target?: string | ConnectOptions,
): Promise<Redis> {
  const options = resolveOptions(target);
  const connection = await SocketConnection.open(options);
  return new Redis(
    connection,
    options.address,
    options.db,
    options.commandTimeout,
  );
}
