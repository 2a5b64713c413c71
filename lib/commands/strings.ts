// String commands: GET, SET, MGET, MSET, INCR and friends, GETDEL, GETEX, the
// legacy SETEX/SETNX/GETSET forms. APPEND, STRLEN, the byte ranges
// (GETRANGE, SETRANGE, SUBSTR) and LCS are in string_ranges.ts.

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
  bulkOrNull,
  bulkOrNullArray,
  double,
  flag,
  integer,
  ok,
  okOrNull,
} from "./_reply.ts";
import { command } from "./_command.ts";
import {
  type GetExOptions,
  type KeyValues,
  pairArgs,
  setArgs,
  type SetOptions,
} from "./strings_options.ts";

const DECR = command("DECR");
const DECRBY = command("DECRBY");
const GET = command("GET");
const GETDEL = command("GETDEL");
const GETEX = command("GETEX");
const GETSET = command("GETSET");
const INCR = command("INCR");
const INCRBY = command("INCRBY");
const INCRBYFLOAT = command("INCRBYFLOAT");
const MGET = command("MGET");
const MSET = command("MSET");
const MSETNX = command("MSETNX");
const PSETEX = command("PSETEX");
const SET = command("SET");
const SETEX = command("SETEX");
const SETNX = command("SETNX");

/**
 * String commands: read and write whole values (`get`, `set`, `mget`,
 * `mset`, `getdel`, `getex`...) and count with them (`incr`, `incrby`,
 * `incrbyfloat`, `decr`, `decrby`). Appending, lengths, byte ranges and LCS
 * are on {@linkcode StringRangeCommands}.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type StringCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const strings: StringCommands<"promise", string> = redis;
 * await strings.set("greeting", "hello");
 * ```
 */
export class StringCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view\'s executor. */
  declare readonly [EXEC]: Executor<M>;

  /**
   * Returns the value of `key`, or `null` when the key does not exist.
   *
   * @param key The key.
   * @returns The value, or `null`.
   * @throws {ReplyError} `WRONGTYPE` when the key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/get/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("greeting", "hello");
   * console.log(await redis.get("greeting")); // → "hello"
   * ```
   */
  get(key: RedisKey): Result<M, B | null> {
    return this[EXEC].call1(GET, key, bulkOrNull<B>);
  }

  /**
   * Sets `key` to `value` and returns its previous value (`get: true`), or
   * `null` when it had none. With `nx`/`xx`, the key is set only under the
   * condition, and the previous value is returned either way.
   *
   * @param key The key.
   * @param value The value.
   * @param options `get: true`, and expiry and condition.
   * @returns The previous value, or `null`.
   * @throws {ReplyError} `WRONGTYPE` when the key holds another type (nothing is set).
   * @see {@link https://redis.io/docs/latest/commands/set/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("greeting", "hello");
   * const old: string | null = await redis.set("greeting", "hi", { get: true });
   * console.log(old); // → "hello"
   * ```
   */
  set(
    key: RedisKey,
    value: RedisArg,
    options: SetOptions & { get: true },
  ): Result<M, B | null>;
  /**
   * Sets `key` to `value`. Returns `"OK"`, or `null` when `nx`/`xx` stopped it.
   *
   * @param key The key.
   * @param value The value.
   * @param options Expiry and condition.
   * @returns `"OK"` or `null`.
   * @see {@link https://redis.io/docs/latest/commands/set/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("greeting", "hello", { ex: 60 });
   * console.log(await redis.set("greeting", "again", { nx: true })); // → null
   * ```
   */
  set(
    key: RedisKey,
    value: RedisArg,
    options?: SetOptions & { get?: false },
  ): Result<M, "OK" | null>;
  /**
   * Sets `key` to `value`, with `get` known only at run time: returns the
   * previous value when `get` is true, otherwise `"OK"` (or `null` when
   * `nx`/`xx` stopped it).
   *
   * @param key The key.
   * @param value The value.
   * @param options Expiry, condition and `get`.
   * @returns The previous value or `null` with `get`; `"OK"` or `null` without.
   * @see {@link https://redis.io/docs/latest/commands/set/}
   *
   * @example Usage
   * ```ts
   * import { connect, type SetOptions } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const options: SetOptions = { get: Math.random() < 0.5 };
   * console.log(await redis.set("greeting", "hello", options)); // → "OK", null or the old value
   * ```
   */
  set(
    key: RedisKey,
    value: RedisArg,
    options?: SetOptions,
  ): Result<M, "OK" | B | null>;
  set(
    key: RedisKey,
    value: RedisArg,
    options?: SetOptions,
  ): Result<M, "OK" | B | null> {
    const args = setArgs(key, value, options);
    return options?.get
      ? this[EXEC].call(SET, args, bulkOrNull<B>)
      : this[EXEC].call(SET, args, okOrNull);
  }

  /**
   * Returns the values of several keys, `null` for each that does not exist.
   *
   * @param keys The keys.
   * @returns One value (or `null`) per key.
   * @see {@link https://redis.io/docs/latest/commands/mget/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.mset({ a: "1", b: "2" });
   * console.log(await redis.mget("a", "b", "c")); // → ["1", "2", null]
   * ```
   */
  mget(...keys: RedisKey[]): Result<M, (B | null)[]> {
    return this[EXEC].call(MGET, [...keys], bulkOrNullArray<B>);
  }

  /**
   * Sets several keys at once.
   *
   * @param pairs Keys and values.
   * @returns `"OK"`.
   * @see {@link https://redis.io/docs/latest/commands/mset/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.mset({ a: "1", b: "2" });
   * await redis.mset([["c", "3"], [new Uint8Array([0xff]), "4"]]);
   * ```
   */
  mset(pairs: KeyValues): Result<M, "OK"> {
    return this[EXEC].call(MSET, pairArgs(pairs), ok);
  }

  /**
   * Sets several keys only if none of them exists; returns whether it did.
   *
   * @param pairs Keys and values.
   * @returns `true` when all were set, `false` when none was.
   * @see {@link https://redis.io/docs/latest/commands/msetnx/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.msetnx({ x: "1", y: "2" })); // → true
   * ```
   */
  msetnx(pairs: KeyValues): Result<M, boolean> {
    return this[EXEC].call(MSETNX, pairArgs(pairs), flag);
  }

  /**
   * Adds 1 to the integer at `key` (0 when missing) and returns the result:
   * a `number`, or a `bigint` beyond 2^53 − 1 so it is never rounded.
   *
   * @param key The key.
   * @returns The new value.
   * @throws {ReplyError} When the value is not an integer or would overflow.
   * @see {@link https://redis.io/docs/latest/commands/incr/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.incr("visits")); // → 1
   * ```
   */
  incr(key: RedisKey): Result<M, I> {
    return this[EXEC].call1(INCR, key, integer<I>);
  }

  /**
   * Adds `increment` to the integer at `key` and returns the result (a
   * `bigint` beyond 2^53 − 1).
   *
   * @param key The key.
   * @param increment The amount, possibly negative.
   * @returns The new value.
   * @see {@link https://redis.io/docs/latest/commands/incrby/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.incrby("visits", 10)); // → 10
   * ```
   */
  incrby(
    key: RedisKey,
    increment: number | bigint,
  ): Result<M, I> {
    return this[EXEC].call(INCRBY, [key, increment], integer<I>);
  }

  /**
   * Adds a floating-point `increment` to the number at `key` and returns the result.
   *
   * @param key The key.
   * @param increment The amount.
   * @returns The new value.
   * @see {@link https://redis.io/docs/latest/commands/incrbyfloat/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.incrbyfloat("price", 1.5)); // → 1.5
   * ```
   */
  incrbyfloat(key: RedisKey, increment: number): Result<M, number> {
    return this[EXEC].call(INCRBYFLOAT, [key, increment], double);
  }

  /**
   * Subtracts 1 from the integer at `key` and returns the result (a `bigint`
   * beyond 2^53 − 1).
   *
   * @param key The key.
   * @returns The new value.
   * @see {@link https://redis.io/docs/latest/commands/decr/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.decr("stock")); // → -1
   * ```
   */
  decr(key: RedisKey): Result<M, I> {
    return this[EXEC].call1(DECR, key, integer<I>);
  }

  /**
   * Subtracts `decrement` from the integer at `key` and returns the result (a
   * `bigint` beyond 2^53 − 1).
   *
   * @param key The key.
   * @param decrement The amount.
   * @returns The new value.
   * @see {@link https://redis.io/docs/latest/commands/decrby/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.decrby("stock", 5)); // → -5
   * ```
   */
  decrby(
    key: RedisKey,
    decrement: number | bigint,
  ): Result<M, I> {
    return this[EXEC].call(DECRBY, [key, decrement], integer<I>);
  }

  /**
   * Returns the value of `key` and deletes it, or `null` when it does not exist.
   *
   * @param key The key.
   * @returns The value, or `null`.
   * @see {@link https://redis.io/docs/latest/commands/getdel/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("token", "abc");
   * console.log(await redis.getdel("token")); // → "abc"
   * ```
   */
  getdel(key: RedisKey): Result<M, B | null> {
    return this[EXEC].call1(GETDEL, key, bulkOrNull<B>);
  }

  /**
   * Returns the value of `key` and changes its expiry, or `null` when it does not exist.
   *
   * @param key The key.
   * @param options The new expiry, or `persist` to remove it.
   * @returns The value, or `null`.
   * @see {@link https://redis.io/docs/latest/commands/getex/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("session", "abc");
   * console.log(await redis.getex("session", { ex: 60 })); // → "abc"
   * ```
   */
  getex(key: RedisKey, options?: GetExOptions): Result<M, B | null> {
    const args: RedisArg[] = [key];
    if (options?.ex !== undefined) args.push("EX", options.ex);
    if (options?.px !== undefined) args.push("PX", options.px);
    if (options?.exat !== undefined) args.push("EXAT", options.exat);
    if (options?.pxat !== undefined) args.push("PXAT", options.pxat);
    if (options?.persist) args.push("PERSIST");
    return this[EXEC].call(GETEX, args, bulkOrNull<B>);
  }

  /**
   * Sets `key` to `value` and returns its previous value, or `null` when it
   * did not exist. Same as `set(key, value, { get: true })`.
   *
   * @param key The key.
   * @param value The new value.
   * @returns The previous value, or `null`.
   * @throws {ReplyError} `WRONGTYPE` when the key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/getset/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("state", "idle");
   * console.log(await redis.getset("state", "busy")); // → "idle"
   * ```
   */
  getset(key: RedisKey, value: RedisArg): Result<M, B | null> {
    return this[EXEC].call(GETSET, [key, value], bulkOrNull<B>);
  }

  /**
   * Sets `key` to `value` with a time to live in seconds. Same as
   * `set(key, value, { ex: seconds })`.
   *
   * @param key The key.
   * @param seconds Time to live, more than 0.
   * @param value The value.
   * @returns `"OK"`.
   * @throws {ReplyError} When `seconds` is not a positive integer.
   * @see {@link https://redis.io/docs/latest/commands/setex/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.setex("session", 60, "abc");
   * console.log(await redis.ttl("session")); // → 60
   * ```
   */
  setex(key: RedisKey, seconds: number, value: RedisArg): Result<M, "OK"> {
    return this[EXEC].call(SETEX, [key, seconds, value], ok);
  }

  /**
   * Sets `key` to `value` with a time to live in milliseconds. Same as
   * `set(key, value, { px: milliseconds })`.
   *
   * @param key The key.
   * @param milliseconds Time to live, more than 0.
   * @param value The value.
   * @returns `"OK"`.
   * @throws {ReplyError} When `milliseconds` is not a positive integer.
   * @see {@link https://redis.io/docs/latest/commands/psetex/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.psetex("lock", 1500, "owner-1");
   * console.log(await redis.pttl("lock")); // → about 1500
   * ```
   */
  psetex(
    key: RedisKey,
    milliseconds: number,
    value: RedisArg,
  ): Result<M, "OK"> {
    return this[EXEC].call(PSETEX, [key, milliseconds, value], ok);
  }

  /**
   * Sets `key` to `value` only if it does not exist; returns whether it did.
   * Same as `set(key, value, { nx: true })` with a boolean reply.
   *
   * @param key The key.
   * @param value The value.
   * @returns `true` when set, `false` when the key already existed.
   * @see {@link https://redis.io/docs/latest/commands/setnx/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.setnx("lock", "me")); // → true
   * console.log(await redis.setnx("lock", "you")); // → false
   * ```
   */
  setnx(key: RedisKey, value: RedisArg): Result<M, boolean> {
    return this[EXEC].call(SETNX, [key, value], flag);
  }
}
