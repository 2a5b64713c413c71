// What subscribe() returns: a Subscription, the async iterator of a
// subscription's messages, over its inbox: a bounded ring buffer of messages
// received and not yet read, with the overflow policy, the count of what it
// dropped, and the markers of the gaps that reconnections left. The
// subscriber connection (routing/subscriber.ts) fills the inbox.

import type { RedisKey } from "./commands/_base.ts";
import type { Bulk } from "./commands/_executor.ts";
import { type AnyListener, plainListener } from "./events.ts";

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

/**
 * What a {@linkcode Subscription} does with a message that arrives while
 * `bufferSize` messages are already waiting to be read: `"drop-oldest"`
 * drops the oldest one waiting (the consumer catches up with the most
 * recent messages), `"drop-newest"` drops the one arriving (the consumer
 * reads what it had, in order, with a hole after it). Either way the drop
 * is counted in `dropped` and reported by a `"drop"` event.
 *
 * @example Usage
 * ```ts
 * import type { OverflowPolicy } from "@sleeve/redis";
 *
 * const policy: OverflowPolicy = "drop-newest";
 * console.log(policy);
 * ```
 */
export type OverflowPolicy = "drop-oldest" | "drop-newest";

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
 * Dispatched on a {@linkcode Subscription} as `"drop"` when its buffer
 * overflowed and messages were dropped: at most once per batch of messages
 * read from the socket, with how many were dropped since the last such
 * event. `Subscription.dropped` is the exact total at any time.
 *
 * @example Usage
 * ```ts
 * import { connect, type SubscriptionDropEvent } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * await using feed = await redis.subscribe(["feed"], { bufferSize: 100 });
 * feed.addEventListener("drop", (event: SubscriptionDropEvent) => {
 *   console.warn(`dropped ${event.count} (${event.total} in all)`);
 * });
 * ```
 */
export class SubscriptionDropEvent extends Event {
  /** Messages dropped since the last `"drop"` event. */
  readonly count: number;
  /** Messages dropped since the subscription began. */
  readonly total: number;

  /**
   * Constructs a new instance.
   *
   * @param count Messages dropped since the last event.
   * @param total Messages dropped in all.
   */
  constructor(count: number, total: number) {
    super("drop");
    this.count = count;
    this.total = total;
  }
}

/**
 * Dispatched on a {@linkcode Subscription} as `"gap"` by its iterator, at
 * the place in the stream of messages where the subscriber connection was
 * lost: every message read before it was received before the loss, every
 * message read after it was received once the subscription was restored on
 * a new connection. Messages published in between are lost (Redis keeps no
 * pub/sub history). The iterator dispatches it only once the subscription
 * is restored: from then on, every message published reaches it.
 *
 * @example Usage
 * ```ts
 * import { connect, type SubscriptionGapEvent } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * await using orders = await redis.subscribe("orders");
 * orders.addEventListener("gap", (event: SubscriptionGapEvent) => {
 *   console.warn(`messages may be missing: ${event.error.message}`);
 * });
 * ```
 */
export class SubscriptionGapEvent extends Event {
  /** Why the connection was lost. */
  readonly error: Error;

  /**
   * Constructs a new instance.
   *
   * @param error Why the connection was lost.
   */
  constructor(error: Error) {
    super("gap");
    this.error = error;
  }
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

/** A place in an inbox where the connection was lost. */
class Gap {
  /** Why the connection was lost. */
  error: Error;
  /** Settles once the subscription is restored (or has failed). */
  restored: Promise<void>;

  constructor(error: Error, restored: Promise<void>) {
    this.error = error;
    this.restored = restored;
  }
}

const OPEN = 0;
/** No more messages: the ones buffered can still be read. */
const ENDED = 1;
/** Failed: the ones buffered can still be read, then the error. */
const FAILED = 2;
/** Unsubscribed: nothing more is read. */
const CLOSED = 3;

const INITIAL_CAPACITY = 16;

type Waiter<T> = (
  result: IteratorResult<T, undefined> | Promise<IteratorResult<T, undefined>>,
) => void;

const DONE: IteratorReturnResult<undefined> = Object.freeze({
  done: true,
  value: undefined,
});

/**
 * The messages of one subscription waiting to be read, and whoever waits
 * for the next one. A ring buffer of at most `limit` messages (plus gap
 * markers, never dropped); the subscriber delivers into it, the iterator
 * reads from it.
 */
export class Inbox<T> {
  #items: (T | Gap | undefined)[] = new Array(INITIAL_CAPACITY);
  #mask = INITIAL_CAPACITY - 1;
  #head = 0;
  #length = 0;
  /** Messages in the ring (gap markers not counted). */
  #messages = 0;
  readonly #limit: number;
  readonly #dropNewest: boolean;
  readonly #waiters: Waiter<T>[] = [];
  #state = OPEN;
  #error: Error | undefined;
  #unreported = 0;
  /** Messages dropped in all. */
  dropped = 0;
  /** Gaps marked in all. */
  gaps = 0;
  /** Where its events are dispatched (its Subscription). */
  target: EventTarget = new EventTarget();

  /**
   * Constructs a new instance.
   *
   * @param limit The most messages kept (`Infinity`: no limit).
   * @param overflow What is dropped past it.
   */
  constructor(limit: number, overflow: OverflowPolicy) {
    this.#limit = limit;
    this.#dropNewest = overflow === "drop-newest";
  }

  /** Whether messages are still taken. */
  get open(): boolean {
    return this.#state === OPEN;
  }

  /** Whether it was unsubscribed, ended or failed. */
  get closed(): boolean {
    return this.#state !== OPEN;
  }

  /** Messages waiting to be read. */
  get buffered(): number {
    return this.#messages;
  }

  /** Takes a message: to a waiting reader, or into the ring. */
  deliver(message: T): void {
    if (this.#state !== OPEN) return;
    if (this.#length === 0 && this.#waiters.length > 0) {
      this.#waiters.shift()!({ value: message, done: false });
      return;
    }
    if (this.#messages >= this.#limit) {
      this.#countDrop();
      if (this.#dropNewest) return;
      this.#dropOldest();
    }
    this.#push(message);
    this.#messages++;
  }

  /**
   * Marks the place where the connection was lost; the iterator reports it
   * once `restored` settles.
   */
  gap(error: Error, restored: Promise<void>): void {
    if (this.#state !== OPEN) return;
    this.gaps++;
    const gap = new Gap(error, restored);
    // Gaps with no message between are one gap.
    if (this.#length > 0) {
      const last = this.#items[(this.#head + this.#length - 1) & this.#mask];
      if (last instanceof Gap) {
        last.error = error;
        last.restored = restored;
        return;
      }
    }
    this.#push(gap);
    if (this.#length === 1 && this.#waiters.length > 0) {
      this.#waiters.shift()!(this.next());
    }
  }

  /** The next message, or the end. */
  next(): Promise<IteratorResult<T, undefined>> {
    if (this.#length > 0) {
      const item = this.#shift();
      if (item instanceof Gap) return this.#passGap(item);
      this.#messages--;
      return Promise.resolve({ value: item, done: false });
    }
    if (this.#state === OPEN) {
      return new Promise((resolve) => this.#waiters.push(resolve));
    }
    return this.#finish();
  }

  /** No more messages will come; those buffered can still be read. */
  end(): void {
    if (this.#state !== OPEN) return;
    this.#state = ENDED;
    this.#wakeAll();
  }

  /** No more messages will come: after those buffered, `error` is thrown. */
  fail(error: Error): void {
    if (this.#state !== OPEN) return;
    this.#state = FAILED;
    this.#error = error;
    this.#wakeAll();
  }

  /** Unsubscribed: what is buffered is discarded, the iteration ends. */
  close(): void {
    if (this.#state === CLOSED) return;
    this.#state = CLOSED;
    this.#error = undefined;
    this.#items = [];
    this.#mask = 0;
    this.#head = 0;
    this.#length = 0;
    this.#messages = 0;
    this.#wakeAll();
  }

  #wakeAll(): void {
    for (const waiter of this.#waiters.splice(0)) waiter(this.#finish());
  }

  /** The end of an iteration that is over: its error once, then done. */
  #finish(): Promise<IteratorResult<T, undefined>> {
    const error = this.#error;
    if (error === undefined) return Promise.resolve(DONE);
    this.#error = undefined;
    return Promise.reject(error);
  }

  async #passGap(gap: Gap): Promise<IteratorResult<T, undefined>> {
    await gap.restored;
    if (this.#state === OPEN) {
      this.target.dispatchEvent(new SubscriptionGapEvent(gap.error));
    }
    return await this.next();
  }

  #countDrop(): void {
    this.dropped++;
    if (this.#unreported++ === 0) queueMicrotask(this.#reportDrops);
  }

  /** One "drop" event for the drops of a tick (a batch of socket reads). */
  #reportDrops = (): void => {
    const count = this.#unreported;
    this.#unreported = 0;
    this.target.dispatchEvent(new SubscriptionDropEvent(count, this.dropped));
  };

  /** Drops the oldest message; gap markers stay, merged if they meet. */
  #dropOldest(): void {
    let gap: Gap | undefined;
    let item = this.#shift();
    while (item instanceof Gap) {
      gap = item;
      item = this.#shift();
    }
    this.#messages--;
    while (this.#length > 0 && this.#items[this.#head] instanceof Gap) {
      gap = this.#shift() as Gap;
    }
    if (gap !== undefined) this.#unshift(gap);
  }

  #push(item: T | Gap): void {
    if (this.#length > this.#mask) this.#grow();
    this.#items[(this.#head + this.#length) & this.#mask] = item;
    this.#length++;
  }

  #unshift(item: T | Gap): void {
    if (this.#length > this.#mask) this.#grow();
    this.#head = (this.#head - 1) & this.#mask;
    this.#items[this.#head] = item;
    this.#length++;
  }

  #shift(): T | Gap {
    const head = this.#head;
    const item = this.#items[head]!;
    this.#items[head] = undefined;
    this.#head = (head + 1) & this.#mask;
    this.#length--;
    return item;
  }

  #grow(): void {
    const capacity = (this.#mask + 1) * 2;
    const items = new Array<T | Gap | undefined>(capacity);
    for (let i = 0; i < this.#length; i++) {
      items[i] = this.#items[(this.#head + i) & this.#mask];
    }
    this.#items = items;
    this.#mask = capacity - 1;
    this.#head = 0;
  }
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
