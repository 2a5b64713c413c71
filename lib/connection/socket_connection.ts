// One connection shared by every caller, over one socket at a time: its
// lifecycle (connecting, ready, closing, closed), the requests that must wait
// to be written, and reconnection. A request is written the moment it is
// issued when nothing blocks it (socket.ts); otherwise it waits in order in
// the backlog (backlog.ts). When a socket dies, what it had been given is
// rejected (never re-sent) and a new socket is opened with backoff
// (connect.ts); its handshake runs before any waiting request is written.
// Knows nothing of typed commands.

import { ConnectionError } from "../errors.ts";
import type { RespValue } from "../resp/types.ts";
import {
  Backlog,
  type BacklogHost,
  expiredError,
  refusedError,
  type Waiting,
  waiting,
} from "./backlog.ts";
import type { ConnectionConfig } from "./config.ts";
import {
  type Connection,
  type ConnectionListener,
  type Limits,
  Listeners,
  type Request,
  type Settled,
} from "./connection.ts";
import { connectSocket, reconnect } from "./connect.ts";
import { HealthCheck, type HealthHost, watchDrain } from "./health.ts";
import { rejection, type Resolve, settleEach } from "./pending_queue.ts";

/**
 * A request to keep: callers of send() and sendVoid() may reuse theirs once
 * the call returns (see RequestSink in connection.ts).
 */
function copy(request: Request): Request {
  return {
    command: request.command,
    args: request.args,
    db: request.db,
    binary: request.binary,
    decode: request.decode,
  };
}
import { type Socket, type SocketHost, WRITTEN } from "./socket.ts";
import { asError } from "./_util.ts";

/** A socket is up and past its handshake. */
const READY = 0;
/** No usable socket: opening one, in its handshake, or waiting to retry. */
const CONNECTING = 1;
/** close() was called: draining, taking nothing new. */
const CLOSING = 2;
/** Closed for good. */
const CLOSED = 3;

/**
 * The {@linkcode Connection} over one socket at a time. Create it with
 * {@linkcode SocketConnection.open}, which resolves once the first handshake
 * is done.
 */
export class SocketConnection implements Connection {
  /** 2 or 3, as negotiated. */
  protocol: 2 | 3 = 2;
  /** Number of databases the server has, when CONFIG GET told us. */
  databases: number | undefined;
  /** The server version from HELLO, when known. */
  serverVersion: string | undefined;

  readonly #config: ConnectionConfig;
  readonly #address: string;
  readonly #listeners = new Listeners();
  readonly #backlog: Backlog;
  #state = CONNECTING;
  /** Why it closed for good, or the last socket failure while connecting. */
  #failure: Error | undefined;
  /** The current socket (ready, or in its handshake). */
  #socket: Socket | undefined;
  #health: HealthCheck | undefined;
  #drained: PromiseWithResolvers<void> | undefined;
  #stopDrainWatch: (() => void) | undefined;
  #loops = new Set<Promise<void>>();
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #retryWake: (() => void) | undefined;
  #attempt: AbortController | undefined;

  private constructor(config: ConnectionConfig) {
    this.#config = config;
    this.#address = config.address;
    this.#backlog = new Backlog(this.#backlogHost, config);
  }

  /**
   * Opens the socket and runs the handshake (see handshake.ts), all in one
   * write. The first connection fails fast; later ones are retried per the
   * `reconnect` policy.
   *
   * @throws {ConnectionError} The socket could not be opened or failed.
   * @throws {ReplyError} The server refused the credentials, name or database.
   * @throws {TimeoutError} Nothing of this finished within `connectTimeout`.
   */
  static async open(config: ConnectionConfig): Promise<SocketConnection> {
    const connection = new SocketConnection(config);
    try {
      await connection.#connect();
    } catch (error) {
      connection.#state = CLOSED;
      await Promise.all(connection.#loops);
      throw error;
    }
    return connection;
  }

  /** Whether it has stopped taking commands. */
  get closed(): boolean {
    return this.#state >= CLOSING;
  }

  /** Whether a socket is up and past its handshake. */
  get ready(): boolean {
    return this.#state === READY;
  }

  /** Adds a listener; returns the function that removes it. */
  listen(listener: ConnectionListener): () => void {
    return this.#listeners.add(listener);
  }

  // --- requests ----------------------------------------------------------------

  /** Sends a request and resolves with its (decoded) reply. */
  send(request: Request, limits?: Limits): Promise<unknown> {
    // Only the resolving function is kept: a failure resolves the promise
    // with a thenable that rejects. That spares a reject function (64 bytes
    // of heap) per command in flight. `new Promise` with an inline executor
    // rather than Promise.withResolvers: the optimiser inlines it and skips
    // the result object (100,000 promises made, resolved and awaited in
    // 30-40% less time).
    let resolve!: Resolve;
    const promise = new Promise<unknown>((settle) => {
      resolve = settle;
    });
    // The fast path: nothing waits and no limit needs checking.
    if (
      limits === undefined && this.#state === READY && this.#backlog.live === 0
    ) {
      let offered;
      try {
        offered = this.#socket!.offer(request, resolve);
      } catch (error) {
        return Promise.reject(asError(error));
      }
      // No room, or a probe SELECT went out for its database: it waits.
      if (offered !== WRITTEN) this.#wait(waiting(copy(request), resolve));
      return promise;
    }
    if (this.#state >= CLOSING) return Promise.reject(this.#closedError());
    // A signal can fire before the coalesced write, so such requests are
    // checked at write time; so are timeouts on requests that must wait. A
    // timeout alone on a request written now cannot fire before its write
    // (that runs in this tick's microtasks): it becomes a deadline in the
    // reply FIFO, with no timer or backlog entry of its own.
    const timeout = limits?.timeout;
    const socket = this.#socket;
    const ready = this.#canWrite(request.db);
    if (
      limits !== undefined &&
      (limits.signal !== undefined ||
        (timeout !== undefined &&
          (!ready || !socket!.acceptsDeadline(timeout))))
    ) {
      this.#addLimited(waiting(copy(request), resolve), limits);
      return promise;
    }
    if (!ready) {
      this.#wait(waiting(copy(request), resolve));
    } else {
      try {
        socket!.write(request, resolve, timeout);
      } catch (error) {
        return Promise.reject(asError(error));
      }
    }
    return promise;
  }

  /** Sends a request whose reply is dropped; every failure goes to `error` listeners. */
  sendVoid(request: Request, limits?: Limits): void {
    // The fast path: nothing waits and no limit needs checking.
    if (
      limits === undefined && this.#state === READY && this.#backlog.live === 0
    ) {
      let offered;
      try {
        offered = this.#socket!.offer(request, null);
      } catch (error) {
        this.#listeners.error(asError(error), request.command.name);
        return;
      }
      if (offered === WRITTEN) return;
      // No room, or a probe SELECT went out for its database: it waits.
      this.#wait(waiting(copy(request), null));
      return;
    }
    if (this.#state >= CLOSING) {
      this.#listeners.error(this.#closedError(), request.command.name);
      return;
    }
    const ready = this.#canWrite(request.db);
    // A limit on a fire-and-forget request ends at its write: one that need
    // not wait and has no signal is written at once like any other.
    if (
      limits !== undefined &&
      (limits.signal !== undefined || (limits.timeout !== undefined && !ready))
    ) {
      this.#addLimited(waiting(copy(request), null), limits);
      return;
    }
    if (!ready) {
      this.#wait(waiting(copy(request), null));
      return;
    }
    try {
      this.#socket!.write(request, null);
    } catch (error) {
      this.#listeners.error(asError(error), request.command.name);
    }
  }

  /**
   * Sends requests as one unit (see {@linkcode Connection.sendBatch}):
   * resolves with each request's outcome once all are settled.
   */
  sendBatch(requests: readonly Request[], limits?: Limits): Promise<Settled[]> {
    const { resolves, settled } = settleEach(requests.length);
    if (this.#state >= CLOSING) {
      const error = this.#closedError();
      for (const settle of resolves) settle(rejection(error));
    } else if (requests.length > 0) {
      this.#batch(requests, resolves, limits);
    }
    return settled;
  }

  /** {@linkcode SocketConnection.sendBatch} with every reply dropped. */
  sendBatchVoid(requests: readonly Request[], limits?: Limits): void {
    if (requests.length === 0) return;
    if (this.#state >= CLOSING) {
      const error = this.#closedError();
      for (const r of requests) this.#listeners.error(error, r.command.name);
      return;
    }
    this.#batch(requests, null, limits);
  }

  #batch(
    requests: readonly Request[],
    resolves: (Resolve | null)[] | null,
    limits: Limits | undefined,
  ): void {
    const ready = this.#canWriteAll(requests);
    const timeout = limits?.timeout;
    if (
      limits !== undefined &&
      (limits.signal !== undefined ||
        (timeout !== undefined &&
          (!ready || !this.#socket!.acceptsDeadline(timeout))))
    ) {
      // The limit's own timer covers the batch, written or not: no deadline.
      // A fire-and-forget batch's limit ends at its write, as a command's.
      this.#addLimited(
        waiting(requests[0]!, null, undefined, requests, resolves),
        limits,
      );
      return;
    }
    // Written now, a promise batch's timeout becomes a deadline per request;
    // a fire-and-forget batch, like a fire-and-forget command, keeps none.
    const entry = waiting(
      requests[0]!,
      null,
      resolves === null ? undefined : timeout,
      requests,
      resolves,
    );
    if (!ready) {
      this.#wait(entry);
    } else {
      this.#writeEntry(this.#socket!, entry);
    }
  }

  /**
   * Whether a request for `db` can be written now. When only its database
   * stands in the way (not yet confirmed on this socket), a probe SELECT
   * goes out, and the request waits for its answer.
   */
  #canWrite(db: number): boolean {
    if (this.#backlog.live > 0 || this.#state !== READY) return false;
    const socket = this.#socket!;
    if (socket.blocked()) return false;
    return db === socket.db || socket.enter(db);
  }

  /** {@linkcode SocketConnection.#canWrite} for every database of a batch. */
  #canWriteAll(requests: readonly Request[]): boolean {
    if (this.#backlog.live > 0 || this.#state !== READY) return false;
    const socket = this.#socket!;
    return !socket.blocked() && socket.enterAll(requests);
  }

  #wait(entry: Waiting): void {
    this.#backlog.add(entry);
    this.#socket?.flushSoon();
  }

  #addLimited(entry: Waiting, limits: Limits): void {
    this.#backlog.addLimited(entry, limits);
    this.#socket?.flushSoon();
  }

  /** Writes a waiting entry (taken from the backlog, or new); never throws. */
  #writeEntry(socket: Socket, entry: Waiting): void {
    try {
      if (entry.batch === null) {
        socket.write(entry.request, entry.resolve, entry.timeout);
      } else {
        socket.writeBatch(entry.batch, entry.resolves, entry.timeout);
      }
    } catch (error) {
      this.#backlog.fail(entry, asError(error));
    }
  }

  /** Moves waiting requests to the socket, in order, while nothing blocks them. */
  #admit(): void {
    const socket = this.#socket;
    if (
      socket === undefined || socket.dead ||
      (this.#state !== READY && this.#state !== CLOSING)
    ) {
      return;
    }
    const backlog = this.#backlog;
    for (;;) {
      const entry = backlog.head();
      if (entry === undefined || socket.blocked()) break;
      // Its database may need a probe first: it then stays at the head.
      const ok = entry.batch === null
        ? entry.request.db === socket.db || socket.enter(entry.request.db)
        : socket.enterAll(entry.batch);
      if (!ok) break;
      this.#writeEntry(socket, backlog.take());
      if (socket.dead) return;
    }
    backlog.compact();
    if (this.#state === CLOSING) this.#checkDrained();
  }

  /**
   * A probe SELECT to `db` was refused: every request waiting for that
   * database fails with a ReplyError saying so; nothing was sent for them,
   * and the socket carries on for everyone else.
   */
  #refused(db: number, error: Error): void {
    this.#backlog.reject(
      (entry) =>
        entry.batch === null
          ? entry.request.db === db
          : entry.batch.some((r) => r.db === db),
      (entry) => refusedError(entry, db, error),
    );
  }

  // --- the socket's and the backlog's owner ----------------------------------

  readonly #socketHost: SocketHost = {
    error: (error, command) => this.#listeners.error(error, command),
    push: (data: RespValue[]) => this.#listeners.push(data),
    failed: (socket, error) => this.#socketFailed(socket, error),
    writable: () => this.#admit(),
    refused: (_, db, error) => this.#refused(db, error),
  };

  readonly #backlogHost: BacklogHost = {
    blocked: () =>
      this.#state !== READY || this.#socket === undefined ||
      this.#socket.blocked(),
    admit: () => this.#admit(),
    error: (error, command) => this.#listeners.error(error, command),
    expired: (limit) =>
      expiredError(
        limit,
        this.#address,
        this.#socket !== undefined && this.#state !== CONNECTING,
        this.#failure,
      ),
    shrank: () => {
      if (this.#state === CLOSING) this.#checkDrained();
    },
  };

  readonly #healthHost: HealthHost = {
    failed: (socket, error) => this.#socketFailed(socket, error),
    waiting: () => this.#backlog.live > 0,
    ready: () => this.#state === READY,
  };

  // --- closing ---------------------------------------------------------------

  /**
   * Stops taking commands, waits for every reply, then closes the socket.
   * While disconnected, waiting commands are rejected instead (they were
   * never sent) and reconnection stops.
   */
  async close(): Promise<void> {
    if (this.#state === READY) {
      this.#state = CLOSING;
      const socket = this.#socket!;
      if (socket.pending > 0 || this.#backlog.live > 0) {
        this.#drained = Promise.withResolvers<void>();
        socket.flushSoon();
        this.#stopDrainWatch = watchDrain(
          socket,
          this.#healthHost,
          this.#config.connectTimeout,
          this.#address,
        );
        await this.#drained.promise;
      }
      if (this.#state === CLOSING) this.#shutdown(undefined);
    } else if (this.#state === CONNECTING) {
      this.#shutdown(undefined);
    } else if (this.#state === CLOSING) {
      await this.#drained?.promise;
    }
    while (this.#loops.size > 0) await Promise.all(this.#loops);
  }

  #checkDrained(): void {
    if ((this.#socket?.pending ?? 0) === 0 && this.#backlog.live === 0) {
      this.#drained?.resolve();
    }
  }

  // --- connecting --------------------------------------------------------------

  /**
   * One connection attempt: socket, handshake, then the waiting requests.
   * Throws when it fails; the socket is then gone.
   */
  async #connect(): Promise<void> {
    const controller = new AbortController();
    this.#attempt = controller;
    try {
      const result = await connectSocket(this.#config, this.#socketHost, {
        signal: controller.signal,
        opened: (socket) => {
          this.#socket = socket;
          this.#track(socket.loop);
          this.#listeners.connect();
        },
        current: (socket) =>
          this.#socket === socket && this.#state === CONNECTING,
        failure: () => this.#failure ?? this.#closedError(),
      });
      const socket = result.socket;
      this.protocol = result.protocol;
      this.serverVersion = result.serverVersion;
      if (result.databases !== undefined) this.databases = result.databases;
      this.#state = READY;
      this.#failure = undefined;
      const interval = this.#config.pingInterval;
      if (interval !== undefined) {
        this.#health = new HealthCheck(
          socket,
          this.#healthHost,
          interval,
          this.#config.connectTimeout,
          this.#address,
        );
      }
      this.#listeners.ready();
      socket.flushSoon();
    } finally {
      if (this.#attempt === controller) this.#attempt = undefined;
    }
  }

  #track(loop: Promise<void>): void {
    this.#loops.add(loop);
    void loop.finally(() => this.#loops.delete(loop));
  }

  /** Retries with backoff until connected, closed, or out of attempts. */
  #reconnect(cause: Error): Promise<void> {
    return reconnect(cause, this.#config, {
      connecting: () => this.#state === CONNECTING,
      attempt: () => this.#connect(),
      reconnecting: (attempt, delay) =>
        this.#listeners.reconnecting(attempt, delay),
      failed: (error) => {
        this.#failure = error;
        this.#listeners.error(error, undefined);
      },
      giveUp: (error) => this.#shutdown(error),
      sleep: (delay) =>
        new Promise<void>((wake) => {
          this.#retryWake = wake;
          this.#retryTimer = setTimeout(wake, delay);
        }).finally(() => {
          this.#retryTimer = undefined;
          this.#retryWake = undefined;
        }),
    });
  }

  // --- teardown --------------------------------------------------------------

  /**
   * `socket` failed: give it up (rejecting what it was given, flagging what
   * may have run), and reconnect unless that is off or closing.
   */
  #socketFailed(socket: Socket, error: Error): void {
    if (this.#socket !== socket || socket.dead) return;
    this.#socket = undefined;
    this.#health?.stop();
    this.#health = undefined;
    const lost = socket.fail(error);
    this.#failure = error;
    if (this.#state === READY) {
      if (this.#config.reconnect === null) {
        this.#shutdown(error, lost);
        return;
      }
      this.#state = CONNECTING;
      this.#reportLost(lost);
      // Listeners may have closed the client: no disconnect after "close".
      if (this.#state !== CONNECTING) return;
      this.#listeners.disconnect(error);
      if (this.#state !== CONNECTING) return;
      this.#track(this.#reconnect(error));
    } else if (this.#state === CLOSING) {
      this.#shutdown(error, lost);
    } else {
      // CONNECTING: the attempt in progress sees its handshake fail.
      this.#reportLost(lost);
    }
  }

  #reportLost(lost: Error[]): void {
    for (const error of lost) this.#listeners.error(error, undefined);
  }

  /** Closes for good: rejects everything still pending or waiting. Idempotent. */
  #shutdown(error: Error | undefined, lost: Error[] = []): void {
    if (this.#state === CLOSED) return;
    this.#state = CLOSED;
    this.#failure = error;
    this.#health?.stop();
    this.#health = undefined;
    this.#stopDrainWatch?.();
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryWake?.();
    // The socket goes first, so the attempt's abort finds it gone and does
    // not record a failure: this is a close, not one.
    const socket = this.#socket;
    this.#socket = undefined;
    const closed = error ?? this.#closedError();
    if (socket !== undefined) lost.push(...socket.fail(closed));
    this.#attempt?.abort(this.#closedError());
    const notSent = closed instanceof ConnectionError && !closed.mayHaveExecuted
      ? closed
      : new ConnectionError(`${closed.message} (the command was not sent)`, {
        cause: closed,
      });
    const dropped = this.#backlog.clear(notSent);
    this.#drained?.resolve();
    if (dropped !== undefined) lost.push(dropped);
    this.#reportLost(lost);
    // Drops counted in this tick are reported before "close".
    this.#backlog.reportDropped();
    if (error !== undefined) this.#listeners.error(error, undefined);
    this.#listeners.close(error);
  }

  #closedError(): ConnectionError {
    if (this.#failure !== undefined && this.#state === CLOSED) {
      return new ConnectionError(
        `Cannot send command: the connection to ${this.#address} failed: ${this.#failure.message}`,
        { cause: this.#failure },
      );
    }
    return new ConnectionError(`Cannot send command: the client is closed`);
  }
}
