// Sorted-set pops: ZPOPMIN, ZPOPMAX, ZMPOP and their blocking forms BZPOPMIN,
// BZPOPMAX and BZMPOP. The other sorted-set commands are in sorted_sets.ts,
// sorted_set_ranges.ts and sorted_set_algebra.ts.

import type { RedisKey } from "./_base.ts";
import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Mode,
  type Result,
} from "./_executor.ts";
import { scoredMembers } from "./_reply.ts";
import { command } from "./_command.ts";
import { mpopArgs, type PopOptions } from "./lists_options.ts";
import {
  type PoppedMember,
  poppedMember,
  type PoppedMembers,
  poppedMembers,
  type ScoredMember,
} from "./sorted_sets_replies.ts";

const BZMPOP = command("BZMPOP");
const BZPOPMAX = command("BZPOPMAX");
const BZPOPMIN = command("BZPOPMIN");
const ZMPOP = command("ZMPOP");
const ZPOPMAX = command("ZPOPMAX");
const ZPOPMIN = command("ZPOPMIN");

/**
 * Sorted-set pops: remove and return the members with the lowest or highest
 * scores, as {@linkcode ScoredMember} objects. The blocking pops
 * (`bzpopmin`, `bzpopmax`, `bzmpop`) wait on a dedicated connection of
 * their own, never holding up other commands, and
 * `redis.with({ signal, timeout })` cancels them.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type SortedSetPopCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const pops: SortedSetPopCommands<"promise", string, number> = redis;
 * console.log(await pops.zpopmin("scores"));
 * ```
 */
export class SortedSetPopCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view\'s executor. */
  declare readonly [EXEC]: Executor<M>;

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
   * {@linkcode SortedSetPopCommands.bzpopmin} does for the lowest.
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
   * {@linkcode SortedSetPopCommands.zmpop} that waits up to `timeoutSeconds`
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
