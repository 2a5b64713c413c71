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
import { Admission, type AdmissionHost } from "./admission.ts";
import { Backlog, type BacklogHost, expiredError, waiting } from "./backlog.ts";
import type { ConnectionConfig } from "./config.ts";
import {
  type ConnectionListener,
  type Limits,
  Listeners,
  type Request,
  type Settled,
  type StreamConnection,
} from "./connection.ts";
import { connectSocket, reconnect } from "./connect.ts";
import { HealthCheck, type HealthHost, watchDrain } from "./health.ts";
import {
  Rejection,
  rejection,
  type Resolve,
  settleEach,
} from "./pending_queue.ts";

import {
  FULL,
  PROBING,
  type Socket,
  type SocketHost,
  WRITTEN,
} from "./socket.ts";
import { asError } from "./_util.ts";
import {
  type ConnectionStats,
  type Counted,
  Counters,
  statsOf,
} from "./counters.ts";
import type { Observer } from "../observe.ts";

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
export class SocketConnection implements StreamConnection, Counted {
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
  readonly #admission: Admission;
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
  /** Where replies no command waits for go, once given over to a stream. */
  #stream: ((value: RespValue) => void) | undefined;
  /** The per-command hooks, when the client has any. */
  readonly #observer: Observer | undefined;
  /** What the connection is for (stats, hooks). */
  readonly #role: string;
  /** Whether a socket was ever ready (a later one is a reconnection). */
  #wasReady = false;
  /** Its figures, kept across sockets (see ConnectionStats). */
  readonly counters: Counters = new Counters();

  private constructor(config: ConnectionConfig) {
    this.#config = config;
    this.#address = config.address;
    this.#observer = config.hooks;
    this.#role = config.role ??
      (config.subscriber === undefined ? "shared" : "subscriber");
    this.#backlog = new Backlog(this.#backlogHost, config);
    this.#admission = new Admission(this.#admissionHost, this.#backlog);
    config.stats?.add(this);
  }

  /** Its figures now. */
  stats(): ConnectionStats {
    const socket = this.#socket;
    return statsOf(
      this.#role,
      socket?.address ?? this.#address,
      this.counters,
      socket === undefined || socket.dead ? 0 : socket.inFlight,
      this.#backlog.live,
    );
  }

  /**
   * Opens the socket and runs the handshake (see handshake.ts), all in one
   * write. The first connection fails fast; later ones are retried per the
   * `reconnect` policy.
   *
   * @throws {ConnectionError} The socket could not be opened or failed.
   * @throws {ReplyError} The server refused the credentials, name or database.
   * @throws {TimeoutError} Nothing of this finished within `connectTimeout`.
   * @throws The reason of `signal`, aborted meanwhile: the attempt is given
   * up at once.
   */
  static async open(
    config: ConnectionConfig,
    signal?: AbortSignal,
  ): Promise<SocketConnection> {
    const connection = new SocketConnection(config);
    const abort = () => connection.#shutdown(undefined);
    signal?.addEventListener("abort", abort, { once: true });
    try {
      signal?.throwIfAborted();
      await connection.#connect();
    } catch (error) {
      connection.#state = CLOSED;
      config.stats?.retire(connection);
      await Promise.all(connection.#loops);
      throw signal?.aborted ? signal.reason : error;
    } finally {
      signal?.removeEventListener("abort", abort);
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

  /** {@inheritDoc StreamConnection.stream} */
  stream(onReply: (value: RespValue) => void): void {
    this.#stream = onReply;
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
    if (this.#observer !== undefined) {
      this.#observed(request, limits, resolve, false);
      return promise;
    }
    // The fast path: nothing waits and no limit needs checking. The same
    // steps as #sendSettled, kept inline here: calling it measured 2-3%
    // slower on GET x 1,000 (within an A/A control's noise, so not taken).
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
      if (offered !== WRITTEN) {
        this.#admission.wait(waiting(request, resolve));
      }
      return promise;
    }
    const error = this.#admission.sendSlowly(request, resolve, limits);
    return error === undefined ? promise : Promise.reject(error);
  }

  /**
   * Sends a request whose outcome goes to `resolve`: its decoded reply, or a
   * `Rejection` (pending_queue.ts) holding its error. For a router that acts
   * on a failure before its caller sees it (a cluster's MOVED) without a
   * promise of its own per command. Returns the error when the request is
   * refused at once (`resolve` is then never called).
   */
  sendSettled(
    request: Request,
    limits: Limits | undefined,
    resolve: Resolve,
  ): Error | undefined {
    const observer = this.#observer;
    if (observer !== undefined) {
      // A request refused at once is the caller's through the returned
      // error only: its end is reported, `resolve` is never called.
      let forward: Resolve | null = resolve;
      const done = observer.start(
        request,
        this.#serverAddress(),
        this.#role,
        (value) => forward?.(value),
        false,
      );
      const error = this.#sendSettled(request, limits, done);
      if (error !== undefined) {
        forward = null;
        done(rejection(error));
      }
      return error;
    }
    return this.#sendSettled(request, limits, resolve);
  }

  #sendSettled(
    request: Request,
    limits: Limits | undefined,
    resolve: Resolve,
  ): Error | undefined {
    if (
      limits === undefined && this.#state === READY && this.#backlog.live === 0
    ) {
      let offered;
      try {
        offered = this.#socket!.offer(request, resolve);
      } catch (error) {
        return asError(error);
      }
      if (offered !== WRITTEN) {
        this.#admission.wait(waiting(request, resolve));
      }
      return undefined;
    }
    return this.#admission.sendSlowly(request, resolve, limits);
  }

  /**
   * {@linkcode SocketConnection.send} of a request whose failure goes to
   * the connection's `retake` (its configuration's) before its caller: an
   * error reply, or the socket lost. Only when nothing waits and no hooks
   * observe: returns undefined otherwise, having done nothing. A cluster
   * router's fast path (a request in database 0, unlimited).
   */
  sendRetaken(request: Request): Promise<unknown> | undefined {
    if (!this.#retakes()) return undefined;
    let resolve!: Resolve;
    const promise = new Promise<unknown>((settle) => {
      resolve = settle;
    });
    const offered = this.#offerRetaken(request, resolve);
    if (offered === FULL) return undefined;
    return offered instanceof Error ? Promise.reject(offered) : promise;
  }

  /**
   * {@linkcode SocketConnection.sendVoid} by the way of
   * {@linkcode SocketConnection.sendRetaken}: returns false, having done
   * nothing, when it cannot.
   */
  sendVoidRetaken(request: Request): boolean {
    if (!this.#retakes()) return false;
    const offered = this.#offerRetaken(request, null);
    if (offered === FULL) return false;
    if (offered instanceof Error) {
      this.#listeners.error(offered, request.command.name);
    }
    return true;
  }

  /** Whether a request can be sent with retake now. */
  #retakes(): boolean {
    return this.#state === READY && this.#backlog.live === 0 &&
      this.#observer === undefined;
  }

  /**
   * Offers a request flagged for retake: FULL when there is no room
   * (nothing done), the error when it cannot be encoded (nothing queued).
   */
  #offerRetaken(request: Request, resolve: Resolve | null): number | Error {
    let offered;
    try {
      offered = this.#socket!.offer(request, resolve, undefined, true);
    } catch (error) {
      return asError(error);
    }
    // A probe SELECT went out (never in database 0 of a node's connection):
    // it waits, without retake.
    if (offered === PROBING) this.#admission.wait(waiting(request, resolve));
    return offered;
  }

  /** Sends a request whose reply is dropped; every failure goes to `error` listeners. */
  sendVoid(request: Request, limits?: Limits): void {
    if (this.#observer !== undefined) {
      const name = request.command.name;
      this.#observed(request, limits, this.#reportFailure(name), true);
      return;
    }
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
      this.#admission.wait(waiting(request, null));
      return;
    }
    const error = this.#admission.sendSlowly(request, null, limits);
    if (error !== undefined) {
      this.#listeners.error(error, request.command.name);
    }
  }

  /**
   * Sends requests as one unit (see {@linkcode Connection.sendBatch}):
   * resolves with each request's outcome once all are settled.
   */
  sendBatch(requests: readonly Request[], limits?: Limits): Promise<Settled[]> {
    const { resolves: settle, settled } = settleEach(requests.length);
    const resolves = this.#observer?.startBatch(
      requests,
      this.#serverAddress(),
      this.#role,
      settle,
      false,
    ) ?? settle;
    if (this.#state >= CLOSING) {
      const error = this.#closedError();
      for (const settle of resolves) settle(rejection(error));
    } else if (requests.length > 0) {
      this.#admission.batch(requests, resolves, limits);
    }
    return settled;
  }

  /** {@linkcode SocketConnection.sendBatch} with every reply dropped. */
  sendBatchVoid(requests: readonly Request[], limits?: Limits): void {
    if (requests.length === 0) return;
    const observer = this.#observer;
    if (observer !== undefined) {
      // Each failure goes to the listeners, as without hooks.
      const report = requests.map((r) => this.#reportFailure(r.command.name));
      const resolves = observer.startBatch(
        requests,
        this.#serverAddress(),
        this.#role,
        report,
        true,
      );
      if (this.#state >= CLOSING) {
        const error = this.#closedError();
        for (const done of resolves) done(rejection(error));
        return;
      }
      this.#admission.batch(requests, resolves, limits);
      return;
    }
    if (this.#state >= CLOSING) {
      const error = this.#closedError();
      for (const r of requests) this.#listeners.error(error, r.command.name);
      return;
    }
    this.#admission.batch(requests, null, limits);
  }

  // --- with hooks -----------------------------------------------------------

  /** The server of the current socket, else the configured one. */
  #serverAddress(): string {
    return this.#socket?.address ?? this.#address;
  }

  /** A resolve that sends a failure to the `error` listeners, as for fire-and-forget. */
  #reportFailure(name: string): Resolve {
    return (value: unknown) => {
      if (value instanceof Rejection) this.#listeners.error(value.error, name);
    };
  }

  /**
   * Sends a request with hooks: its end is reported, then its outcome goes
   * to `resolve`, a request refused at once included. For send() (`resolve`
   * settles the caller's promise) and sendVoid() (`resolve` reports a
   * failure to the listeners, so a lost socket reports each lost command,
   * not one count).
   */
  #observed(
    request: Request,
    limits: Limits | undefined,
    resolve: Resolve,
    fireAndForget: boolean,
  ): void {
    const done = this.#observer!.start(
      request,
      this.#serverAddress(),
      this.#role,
      resolve,
      fireAndForget,
    );
    const error = this.#sendSettled(request, limits, done);
    if (error !== undefined) done(rejection(error));
  }

  // --- the socket's and the backlog's owner ----------------------------------

  readonly #socketHost: SocketHost = {
    counters: this.counters,
    error: (error, command) => this.#listeners.error(error, command),
    push: (data: RespValue[]) => this.#listeners.push(data),
    unmatched: (value) => {
      const stream = this.#stream;
      if (stream === undefined) return false;
      stream(value);
      return true;
    },
    failed: (socket, error) => this.#socketFailed(socket, error),
    writable: () => this.#admission.admit(),
    refused: (_, db, error) => this.#admission.refused(db, error),
    // Only commands sent with sendRetaken, which needs config.retake, ask.
    retake: (error, request, resolve) =>
      this.#config.retake!(error, request, resolve),
  };

  readonly #admissionHost: AdmissionHost = {
    ready: () => this.#state === READY,
    closed: () => this.#state >= CLOSING,
    socket: () => this.#socket,
    writing: () => {
      const socket = this.#socket;
      return socket !== undefined && !socket.dead &&
          (this.#state === READY || this.#state === CLOSING)
        ? socket
        : undefined;
    },
    closedError: () => this.#closedError(),
    shrank: () => {
      if (this.#state === CLOSING) this.#checkDrained();
    },
  };

  readonly #backlogHost: BacklogHost = {
    blocked: () =>
      this.#state !== READY || this.#socket === undefined ||
      this.#socket.blocked(),
    admit: () => this.#admission.admit(),
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

  /**
   * Closes at once, without waiting for replies: the socket is closed and
   * every command still pending or waiting is rejected with `error` (those
   * written flagged as maybe executed). For a connection whose reply may
   * never come, or must reach no one: a blocked command that could not be
   * unblocked. Idempotent.
   *
   * @param error Why: a `ConnectionError`.
   */
  destroy(error: ConnectionError): void {
    this.#shutdown(error);
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
      // Given up between its handshake and now (the server closed it, or a
      // Sentinel locator dropped it): this attempt failed.
      if (this.#socket !== socket || this.#state !== CONNECTING) {
        throw this.#failure ?? this.#closedError();
      }
      this.protocol = result.protocol;
      this.serverVersion = result.serverVersion;
      if (result.databases !== undefined) this.databases = result.databases;
      this.#state = READY;
      this.#failure = undefined;
      if (this.#wasReady) this.counters.reconnects++;
      this.#wasReady = true;
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
      sleep: (delay) => {
        let stop: (() => void) | undefined;
        return new Promise<void>((wake) => {
          this.#retryWake = wake;
          this.#retryTimer = setTimeout(wake, delay);
          // A failover (Sentinel) is worth trying at once.
          stop = this.#config.locator?.moved(wake);
        }).finally(() => {
          stop?.();
          this.#retryTimer = undefined;
          this.#retryWake = undefined;
        });
      },
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
    // Its figures are final (the socket's losses counted): into the totals.
    this.#config.stats?.retire(this);
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
