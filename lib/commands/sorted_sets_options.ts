// Options of the sorted-set commands (ZADD, ZRANGE, ZUNION, ...) and the arguments they become.
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
 * and at most one of `gt`, `lt` (neither with `nx`). For the INCR form,
 * see {@linkcode ZAddIncrOptions}.
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
  /**
   * `true` selects the INCR form ({@linkcode ZAddIncrOptions}); here it may
   * only be left out or `false`.
   *
   * @default {false}
   */
  incr?: false;
}

/**
 * Options of the INCR form of {@linkcode SortedSetCommands.zadd}: the one
 * member's score is incremented (as ZINCRBY does) and the new score
 * returned, or `null` when a condition stopped it. `nx`, `xx`, `gt` and `lt`
 * work as in {@linkcode ZAddOptions}.
 *
 * @example Usage
 * ```ts
 * import type { ZAddIncrOptions } from "@sleeve/redis";
 *
 * const options: ZAddIncrOptions = { incr: true, xx: true };
 * console.log(options);
 * ```
 */
export interface ZAddIncrOptions extends Omit<ZAddOptions, "ch" | "incr"> {
  /** Increment the member's score by the given score instead of setting it. */
  incr: true;
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
 * The `withScores` option of the sorted-set reads
 * ({@linkcode SortedSetRangeCommands.zrevrange},
 * {@linkcode SortedSetAlgebraCommands.zdiff},
 * {@linkcode SortedSetCommands.zrandmember}, and the options that extend it).
 *
 * @example Usage
 * ```ts
 * import type { WithScoresOptions } from "@sleeve/redis";
 *
 * const options: WithScoresOptions = { withScores: true };
 * console.log(options);
 * ```
 */
export interface WithScoresOptions {
  /**
   * Return `{ member, score }` objects instead of bare members.
   *
   * @default {false}
   */
  withScores?: boolean;
}

/**
 * Options of {@linkcode SortedSetRangeCommands.zrangestore}, and the range part
 * of {@linkcode ZRangeOptions}.
 *
 * @example Usage
 * ```ts
 * import type { ZRangeStoreOptions } from "@sleeve/redis";
 *
 * const options: ZRangeStoreOptions = { by: "SCORE", limit: { offset: 0, count: 10 } };
 * console.log(options);
 * ```
 */
export interface ZRangeStoreOptions {
  /**
   * Read `start` and `stop` as scores (`1.5`, `"(1.5"`, `"-inf"`) or as
   * lexicographic bounds (`"[a"`, `"(b"`, `"-"`, `"+"`) instead of ranks.
   *
   * @default {undefined}
   */
  by?: "SCORE" | "LEX";
  /**
   * Go from the highest score to the lowest. With `by`, `start` is then the
   * upper bound.
   *
   * @default {false}
   */
  rev?: boolean;
  /**
   * Take only a page of the results (needs `by`).
   *
   * @default {undefined}
   */
  limit?: RangeLimit;
}

/**
 * Options of {@linkcode SortedSetRangeCommands.zrange}: what the bounds are, the
 * order, a page, and whether to return scores (not with `by: "LEX"`).
 *
 * @example Usage
 * ```ts
 * import type { ZRangeOptions } from "@sleeve/redis";
 *
 * const options: ZRangeOptions = {
 *   by: "SCORE",
 *   rev: true,
 *   limit: { offset: 0, count: 10 },
 *   withScores: true,
 * };
 * console.log(options);
 * ```
 */
export interface ZRangeOptions extends ZRangeStoreOptions, WithScoresOptions {}

/**
 * Options of {@linkcode SortedSetRangeCommands.zrangebyscore} and
 * {@linkcode SortedSetRangeCommands.zrevrangebyscore}.
 *
 * @example Usage
 * ```ts
 * import type { ZRangeByScoreOptions } from "@sleeve/redis";
 *
 * const options: ZRangeByScoreOptions = { limit: { offset: 0, count: 10 }, withScores: true };
 * console.log(options);
 * ```
 */
export interface ZRangeByScoreOptions extends WithScoresOptions {
  /**
   * Return only a page of the results.
   *
   * @default {undefined}
   */
  limit?: RangeLimit;
}

/**
 * Options of {@linkcode SortedSetRangeCommands.zrangebylex} and
 * {@linkcode SortedSetRangeCommands.zrevrangebylex}.
 *
 * @example Usage
 * ```ts
 * import type { ZRangeByLexOptions } from "@sleeve/redis";
 *
 * const options: ZRangeByLexOptions = { limit: { offset: 0, count: 10 } };
 * console.log(options);
 * ```
 */
export interface ZRangeByLexOptions {
  /**
   * Return only a page of the results.
   *
   * @default {undefined}
   */
  limit?: RangeLimit;
}

/**
 * Options of {@linkcode SortedSetAlgebraCommands.zunionstore} and
 * {@linkcode SortedSetAlgebraCommands.zinterstore}: how the scores of a member in
 * several sets combine.
 *
 * @example Usage
 * ```ts
 * import type { ZAggregateOptions } from "@sleeve/redis";
 *
 * const options: ZAggregateOptions = { weights: [1, 0.5], aggregate: "MAX" };
 * console.log(options);
 * ```
 */
export interface ZAggregateOptions {
  /**
   * One factor per key, in the same order, that each set's scores are
   * multiplied by before they are combined.
   *
   * @default {undefined}
   */
  weights?: readonly number[];
  /**
   * How a member's (weighted) scores combine: their sum, the lowest or the
   * highest.
   *
   * @default {"SUM"}
   */
  aggregate?: "SUM" | "MIN" | "MAX";
}

/**
 * Options of {@linkcode SortedSetAlgebraCommands.zunion} and
 * {@linkcode SortedSetAlgebraCommands.zinter}: how scores combine, and whether to
 * return them.
 *
 * @example Usage
 * ```ts
 * import type { ZCombineOptions } from "@sleeve/redis";
 *
 * const options: ZCombineOptions = { aggregate: "MIN", withScores: true };
 * console.log(options);
 * ```
 */
export interface ZCombineOptions extends ZAggregateOptions, WithScoresOptions {}

/** Turns ZADD's members and options into arguments. */
export function zaddArgs(
  key: RedisKey,
  members: ZAddMembers,
  options: ZAddOptions | ZAddIncrOptions | undefined,
): RedisArg[] {
  const args: RedisArg[] = [key];
  if (options?.nx) args.push("NX");
  if (options?.xx) args.push("XX");
  if (options?.gt) args.push("GT");
  if (options?.lt) args.push("LT");
  if (options !== undefined && "ch" in options && options.ch) args.push("CH");
  if (options?.incr) args.push("INCR");
  if (Array.isArray(members)) {
    for (const [score, member] of members) args.push(score, member);
  } else {
    for (const member of Object.keys(members)) {
      args.push(members[member]!, member);
    }
  }
  return args;
}

/** Appends ZRANGE's BYSCORE/BYLEX, REV and LIMIT (shared with ZRANGESTORE). */
function pushRange(
  args: RedisArg[],
  options: ZRangeStoreOptions | undefined,
): RedisArg[] {
  if (options?.by !== undefined) {
    args.push(options.by === "SCORE" ? "BYSCORE" : "BYLEX");
  }
  if (options?.rev) args.push("REV");
  if (options?.limit !== undefined) {
    args.push("LIMIT", options.limit.offset, options.limit.count);
  }
  return args;
}

/** Turns ZRANGE's bounds and options into arguments. */
export function zrangeArgs(
  key: RedisKey,
  start: number | string,
  stop: number | string,
  options: ZRangeOptions | undefined,
): RedisArg[] {
  const args = pushRange([key, start, stop], options);
  if (options?.withScores) args.push("WITHSCORES");
  return args;
}

/** Turns ZRANGESTORE's keys, bounds and options into arguments (never WITHSCORES). */
export function zrangestoreArgs(
  destination: RedisKey,
  source: RedisKey,
  start: number | string,
  stop: number | string,
  options: ZRangeStoreOptions | undefined,
): RedisArg[] {
  return pushRange([destination, source, start, stop], options);
}

/**
 * Turns the bounds and options of ZRANGEBYSCORE, ZREVRANGEBYSCORE,
 * ZRANGEBYLEX and ZREVRANGEBYLEX into arguments.
 */
export function zrangeByArgs(
  key: RedisKey,
  from: RedisArg,
  to: RedisArg,
  options: ZRangeByScoreOptions | undefined,
): RedisArg[] {
  const args: RedisArg[] = [key, from, to];
  if (options?.withScores) args.push("WITHSCORES");
  if (options?.limit !== undefined) {
    args.push("LIMIT", options.limit.offset, options.limit.count);
  }
  return args;
}

/**
 * Turns the keys and options of ZUNION, ZINTER, ZUNIONSTORE and ZINTERSTORE
 * into arguments: `head` (the destination, if any), the number of keys, the
 * keys, then WEIGHTS, AGGREGATE and WITHSCORES.
 */
export function zcombineArgs(
  head: RedisArg[],
  keys: readonly RedisKey[],
  options: ZCombineOptions | undefined,
): RedisArg[] {
  const args: RedisArg[] = [...head, keys.length, ...keys];
  if (options?.weights !== undefined) args.push("WEIGHTS", ...options.weights);
  if (options?.aggregate !== undefined) {
    args.push("AGGREGATE", options.aggregate);
  }
  if (options?.withScores) args.push("WITHSCORES");
  return args;
}
