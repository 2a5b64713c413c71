// The shapes of stream replies (entries, XREAD, XINFO) and their decoders,
// RESP2 and RESP3 alike, plus the helpers stream_groups_replies.ts shares.
// Ids and names are text, field values the view's bulk type.

import type { RespValue } from "../resp/types.ts";
import type { Bulk } from "./_executor.ts";
import { array, bulk, record, safeInteger, text } from "./_reply.ts";

/**
 * A stream entry: its id and its fields (an object with no prototype, field
 * names as text, values in the view's bulk type).
 *
 * @typeParam B The type of field values.
 *
 * @example Usage
 * ```ts
 * import { connect, type StreamEntry } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * await redis.xadd("events", { kind: "login" });
 * const [entry]: StreamEntry[] = await redis.xrange("events", "-", "+");
 * console.log(entry?.fields.kind); // → "login"
 * ```
 */
export interface StreamEntry<B extends Bulk = string> {
  /** The entry's id, such as `"1700000000000-0"`. */
  id: string;
  /** The entry's fields and values. */
  fields: Record<string, B>;
}

/**
 * The entries read from one stream by {@linkcode StreamCommands.xread} or
 * {@linkcode StreamGroupCommands.xreadgroup}.
 *
 * @typeParam B The type of keys and field values.
 * @typeParam E The type of the entries.
 *
 * @example Usage
 * ```ts
 * import { connect, type StreamEntries } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * await redis.xadd("events", { kind: "login" });
 * const read: StreamEntries[] | null = await redis.xread({ events: "0" });
 * console.log(read?.[0]?.key); // → "events"
 * ```
 */
export interface StreamEntries<
  B extends Bulk = string,
  E = StreamEntry<B>,
> {
  /** The stream's key. */
  key: B;
  /** The entries read, in id order. */
  entries: E[];
}

/**
 * What {@linkcode StreamInfo} and {@linkcode StreamInfoFull} share.
 *
 * @example Usage
 * ```ts
 * import type { StreamInfoBase } from "@sleeve/redis";
 *
 * function describe(info: StreamInfoBase): string {
 *   return `${info.length} entries, last ${info.lastGeneratedId}`;
 * }
 * console.log(typeof describe);
 * ```
 */
export interface StreamInfoBase {
  /** The number of entries. */
  length: number;
  /** The number of keys in the stream's radix tree. */
  radixTreeKeys: number;
  /** The number of nodes in the stream's radix tree. */
  radixTreeNodes: number;
  /** The highest id ever added. */
  lastGeneratedId: string;
  /** The highest id ever deleted (Redis 7.0 and later). */
  maxDeletedEntryId: string;
  /** How many entries were ever added (Redis 7.0 and later). */
  entriesAdded: number;
  /** The id of the first entry still in the stream, as recorded (Redis 7.0 and later). */
  recordedFirstEntryId: string;
}

/**
 * The reply of {@linkcode StreamCommands.xinfoStream}.
 *
 * @typeParam B The type of field values.
 *
 * @example Usage
 * ```ts
 * import { connect, type StreamInfo } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * await redis.xadd("events", { kind: "login" });
 * const info: StreamInfo = await redis.xinfoStream("events");
 * console.log(info.length, info.firstEntry?.fields.kind); // → 1 "login"
 * ```
 */
export interface StreamInfo<B extends Bulk = string> extends StreamInfoBase {
  /** The number of consumer groups. */
  groups: number;
  /** The first entry, or `null` when the stream is empty. */
  firstEntry: StreamEntry<B> | null;
  /** The last entry, or `null` when the stream is empty. */
  lastEntry: StreamEntry<B> | null;
}

/**
 * The reply of {@linkcode StreamCommands.xinfoStream} with `full: true`.
 *
 * @typeParam B The type of field values.
 *
 * @example Usage
 * ```ts
 * import { connect, type StreamInfoFull } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * await redis.xadd("events", { kind: "login" });
 * const info: StreamInfoFull = await redis.xinfoStream("events", { full: true });
 * console.log(info.entries.length, info.groups.length); // → 1 0
 * ```
 */
export interface StreamInfoFull<B extends Bulk = string>
  extends StreamInfoBase {
  /** The entries, up to the requested count. */
  entries: StreamEntry<B>[];
  /** Every consumer group, in full. */
  groups: StreamGroupFullInfo[];
}

/**
 * A consumer group in {@linkcode StreamInfoFull}.
 *
 * @example Usage
 * ```ts
 * import type { StreamGroupFullInfo } from "@sleeve/redis";
 *
 * const group: StreamGroupFullInfo = {
 *   name: "workers", lastDeliveredId: "0-0", entriesRead: null, lag: 0,
 *   pelCount: 0, pending: [], consumers: [],
 * };
 * console.log(group);
 * ```
 */
export interface StreamGroupFullInfo {
  /** The group's name. */
  name: string;
  /** The id of the last entry delivered to the group. */
  lastDeliveredId: string;
  /** How many entries the group has read, or `null` when unknown. */
  entriesRead: number | null;
  /** How many entries are still to be delivered, or `null` when unknown. */
  lag: number | null;
  /** The number of pending entries. */
  pelCount: number;
  /** The pending entries, up to the requested count. */
  pending: StreamPendingInfo[];
  /** Every consumer of the group. */
  consumers: StreamConsumerFullInfo[];
}

/**
 * A pending entry of a group in {@linkcode StreamInfoFull}.
 *
 * @example Usage
 * ```ts
 * import type { StreamPendingInfo } from "@sleeve/redis";
 *
 * const pending: StreamPendingInfo = {
 *   id: "1-0", consumer: "worker-1", deliveryTime: 1700000000000, deliveryCount: 1,
 * };
 * console.log(pending);
 * ```
 */
export interface StreamPendingInfo {
  /** The entry's id. */
  id: string;
  /** The consumer it was delivered to. */
  consumer: string;
  /** When it was last delivered, as a Unix time in milliseconds. */
  deliveryTime: number;
  /** How many times it was delivered. */
  deliveryCount: number;
}

/**
 * A consumer in {@linkcode StreamGroupFullInfo}.
 *
 * @example Usage
 * ```ts
 * import type { StreamConsumerFullInfo } from "@sleeve/redis";
 *
 * const consumer: StreamConsumerFullInfo = {
 *   name: "worker-1", seenTime: 1700000000000, pelCount: 0, pending: [],
 * };
 * console.log(consumer);
 * ```
 */
export interface StreamConsumerFullInfo {
  /** The consumer's name. */
  name: string;
  /** When it last tried to read or claim, as a Unix time in milliseconds. */
  seenTime: number;
  /** When it last read or claimed an entry, as a Unix time in milliseconds (Redis 7.2 and later). */
  activeTime?: number;
  /** The number of its pending entries. */
  pelCount: number;
  /** Its pending entries, up to the requested count. */
  pending: { id: string; deliveryTime: number; deliveryCount: number }[];
}

/**
 * A consumer group, from {@linkcode StreamCommands.xinfoGroups}.
 *
 * @example Usage
 * ```ts
 * import { connect, type StreamGroupInfo } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * await redis.xgroupCreate("events", "workers", "$", { mkstream: true });
 * const [group]: StreamGroupInfo[] = await redis.xinfoGroups("events");
 * console.log(group?.name, group?.pending); // → "workers" 0
 * ```
 */
export interface StreamGroupInfo {
  /** The group's name. */
  name: string;
  /** The number of its consumers. */
  consumers: number;
  /** The number of its pending entries. */
  pending: number;
  /** The id of the last entry delivered to the group. */
  lastDeliveredId: string;
  /** How many entries the group has read, or `null` when unknown. */
  entriesRead: number | null;
  /** How many entries are still to be delivered, or `null` when unknown. */
  lag: number | null;
}

/**
 * A consumer of a group, from {@linkcode StreamCommands.xinfoConsumers}.
 *
 * @example Usage
 * ```ts
 * import { connect, type StreamConsumerInfo } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * await redis.xgroupCreate("events", "workers", "$", { mkstream: true });
 * await redis.xgroupCreateconsumer("events", "workers", "worker-1");
 * const [consumer]: StreamConsumerInfo[] = await redis.xinfoConsumers("events", "workers");
 * console.log(consumer?.name, consumer?.pending); // → "worker-1" 0
 * ```
 */
export interface StreamConsumerInfo {
  /** The consumer's name. */
  name: string;
  /** The number of its pending entries. */
  pending: number;
  /** Milliseconds since it last tried to read or claim. */
  idle: number;
  /** Milliseconds since it last read or claimed an entry (Redis 7.2 and later). */
  inactive?: number;
}

// --- Decoders ---------------------------------------------------------------

function describe(value: RespValue): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (value instanceof Uint8Array) return "bytes";
  if (typeof value === "object") return value.constructor.name;
  return typeof value;
}

export function mismatch(expected: string, value: RespValue): TypeError {
  return new TypeError(`expected ${expected}, received ${describe(value)}`);
}

/** A text value or null. */
export function textOrNull(value: RespValue): string | null {
  return value === null ? null : text(value);
}

/** An integer or null, as a number. */
function safeIntegerOrNull(value: RespValue): number | null {
  return value === null ? null : safeInteger(value);
}

/** An array of ids. */
export function idArray(value: RespValue): string[] {
  const items = array(value);
  const out: string[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) out[i] = text(items[i]!);
  return out;
}

/** An entry: `[id, [field, value, ...]]`. */
export function streamEntry<B extends Bulk>(value: RespValue): StreamEntry<B> {
  const pair = array(value);
  if (pair.length !== 2 || pair[1] === null) {
    throw mismatch("an id and fields", value);
  }
  return { id: text(pair[0]!), fields: record<B>(pair[1]!) };
}

/** An entry or null (XINFO STREAM's first and last entry). */
function streamEntryOrNull<B extends Bulk>(
  value: RespValue,
): StreamEntry<B> | null {
  return value === null ? null : streamEntry<B>(value);
}

/** XRANGE, XREVRANGE, XCLAIM: an array of entries. */
export function streamEntries<B extends Bulk>(
  value: RespValue,
): StreamEntry<B>[] {
  const items = array(value);
  const out: StreamEntry<B>[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) out[i] = streamEntry<B>(items[i]!);
  return out;
}

/**
 * The streams of XREAD or XREADGROUP: a RESP3 map of key → entries, or a
 * RESP2 array of `[key, entries]` pairs; null when nothing was read.
 */
export function streamsReply<B extends Bulk, E>(
  value: RespValue,
  entry: (value: RespValue) => E,
): StreamEntries<B, E>[] | null {
  if (value === null) return null;
  const out: StreamEntries<B, E>[] = [];
  const add = (key: RespValue, entries: RespValue) => {
    out.push({ key: bulk<B>(key), entries: array(entries).map(entry) });
  };
  if (value instanceof Map) {
    for (const [key, entries] of value) add(key, entries);
    return out;
  }
  for (const item of array(value)) {
    const pair = array(item);
    if (pair.length !== 2) throw mismatch("a key and entries", item);
    add(pair[0]!, pair[1]!);
  }
  return out;
}

/** XREAD's reply. */
export function xreadReply<B extends Bulk>(
  value: RespValue,
): StreamEntries<B>[] | null {
  return streamsReply<B, StreamEntry<B>>(value, streamEntry<B>);
}

/** Reads a field/value reply (a RESP3 map or a RESP2 flat array). */
function eachField(
  value: RespValue,
  fn: (name: string, value: RespValue) => void,
): void {
  if (value instanceof Map) {
    for (const [k, v] of value) fn(text(k), v);
    return;
  }
  const items = array(value);
  if (items.length % 2 !== 0) {
    throw mismatch("an even number of elements", value);
  }
  for (let i = 0; i < items.length; i += 2) fn(text(items[i]!), items[i + 1]!);
}

/** `radix-tree-keys` → `radixTreeKeys`. */
function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

type Field = (value: RespValue) => unknown;

/**
 * An XINFO object: each field named in camelCase and converted by its entry
 * in `fields`; a field a newer server adds is kept when it is an integer or
 * a string (so it can be read before this table knows it), dropped otherwise.
 */
function infoObject<T>(
  value: RespValue,
  fields: Readonly<Record<string, Field>>,
): T {
  const out: Record<string, unknown> = {};
  eachField(value, (name, field) => {
    const convert = fields[name];
    if (convert !== undefined) out[camelCase(name)] = convert(field);
    else if (typeof field === "number" || typeof field === "bigint") {
      out[camelCase(name)] = safeInteger(field);
    } else if (typeof field === "string" || field instanceof Uint8Array) {
      out[camelCase(name)] = text(field);
    }
  });
  return out as T;
}

const STREAM_BASE: Readonly<Record<string, Field>> = {
  "length": safeInteger,
  "radix-tree-keys": safeInteger,
  "radix-tree-nodes": safeInteger,
  "last-generated-id": text,
  "max-deleted-entry-id": text,
  "entries-added": safeInteger,
  "recorded-first-entry-id": text,
};

/** XINFO STREAM's reply. */
export function xinfoStreamReply<B extends Bulk>(
  value: RespValue,
): StreamInfo<B> {
  return infoObject<StreamInfo<B>>(value, {
    ...STREAM_BASE,
    "groups": safeInteger,
    "first-entry": streamEntryOrNull<B>,
    "last-entry": streamEntryOrNull<B>,
  });
}

const GROUP_PENDING: Field = (value) =>
  array(value).map((item): StreamPendingInfo => {
    const row = array(item);
    if (row.length !== 4) throw mismatch("a pending entry", item);
    return {
      id: text(row[0]!),
      consumer: text(row[1]!),
      deliveryTime: safeInteger(row[2]!),
      deliveryCount: safeInteger(row[3]!),
    };
  });

const CONSUMER_PENDING: Field = (value) =>
  array(value).map((item) => {
    const row = array(item);
    if (row.length !== 3) throw mismatch("a pending entry", item);
    return {
      id: text(row[0]!),
      deliveryTime: safeInteger(row[1]!),
      deliveryCount: safeInteger(row[2]!),
    };
  });

const FULL_CONSUMER: Readonly<Record<string, Field>> = {
  "name": text,
  "seen-time": safeInteger,
  "active-time": safeInteger,
  "pel-count": safeInteger,
  "pending": CONSUMER_PENDING,
};

const FULL_GROUP: Readonly<Record<string, Field>> = {
  "name": text,
  "last-delivered-id": text,
  "entries-read": safeIntegerOrNull,
  "lag": safeIntegerOrNull,
  "pel-count": safeInteger,
  "pending": GROUP_PENDING,
  "consumers": (value) =>
    array(value).map((item) =>
      infoObject<StreamConsumerFullInfo>(item, FULL_CONSUMER)
    ),
};

/** XINFO STREAM FULL's reply. */
export function xinfoStreamFullReply<B extends Bulk>(
  value: RespValue,
): StreamInfoFull<B> {
  return infoObject<StreamInfoFull<B>>(value, {
    ...STREAM_BASE,
    "entries": streamEntries<B>,
    "groups": (groups) =>
      array(groups).map((item) =>
        infoObject<StreamGroupFullInfo>(item, FULL_GROUP)
      ),
  });
}

const GROUP: Readonly<Record<string, Field>> = {
  "name": text,
  "consumers": safeInteger,
  "pending": safeInteger,
  "last-delivered-id": text,
  "entries-read": safeIntegerOrNull,
  "lag": safeIntegerOrNull,
};

/** XINFO GROUPS' reply. */
export function xinfoGroupsReply(value: RespValue): StreamGroupInfo[] {
  return array(value).map((item) => infoObject<StreamGroupInfo>(item, GROUP));
}

const CONSUMER: Readonly<Record<string, Field>> = {
  "name": text,
  "pending": safeInteger,
  "idle": safeInteger,
  "inactive": safeInteger,
};

/** XINFO CONSUMERS' reply. */
export function xinfoConsumersReply(value: RespValue): StreamConsumerInfo[] {
  return array(value).map((item) =>
    infoObject<StreamConsumerInfo>(item, CONSUMER)
  );
}

/** A HELP reply: lines of text. */
export function helpLines(value: RespValue): string[] {
  return idArray(value);
}

/** An id, or null (XADD with NOMKSTREAM on a missing stream). */
export function idOrNull(value: RespValue): string | null {
  return textOrNull(value);
}
