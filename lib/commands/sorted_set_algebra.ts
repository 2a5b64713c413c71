// Sorted-set algebra: ZUNION, ZINTER, ZDIFF, their STORE forms and
// ZINTERCARD. The other sorted-set commands are in sorted_sets.ts.

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
import { intercardArgs, type InterCardOptions } from "./sets_options.ts";
import type { ScoredMember } from "./sorted_sets_replies.ts";
import {
  type WithScoresOptions,
  type ZAggregateOptions,
  zcombineArgs,
  type ZCombineOptions,
} from "./sorted_sets_options.ts";

const ZDIFF = command("ZDIFF");
const ZDIFFSTORE = command("ZDIFFSTORE");
const ZINTER = command("ZINTER");
const ZINTERCARD = command("ZINTERCARD");
const ZINTERSTORE = command("ZINTERSTORE");
const ZUNION = command("ZUNION");
const ZUNIONSTORE = command("ZUNIONSTORE");

/**
 * Sorted-set algebra: unions, intersections and differences of sorted sets,
 * returned or stored.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type SortedSetAlgebraCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const algebra: SortedSetAlgebraCommands<"promise", string, number> = redis;
 * console.log(await algebra.zunion(["a", "b"]));
 * ```
 */
export class SortedSetAlgebraCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view's executor. */
  declare readonly [EXEC]: Executor<M>;

  /**
   * Returns every member of any of the sorted sets at `keys`, lowest combined score first. A member's scores are
   * combined (summed by default) after weighting.
   *
   * @param keys The sorted sets (plain sets count with score 1).
   * @param options Weights per key and how scores combine.
   * @returns The members.
   * @see {@link https://redis.io/docs/latest/commands/zunion/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("a", { ann: 1, bob: 2 });
   * await redis.zadd("b", { bob: 2, cy: 3 });
   * console.log(await redis.zunion(["a", "b"])); // → ["ann", "cy", "bob"]
   * ```
   */
  zunion(
    keys: readonly RedisKey[],
    options?: ZCombineOptions & { withScores?: false },
  ): Result<M, B[]>;
  /**
   * Returns every member of any of the sorted sets at `keys`, with their combined scores, as `{ member, score }`
   * objects, lowest first.
   *
   * @param keys The sorted sets (plain sets count with score 1).
   * @param options `withScores: true`, weights per key and how scores combine.
   * @returns The members and their combined scores.
   * @see {@link https://redis.io/docs/latest/commands/zunion/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("a", { ann: 1, bob: 2 });
   * await redis.zadd("b", { bob: 2, cy: 3 });
   * console.log(await redis.zunion(["a", "b"], { withScores: true }));
   * // → [{ member: "ann", score: 1 }, { member: "cy", score: 3 }, { member: "bob", score: 4 }]
   * ```
   */
  zunion(
    keys: readonly RedisKey[],
    options: ZCombineOptions & { withScores: true },
  ): Result<M, ScoredMember<B>[]>;
  /**
   * Returns members, or `{ member, score }` objects when
   * `options.withScores` is `true`: the form for options whose `withScores`
   * is only known at run time.
   *
   * @param keys The sorted sets (plain sets count with score 1).
   * @param options Weights per key, how scores combine, and whether to return them.
   * @returns The members, with or without their scores.
   * @see {@link https://redis.io/docs/latest/commands/zunion/}
   *
   * @example Usage
   * ```ts
   * import { connect, type ZCombineOptions } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const options: ZCombineOptions = { withScores: Math.random() < 0.5 };
   * console.log(await redis.zunion(["a", "b"], options));
   * ```
   */
  zunion(
    keys: readonly RedisKey[],
    options?: ZCombineOptions,
  ): Result<M, B[] | ScoredMember<B>[]>;
  zunion(
    keys: readonly RedisKey[],
    options?: ZCombineOptions,
  ): Result<M, B[] | ScoredMember<B>[]> {
    const args = zcombineArgs([], keys, options);
    if (options?.withScores) {
      return this[EXEC].call(ZUNION, args, scoredMembers<B>);
    }
    return this[EXEC].call(ZUNION, args, bulkArray<B>);
  }

  /**
   * Returns the members found in every sorted set at `keys`, lowest combined score first. A member's scores are
   * combined (summed by default) after weighting.
   *
   * @param keys The sorted sets (plain sets count with score 1).
   * @param options Weights per key and how scores combine.
   * @returns The members.
   * @see {@link https://redis.io/docs/latest/commands/zinter/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("a", { ann: 1, bob: 2 });
   * await redis.zadd("b", { bob: 2, cy: 3 });
   * console.log(await redis.zinter(["a", "b"])); // → ["bob"]
   * ```
   */
  zinter(
    keys: readonly RedisKey[],
    options?: ZCombineOptions & { withScores?: false },
  ): Result<M, B[]>;
  /**
   * Returns the members found in every sorted set at `keys`, with their combined scores, as `{ member, score }`
   * objects, lowest first.
   *
   * @param keys The sorted sets (plain sets count with score 1).
   * @param options `withScores: true`, weights per key and how scores combine.
   * @returns The members and their combined scores.
   * @see {@link https://redis.io/docs/latest/commands/zinter/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("a", { ann: 1, bob: 2 });
   * await redis.zadd("b", { bob: 2, cy: 3 });
   * console.log(await redis.zinter(["a", "b"], { withScores: true }));
   * // → [{ member: "bob", score: 4 }]
   * ```
   */
  zinter(
    keys: readonly RedisKey[],
    options: ZCombineOptions & { withScores: true },
  ): Result<M, ScoredMember<B>[]>;
  /**
   * Returns members, or `{ member, score }` objects when
   * `options.withScores` is `true`: the form for options whose `withScores`
   * is only known at run time.
   *
   * @param keys The sorted sets (plain sets count with score 1).
   * @param options Weights per key, how scores combine, and whether to return them.
   * @returns The members, with or without their scores.
   * @see {@link https://redis.io/docs/latest/commands/zinter/}
   *
   * @example Usage
   * ```ts
   * import { connect, type ZCombineOptions } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const options: ZCombineOptions = { withScores: Math.random() < 0.5 };
   * console.log(await redis.zinter(["a", "b"], options));
   * ```
   */
  zinter(
    keys: readonly RedisKey[],
    options?: ZCombineOptions,
  ): Result<M, B[] | ScoredMember<B>[]>;
  zinter(
    keys: readonly RedisKey[],
    options?: ZCombineOptions,
  ): Result<M, B[] | ScoredMember<B>[]> {
    const args = zcombineArgs([], keys, options);
    if (options?.withScores) {
      return this[EXEC].call(ZINTER, args, scoredMembers<B>);
    }
    return this[EXEC].call(ZINTER, args, bulkArray<B>);
  }

  /**
   * Returns the members of the first sorted set in `keys` that are in none
   * of the others, lowest score first.
   *
   * @param keys The first sorted set, then the ones to subtract.
   * @param options Without `withScores`, or with `withScores: false`.
   * @returns The members.
   * @see {@link https://redis.io/docs/latest/commands/zdiff/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("a", { ann: 1, bob: 2 });
   * await redis.zadd("b", { bob: 2 });
   * console.log(await redis.zdiff(["a", "b"])); // → ["ann"]
   * ```
   */
  zdiff(
    keys: readonly RedisKey[],
    options?: WithScoresOptions & { withScores?: false },
  ): Result<M, B[]>;
  /**
   * Returns the members of the first sorted set in `keys` that are in none
   * of the others, with their scores in it, as `{ member, score }` objects.
   *
   * @param keys The first sorted set, then the ones to subtract.
   * @param options `{ withScores: true }`.
   * @returns The members and their scores.
   * @see {@link https://redis.io/docs/latest/commands/zdiff/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("a", { ann: 1, bob: 2 });
   * await redis.zadd("b", { bob: 2 });
   * console.log(await redis.zdiff(["a", "b"], { withScores: true })); // → [{ member: "ann", score: 1 }]
   * ```
   */
  zdiff(
    keys: readonly RedisKey[],
    options: WithScoresOptions & { withScores: true },
  ): Result<M, ScoredMember<B>[]>;
  /**
   * Returns members, or `{ member, score }` objects when
   * `options.withScores` is `true`: the form for options whose `withScores`
   * is only known at run time.
   *
   * @param keys The first sorted set, then the ones to subtract.
   * @param options Whether to return scores.
   * @returns The members, with or without their scores.
   * @see {@link https://redis.io/docs/latest/commands/zdiff/}
   *
   * @example Usage
   * ```ts
   * import { connect, type WithScoresOptions } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const options: WithScoresOptions = { withScores: Math.random() < 0.5 };
   * console.log(await redis.zdiff(["a", "b"], options));
   * ```
   */
  zdiff(
    keys: readonly RedisKey[],
    options?: WithScoresOptions,
  ): Result<M, B[] | ScoredMember<B>[]>;
  zdiff(
    keys: readonly RedisKey[],
    options?: WithScoresOptions,
  ): Result<M, B[] | ScoredMember<B>[]> {
    const args = zcombineArgs([], keys, options);
    if (options?.withScores) {
      return this[EXEC].call(ZDIFF, args, scoredMembers<B>);
    }
    return this[EXEC].call(ZDIFF, args, bulkArray<B>);
  }

  /**
   * Stores the union of the sorted sets at `keys` as the sorted set at
   * `destination`, replacing it; returns its size. A member's scores are
   * combined (summed by default) after weighting.
   *
   * @param destination The key to write.
   * @param keys The sorted sets (plain sets count with score 1).
   * @param options Weights per key and how scores combine.
   * @returns The number of members stored.
   * @see {@link https://redis.io/docs/latest/commands/zunionstore/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("a", { ann: 1, bob: 2 });
   * await redis.zadd("b", { bob: 2, cy: 3 });
   * console.log(await redis.zunionstore("ab", ["a", "b"], { weights: [1, 10] })); // → 3
   * console.log(await redis.zscore("ab", "bob")); // → 22
   * ```
   */
  zunionstore(
    destination: RedisKey,
    keys: readonly RedisKey[],
    options?: ZAggregateOptions,
  ): Result<M, I> {
    return this[EXEC].call(
      ZUNIONSTORE,
      zcombineArgs([destination], keys, options),
      integer<I>,
    );
  }

  /**
   * Stores the intersection of the sorted sets at `keys` as the sorted set
   * at `destination`, replacing it; returns its size. A member's scores are
   * combined (summed by default) after weighting.
   *
   * @param destination The key to write.
   * @param keys The sorted sets (plain sets count with score 1).
   * @param options Weights per key and how scores combine.
   * @returns The number of members stored.
   * @see {@link https://redis.io/docs/latest/commands/zinterstore/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("a", { ann: 1, bob: 2 });
   * await redis.zadd("b", { bob: 5, cy: 3 });
   * console.log(await redis.zinterstore("ab", ["a", "b"], { aggregate: "MAX" })); // → 1
   * console.log(await redis.zscore("ab", "bob")); // → 5
   * ```
   */
  zinterstore(
    destination: RedisKey,
    keys: readonly RedisKey[],
    options?: ZAggregateOptions,
  ): Result<M, I> {
    return this[EXEC].call(
      ZINTERSTORE,
      zcombineArgs([destination], keys, options),
      integer<I>,
    );
  }

  /**
   * Stores the members of the first sorted set that are in none of the
   * others as the sorted set at `destination`, replacing it; returns its size.
   *
   * @param destination The key to write.
   * @param keys The first sorted set, then the ones to subtract.
   * @returns The number of members stored.
   * @see {@link https://redis.io/docs/latest/commands/zdiffstore/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("a", { ann: 1, bob: 2 });
   * await redis.zadd("b", { bob: 2 });
   * console.log(await redis.zdiffstore("only-a", "a", "b")); // → 1
   * ```
   */
  zdiffstore(destination: RedisKey, ...keys: RedisKey[]): Result<M, I> {
    return this[EXEC].call(
      ZDIFFSTORE,
      [destination, keys.length, ...keys],
      integer<I>,
    );
  }

  /**
   * Returns the number of members in the intersection of the sorted sets at
   * `keys` without building it (0 when any key does not exist).
   *
   * @param keys The sorted sets to intersect.
   * @param options A limit at which to stop counting.
   * @returns The size of the intersection, or `limit` when it is reached.
   * @throws {ReplyError} `WRONGTYPE` when a key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/zintercard/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("a", { ann: 1, bob: 2 });
   * await redis.zadd("b", { ann: 5, bob: 3 });
   * console.log(await redis.zintercard(["a", "b"])); // → 2
   * console.log(await redis.zintercard(["a", "b"], { limit: 1 })); // → 1
   * ```
   */
  zintercard(
    keys: readonly RedisKey[],
    options?: InterCardOptions,
  ): Result<M, I> {
    return this[EXEC].call(
      ZINTERCARD,
      intercardArgs(keys, options),
      integer<I>,
    );
  }
}
