// List commands: LPUSH, RPUSH, LPOP, LRANGE, LINDEX, LSET, LREM, LPOS, ...
// One line per command; options become arguments here. Moves between lists
// and the multi-list and blocking pops (LMOVE, LMPOP, BLPOP, BLMOVE, ...) are
// in list_moves.ts.

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
  bulkArrayOrNull,
  bulkOrNull,
  integer,
  integerArray,
  integerOrNull,
  ok,
} from "./_reply.ts";
import { command } from "./_command.ts";
import { lposArgs, type LposOptions } from "./lists_options.ts";

const LINDEX = command("LINDEX");
const LINSERT = command("LINSERT");
const LLEN = command("LLEN");
const LPOP = command("LPOP");
const LPOS = command("LPOS");
const LPUSH = command("LPUSH");
const LPUSHX = command("LPUSHX");
const LRANGE = command("LRANGE");
const LREM = command("LREM");
const LSET = command("LSET");
const LTRIM = command("LTRIM");
const RPOP = command("RPOP");
const RPUSH = command("RPUSH");
const RPUSHX = command("RPUSHX");

/**
 * List commands: push, pop, read, replace, remove and find elements of one
 * list. Moves between lists, pops across several lists and the blocking
 * pops (`blpop`, `blmove`, ...) are on {@linkcode ListMoveCommands}.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type ListCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const lists: ListCommands<"promise", string> = redis;
 * await lists.rpush("queue", "job-1");
 * ```
 */
export class ListCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view\'s executor. */
  declare readonly [EXEC]: Executor<M>;

  /**
   * Inserts values at the head of the list at `key` (creating it); returns
   * the new length. Each value goes in front of the previous one, so the
   * last value ends up first.
   *
   * @param key The key.
   * @param values The values.
   * @returns The length after the push.
   * @throws {ReplyError} `WRONGTYPE` when the key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/lpush/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.lpush("queue", "a", "b")); // → 2 (list: b, a)
   * ```
   */
  lpush(key: RedisKey, ...values: RedisArg[]): Result<M, I> {
    return this[EXEC].call(LPUSH, [key, ...values], integer<I>);
  }

  /**
   * Appends values to the tail of the list at `key` (creating it); returns the new length.
   *
   * @param key The key.
   * @param values The values.
   * @returns The length after the push.
   * @throws {ReplyError} `WRONGTYPE` when the key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/rpush/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.rpush("queue", "a", "b")); // → 2 (list: a, b)
   * ```
   */
  rpush(key: RedisKey, ...values: RedisArg[]): Result<M, I> {
    return this[EXEC].call(RPUSH, [key, ...values], integer<I>);
  }

  /**
   * Inserts values at the head of the list at `key` only if it exists;
   * returns the new length (0 when it does not exist).
   *
   * @param key The key.
   * @param values The values.
   * @returns The length after the push, or 0.
   * @see {@link https://redis.io/docs/latest/commands/lpushx/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.lpushx("missing", "a")); // → 0
   * ```
   */
  lpushx(key: RedisKey, ...values: RedisArg[]): Result<M, I> {
    return this[EXEC].call(LPUSHX, [key, ...values], integer<I>);
  }

  /**
   * Appends values to the tail of the list at `key` only if it exists;
   * returns the new length (0 when it does not exist).
   *
   * @param key The key.
   * @param values The values.
   * @returns The length after the push, or 0.
   * @see {@link https://redis.io/docs/latest/commands/rpushx/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("queue", "a");
   * console.log(await redis.rpushx("queue", "b")); // → 2
   * ```
   */
  rpushx(key: RedisKey, ...values: RedisArg[]): Result<M, I> {
    return this[EXEC].call(RPUSHX, [key, ...values], integer<I>);
  }

  /**
   * Removes and returns the first element of the list at `key`, or `null`
   * when it does not exist.
   *
   * @param key The key.
   * @returns The element, or `null`.
   * @see {@link https://redis.io/docs/latest/commands/lpop/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("queue", "a", "b");
   * console.log(await redis.lpop("queue")); // → "a"
   * ```
   */
  lpop(key: RedisKey): Result<M, B | null>;
  /**
   * Removes and returns up to `count` elements from the head of the list at
   * `key`, or `null` when it does not exist.
   *
   * @param key The key.
   * @param count How many elements at most.
   * @returns The elements, or `null`.
   * @see {@link https://redis.io/docs/latest/commands/lpop/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("queue", "a", "b", "c");
   * console.log(await redis.lpop("queue", 2)); // → ["a", "b"]
   * ```
   */
  lpop(key: RedisKey, count: number): Result<M, B[] | null>;
  lpop(key: RedisKey, count?: number): Result<M, B | B[] | null> {
    if (count === undefined) return this[EXEC].call1(LPOP, key, bulkOrNull<B>);
    return this[EXEC].call(LPOP, [key, count], bulkArrayOrNull<B>);
  }

  /**
   * Removes and returns the last element of the list at `key`, or `null`
   * when it does not exist.
   *
   * @param key The key.
   * @returns The element, or `null`.
   * @see {@link https://redis.io/docs/latest/commands/rpop/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("queue", "a", "b");
   * console.log(await redis.rpop("queue")); // → "b"
   * ```
   */
  rpop(key: RedisKey): Result<M, B | null>;
  /**
   * Removes and returns up to `count` elements from the tail of the list at
   * `key` (last element first), or `null` when it does not exist.
   *
   * @param key The key.
   * @param count How many elements at most.
   * @returns The elements, or `null`.
   * @see {@link https://redis.io/docs/latest/commands/rpop/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("queue", "a", "b", "c");
   * console.log(await redis.rpop("queue", 2)); // → ["c", "b"]
   * ```
   */
  rpop(key: RedisKey, count: number): Result<M, B[] | null>;
  rpop(key: RedisKey, count?: number): Result<M, B | B[] | null> {
    if (count === undefined) return this[EXEC].call1(RPOP, key, bulkOrNull<B>);
    return this[EXEC].call(RPOP, [key, count], bulkArrayOrNull<B>);
  }

  /**
   * Returns the elements of the list at `key` from `start` to `stop`
   * inclusive (negative indexes count from the end; empty when the key does
   * not exist).
   *
   * @param key The key.
   * @param start First index.
   * @param stop Last index (`-1` for the last element).
   * @returns The elements.
   * @see {@link https://redis.io/docs/latest/commands/lrange/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("queue", "a", "b", "c");
   * console.log(await redis.lrange("queue", 0, -1)); // → ["a", "b", "c"]
   * ```
   */
  lrange(key: RedisKey, start: number, stop: number): Result<M, B[]> {
    return this[EXEC].call(LRANGE, [key, start, stop], bulkArray<B>);
  }

  /**
   * Returns the length of the list at `key` (0 when it does not exist).
   *
   * @param key The key.
   * @returns The length.
   * @see {@link https://redis.io/docs/latest/commands/llen/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("queue", "a", "b");
   * console.log(await redis.llen("queue")); // → 2
   * ```
   */
  llen(key: RedisKey): Result<M, I> {
    return this[EXEC].call1(LLEN, key, integer<I>);
  }

  /**
   * Returns the element at `index` (negative counts from the end), or `null`
   * when it is out of range or the key does not exist.
   *
   * @param key The key.
   * @param index The index.
   * @returns The element, or `null`.
   * @see {@link https://redis.io/docs/latest/commands/lindex/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("queue", "a", "b");
   * console.log(await redis.lindex("queue", -1)); // → "b"
   * ```
   */
  lindex(key: RedisKey, index: number): Result<M, B | null> {
    return this[EXEC].call(LINDEX, [key, index], bulkOrNull<B>);
  }

  /**
   * Replaces the element at `index`.
   *
   * @param key The key.
   * @param index The index (negative counts from the end).
   * @param value The new element.
   * @returns `"OK"`.
   * @throws {ReplyError} When the index is out of range or the key does not exist.
   * @see {@link https://redis.io/docs/latest/commands/lset/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("queue", "a", "b");
   * await redis.lset("queue", 0, "z");
   * ```
   */
  lset(key: RedisKey, index: number, value: RedisArg): Result<M, "OK"> {
    return this[EXEC].call(LSET, [key, index, value], ok);
  }

  /**
   * Removes elements equal to `value`; returns how many were removed.
   * `count` > 0 removes the first `count` from the head, < 0 the first
   * `-count` from the tail, 0 all of them.
   *
   * @param key The key.
   * @param count How many, and from which end.
   * @param value The element to remove.
   * @returns The number removed.
   * @see {@link https://redis.io/docs/latest/commands/lrem/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("queue", "a", "b", "a");
   * console.log(await redis.lrem("queue", 0, "a")); // → 2
   * ```
   */
  lrem(key: RedisKey, count: number, value: RedisArg): Result<M, I> {
    return this[EXEC].call(LREM, [key, count, value], integer<I>);
  }

  /**
   * Keeps only the elements from `start` to `stop` inclusive.
   *
   * @param key The key.
   * @param start First index kept.
   * @param stop Last index kept (negative counts from the end).
   * @returns `"OK"`.
   * @see {@link https://redis.io/docs/latest/commands/ltrim/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("log", "a", "b", "c");
   * await redis.ltrim("log", -2, -1); // keeps b, c
   * ```
   */
  ltrim(key: RedisKey, start: number, stop: number): Result<M, "OK"> {
    return this[EXEC].call(LTRIM, [key, start, stop], ok);
  }

  /**
   * Inserts `value` before or after the first element equal to `pivot`;
   * returns the new length, `-1` when `pivot` was not found, or 0 when the
   * key does not exist.
   *
   * @param key The key.
   * @param where `"BEFORE"` or `"AFTER"` the pivot.
   * @param pivot The element to find.
   * @param value The element to insert.
   * @returns The new length, `-1` or 0.
   * @see {@link https://redis.io/docs/latest/commands/linsert/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("queue", "a", "c");
   * console.log(await redis.linsert("queue", "BEFORE", "c", "b")); // → 3
   * ```
   */
  linsert(
    key: RedisKey,
    where: "BEFORE" | "AFTER",
    pivot: RedisArg,
    value: RedisArg,
  ): Result<M, I> {
    return this[EXEC].call(LINSERT, [key, where, pivot, value], integer<I>);
  }

  /**
   * Returns the index of an element equal to `value`, or `null` when there is none.
   *
   * @param key The key.
   * @param value The element to find.
   * @param options Which match (`rank`) and how far to look (`maxlen`).
   * @returns The index, or `null`.
   * @see {@link https://redis.io/docs/latest/commands/lpos/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("queue", "a", "b", "a");
   * console.log(await redis.lpos("queue", "a", { rank: -1 })); // → 2
   * ```
   */
  lpos(
    key: RedisKey,
    value: RedisArg,
    options?: LposOptions & { count?: undefined },
  ): Result<M, I | null>;
  /**
   * Returns the indexes of up to `count` elements equal to `value` (every
   * one when `count` is 0), in the order searched; empty when there is none.
   *
   * @param key The key.
   * @param value The element to find.
   * @param options How many matches (`count`), from which match (`rank`) and
   * how far to look (`maxlen`).
   * @returns The indexes, possibly none.
   * @see {@link https://redis.io/docs/latest/commands/lpos/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("queue", "a", "b", "a");
   * console.log(await redis.lpos("queue", "a", { count: 0 })); // → [0, 2]
   * ```
   */
  lpos(
    key: RedisKey,
    value: RedisArg,
    options: LposOptions & { count: number },
  ): Result<M, I[]>;
  /**
   * Returns the index of an element equal to `value` (or `null`), or with a
   * `count`, the indexes of up to `count` of them.
   *
   * @param key The key.
   * @param value The element to find.
   * @param options `count`, `rank` and `maxlen`.
   * @returns An index or `null` without `count`; the indexes with it.
   * @see {@link https://redis.io/docs/latest/commands/lpos/}
   *
   * @example Usage
   * ```ts
   * import { connect, type LposOptions } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const options: LposOptions = Math.random() < 0.5 ? { count: 0 } : {};
   * console.log(await redis.lpos("queue", "a", options));
   * ```
   */
  lpos(
    key: RedisKey,
    value: RedisArg,
    options?: LposOptions,
  ): Result<M, I | null | I[]>;
  lpos(
    key: RedisKey,
    value: RedisArg,
    options?: LposOptions,
  ): Result<M, I | null | I[]> {
    const args = lposArgs(key, value, options);
    if (options?.count !== undefined) {
      return this[EXEC].call(LPOS, args, integerArray<I>);
    }
    return this[EXEC].call(LPOS, args, integerOrNull<I>);
  }
}
