// The shapes of the MEMORY STATS, SLOWLOG and LATENCY replies and their
// decoders, RESP2 and RESP3 alike. COMMAND's replies are in command_replies.ts,
// the other server replies in server_replies.ts and acl_replies.ts.

import type { RespValue } from "../resp/types.ts";
import type { Bulk } from "./_executor.ts";
import { array, bulkArray, text } from "./_reply.ts";
import { field, fields, integerValue, numberValue } from "./server_replies.ts";

/**
 * MEMORY STATS's reply, with the server's field names: byte counts, ratios
 * and percentages as numbers, and for each database with keys (`db.0`, ...)
 * the overhead of its hash tables. Fields a server version adds are there
 * too.
 *
 * @example Usage
 * ```ts
 * import { connect, type MemoryStats } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const stats: MemoryStats = await redis.memoryStats();
 * console.log(stats["total.allocated"], stats["keys.count"], stats["db.0"]);
 * ```
 */
export interface MemoryStats {
  /** Peak memory allocated, in bytes. */
  readonly "peak.allocated": number;
  /** Memory allocated now, in bytes. */
  readonly "total.allocated": number;
  /** Memory allocated at startup, in bytes. */
  readonly "startup.allocated": number;
  /** The replication backlog's size, in bytes. */
  readonly "replication.backlog": number;
  /** Memory used by replicas' connections, in bytes. */
  readonly "clients.slaves": number;
  /** Memory used by other clients' connections, in bytes. */
  readonly "clients.normal": number;
  /** The AOF buffers' size, in bytes. */
  readonly "aof.buffer": number;
  /** The Lua scripts' caches, in bytes. */
  readonly "lua.caches": number;
  /** The server's overhead (everything but the data set), in bytes. */
  readonly "overhead.total": number;
  /** The number of keys in every database. */
  readonly "keys.count": number;
  /** The average overhead per key, in bytes. */
  readonly "keys.bytes-per-key": number;
  /** The data set's size, in bytes. */
  readonly "dataset.bytes": number;
  /** The data set's share of the allocated memory, in percent. */
  readonly "dataset.percentage": number;
  /** The allocated memory's share of the peak, in percent. */
  readonly "peak.percentage": number;
  /** The resident set size over the allocated memory. */
  readonly fragmentation: number;
  /** Each database's hash table overhead, in bytes, by field name. */
  readonly [database: `db.${number}`]: Readonly<Record<string, number>>;
  /** Every other field. */
  readonly [field: string]: number | Readonly<Record<string, number>>;
}

/**
 * An entry of the slow log.
 *
 * @typeParam B The type of the logged arguments: `string`, or `Uint8Array`
 * on `binary` views.
 *
 * @example Usage
 * ```ts
 * import { connect, type SlowlogEntry } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const [entry]: SlowlogEntry[] = await redis.slowlogGet(1);
 * if (entry) console.log(entry.args.join(" "), `${entry.duration} µs`);
 * ```
 */
export interface SlowlogEntry<B extends Bulk = string> {
  /** The entry's unique, increasing id. */
  readonly id: number;
  /** When the command ran, in Unix seconds. */
  readonly timestamp: number;
  /** How long it ran, in microseconds. */
  readonly duration: number;
  /** The command and its arguments, shortened by the server when long. */
  readonly args: readonly B[];
  /** The client's address (`ip:port`). */
  readonly clientAddress: string;
  /** The client's name, `""` when it set none. */
  readonly clientName: string;
}

/**
 * The latency histogram of one command, in LATENCY HISTOGRAM's reply.
 *
 * @example Usage
 * ```ts
 * import { connect, type LatencyHistogram } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const { set }: Record<string, LatencyHistogram> = await redis.latencyHistogram("set");
 * if (set) console.log(set.calls, set.histogramUsec);
 * ```
 */
export interface LatencyHistogram {
  /** How many times the command ran. */
  readonly calls: number;
  /**
   * For each bucket's upper bound, in microseconds (powers of two), how many
   * calls took at most that long (cumulative counts).
   */
  readonly histogramUsec: Readonly<Record<number, number>>;
}

/**
 * A latency spike of an event, in LATENCY HISTORY's reply.
 *
 * @example Usage
 * ```ts
 * import { connect, type LatencySample } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const samples: LatencySample[] = await redis.latencyHistory("command");
 * for (const { timestamp, latency } of samples) console.log(timestamp, `${latency} ms`);
 * ```
 */
export interface LatencySample {
  /** When it happened, in Unix seconds. */
  readonly timestamp: number;
  /** How long it took, in milliseconds. */
  readonly latency: number;
}

/**
 * The latest latency spike of an event, in LATENCY LATEST's reply.
 *
 * @example Usage
 * ```ts
 * import { connect, type LatencyLatest } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const events: LatencyLatest[] = await redis.latencyLatest();
 * for (const { event, latest, max } of events) console.log(event, latest, max);
 * ```
 */
export interface LatencyLatest {
  /** The event's name, such as `"command"` or `"fast-command"`. */
  readonly event: string;
  /** When the latest spike happened, in Unix seconds. */
  readonly timestamp: number;
  /** The latest spike, in milliseconds. */
  readonly latest: number;
  /** The largest spike recorded, in milliseconds. */
  readonly max: number;
}

/** MEMORY STATS: numbers, and nested records of numbers (`db.N`). */
export function memoryStats(value: RespValue): MemoryStats {
  const out: Record<string, number | Record<string, number>> = Object.create(
    null,
  );
  for (const [name, item] of fields(value)) {
    if (item instanceof Map || Array.isArray(item)) {
      const nested: Record<string, number> = Object.create(null);
      for (const [k, v] of fields(item)) nested[k] = numberValue(v);
      out[name] = nested;
    } else {
      out[name] = numberValue(item);
    }
  }
  return out as unknown as MemoryStats;
}

/** SLOWLOG GET's entries. */
export function slowlogEntries<B extends Bulk>(
  value: RespValue,
): SlowlogEntry<B>[] {
  return array(value).map((entry) => {
    const parts = array(entry);
    if (parts.length < 4) throw new TypeError("expected a slow log entry");
    return {
      id: integerValue(parts[0]!),
      timestamp: integerValue(parts[1]!),
      duration: integerValue(parts[2]!),
      args: bulkArray<B>(parts[3]!),
      clientAddress: parts[4] === undefined ? "" : text(parts[4]),
      clientName: parts[5] === undefined ? "" : text(parts[5]),
    };
  });
}

/** LATENCY HISTOGRAM's reply: a histogram per command. */
export function latencyHistograms(
  value: RespValue,
): Record<string, LatencyHistogram> {
  const out: Record<string, LatencyHistogram> = Object.create(null);
  for (const [name, item] of fields(value)) {
    const map = fields(item);
    const histogram: Record<number, number> = Object.create(null);
    for (const [bucket, count] of fields(field(map, "histogram_usec"))) {
      histogram[integerValue(bucket)] = integerValue(count);
    }
    out[name] = {
      calls: integerValue(field(map, "calls")),
      histogramUsec: histogram,
    };
  }
  return out;
}

/** LATENCY HISTORY's `[timestamp, latency]` pairs. */
export function latencySamples(value: RespValue): LatencySample[] {
  return array(value).map((entry) => {
    const parts = array(entry);
    if (parts.length < 2) throw new TypeError("expected a latency sample");
    return {
      timestamp: integerValue(parts[0]!),
      latency: integerValue(parts[1]!),
    };
  });
}

/** LATENCY LATEST's `[event, timestamp, latest, max]` entries. */
export function latencyLatest(value: RespValue): LatencyLatest[] {
  return array(value).map((entry) => {
    const parts = array(entry);
    if (parts.length < 4) throw new TypeError("expected a latency event");
    return {
      event: text(parts[0]!),
      timestamp: integerValue(parts[1]!),
      latest: integerValue(parts[2]!),
      max: integerValue(parts[3]!),
    };
  });
}
