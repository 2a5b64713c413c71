// A subscription's inbox: the bounded ring buffer of messages received and
// not yet read, its overflow policy, the markers of the gaps reconnections
// left, and the "drop" and "gap" events it dispatches on its Subscription.

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

export const DONE: IteratorReturnResult<undefined> = Object.freeze({
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
