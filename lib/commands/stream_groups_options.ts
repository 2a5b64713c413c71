// Options of the consumer-group commands (XREADGROUP, XGROUP CREATE and
// SETID, XPENDING, XCLAIM, XAUTOCLAIM) and the arguments they become, for
// stream_groups.ts. Pure functions, tested without a server.

import type { RedisArg } from "../resp/encoder.ts";
import type { RedisKey } from "./_base.ts";
import { pushStreams, type StreamOffsets } from "./streams_options.ts";

/**
 * Options of {@linkcode StreamGroupCommands.xreadgroup}.
 *
 * @example Usage
 * ```ts
 * import type { XReadGroupOptions } from "@sleeve/redis";
 *
 * const options: XReadGroupOptions = { count: 10, block: 5_000, noack: true };
 * console.log(options);
 * ```
 */
export interface XReadGroupOptions {
  /**
   * Return at most this many entries per stream.
   *
   * @default {undefined}
   */
  count?: number;
  /**
   * When no stream has new entries for the group, wait up to this many
   * milliseconds for some (0: until some come), on a dedicated connection
   * that holds up no other command; `redis.with({ signal, timeout })`
   * cancels the wait. Without it the read answers at once.
   *
   * @default {undefined}
   */
  block?: number;
  /**
   * Do not add the delivered entries to the group's pending list (they
   * count as acknowledged at once).
   *
   * @default {false}
   */
  noack?: boolean;
}

/**
 * Options of {@linkcode StreamGroupCommands.xgroupCreate}.
 *
 * @example Usage
 * ```ts
 * import type { XGroupCreateOptions } from "@sleeve/redis";
 *
 * const options: XGroupCreateOptions = { mkstream: true };
 * console.log(options);
 * ```
 */
export interface XGroupCreateOptions {
  /**
   * Create the stream, empty, when it does not exist.
   *
   * @default {false}
   */
  mkstream?: boolean;
  /**
   * Set the group's entries-read counter (used to compute its lag).
   *
   * @default {undefined}
   */
  entriesRead?: number;
}

/**
 * Options of {@linkcode StreamGroupCommands.xgroupSetid}.
 *
 * @example Usage
 * ```ts
 * import type { XGroupSetIdOptions } from "@sleeve/redis";
 *
 * const options: XGroupSetIdOptions = { entriesRead: 0 };
 * console.log(options);
 * ```
 */
export interface XGroupSetIdOptions {
  /**
   * Set the group's entries-read counter (used to compute its lag).
   *
   * @default {undefined}
   */
  entriesRead?: number;
}

/**
 * The extended form of {@linkcode StreamGroupCommands.xpending}: which pending
 * entries to list.
 *
 * @example Usage
 * ```ts
 * import type { XPendingRange } from "@sleeve/redis";
 *
 * const range: XPendingRange = { count: 10, consumer: "worker-1", idle: 60_000 };
 * console.log(range);
 * ```
 */
export interface XPendingRange {
  /**
   * The lowest id (`"("` before it excludes it).
   *
   * @default {"-"}
   */
  start?: string;
  /**
   * The highest id (`"("` before it excludes it).
   *
   * @default {"+"}
   */
  end?: string;
  /** Return at most this many entries. */
  count: number;
  /**
   * Only entries of this consumer.
   *
   * @default {undefined}
   */
  consumer?: string;
  /**
   * Only entries delivered at least this many milliseconds ago.
   *
   * @default {undefined}
   */
  idle?: number;
}

/**
 * Options of {@linkcode StreamGroupCommands.xclaim}.
 *
 * @example Usage
 * ```ts
 * import type { XClaimOptions } from "@sleeve/redis";
 *
 * const options: XClaimOptions = { retryCount: 3, justId: true };
 * console.log(options);
 * ```
 */
export interface XClaimOptions {
  /**
   * Set the entries' idle time to this many milliseconds (instead of 0).
   *
   * @default {undefined}
   */
  idle?: number;
  /**
   * Set the entries' last delivery to this Unix time in milliseconds.
   *
   * @default {undefined}
   */
  time?: number;
  /**
   * Set the entries' delivery counter (instead of adding 1).
   *
   * @default {undefined}
   */
  retryCount?: number;
  /**
   * Claim listed ids that are not pending yet (if they exist in the stream).
   *
   * @default {false}
   */
  force?: boolean;
  /**
   * Return only the ids, and leave the delivery counters alone.
   *
   * @default {false}
   */
  justId?: boolean;
  /**
   * Set the group's last delivered id to this id if it is higher.
   *
   * @default {undefined}
   */
  lastId?: string;
}

/**
 * Options of {@linkcode StreamGroupCommands.xautoclaim}.
 *
 * @example Usage
 * ```ts
 * import type { XAutoClaimOptions } from "@sleeve/redis";
 *
 * const options: XAutoClaimOptions = { count: 25, justId: true };
 * console.log(options);
 * ```
 */
export interface XAutoClaimOptions {
  /**
   * Examine at most this many pending entries.
   *
   * @default {100}
   */
  count?: number;
  /**
   * Return only the ids, and leave the delivery counters alone.
   *
   * @default {false}
   */
  justId?: boolean;
}

/** Turns XREADGROUP's group, consumer, streams and options into arguments. */
export function xreadgroupArgs(
  group: string,
  consumer: string,
  streams: StreamOffsets,
  options: XReadGroupOptions | undefined,
): RedisArg[] {
  const args: RedisArg[] = ["GROUP", group, consumer];
  if (options?.count !== undefined) args.push("COUNT", options.count);
  if (options?.block !== undefined) args.push("BLOCK", options.block);
  if (options?.noack) args.push("NOACK");
  return pushStreams(args, streams);
}

/** Turns XGROUP CREATE's arguments and options into arguments. */
export function xgroupCreateArgs(
  key: RedisKey,
  group: string,
  id: string,
  options: XGroupCreateOptions | undefined,
): RedisArg[] {
  const args: RedisArg[] = [key, group, id];
  if (options?.mkstream) args.push("MKSTREAM");
  return withEntriesRead(args, options);
}

/** Turns XGROUP SETID's arguments and options into arguments. */
export function xgroupSetidArgs(
  key: RedisKey,
  group: string,
  id: string,
  options: XGroupSetIdOptions | undefined,
): RedisArg[] {
  return withEntriesRead([key, group, id], options);
}

/** `args` with ENTRIESREAD when the options give it (XGROUP CREATE, SETID). */
function withEntriesRead(
  args: RedisArg[],
  options: XGroupSetIdOptions | undefined,
): RedisArg[] {
  if (options?.entriesRead !== undefined) {
    args.push("ENTRIESREAD", options.entriesRead);
  }
  return args;
}

/** Turns XPENDING's key, group and (extended form) range into arguments. */
export function xpendingArgs(
  key: RedisKey,
  group: string,
  range: XPendingRange | undefined,
): RedisArg[] {
  const args: RedisArg[] = [key, group];
  if (range === undefined) return args;
  if (range.idle !== undefined) args.push("IDLE", range.idle);
  args.push(range.start ?? "-", range.end ?? "+", range.count);
  if (range.consumer !== undefined) args.push(range.consumer);
  return args;
}

/** Turns XCLAIM's arguments and options into arguments. */
export function xclaimArgs(
  key: RedisKey,
  group: string,
  consumer: string,
  minIdleTime: number,
  ids: readonly string[],
  options: XClaimOptions | undefined,
): RedisArg[] {
  const args: RedisArg[] = [key, group, consumer, minIdleTime, ...ids];
  if (options === undefined) return args;
  if (options.idle !== undefined) args.push("IDLE", options.idle);
  if (options.time !== undefined) args.push("TIME", options.time);
  if (options.retryCount !== undefined) {
    args.push("RETRYCOUNT", options.retryCount);
  }
  if (options.force) args.push("FORCE");
  if (options.justId) args.push("JUSTID");
  if (options.lastId !== undefined) args.push("LASTID", options.lastId);
  return args;
}

/** Turns XAUTOCLAIM's arguments and options into arguments. */
export function xautoclaimArgs(
  key: RedisKey,
  group: string,
  consumer: string,
  minIdleTime: number,
  start: string,
  options: XAutoClaimOptions | undefined,
): RedisArg[] {
  const args: RedisArg[] = [key, group, consumer, minIdleTime, start];
  if (options?.count !== undefined) args.push("COUNT", options.count);
  if (options?.justId) args.push("JUSTID");
  return args;
}
