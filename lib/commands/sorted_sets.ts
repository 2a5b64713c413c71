// Sorted set commands: ZADD, ZRANGE, ZSCORE, ZPOPMIN, ZUNION, ZMPOP, ... One
// line per command; options become arguments here. Scores are doubles in both
// protocols (RESP2 sends them as bulk strings such as "inf"), and every reply
// with scores is `{ member, score }` objects.

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
import { mpopArgs, type PopOptions } from "./lists_options.ts";
import {
  type PoppedMember,
  poppedMember,
  type PoppedMembers,
  poppedMembers,
  type ScoredMember,
} from "./sorted_sets_replies.ts";
import {
  type WithScoresOptions,
  zaddArgs,
  type ZAddIncrOptions,
  type ZAddMembers,
  type ZAddOptions,
  zrangeArgs,
  zrangeByArgs,
  type ZRangeByLexOptions,
  type ZRangeByScoreOptions,
  type ZRangeOptions,
  zrangestoreArgs,
  type ZRangeStoreOptions,
} from "./sorted_sets_options.ts";

const BZMPOP = command("BZMPOP");
const BZPOPMAX = command("BZPOPMAX");
const BZPOPMIN = command("BZPOPMIN");
const ZADD = command("ZADD");
const ZCARD = command("ZCARD");
const ZCOUNT = command("ZCOUNT");
const ZINCRBY = command("ZINCRBY");
const ZLEXCOUNT = command("ZLEXCOUNT");
const ZMPOP = command("ZMPOP");
const ZMSCORE = command("ZMSCORE");
const ZPOPMAX = command("ZPOPMAX");
const ZPOPMIN = command("ZPOPMIN");
const ZRANDMEMBER = command("ZRANDMEMBER");
const ZRANGE = command("ZRANGE");
const ZRANGEBYLEX = command("ZRANGEBYLEX");
const ZRANGEBYSCORE = command("ZRANGEBYSCORE");
const ZRANGESTORE = command("ZRANGESTORE");
const ZRANK = command("ZRANK");
const ZREM = command("ZREM");
const ZREMRANGEBYLEX = command("ZREMRANGEBYLEX");
const ZREMRANGEBYRANK = command("ZREMRANGEBYRANK");
const ZREMRANGEBYSCORE = command("ZREMRANGEBYSCORE");
const ZREVRANGE = command("ZREVRANGE");
const ZREVRANGEBYLEX = command("ZREVRANGEBYLEX");
const ZREVRANGEBYSCORE = command("ZREVRANGEBYSCORE");
const ZREVRANK = command("ZREVRANK");
const ZSCORE = command("ZSCORE");

/**
 * Sorted set commands. Scores are `number`s in both protocols, including
 * `Infinity` and `-Infinity`; score bounds take numbers or Redis's text
 * forms (`"(1.5"` for exclusive, `"-inf"`, `"+inf"`), lexicographic bounds
 * `"[a"` (inclusive), `"(a"` (exclusive), `"-"` and `"+"`. Replies with
 * scores (`withScores: true`, `zpopmin`, `zmpop`) are
 * {@linkcode ScoredMember} objects. The blocking pops (`bzpopmin`,
 * `bzpopmax`, `bzmpop`) wait on a dedicated connection of their own, never
 * holding up other commands, and `redis.with({ signal, timeout })` cancels
 * them.
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
    options?: ZRangeOptions & { withScores?: false },
  ): Result<M, B[]>;
  /**
   * As the form without scores, with `withScores: true`: returns
   * `{ member, score }` objects (not with `by: "LEX"`).
   *
   * @param key The key.
   * @param start First rank or lowest score.
   * @param stop Last rank or highest score.
   * @param options `withScores: true`, what the bounds are, the order, and a page.
   * @returns The members and their scores.
   * @see {@link https://redis.io/docs/latest/commands/zrange/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10, bob: 7 });
   * console.log(await redis.zrange("scores", 0, -1, { withScores: true }));
   * // → [{ member: "bob", score: 7 }, { member: "ann", score: 10 }]
   * ```
   */
  zrange(
    key: RedisKey,
    start: number | string,
    stop: number | string,
    options: ZRangeOptions & { withScores: true },
  ): Result<M, ScoredMember<B>[]>;
  /**
   * Returns members, or `{ member, score }` objects when
   * `options.withScores` is `true`: the form for options whose `withScores`
   * is only known at run time.
   *
   * @param key The key.
   * @param start First rank, lowest score or lex bound.
   * @param stop Last rank, highest score or lex bound.
   * @param options What the bounds are, the order, a page, and scores.
   * @returns The members, with or without their scores.
   * @see {@link https://redis.io/docs/latest/commands/zrange/}
   *
   * @example Usage
   * ```ts
   * import { connect, type ZRangeOptions } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const options: ZRangeOptions = { withScores: Math.random() < 0.5 };
   * console.log(await redis.zrange("scores", 0, -1, options));
   * ```
   */
  zrange(
    key: RedisKey,
    start: number | string,
    stop: number | string,
    options?: ZRangeOptions,
  ): Result<M, B[] | ScoredMember<B>[]>;
  zrange(
    key: RedisKey,
    start: number | string,
    stop: number | string,
    options?: ZRangeOptions,
  ): Result<M, B[] | ScoredMember<B>[]> {
    const args = zrangeArgs(key, start, stop, options);
    if (options?.withScores) {
      return this[EXEC].call(ZRANGE, args, scoredMembers<B>);
    }
    return this[EXEC].call(ZRANGE, args, bulkArray<B>);
  }

  /**
   * Stores the members `zrange` would return (with their scores) as the
   * sorted set at `destination`, replacing it; returns how many.
   *
   * @param destination The key to write.
   * @param source The sorted set to read.
   * @param start First rank, lowest score or lex bound.
   * @param stop Last rank, highest score or lex bound.
   * @param options What the bounds are, the order, and a page.
   * @returns The number of members stored.
   * @see {@link https://redis.io/docs/latest/commands/zrangestore/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10, bob: 7, cy: 3 });
   * console.log(await redis.zrangestore("top2", "scores", 0, 1, { rev: true })); // → 2
   * ```
   */
  zrangestore(
    destination: RedisKey,
    source: RedisKey,
    start: number | string,
    stop: number | string,
    options?: ZRangeStoreOptions,
  ): Result<M, I> {
    return this[EXEC].call(
      ZRANGESTORE,
      zrangestoreArgs(destination, source, start, stop, options),
      integer<I>,
    );
  }

  /**
   * Returns the members with a score between `min` and `max`, lowest first.
   *
   * @deprecated Redis deprecates ZRANGEBYSCORE since 6.2: use
   * {@linkcode SortedSetCommands.zrange} with `by: "SCORE"`.
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
    options?: ZRangeByScoreOptions & { withScores?: false },
  ): Result<M, B[]>;
  /**
   * Returns the members with a score between `min` and `max`, lowest first,
   * as `{ member, score }` objects.
   *
   * @deprecated Redis deprecates ZRANGEBYSCORE since 6.2: use
   * {@linkcode SortedSetCommands.zrange} with `by: "SCORE"`.
   *
   * @param key The key.
   * @param min The lowest score: a number, `"-inf"`, or `"(5"` for exclusive.
   * @param max The highest score: a number, `"+inf"`, or `"(5"` for exclusive.
   * @param options `withScores: true`, and a page of the results.
   * @returns The members and their scores.
   * @see {@link https://redis.io/docs/latest/commands/zrangebyscore/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10, bob: 7 });
   * console.log(await redis.zrangebyscore("scores", 8, "+inf", { withScores: true }));
   * // → [{ member: "ann", score: 10 }]
   * ```
   */
  zrangebyscore(
    key: RedisKey,
    min: number | string,
    max: number | string,
    options: ZRangeByScoreOptions & { withScores: true },
  ): Result<M, ScoredMember<B>[]>;
  /**
   * Returns members, or `{ member, score }` objects when
   * `options.withScores` is `true`: the form for options whose `withScores`
   * is only known at run time.
   *
   * @deprecated Redis deprecates ZRANGEBYSCORE since 6.2: use
   * {@linkcode SortedSetCommands.zrange} with `by: "SCORE"`.
   *
   * @param key The key.
   * @param min The lowest score.
   * @param max The highest score.
   * @param options A page of the results, and scores.
   * @returns The members, with or without their scores.
   * @see {@link https://redis.io/docs/latest/commands/zrangebyscore/}
   *
   * @example Usage
   * ```ts
   * import { connect, type ZRangeByScoreOptions } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const options: ZRangeByScoreOptions = { withScores: Math.random() < 0.5 };
   * console.log(await redis.zrangebyscore("scores", 0, 10, options));
   * ```
   */
  zrangebyscore(
    key: RedisKey,
    min: number | string,
    max: number | string,
    options?: ZRangeByScoreOptions,
  ): Result<M, B[] | ScoredMember<B>[]>;
  zrangebyscore(
    key: RedisKey,
    min: number | string,
    max: number | string,
    options?: ZRangeByScoreOptions,
  ): Result<M, B[] | ScoredMember<B>[]> {
    const args = zrangeByArgs(key, min, max, options);
    if (options?.withScores) {
      return this[EXEC].call(ZRANGEBYSCORE, args, scoredMembers<B>);
    }
    return this[EXEC].call(ZRANGEBYSCORE, args, bulkArray<B>);
  }

  /**
   * Returns the members with a score between `max` and `min`, highest first.
   *
   * @deprecated Redis deprecates ZREVRANGEBYSCORE since 6.2: use
   * {@linkcode SortedSetCommands.zrange} with `by: "SCORE", rev: true`.
   *
   * @param key The key.
   * @param max The highest score: a number, `"+inf"`, or `"(5"` for exclusive.
   * @param min The lowest score: a number, `"-inf"`, or `"(5"` for exclusive.
   * @param options A page of the results.
   * @returns The members.
   * @see {@link https://redis.io/docs/latest/commands/zrevrangebyscore/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10, bob: 7, cy: 3 });
   * console.log(await redis.zrevrangebyscore("scores", "+inf", 5)); // → ["ann", "bob"]
   * ```
   */
  zrevrangebyscore(
    key: RedisKey,
    max: number | string,
    min: number | string,
    options?: ZRangeByScoreOptions & { withScores?: false },
  ): Result<M, B[]>;
  /**
   * Returns the members with a score between `max` and `min`, highest
   * first, as `{ member, score }` objects.
   *
   * @deprecated Redis deprecates ZREVRANGEBYSCORE since 6.2: use
   * {@linkcode SortedSetCommands.zrange} with `by: "SCORE", rev: true`.
   *
   * @param key The key.
   * @param max The highest score: a number, `"+inf"`, or `"(5"` for exclusive.
   * @param min The lowest score: a number, `"-inf"`, or `"(5"` for exclusive.
   * @param options `withScores: true`, and a page of the results.
   * @returns The members and their scores.
   * @see {@link https://redis.io/docs/latest/commands/zrevrangebyscore/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10, bob: 7 });
   * console.log(await redis.zrevrangebyscore("scores", 10, 8, { withScores: true }));
   * // → [{ member: "ann", score: 10 }]
   * ```
   */
  zrevrangebyscore(
    key: RedisKey,
    max: number | string,
    min: number | string,
    options: ZRangeByScoreOptions & { withScores: true },
  ): Result<M, ScoredMember<B>[]>;
  /**
   * Returns members, or `{ member, score }` objects when
   * `options.withScores` is `true`: the form for options whose `withScores`
   * is only known at run time.
   *
   * @deprecated Redis deprecates ZREVRANGEBYSCORE since 6.2: use
   * {@linkcode SortedSetCommands.zrange} with `by: "SCORE", rev: true`.
   *
   * @param key The key.
   * @param max The highest score.
   * @param min The lowest score.
   * @param options A page of the results, and scores.
   * @returns The members, with or without their scores.
   * @see {@link https://redis.io/docs/latest/commands/zrevrangebyscore/}
   *
   * @example Usage
   * ```ts
   * import { connect, type ZRangeByScoreOptions } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const options: ZRangeByScoreOptions = { withScores: Math.random() < 0.5 };
   * console.log(await redis.zrevrangebyscore("scores", 10, 0, options));
   * ```
   */
  zrevrangebyscore(
    key: RedisKey,
    max: number | string,
    min: number | string,
    options?: ZRangeByScoreOptions,
  ): Result<M, B[] | ScoredMember<B>[]>;
  zrevrangebyscore(
    key: RedisKey,
    max: number | string,
    min: number | string,
    options?: ZRangeByScoreOptions,
  ): Result<M, B[] | ScoredMember<B>[]> {
    const args = zrangeByArgs(key, max, min, options);
    if (options?.withScores) {
      return this[EXEC].call(ZREVRANGEBYSCORE, args, scoredMembers<B>);
    }
    return this[EXEC].call(ZREVRANGEBYSCORE, args, bulkArray<B>);
  }

  /**
   * Returns the members between two lexicographic bounds, in order (for a
   * set whose members all have the same score).
   *
   * @deprecated Redis deprecates ZRANGEBYLEX since 6.2: use
   * {@linkcode SortedSetCommands.zrange} with `by: "LEX"`.
   *
   * @param key The key.
   * @param min The lowest member: `"[a"` inclusive, `"(a"` exclusive, or `"-"`.
   * @param max The highest member: `"[z"`, `"(z"`, or `"+"`.
   * @param options A page of the results.
   * @returns The members.
   * @throws {ReplyError} When a bound is not in one of those forms.
   * @see {@link https://redis.io/docs/latest/commands/zrangebylex/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("names", { ann: 0, bob: 0, cy: 0 });
   * console.log(await redis.zrangebylex("names", "(ann", "+")); // → ["bob", "cy"]
   * ```
   */
  zrangebylex(
    key: RedisKey,
    min: string | Uint8Array,
    max: string | Uint8Array,
    options?: ZRangeByLexOptions,
  ): Result<M, B[]> {
    return this[EXEC].call(
      ZRANGEBYLEX,
      zrangeByArgs(key, min, max, options),
      bulkArray<B>,
    );
  }

  /**
   * Returns the members between two lexicographic bounds, in reverse order
   * (for a set whose members all have the same score).
   *
   * @deprecated Redis deprecates ZREVRANGEBYLEX since 6.2: use
   * {@linkcode SortedSetCommands.zrange} with `by: "LEX", rev: true`.
   *
   * @param key The key.
   * @param max The highest member: `"[z"` inclusive, `"(z"` exclusive, or `"+"`.
   * @param min The lowest member: `"[a"`, `"(a"`, or `"-"`.
   * @param options A page of the results.
   * @returns The members, last first.
   * @throws {ReplyError} When a bound is not in one of those forms.
   * @see {@link https://redis.io/docs/latest/commands/zrevrangebylex/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("names", { ann: 0, bob: 0, cy: 0 });
   * console.log(await redis.zrevrangebylex("names", "+", "[bob")); // → ["cy", "bob"]
   * ```
   */
  zrevrangebylex(
    key: RedisKey,
    max: string | Uint8Array,
    min: string | Uint8Array,
    options?: ZRangeByLexOptions,
  ): Result<M, B[]> {
    return this[EXEC].call(
      ZREVRANGEBYLEX,
      zrangeByArgs(key, max, min, options),
      bulkArray<B>,
    );
  }

  /**
   * Returns the members ranked from `start` to `stop` counting from the
   * highest score (rank 0), highest first.
   *
   * @deprecated Redis deprecates ZREVRANGE since 6.2: use
   * {@linkcode SortedSetCommands.zrange} with `rev: true`.
   *
   * @param key The key.
   * @param start First rank (negative counts from the lowest score).
   * @param stop Last rank.
   * @param options Without `withScores`, or with `withScores: false`.
   * @returns The members.
   * @see {@link https://redis.io/docs/latest/commands/zrevrange/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10, bob: 7, cy: 3 });
   * console.log(await redis.zrevrange("scores", 0, 1)); // → ["ann", "bob"]
   * ```
   */
  zrevrange(
    key: RedisKey,
    start: number,
    stop: number,
    options?: WithScoresOptions & { withScores?: false },
  ): Result<M, B[]>;
  /**
   * Returns the members ranked from `start` to `stop` counting from the
   * highest score, highest first, as `{ member, score }` objects.
   *
   * @deprecated Redis deprecates ZREVRANGE since 6.2: use
   * {@linkcode SortedSetCommands.zrange} with `rev: true`.
   *
   * @param key The key.
   * @param start First rank (negative counts from the lowest score).
   * @param stop Last rank.
   * @param options `{ withScores: true }`.
   * @returns The members and their scores.
   * @see {@link https://redis.io/docs/latest/commands/zrevrange/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10, bob: 7 });
   * console.log(await redis.zrevrange("scores", 0, 0, { withScores: true }));
   * // → [{ member: "ann", score: 10 }]
   * ```
   */
  zrevrange(
    key: RedisKey,
    start: number,
    stop: number,
    options: WithScoresOptions & { withScores: true },
  ): Result<M, ScoredMember<B>[]>;
  /**
   * Returns members, or `{ member, score }` objects when
   * `options.withScores` is `true`: the form for options whose `withScores`
   * is only known at run time.
   *
   * @deprecated Redis deprecates ZREVRANGE since 6.2: use
   * {@linkcode SortedSetCommands.zrange} with `rev: true`.
   *
   * @param key The key.
   * @param start First rank.
   * @param stop Last rank.
   * @param options Whether to return scores.
   * @returns The members, with or without their scores.
   * @see {@link https://redis.io/docs/latest/commands/zrevrange/}
   *
   * @example Usage
   * ```ts
   * import { connect, type WithScoresOptions } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const options: WithScoresOptions = { withScores: Math.random() < 0.5 };
   * console.log(await redis.zrevrange("scores", 0, -1, options));
   * ```
   */
  zrevrange(
    key: RedisKey,
    start: number,
    stop: number,
    options?: WithScoresOptions,
  ): Result<M, B[] | ScoredMember<B>[]>;
  zrevrange(
    key: RedisKey,
    start: number,
    stop: number,
    options?: WithScoresOptions,
  ): Result<M, B[] | ScoredMember<B>[]> {
    if (options?.withScores) {
      return this[EXEC].call(
        ZREVRANGE,
        [key, start, stop, "WITHSCORES"],
        scoredMembers<B>,
      );
    }
    return this[EXEC].call(ZREVRANGE, [key, start, stop], bulkArray<B>);
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
   * Removes and returns the member with the lowest score, or the `count`
   * lowest, as `{ member, score }` objects (empty when the key does not exist).
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
   * console.log(await redis.zpopmin("scores")); // → [{ member: "bob", score: 7 }]
   * ```
   */
  zpopmin(key: RedisKey, count?: number): Result<M, ScoredMember<B>[]> {
    return this[EXEC].call(
      ZPOPMIN,
      count === undefined ? [key] : [key, count],
      scoredMembers<B>,
    );
  }

  /**
   * Removes and returns the member with the highest score, or the `count`
   * highest, as `{ member, score }` objects (empty when the key does not exist).
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
   * console.log(await redis.zpopmax("scores", 2));
   * // → [{ member: "ann", score: 10 }, { member: "bob", score: 7 }]
   * ```
   */
  zpopmax(key: RedisKey, count?: number): Result<M, ScoredMember<B>[]> {
    return this[EXEC].call(
      ZPOPMAX,
      count === undefined ? [key] : [key, count],
      scoredMembers<B>,
    );
  }

  /**
   * Pops the lowest (`"MIN"`) or highest (`"MAX"`) scored members of the
   * first sorted set in `keys` that is not empty; returns that key and the
   * members with their scores, or `null` when every set is empty or missing.
   *
   * @param keys The sorted sets to try, in order.
   * @param where `"MIN"` or `"MAX"`.
   * @param options How many members to pop at most.
   * @returns The key and the members popped, or `null`.
   * @throws {ReplyError} `WRONGTYPE` when the first non-empty key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/zmpop/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10, bob: 7 });
   * const popped = await redis.zmpop(["empty", "scores"], "MAX", { count: 5 });
   * console.log(popped);
   * // → { key: "scores", members: [{ member: "ann", score: 10 }, { member: "bob", score: 7 }] }
   * ```
   */
  zmpop(
    keys: readonly RedisKey[],
    where: "MIN" | "MAX",
    options?: PopOptions,
  ): Result<M, PoppedMembers<B> | null> {
    return this[EXEC].call(
      ZMPOP,
      mpopArgs(keys, where, options),
      poppedMembers<B>,
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

  /**
   * Pops the member with the lowest score from the first sorted set in
   * `keys` that is not empty, waiting up to `timeoutSeconds` for one to be
   * added when all are empty; returns the key, the member and its score, or
   * `null` when the time passed. Waits on a dedicated connection, never
   * holding up other commands; `redis.with({ signal, timeout })` cancels
   * the wait.
   *
   * @param keys The sorted sets to try, in order.
   * @param timeoutSeconds Seconds to wait (fractions allowed); 0 waits
   * until a member comes.
   * @returns The key, the member and its score, or `null`.
   * @throws {ReplyError} `WRONGTYPE` when a key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/bzpopmin/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("tasks", { later: 20, soon: 5 });
   * console.log(await redis.bzpopmin(["tasks"], 1)); // → { key: "tasks", member: "soon", score: 5 }
   * ```
   */
  bzpopmin(
    keys: readonly RedisKey[],
    timeoutSeconds: number,
  ): Result<M, PoppedMember<B> | null> {
    return this[EXEC].call(
      BZPOPMIN,
      [...keys, timeoutSeconds],
      poppedMember<B>,
    );
  }

  /**
   * Pops the member with the highest score from the first sorted set in
   * `keys` that is not empty, waiting up to `timeoutSeconds` for one, as
   * {@linkcode SortedSetCommands.bzpopmin} does for the lowest.
   *
   * @param keys The sorted sets to try, in order.
   * @param timeoutSeconds Seconds to wait (fractions allowed); 0 waits
   * until a member comes.
   * @returns The key, the member and its score, or `null`.
   * @throws {ReplyError} `WRONGTYPE` when a key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/bzpopmax/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("bids", { ann: 10, bob: 7 });
   * console.log(await redis.bzpopmax(["bids"], 1)); // → { key: "bids", member: "ann", score: 10 }
   * ```
   */
  bzpopmax(
    keys: readonly RedisKey[],
    timeoutSeconds: number,
  ): Result<M, PoppedMember<B> | null> {
    return this[EXEC].call(
      BZPOPMAX,
      [...keys, timeoutSeconds],
      poppedMember<B>,
    );
  }

  /**
   * {@linkcode SortedSetCommands.zmpop} that waits up to `timeoutSeconds`
   * for a member when every sorted set is empty: pops the lowest (`"MIN"`)
   * or highest (`"MAX"`) scored members of the first one that is not
   * empty; returns that key and the members with their scores, or `null`
   * when the time passed.
   *
   * @param timeoutSeconds Seconds to wait (fractions allowed); 0 waits
   * until a member comes.
   * @param keys The sorted sets to try, in order.
   * @param where `"MIN"` or `"MAX"`.
   * @param options How many members to pop at most.
   * @returns The key and the members popped, or `null`.
   * @throws {ReplyError} `WRONGTYPE` when the first non-empty key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/bzmpop/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10, bob: 7 });
   * const popped = await redis.bzmpop(1, ["empty", "scores"], "MAX", { count: 5 });
   * console.log(popped);
   * // → { key: "scores", members: [{ member: "ann", score: 10 }, { member: "bob", score: 7 }] }
   * ```
   */
  bzmpop(
    timeoutSeconds: number,
    keys: readonly RedisKey[],
    where: "MIN" | "MAX",
    options?: PopOptions,
  ): Result<M, PoppedMembers<B> | null> {
    return this[EXEC].call(
      BZMPOP,
      [timeoutSeconds, ...mpopArgs(keys, where, options)],
      poppedMembers<B>,
    );
  }
}
