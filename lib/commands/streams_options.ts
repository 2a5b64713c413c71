// Options of the stream commands (XADD, XTRIM, XRANGE, XREAD, XINFO STREAM,
// XSETID) and the arguments they become; consumer groups' options are in
// stream_groups_options.ts. Pure functions, tested without a server.

import type { RedisArg } from "../resp/encoder.ts";
import type { RedisKey } from "./_base.ts";

/**
 * The fields of a stream entry for {@linkcode StreamCommands.xadd}: an
 * object, or an array of `[field, value]` pairs (for binary field names, or
 * to repeat a field).
 *
 * @example Usage
 * ```ts
 * import type { StreamFields } from "@sleeve/redis";
 *
 * const fields: StreamFields = { sensor: "t1", celsius: 21.5 };
 * const pairs: StreamFields = [["sensor", "t1"], [new Uint8Array([0xff]), "raw"]];
 * console.log(fields, pairs);
 * ```
 */
export type StreamFields = Record<string, RedisArg> | [RedisArg, RedisArg][];

/**
 * How to trim a stream (XTRIM, and XADD's `trim`): to at most `maxLen`
 * entries, or by evicting the entries with an id below `minId`. With
 * `approximate`, Redis trims only whole internal nodes (faster, may keep a
 * few more entries), at most `limit` entries per call.
 *
 * @example Usage
 * ```ts
 * import type { StreamTrim } from "@sleeve/redis";
 *
 * const byLength: StreamTrim = { maxLen: 1000, approximate: true, limit: 100 };
 * const byId: StreamTrim = { minId: "1700000000000-0" };
 * console.log(byLength, byId);
 * ```
 */
export type StreamTrim =
  & ({ maxLen: number; minId?: undefined } | {
    minId: string;
    maxLen?: undefined;
  })
  & StreamTrimMode;

/**
 * The exactness of a {@linkcode StreamTrim}.
 *
 * @example Usage
 * ```ts
 * import type { StreamTrimMode } from "@sleeve/redis";
 *
 * const mode: StreamTrimMode = { approximate: true, limit: 100 };
 * console.log(mode);
 * ```
 */
export interface StreamTrimMode {
  /**
   * `true` trims approximately (`~`: whole nodes only, which is cheaper);
   * `false` trims exactly (`=`, also what an absent value means).
   *
   * @default {undefined}
   */
  approximate?: boolean;
  /**
   * With `approximate`, evict at most this many entries (`LIMIT`; 0 means
   * no limit).
   *
   * @default {undefined}
   */
  limit?: number;
}

/**
 * Options of {@linkcode StreamCommands.xadd}.
 *
 * @example Usage
 * ```ts
 * import type { XAddOptions } from "@sleeve/redis";
 *
 * const options: XAddOptions = { nomkstream: true, trim: { maxLen: 1000, approximate: true } };
 * console.log(options);
 * ```
 */
export interface XAddOptions {
  /**
   * The entry's id: `"*"` lets the server make one, `"1700000000000-*"`
   * fixes the time part, `"1700000000000-1"` fixes both.
   *
   * @default {"*"}
   */
  id?: string;
  /**
   * Do not create the stream when it does not exist (XADD then returns
   * `null`).
   *
   * @default {false}
   */
  nomkstream?: boolean;
  /**
   * Trim the stream after adding the entry.
   *
   * @default {undefined}
   */
  trim?: StreamTrim;
}

/**
 * Options of {@linkcode StreamCommands.xrange} and
 * {@linkcode StreamCommands.xrevrange}.
 *
 * @example Usage
 * ```ts
 * import type { XRangeOptions } from "@sleeve/redis";
 *
 * const options: XRangeOptions = { count: 100 };
 * console.log(options);
 * ```
 */
export interface XRangeOptions {
  /**
   * Return at most this many entries.
   *
   * @default {undefined}
   */
  count?: number;
}

/**
 * The streams to read and where to start in each, for
 * {@linkcode StreamCommands.xread} and {@linkcode StreamGroupCommands.xreadgroup}:
 * an object of key → id (`"0"` from the start, `"$"` only entries added
 * later, `">"` in a group for entries never delivered), or an array of
 * `[key, id]` pairs (for binary keys).
 *
 * @example Usage
 * ```ts
 * import type { StreamOffsets } from "@sleeve/redis";
 *
 * const byKey: StreamOffsets = { s1: "0", s2: "1700000000000-0" };
 * const pairs: StreamOffsets = [["s1", "0"], [new Uint8Array([0xff]), "0"]];
 * console.log(byKey, pairs);
 * ```
 */
export type StreamOffsets = Record<string, string> | [RedisKey, string][];

/**
 * Options of {@linkcode StreamCommands.xread}.
 *
 * @example Usage
 * ```ts
 * import type { XReadOptions } from "@sleeve/redis";
 *
 * const options: XReadOptions = { count: 10, block: 5_000 };
 * console.log(options);
 * ```
 */
export interface XReadOptions {
  /**
   * Return at most this many entries per stream.
   *
   * @default {undefined}
   */
  count?: number;
  /**
   * When no stream has entries, wait up to this many milliseconds for some
   * (0: until some come), on a dedicated connection that holds up no other
   * command; `redis.with({ signal, timeout })` cancels the wait. Without
   * it the read answers at once.
   *
   * @default {undefined}
   */
  block?: number;
}

/**
 * Options of {@linkcode StreamCommands.xinfoStream} for its full form.
 *
 * @example Usage
 * ```ts
 * import type { XInfoStreamFullOptions } from "@sleeve/redis";
 *
 * const options: XInfoStreamFullOptions = { full: true, count: 5 };
 * console.log(options);
 * ```
 */
export interface XInfoStreamFullOptions {
  /** Report every entry, group, consumer and pending entry (`FULL`). */
  full: true;
  /**
   * List at most this many entries and pending entries per list (0 for all).
   *
   * @default {10}
   */
  count?: number;
}

/**
 * Options of {@linkcode StreamCommands.xsetid}.
 *
 * @example Usage
 * ```ts
 * import type { XSetIdOptions } from "@sleeve/redis";
 *
 * const options: XSetIdOptions = { entriesAdded: 10, maxDeletedId: "0-5" };
 * console.log(options);
 * ```
 */
export interface XSetIdOptions {
  /**
   * Set the count of entries ever added to the stream.
   *
   * @default {undefined}
   */
  entriesAdded?: number;
  /**
   * Set the highest id ever deleted from the stream.
   *
   * @default {undefined}
   */
  maxDeletedId?: string;
}

/** Appends a trim clause: `MAXLEN|MINID [=|~] threshold [LIMIT count]`. */
function pushTrim(args: RedisArg[], trim: StreamTrim): void {
  if (trim.maxLen !== undefined) args.push("MAXLEN");
  else args.push("MINID");
  if (trim.approximate === true) args.push("~");
  else if (trim.approximate === false) args.push("=");
  args.push(trim.maxLen !== undefined ? trim.maxLen : trim.minId);
  if (trim.limit !== undefined) args.push("LIMIT", trim.limit);
}

/** Appends fields and values. */
function pushFields(args: RedisArg[], fields: StreamFields): void {
  if (Array.isArray(fields)) {
    for (const [field, value] of fields) args.push(field, value);
  } else {
    for (const field of Object.keys(fields)) args.push(field, fields[field]!);
  }
}

/** Turns XADD's fields and options into arguments. */
export function xaddArgs(
  key: RedisKey,
  fields: StreamFields,
  options: XAddOptions | undefined,
): RedisArg[] {
  const args: RedisArg[] = [key];
  if (options?.nomkstream) args.push("NOMKSTREAM");
  if (options?.trim !== undefined) pushTrim(args, options.trim);
  args.push(options?.id ?? "*");
  pushFields(args, fields);
  return args;
}

/** Turns XTRIM's threshold into arguments. */
export function xtrimArgs(key: RedisKey, trim: StreamTrim): RedisArg[] {
  const args: RedisArg[] = [key];
  pushTrim(args, trim);
  return args;
}

/** Turns XRANGE's (or XREVRANGE's) bounds and count into arguments. */
export function xrangeArgs(
  key: RedisKey,
  first: string,
  second: string,
  options: XRangeOptions | undefined,
): RedisArg[] {
  const args: RedisArg[] = [key, first, second];
  if (options?.count !== undefined) args.push("COUNT", options.count);
  return args;
}

/** Appends `STREAMS key ... id ...`. */
export function pushStreams(
  args: RedisArg[],
  streams: StreamOffsets,
): RedisArg[] {
  args.push("STREAMS");
  if (Array.isArray(streams)) {
    for (const [key] of streams) args.push(key);
    for (const [, id] of streams) args.push(id);
  } else {
    const keys = Object.keys(streams);
    for (const key of keys) args.push(key);
    for (const key of keys) args.push(streams[key]!);
  }
  return args;
}

/** Turns XREAD's streams and options into arguments. */
export function xreadArgs(
  streams: StreamOffsets,
  options: XReadOptions | undefined,
): RedisArg[] {
  const args: RedisArg[] = [];
  if (options?.count !== undefined) args.push("COUNT", options.count);
  if (options?.block !== undefined) args.push("BLOCK", options.block);
  return pushStreams(args, streams);
}

/** Turns XINFO STREAM's key and (full form) options into arguments. */
export function xinfoStreamArgs(
  key: RedisKey,
  options: XInfoStreamFullOptions | undefined,
): RedisArg[] {
  if (options?.full !== true) return [key];
  const args: RedisArg[] = [key, "FULL"];
  if (options.count !== undefined) args.push("COUNT", options.count);
  return args;
}

/** Turns XSETID's arguments and options into arguments. */
export function xsetidArgs(
  key: RedisKey,
  lastId: string,
  options: XSetIdOptions | undefined,
): RedisArg[] {
  const args: RedisArg[] = [key, lastId];
  if (options?.entriesAdded !== undefined) {
    args.push("ENTRIESADDED", options.entriesAdded);
  }
  if (options?.maxDeletedId !== undefined) {
    args.push("MAXDELETEDID", options.maxDeletedId);
  }
  return args;
}
