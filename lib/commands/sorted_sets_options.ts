// Options of the sorted-set commands (ZADD, ZRANGE, ZRANGEBYSCORE) and the arguments they become.
// Pure functions, tested without a server.

import type { RedisArg } from "../resp/encoder.ts";
import type { RedisKey } from "./_base.ts";

/**
 * Members and scores for {@linkcode SortedSetCommands.zadd}: an object
 * mapping each member to its score, or `[score, member]` pairs (for binary
 * members), in the order ZADD takes them.
 *
 * @example Usage
 * ```ts
 * import type { ZAddMembers } from "@sleeve/redis";
 *
 * const byMember: ZAddMembers = { ann: 10, bob: 7.5 };
 * const pairs: ZAddMembers = [[10, "ann"], [7.5, new Uint8Array([0xff])]];
 * console.log(byMember, pairs);
 * ```
 */
export type ZAddMembers = Record<string, number> | [number, RedisArg][];

/**
 * Options of {@linkcode SortedSetCommands.zadd}. At most one of `nx`, `xx`,
 * and at most one of `gt`, `lt` (neither with `nx`).
 *
 * @example Usage
 * ```ts
 * import type { ZAddOptions } from "@sleeve/redis";
 *
 * const options: ZAddOptions = { gt: true, ch: true };
 * console.log(options);
 * ```
 */
export interface ZAddOptions {
  /**
   * Only add new members; never update existing ones.
   *
   * @default {false}
   */
  nx?: boolean;
  /**
   * Only update existing members; never add new ones.
   *
   * @default {false}
   */
  xx?: boolean;
  /**
   * Only update a score when the new one is greater (new members are still added).
   *
   * @default {false}
   */
  gt?: boolean;
  /**
   * Only update a score when the new one is less (new members are still added).
   *
   * @default {false}
   */
  lt?: boolean;
  /**
   * Return the number of members added or changed, instead of only added.
   *
   * @default {false}
   */
  ch?: boolean;
}

/**
 * A `LIMIT offset count` clause: skip `offset` results, then return at most
 * `count` (a negative `count` returns all the rest).
 *
 * @example Usage
 * ```ts
 * import type { RangeLimit } from "@sleeve/redis";
 *
 * const page: RangeLimit = { offset: 20, count: 10 };
 * console.log(page);
 * ```
 */
export interface RangeLimit {
  /** How many results to skip. */
  offset: number;
  /** How many results to return at most. */
  count: number;
}

/**
 * Options of {@linkcode SortedSetCommands.zrange} and
 * {@linkcode SortedSetCommands.zrangeWithScores}.
 *
 * @example Usage
 * ```ts
 * import type { ZRangeOptions } from "@sleeve/redis";
 *
 * const options: ZRangeOptions = { by: "SCORE", rev: true, limit: { offset: 0, count: 10 } };
 * console.log(options);
 * ```
 */
export interface ZRangeOptions {
  /**
   * Read `start` and `stop` as scores (`1.5`, `"(1.5"`, `"-inf"`) or as
   * lexicographic bounds (`"[a"`, `"(b"`, `"-"`, `"+"`) instead of ranks.
   *
   * @default {undefined}
   */
  by?: "SCORE" | "LEX";
  /**
   * Return members from the highest score to the lowest. With `by`, `start`
   * is then the upper bound.
   *
   * @default {false}
   */
  rev?: boolean;
  /**
   * Return only a page of the results (needs `by`).
   *
   * @default {undefined}
   */
  limit?: RangeLimit;
}

/**
 * Options of {@linkcode SortedSetCommands.zrangebyscore}.
 *
 * @example Usage
 * ```ts
 * import type { ZRangeByScoreOptions } from "@sleeve/redis";
 *
 * const options: ZRangeByScoreOptions = { limit: { offset: 0, count: 10 } };
 * console.log(options);
 * ```
 */
export interface ZRangeByScoreOptions {
  /**
   * Return only a page of the results.
   *
   * @default {undefined}
   */
  limit?: RangeLimit;
}

/** Turns ZADD's members and options into arguments. */
export function zaddArgs(
  key: RedisKey,
  members: ZAddMembers,
  options: ZAddOptions | undefined,
): RedisArg[] {
  const args: RedisArg[] = [key];
  if (options?.nx) args.push("NX");
  if (options?.xx) args.push("XX");
  if (options?.gt) args.push("GT");
  if (options?.lt) args.push("LT");
  if (options?.ch) args.push("CH");
  if (Array.isArray(members)) {
    for (const [score, member] of members) args.push(score, member);
  } else {
    for (const member of Object.keys(members)) {
      args.push(members[member]!, member);
    }
  }
  return args;
}

/** Turns ZRANGE's bounds and options into arguments. */
export function zrangeArgs(
  key: RedisKey,
  start: number | string,
  stop: number | string,
  options: ZRangeOptions | undefined,
  withScores: boolean,
): RedisArg[] {
  const args: RedisArg[] = [key, start, stop];
  if (options?.by !== undefined) {
    args.push(options.by === "SCORE" ? "BYSCORE" : "BYLEX");
  }
  if (options?.rev) args.push("REV");
  if (options?.limit !== undefined) {
    args.push("LIMIT", options.limit.offset, options.limit.count);
  }
  if (withScores) args.push("WITHSCORES");
  return args;
}
