// The small interface the Redis facade talks to. A connection owns one socket
// at a time (or, later, a router owns several); the facade never touches a
// socket.

import type { RedisArg } from "../resp/encoder.ts";
import type { RespValue } from "../resp/types.ts";

/**
 * Checks the shape of a reply and turns it into the value a caller gets.
 * Throws when the reply cannot belong to the command: the connection then
 * treats the stream as out of step and tears itself down.
 */
export type ReplyDecoder = (value: RespValue) => unknown;

/** Per-command limits of a `with()` view. */
export interface Limits {
  /** Milliseconds until the command is rejected with a `TimeoutError`. */
  readonly timeout?: number;
  /** Rejects the command with the signal's reason when aborted. */
  readonly signal?: AbortSignal;
}

/** What a connection reports to its owner. */
export interface ConnectionEvents {
  /** A fire-and-forget command failed, or the connection failed (`command` undefined). */
  onError(error: Error, command: string | undefined): void;
  /** A RESP3 push frame arrived. */
  onPush(data: RespValue[]): void;
  /** A socket was opened (the handshake follows). */
  onConnect(): void;
  /** The handshake finished: commands flow. */
  onReady(): void;
  /** The socket was lost; a reconnection follows. */
  onDisconnect(error: Error): void;
  /** Reconnection attempt `attempt` starts after `delay` ms. */
  onReconnecting(attempt: number, delay: number): void;
  /** The connection is closed for good; `error` is set when it failed. */
  onClose(error: Error | undefined): void;
}

/** A multiplexed connection to one server. */
export interface Connection {
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
  /** Where failures, pushes and the close are reported; set by the owner. */
  events: ConnectionEvents;
  /**
   * Sends a command to run in database `db` and resolves with its reply,
   * passed through `decode` when given.
   */
  send(
    args: readonly RedisArg[],
    db: number,
    binary: boolean,
    decode: ReplyDecoder | null,
    limits?: Limits,
  ): Promise<unknown>;
  /** Sends a command whose reply is read and dropped; failures go to `onError`. */
  sendVoid(args: readonly RedisArg[], db: number, limits?: Limits): void;
  /** Stops taking commands, waits for every reply, then closes the socket. */
  close(): Promise<void>;
}
