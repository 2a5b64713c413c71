// Between the client and its connections: owns the connections and picks one
// per request. Today: the shared multiplexed connection; the connections
// leased whole to one watch() caller at a time (kept in a small idle pool
// between callers); and the pool of dedicated connections blocking commands
// run on (blocking.ts), chosen by the routing bits of the request's command
// (its spec) and its arguments; and the connections given over to one caller
// for good (MONITOR), never pooled; and the subscriber connections
// (subscriber.ts: one for string views and one for binary views, each opened
// by its first subscribe()). One connection per cluster node comes here too.
// Speaks the same request interface as a connection, so the client cannot
// tell them apart.

import { type Command, isBlocking } from "../commands/_command.ts";
import type { RedisArg } from "../resp/encoder.ts";
import type { ConnectionConfig } from "../connection/config.ts";
import type {
  Connection,
  ConnectionListener,
  Limits,
  Request,
  Settled,
  StreamConnection,
} from "../connection/connection.ts";
import { SocketConnection } from "../connection/socket_connection.ts";
import { rejection, type Resolve } from "../connection/pending_queue.ts";
import { BlockingCalls } from "./blocking.ts";
import { Pool } from "./pool.ts";
import { ConnectionError } from "../errors.ts";
import { Subscriber, type Subscribers } from "./subscriber.ts";

/** Leased connections kept open, idle, for the next watch() caller. */
export const MAX_IDLE_LEASES = 4;
/** Leased connections open at once; callers beyond it wait. */
export const MAX_LEASES = 16;
/** The default of `maxBlockingConnections`. */
export const DEFAULT_MAX_BLOCKING_CONNECTIONS = 16;
/** The default of `blockingIdleTimeout`, in milliseconds. */
export const DEFAULT_BLOCKING_IDLE_TIMEOUT = 30_000;

/** Hands out connections for one caller's exclusive use. */
export interface Leases {
  /**
   * A connection of its own for the caller, until it gives it back with
   * {@linkcode Leases.release}: an idle one, or a new one with the client's
   * configuration that never reconnects (a WATCH does not survive a new
   * socket: a lost one fails the caller instead). `keys` are the keys the
   * caller will WATCH (a cluster leases on the node serving their slot).
   */
  lease(keys?: readonly RedisArg[]): Promise<Connection>;
  /**
   * Takes a leased connection back: kept idle for the next caller when
   * `clean` (no WATCH or MULTI left on it) and there is room, closed otherwise.
   */
  release(connection: Connection, clean: boolean): void;
}

/**
 * The bounds of the pool of dedicated connections blocking commands run on
 * (the `maxBlockingConnections` and `blockingIdleTimeout` options).
 */
export interface RouterOptions {
  /** Dedicated connections open at once for blocking commands. */
  readonly maxBlockingConnections?: number;
  /** Milliseconds an idle dedicated connection is kept open. */
  readonly blockingIdleTimeout?: number;
}

/** Opens connections given over to one caller for good. */
export interface Dedicated {
  /**
   * A new connection for the caller alone, for as long as it wants it (a
   * MONITOR takes its connection over): opened with the client's
   * configuration, but never reconnecting (what the caller set up on it
   * would not survive a new socket) and without health-check PINGs (a PING
   * would take the next line of a stream as its reply). Not counted among
   * leases, never pooled: the caller closes it, and so does the client's
   * close().
   */
  dedicated(): Promise<StreamConnection>;
}

/** The {@linkcode Connection} a client talks to. */
export class Router implements Connection, Leases, Dedicated, Subscribers {
  readonly #shared: SocketConnection;
  /** Connections leased to watch() callers; undefined without a configuration. */
  readonly #leases: Pool<SocketConnection> | undefined;
  /** Blocking commands; undefined without a configuration. */
  readonly #blocking: BlockingCalls | undefined;
  readonly #listeners = new Set<ConnectionListener>();
  /** What dedicated connections are opened with; undefined: none can be. */
  readonly #config: ConnectionConfig | undefined;
  /** Dedicated connections open now (closed with the client). */
  readonly #dedicated = new Set<StreamConnection>();
  /** The subscribers of string views [0] and binary views [1], once made. */
  readonly #subscribers: (Subscriber | undefined)[] = [undefined, undefined];
  #closed = false;

  /**
   * Constructs a new instance over an open shared connection.
   *
   * @param shared The multiplexed connection every request goes to, but
   * blocking commands.
   * @param config The configuration leased and dedicated connections are
   * opened with; without it, nothing can be leased, and blocking commands go
   * to the shared connection.
   * @param options The bounds of the blocking commands' pool.
   */
  constructor(
    shared: SocketConnection,
    config?: ConnectionConfig,
    options: RouterOptions = {},
  ) {
    this.#shared = shared;
    this.#config = config;
    if (config === undefined) return;
    const leaseConfig: ConnectionConfig = {
      ...config,
      reconnect: null,
      role: "watch",
    };
    this.#leases = new Pool({
      max: MAX_LEASES,
      maxIdle: MAX_IDLE_LEASES,
      idleTimeout: Infinity,
      maxQueued: Infinity,
      queueTimeout: Infinity,
      what: "leased connections",
      bound: "MAX_LEASES",
      action: () => "lease a connection",
      open: async () => {
        const connection = await SocketConnection.open(leaseConfig);
        // A watch() callback's fire-and-forget failures are the client's.
        connection.listen({
          error: (error, command) => {
            if (command !== undefined) this.#reportError(error, command);
          },
        });
        return connection;
      },
    });
    this.#blocking = new BlockingCalls(
      shared,
      config,
      {
        maxConnections: options.maxBlockingConnections ??
          DEFAULT_MAX_BLOCKING_CONNECTIONS,
        idleTimeout: options.blockingIdleTimeout ??
          DEFAULT_BLOCKING_IDLE_TIMEOUT,
      },
      { error: (error, command) => this.#reportError(error, command) },
    );
  }

  /**
   * Opens the shared connection (its first handshake included).
   *
   * @param config The connection's configuration.
   * @param options The bounds of the blocking commands' pool.
   */
  static async open(
    config: ConnectionConfig,
    options?: RouterOptions,
  ): Promise<Router> {
    return new Router(await SocketConnection.open(config), config, options);
  }

  /** The protocol of the shared connection. */
  get protocol(): 2 | 3 {
    return this.#shared.protocol;
  }

  /** Number of databases the server has, when it told us. */
  get databases(): number | undefined {
    return this.#shared.databases;
  }

  /** The server version, when known. */
  get serverVersion(): string | undefined {
    return this.#shared.serverVersion;
  }

  /** Whether it has stopped taking requests. */
  get closed(): boolean {
    return this.#shared.closed;
  }

  /** Whether the shared connection is up and past its handshake. */
  get ready(): boolean {
    return this.#shared.ready;
  }

  /**
   * Sends a request on the connection that serves it. The test for a
   * blocking command is one property of its command (0 for nearly all).
   */
  send(request: Request, limits?: Limits): Promise<unknown> {
    if (!request.command.route) return this.#shared.send(request, limits);
    const blocking = this.#blocking;
    if (blocking === undefined || !blocks(request)) {
      return this.#shared.send(request, limits);
    }
    return blocking.send(request, limits);
  }

  /**
   * {@linkcode SocketConnection.sendSettled} on the connection that serves
   * the request.
   */
  sendSettled(
    request: Request,
    limits: Limits | undefined,
    resolve: Resolve,
  ): Error | undefined {
    const blocking = this.#blocking;
    if (
      request.command.route && blocking !== undefined && blocks(request)
    ) {
      blocking.send(request, limits).then(
        resolve,
        (error: Error) => resolve(rejection(error)),
      );
      return undefined;
    }
    return this.#shared.sendSettled(request, limits, resolve);
  }

  /**
   * {@linkcode SocketConnection.sendRetaken} on the shared connection; for
   * a command routed elsewhere (a blocking one), or when the connection
   * cannot, returns undefined, having done nothing.
   */
  sendRetaken(request: Request): Promise<unknown> | undefined {
    return request.command.route
      ? undefined
      : this.#shared.sendRetaken(request);
  }

  /**
   * {@linkcode SocketConnection.sendVoidRetaken} on the shared connection;
   * false, having done nothing, where {@linkcode Router.sendRetaken} would
   * return undefined.
   */
  sendVoidRetaken(request: Request): boolean {
    return !request.command.route && this.#shared.sendVoidRetaken(request);
  }

  /** Sends a fire-and-forget request on the connection that serves it. */
  sendVoid(request: Request, limits?: Limits): void {
    if (!request.command.route) {
      this.#shared.sendVoid(request, limits);
      return;
    }
    const blocking = this.#blocking;
    if (blocking === undefined || !blocks(request)) {
      this.#shared.sendVoid(request, limits);
      return;
    }
    blocking.sendVoid(request, limits);
  }

  /**
   * Sends a batch, whole, on the shared connection. Blocking commands do
   * not block inside a transaction; `pipeline()` refuses them.
   */
  sendBatch(requests: readonly Request[], limits?: Limits): Promise<Settled[]> {
    if (requests.length === 0) return Promise.resolve([]);
    return this.#shared.sendBatch(requests, limits);
  }

  /** {@linkcode Router.sendBatch} with every reply dropped. */
  sendBatchVoid(requests: readonly Request[], limits?: Limits): void {
    if (requests.length === 0) return;
    this.#shared.sendBatchVoid(requests, limits);
  }

  /**
   * Adds a listener to the shared connection; leased and dedicated
   * connections report to it only the failures of their fire-and-forget
   * commands (their own connects and closes are their caller's business).
   * Returns the function that removes it.
   */
  listen(listener: ConnectionListener): () => void {
    this.#listeners.add(listener);
    const remove = this.#shared.listen(listener);
    return () => {
      this.#listeners.delete(listener);
      remove();
    };
  }

  #reportError(error: Error, command: string): void {
    for (const listener of this.#listeners) listener.error?.(error, command);
  }

  /** {@inheritDoc Leases.lease} */
  lease(): Promise<Connection> {
    const leases = this.#leases;
    if (leases === undefined) {
      return Promise.reject(
        new ConnectionError(
          "Cannot lease a connection: no configuration to open one",
        ),
      );
    }
    return leases.acquire("WATCH");
  }

  /** {@inheritDoc Leases.release} */
  release(connection: Connection, clean: boolean): void {
    this.#leases?.release(connection as SocketConnection, clean);
  }

  /**
   * Closes every connection, each after its replies are in: the shared one,
   * every leased one (a watch() callback still running then fails), every
   * dedicated one (a monitor then ends), and the subscriber connections
   * (every subscription ends). Blocking commands still waiting are unblocked first (through the shared
   * connection, still open for that) and rejected with a `ConnectionError`,
   * unless their pop won the race.
   */
  async close(): Promise<void> {
    this.#closed = true;
    // In this order, at once: the UNBLOCKs of blocked commands are written
    // on the shared connection before its close stops taking commands.
    const blocking = this.#blocking?.close();
    await Promise.all([
      this.#shared.close(),
      this.#leases?.close(),
      blocking,
      ...[...this.#dedicated].map((connection) => connection.close()),
      ...this.#subscribers.map((subscriber) => subscriber?.close()),
    ]);
    // What the connections' locator keeps open (Sentinel connections).
    await this.#config?.locator?.close();
  }

  /** {@inheritDoc Subscribers.subscriber} */
  subscriber(binary: boolean): Subscriber {
    const i = binary ? 1 : 0;
    return this.#subscribers[i] ??= new Subscriber(
      binary,
      this.#config?.db ?? 0,
      () => this.#openSubscriber(binary),
    );
  }

  /**
   * Opens a subscriber connection: the client's configuration (it
   * reconnects as the shared connection does), its pub/sub frames decoded
   * as text or as bytes.
   */
  #openSubscriber(binary: boolean): Promise<Connection> {
    const config = this.#config;
    if (config === undefined) {
      return Promise.reject(
        new ConnectionError(
          "Cannot subscribe: no configuration to open a subscriber connection",
        ),
      );
    }
    if (this.#closed) {
      return Promise.reject(
        new ConnectionError("Cannot subscribe: the client is closed"),
      );
    }
    return SocketConnection.open({
      ...config,
      subscriber: binary ? "binary" : "text",
    });
  }

  /** {@inheritDoc Dedicated.dedicated} */
  async dedicated(): Promise<StreamConnection> {
    const config = this.#config;
    if (this.#closed) throw dedicatedError("the client is closed");
    if (config === undefined) {
      throw dedicatedError("no configuration to open one");
    }
    const connection = await SocketConnection.open({
      ...config,
      reconnect: null,
      pingInterval: undefined,
      role: "monitor",
    });
    // The client closed while it opened.
    if (this.#closed) {
      await connection.close();
      throw dedicatedError("the client is closed");
    }
    this.#dedicated.add(connection);
    connection.listen({
      close: () => this.#dedicated.delete(connection),
    });
    return connection;
  }
}

function dedicatedError(reason: string): ConnectionError {
  return new ConnectionError(`Cannot open a dedicated connection: ${reason}`);
}

/** Whether a request whose command has routing bits blocks (XREAD: with BLOCK). */
function blocks(request: Request): boolean {
  // Only the command table's Commands have routing bits.
  return isBlocking(request.command as Command, request.args);
}
