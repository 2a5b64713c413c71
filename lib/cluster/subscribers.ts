// Pub/sub on a cluster: channels and patterns on one connection to any
// master (the cluster bus carries every PUBLISH to every node), shard
// channels on one connection per slot to the master serving it. Each
// connection finds its node anew on every (re)connection through a locator,
// so a subscription follows a failover; a slot that moves away (the node
// unsubscribes its shard channels itself) moves its connection to the new
// owner, where every channel is subscribed again (a gap marker, as after a
// reconnection).

import { abortable } from "../_timers.ts";
import type { Bulk } from "../commands/_executor.ts";
import type { RedisKey } from "../commands/_base.ts";
import type {
  ConnectionConfig,
  Located,
  Locator,
} from "../connection/config.ts";
import type { Limits } from "../connection/connection.ts";
import { SocketConnection } from "../connection/socket_connection.ts";
import { ConnectionError, CrossSlotError, ReplyError } from "../errors.ts";
import {
  Subscriber,
  type Subscribing,
  type Target,
} from "../routing/subscriber.ts";
import type { SubscribeOptions, Subscription } from "../subscription.ts";
import { keySlot } from "./slot.ts";

/** What the cluster subscribers need of the cluster router. */
export interface SubscribersHost {
  /** The master serving `slot`, as far as the router knows. */
  owner(slot: number): string | undefined;
  /** A master for a keyless use, in turn. */
  anyMaster(): string;
  /** Refreshes the slot map (shared, rate-limited); never rejects. */
  refresh(reason: string): Promise<void>;
  /** The configuration of a reconnecting connection to `address`. */
  config(address: string): ConnectionConfig;
  /** Whether the client is closed. */
  isClosed(): boolean;
}

/** How many times a shard subscribe() answered MOVED is tried again. */
const MOVED_RETRIES = 3;

/**
 * Finds a node for every connection attempt: `pick()` after the slot map
 * was refreshed (but for the first attempt), and keeps the socket's drop
 * function, to move the connection when its node no longer serves it.
 */
class NodeLocator implements Locator {
  readonly #host: SubscribersHost;
  readonly #pick: () => string | undefined;
  readonly #what: string;
  #attempts = 0;
  #drop: ((error: Error) => void) | undefined;

  constructor(
    host: SubscribersHost,
    pick: () => string | undefined,
    what: string,
  ) {
    this.#host = host;
    this.#pick = pick;
    this.#what = what;
  }

  async attempt<T>(
    signal: AbortSignal,
    connect: (located: Located) => Promise<T>,
  ): Promise<T> {
    // After a loss, the node may have been replaced: ask the map again.
    // The connection's close aborts the attempt: it must not wait on that.
    if (this.#attempts++ > 0) {
      await abortable(this.#host.refresh("subscriber"), signal);
    }
    let address = this.#pick();
    if (address === undefined) {
      await abortable(this.#host.refresh("subscriber"), signal);
      address = this.#pick();
    }
    if (address === undefined) {
      throw new ConnectionError(
        `Cannot subscribe: no node serves ${this.#what}`,
      );
    }
    return await connect({
      transport: this.#host.config(address).transport,
      address,
    });
  }

  verify(): Promise<void> {
    return Promise.resolve();
  }

  adopt(_located: Located, drop: (error: Error) => void): () => void {
    this.#drop = drop;
    return () => {
      if (this.#drop === drop) this.#drop = undefined;
    };
  }

  moved(): () => void {
    return () => {};
  }

  readonly(): void {}

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Gives the current socket up: the connection reconnects, asking anew. */
  drop(reason: string): boolean {
    const drop = this.#drop;
    if (drop === undefined) return false;
    this.#drop = undefined;
    drop(new ConnectionError(`Cannot stay subscribed here: ${reason}`));
    return true;
  }
}

/** A subscriber connection and the locator that places it. */
interface Placed {
  readonly subscriber: Subscriber;
  readonly locator: NodeLocator;
}

/** The subscribers of one bulk type of a cluster client. */
export class ClusterSubscriber implements Subscribing {
  readonly #host: SubscribersHost;
  readonly #binary: boolean;
  #any: Placed | undefined;
  /** Shard-channel subscribers by slot. */
  readonly #shards = new Map<number, Placed>();

  /**
   * Constructs a new instance.
   *
   * @param host The cluster router.
   * @param binary Whether its messages are bytes.
   */
  constructor(host: SubscribersHost, binary: boolean) {
    this.#host = host;
    this.#binary = binary;
  }

  /** Subscribes on the connection that serves `target` and `names`. */
  async subscribe<B extends Bulk>(
    target: Target,
    names: readonly RedisKey[],
    options: SubscribeOptions | undefined,
    limits: Limits | undefined,
  ): Promise<Subscription<B>> {
    if (target !== "shard") {
      this.#any ??= this.#place(() => this.#host.anyMaster(), "any master");
      return this.#any.subscriber.subscribe<B>(target, names, options, limits);
    }
    let slot: number | undefined;
    for (const name of names) {
      const s = typeof name === "string" || name instanceof Uint8Array
        ? keySlot(name)
        : undefined;
      if (s === undefined) break; // subscribe() names the bad argument
      if (slot !== undefined && s !== slot) {
        throw new CrossSlotError(
          "SSUBSCRIBE",
          "Cannot ssubscribe: the shard channels hash to different cluster slots, so nothing was sent (subscribe to each slot's channels in its own call, or give them a common hash tag)",
        );
      }
      slot = s;
    }
    const at = slot ?? 0;
    let placed = this.#shards.get(at);
    if (placed === undefined) {
      placed = this.#place(
        () => this.#host.owner(at),
        `slot ${at}`,
        () => this.#moved(at),
      );
      this.#shards.set(at, placed);
    }
    for (let attempt = 0;; attempt++) {
      try {
        return await placed.subscriber.subscribe<B>(
          target,
          names,
          options,
          limits,
        );
      } catch (error) {
        // Subscribed on a node that no longer serves the slot: move there.
        if (
          !(error instanceof ReplyError) || error.code !== "MOVED" ||
          attempt >= MOVED_RETRIES
        ) throw error;
        await this.#host.refresh("MOVED");
        placed.locator.drop("the slot moved");
      }
    }
  }

  /** The node unsubscribed a shard channel of `slot` itself: follow it. */
  #moved(slot: number): boolean {
    const placed = this.#shards.get(slot);
    if (placed === undefined || this.#host.isClosed()) return false;
    void this.#host.refresh("SUNSUBSCRIBE");
    placed.locator.drop(`slot ${slot} moved to another node`);
    return true;
  }

  #place(
    pick: () => string | undefined,
    what: string,
    serverUnsubscribed?: () => boolean,
  ): Placed {
    const locator = new NodeLocator(this.#host, pick, what);
    const binary = this.#binary;
    const subscriber = new Subscriber(binary, 0, () => {
      if (this.#host.isClosed()) {
        return Promise.reject(
          new ConnectionError("Cannot subscribe: the client is closed"),
        );
      }
      const first = pick() ?? this.#host.anyMaster();
      return SocketConnection.open({
        ...this.#host.config(first),
        subscriber: binary ? "binary" : "text",
        locator,
      });
    }, serverUnsubscribed);
    return { subscriber, locator };
  }

  /** Closes every subscriber connection (every subscription ends). */
  async close(): Promise<void> {
    await Promise.all([
      this.#any?.subscriber.close(),
      ...[...this.#shards.values()].map((p) => p.subscriber.close()),
    ]);
  }
}
