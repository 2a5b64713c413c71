// Optimistic locking: watch() leases a connection of its own from the router,
// sends WATCH on it, runs the caller's callback with a view bound to it (the
// reads and the one MULTI/EXEC of this attempt), and runs it all again when
// EXEC answers nil (a watched key changed), up to maxAttempts. Afterwards the
// connection goes back clean (UNWATCH when no EXEC ended the WATCH) or closed.

import type { Command } from "./commands/_command.ts";
import { command, isBlocking } from "./commands/_command.ts";
import { EXEC, MULTI } from "./commands/pipeline.ts";
import { ok } from "./commands/_reply.ts";
import type {
  Connection,
  ConnectionListener,
  Limits,
  Request,
  Settled,
} from "./connection/connection.ts";
import { asError } from "./connection/_util.ts";
import { ReplyError, TimeoutError, WatchError } from "./errors.ts";
import type { RedisArg } from "./resp/encoder.ts";
import type { Leases } from "./routing/router.ts";

const WATCH = command("WATCH");
const UNWATCH = command("UNWATCH");

/** The default of {@linkcode WatchOptions.maxAttempts}. */
export const DEFAULT_MAX_ATTEMPTS = 10;

/**
 * Options of {@linkcode RedisView.watch}.
 *
 * @example Usage
 * ```ts
 * import { connect, type WatchOptions } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const options: WatchOptions = { maxAttempts: 3 };
 * await redis.watch(["k"], (tx) => tx.multi().incr("k").exec(), options);
 * ```
 */
export interface WatchOptions {
  /**
   * How many times the callback may run: once, plus once more each time a
   * watched key changed before its EXEC. Past it, `watch()` rejects with a
   * `WatchError`. A positive integer, or `Infinity`.
   *
   * @default {10}
   */
  maxAttempts?: number;
}

/** What watch() needs of the view it runs for. */
export interface WatchHost<V> {
  /** Where leased connections come from. */
  readonly leases: Leases;
  /** The database the keys are watched in. */
  readonly db: number;
  /** The limits of the view: WATCH and UNWATCH get them too. */
  readonly limits: Limits | undefined;
  /** A view of the caller's kind bound to `connection`. */
  view(connection: Connection): V;
  /** Reports a fire-and-forget command refused once the callback ended. */
  report(error: Error, command: string): void;
}

/**
 * Checks the arguments of watch() before anything is leased or sent.
 *
 * @returns The number of attempts allowed.
 */
export function checkWatch(
  keys: unknown,
  fn: unknown,
  options: WatchOptions | undefined,
): number {
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new TypeError("Cannot watch: keys must be a non-empty array");
  }
  if (typeof fn !== "function") {
    throw new TypeError("Cannot watch: the callback must be a function");
  }
  if (options !== undefined && (typeof options !== "object" || !options)) {
    throw new TypeError("Cannot watch: options must be an object");
  }
  const max = options?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (
    typeof max !== "number" ||
    !(max === Infinity || (Number.isSafeInteger(max) && max >= 1))
  ) {
    throw new RangeError(
      `Cannot watch: maxAttempts must be a positive integer or Infinity, received ${max}`,
    );
  }
  return max;
}

/**
 * Runs `fn` under WATCH `keys` on a leased connection until its transaction
 * commits, it ends without one, or `maxAttempts` attempts found a watched key
 * changed (then a WatchError). Resolves with what `fn` returned.
 */
export async function runWatch<V, T>(
  host: WatchHost<V>,
  keys: readonly RedisArg[],
  fn: (tx: V) => T | PromiseLike<T>,
  maxAttempts: number,
): Promise<T> {
  const connection = await leaseWithin(host.leases, host.limits, keys);
  const watch = internal(WATCH, keys.slice(), host.db);
  const unwatch = internal(UNWATCH, [], host.db);
  let clean = false;
  try {
    for (let attempt = 1;; attempt++) {
      await connection.send(watch, host.limits);
      const session = new Session(connection, host.report);
      let value: T | undefined;
      let failure: { error: unknown } | undefined;
      try {
        value = await fn(host.view(session));
      } catch (error) {
        failure = { error };
      }
      session.end();
      // A transaction the callback did not wait for decides the outcome too.
      const exec = await session.exec;
      if (exec === "aborted") {
        if (attempt < maxAttempts) continue;
        clean = true;
        throw new WatchError(
          `Cannot commit the transaction: a watched key changed before EXEC in each of ${attempt} ${
            attempt === 1 ? "attempt" : "attempts"
          } (maxAttempts), so nothing of it ran`,
          { cause: failure?.error },
        );
      }
      if (exec === "none") {
        // No EXEC ended the WATCH: end it, or the connection is not reused.
        try {
          await connection.send(unwatch, host.limits);
          clean = true;
        } catch (error) {
          failure ??= { error };
        }
      } else {
        // An EXEC the server did not answer may leave MULTI or WATCH
        // behind: that connection is closed, not reused.
        clean = exec === "ended";
      }
      if (failure !== undefined) throw failure.error;
      return value as T;
    }
  } finally {
    host.leases.release(connection, clean);
  }
}

/**
 * A leased connection, waited for within the view's limits: when every
 * lease is taken (or a new one is still opening), the wait gives up at the
 * timeout or the signal, as a command waiting to be written does, and a
 * lease that comes after is handed back unused.
 */
function leaseWithin(
  leases: Leases,
  limits: Limits | undefined,
  keys: readonly RedisArg[],
): Promise<Connection> {
  const timeout = limits?.timeout;
  const signal = limits?.signal;
  if (timeout === undefined && signal === undefined) return leases.lease(keys);
  if (signal?.aborted) return Promise.reject(asError(signal.reason));
  return new Promise((resolve, reject) => {
    let done = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = (): boolean => {
      if (done) return false;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      return true;
    };
    const onAbort = () => {
      if (settle()) reject(asError(signal!.reason));
    };
    if (timeout !== undefined) {
      timer = setTimeout(() => {
        if (!settle()) return;
        reject(
          new TimeoutError(
            `Cannot watch: no connection could be leased within ${timeout} ms, so nothing was sent`,
            { mayHaveExecuted: false },
          ),
        );
      }, timeout);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    leases.lease(keys).then((connection) => {
      // Given up already: nothing was sent on it, so it goes back clean.
      if (settle()) resolve(connection);
      else leases.release(connection, true);
    }, (error: unknown) => {
      if (settle()) reject(error);
    });
  });
}

/** A request the watch machinery sends itself. */
function internal(cmd: Command, args: RedisArg[], db: number): Request {
  return { command: cmd, args, db, binary: false, bigint: false, decode: ok };
}

/**
 * How the transaction of one attempt ended: none was sent; EXEC ran it or
 * refused it (EXECABORT), either way ending the WATCH; EXEC answered nil (a
 * watched key changed); or EXEC was not answered (the connection, a limit).
 */
type Outcome = "none" | "ended" | "aborted" | "failed";

/**
 * One attempt's view of the leased connection: requests pass through while
 * the callback runs, and are refused once it has ended (the connection may
 * be someone else's by then). It lets one transaction through, and records
 * how it ended.
 */
class Session implements Connection {
  readonly #connection: Connection;
  readonly #report: (error: Error, command: string) => void;
  #ended = false;
  /** How the transaction ended, once it has; "none" without one. */
  exec: Promise<Outcome> = Promise.resolve("none");
  #transactions = 0;

  constructor(
    connection: Connection,
    report: (error: Error, command: string) => void,
  ) {
    this.#connection = connection;
    this.#report = report;
  }

  get protocol(): 2 | 3 {
    return this.#connection.protocol;
  }

  get databases(): number | undefined {
    return this.#connection.databases;
  }

  get serverVersion(): string | undefined {
    return this.#connection.serverVersion;
  }

  get closed(): boolean {
    return this.#ended || this.#connection.closed;
  }

  get ready(): boolean {
    return !this.#ended && this.#connection.ready;
  }

  /** The callback has ended: refuse whatever comes later. */
  end(): void {
    this.#ended = true;
  }

  send(request: Request, limits?: Limits): Promise<unknown> {
    if (this.#ended) return Promise.reject(endedError(request));
    if (blocks(request)) return Promise.reject(blockingError(request));
    return this.#connection.send(request, limits);
  }

  sendVoid(request: Request, limits?: Limits): void {
    // The router reports the leased connection's fire-and-forget failures.
    if (this.#ended) this.#report(endedError(request), request.command.name);
    else if (blocks(request)) {
      this.#report(blockingError(request), request.command.name);
    } else this.#connection.sendVoid(request, limits);
  }

  sendBatch(requests: readonly Request[], limits?: Limits): Promise<Settled[]> {
    const first = requests[0];
    if (first === undefined) return Promise.resolve([]);
    let refusal: Error | undefined;
    if (this.#ended) {
      refusal = endedError(first);
    } else if (first.command === MULTI && this.#transactions++ > 0) {
      // EXEC ended the WATCH: a second transaction would not be protected.
      refusal = new TypeError(
        "Cannot exec: a watch() callback runs one transaction (its EXEC ended the WATCH); return, and call watch() again",
      );
    }
    if (refusal !== undefined) {
      const error = refusal;
      return Promise.resolve(requests.map(() => ({ ok: false, error })));
    }
    const settled = this.#connection.sendBatch(requests, limits);
    if (first.command === MULTI) {
      this.exec = settled.then((results) => {
        const exec = results[results.length - 1]!;
        if (requests[requests.length - 1]!.command !== EXEC) return "failed";
        if (exec.ok) return exec.value === null ? "aborted" : "ended";
        // EXECABORT: EXEC discarded the transaction, and ended the WATCH.
        const error = exec.error;
        return error instanceof ReplyError && error.code === "EXECABORT"
          ? "ended"
          : "failed";
      });
    }
    return settled;
  }

  sendBatchVoid(requests: readonly Request[], limits?: Limits): void {
    if (!this.#ended) {
      this.#connection.sendBatchVoid(requests, limits);
      return;
    }
    for (const request of requests) {
      this.#report(endedError(request), request.command.name);
    }
  }

  listen(_listener: ConnectionListener): () => void {
    return () => {};
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Whether a request would block (only the table's commands have routing bits). */
function blocks(request: Request): boolean {
  return request.command.route !== undefined && request.command.route !== 0 &&
    isBlocking(request.command as Command, request.args);
}

/**
 * A blocking command in a callback would hold the WATCH's connection, and
 * could not be unblocked from elsewhere: refused.
 */
function blockingError(request: Request): TypeError {
  return new TypeError(
    `Cannot send ${request.command.name} in a watch() callback: it would block the callback's connection; call it outside the callback (it then waits on a dedicated connection), or in tx.multi(), where it does not block`,
  );
}

function endedError(request: Request): TypeError {
  return new TypeError(
    `Cannot send ${request.command.name}: the watch() callback it was given to has ended`,
  );
}
