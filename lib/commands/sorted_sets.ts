// Sorted set commands: ZADD, ZSCORE, ZRANK, ZCOUNT, ZRANDMEMBER, ZREM... One
// line per command; options become arguments here. Scores are doubles in both
// protocols (RESP2 sends them as bulk strings such as "inf"), and every reply
// with scores is `{ member, score }` objects. Ranges are in
// sorted_set_ranges.ts, pops in sorted_set_pops.ts, unions, intersections and
// differences in sorted_set_algebra.ts.

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
  bulkOrNull,
  double,
  doubleOrNull,
  doubleOrNullArray,
  integer,
  integerOrNull,
  scoredMembers,
} from "./_reply.ts";
import { command } from "./_command.ts";
import type { ScoredMember } from "./sorted_sets_replies.ts";
import {
  type WithScoresOptions,
  zaddArgs,
  type ZAddIncrOptions,
  type ZAddMembers,
  type ZAddOptions,
} from "./sorted_sets_options.ts";

const ZADD = command("ZADD");
const ZCARD = command("ZCARD");
const ZCOUNT = command("ZCOUNT");
const ZINCRBY = command("ZINCRBY");
const ZLEXCOUNT = command("ZLEXCOUNT");
const ZMSCORE = command("ZMSCORE");
const ZRANDMEMBER = command("ZRANDMEMBER");
const ZRANK = command("ZRANK");
const ZREM = command("ZREM");
const ZREMRANGEBYLEX = command("ZREMRANGEBYLEX");
const ZREMRANGEBYRANK = command("ZREMRANGEBYRANK");
const ZREMRANGEBYSCORE = command("ZREMRANGEBYSCORE");
const ZREVRANK = command("ZREVRANK");
const ZSCORE = command("ZSCORE");

/**
 * Sorted set commands. Scores are `number`s in both protocols, including
 * `Infinity` and `-Infinity`; score bounds take numbers or Redis's text
 * forms (`"(1.5"` for exclusive, `"-inf"`, `"+inf"`), lexicographic bounds
 * `"[a"` (inclusive), `"(a"` (exclusive), `"-"` and `"+"`. Replies with
 * scores (`withScores: true`) are {@linkcode ScoredMember} objects. Ranges
 * are on {@linkcode SortedSetRangeCommands}, pops on
 * {@linkcode SortedSetPopCommands}, unions, intersections and differences
 * on {@linkcode SortedSetAlgebraCommands}.
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
   * @throws {ReplyError} `WRONGTYPE` when the key holds another type, or
   * when the options conflict (`nx` with `gt`).
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
  ): Result<M, I>;

  /**
   * The INCR form of ZADD: adds the score given for the one member to its
   * current score (0 when missing), as {@linkcode SortedSetCommands.zincrby}
   * does but with conditions; returns the new score, or `null` when a
   * condition (`nx`, `xx`, `gt`, `lt`) stopped it.
   *
   * @param key The key.
   * @param members Exactly one member and its increment.
   * @param options `incr: true`, and conditions.
   * @returns The new score, or `null`.
   * @throws {ReplyError} When `members` holds more than one member.
   * @see {@link https://redis.io/docs/latest/commands/zadd/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10 });
   * console.log(await redis.zadd("scores", { ann: 5 }, { incr: true })); // → 15
   * console.log(await redis.zadd("scores", { bob: 1 }, { incr: true, xx: true })); // → null
   * ```
   */
  zadd(
    key: RedisKey,
    members: ZAddMembers,
    options: ZAddIncrOptions,
  ): Result<M, number | null>;
  zadd(
    key: RedisKey,
    members: ZAddMembers,
    options?: ZAddOptions | ZAddIncrOptions,
  ): Result<M, I | number | null> {
    const args = zaddArgs(key, members, options);
    if (options?.incr) return this[EXEC].call(ZADD, args, doubleOrNull);
    return this[EXEC].call(ZADD, args, integer<I>);
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
   * Returns the number of members between two lexicographic bounds (for a
   * set whose members all have the same score).
   *
   * @param key The key.
   * @param min The lowest member: `"[a"` inclusive, `"(a"` exclusive, or `"-"`.
   * @param max The highest member: `"[z"`, `"(z"`, or `"+"`.
   * @returns The number of members in range.
   * @throws {ReplyError} When a bound is not in one of those forms.
   * @see {@link https://redis.io/docs/latest/commands/zlexcount/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("names", { ann: 0, bob: 0, cy: 0 });
   * console.log(await redis.zlexcount("names", "[b", "+")); // → 2
   * ```
   */
  zlexcount(
    key: RedisKey,
    min: string | Uint8Array,
    max: string | Uint8Array,
  ): Result<M, I> {
    return this[EXEC].call(ZLEXCOUNT, [key, min, max], integer<I>);
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
   * Returns a random member of the sorted set at `key`, or `null` when it
   * does not exist.
   *
   * @param key The key.
   * @returns A member, or `null`.
   * @see {@link https://redis.io/docs/latest/commands/zrandmember/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10 });
   * console.log(await redis.zrandmember("scores")); // → "ann"
   * ```
   */
  zrandmember(key: RedisKey): Result<M, B | null>;

  /**
   * Returns up to `count` distinct random members, or, with a negative
   * `count`, exactly `-count` members that may repeat (empty when the key
   * does not exist).
   *
   * @param key The key.
   * @param count How many members; negative allows repeats.
   * @param options Without `withScores`, or with `withScores: false`.
   * @returns The members.
   * @see {@link https://redis.io/docs/latest/commands/zrandmember/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10, bob: 7 });
   * console.log(await redis.zrandmember("scores", 5)); // → ["ann", "bob"] (in any order)
   * ```
   */
  zrandmember(
    key: RedisKey,
    count: number,
    options?: WithScoresOptions & { withScores?: false },
  ): Result<M, B[]>;

  /**
   * Returns up to `count` distinct random members with their scores, as
   * `{ member, score }` objects; with a negative `count`, exactly `-count`
   * that may repeat (empty when the key does not exist).
   *
   * @param key The key.
   * @param count How many members; negative allows repeats.
   * @param options `{ withScores: true }`.
   * @returns The members and their scores.
   * @see {@link https://redis.io/docs/latest/commands/zrandmember/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10 });
   * console.log(await redis.zrandmember("scores", 1, { withScores: true }));
   * // → [{ member: "ann", score: 10 }]
   * ```
   */
  zrandmember(
    key: RedisKey,
    count: number,
    options: WithScoresOptions & { withScores: true },
  ): Result<M, ScoredMember<B>[]>;

  /**
   * Returns random members, or `{ member, score }` objects when
   * `options.withScores` is `true`: the form for options whose `withScores`
   * is only known at run time.
   *
   * @param key The key.
   * @param count How many members; negative allows repeats.
   * @param options Whether to return scores.
   * @returns The members, with or without their scores.
   * @see {@link https://redis.io/docs/latest/commands/zrandmember/}
   *
   * @example Usage
   * ```ts
   * import { connect, type WithScoresOptions } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const options: WithScoresOptions = { withScores: Math.random() < 0.5 };
   * console.log(await redis.zrandmember("scores", 2, options));
   * ```
   */
  zrandmember(
    key: RedisKey,
    count: number,
    options?: WithScoresOptions,
  ): Result<M, B[] | ScoredMember<B>[]>;
  zrandmember(
    key: RedisKey,
    count?: number,
    options?: WithScoresOptions,
  ): Result<M, B | null | B[] | ScoredMember<B>[]> {
    if (count === undefined) {
      return this[EXEC].call1(ZRANDMEMBER, key, bulkOrNull<B>);
    }
    if (options?.withScores) {
      return this[EXEC].call(
        ZRANDMEMBER,
        [key, count, "WITHSCORES"],
        scoredMembers<B>,
      );
    }
    return this[EXEC].call(ZRANDMEMBER, [key, count], bulkArray<B>);
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
   * Removes the members between two lexicographic bounds (for a set whose
   * members all have the same score); returns how many.
   *
   * @param key The key.
   * @param min The lowest member: `"[a"` inclusive, `"(a"` exclusive, or `"-"`.
   * @param max The highest member: `"[z"`, `"(z"`, or `"+"`.
   * @returns The number removed.
   * @throws {ReplyError} When a bound is not in one of those forms.
   * @see {@link https://redis.io/docs/latest/commands/zremrangebylex/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("names", { ann: 0, bob: 0, cy: 0 });
   * console.log(await redis.zremrangebylex("names", "-", "[bob")); // → 2
   * ```
   */
  zremrangebylex(
    key: RedisKey,
    min: string | Uint8Array,
    max: string | Uint8Array,
  ): Result<M, I> {
    return this[EXEC].call(ZREMRANGEBYLEX, [key, min, max], integer<I>);
  }
}
