// A bounded pool of connections, each used by one caller at a time: the
// connections watch() leases, and those blocking commands run on. Opened
// lazily; idle ones kept for the next caller (a few, for a while); callers
// beyond the bound wait in order, bounded like the shared connection's
// backlog (maxQueued, queueTimeout) and cancelled by a signal. Knows nothing
// of what a caller does with its connection.

import type { Connection } from "../connection/connection.ts";
import { asError } from "../connection/_util.ts";
import { ConnectionError, TimeoutError } from "../errors.ts";

/** A connection a pool can hand out, and close at once. */
export interface Dedicated extends Connection {
  /**
   * Closes at once, rejecting whatever is pending with `error` (see
   * `SocketConnection.destroy`).
   */
  destroy(error: ConnectionError): void;
}

/** The bounds and the opener of a {@linkcode Pool}. */
export interface PoolOptions<C extends Dedicated> {
  /** Connections open at once, idle or handed out; callers beyond it wait. */
  readonly max: number;
  /** Idle connections kept for the next caller. */
  readonly maxIdle: number;
  /** Milliseconds an idle connection is kept; `Infinity` until the close. */
  readonly idleTimeout: number;
  /** Callers that may wait for a connection; more are refused. */
  readonly maxQueued: number;
  /** Milliseconds a caller may wait; `Infinity` for no limit. */
  readonly queueTimeout: number;
  /** What the connections are, for messages: `"blocking connections"`. */
  readonly what: string;
  /** The option that bounds them, for messages: `"maxBlockingConnections"`. */
  readonly bound: string;
  /** What a caller named `name` cannot do once closed: `"send BLPOP"`. */
  action(name: string): string;
  /** Opens a connection (its failure is the caller's). */
  open(): Promise<C>;
}

/** What a waiting caller is handed when a place (not a connection) is freed. */
const ROOM: unique symbol = Symbol("room");

/** A caller waiting for a connection. */
interface Waiter<C> {
  /** Its command, for messages. */
  readonly name: string;
  readonly handed: PromiseWithResolvers<C | typeof ROOM>;
  /** Drops its timer and abort listener. */
  readonly release: () => void;
}

/** Connections for one caller at a time; see the file's comment. */
export class Pool<C extends Dedicated> {
  readonly #options: PoolOptions<C>;
  /** Connections open now, idle or handed out. */
  readonly #all = new Set<C>();
  /** Idle connections, the most recently used last. */
  readonly #idle: C[] = [];
  /** Timers closing idle connections. */
  readonly #idleTimers = new Map<C, ReturnType<typeof setTimeout>>();
  /** Callers waiting while {@linkcode PoolOptions.max} are out, oldest first. */
  readonly #waiting = new Set<Waiter<C>>();
  /** Connections being opened (or places kept for a waiting caller). */
  #opening = 0;
  #closed = false;

  /**
   * Constructs a new instance; opens nothing.
   *
   * @param options The bounds and the opener.
   */
  constructor(options: PoolOptions<C>) {
    this.#options = options;
  }

  /**
   * A connection for the caller alone, until it gives it back with
   * {@linkcode Pool.release}: an idle one, a new one, or, when
   * {@linkcode PoolOptions.max} are out, the first one given back or the
   * first place freed after the callers already waiting.
   *
   * @param name The caller's command, for messages.
   * @param signal Stops the wait: rejects with its reason.
   * @throws {ConnectionError} The pool is closed, `maxQueued` callers
   * already wait, or a connection could not be opened.
   * @throws {TimeoutError} It waited `queueTimeout`.
   */
  async acquire(name: string, signal?: AbortSignal): Promise<C> {
    if (this.#closed) throw this.#closedError(name);
    if (signal?.aborted) throw asError(signal.reason);
    for (;;) {
      const idle = this.#idle.pop();
      if (idle === undefined) break;
      this.#stopIdleTimer(idle);
      // Closed while idle (the server dropped it): forget it.
      if (!idle.closed) return idle;
      this.#all.delete(idle);
    }
    if (this.#all.size + this.#opening < this.#options.max) {
      this.#opening++;
      return await this.#open(name);
    }
    const handed = await this.#wait(name, signal);
    // ROOM: a connection was closed, and its place was kept for this caller.
    return handed === ROOM ? await this.#open(name) : handed;
  }

  /** Waits in line for a connection or a place. */
  #wait(
    name: string,
    signal: AbortSignal | undefined,
  ): Promise<C | typeof ROOM> {
    const options = this.#options;
    if (this.#waiting.size >= options.maxQueued) {
      return Promise.reject(
        new ConnectionError(
          `Cannot queue ${name}: ${options.maxQueued} commands are already waiting (maxQueued) for one of the ${options.max} ${options.what} (${options.bound}), all in use`,
        ),
      );
    }
    const handed = Promise.withResolvers<C | typeof ROOM>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const leave = (error: Error) => {
      if (!this.#waiting.delete(waiter)) return;
      release();
      handed.reject(error);
    };
    const onAbort = () => leave(asError(signal!.reason));
    const release = () => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    const waiter: Waiter<C> = { name, handed, release };
    const limit = options.queueTimeout;
    if (Number.isFinite(limit)) {
      timer = setTimeout(
        () =>
          leave(
            new TimeoutError(
              `Cannot send ${name}: it waited ${limit} ms (queueTimeout) for one of the ${options.max} ${options.what} (${options.bound}), all in use`,
            ),
          ),
        limit,
      );
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    this.#waiting.add(waiter);
    return handed.promise;
  }

  /** The oldest waiting caller, taken out of the line. */
  #next(): Waiter<C> | undefined {
    for (const waiter of this.#waiting) {
      this.#waiting.delete(waiter);
      waiter.release();
      return waiter;
    }
    return undefined;
  }

  /** Opens a connection in a place already counted in `#opening`. */
  async #open(name: string): Promise<C> {
    let connection: C;
    try {
      if (this.#closed) throw this.#closedError(name);
      connection = await this.#options.open();
    } catch (error) {
      this.#opening--;
      this.#makeRoom();
      throw error;
    }
    this.#opening--;
    this.#all.add(connection);
    // The pool closed while it opened.
    if (this.#closed) {
      this.#all.delete(connection);
      await connection.close();
      throw this.#closedError(name);
    }
    return connection;
  }

  /**
   * Takes a connection back: handed to the oldest waiting caller, or kept
   * idle when there is room, if `clean` (nothing of its caller's left on it)
   * and open; closed otherwise.
   *
   * @param connection A connection {@linkcode Pool.acquire} gave.
   * @param clean Whether the next caller may use it as it is.
   */
  release(connection: C, clean: boolean): void {
    if (!this.#all.has(connection)) return;
    if (clean && !connection.closed && !this.#closed) {
      const waiter = this.#next();
      if (waiter !== undefined) {
        waiter.handed.resolve(connection);
        return;
      }
      if (this.#idle.length < this.#options.maxIdle) {
        this.#idle.push(connection);
        this.#startIdleTimer(connection);
        return;
      }
    }
    this.#all.delete(connection);
    void connection.close();
    this.#makeRoom();
  }

  /** A place was freed: the oldest waiter, if any, opens a connection in it. */
  #makeRoom(): void {
    const waiter = this.#next();
    if (waiter === undefined) return;
    this.#opening++;
    waiter.handed.resolve(ROOM);
  }

  #startIdleTimer(connection: C): void {
    const timeout = this.#options.idleTimeout;
    if (!Number.isFinite(timeout)) return;
    this.#idleTimers.set(
      connection,
      setTimeout(() => {
        this.#idleTimers.delete(connection);
        const at = this.#idle.indexOf(connection);
        if (at < 0) return;
        this.#idle.splice(at, 1);
        this.#all.delete(connection);
        void connection.close();
      }, timeout),
    );
  }

  #stopIdleTimer(connection: C): void {
    const timer = this.#idleTimers.get(connection);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#idleTimers.delete(connection);
  }

  /**
   * Closes every connection, each after its replies are in, and rejects
   * the waiting callers. A caller still holding a connection sees it close
   * under it.
   */
  async close(): Promise<void> {
    this.#closed = true;
    for (;;) {
      const waiter = this.#next();
      if (waiter === undefined) break;
      waiter.handed.reject(this.#closedError(waiter.name));
    }
    for (const timer of this.#idleTimers.values()) clearTimeout(timer);
    this.#idleTimers.clear();
    this.#idle.length = 0;
    await Promise.all([...this.#all].map((connection) => connection.close()));
  }

  #closedError(name: string): ConnectionError {
    return new ConnectionError(
      `Cannot ${this.#options.action(name)}: the client is closed`,
    );
  }
}
