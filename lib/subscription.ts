// What subscribe() returns: a Subscription, the async iterator of a
// subscription's messages over its inbox (inbox.ts, which the subscriber
// connection fills), and the options and arguments of subscribe().

import type { RedisKey } from "./commands/_base.ts";
import type { Bulk } from "./commands/_executor.ts";
import { type AnyListener, plainListener } from "./events.ts";
import {
  DONE,
  type Inbox,
  type OverflowPolicy,
  type SubscriptionDropEvent,
  type SubscriptionGapEvent,
} from "./inbox.ts";

/**
 * A message received by a {@linkcode Subscription}: its channel and
 * payload, and for a pattern subscription (`psubscribe()`) the pattern it
 * matched. Channel messages have no `pattern` property. Text on string views,
 * `Uint8Array` on `binary` views.
 *
 * Every subscription to the same channel (or pattern) of a client is given
 * the same message object: treat it as read-only.
 *
 * @typeParam B `string`, or `Uint8Array` on a `binary` view.
 *
 * @example Usage
 * ```ts
 * import { connect, type PubSubMessage } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * await using news = await redis.psubscribe("news.*");
 * for await (const message of news) {
 *   const { channel, message: text, pattern }: PubSubMessage = message;
 *   console.log(pattern, channel, text); // → "news.*" "news.tech" "..."
 *   break;
 * }
 * ```
 */
export interface PubSubMessage<B extends Bulk = string> {
  /** The channel it was published to. */
  readonly channel: B;
  /** The payload. */
  readonly message: B;
  /** The pattern it matched: only on messages of a pattern subscription. */
  readonly pattern?: B;
}

/** The default of {@linkcode SubscribeOptions.bufferSize}. */
export const DEFAULT_BUFFER_SIZE = 10_000;

/**
 * Options of `subscribe()`, `psubscribe()` and `ssubscribe()`.
 *
 * @example Usage
 * ```ts
 * import { connect, type SubscribeOptions } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const options: SubscribeOptions = { bufferSize: 1_000, overflow: "drop-newest" };
 * await using ticks = await redis.subscribe(["ticks"], options);
 * console.log(ticks.dropped); // → 0
 * ```
 */
export interface SubscribeOptions {
  /**
   * How many received messages may wait to be read; past it the
   * `overflow` policy drops one per message arriving. A positive integer,
   * or `Infinity` for no limit (memory then grows with a consumer that
   * falls behind).
   *
   * @default {10000}
   */
  bufferSize?: number;
  /**
   * Which message is dropped when the buffer is full.
   *
   * @default {"drop-oldest"}
   */
  overflow?: OverflowPolicy;
}

/**
 * The arguments of `subscribe()`, `psubscribe()` and `ssubscribe()`: the
 * names spread, or an array of names and the options.
 */
export type SubscribeArgs =
  | RedisKey[]
  | [readonly RedisKey[], SubscribeOptions?];

/**
 * The names and options of a subscribe method's arguments.
 *
 * @param args Either form of {@linkcode SubscribeArgs}.
 * @returns The names, and the options if given.
 */
export function subscribeArgs(
  args: SubscribeArgs,
): [readonly RedisKey[], SubscribeOptions | undefined] {
  const first = args[0];
  return Array.isArray(first)
    ? [first as readonly RedisKey[], args[1] as SubscribeOptions | undefined]
    : [args as RedisKey[], undefined];
}

/**
 * The events a {@linkcode Subscription} dispatches: `"drop"` when its
 * buffer overflowed, `"gap"` where a reconnection left a gap.
 *
 * @example Usage
 * ```ts
 * import type { SubscriptionEventMap } from "@sleeve/redis";
 *
 * const kinds: (keyof SubscriptionEventMap)[] = ["drop", "gap"];
 * console.log(kinds);
 * ```
 */
export interface SubscriptionEventMap {
  /** Messages were dropped: the buffer was full. */
  drop: SubscriptionDropEvent;
  /** The connection was lost here, and the subscription restored. */
  gap: SubscriptionGapEvent;
}

/**
 * A subscription to channels (`subscribe()`), patterns (`psubscribe()`) or
 * shard channels (`ssubscribe()`), and the async iterator of its messages,
 * in the order the server sent them. Get one from a view's `subscribe()`.
 *
 * Every subscription of a client shares one subscriber connection of its
 * own (one for string views, one for `binary` views), opened on first use
 * with the client's options; the shared connection is never taken over.
 * Subscriptions are counted per channel: the first subscription to a
 * channel sends `SUBSCRIBE`, the last one to leave it `UNSUBSCRIBE`.
 *
 * Messages received and not yet read wait in a buffer of `bufferSize`
 * messages (default 10,000); past it the `overflow` policy drops one per
 * message arriving (`"drop-oldest"` by default), counted in `dropped` and
 * reported by `"drop"` events. Memory stays bounded however slow the
 * consumer.
 *
 * When the subscriber connection is lost, it reconnects as the client does
 * and restores every subscription; the iterator then reports the gap with a
 * `"gap"` event at its place in the stream (see
 * {@linkcode SubscriptionGapEvent}): messages published while the
 * connection was down are lost by Redis' design.
 *
 * `unsubscribe()`, `await using`, or leaving a `for await` loop (`break`,
 * `return`, a throw) ends it: the iteration ends, and messages still
 * buffered are discarded. When the client closes, the iteration ends after
 * the messages buffered; when the subscriber connection fails for good (or
 * the server refuses to restore a subscription), it throws that error after
 * them.
 *
 * Iterate it once, with one consumer.
 *
 * @typeParam B `string`, or `Uint8Array` on a `binary` view.
 *
 * @example Usage
 * ```ts
 * import { connect } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * await using chat = await redis.subscribe("chat:lobby");
 * // Subscribed: every message published from now on is received.
 * await redis.publish("chat:lobby", "hello");
 * for await (const { channel, message } of chat) {
 *   console.log(channel, message); // → "chat:lobby" "hello"
 *   break; // unsubscribes
 * }
 * ```
 */
export class Subscription<B extends Bulk = string> extends EventTarget
  implements AsyncIterableIterator<PubSubMessage<B>>, AsyncDisposable {
  // Not typed by B: a Subscription<string> must be a Subscription<Bulk>.
  readonly #inbox: Inbox<PubSubMessage<Bulk>>;
  readonly #release: () => Promise<void>;

  /**
   * Constructs a new instance. Get one from `subscribe()` instead.
   *
   * @ignore
   */
  constructor(
    inbox: Inbox<PubSubMessage<Bulk>>,
    release: () => Promise<void>,
  ) {
    super();
    this.#inbox = inbox;
    this.#release = release;
    inbox.target = this;
  }

  /** Messages dropped because the buffer was full, in all (exact). */
  get dropped(): number {
    return this.#inbox.dropped;
  }

  /** Times the subscriber connection was lost while it was subscribed. */
  get gaps(): number {
    return this.#inbox.gaps;
  }

  /** Messages received and waiting to be read. */
  get buffered(): number {
    return this.#inbox.buffered;
  }

  /**
   * Whether it takes no more messages: unsubscribed, ended by the client's
   * `close()`, or failed.
   */
  get closed(): boolean {
    return this.#inbox.closed;
  }

  /**
   * Ends the subscription: the iteration ends (messages still buffered are
   * discarded) and, for each channel no other subscription of the client
   * holds, `UNSUBSCRIBE` (or `PUNSUBSCRIBE`, `SUNSUBSCRIBE`) is sent.
   * Resolves once the server confirmed those (at once while the connection
   * is down: a new one starts with none of them). Never rejects; safe to
   * call more than once.
   *
   * @returns A promise that resolves once unsubscribed.
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const alerts = await redis.subscribe("alerts");
   * setTimeout(() => alerts.unsubscribe(), 1_000);
   * for await (const { message } of alerts) console.log(message);
   * console.log("unsubscribed");
   * ```
   */
  unsubscribe(): Promise<void> {
    this.#inbox.close();
    return this.#release();
  }

  /**
   * The next message, waiting for one to arrive if none is buffered;
   * `done` once the subscription ended.
   *
   * @returns The next message, or the end.
   * @throws {ConnectionError} The subscriber connection failed for good.
   * @throws {ReplyError} The server refused to restore the subscription
   * after a reconnection.
   */
  next(): Promise<IteratorResult<PubSubMessage<B>, undefined>> {
    // The subscriber that fills the inbox decodes the view's bulk type.
    return this.#inbox.next() as Promise<
      IteratorResult<PubSubMessage<B>, undefined>
    >;
  }

  /**
   * Unsubscribes (as {@linkcode Subscription.unsubscribe}); `for await`
   * calls it when the loop is left early.
   *
   * @returns The end of the iteration.
   */
  async return(): Promise<IteratorResult<PubSubMessage<B>, undefined>> {
    await this.unsubscribe();
    return DONE;
  }

  /**
   * The subscription itself: it is its own iterator.
   *
   * @returns This subscription.
   */
  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Unsubscribes, as {@linkcode Subscription.unsubscribe}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.unsubscribe();
  }

  /**
   * Adds an event listener.
   *
   * @param type `"drop"` or `"gap"`.
   * @param listener The listener.
   * @param options Listener options.
   */
  override addEventListener<K extends keyof SubscriptionEventMap>(
    type: K,
    listener: (event: SubscriptionEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  /**
   * Adds an event listener.
   *
   * @param type The event type.
   * @param listener The listener.
   * @param options Listener options.
   */
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: AnyListener,
    options?: boolean | AddEventListenerOptions,
  ): void {
    super.addEventListener(type, plainListener(listener), options);
  }

  /**
   * Removes an event listener.
   *
   * @param type `"drop"` or `"gap"`.
   * @param listener The listener.
   * @param options Listener options.
   */
  override removeEventListener<K extends keyof SubscriptionEventMap>(
    type: K,
    listener: (event: SubscriptionEventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  /**
   * Removes an event listener.
   *
   * @param type The event type.
   * @param listener The listener.
   * @param options Listener options.
   */
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener: AnyListener,
    options?: boolean | EventListenerOptions,
  ): void {
    super.removeEventListener(type, plainListener(listener), options);
  }

  /** Shows its state. */
  [Symbol.for("Deno.customInspect")](): string {
    const inbox = this.#inbox;
    return `Subscription { buffered: ${inbox.buffered}, dropped: ${inbox.dropped}, gaps: ${inbox.gaps}, closed: ${inbox.closed} }`;
  }
}
