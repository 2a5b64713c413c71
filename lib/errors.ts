// Error classes of sleeve. Every failure a caller can see is one of these (or a
// built-in TypeError/RangeError for a bad argument). None of them ever carries
// a command's arguments or a password.

/**
 * The base class of every error sleeve raises for a Redis-side, network or
 * protocol failure.
 *
 * @example Usage
 * ```ts
 * import { connect, RedisError } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * try {
 *   await redis.send("NOSUCHCOMMAND");
 * } catch (error) {
 *   if (error instanceof RedisError) console.log(error.name, error.message);
 * }
 * ```
 */
export class RedisError extends Error {
  /**
   * Constructs a new instance.
   *
   * @param message What failed.
   * @param options The error's cause, if any.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RedisError";
  }
}

/**
 * An error reply from the server (`-ERR ...`, `-WRONGTYPE ...`, a RESP3 blob
 * error). The message is the server's text; {@linkcode ReplyError.code} is its
 * first word. Errors nested inside an array reply (for example in the reply to
 * `EXEC`) are delivered as `ReplyError` values inside the array.
 *
 * @example Usage
 * ```ts
 * import { connect, ReplyError } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * await redis.set("greeting", "hello");
 * try {
 *   await redis.incr("greeting");
 * } catch (error) {
 *   if (error instanceof ReplyError) {
 *     console.log(error.code, error.command); // → "ERR" "INCR"
 *   }
 * }
 * ```
 */
export class ReplyError extends RedisError {
  /** The error code: the first word of the server's message, such as `"WRONGTYPE"`. */
  readonly code: string;
  /**
   * The name of the command that failed, upper-cased (`"INCR"`), or
   * `undefined` for an error nested inside another reply.
   */
  command: string | undefined;

  /**
   * Constructs a new instance.
   *
   * @param message The server's error text, such as `"WRONGTYPE Operation against a key"`.
   * @param command The command the error answers, if known.
   * @param options The code, when the message does not start with it, and
   * the cause.
   */
  constructor(
    message: string,
    command?: string,
    options?: ReplyErrorOptions,
  ) {
    super(message, options);
    this.name = "ReplyError";
    const space = message.indexOf(" ");
    this.code = options?.code ??
      (space === -1 ? message : message.slice(0, space));
    this.command = command;
  }
}

/**
 * Options of the {@linkcode ReplyError} constructor.
 *
 * @example Usage
 * ```ts
 * import { ReplyError, type ReplyErrorOptions } from "@sleeve/redis";
 *
 * const options: ReplyErrorOptions = { code: "NOPERM" };
 * console.log(new ReplyError("Cannot select database 3: NOPERM ...", "GET", options).code); // → "NOPERM"
 * ```
 */
export interface ReplyErrorOptions extends ErrorOptions {
  /**
   * The error code, when the message does not start with it.
   *
   * @default {undefined}
   */
  code?: string;
}

/**
 * The connection to the server could not be opened, failed, or was closed.
 * Every command in flight when the connection failed is rejected with it;
 * {@linkcode ConnectionError.mayHaveExecuted} tells whether it had been
 * written (and so may have run). The original system error, if any, is the
 * `cause`.
 *
 * @example Usage
 * ```ts
 * import { connect, ConnectionError } from "@sleeve/redis";
 *
 * try {
 *   await connect({ port: 1 });
 * } catch (error) {
 *   if (error instanceof ConnectionError) console.log(error.message);
 * }
 * ```
 */
export class ConnectionError extends RedisError {
  /**
   * Whether the command this error rejects may have run on the server: `true`
   * when it had been written to the socket before the connection failed (the
   * client never re-sends such a command), `false` when it was never sent.
   */
  readonly mayHaveExecuted: boolean;

  /**
   * Constructs a new instance.
   *
   * @param message What failed, naming the server address (never credentials).
   * @param options The underlying error, if any, and whether the command may
   * have run.
   */
  constructor(message: string, options?: ConnectionErrorOptions) {
    super(message, options);
    this.name = "ConnectionError";
    this.mayHaveExecuted = options?.mayHaveExecuted ?? false;
  }
}

/**
 * Options of the {@linkcode ConnectionError} and {@linkcode TimeoutError}
 * constructors.
 *
 * @example Usage
 * ```ts
 * import { ConnectionError, type ConnectionErrorOptions } from "@sleeve/redis";
 *
 * const options: ConnectionErrorOptions = { mayHaveExecuted: true };
 * console.log(new ConnectionError("lost", options).mayHaveExecuted); // → true
 * ```
 */
export interface ConnectionErrorOptions extends ErrorOptions {
  /**
   * Whether the command may have run on the server.
   *
   * @default {false}
   */
  mayHaveExecuted?: boolean;
}

/**
 * The sentinels could not name a server to connect to: each one tried is in
 * {@linkcode SentinelError.sentinels}, with why it failed (unreachable,
 * refused the credentials, does not know the master name, no healthy
 * replica...). The message names each sentinel by its address, never with
 * its credentials.
 *
 * @example Usage
 * ```ts
 * import { connect, SentinelError } from "@sleeve/redis";
 *
 * try {
 *   await connect({
 *     sentinels: ["redis://127.0.0.1:26379", "redis://127.0.0.1:26380"],
 *     masterName: "mymaster",
 *   });
 * } catch (error) {
 *   if (error instanceof SentinelError) {
 *     for (const { address, error: why } of error.sentinels) {
 *       console.log(address, why.message);
 *     }
 *   }
 * }
 * ```
 */
export class SentinelError extends ConnectionError {
  /** Each sentinel asked, in order, and why it gave no usable answer. */
  readonly sentinels: readonly SentinelFailure[];

  /**
   * Constructs a new instance.
   *
   * @param message What failed.
   * @param sentinels Each sentinel asked and its failure.
   */
  constructor(message: string, sentinels: readonly SentinelFailure[]) {
    super(message, { cause: sentinels[sentinels.length - 1]?.error });
    this.name = "SentinelError";
    this.sentinels = sentinels;
  }
}

/**
 * One sentinel of a {@linkcode SentinelError}: its address and its failure.
 *
 * @example Usage
 * ```ts
 * import { SentinelError, type SentinelFailure } from "@sleeve/redis";
 *
 * const failure: SentinelFailure = {
 *   address: "127.0.0.1:26379",
 *   error: new Error("Connection refused"),
 * };
 * console.log(new SentinelError("Cannot find the master", [failure]).sentinels);
 * ```
 */
export interface SentinelFailure {
  /** `host:port` of the sentinel, never its credentials. */
  readonly address: string;
  /** Why it gave no usable answer. */
  readonly error: Error;
}

/**
 * The server sent bytes that are not valid RESP, a reply that does not fit
 * the command it answers, or a frame over the configured limits. The
 * connection is closed and every pending command is rejected with this
 * error: once the reply stream cannot be trusted, nothing more is read from it.
 *
 * @example Usage
 * ```ts
 * import { ProtocolError, RespDecoder } from "@sleeve/redis";
 *
 * const decoder = new RespDecoder();
 * decoder.feed(new TextEncoder().encode("@oops\r\n"));
 * try {
 *   decoder.next();
 * } catch (error) {
 *   console.log(error instanceof ProtocolError); // → true
 * }
 * ```
 */
export class ProtocolError extends RedisError {
  /**
   * Constructs a new instance.
   *
   * @param message What was wrong with the bytes received.
   * @param options The underlying error, if any.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ProtocolError";
  }
}

/**
 * A complete reply whose shape the command's method does not expect: a proxy
 * or module answering differently, or a server version with another reply.
 * Only the command it answers fails: the frame was complete, so the reply
 * stream is still in step and the connection carries on.
 *
 * @example Usage
 * ```ts
 * import { connect, UnexpectedReplyError } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * try {
 *   await redis.get("key");
 * } catch (error) {
 *   if (error instanceof UnexpectedReplyError) console.log(error.command, error.message);
 * }
 * ```
 */
export class UnexpectedReplyError extends RedisError {
  /** The command whose reply it was, such as `"GET"`. */
  readonly command: string;

  /**
   * Constructs a new instance.
   *
   * @param message What was expected and what arrived.
   * @param command The command the reply answers.
   * @param options The underlying error, if any.
   */
  constructor(message: string, command: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UnexpectedReplyError";
    this.command = command;
  }
}

/**
 * An operation did not complete in time (for example the connection and
 * handshake did not finish within `connectTimeout`, or a command its
 * `commandTimeout` or `with({ timeout })`).
 * {@linkcode TimeoutError.mayHaveExecuted} tells whether a timed-out command
 * had been written (and so may run on the server).
 *
 * @example Usage
 * ```ts
 * import { connect, TimeoutError } from "@sleeve/redis";
 *
 * try {
 *   await connect({ connectTimeout: 1 });
 * } catch (error) {
 *   if (error instanceof TimeoutError) console.log(error.message);
 * }
 * ```
 */
export class TimeoutError extends RedisError {
  /**
   * Whether the command that timed out may run on the server: `true` when
   * it had been handed to the socket (its late reply is read and dropped),
   * `false` when it was never sent. `false` for a connect timeout.
   */
  readonly mayHaveExecuted: boolean;

  /**
   * Constructs a new instance.
   *
   * @param message What timed out and after how long.
   * @param options The underlying error, if any, and whether the command may
   * have run.
   */
  constructor(message: string, options?: ConnectionErrorOptions) {
    super(message, options);
    this.name = "TimeoutError";
    this.mayHaveExecuted = options?.mayHaveExecuted ?? false;
  }
}

/**
 * An integer reply beyond ±(2^53 − 1), which a `number` cannot hold exactly,
 * on a view that returns integers as numbers. The command did run: the exact
 * value is in {@linkcode IntegerRangeError.value}. Use the `bigint` view
 * (`redis.bigint.incr(key)`) where values may grow that large.
 *
 * @example Usage
 * ```ts
 * import { connect, IntegerRangeError } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * await redis.set("big", "9007199254740993");
 * try {
 *   await redis.incr("big");
 * } catch (error) {
 *   if (error instanceof IntegerRangeError) console.log(error.value); // → 9007199254740994n
 * }
 * ```
 */
export class IntegerRangeError extends RangeError {
  /** The exact reply. */
  readonly value: bigint;
  /**
   * The command that returned it (it ran), such as `"INCR"`; `undefined`
   * until the connection names it.
   */
  command: string | undefined;

  /**
   * Constructs a new instance.
   *
   * @param value The exact reply.
   * @param command The command that returned it, if known.
   */
  constructor(value: bigint, command?: string) {
    super(
      `Cannot return ${value} as a number: it is beyond ±(2^53 - 1); the command ran (use the bigint view for such values)`,
    );
    this.name = "IntegerRangeError";
    this.value = value;
    this.command = command;
  }
}

/**
 * A `watch()` transaction did not commit: a watched key changed before its
 * `EXEC` in every attempt (`maxAttempts`), so nothing of it ran. Inside a
 * `watch()` callback, the transaction's `exec()` rejects with it when a
 * watched key changed; the callback is then run again.
 *
 * @example Usage
 * ```ts
 * import { connect, WatchError } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * try {
 *   await redis.watch(["stock"], async (tx) => {
 *     const stock = Number(await tx.get("stock") ?? 0);
 *     return await tx.multi().set("stock", stock - 1).exec();
 *   }, { maxAttempts: 3 });
 * } catch (error) {
 *   if (error instanceof WatchError) console.log("too much contention");
 * }
 * ```
 */
export class WatchError extends RedisError {
  /**
   * Constructs a new instance.
   *
   * @param message What did not commit, and after how many attempts.
   * @param options The underlying error, if any.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "WatchError";
  }
}

/**
 * A command refused before anything was sent because its keys hash to more
 * than one cluster slot and it cannot be split per slot: MSETNX, SINTERSTORE,
 * a script, a transaction. (MGET, MSET, DEL, UNLINK, EXISTS and TOUCH are
 * split instead.) Give the keys a common hash tag (`{user1}.name`,
 * `{user1}.email`) so that they share a slot.
 *
 * @example Usage
 * ```ts
 * import { connectCluster, CrossSlotError } from "@sleeve/redis";
 *
 * await using cluster = await connectCluster(["redis://127.0.0.1:7000"]);
 * try {
 *   await cluster.sinterstore("dest", "a", "b");
 * } catch (error) {
 *   if (error instanceof CrossSlotError) console.log(error.command); // → "SINTERSTORE"
 * }
 * ```
 */
export class CrossSlotError extends RedisError {
  /** The command refused, such as `"SINTERSTORE"` (or `"EXEC"` for a transaction). */
  readonly command: string;

  /**
   * Constructs a new instance.
   *
   * @param command The command refused.
   * @param message Why.
   */
  constructor(command: string, message: string) {
    super(message);
    this.name = "CrossSlotError";
    this.command = command;
  }
}

/**
 * A cluster could not run a command, although nothing went wrong with the
 * command itself: no node serves its slot, it was redirected more than
 * `maxRedirects` times, or the nodes kept answering "not applied"
 * (CLUSTERDOWN, TRYAGAIN...) until its retry time ran out. Every attempt was
 * refused unapplied, so the command did not run. `cause` holds the last
 * node's answer.
 *
 * @example Usage
 * ```ts
 * import { ClusterError, connectCluster } from "@sleeve/redis";
 *
 * await using cluster = await connectCluster(["redis://127.0.0.1:7000"]);
 * try {
 *   await cluster.set("k", "v");
 * } catch (error) {
 *   if (error instanceof ClusterError) console.log(error.command, error.cause);
 * }
 * ```
 */
export class ClusterError extends RedisError {
  /** The command that did not run, such as `"SET"`. */
  readonly command: string;
  /** Always false: every attempt was refused before it ran. */
  readonly mayHaveExecuted: boolean = false;

  /**
   * Constructs a new instance.
   *
   * @param command The command that did not run.
   * @param message Why.
   * @param options The last node's answer.
   */
  constructor(command: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ClusterError";
    this.command = command;
  }
}
