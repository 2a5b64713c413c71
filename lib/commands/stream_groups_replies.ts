// The shapes of the consumer-group replies (XREADGROUP, XPENDING, XAUTOCLAIM)
// and their decoders, for stream_groups.ts. Entries, XINFO and the helpers
// they share are in streams_replies.ts.

import type { RespValue } from "../resp/types.ts";
import type { Bulk } from "./_executor.ts";
import { array, record, safeInteger, text } from "./_reply.ts";
import {
  idArray,
  mismatch,
  type StreamEntries,
  streamEntries,
  type StreamEntry,
  streamsReply,
  textOrNull,
} from "./streams_replies.ts";

/**
 * An entry delivered by {@linkcode StreamGroupCommands.xreadgroup}: as a
 * {@linkcode StreamEntry}, except that `fields` is `null` when a consumer
 * re-reads its pending entries and one of them was deleted from the stream.
 *
 * @typeParam B The type of field values.
 *
 * @example Usage
 * ```ts
 * import type { StreamGroupEntry } from "@sleeve/redis";
 *
 * const deleted: StreamGroupEntry = { id: "1-0", fields: null };
 * console.log(deleted);
 * ```
 */
export interface StreamGroupEntry<B extends Bulk = string> {
  /** The entry's id. */
  id: string;
  /** The entry's fields and values, or `null` when it was deleted. */
  fields: Record<string, B> | null;
}

/**
 * The summary form of {@linkcode StreamGroupCommands.xpending}: how many entries
 * a group has delivered but not acknowledged, and by whom.
 *
 * @example Usage
 * ```ts
 * import type { XPendingSummary } from "@sleeve/redis";
 *
 * const none: XPendingSummary = { count: 0, smallest: null, greatest: null, consumers: [] };
 * console.log(none);
 * ```
 */
export interface XPendingSummary {
  /** The number of pending entries. */
  count: number;
  /** The lowest pending id, or `null` when none is pending. */
  smallest: string | null;
  /** The highest pending id, or `null` when none is pending. */
  greatest: string | null;
  /** Each consumer with pending entries, and how many it has. */
  consumers: { name: string; count: number }[];
}

/**
 * One pending entry, from the extended form of
 * {@linkcode StreamGroupCommands.xpending}.
 *
 * @example Usage
 * ```ts
 * import type { XPendingEntry } from "@sleeve/redis";
 *
 * const entry: XPendingEntry = { id: "1-0", consumer: "worker-1", idle: 1500, deliveries: 2 };
 * console.log(entry);
 * ```
 */
export interface XPendingEntry {
  /** The entry's id. */
  id: string;
  /** The consumer it was delivered to. */
  consumer: string;
  /** Milliseconds since it was last delivered. */
  idle: number;
  /** How many times it was delivered. */
  deliveries: number;
}

/**
 * The reply of {@linkcode StreamGroupCommands.xautoclaim}.
 *
 * @typeParam E The claimed entries: {@linkcode StreamEntry} objects, or ids
 * with `justId`.
 *
 * @example Usage
 * ```ts
 * import type { XAutoClaimResult } from "@sleeve/redis";
 *
 * const done: XAutoClaimResult<string> = { next: "0-0", entries: ["1-0"], deleted: [] };
 * console.log(done);
 * ```
 */
export interface XAutoClaimResult<E = StreamEntry> {
  /** The id to start the next call from; `"0-0"` when the scan is complete. */
  next: string;
  /** The entries claimed. */
  entries: E[];
  /** Pending ids that no longer exist in the stream (removed from the pending list). */
  deleted: string[];
}

// --- Decoders ---------------------------------------------------------------

/** An integer sent as an integer or as a string of digits (XPENDING's counts). */
function countOf(value: RespValue): number {
  if (typeof value === "number" || typeof value === "bigint") {
    return safeInteger(value);
  }
  const s = text(value);
  const n = Number(s);
  if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(n)) {
    throw mismatch("an integer", value);
  }
  return n;
}

/** An entry from XREADGROUP, whose fields are null when it was deleted. */
function groupEntry<B extends Bulk>(value: RespValue): StreamGroupEntry<B> {
  const pair = array(value);
  if (pair.length !== 2) throw mismatch("an id and fields", value);
  const fields = pair[1]!;
  return {
    id: text(pair[0]!),
    fields: fields === null ? null : record<B>(fields),
  };
}

/** XREADGROUP's reply. */
export function xreadgroupReply<B extends Bulk>(
  value: RespValue,
): StreamEntries<B, StreamGroupEntry<B>>[] | null {
  return streamsReply<B, StreamGroupEntry<B>>(value, groupEntry<B>);
}

/** XPENDING's summary: `[count, smallest, greatest, [[consumer, count], ...]]`. */
export function xpendingSummary(value: RespValue): XPendingSummary {
  const items = array(value);
  if (items.length !== 4) throw mismatch("a pending summary", value);
  const consumers: { name: string; count: number }[] = [];
  if (items[3] !== null) {
    for (const item of array(items[3]!)) {
      const pair = array(item);
      if (pair.length !== 2) throw mismatch("a consumer and a count", item);
      consumers.push({ name: text(pair[0]!), count: countOf(pair[1]!) });
    }
  }
  return {
    count: safeInteger(items[0]!),
    smallest: textOrNull(items[1]!),
    greatest: textOrNull(items[2]!),
    consumers,
  };
}

/** XPENDING's extended form: `[[id, consumer, idle, deliveries], ...]`. */
export function xpendingEntries(value: RespValue): XPendingEntry[] {
  return array(value).map((item) => {
    const row = array(item);
    if (row.length !== 4) throw mismatch("a pending entry", item);
    return {
      id: text(row[0]!),
      consumer: text(row[1]!),
      idle: safeInteger(row[2]!),
      deliveries: safeInteger(row[3]!),
    };
  });
}

/** XAUTOCLAIM's reply: `[next, entries, deleted]` (deleted since Redis 7.0). */
export function xautoclaimReply<B extends Bulk>(
  value: RespValue,
): XAutoClaimResult<StreamEntry<B>> {
  const items = array(value);
  if (items.length < 2) throw mismatch("a cursor and entries", value);
  return {
    next: text(items[0]!),
    entries: streamEntries<B>(items[1]!),
    deleted: items.length > 2 ? idArray(items[2]!) : [],
  };
}

/** XAUTOCLAIM's reply with JUSTID. */
export function xautoclaimIdsReply(
  value: RespValue,
): XAutoClaimResult<string> {
  const items = array(value);
  if (items.length < 2) throw mismatch("a cursor and ids", value);
  return {
    next: text(items[0]!),
    entries: idArray(items[1]!),
    deleted: items.length > 2 ? idArray(items[2]!) : [],
  };
}
