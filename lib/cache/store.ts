// The client-side cache's memory: entries by id (command, view and
// arguments), least recently used first out within the bounds, indexed by
// the keys they read; the invalidation clock that keeps a reply older than an
// invalidation of its key from being stored; and the counts stats() reports.

import type { RespValue } from "../resp/types.ts";
import { cacheKind } from "./cacheable.ts";

/**
 * What `redis.stats().cache` reports: the counts since the client was
 * made, and what the cache holds now. `stored` always equals `entries +
 * evictions + expired + invalidated + flushed`, and every read the cache
 * could serve is a hit or a miss.
 *
 * @example Usage
 * ```ts
 * import { connect, type CacheStats } from "@sleeve/redis";
 *
 * await using redis = await connect({ cache: { maxEntries: 10_000 } });
 * await redis.get("greeting");
 * await redis.get("greeting");
 * const stats: CacheStats = redis.stats().cache;
 * console.log(stats.hits, stats.misses); // → 1 1
 * ```
 */
export interface CacheStats {
  /** Whether the client was connected with the `cache` option. */
  readonly enabled: boolean;
  /** Cacheable reads answered from memory. */
  readonly hits: number;
  /** Cacheable reads sent to the server (not held, or not served meanwhile). */
  readonly misses: number;
  /** Replies stored. */
  readonly stored: number;
  /**
   * Replies not stored: an invalidation of one of their keys (or a flush)
   * arrived while they were in flight, so they may be older than the write.
   */
  readonly discarded: number;
  /** Keys invalidated: by the server's invalidation messages, and by this client's own writes. */
  readonly invalidations: number;
  /** Entries dropped because a key they read was invalidated. */
  readonly invalidated: number;
  /** Entries dropped to stay within `maxEntries` and `maxBytes`. */
  readonly evictions: number;
  /** Entries dropped because they outlived `ttl`. */
  readonly expired: number;
  /**
   * Times the whole cache was dropped: a lost connection (tracking or its
   * redirect target), a null invalidation (FLUSHDB, FLUSHALL), or a
   * tracking refusal.
   */
  readonly flushes: number;
  /** Entries dropped by flushes. */
  readonly flushed: number;
  /** Entries held now. */
  readonly entries: number;
  /** Bytes held now: an estimate of the entries' ids, keys and values. */
  readonly bytes: number;
}

/** The bounds of a store. */
export interface StoreBounds {
  /** Entries held at most. */
  readonly maxEntries: number;
  /** Bytes (estimated) held at most. */
  readonly maxBytes: number;
  /** Milliseconds an entry is served after it was stored (Infinity: no limit). */
  readonly ttl: number;
}

/** Entries of one command in one view, by their arguments' id. */
export type Table = Map<string, Entry>;

/**
 * What a store knows of one command: what the cache does with it (see
 * cacheable.ts) and its tables, made on first use, by
 * {@linkcode tableIndex}.
 */
export interface CommandTables {
  /** PASS, CACHED or WRITES (cacheable.ts). */
  readonly kind: number;
  readonly tables: (Table | undefined)[];
}

/**
 * The index of a table among a command's: by database, bulk type, and
 * whether the invocation is one string argument (then keyed by that string
 * itself, with no id to build).
 */
export function tableIndex(
  db: number,
  binary: boolean,
  single: boolean,
): number {
  return db * 4 + (binary ? 2 : 0) + (single ? 0 : 1);
}

/** One stored reply. */
class Entry {
  readonly table: Table;
  readonly id: string;
  /** The keys the command read, as invalidations name them. */
  readonly keys: readonly string[];
  readonly value: RespValue;
  readonly bytes: number;
  /** `performance.now()` past which it is not served; 0: never expires. */
  readonly expires: number;
  /** Towards the most recently used. */
  newer: Entry | null = null;
  /** Towards the least recently used. */
  older: Entry | null = null;

  constructor(
    table: Table,
    id: string,
    keys: readonly string[],
    value: RespValue,
    bytes: number,
    expires: number,
  ) {
    this.table = table;
    this.id = id;
    this.keys = keys;
    this.value = value;
    this.bytes = bytes;
    this.expires = expires;
  }
}

/**
 * Slots of the invalidation clock: a key's invalidations are recorded in
 * the slot its hash picks. Two keys sharing a slot only cost a reply not
 * stored; memory stays fixed however many keys are invalidated.
 */
export const EPOCH_SLOTS = 16384;

/** Estimated bytes an entry costs beyond its id, keys and value. */
const ENTRY_OVERHEAD = 96;

/** A store: entries, index, clock, counts. */
export class CacheStore {
  /** Per command: its kind and tables. */
  readonly #commands = new Map<object, CommandTables>();
  /** Every table made, for flushes. */
  readonly #tables: Table[] = [];
  #size = 0;
  /** Entries by key read (one entry, or several). */
  readonly #byKey = new Map<string, Entry | Entry[]>();
  /** Most recently used. */
  #newest: Entry | null = null;
  /** Least recently used: evicted first. */
  #oldest: Entry | null = null;
  readonly #bounds: StoreBounds;
  #bytes = 0;
  /** Advances on every invalidation and flush. */
  #clock = 1;
  /** The clock at the last flush. */
  #flushedAt = 0;
  /** The clock at each slot's last invalidation. */
  readonly #slots = new Float64Array(EPOCH_SLOTS);
  /**
   * Whether entries may be served and stored: every tracked connection has
   * tracking on (see {@linkcode CacheStore.up}). Off, every read goes to
   * the server.
   */
  live = false;
  /** The tracked connections (their Tracking), and those without tracking now. */
  readonly #tracked = new Set<object>();
  readonly #down = new Set<object>();

  hits = 0;
  misses = 0;
  #stored = 0;
  #discarded = 0;
  #invalidations = 0;
  #invalidated = 0;
  #evictions = 0;
  #expired = 0;
  #flushes = 0;
  #flushed = 0;

  /**
   * Constructs a new instance.
   *
   * @param bounds Its bounds.
   */
  constructor(bounds: StoreBounds) {
    this.#bounds = bounds;
  }

  /**
   * `owner` (the tracking of one connection) has tracking on: reads issued
   * from now on through its connection are tracked. The store serves once
   * every tracked connection is up, so that one connection per cluster node
   * can each carry its own.
   */
  up(owner: object): void {
    this.#tracked.add(owner);
    this.#down.delete(owner);
    this.live = this.#down.size === 0;
  }

  /**
   * `owner`'s connection may have missed invalidations (lost, or tracking
   * refused): nothing is served or stored until it is up again, and the
   * whole store is flushed.
   */
  down(owner: object): void {
    this.#tracked.add(owner);
    this.#down.add(owner);
    this.live = false;
    this.flush();
  }

  /** `owner` stopped for good (the client closes): flushed, and off if it was the last. */
  untrack(owner: object): void {
    this.#tracked.delete(owner);
    this.#down.delete(owner);
    this.live = this.#tracked.size > 0 && this.#down.size === 0;
    this.flush();
  }

  /** Entries held now. */
  get size(): number {
    return this.#size;
  }

  /** What the store knows of `command` (a table Command, or an internal one). */
  command(command: object): CommandTables {
    let known = this.#commands.get(command);
    if (known === undefined) {
      known = { kind: cacheKind(command), tables: [] };
      this.#commands.set(command, known);
    }
    return known;
  }

  /** A command's table at `index` ({@linkcode tableIndex}), made on first use. */
  table(command: CommandTables, index: number): Table {
    let table = command.tables[index];
    if (table === undefined) {
      table = new Map();
      command.tables[index] = table;
      this.#tables.push(table);
    }
    return table;
  }

  /**
   * The value stored under `id` in `table`, made most recently used, or
   * undefined (a miss: counted by the caller). An expired entry is dropped.
   */
  get(table: Table, id: string): RespValue | undefined {
    const entry = table.get(id);
    if (entry === undefined) return undefined;
    if (entry.expires !== 0 && performance.now() >= entry.expires) {
      this.#remove(entry);
      this.#expired++;
      return undefined;
    }
    if (entry !== this.#newest) {
      this.#unlink(entry);
      this.#link(entry);
    }
    return entry.value;
  }

  /**
   * The clock for a read about to be sent whose reply may be stored, or -1
   * when it may not (tracking is off).
   */
  issue(): number {
    return this.live ? this.#clock : -1;
  }

  /**
   * Stores the reply of a read issued at `issued` (from
   * {@linkcode CacheStore.issue}), unless a flush or an invalidation of one
   * of its keys came since: the reply may then be older than that write.
   */
  fill(
    table: Table,
    id: string,
    keys: readonly string[],
    value: RespValue,
    issued: number,
  ): void {
    if (issued < 0) return;
    if (!this.live || this.#flushedAt > issued) {
      this.#discarded++;
      return;
    }
    const slots = this.#slots;
    for (let i = 0; i < keys.length; i++) {
      if (slots[slotOf(keys[i]!)]! > issued) {
        this.#discarded++;
        return;
      }
    }
    const bounds = this.#bounds;
    let bytes = ENTRY_OVERHEAD + id.length * 2 + sizeOf(value);
    for (let i = 0; i < keys.length; i++) bytes += 16 + keys[i]!.length * 2;
    // An entry larger than the whole cache is not worth evicting for.
    if (bytes > bounds.maxBytes) return;
    const old = table.get(id);
    if (old !== undefined) {
      // Replaced, so neither counted as dropped nor stored twice.
      this.#remove(old);
      this.#stored--;
    }
    const expires = bounds.ttl === Infinity
      ? 0
      : performance.now() + bounds.ttl;
    const entry = new Entry(table, id, keys, value, bytes, expires);
    table.set(id, entry);
    this.#size++;
    this.#link(entry);
    this.#bytes += bytes;
    const byKey = this.#byKey;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const held = byKey.get(key);
      if (held === undefined) byKey.set(key, entry);
      else if (Array.isArray(held)) {
        if (!held.includes(entry)) held.push(entry);
      } else if (held !== entry) byKey.set(key, [held, entry]);
    }
    this.#stored++;
    while (this.#size > bounds.maxEntries || this.#bytes > bounds.maxBytes) {
      this.#remove(this.#oldest!);
      this.#evictions++;
    }
  }

  /**
   * `key` changed: its entries are dropped, and replies to reads of it
   * still in flight will not be stored.
   */
  invalidate(key: string): void {
    this.#invalidations++;
    this.#slots[slotOf(key)] = ++this.#clock;
    const held = this.#byKey.get(key);
    if (held === undefined) return;
    if (Array.isArray(held)) {
      for (const entry of held.slice()) {
        this.#remove(entry);
        this.#invalidated++;
      }
    } else {
      this.#remove(held);
      this.#invalidated++;
    }
  }

  /** Drops every entry; replies in flight will not be stored. */
  flush(): void {
    this.#flushedAt = ++this.#clock;
    this.#flushes++;
    this.#flushed += this.#size;
    this.#size = 0;
    for (const table of this.#tables) table.clear();
    this.#byKey.clear();
    this.#newest = null;
    this.#oldest = null;
    this.#bytes = 0;
  }

  /** The counts, as `stats().cache` reports them. */
  stats(): CacheStats {
    return {
      enabled: true,
      hits: this.hits,
      misses: this.misses,
      stored: this.#stored,
      discarded: this.#discarded,
      invalidations: this.#invalidations,
      invalidated: this.#invalidated,
      evictions: this.#evictions,
      expired: this.#expired,
      flushes: this.#flushes,
      flushed: this.#flushed,
      entries: this.#size,
      bytes: this.#bytes,
    };
  }

  #remove(entry: Entry): void {
    entry.table.delete(entry.id);
    this.#size--;
    this.#unlink(entry);
    this.#bytes -= entry.bytes;
    const byKey = this.#byKey;
    const keys = entry.keys;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const held = byKey.get(key);
      if (held === entry) byKey.delete(key);
      else if (Array.isArray(held)) {
        const at = held.indexOf(entry);
        if (at !== -1) held.splice(at, 1);
        if (held.length === 1) byKey.set(key, held[0]!);
        else if (held.length === 0) byKey.delete(key);
      }
    }
  }

  /** Makes it the newest. */
  #link(entry: Entry): void {
    const newest = this.#newest;
    entry.older = newest;
    entry.newer = null;
    if (newest !== null) newest.newer = entry;
    else this.#oldest = entry;
    this.#newest = entry;
  }

  #unlink(entry: Entry): void {
    const { newer, older } = entry;
    if (newer !== null) newer.older = older;
    else this.#newest = older;
    if (older !== null) older.newer = newer;
    else this.#oldest = newer;
    entry.newer = null;
    entry.older = null;
  }
}

/** The counts of a client without a cache. */
export const NO_CACHE_STATS: CacheStats = Object.freeze({
  enabled: false,
  hits: 0,
  misses: 0,
  stored: 0,
  discarded: 0,
  invalidations: 0,
  invalidated: 0,
  evictions: 0,
  expired: 0,
  flushes: 0,
  flushed: 0,
  entries: 0,
  bytes: 0,
});

/** The clock slot of a key: FNV-1a over its UTF-16 code units. */
function slotOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  }
  return (hash >>> 0) & (EPOCH_SLOTS - 1);
}

/** An estimate of the bytes a reply holds. */
export function sizeOf(value: RespValue): number {
  if (typeof value === "string") return 16 + value.length * 2;
  if (value === null || typeof value !== "object") return 8;
  if (value instanceof Uint8Array) return 64 + value.byteLength;
  if (Array.isArray(value)) {
    let bytes = 16 + value.length * 8;
    for (let i = 0; i < value.length; i++) bytes += sizeOf(value[i]!);
    return bytes;
  }
  if (value instanceof Map) {
    let bytes = 32 + value.size * 24;
    for (const [k, v] of value) bytes += sizeOf(k) + sizeOf(v);
    return bytes;
  }
  if (value instanceof Set) {
    let bytes = 32 + value.size * 16;
    for (const v of value) bytes += sizeOf(v);
    return bytes;
  }
  return 64;
}

/**
 * A copy of a stored reply that its caller may change freely: strings and
 * numbers as they are, arrays, maps, sets and bytes copied.
 */
export function copyOf(value: RespValue): RespValue {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Uint8Array) return value.slice();
  if (Array.isArray(value)) {
    const copy: RespValue[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = copyOf(value[i]!);
    return copy;
  }
  if (value instanceof Map) {
    const copy = new Map<RespValue, RespValue>();
    for (const [k, v] of value) copy.set(copyOf(k), copyOf(v));
    return copy;
  }
  if (value instanceof Set) {
    const copy = new Set<RespValue>();
    for (const v of value) copy.add(copyOf(v));
    return copy;
  }
  return value;
}
