// The subscriber connection of a client: one connection of its own (opened
// on first use, with the client's options), shared by every subscription of
// the client that wants the same bulk type. Subscriptions are counted per
// channel, pattern and shard channel (an entry each): the first one sends
// SUBSCRIBE, the last one to leave sends UNSUBSCRIBE. Each command names one
// channel, so each gets exactly one confirmation, its reply (see
// connection/pubsub_frames.ts); subscribe() resolves once all of its
// channels are confirmed. Messages (pushes) go to the inboxes of their
// entry. After a reconnection every entry is subscribed again, and every
// subscription that was live gets a gap marker.

import type { RedisKey } from "../commands/_base.ts";
import type { Bulk } from "../commands/_executor.ts";
import type { Connection, Limits, Request } from "../connection/connection.ts";
import {
  frameKind,
  MESSAGE,
  PMESSAGE,
  PSUBSCRIBE,
  PUNSUBSCRIBE,
  PUNSUBSCRIBED,
  SMESSAGE,
  SSUBSCRIBE,
  SUBSCRIBE,
  SUNSUBSCRIBE,
  SUNSUBSCRIBED,
  UNSUBSCRIBE,
  UNSUBSCRIBED,
} from "../connection/pubsub_frames.ts";
import { ConnectionError, TimeoutError } from "../errors.ts";
import type { RespValue } from "../resp/types.ts";
import { Inbox, type OverflowPolicy } from "../inbox.ts";
import {
  DEFAULT_BUFFER_SIZE,
  type PubSubMessage,
  type SubscribeOptions,
  Subscription,
} from "../subscription.ts";

/** What a subscription subscribes to. */
export type Target = "channel" | "pattern" | "shard";

const CHANNEL = 0;
const PATTERN = 1;
const SHARD = 2;

const KIND: Readonly<Record<Target, number>> = {
  channel: CHANNEL,
  pattern: PATTERN,
  shard: SHARD,
};
const SUBSCRIBES = [SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE] as const;
const UNSUBSCRIBES = [UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE] as const;
/** What `subscribe()`'s errors call each kind's names. */
const NOUNS = ["channel", "pattern", "shard channel"] as const;
const METHODS = ["subscribe", "psubscribe", "ssubscribe"] as const;

// ignoreBOM: a leading U+FEFF is part of a name, as the decoder keeps it.
const utf8Decoder = new TextDecoder("utf-8", { ignoreBOM: true });
const utf8Encoder = new TextEncoder();
const RESOLVED: Promise<void> = Promise.resolve();
const noop = (): void => {};

/** What subscribe() needs: a {@linkcode Subscriber}, or a cluster's. */
export interface Subscribing {
  /** See {@linkcode Subscriber.subscribe}. */
  subscribe<B extends Bulk>(
    target: Target,
    names: readonly RedisKey[],
    options: SubscribeOptions | undefined,
    limits: Limits | undefined,
  ): Promise<Subscription<B>>;
}

/** The subscribers of a client: made on first use, one per bulk type. */
export interface Subscribers {
  /** The subscriber of string views (`false`) or `binary` views (`true`). */
  subscriber(binary: boolean): Subscribing;
}

type Message = PubSubMessage<Bulk>;

/**
 * Checks the names and options of a subscribe() call before anything is
 * sent; returns the buffer size and policy.
 */
export function checkSubscribe(
  target: Target,
  names: readonly unknown[],
  options: SubscribeOptions | undefined,
): [number, OverflowPolicy] {
  const kind = KIND[target];
  const method = METHODS[kind];
  if (names.length === 0) {
    throw new TypeError(
      `Cannot ${method}: at least one ${NOUNS[kind]} is needed`,
    );
  }
  for (const name of names) {
    if (typeof name !== "string" && !(name instanceof Uint8Array)) {
      throw new TypeError(
        `Cannot ${method}: a ${NOUNS[kind]} must be a string or a Uint8Array`,
      );
    }
  }
  if (options !== undefined && (typeof options !== "object" || !options)) {
    throw new TypeError(`Cannot ${method}: options must be an object`);
  }
  const size = options?.bufferSize ?? DEFAULT_BUFFER_SIZE;
  if (
    typeof size !== "number" ||
    !(size === Infinity || (Number.isSafeInteger(size) && size >= 1))
  ) {
    throw new RangeError(
      `Cannot ${method}: bufferSize must be a positive integer or Infinity, received ${size}`,
    );
  }
  const overflow = options?.overflow ?? "drop-oldest";
  if (overflow !== "drop-oldest" && overflow !== "drop-newest") {
    throw new TypeError(
      `Cannot ${method}: overflow must be "drop-oldest" or "drop-newest", received ${
        JSON.stringify(overflow)
      }`,
    );
  }
  return [size, overflow];
}

/** What subscriptions of one channel (pattern, shard channel) share. */
class Entry {
  /** CHANNEL, PATTERN or SHARD. */
  readonly kind: number;
  /** The name as first given, sent in its (UN)SUBSCRIBE commands. */
  readonly name: RedisKey;
  /** Its key in the subscriber's map of its kind. */
  readonly key: string;
  /** The inboxes of its subscriptions. */
  readonly inboxes: Inbox<Message>[] = [];
  /** Confirmed by the server on the current socket. */
  confirmed = false;
  /** A SUBSCRIBE for it waits to be written or for its confirmation. */
  sending = false;
  /** Settles on its next confirmation, or rejects when it failed. */
  ready: PromiseWithResolvers<void> = deferred();

  constructor(kind: number, name: RedisKey, key: string) {
    this.kind = kind;
    this.name = name;
    this.key = key;
  }
}

function deferred(): PromiseWithResolvers<void> {
  const ready = Promise.withResolvers<void>();
  // Rejected with nobody waiting (no subscribe() call in progress): fine.
  ready.promise.catch(noop);
  return ready;
}

/**
 * One subscriber connection and its subscriptions. Made by the router; its
 * connection is opened by the first subscribe().
 */
export class Subscriber {
  readonly #binary: boolean;
  readonly #db: number;
  readonly #open: () => Promise<Connection>;
  /**
   * Told when the server ends a shard channel's subscription on its own (a
   * cluster whose slot moved); returns true when the connection is being
   * moved to the slot's new node, where every entry is subscribed again.
   */
  readonly #serverUnsubscribed: (() => boolean) | undefined;
  #connection: Connection | undefined;
  #opening: Promise<Connection> | undefined;
  /** Entries by kind (CHANNEL, PATTERN, SHARD), by key. */
  readonly #entries: Map<string, Entry>[] = [new Map(), new Map(), new Map()];
  /** Inboxes of subscriptions not yet unsubscribed, and their entries. */
  readonly #inboxes = new Map<Inbox<Message>, Entry[]>();
  /** Inboxes whose subscribe() resolved: a lost connection is a gap for them. */
  readonly #live = new WeakSet<Inbox<Message>>();
  /** Live inboxes the connection was lost under, and why. */
  readonly #lost = new Map<Inbox<Message>, Error>();
  #closed = false;

  /**
   * Constructs a new instance.
   *
   * @param binary Whether its messages are bytes.
   * @param db The database its connection is opened in (so that no SELECT,
   * refused in RESP2 subscribe mode, is ever written on it).
   * @param open Opens its connection.
   */
  constructor(
    binary: boolean,
    db: number,
    open: () => Promise<Connection>,
    serverUnsubscribed?: () => boolean,
  ) {
    this.#binary = binary;
    this.#db = db;
    this.#open = open;
    this.#serverUnsubscribed = serverUnsubscribed;
  }

  /**
   * Subscribes to `names` (channels, patterns or shard channels) and
   * resolves with the subscription once the server confirmed every one;
   * `limits` bound that wait. Rejects, having subscribed to nothing, when
   * the server refuses one or a limit passes.
   */
  async subscribe<B extends Bulk>(
    target: Target,
    names: readonly RedisKey[],
    options: SubscribeOptions | undefined,
    limits: Limits | undefined,
  ): Promise<Subscription<B>> {
    const [size, overflow] = checkSubscribe(target, names, options);
    const kind = KIND[target];
    const connection = await this.#connect();
    const inbox = new Inbox<Message>(size, overflow);
    const entries: Entry[] = [];
    const map = this.#entries[kind]!;
    const keys = new Set<string>();
    for (const name of names) {
      const key = this.#key(name);
      if (keys.has(key)) continue;
      keys.add(key);
      let entry = map.get(key);
      if (entry === undefined) {
        entry = new Entry(kind, name, key);
        map.set(key, entry);
        this.#send(connection, entry);
      }
      entry.inboxes.push(inbox);
      entries.push(entry);
    }
    this.#inboxes.set(inbox, entries);
    const release = () => this.#release(inbox, limits);
    const subscription = new Subscription<Bulk>(inbox, release);
    try {
      await bounded(confirmed(entries, inbox), limits, METHODS[kind]);
    } catch (error) {
      inbox.close();
      // Not waited for: the server may be the reason this failed.
      void release();
      throw error;
    }
    this.#live.add(inbox);
    // The cast restores the view's bulk type: this subscriber decodes it.
    return subscription as unknown as Subscription<B>;
  }

  /**
   * Stops: every subscription ends (its buffered messages can still be
   * read), waiting subscribe() calls reject, and the connection closes.
   */
  async close(): Promise<void> {
    this.#closed = true;
    const connection = this.#connection;
    const opening = this.#opening;
    this.#shutdown(
      undefined,
      new ConnectionError("Cannot subscribe: the client is closed"),
    );
    // One still opening closes itself once open (it sees #closed).
    await (connection ?? await opening?.catch(() => undefined))?.close();
  }

  /** Its connection: the open one, or a new one. */
  #connect(): Promise<Connection> {
    if (this.#closed) {
      return Promise.reject(
        new ConnectionError("Cannot subscribe: the client is closed"),
      );
    }
    const current = this.#connection;
    if (current !== undefined && !current.closed) {
      return Promise.resolve(current);
    }
    this.#opening ??= this.#open().then(
      async (connection) => {
        this.#opening = undefined;
        if (this.#closed) {
          await connection.close();
          throw new ConnectionError("Cannot subscribe: the client is closed");
        }
        this.#connection = connection;
        connection.listen({
          push: (frame) => this.#onFrame(frame),
          disconnect: (error) => this.#onDisconnect(error),
          ready: () => this.#onReady(connection),
          close: (error) => {
            if (this.#connection === connection) {
              this.#shutdown(
                error,
                error ??
                  new ConnectionError("Cannot subscribe: the client is closed"),
              );
            }
          },
        });
        return connection;
      },
      (error) => {
        this.#opening = undefined;
        throw error;
      },
    );
    return this.#opening;
  }

  /** The key of a name given by the caller, as frames' names are keyed. */
  #key(name: RedisKey): string {
    if (this.#binary) {
      return byteKey(
        typeof name === "string" ? utf8Encoder.encode(name) : name,
      );
    }
    return typeof name === "string" ? name : utf8Decoder.decode(name);
  }

  /** Sends SUBSCRIBE (or its kind's) for `entry`; settles its `ready`. */
  #send(connection: Connection, entry: Entry): void {
    entry.sending = true;
    connection.send(this.#request(SUBSCRIBES[entry.kind]!, entry.name)).then(
      () => {
        entry.sending = false;
        if (!this.#current(entry)) return;
        entry.confirmed = true;
        entry.ready.resolve();
      },
      (error: Error) => {
        entry.sending = false;
        if (!this.#current(entry)) return;
        // Lost with its socket (or not sent while it is down): the
        // reconnection subscribes it again.
        if (
          error instanceof ConnectionError && !connection.ready &&
          !connection.closed && this.#connection === connection
        ) return;
        this.#fail(entry, error);
      },
    );
  }

  /** Whether `entry` is still the one of its key. */
  #current(entry: Entry): boolean {
    return this.#entries[entry.kind]!.get(entry.key) === entry;
  }

  #request(command: Request["command"], name: RedisKey): Request {
    return {
      command,
      args: [name],
      db: this.#db,
      binary: this.#binary,
      bigint: false,
      decode: expectConfirmation,
    };
  }

  /**
   * An entry can no longer be subscribed (the server refused it): its
   * subscribe() calls reject, and its live subscriptions fail.
   */
  #fail(entry: Entry, error: Error): void {
    this.#entries[entry.kind]!.delete(entry.key);
    entry.ready.reject(error);
    for (const inbox of entry.inboxes.slice()) {
      if (!this.#live.has(inbox)) continue;
      inbox.fail(error);
      // Its other channels are left.
      void this.#release(inbox, undefined);
    }
  }

  /**
   * Leaves a subscription's entries: for each one left with no
   * subscription, UNSUBSCRIBE (or its kind's). Resolves once those are
   * answered, or at once while the connection is down.
   */
  #release(inbox: Inbox<Message>, limits: Limits | undefined): Promise<void> {
    const entries = this.#inboxes.get(inbox);
    if (entries === undefined) return RESOLVED;
    this.#inboxes.delete(inbox);
    this.#lost.delete(inbox);
    const connection = this.#connection;
    const replies: Promise<unknown>[] = [];
    for (const entry of entries) {
      const i = entry.inboxes.indexOf(inbox);
      if (i !== -1) entry.inboxes.splice(i, 1);
      if (entry.inboxes.length > 0 || !this.#current(entry)) continue;
      this.#entries[entry.kind]!.delete(entry.key);
      if (connection === undefined || connection.closed) continue;
      // With no limits: it must go out (an aborted signal would keep it
      // from being written); the limits bound the wait for it instead.
      const reply = connection.send(
        this.#request(UNSUBSCRIBES[entry.kind]!, entry.name),
      );
      if (connection.ready) replies.push(reply);
      else reply.catch(noop);
    }
    if (replies.length === 0) return RESOLVED;
    const timeout = limits?.timeout;
    return bounded(
      Promise.all(replies).then(noop),
      timeout === undefined ? undefined : { timeout },
      "unsubscribe",
    ).catch(noop);
  }

  /** A pub/sub frame that is no reply: a message, or a notice. */
  #onFrame(frame: RespValue[]): void {
    const kind = frameKind(frame);
    let entry: Entry | undefined;
    let message: Message;
    switch (kind) {
      case MESSAGE:
        entry = this.#entries[CHANNEL]!.get(frameKey(frame[1]!));
        if (entry === undefined) return;
        message = { channel: frame[1] as Bulk, message: frame[2] as Bulk };
        break;
      case PMESSAGE:
        entry = this.#entries[PATTERN]!.get(frameKey(frame[1]!));
        if (entry === undefined) return;
        message = {
          channel: frame[2] as Bulk,
          message: frame[3] as Bulk,
          pattern: frame[1] as Bulk,
        };
        break;
      case SMESSAGE:
        entry = this.#entries[SHARD]!.get(frameKey(frame[1]!));
        if (entry === undefined) return;
        message = { channel: frame[1] as Bulk, message: frame[2] as Bulk };
        break;
      case UNSUBSCRIBED:
      case PUNSUBSCRIBED:
      case SUNSUBSCRIBED: {
        // The server ended a subscription on its own (a shard channel
        // whose slot moved to another node).
        const target = kind - UNSUBSCRIBED;
        entry = this.#entries[target]!.get(frameKey(frame[1]!));
        if (
          entry !== undefined && target === SHARD &&
          this.#serverUnsubscribed?.() === true
        ) return;
        if (entry !== undefined) {
          this.#fail(
            entry,
            new ConnectionError(
              `Subscription ended: the server unsubscribed this client from a ${
                NOUNS[target]
              }`,
            ),
          );
        }
        return;
      }
      default:
        return;
    }
    const inboxes = entry.inboxes;
    for (let i = 0; i < inboxes.length; i++) inboxes[i]!.deliver(message);
  }

  /** The socket was lost: each live subscription will report a gap. */
  #onDisconnect(error: Error): void {
    for (const inbox of this.#inboxes.keys()) {
      if (this.#live.has(inbox)) this.#lost.set(inbox, error);
    }
  }

  /**
   * A new socket is ready: every entry is subscribed again on it, and each
   * subscription the connection was lost under gets its gap marker, here,
   * before any message of the new socket.
   */
  #onReady(connection: Connection): void {
    for (const map of this.#entries) {
      for (const entry of map.values()) {
        if (entry.confirmed) {
          entry.confirmed = false;
          entry.ready = deferred();
        }
        // One still waiting to be written goes out now anyway.
        if (!entry.sending) this.#send(connection, entry);
      }
    }
    for (const [inbox, error] of this.#lost) {
      const entries = this.#inboxes.get(inbox) ?? [];
      inbox.gap(error, confirmed(entries, inbox).catch(noop));
    }
    this.#lost.clear();
  }

  /**
   * The connection closed for good: every subscription ends (`error`
   * undefined: a close) or fails; waiting subscribe() calls reject with
   * `refusal`. A later subscribe() opens a new connection.
   */
  #shutdown(error: Error | undefined, refusal: Error): void {
    this.#connection = undefined;
    for (const map of this.#entries) {
      for (const entry of map.values()) entry.ready.reject(refusal);
      map.clear();
    }
    for (const inbox of this.#inboxes.keys()) {
      if (error === undefined) inbox.end();
      else inbox.fail(error);
    }
    this.#inboxes.clear();
    this.#lost.clear();
  }
}

/**
 * Resolves once every entry is confirmed at the same time (a reconnection
 * may unconfirm one while another is awaited); rejects when one fails.
 */
async function confirmed(
  entries: readonly Entry[],
  inbox: Inbox<Message>,
): Promise<void> {
  for (;;) {
    if (!inbox.open) return;
    const waiting = entries.filter((entry) => !entry.confirmed);
    if (waiting.length === 0) return;
    await Promise.all(waiting.map((entry) => entry.ready.promise));
  }
}

/** `promise`, rejected when `limits` pass first. */
function bounded(
  promise: Promise<void>,
  limits: Limits | undefined,
  method: string,
): Promise<void> {
  const timeout = limits?.timeout;
  const signal = limits?.signal;
  if (timeout === undefined && signal === undefined) return promise;
  return new Promise<void>((resolve, reject) => {
    signal?.throwIfAborted();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const abort = () => reject(signal!.reason);
    const done = () => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener("abort", abort);
    };
    if (timeout !== undefined) {
      timer = setTimeout(
        () =>
          reject(
            new TimeoutError(
              `Cannot ${method}: the server did not confirm within ${timeout} ms`,
            ),
          ),
        timeout,
      );
    }
    signal?.addEventListener("abort", abort, { once: true });
    promise.then(resolve, reject).finally(done);
  });
}

/** Reply decoder of (UN)SUBSCRIBE: its one confirmation, `[kind, name, count]`. */
function expectConfirmation(value: RespValue): void {
  if (!Array.isArray(value) || value.length !== 3) {
    throw new TypeError("expected a subscription confirmation");
  }
}

/** The key of a name as a frame gives it (text, or bytes). */
function frameKey(name: RespValue): string {
  return typeof name === "string"
    ? name
    : name instanceof Uint8Array
    ? byteKey(name)
    : String(name);
}

/** One character per byte: a string that tells byte strings apart exactly. */
function byteKey(bytes: Uint8Array): string {
  let key = "";
  for (let i = 0; i < bytes.length; i += 4096) {
    key += String.fromCharCode(...bytes.subarray(i, i + 4096));
  }
  return key;
}
