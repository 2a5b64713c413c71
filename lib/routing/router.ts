// Between the client and its connections: owns the connections and picks one
// per request. Today: the shared multiplexed connection, the connections
// leased whole to one watch() caller at a time (kept in a small idle pool
// between callers), the connections given over to one caller for good
// (MONITOR), never pooled, and the subscriber connections (subscriber.ts:
// one for string views and one for binary views, each opened by its first
// subscribe()). The pool for blocking commands and one connection per
// cluster node come here, each chosen by the request's command (its spec)
// and arguments. Speaks the same request interface as a connection, so the
// client cannot tell them apart.

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
import { ConnectionError } from "../errors.ts";
import { Subscriber, type Subscribers } from "./subscriber.ts";

/** Leased connections kept open, idle, for the next watch() caller. */
export const MAX_IDLE_LEASES = 4;
/** Leased connections open at once; callers beyond it wait for one. */
export const MAX_LEASES = 16;

/** What a waiting caller is handed when a place (not a connection) is freed. */
const ROOM: unique symbol = Symbol("room");

/** Hands out connections for one caller's exclusive use. */
export interface Leases {
  /**
   * A connection of its own for the caller, until it gives it back with
   * {@linkcode Leases.release}: an idle one, or a new one with the client's
   * configuration that never reconnects (a WATCH does not survive a new
   * socket: a lost one fails the caller instead).
   */
  lease(): Promise<Connection>;
  /**
   * Takes a leased connection back: kept idle for the next caller when
   * `clean` (no WATCH or MULTI left on it) and there is room, closed otherwise.
   */
  release(connection: Connection, clean: boolean): void;
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
  readonly #shared: Connection;
  readonly #config: ConnectionConfig | undefined;
  /** Leased connections open now, idle or not. */
  readonly #leased = new Set<Connection>();
  /** Idle leased connections, the most recently used last. */
  readonly #idle: Connection[] = [];
  /** Callers waiting for a lease while {@linkcode MAX_LEASES} are out. */
  readonly #waiting: PromiseWithResolvers<Connection | typeof ROOM>[] = [];
  readonly #listeners = new Set<ConnectionListener>();
  /** Dedicated connections open now (closed with the client). */
  readonly #dedicated = new Set<StreamConnection>();
  /** Leased connections being opened (or places kept for a waiting caller). */
  #opening = 0;
  /** The subscribers of string views [0] and binary views [1], once made. */
  readonly #subscribers: (Subscriber | undefined)[] = [undefined, undefined];
  #closed = false;

  /**
   * Constructs a new instance over an open shared connection.
   *
   * @param shared The multiplexed connection every request goes to.
   * @param config The configuration leased connections are opened with;
   * without it, nothing can be leased.
   */
  constructor(shared: Connection, config?: ConnectionConfig) {
    this.#shared = shared;
    this.#config = config;
  }

  /**
   * Opens the shared connection (its first handshake included).
   *
   * @param config The connection's configuration.
   */
  static async open(config: ConnectionConfig): Promise<Router> {
    return new Router(await SocketConnection.open(config), config);
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

  /** The connection that serves `request`. */
  #pick(_request: Request): Connection {
    return this.#shared;
  }

  /** Sends a request on the connection that serves it. */
  send(request: Request, limits?: Limits): Promise<unknown> {
    return this.#pick(request).send(request, limits);
  }

  /** Sends a fire-and-forget request on the connection that serves it. */
  sendVoid(request: Request, limits?: Limits): void {
    this.#pick(request).sendVoid(request, limits);
  }

  /** Sends a batch, whole, on the connection that serves its first request. */
  sendBatch(requests: readonly Request[], limits?: Limits): Promise<Settled[]> {
    if (requests.length === 0) return Promise.resolve([]);
    return this.#pick(requests[0]!).sendBatch(requests, limits);
  }

  /** {@linkcode Router.sendBatch} with every reply dropped. */
  sendBatchVoid(requests: readonly Request[], limits?: Limits): void {
    if (requests.length === 0) return;
    this.#pick(requests[0]!).sendBatchVoid(requests, limits);
  }

  /**
   * Adds a listener to the shared connection; leased connections report to
   * it only the failures of their fire-and-forget commands (their own
   * connects and closes are their caller's business). Returns the function
   * that removes it.
   */
  listen(listener: ConnectionListener): () => void {
    this.#listeners.add(listener);
    const remove = this.#shared.listen(listener);
    return () => {
      this.#listeners.delete(listener);
      remove();
    };
  }

  /** {@inheritDoc Leases.lease} */
  async lease(): Promise<Connection> {
    if (this.#closed) throw leaseError("the client is closed");
    for (;;) {
      const idle = this.#idle.pop();
      if (idle === undefined) break;
      // Closed while idle (the server dropped it): forget it.
      if (!idle.closed) return idle;
      this.#leased.delete(idle);
    }
    if (this.#leased.size + this.#opening < MAX_LEASES) {
      this.#opening++;
      return await this.#open();
    }
    const waiter = Promise.withResolvers<Connection | typeof ROOM>();
    this.#waiting.push(waiter);
    const handed = await waiter.promise;
    // ROOM: a lease was closed, and its place was kept for this caller.
    return handed === ROOM ? await this.#open() : handed;
  }

  /** Opens a leased connection in a place already counted in `#opening`. */
  async #open(): Promise<Connection> {
    let connection: Connection;
    try {
      const config = this.#config;
      if (config === undefined) {
        throw leaseError("no configuration to open one");
      }
      if (this.#closed) throw leaseError("the client is closed");
      connection = await SocketConnection.open({ ...config, reconnect: null });
    } catch (error) {
      this.#opening--;
      this.#makeRoom();
      throw error;
    }
    this.#opening--;
    this.#leased.add(connection);
    connection.listen({
      error: (error, command) => {
        if (command === undefined) return;
        for (const listener of this.#listeners) {
          listener.error?.(error, command);
        }
      },
    });
    // The client closed while it opened.
    if (this.#closed) {
      this.#leased.delete(connection);
      await connection.close();
      throw leaseError("the client is closed");
    }
    return connection;
  }

  /** {@inheritDoc Leases.release} */
  release(connection: Connection, clean: boolean): void {
    if (!this.#leased.has(connection)) return;
    const waiter = this.#waiting[0];
    if (clean && !connection.closed && !this.#closed) {
      if (waiter !== undefined) {
        this.#waiting.shift();
        waiter.resolve(connection);
        return;
      }
      if (this.#idle.length < MAX_IDLE_LEASES) {
        this.#idle.push(connection);
        return;
      }
    }
    this.#leased.delete(connection);
    void connection.close();
    this.#makeRoom();
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

  /** A place was freed: the oldest waiter, if any, opens a connection in it. */
  #makeRoom(): void {
    const waiter = this.#waiting.shift();
    if (waiter === undefined) return;
    this.#opening++;
    waiter.resolve(ROOM);
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

  /**
   * Closes every connection, each after its replies are in: the shared one,
   * every leased one (a watch() callback still running then fails), every
   * dedicated one (a monitor then ends), and the subscriber connections
   * (every subscription ends).
   */
  async close(): Promise<void> {
    this.#closed = true;
    for (const waiter of this.#waiting.splice(0)) {
      waiter.reject(leaseError("the client is closed"));
    }
    this.#idle.length = 0;
    const leased = [...this.#leased];
    await Promise.all([
      this.#shared.close(),
      ...leased.map((connection) => connection.close()),
      ...this.#subscribers.map((subscriber) => subscriber?.close()),
      ...[...this.#dedicated].map((connection) => connection.close()),
    ]);
  }
}

function leaseError(reason: string): ConnectionError {
  return new ConnectionError(`Cannot lease a connection: ${reason}`);
}

function dedicatedError(reason: string): ConnectionError {
  return new ConnectionError(`Cannot open a dedicated connection: ${reason}`);
}
