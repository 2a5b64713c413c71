// List commands: LPUSH, RPUSH, LPOP, LRANGE, LMOVE, LMPOP, BLPOP, BLMOVE, ...
// One line per command; options become arguments here. The blocking pops run
// on a dedicated connection of the router's pool, never on the shared one.

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
import {
  lposArgs,
  type LposOptions,
  mpopArgs,
  type PopOptions,
} from "./lists_options.ts";
import {
  keyAndElement,
  type PoppedElements,
  poppedElements,
} from "./lists_replies.ts";

const BLMOVE = command("BLMOVE");
const BLMPOP = command("BLMPOP");
const BLPOP = command("BLPOP");
const BRPOP = command("BRPOP");
const BRPOPLPUSH = command("BRPOPLPUSH");

const LINDEX = command("LINDEX");
const LINSERT = command("LINSERT");
const LLEN = command("LLEN");
const LMPOP = command("LMPOP");
const LMOVE = command("LMOVE");
const LPOP = command("LPOP");
const LPOS = command("LPOS");
const LPUSH = command("LPUSH");
const LPUSHX = command("LPUSHX");
const LRANGE = command("LRANGE");
const LREM = command("LREM");
const LSET = command("LSET");
const LTRIM = command("LTRIM");
const RPOP = command("RPOP");
const RPOPLPUSH = command("RPOPLPUSH");
const RPUSH = command("RPUSH");
const RPUSHX = command("RPUSHX");

/**
 * List commands. The blocking ones (`blpop`, `brpop`, `blmove`, `blmpop`,
 * `brpoplpush`) wait on a dedicated connection of their own (see the
 * `maxBlockingConnections` option), so they never hold up the other
 * commands, and `redis.with({ signal, timeout })` cancels them.
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

  /**
   * Pops an element from one end of `source` and pushes it onto one end of
   * `destination` (which may be the same list); returns the element, or
   * `null` when `source` does not exist.
   *
   * @param source The list to pop from.
   * @param destination The list to push onto.
   * @param from `"LEFT"` (head) or `"RIGHT"` (tail) of `source`.
   * @param to `"LEFT"` (head) or `"RIGHT"` (tail) of `destination`.
   * @returns The element moved, or `null`.
   * @see {@link https://redis.io/docs/latest/commands/lmove/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("todo", "a", "b");
   * console.log(await redis.lmove("todo", "doing", "LEFT", "RIGHT")); // → "a"
   * ```
   */
  lmove(
    source: RedisKey,
    destination: RedisKey,
    from: "LEFT" | "RIGHT",
    to: "LEFT" | "RIGHT",
  ): Result<M, B | null> {
    return this[EXEC].call(
      LMOVE,
      [source, destination, from, to],
      bulkOrNull<B>,
    );
  }

  /**
   * Pops the last element of `source` and pushes it onto the head of
   * `destination` (which may be the same list); returns the element, or
   * `null` when `source` does not exist.
   *
   * @deprecated Redis deprecates RPOPLPUSH since 6.2: use
   * {@linkcode ListCommands.lmove} with `"RIGHT", "LEFT"`, which does the same.
   *
   * @param source The list to pop from.
   * @param destination The list to push onto.
   * @returns The element moved, or `null`.
   * @throws {ReplyError} `WRONGTYPE` when either key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/rpoplpush/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("todo", "a", "b");
   * console.log(await redis.rpoplpush("todo", "doing")); // → "b"
   * ```
   */
  rpoplpush(source: RedisKey, destination: RedisKey): Result<M, B | null> {
    return this[EXEC].call(RPOPLPUSH, [source, destination], bulkOrNull<B>);
  }

  /**
   * Pops elements from one end of the first list in `keys` that is not
   * empty; returns that key and the elements, or `null` when every list is
   * empty or missing.
   *
   * @param keys The lists to try, in order.
   * @param where `"LEFT"` (head) or `"RIGHT"` (tail).
   * @param options How many elements to pop at most.
   * @returns The key and the elements popped, or `null`.
   * @throws {ReplyError} `WRONGTYPE` when the first non-empty key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/lmpop/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("jobs", "a", "b", "c");
   * const popped = await redis.lmpop(["urgent", "jobs"], "LEFT", { count: 2 });
   * console.log(popped); // → { key: "jobs", elements: ["a", "b"] }
   * ```
   */
  lmpop(
    keys: readonly RedisKey[],
    where: "LEFT" | "RIGHT",
    options?: PopOptions,
  ): Result<M, PoppedElements<B> | null> {
    return this[EXEC].call(
      LMPOP,
      mpopArgs(keys, where, options),
      poppedElements<B>,
    );
  }

  /**
   * Pops the first element of the first list in `keys` that is not empty,
   * waiting up to `timeoutSeconds` for one to be pushed when all are empty;
   * returns that list's key and the element, or `null` when the time
   * passed. Waits on a dedicated connection, never holding up other
   * commands; `redis.with({ signal, timeout })` cancels the wait (see
   * {@linkcode RedisView.with}).
   *
   * @param keys The lists to try, in order.
   * @param timeoutSeconds Seconds to wait (fractions allowed); 0 waits
   * until an element comes.
   * @returns The key and the element popped, or `null`.
   * @throws {ReplyError} `WRONGTYPE` when a key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/blpop/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("jobs", "resize");
   * console.log(await redis.blpop(["urgent", "jobs"], 1)); // → ["jobs", "resize"]
   * console.log(await redis.blpop(["urgent", "jobs"], 0.1)); // → null (after 0.1 s)
   * ```
   */
  blpop(
    keys: readonly RedisKey[],
    timeoutSeconds: number,
  ): Result<M, [B, B] | null> {
    return this[EXEC].call(BLPOP, [...keys, timeoutSeconds], keyAndElement<B>);
  }

  /**
   * Pops the last element of the first list in `keys` that is not empty,
   * waiting up to `timeoutSeconds` for one, as {@linkcode ListCommands.blpop}
   * does from the head.
   *
   * @param keys The lists to try, in order.
   * @param timeoutSeconds Seconds to wait (fractions allowed); 0 waits
   * until an element comes.
   * @returns The key and the element popped, or `null`.
   * @throws {ReplyError} `WRONGTYPE` when a key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/brpop/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("jobs", "a", "b");
   * console.log(await redis.brpop(["jobs"], 1)); // → ["jobs", "b"]
   * ```
   */
  brpop(
    keys: readonly RedisKey[],
    timeoutSeconds: number,
  ): Result<M, [B, B] | null> {
    return this[EXEC].call(BRPOP, [...keys, timeoutSeconds], keyAndElement<B>);
  }

  /**
   * {@linkcode ListCommands.lmove} that waits up to `timeoutSeconds` for an
   * element when `source` is empty: pops it from one end of `source`,
   * pushes it onto one end of `destination`, and returns it, or `null`
   * when the time passed. The element is never out of both lists, which
   * makes it the step of a reliable queue (move a job to a processing
   * list, remove it once done).
   *
   * @param source The list to pop from.
   * @param destination The list to push onto.
   * @param from `"LEFT"` (head) or `"RIGHT"` (tail) of `source`.
   * @param to `"LEFT"` (head) or `"RIGHT"` (tail) of `destination`.
   * @param timeoutSeconds Seconds to wait (fractions allowed); 0 waits
   * until an element comes.
   * @returns The element moved, or `null`.
   * @throws {ReplyError} `WRONGTYPE` when either key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/blmove/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("todo", "job-1");
   * const job = await redis.blmove("todo", "doing", "LEFT", "RIGHT", 5);
   * if (job !== null) {
   *   // ... work on it, then drop it from the processing list:
   *   await redis.lrem("doing", 1, job);
   * }
   * ```
   */
  blmove(
    source: RedisKey,
    destination: RedisKey,
    from: "LEFT" | "RIGHT",
    to: "LEFT" | "RIGHT",
    timeoutSeconds: number,
  ): Result<M, B | null> {
    return this[EXEC].call(
      BLMOVE,
      [source, destination, from, to, timeoutSeconds],
      bulkOrNull<B>,
    );
  }

  /**
   * {@linkcode ListCommands.lmpop} that waits up to `timeoutSeconds` for an
   * element when every list is empty: pops elements from one end of the
   * first list in `keys` that is not empty; returns that key and the
   * elements, or `null` when the time passed.
   *
   * @param timeoutSeconds Seconds to wait (fractions allowed); 0 waits
   * until an element comes.
   * @param keys The lists to try, in order.
   * @param where `"LEFT"` (head) or `"RIGHT"` (tail).
   * @param options How many elements to pop at most.
   * @returns The key and the elements popped, or `null`.
   * @throws {ReplyError} `WRONGTYPE` when the first non-empty key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/blmpop/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("jobs", "a", "b", "c");
   * const popped = await redis.blmpop(1, ["urgent", "jobs"], "LEFT", { count: 2 });
   * console.log(popped); // → { key: "jobs", elements: ["a", "b"] }
   * ```
   */
  blmpop(
    timeoutSeconds: number,
    keys: readonly RedisKey[],
    where: "LEFT" | "RIGHT",
    options?: PopOptions,
  ): Result<M, PoppedElements<B> | null> {
    return this[EXEC].call(
      BLMPOP,
      [timeoutSeconds, ...mpopArgs(keys, where, options)],
      poppedElements<B>,
    );
  }

  /**
   * {@linkcode ListCommands.rpoplpush} that waits up to `timeoutSeconds`
   * for an element when `source` is empty; returns the element moved, or
   * `null` when the time passed.
   *
   * @deprecated Redis deprecates BRPOPLPUSH since 6.2: use
   * {@linkcode ListCommands.blmove} with `"RIGHT", "LEFT"`, which does the same.
   *
   * @param source The list to pop from (its tail).
   * @param destination The list to push onto (its head).
   * @param timeoutSeconds Seconds to wait (fractions allowed); 0 waits
   * until an element comes.
   * @returns The element moved, or `null`.
   * @throws {ReplyError} `WRONGTYPE` when either key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/brpoplpush/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("todo", "a", "b");
   * console.log(await redis.brpoplpush("todo", "doing", 1)); // → "b"
   * ```
   */
  brpoplpush(
    source: RedisKey,
    destination: RedisKey,
    timeoutSeconds: number,
  ): Result<M, B | null> {
    return this[EXEC].call(
      BRPOPLPUSH,
      [source, destination, timeoutSeconds],
      bulkOrNull<B>,
    );
  }
}
