// redis.monitor(): MONITOR on a connection of its own. Opens a dedicated
// connection through the router, sends MONITOR on it, and yields the
// server's lines, parsed (monitor_line.ts), in the order it wrote them. The
// lines wait in a bounded buffer until asked for. Ends, closing the
// connection for good, on close(), `break`, an abort, or the connection's
// loss (then with an error: MONITOR is not resumed on a new connection).

import type { Bulk } from "./commands/_executor.ts";
import { command } from "./commands/_command.ts";
import { ok } from "./commands/_reply.ts";
import type { StreamConnection } from "./connection/connection.ts";
import { ConnectionError, ReplyError, UnexpectedReplyError } from "./errors.ts";
import { type MonitorLine, parseMonitorLine } from "./monitor_line.ts";
import type { RespValue } from "./resp/types.ts";
import type { Dedicated } from "./routing/router.ts";

const MONITOR = command("MONITOR");

/** The default of {@linkcode MonitorOptions.maxBuffered}. */
export const DEFAULT_MAX_BUFFERED = 100_000;

/** Buffered lines already taken, past which the buffer is compacted. */
const COMPACT_AFTER = 1024;

/**
 * Options of {@linkcode RedisView.monitor}.
 *
 * @example Usage
 * ```ts
 * import { connect, type MonitorOptions } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const options: MonitorOptions = { signal: AbortSignal.timeout(5_000), maxBuffered: 1_000 };
 * await using monitor = await redis.monitor(options);
 * console.log(monitor.dropped); // → 0
 * ```
 */
export interface MonitorOptions {
  /**
   * Aborting it ends the monitor at once: its connection is closed, lines
   * not yet taken are dropped, and the loop's next `next()` rejects with the
   * signal's reason (as does `monitor()` itself, when aborted before the
   * server acknowledged MONITOR).
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
  /**
   * Lines kept while the loop does not ask for them; lines arriving while
   * that many wait are dropped (the server does not slow down for a monitor)
   * and counted in {@linkcode Monitor.dropped}. A positive integer, or
   * `Infinity`.
   *
   * @default {100000}
   */
  maxBuffered?: number;
}

/**
 * One pending `next()`. Typed with any bulk type: a field typed with the
 * monitor's would make `Monitor<string>` unassignable to `Monitor<Bulk>`.
 */
type Waiter = PromiseWithResolvers<
  IteratorResult<MonitorLine<Bulk>, undefined>
>;

/** The result of an ended iteration. */
const DONE: IteratorReturnResult<undefined> = Object.freeze({
  done: true,
  value: undefined,
});

/**
 * The commands the server runs, as a `MONITOR` connection sees them: an
 * async iterator of {@linkcode MonitorLine}s, in the server's order. Get one
 * with {@linkcode RedisView.monitor}.
 *
 * It owns a connection of its own; `close()`, `break` out of a `for await`,
 * `await using`, an abort of its signal and the client's `close()` all end
 * it and close that connection. A loop iterates it once: `break` ends it
 * for good.
 *
 * @typeParam B The type of the lines' `args`: `string`, or `Uint8Array` from
 * a `binary` view.
 *
 * @example Usage
 * ```ts
 * import { connect } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * await using monitor = await redis.monitor();
 * await redis.db(2).incr("visits");
 * for await (const { db, command, args } of monitor) {
 *   console.log(db, command, args); // → 2 "INCR" ["visits"]
 *   break;
 * }
 * ```
 */
export class Monitor<B extends Bulk = string>
  implements AsyncIterableIterator<MonitorLine<B>, undefined>, AsyncDisposable {
  readonly #connection: StreamConnection;
  readonly #binary: boolean;
  readonly #maxBuffered: number;
  readonly #signal: AbortSignal | undefined;
  /** Lines not yet taken: those from `#head` on. */
  #lines: string[] = [];
  #head = 0;
  readonly #waiters: Waiter[] = [];
  #dropped = 0;
  /** Taking lines; then ending (an outcome still to report), then done. */
  #state: "open" | "ending" | "done" = "open";
  /** What the iteration ends with once the lines are taken: an error, or none. */
  #outcome: { error: unknown } | undefined;
  #closed: Promise<void> | undefined;
  readonly #onAbort = () => this.#end({ error: this.#signal!.reason }, true);

  /**
   * Constructs a new instance over a connection MONITOR is about to be sent
   * on. Use {@linkcode RedisView.monitor} instead.
   *
   * @ignore
   */
  constructor(
    connection: StreamConnection,
    binary: boolean,
    maxBuffered: number,
    signal: AbortSignal | undefined,
  ) {
    this.#connection = connection;
    this.#binary = binary;
    this.#maxBuffered = maxBuffered;
    this.#signal = signal;
    connection.stream((value) => this.#receive(value));
    connection.listen({
      close: (error) =>
        this.#end(
          error === undefined ? undefined : { error: lostError(error) },
          false,
        ),
    });
    signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  /**
   * Lines dropped so far because {@linkcode MonitorOptions.maxBuffered}
   * lines were waiting for the loop.
   */
  get dropped(): number {
    return this.#dropped;
  }

  /** Whether it has ended: nothing more is read (lines still buffered may be taken). */
  get closed(): boolean {
    return this.#state !== "open";
  }

  /**
   * The next line, once the server has written one; `done` once the monitor
   * ended, after the lines it had buffered.
   *
   * @returns The next line.
   * @throws {ConnectionError} The connection was lost (after the lines that
   * arrived before); the monitor has ended.
   * @throws {UnexpectedReplyError} The server wrote something that is not a
   * MONITOR line; the monitor has ended.
   */
  next(): Promise<IteratorResult<MonitorLine<B>, undefined>> {
    if (this.#head < this.#lines.length) {
      const line = this.#take();
      try {
        return Promise.resolve({ done: false, value: this.#parse(line) });
      } catch (error) {
        return Promise.reject(error);
      }
    }
    if (this.#state === "ending") {
      this.#state = "done";
      const outcome = this.#outcome;
      this.#outcome = undefined;
      return outcome === undefined
        ? Promise.resolve(DONE)
        : Promise.reject(outcome.error);
    }
    if (this.#state === "done") return Promise.resolve(DONE);
    const waiter: Waiter = Promise.withResolvers();
    this.#waiters.push(waiter);
    // The lines it is resolved with are parsed for B (#binary).
    return waiter.promise as Promise<IteratorResult<MonitorLine<B>, undefined>>;
  }

  /**
   * Ends the monitor, as {@linkcode Monitor.close} does; called by `break`.
   *
   * @returns The end of the iteration.
   */
  async return(): Promise<IteratorResult<MonitorLine<B>, undefined>> {
    await this.close();
    return DONE;
  }

  /**
   * Ends the monitor: lines not yet taken are dropped, a pending `next()`
   * resolves `done`, and the connection is closed. Safe to call more than
   * once.
   *
   * @returns Resolves once the connection is closed.
   */
  close(): Promise<void> {
    this.#end(undefined, true);
    return this.#closed!;
  }

  /** Closes the monitor, as {@linkcode Monitor.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Returns itself: a monitor is iterated once. */
  [Symbol.asyncIterator](): this {
    return this;
  }

  /** A reply with no command waiting: a line, or the stream's end. */
  #receive(value: RespValue): void {
    if (this.#state !== "open") return;
    if (typeof value !== "string") {
      const error = value instanceof ReplyError
        ? value
        : new UnexpectedReplyError(
          `Cannot read MONITOR line: expected a simple string, received ${
            describe(value)
          }`,
          "MONITOR",
        );
      this.#end({ error }, false);
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter === undefined) {
      if (this.#lines.length - this.#head >= this.#maxBuffered) {
        this.#dropped++;
      } else {
        this.#lines.push(value);
      }
      return;
    }
    // Someone waits, so nothing is buffered.
    try {
      waiter.resolve({ done: false, value: this.#parse(value) });
    } catch (error) {
      waiter.reject(error);
    }
  }

  /** Parses a line; a malformed one ends the monitor, and is thrown. */
  #parse(line: string): MonitorLine<B> {
    try {
      return parseMonitorLine(line, this.#binary) as MonitorLine<B>;
    } catch (error) {
      this.#end(undefined, true);
      throw new UnexpectedReplyError(
        error instanceof Error ? error.message : String(error),
        "MONITOR",
        { cause: error },
      );
    }
  }

  /** The oldest buffered line. */
  #take(): string {
    const lines = this.#lines;
    const line = lines[this.#head++]!;
    if (this.#head === lines.length) {
      this.#lines = [];
      this.#head = 0;
    } else if (this.#head >= COMPACT_AFTER && this.#head * 2 >= lines.length) {
      this.#lines = lines.slice(this.#head);
      this.#head = 0;
    }
    return line;
  }

  /**
   * Stops reading and closes the connection (once). The outcome (an error,
   * or none for a normal end) is reported after the buffered lines, or at
   * once with them dropped when `discard`.
   */
  #end(outcome: { error: unknown } | undefined, discard: boolean): void {
    if (this.#state !== "open") {
      if (discard && this.#state === "ending") {
        // close() after a loss: nothing more to report.
        this.#lines = [];
        this.#head = 0;
        this.#state = "done";
        this.#outcome = undefined;
      }
      return;
    }
    this.#state = "ending";
    this.#outcome = outcome;
    this.#signal?.removeEventListener("abort", this.#onAbort);
    this.#closed = this.#connection.close();
    if (discard) {
      this.#lines = [];
      this.#head = 0;
    }
    // Waiters exist only while nothing is buffered.
    const waiters = this.#waiters.splice(0);
    if (waiters.length === 0) return;
    this.#state = "done";
    this.#outcome = undefined;
    const [first, ...rest] = waiters;
    if (outcome === undefined) first!.resolve(DONE);
    else first!.reject(outcome.error);
    for (const waiter of rest) waiter.resolve(DONE);
  }
}

/** The error a lost connection ends a monitor with. */
function lostError(error: Error): ConnectionError {
  return new ConnectionError(
    `Cannot read MONITOR lines: ${error.message} (lines from then on are not seen; call monitor() again)`,
    { cause: error },
  );
}

/** A short name of a reply's type, for messages (never its content). */
function describe(value: RespValue): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value instanceof Uint8Array) return "a bulk string";
  if (value instanceof Map) return "a map";
  if (value instanceof Set) return "a set";
  return typeof value;
}

/**
 * Checks the options of monitor() before anything is opened.
 *
 * @returns The buffer bound.
 */
export function checkMonitor(options: MonitorOptions | undefined): number {
  if (options !== undefined && (typeof options !== "object" || !options)) {
    throw new TypeError("Cannot monitor: options must be an object");
  }
  const signal = options?.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError("Cannot monitor: signal must be an AbortSignal");
  }
  const max = options?.maxBuffered ?? DEFAULT_MAX_BUFFERED;
  if (
    typeof max !== "number" ||
    !(max === Infinity || (Number.isSafeInteger(max) && max >= 1))
  ) {
    throw new RangeError(
      `Cannot monitor: maxBuffered must be a positive integer or Infinity, received ${max}`,
    );
  }
  return max;
}

/**
 * Opens a dedicated connection, sends MONITOR on it, and resolves once the
 * server acknowledged it: every command the server runs from then on is a
 * line of the monitor.
 *
 * @param dedicated Where the connection comes from.
 * @param db The database MONITOR is sent in (it sees every database).
 * @param binary Arguments as `Uint8Array`.
 * @param options The checked options.
 * @param maxBuffered Their buffer bound, checked.
 */
export async function openMonitor<B extends Bulk>(
  dedicated: Dedicated,
  db: number,
  binary: boolean,
  options: MonitorOptions | undefined,
  maxBuffered: number,
): Promise<Monitor<B>> {
  const signal = options?.signal;
  signal?.throwIfAborted();
  const connection = await dedicated.dedicated();
  const monitor = new Monitor<B>(connection, binary, maxBuffered, signal);
  try {
    // Aborted while it opened: the monitor closed it already.
    signal?.throwIfAborted();
    await connection.send(
      {
        command: MONITOR,
        args: [],
        db,
        binary: false,
        bigint: false,
        decode: ok,
      },
      signal === undefined ? undefined : { signal },
    );
  } catch (error) {
    await monitor.close();
    throw error;
  }
  return monitor;
}
