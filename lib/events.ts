// The events a Redis client dispatches, their map for typed listeners, and how
// a typed listener is passed on. Each event class carries what its listeners
// need and never a secret.

import type { RespValue } from "./resp/types.ts";

/**
 * Dispatched on the {@linkcode Redis} client as `"error"` when a
 * fire-and-forget command fails (`command` names it) or when the connection
 * fails (`command` is `undefined`).
 *
 * @example Usage
 * ```ts
 * import { connect, type RedisErrorEvent } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * redis.addEventListener("error", (event: RedisErrorEvent) => {
 *   console.log(event.command, event.error.message);
 * });
 * redis.fireAndForget.incr("not-a-number-key");
 * ```
 */
export class RedisErrorEvent extends Event {
  /** What failed: a `ReplyError`, `ConnectionError`, `ProtocolError`, `TypeError`... */
  readonly error: Error;
  /** The failed command's name (`"INCR"`), or `undefined` for a connection failure. */
  readonly command: string | undefined;

  /**
   * Constructs a new instance.
   *
   * @param error What failed.
   * @param command The command's name, if a command failed.
   */
  constructor(error: Error, command: string | undefined) {
    super("error");
    this.error = error;
    this.command = command;
  }
}

/**
 * Dispatched on the {@linkcode Redis} client as `"push"` for each RESP3 push
 * frame that is not a reply (for example client-side caching invalidations).
 *
 * @example Usage
 * ```ts
 * import { connect, type RedisPushEvent } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * redis.addEventListener("push", (event: RedisPushEvent) => console.log(event.data));
 * ```
 */
export class RedisPushEvent extends Event {
  /** The push frame's elements, such as `["invalidate", ["key"]]`. */
  readonly data: RespValue[];

  /**
   * Constructs a new instance.
   *
   * @param data The push frame's elements.
   */
  constructor(data: RespValue[]) {
    super("push");
    this.data = data;
  }
}

/**
 * Dispatched on the {@linkcode Redis} client as `"close"` once its
 * connection is closed, by `close()` or because it failed (`error`).
 *
 * @example Usage
 * ```ts
 * import { connect, type RedisCloseEvent } from "@sleeve/redis";
 *
 * const redis = await connect();
 * redis.addEventListener("close", (event: RedisCloseEvent) => console.log(event.error));
 * await redis.close();
 * ```
 */
export class RedisCloseEvent extends Event {
  /** Why the connection ended, or `undefined` after `close()`. */
  readonly error: Error | undefined;

  /**
   * Constructs a new instance.
   *
   * @param error Why the connection ended, if it failed.
   */
  constructor(error: Error | undefined) {
    super("close");
    this.error = error;
  }
}

/**
 * Dispatched on the {@linkcode Redis} client as `"disconnect"` when its
 * socket is lost and a reconnection follows. Commands that had been written
 * are rejected with a `ConnectionError` whose `mayHaveExecuted` is `true`;
 * commands issued from now on wait for the new connection.
 *
 * @example Usage
 * ```ts
 * import { connect, type RedisDisconnectEvent } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * redis.addEventListener("disconnect", (event: RedisDisconnectEvent) => {
 *   console.log("lost:", event.error.message);
 * });
 * ```
 */
export class RedisDisconnectEvent extends Event {
  /** Why the socket was lost. */
  readonly error: Error;

  /**
   * Constructs a new instance.
   *
   * @param error Why the socket was lost.
   */
  constructor(error: Error) {
    super("disconnect");
    this.error = error;
  }
}

/**
 * Dispatched on the {@linkcode Redis} client as `"reconnecting"` before each
 * reconnection attempt.
 *
 * @example Usage
 * ```ts
 * import { connect, type RedisReconnectingEvent } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * redis.addEventListener("reconnecting", (event: RedisReconnectingEvent) => {
 *   console.log(`attempt ${event.attempt} in ${event.delay} ms`);
 * });
 * ```
 */
export class RedisReconnectingEvent extends Event {
  /** The attempt number, from 1. */
  readonly attempt: number;
  /** Milliseconds before the attempt starts (0 for the first). */
  readonly delay: number;

  /**
   * Constructs a new instance.
   *
   * @param attempt The attempt number, from 1.
   * @param delay Milliseconds before it starts.
   */
  constructor(attempt: number, delay: number) {
    super("reconnecting");
    this.attempt = attempt;
    this.delay = delay;
  }
}

/**
 * The events a {@linkcode Redis} client dispatches:
 * - `error`: a fire-and-forget command failed, a reconnection attempt failed,
 *   or the client closed because of a failure;
 * - `push`: a RESP3 push frame;
 * - `connect`: a socket was opened (after a reconnection: the handshake
 *   follows);
 * - `ready`: a reconnection finished its handshake and waiting commands are
 *   being written;
 * - `disconnect`: the socket was lost and a reconnection follows;
 * - `reconnecting`: a reconnection attempt is about to start;
 * - `close`: the client is closed for good.
 *
 * @example Usage
 * ```ts
 * import type { RedisEventMap } from "@sleeve/redis";
 *
 * const kinds: (keyof RedisEventMap)[] = ["error", "disconnect", "ready"];
 * console.log(kinds);
 * ```
 */
export interface RedisEventMap {
  /** A fire-and-forget command, a reconnection attempt or the connection failed. */
  error: RedisErrorEvent;
  /** A RESP3 push frame arrived. */
  push: RedisPushEvent;
  /** A socket was opened. */
  connect: Event;
  /** A (re)connection finished its handshake. */
  ready: Event;
  /** The socket was lost; a reconnection follows. */
  disconnect: RedisDisconnectEvent;
  /** A reconnection attempt is about to start. */
  reconnecting: RedisReconnectingEvent;
  /** The client closed for good. */
  close: RedisCloseEvent;
}

/**
 * A listener as the implementation of a typed `addEventListener()` or
 * `removeEventListener()` receives it: a plain one, or a typed one of an
 * event map, which receives exactly the event class its type names.
 */
export type AnyListener =
  | EventListenerOrEventListenerObject
  | ((event: never) => void)
  | null;

/**
 * A listener as `EventTarget` takes it: a typed one is passed on as a plain
 * one (it receives exactly the event class its type names).
 *
 * @param listener The listener.
 * @returns The same listener.
 */
export function plainListener(
  listener: AnyListener,
): EventListenerOrEventListenerObject | null {
  return listener as EventListenerOrEventListenerObject | null;
}
