// Sorted-set ranges: ZRANGE, ZRANGESTORE and the older ZRANGEBYSCORE,
// ZREVRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGEBYLEX and ZREVRANGE. The other
// sorted-set commands are in sorted_sets.ts, sorted_set_pops.ts and
// sorted_set_algebra.ts.

import type { RedisKey } from "./_base.ts";
import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Mode,
  type Result,
} from "./_executor.ts";
import { bulkArray, integer, scoredMembers } from "./_reply.ts";
import { command } from "./_command.ts";
import type { ScoredMember } from "./sorted_sets_replies.ts";
import {
  type WithScoresOptions,
  zrangeArgs,
  zrangeByArgs,
  type ZRangeByLexOptions,
  type ZRangeByScoreOptions,
  type ZRangeOptions,
  zrangestoreArgs,
  type ZRangeStoreOptions,
} from "./sorted_sets_options.ts";

const ZRANGE = command("ZRANGE");
const ZRANGEBYLEX = command("ZRANGEBYLEX");
const ZRANGEBYSCORE = command("ZRANGEBYSCORE");
const ZRANGESTORE = command("ZRANGESTORE");
const ZREVRANGE = command("ZREVRANGE");
const ZREVRANGEBYLEX = command("ZREVRANGEBYLEX");
const ZREVRANGEBYSCORE = command("ZREVRANGEBYSCORE");

/**
 * Sorted-set ranges: members by rank, by score or lexicographically, in
 * either order, returned or stored. Score bounds take numbers or Redis's
 * text forms (`"(1.5"` for exclusive, `"-inf"`, `"+inf"`), lexicographic
 * bounds `"[a"` (inclusive), `"(a"` (exclusive), `"-"` and `"+"`; with
 * `withScores: true` the replies are {@linkcode ScoredMember} objects.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type SortedSetRangeCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const ranges: SortedSetRangeCommands<"promise", string, number> = redis;
 * console.log(await ranges.zrange("scores", 0, -1));
 * ```
 */
export class SortedSetRangeCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view\'s executor. */
  declare readonly [EXEC]: Executor<M>;

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
   * {@linkcode SortedSetRangeCommands.zrange} with `by: "SCORE"`.
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
   * {@linkcode SortedSetRangeCommands.zrange} with `by: "SCORE"`.
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
   * {@linkcode SortedSetRangeCommands.zrange} with `by: "SCORE"`.
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
   * {@linkcode SortedSetRangeCommands.zrange} with `by: "SCORE", rev: true`.
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
   * {@linkcode SortedSetRangeCommands.zrange} with `by: "SCORE", rev: true`.
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
   * {@linkcode SortedSetRangeCommands.zrange} with `by: "SCORE", rev: true`.
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
   * {@linkcode SortedSetRangeCommands.zrange} with `by: "LEX"`.
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
   * {@linkcode SortedSetRangeCommands.zrange} with `by: "LEX", rev: true`.
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
   * {@linkcode SortedSetRangeCommands.zrange} with `rev: true`.
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
   * {@linkcode SortedSetRangeCommands.zrange} with `rev: true`.
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
   * {@linkcode SortedSetRangeCommands.zrange} with `rev: true`.
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
}
