// Sorted set commands: ZADD, ZRANGE, ZSCORE, ZPOPMIN, ... One line per
// command; options become arguments here. Scores are doubles in both
// protocols (RESP2 sends them as bulk strings such as "inf").

import type { RedisArg } from "../resp/encoder.ts";
import type { RedisKey } from "./_base.ts";
import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Mode,
  type Result,
} from "./_executor.ts";
import {
  bulkArray,
  double,
  doubleOrNull,
  doubleOrNullArray,
  integer,
  integerOrNull,
  scoredMembers,
} from "./_reply.ts";
import { command } from "./_command.ts";
import {
  zaddArgs,
  type ZAddMembers,
  type ZAddOptions,
  zrangeArgs,
  type ZRangeByScoreOptions,
  type ZRangeOptions,
} from "./sorted_sets_options.ts";

const ZADD = command("ZADD");
const ZCARD = command("ZCARD");
const ZCOUNT = command("ZCOUNT");
const ZINCRBY = command("ZINCRBY");
const ZMSCORE = command("ZMSCORE");
const ZPOPMAX = command("ZPOPMAX");
const ZPOPMIN = command("ZPOPMIN");
const ZRANGE = command("ZRANGE");
const ZRANGEBYSCORE = command("ZRANGEBYSCORE");
const ZRANK = command("ZRANK");
const ZREM = command("ZREM");
const ZREMRANGEBYRANK = command("ZREMRANGEBYRANK");
const ZREMRANGEBYSCORE = command("ZREMRANGEBYSCORE");
const ZREVRANK = command("ZREVRANK");
const ZSCORE = command("ZSCORE");

/**
 * Sorted set commands. Scores are `number`s in both protocols, including
 * `Infinity` and `-Infinity`; score bounds take numbers or Redis's text
 * forms (`"(1.5"` for exclusive, `"-inf"`, `"+inf"`).
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type SortedSetCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const zsets: SortedSetCommands<"promise", string> = redis;
 * await zsets.zadd("scores", { ann: 10 });
 * ```
 */
export class SortedSetCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view\'s executor. */
  declare readonly [EXEC]: Executor<M>;

  /**
   * Adds members with scores to the sorted set at `key`, or updates their
   * scores; returns how many were added (or added and changed, with `ch`).
   *
   * @param key The key.
   * @param members An object of member → score, or `[score, member]` pairs.
   * @param options Conditions (`nx`, `xx`, `gt`, `lt`) and `ch`.
   * @returns The number of members added (or changed).
   * @throws {ReplyError} `WRONGTYPE` when the key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/zadd/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.zadd("scores", { ann: 10, bob: 7.5 })); // → 2
   * console.log(await redis.zadd("scores", [[12, "ann"]], { gt: true, ch: true })); // → 1
   * ```
   */
  zadd(
    key: RedisKey,
    members: ZAddMembers,
    options?: ZAddOptions,
  ): Result<M, I> {
    return this[EXEC].call(ZADD, zaddArgs(key, members, options), integer<I>);
  }

  /**
   * Adds `increment` to the score of `member` (0 when missing) and returns the new score.
   *
   * @param key The key.
   * @param increment The amount, possibly negative.
   * @param member The member.
   * @returns The new score.
   * @see {@link https://redis.io/docs/latest/commands/zincrby/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.zincrby("scores", 3.5, "ann")); // → 3.5
   * ```
   */
  zincrby(
    key: RedisKey,
    increment: number,
    member: RedisArg,
  ): Result<M, number> {
    return this[EXEC].call(ZINCRBY, [key, increment, member], double);
  }

  /**
   * Returns the score of `member`, or `null` when it or the key does not exist.
   *
   * @param key The key.
   * @param member The member.
   * @returns The score, or `null`.
   * @see {@link https://redis.io/docs/latest/commands/zscore/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10 });
   * console.log(await redis.zscore("scores", "ann")); // → 10
   * ```
   */
  zscore(key: RedisKey, member: RedisArg): Result<M, number | null> {
    return this[EXEC].call(ZSCORE, [key, member], doubleOrNull);
  }

  /**
   * Returns the score of each member, `null` for each that does not exist.
   *
   * @param key The key.
   * @param members The members.
   * @returns One score (or `null`) per member.
   * @see {@link https://redis.io/docs/latest/commands/zmscore/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10 });
   * console.log(await redis.zmscore("scores", "ann", "bob")); // → [10, null]
   * ```
   */
  zmscore(key: RedisKey, ...members: RedisArg[]): Result<M, (number | null)[]> {
    return this[EXEC].call(ZMSCORE, [key, ...members], doubleOrNullArray);
  }

  /**
   * Removes members from the sorted set at `key`; returns how many were there.
   *
   * @param key The key.
   * @param members The members.
   * @returns The number removed.
   * @see {@link https://redis.io/docs/latest/commands/zrem/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10 });
   * console.log(await redis.zrem("scores", "ann", "bob")); // → 1
   * ```
   */
  zrem(key: RedisKey, ...members: RedisArg[]): Result<M, I> {
    return this[EXEC].call(ZREM, [key, ...members], integer<I>);
  }

  /**
   * Returns the number of members of the sorted set at `key` (0 when it does not exist).
   *
   * @param key The key.
   * @returns The number of members.
   * @see {@link https://redis.io/docs/latest/commands/zcard/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10, bob: 7 });
   * console.log(await redis.zcard("scores")); // → 2
   * ```
   */
  zcard(key: RedisKey): Result<M, I> {
    return this[EXEC].call1(ZCARD, key, integer<I>);
  }

  /**
   * Returns the number of members with a score between `min` and `max`
   * (inclusive unless written `"(5"`).
   *
   * @param key The key.
   * @param min The lowest score: a number, `"-inf"`, or `"(5"` for exclusive.
   * @param max The highest score: a number, `"+inf"`, or `"(5"` for exclusive.
   * @returns The number of members in range.
   * @see {@link https://redis.io/docs/latest/commands/zcount/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10, bob: 7 });
   * console.log(await redis.zcount("scores", "(7", Infinity)); // → 1
   * ```
   */
  zcount(
    key: RedisKey,
    min: number | string,
    max: number | string,
  ): Result<M, I> {
    return this[EXEC].call(ZCOUNT, [key, min, max], integer<I>);
  }

  /**
   * Returns the rank of `member` counting from the lowest score (0 first),
   * or `null` when it or the key does not exist.
   *
   * @param key The key.
   * @param member The member.
   * @returns The rank, or `null`.
   * @see {@link https://redis.io/docs/latest/commands/zrank/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10, bob: 7 });
   * console.log(await redis.zrank("scores", "ann")); // → 1
   * ```
   */
  zrank(key: RedisKey, member: RedisArg): Result<M, I | null> {
    return this[EXEC].call(ZRANK, [key, member], integerOrNull<I>);
  }

  /**
   * Returns the rank of `member` counting from the highest score (0 first),
   * or `null` when it or the key does not exist.
   *
   * @param key The key.
   * @param member The member.
   * @returns The rank, or `null`.
   * @see {@link https://redis.io/docs/latest/commands/zrevrank/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10, bob: 7 });
   * console.log(await redis.zrevrank("scores", "ann")); // → 0
   * ```
   */
  zrevrank(key: RedisKey, member: RedisArg): Result<M, I | null> {
    return this[EXEC].call(ZREVRANK, [key, member], integerOrNull<I>);
  }

  /**
   * Returns the members from `start` to `stop`: ranks by default (negative
   * counts from the end), scores with `by: "SCORE"`, lexicographic bounds
   * with `by: "LEX"`; lowest score first unless `rev`.
   *
   * @param key The key.
   * @param start First rank, lowest score (`"(1"`, `"-inf"`) or lex bound (`"[a"`, `"-"`).
   * @param stop Last rank, highest score or lex bound.
   * @param options What the bounds are, the order, and a page.
   * @returns The members.
   * @see {@link https://redis.io/docs/latest/commands/zrange/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10, bob: 7 });
   * console.log(await redis.zrange("scores", 0, -1)); // → ["bob", "ann"]
   * console.log(await redis.zrange("scores", "+inf", 8, { by: "SCORE", rev: true })); // → ["ann"]
   * ```
   */
  zrange(
    key: RedisKey,
    start: number | string,
    stop: number | string,
    options?: ZRangeOptions,
  ): Result<M, B[]> {
    return this[EXEC].call(
      ZRANGE,
      zrangeArgs(key, start, stop, options, false),
      bulkArray<B>,
    );
  }

  /**
   * As {@linkcode SortedSetCommands.zrange}, with scores (ZRANGE ...
   * WITHSCORES): returns `[member, score]` pairs.
   *
   * @param key The key.
   * @param start First rank, lowest score or lex bound.
   * @param stop Last rank, highest score or lex bound.
   * @param options What the bounds are, the order, and a page.
   * @returns The members and their scores.
   * @see {@link https://redis.io/docs/latest/commands/zrange/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10, bob: 7 });
   * console.log(await redis.zrangeWithScores("scores", 0, -1)); // → [["bob", 7], ["ann", 10]]
   * ```
   */
  zrangeWithScores(
    key: RedisKey,
    start: number | string,
    stop: number | string,
    options?: ZRangeOptions,
  ): Result<M, [B, number][]> {
    return this[EXEC].call(
      ZRANGE,
      zrangeArgs(key, start, stop, options, true),
      scoredMembers<B>,
    );
  }

  /**
   * Removes and returns the member with the lowest score, or the `count`
   * lowest, as `[member, score]` pairs (empty when the key does not exist).
   *
   * @param key The key.
   * @param count How many members at most.
   * @returns The members removed and their scores, lowest first.
   * @see {@link https://redis.io/docs/latest/commands/zpopmin/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10, bob: 7 });
   * console.log(await redis.zpopmin("scores")); // → [["bob", 7]]
   * ```
   */
  zpopmin(key: RedisKey, count?: number): Result<M, [B, number][]> {
    return this[EXEC].call(
      ZPOPMIN,
      count === undefined ? [key] : [key, count],
      scoredMembers<B>,
    );
  }

  /**
   * Removes and returns the member with the highest score, or the `count`
   * highest, as `[member, score]` pairs (empty when the key does not exist).
   *
   * @param key The key.
   * @param count How many members at most.
   * @returns The members removed and their scores, highest first.
   * @see {@link https://redis.io/docs/latest/commands/zpopmax/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10, bob: 7 });
   * console.log(await redis.zpopmax("scores", 2)); // → [["ann", 10], ["bob", 7]]
   * ```
   */
  zpopmax(key: RedisKey, count?: number): Result<M, [B, number][]> {
    return this[EXEC].call(
      ZPOPMAX,
      count === undefined ? [key] : [key, count],
      scoredMembers<B>,
    );
  }

  /**
   * Removes the members with a score between `min` and `max`; returns how many.
   *
   * @param key The key.
   * @param min The lowest score: a number, `"-inf"`, or `"(5"` for exclusive.
   * @param max The highest score: a number, `"+inf"`, or `"(5"` for exclusive.
   * @returns The number removed.
   * @see {@link https://redis.io/docs/latest/commands/zremrangebyscore/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10, bob: 7 });
   * console.log(await redis.zremrangebyscore("scores", "-inf", 8)); // → 1
   * ```
   */
  zremrangebyscore(
    key: RedisKey,
    min: number | string,
    max: number | string,
  ): Result<M, I> {
    return this[EXEC].call(ZREMRANGEBYSCORE, [key, min, max], integer<I>);
  }

  /**
   * Removes the members ranked from `start` to `stop` (lowest score is rank
   * 0; negative counts from the highest); returns how many.
   *
   * @param key The key.
   * @param start First rank.
   * @param stop Last rank.
   * @returns The number removed.
   * @see {@link https://redis.io/docs/latest/commands/zremrangebyrank/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10, bob: 7, cy: 3 });
   * console.log(await redis.zremrangebyrank("scores", 0, -2)); // → 2 (keeps the top one)
   * ```
   */
  zremrangebyrank(
    key: RedisKey,
    start: number,
    stop: number,
  ): Result<M, I> {
    return this[EXEC].call(ZREMRANGEBYRANK, [key, start, stop], integer<I>);
  }

  /**
   * Returns the members with a score between `min` and `max`, lowest first.
   * Redis deprecates ZRANGEBYSCORE in favour of
   * {@linkcode SortedSetCommands.zrange} with `by: "SCORE"`; it is still
   * common and supported.
   *
   * @param key The key.
   * @param min The lowest score: a number, `"-inf"`, or `"(5"` for exclusive.
   * @param max The highest score: a number, `"+inf"`, or `"(5"` for exclusive.
   * @param options A page of the results.
   * @returns The members.
   * @see {@link https://redis.io/docs/latest/commands/zrangebyscore/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10, bob: 7 });
   * console.log(await redis.zrangebyscore("scores", 8, "+inf")); // → ["ann"]
   * ```
   */
  zrangebyscore(
    key: RedisKey,
    min: number | string,
    max: number | string,
    options?: ZRangeByScoreOptions,
  ): Result<M, B[]> {
    const args: RedisArg[] = [key, min, max];
    if (options?.limit !== undefined) {
      args.push("LIMIT", options.limit.offset, options.limit.count);
    }
    return this[EXEC].call(ZRANGEBYSCORE, args, bulkArray<B>);
  }
}
