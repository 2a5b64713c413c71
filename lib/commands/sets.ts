// Set commands: SADD, SREM, SMEMBERS, SINTER and friends, SSCAN, ... One line
// per command. RESP3 set replies arrive as `Set`s; the decoders turn them
// into arrays, so both protocols give the same value.

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
  flag,
  flagArray,
  integer,
  scanPage,
} from "./_reply.ts";
import { command } from "./_command.ts";
import { scanArgs } from "./keys_options.ts";
import type { CollectionScanOptions } from "./hashes_options.ts";
import { intercardArgs, type InterCardOptions } from "./sets_options.ts";

const SADD = command("SADD");
const SCARD = command("SCARD");
const SDIFF = command("SDIFF");
const SDIFFSTORE = command("SDIFFSTORE");
const SINTER = command("SINTER");
const SINTERCARD = command("SINTERCARD");
const SINTERSTORE = command("SINTERSTORE");
const SISMEMBER = command("SISMEMBER");
const SMEMBERS = command("SMEMBERS");
const SMISMEMBER = command("SMISMEMBER");
const SMOVE = command("SMOVE");
const SPOP = command("SPOP");
const SRANDMEMBER = command("SRANDMEMBER");
const SREM = command("SREM");
const SSCAN = command("SSCAN");
const SUNION = command("SUNION");
const SUNIONSTORE = command("SUNIONSTORE");

/**
 * Set commands. Replies that are sets in Redis (`SMEMBERS`, `SINTER`, ...)
 * are arrays in no particular order.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type SetCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const sets: SetCommands<"promise", string> = redis;
 * await sets.sadd("tags", "redis");
 * ```
 */
export class SetCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view\'s executor. */
  declare readonly [EXEC]: Executor<M>;

  /**
   * Adds members to the set at `key` (creating it); returns how many were new.
   *
   * @param key The key.
   * @param members The members.
   * @returns The number of members added.
   * @throws {ReplyError} `WRONGTYPE` when the key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/sadd/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.sadd("tags", "a", "b", "a")); // → 2
   * ```
   */
  sadd(key: RedisKey, ...members: RedisArg[]): Result<M, I> {
    return this[EXEC].call(SADD, [key, ...members], integer<I>);
  }

  /**
   * Removes members from the set at `key`; returns how many were there.
   *
   * @param key The key.
   * @param members The members.
   * @returns The number of members removed.
   * @see {@link https://redis.io/docs/latest/commands/srem/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.sadd("tags", "a", "b");
   * console.log(await redis.srem("tags", "a", "z")); // → 1
   * ```
   */
  srem(key: RedisKey, ...members: RedisArg[]): Result<M, I> {
    return this[EXEC].call(SREM, [key, ...members], integer<I>);
  }

  /**
   * Returns the members of the set at `key`, in no particular order (empty
   * when it does not exist).
   *
   * @param key The key.
   * @returns The members.
   * @see {@link https://redis.io/docs/latest/commands/smembers/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.sadd("tags", "a", "b");
   * console.log((await redis.smembers("tags")).sort()); // → ["a", "b"]
   * ```
   */
  smembers(key: RedisKey): Result<M, B[]> {
    return this[EXEC].call1(SMEMBERS, key, bulkArray<B>);
  }

  /**
   * Returns whether `member` is in the set at `key`.
   *
   * @param key The key.
   * @param member The member.
   * @returns `true` when it is.
   * @see {@link https://redis.io/docs/latest/commands/sismember/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.sadd("tags", "a");
   * console.log(await redis.sismember("tags", "a")); // → true
   * ```
   */
  sismember(key: RedisKey, member: RedisArg): Result<M, boolean> {
    return this[EXEC].call(SISMEMBER, [key, member], flag);
  }

  /**
   * Returns, for each member, whether it is in the set at `key`.
   *
   * @param key The key.
   * @param members The members.
   * @returns One boolean per member.
   * @see {@link https://redis.io/docs/latest/commands/smismember/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.sadd("tags", "a");
   * console.log(await redis.smismember("tags", "a", "b")); // → [true, false]
   * ```
   */
  smismember(key: RedisKey, ...members: RedisArg[]): Result<M, boolean[]> {
    return this[EXEC].call(SMISMEMBER, [key, ...members], flagArray);
  }

  /**
   * Returns the number of members of the set at `key` (0 when it does not exist).
   *
   * @param key The key.
   * @returns The number of members.
   * @see {@link https://redis.io/docs/latest/commands/scard/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.sadd("tags", "a", "b");
   * console.log(await redis.scard("tags")); // → 2
   * ```
   */
  scard(key: RedisKey): Result<M, I> {
    return this[EXEC].call1(SCARD, key, integer<I>);
  }

  /**
   * Removes and returns a random member of the set at `key`, or `null` when
   * it does not exist.
   *
   * @param key The key.
   * @returns The member, or `null`.
   * @see {@link https://redis.io/docs/latest/commands/spop/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.sadd("tags", "a");
   * console.log(await redis.spop("tags")); // → "a"
   * ```
   */
  spop(key: RedisKey): Result<M, B | null>;
  /**
   * Removes and returns up to `count` random members of the set at `key`
   * (empty when it does not exist).
   *
   * @param key The key.
   * @param count How many members at most.
   * @returns The members.
   * @see {@link https://redis.io/docs/latest/commands/spop/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.sadd("tags", "a", "b", "c");
   * console.log((await redis.spop("tags", 2)).length); // → 2
   * ```
   */
  spop(key: RedisKey, count: number): Result<M, B[]>;
  spop(key: RedisKey, count?: number): Result<M, B | B[] | null> {
    if (count === undefined) return this[EXEC].call1(SPOP, key, bulkOrNull<B>);
    return this[EXEC].call(SPOP, [key, count], bulkArray<B>);
  }

  /**
   * Returns a random member of the set at `key` without removing it, or
   * `null` when it does not exist.
   *
   * @param key The key.
   * @returns The member, or `null`.
   * @see {@link https://redis.io/docs/latest/commands/srandmember/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.sadd("tags", "a");
   * console.log(await redis.srandmember("tags")); // → "a"
   * ```
   */
  srandmember(key: RedisKey): Result<M, B | null>;
  /**
   * Returns random members of the set at `key` without removing them: up to
   * `count` distinct members, or exactly `-count` members with possible
   * repeats when `count` is negative (empty when the key does not exist).
   *
   * @param key The key.
   * @param count How many, and whether repeats are allowed.
   * @returns The members.
   * @see {@link https://redis.io/docs/latest/commands/srandmember/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.sadd("tags", "a");
   * console.log(await redis.srandmember("tags", -3)); // → ["a", "a", "a"]
   * ```
   */
  srandmember(key: RedisKey, count: number): Result<M, B[]>;
  srandmember(key: RedisKey, count?: number): Result<M, B | B[] | null> {
    if (count === undefined) {
      return this[EXEC].call1(SRANDMEMBER, key, bulkOrNull<B>);
    }
    return this[EXEC].call(SRANDMEMBER, [key, count], bulkArray<B>);
  }

  /**
   * Returns the members present in every one of the sets (a missing key is
   * an empty set).
   *
   * @param keys The sets.
   * @returns The intersection.
   * @see {@link https://redis.io/docs/latest/commands/sinter/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.sadd("a", "1", "2");
   * await redis.sadd("b", "2", "3");
   * console.log(await redis.sinter("a", "b")); // → ["2"]
   * ```
   */
  sinter(...keys: RedisKey[]): Result<M, B[]> {
    return this[EXEC].call(SINTER, [...keys], bulkArray<B>);
  }

  /**
   * Returns the number of members in the intersection of the sets at `keys`
   * without building it (0 when any key does not exist).
   *
   * @param keys The sets to intersect.
   * @param options A limit at which to stop counting.
   * @returns The size of the intersection, or `limit` when it is reached.
   * @throws {ReplyError} `WRONGTYPE` when a key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/sintercard/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.sadd("a", "x", "y", "z");
   * await redis.sadd("b", "x", "y");
   * console.log(await redis.sintercard(["a", "b"])); // → 2
   * console.log(await redis.sintercard(["a", "b"], { limit: 1 })); // → 1
   * ```
   */
  sintercard(
    keys: readonly RedisKey[],
    options?: InterCardOptions,
  ): Result<M, I> {
    return this[EXEC].call(
      SINTERCARD,
      intercardArgs(keys, options),
      integer<I>,
    );
  }

  /**
   * Returns the members present in any of the sets.
   *
   * @param keys The sets.
   * @returns The union.
   * @see {@link https://redis.io/docs/latest/commands/sunion/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.sadd("a", "1");
   * await redis.sadd("b", "2");
   * console.log((await redis.sunion("a", "b")).sort()); // → ["1", "2"]
   * ```
   */
  sunion(...keys: RedisKey[]): Result<M, B[]> {
    return this[EXEC].call(SUNION, [...keys], bulkArray<B>);
  }

  /**
   * Returns the members of the first set that are in none of the others.
   *
   * @param keys The first set, then the sets to subtract.
   * @returns The difference.
   * @see {@link https://redis.io/docs/latest/commands/sdiff/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.sadd("a", "1", "2");
   * await redis.sadd("b", "2");
   * console.log(await redis.sdiff("a", "b")); // → ["1"]
   * ```
   */
  sdiff(...keys: RedisKey[]): Result<M, B[]> {
    return this[EXEC].call(SDIFF, [...keys], bulkArray<B>);
  }

  /**
   * Stores the intersection of the sets at `destination` (replacing it);
   * returns its size.
   *
   * @param destination Where to store the result.
   * @param keys The sets.
   * @returns The number of members stored.
   * @see {@link https://redis.io/docs/latest/commands/sinterstore/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.sadd("a", "1", "2");
   * await redis.sadd("b", "2", "3");
   * console.log(await redis.sinterstore("both", "a", "b")); // → 1
   * ```
   */
  sinterstore(destination: RedisKey, ...keys: RedisKey[]): Result<M, I> {
    return this[EXEC].call(SINTERSTORE, [destination, ...keys], integer<I>);
  }

  /**
   * Stores the union of the sets at `destination` (replacing it); returns its size.
   *
   * @param destination Where to store the result.
   * @param keys The sets.
   * @returns The number of members stored.
   * @see {@link https://redis.io/docs/latest/commands/sunionstore/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.sadd("a", "1");
   * await redis.sadd("b", "2");
   * console.log(await redis.sunionstore("either", "a", "b")); // → 2
   * ```
   */
  sunionstore(destination: RedisKey, ...keys: RedisKey[]): Result<M, I> {
    return this[EXEC].call(SUNIONSTORE, [destination, ...keys], integer<I>);
  }

  /**
   * Stores the difference of the sets at `destination` (replacing it);
   * returns its size.
   *
   * @param destination Where to store the result.
   * @param keys The first set, then the sets to subtract.
   * @returns The number of members stored.
   * @see {@link https://redis.io/docs/latest/commands/sdiffstore/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.sadd("a", "1", "2");
   * await redis.sadd("b", "2");
   * console.log(await redis.sdiffstore("only-a", "a", "b")); // → 1
   * ```
   */
  sdiffstore(destination: RedisKey, ...keys: RedisKey[]): Result<M, I> {
    return this[EXEC].call(SDIFFSTORE, [destination, ...keys], integer<I>);
  }

  /**
   * Moves `member` from the set at `source` to the set at `destination`;
   * returns whether it was in `source`.
   *
   * @param source The set to move from.
   * @param destination The set to move to.
   * @param member The member.
   * @returns `true` when it was moved.
   * @see {@link https://redis.io/docs/latest/commands/smove/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.sadd("todo", "a");
   * console.log(await redis.smove("todo", "done", "a")); // → true
   * ```
   */
  smove(
    source: RedisKey,
    destination: RedisKey,
    member: RedisArg,
  ): Result<M, boolean> {
    return this[EXEC].call(SMOVE, [source, destination, member], flag);
  }

  /**
   * Returns one page of the set's members and the cursor of the next page
   * (`"0"` when the iteration is complete). A member may appear on more
   * than one page.
   *
   * @param key The key.
   * @param cursor `"0"` (or `0`) to start, then the cursor returned.
   * @param options A pattern for members and a count hint.
   * @returns The next cursor and the members of this page.
   * @see {@link https://redis.io/docs/latest/commands/sscan/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const members = new Set<string>();
   * let cursor = "0";
   * do {
   *   const [next, page] = await redis.sscan("tags", cursor, { match: "a*" });
   *   for (const member of page) members.add(member);
   *   cursor = next;
   * } while (cursor !== "0");
   * console.log(members);
   * ```
   */
  sscan(
    key: RedisKey,
    cursor: string | number,
    options?: CollectionScanOptions,
  ): Result<M, [string, B[]]> {
    return this[EXEC].call(
      SSCAN,
      scanArgs([key, cursor], options),
      scanPage<B>,
    );
  }
}
