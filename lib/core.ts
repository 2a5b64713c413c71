// State a client shares with all its views: the connection, the limits, events,
// leases and subscribers, the cache, and the caches of views (by viewKey) and
// of prefixes (least recently used). Making a view is view.ts's.

import type { CachingSink } from "./cache/sink.ts";
import type { CacheStore } from "./cache/store.ts";
import type {
  Connection,
  Limits,
  RequestSink,
} from "./connection/connection.ts";
import { KeyPrefix, prefixId } from "./prefix.ts";
import type { Dedicated, Leases } from "./routing/router.ts";
import type { Subscribers } from "./routing/subscriber.ts";

/**
 * A promise view's limits: its own, with the client-wide `commandTimeout`
 * where it sets no timeout (a `with({ signal })` view keeps it too).
 */
export function withDefaultTimeout(
  limits: Limits | undefined,
  defaults: Limits | undefined,
): Limits | undefined {
  if (limits === undefined) return defaults;
  if (limits.timeout !== undefined || defaults === undefined) return limits;
  return { timeout: defaults.timeout, signal: limits.signal };
}

/**
 * How many prefixes keep their views cached: beyond it the least recently
 * used prefix's views are dropped (they keep working; only `===` between a
 * new and an old view of that prefix is lost).
 */
export const PREFIX_CACHE_SIZE = 1024;

/** A prefix and its cached views, keyed by {@linkcode viewKey}. */
interface PrefixEntry {
  readonly prefix: KeyPrefix;
  readonly views: Map<number, object>;
}

/** State shared by a client and all its views. */
export class Core {
  /** The router every request goes to. */
  readonly connection: Connection;
  /** The server address, for display. */
  readonly address: string;
  /** Limits of promise views without their own: the `commandTimeout` option. */
  readonly defaultLimits: Limits | undefined;
  /** Where the client's events are dispatched; views forward listeners here. */
  readonly events: EventTarget;
  /** Where watch() leases connections; none inside a watch() callback. */
  readonly leases: Leases | undefined;
  /** Where monitor() opens its connection. */
  readonly dedicated: Dedicated | undefined;
  /** Where subscribe() finds its subscriber connection. */
  readonly subscribers: Subscribers | undefined;
  /** Whether promise views capture call sites (the `captureCallSites` option). */
  readonly captureCallSites: boolean;
  /** The client-side cache and the sinks of its views, when on. */
  readonly cache: ClientCache | undefined;
  /** Views without a prefix, keyed by {@linkcode viewKey} (each a `RedisView`). */
  readonly views: Map<number, object> = new Map();
  /** Prefixed views by prefix id, least recently used first. */
  readonly #prefixes: Map<string, PrefixEntry> = new Map();

  constructor(
    connection: Connection,
    address: string,
    commandTimeout: number | undefined,
    leases?: Leases,
    events: EventTarget = new EventTarget(),
    dedicated?: Dedicated,
    subscribers?: Subscribers,
    captureCallSites = false,
    cache?: ClientCache,
  ) {
    this.connection = connection;
    this.captureCallSites = captureCallSites;
    this.address = address;
    this.defaultLimits = commandTimeout === undefined
      ? undefined
      : { timeout: commandTimeout };
    this.leases = leases;
    this.events = events;
    this.dedicated = dedicated;
    this.subscribers = subscribers;
    this.cache = cache;
  }

  /**
   * The cached views of a prefix (or, without one, the unprefixed views),
   * keyed by {@linkcode viewKey}; the prefix is made most recently used.
   *
   * @param prefix The views' prefix, if any.
   * @returns The views (each a `RedisView`, made by view.ts).
   */
  viewsOf(prefix: KeyPrefix | undefined): Map<number, object> {
    return prefix === undefined
      ? this.views
      : this.#entry(prefix.id, prefix.bytes, prefix).views;
  }

  /**
   * This state over a leased connection, for a watch() callback's view:
   * nothing to lease from (callbacks do not nest), and the lease is not
   * tracked: its reads are never served from the cache nor kept, and its
   * writes drop their keys' entries.
   *
   * @param connection The leased connection.
   * @returns The new state.
   */
  leased(connection: Connection): Core {
    const cache = this.cache;
    const passing = cache?.passing.over(connection);
    return new Core(
      connection,
      this.address,
      this.defaultLimits?.timeout,
      undefined,
      this.events,
      this.dedicated,
      this.subscribers,
      this.captureCallSites,
      cache === undefined || passing === undefined
        ? undefined
        : { store: cache.store, serving: passing, passing },
    );
  }

  /**
   * The prefix of these bytes: the cached one (the same object for the
   * same bytes while cached), or a new one.
   *
   * @param bytes The whole prefix (kept: pass a copy of the caller's bytes).
   * @returns The prefix.
   */
  prefix(bytes: Uint8Array): KeyPrefix {
    return this.#entry(prefixId(bytes), bytes, undefined).prefix;
  }

  /** The cache entry of a prefix, made most recently used; evicts the least. */
  #entry(
    id: string,
    bytes: Uint8Array,
    prefix: KeyPrefix | undefined,
  ): PrefixEntry {
    const prefixes = this.#prefixes;
    let entry = prefixes.get(id);
    if (entry !== undefined) {
      prefixes.delete(id);
    } else {
      entry = { prefix: prefix ?? new KeyPrefix(bytes), views: new Map() };
      if (prefixes.size >= PREFIX_CACHE_SIZE) {
        prefixes.delete(prefixes.keys().next().value!);
      }
    }
    prefixes.set(id, entry);
    return entry;
  }
}

/** The cache key of a view without limits. */
export function viewKey(
  db: number,
  binary: boolean,
  bigint: boolean,
  mode: "promise" | "void",
  uncached = false,
): number {
  return db * 16 + (uncached ? 8 : 0) + (bigint ? 4 : 0) + (binary ? 2 : 0) +
    (mode === "void" ? 1 : 0);
}

/** A client's cache: its store, and the sinks its views send through. */
export interface ClientCache {
  /** The entries and counts. */
  readonly store: CacheStore;
  /** The sink of views that read through the cache. */
  readonly serving: RequestSink;
  /** The sink of `uncached` views and of batches: writes invalidate, nothing is served. */
  readonly passing: CachingSink;
}
