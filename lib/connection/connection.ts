// The request interface between the client and its connections: what a
// request is, how a batch is settled, what a connection reports. The router
// and every connection speak it; nothing here touches a socket.

import type { RedisArg } from "../resp/encoder.ts";
import type { RespValue } from "../resp/types.ts";

/**
 * Checks the shape of a reply and turns it into the value a caller gets;
 * throws when the reply does not have that shape. The connection then rejects
 * that one caller (the frame was complete, so the stream is still in step).
 * `bigint` is the request's flag: integer replies are to become `bigint`s.
 * An `IntegerRangeError` it throws reaches the caller as it is.
 *
 * @typeParam T What the reply becomes.
 */
export type Decode<T> = (value: RespValue, bigint: boolean) => T;

/** What a request names of its command: enough to encode it and to name it. */
export interface RequestCommand {
  /** For messages: `"GET"`, `"CONFIG GET"`. */
  readonly name: string;
  /** The command's name token(s) as RESP bulk strings, encoded once. */
  readonly head: Uint8Array;
  /** How many name tokens `head` holds. */
  readonly tokens: number;
  /**
   * Where a router sends it: 0 or absent for the shared connection; bits
   * of the command table's `ROUTE_*` otherwise (a blocking command goes to
   * a dedicated connection). Connections ignore it.
   */
  readonly route?: number;
}

/** One command to run: what to send, where, and how to read its reply. */
export interface Request {
  /** The command (its name tokens). */
  readonly command: RequestCommand;
  /** Its arguments, after the name token(s). */
  readonly args: readonly RedisArg[];
  /** The database it runs in. */
  readonly db: number;
  /** Bulk strings of the reply come back as `Uint8Array`. */
  readonly binary: boolean;
  /** Integer replies come back as `bigint` (passed to `decode`). */
  readonly bigint: boolean;
  /** Shapes the reply; `null` passes the raw reply through. */
  readonly decode: Decode<unknown> | null;
}

/** Per-command limits of a `with()` view. */
export interface Limits {
  /** Milliseconds until the command is rejected with a `TimeoutError`. */
  readonly timeout?: number | undefined;
  /** Rejects the command with the signal's reason when aborted. */
  readonly signal?: AbortSignal | undefined;
}

/** How one request of a batch ended: its decoded reply, or its error. */
export type Settled =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: Error };

/**
 * What a connection reports to its owner. Every method is optional in a
 * listener; a connection may have several listeners.
 */
export interface ConnectionEvents {
  /** A fire-and-forget command failed, or the connection failed (`command` undefined). */
  error(error: Error, command: string | undefined): void;
  /** A RESP3 push frame arrived. */
  push(data: RespValue[]): void;
  /** A socket was opened (the handshake follows). */
  connect(): void;
  /** The handshake finished: commands flow. */
  ready(): void;
  /** The socket was lost; a reconnection follows. */
  disconnect(error: Error): void;
  /** Reconnection attempt `attempt` starts after `delay` ms. */
  reconnecting(attempt: number, delay: number): void;
  /** The connection is closed for good; `error` is set when it failed. */
  close(error: Error | undefined): void;
}

/** A listener: any subset of {@linkcode ConnectionEvents}. */
export type ConnectionListener = Partial<ConnectionEvents>;

/**
 * Takes requests: implemented by connections and by the router alike.
 *
 * `send()` and `sendVoid()` read their request during the call only: a
 * caller may fill the same object, and the same one-argument array, again
 * for its next request (the executors do, so that issuing a command
 * allocates no request object, nor an array for a one-argument command). An
 * array of more arguments is handed over: its caller never changes it
 * afterwards (a cluster node's connection keeps it, for a retry). What an
 * implementation keeps past the call (a request that must wait) it copies,
 * arguments included.
 * A batch's requests are kept until each is settled.
 */
export interface RequestSink {
  /** Sends a request and resolves with its (decoded) reply. */
  send(request: Request, limits?: Limits): Promise<unknown>;
  /** Sends a request whose reply is read and dropped; failures go to `error` listeners. */
  sendVoid(request: Request, limits?: Limits): void;
  /**
   * Sends requests as one unit: admitted, written (contiguously, with no
   * other caller's command in between), timed out and failed together. Each
   * request is still settled with its own reply; the promise resolves once
   * every one is, and never rejects.
   */
  sendBatch(requests: readonly Request[], limits?: Limits): Promise<Settled[]>;
  /** {@linkcode RequestSink.sendBatch} with every reply dropped; failures go to `error` listeners. */
  sendBatchVoid(requests: readonly Request[], limits?: Limits): void;
}

/** A multiplexed connection to one server (or a router over several). */
export interface Connection extends RequestSink {
  /** 2 or 3, as negotiated. */
  readonly protocol: 2 | 3;
  /** Number of databases the server has, when it told us. */
  readonly databases: number | undefined;
  /** The server version from HELLO, when known. */
  readonly serverVersion: string | undefined;
  /** Whether it has stopped taking commands. */
  readonly closed: boolean;
  /** Whether a socket is up and past its handshake. */
  readonly ready: boolean;
  /** Adds a listener; returns the function that removes it. */
  listen(listener: ConnectionListener): () => void;
  /** Stops taking commands, waits for every reply, then closes the socket. */
  close(): Promise<void>;
}

/**
 * A connection that can be given over to a stream of replies no command asks
 * for: after `MONITOR`, the server sends a line for every command it runs.
 */
export interface StreamConnection extends Connection {
  /**
   * From now on, a reply that arrives with no command waiting for it goes to
   * `onReply`, instead of giving the socket up as out of step. For a
   * connection whose owner sends nothing more (MONITOR's): a command sent
   * afterwards would take the next line as its reply.
   */
  stream(onReply: (value: RespValue) => void): void;
}

/**
 * The listeners of one connection. Dispatching to none costs a length check;
 * a listener added or removed during a dispatch takes effect from the next.
 */
export class Listeners implements ConnectionEvents {
  #list: ConnectionListener[] = [];

  /** Adds a listener; returns the function that removes it. */
  add(listener: ConnectionListener): () => void {
    this.#list = [...this.#list, listener];
    return () => {
      this.#list = this.#list.filter((l) => l !== listener);
    };
  }

  /** Reports a failure. */
  error(error: Error, command: string | undefined): void {
    for (const l of this.#list) l.error?.(error, command);
  }

  /** Reports a push frame. */
  push(data: RespValue[]): void {
    for (const l of this.#list) l.push?.(data);
  }

  /** Reports a new socket. */
  connect(): void {
    for (const l of this.#list) l.connect?.();
  }

  /** Reports a finished handshake. */
  ready(): void {
    for (const l of this.#list) l.ready?.();
  }

  /** Reports a lost socket. */
  disconnect(error: Error): void {
    for (const l of this.#list) l.disconnect?.(error);
  }

  /** Reports a reconnection attempt. */
  reconnecting(attempt: number, delay: number): void {
    for (const l of this.#list) l.reconnecting?.(attempt, delay);
  }

  /** Reports the close. */
  close(error: Error | undefined): void {
    for (const l of this.#list) l.close?.(error);
  }
}
