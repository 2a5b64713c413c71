// Between the client and its connections: owns the connections and picks one
// per request. Today there is one, the shared multiplexed connection; the
// subscriber connection, the pool for blocking commands, connections leased
// to a WATCH caller and one connection per cluster node come here, each
// chosen by the request's command (its spec) and arguments. Speaks the same
// request interface as a connection, so the client cannot tell them apart.

import type { ConnectionConfig } from "../connection/config.ts";
import type {
  Connection,
  ConnectionListener,
  Limits,
  Request,
  Settled,
} from "../connection/connection.ts";
import { SocketConnection } from "../connection/socket_connection.ts";

/** The {@linkcode Connection} a client talks to. */
export class Router implements Connection {
  readonly #shared: Connection;

  /**
   * Constructs a new instance over an open shared connection.
   *
   * @param shared The multiplexed connection every request goes to.
   */
  constructor(shared: Connection) {
    this.#shared = shared;
  }

  /**
   * Opens the shared connection (its first handshake included).
   *
   * @param config The connection's configuration.
   */
  static async open(config: ConnectionConfig): Promise<Router> {
    return new Router(await SocketConnection.open(config));
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

  /** Adds a listener to every connection; returns the function that removes it. */
  listen(listener: ConnectionListener): () => void {
    return this.#shared.listen(listener);
  }

  /** Closes every connection, each after its replies are in. */
  close(): Promise<void> {
    return this.#shared.close();
  }
}
