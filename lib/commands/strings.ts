// String commands: GET, SET, MGET, MSET, INCR and friends, APPEND, ranges,
// the legacy SETEX/SETNX/GETSET forms, LCS.

import type { RedisArg } from "../resp/encoder.ts";
import type { RespValue } from "../resp/types.ts";
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
  array,
  bulk,
  bulkOrNull,
  bulkOrNullArray,
  double,
  flag,
  integer,
  ok,
  okOrNull,
  safeInteger,
  text,
} from "./_reply.ts";
import { command } from "./_command.ts";
import {
  type GetExOptions,
  type KeyValues,
  lcsArgs,
  type LcsIdxOptions,
  type LcsIdxResult,
  type LcsLenOptions,
  type LcsMatch,
  pairArgs,
  setArgs,
  type SetOptions,
} from "./strings_options.ts";

const APPEND = command("APPEND");
const DECR = command("DECR");
const DECRBY = command("DECRBY");
const GET = command("GET");
const GETDEL = command("GETDEL");
const GETEX = command("GETEX");
const GETRANGE = command("GETRANGE");
const GETSET = command("GETSET");
const INCR = command("INCR");
const INCRBY = command("INCRBY");
const INCRBYFLOAT = command("INCRBYFLOAT");
const LCS = command("LCS");
const MGET = command("MGET");
const MSET = command("MSET");
const MSETNX = command("MSETNX");
const PSETEX = command("PSETEX");
const SET = command("SET");
const SETEX = command("SETEX");
const SETNX = command("SETNX");
const SETRANGE = command("SETRANGE");
const STRLEN = command("STRLEN");
const SUBSTR = command("SUBSTR");

/** A `[start, end]` range of an LCS match. */
function lcsRange(value: RespValue): [number, number] {
  const items = array(value);
  if (items.length !== 2) {
    throw new TypeError(
      `expected a range of 2 integers, received ${items.length}`,
    );
  }
  return [safeInteger(items[0]!), safeInteger(items[1]!)];
}

/** One LCS match: two ranges, then its length with WITHMATCHLEN. */
function lcsMatch(value: RespValue): LcsMatch {
  const items = array(value);
  if (items.length !== 2 && items.length !== 3) {
    throw new TypeError(
      `expected an LCS match of 2 or 3 elements, received ${items.length}`,
    );
  }
  const match: LcsMatch = {
    key1: lcsRange(items[0]!),
    key2: lcsRange(items[1]!),
  };
  if (items.length === 3) match.len = safeInteger(items[2]!);
  return match;
}

/** LCS IDX: a RESP3 map or a RESP2 flat array of `matches` and `len`. */
function lcsIdx(value: RespValue): LcsIdxResult {
  let entries: [RespValue, RespValue][];
  if (value instanceof Map) {
    entries = [...value];
  } else {
    const items = array(value);
    entries = [];
    for (let i = 0; i + 1 < items.length; i += 2) {
      entries.push([items[i]!, items[i + 1]!]);
    }
  }
  let matches: LcsMatch[] | undefined;
  let len: number | undefined;
  for (const [name, field] of entries) {
    const key = text(name);
    if (key === "matches") matches = array(field).map(lcsMatch);
    else if (key === "len") len = safeInteger(field);
  }
  if (matches === undefined || len === undefined) {
    throw new TypeError("expected the fields matches and len");
  }
  return { matches, len };
}

/**
 * String commands.
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
   * Appends `value` to the string at `key`; returns the new length in bytes.
   *
   * @param key The key.
   * @param value What to append.
   * @returns The length after appending.
   * @see {@link https://redis.io/docs/latest/commands/append/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.append("log", "line\n")); // → 5
   * ```
   */
  append(key: RedisKey, value: RedisArg): Result<M, I> {
    return this[EXEC].call(APPEND, [key, value], integer<I>);
  }

  /**
   * Returns the length in bytes of the string at `key` (0 when missing).
   *
   * @param key The key.
   * @returns The length.
   * @see {@link https://redis.io/docs/latest/commands/strlen/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("word", "héllo");
   * console.log(await redis.strlen("word")); // → 6
   * ```
   */
  strlen(key: RedisKey): Result<M, I> {
    return this[EXEC].call1(STRLEN, key, integer<I>);
  }

  /**
   * Returns the bytes of the string at `key` from `start` to `end` inclusive
   * (negative offsets count from the end).
   *
   * @param key The key.
   * @param start First byte.
   * @param end Last byte.
   * @returns The substring (empty when out of range).
   * @see {@link https://redis.io/docs/latest/commands/getrange/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("word", "hello");
   * console.log(await redis.getrange("word", 1, -2)); // → "ell"
   * ```
   */
  getrange(key: RedisKey, start: number, end: number): Result<M, B> {
    return this[EXEC].call(GETRANGE, [key, start, end], bulk<B>);
  }

  /**
   * Overwrites part of the string at `key` from byte `offset`; returns the new length.
   *
   * @param key The key.
   * @param offset Where to write.
   * @param value What to write.
   * @returns The length after writing.
   * @see {@link https://redis.io/docs/latest/commands/setrange/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("word", "hello");
   * console.log(await redis.setrange("word", 0, "J")); // → 5
   * ```
   */
  setrange(key: RedisKey, offset: number, value: RedisArg): Result<M, I> {
    return this[EXEC].call(SETRANGE, [key, offset, value], integer<I>);
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

  /**
   * Returns the bytes of the string at `key` from `start` to `end`
   * inclusive: the older name of {@linkcode StringCommands.getrange}.
   *
   * @param key The key.
   * @param start First byte (negative counts from the end).
   * @param end Last byte (negative counts from the end).
   * @returns The substring (empty when out of range or missing).
   * @see {@link https://redis.io/docs/latest/commands/substr/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("word", "hello");
   * console.log(await redis.substr("word", 0, 2)); // → "hel"
   * ```
   */
  substr(key: RedisKey, start: number, end: number): Result<M, B> {
    return this[EXEC].call(SUBSTR, [key, start, end], bulk<B>);
  }

  /**
   * Finds the longest common subsequence of the strings at two keys and
   * returns where its matches are (`idx: true`), each with its length
   * (`withMatchLen: true`). A missing key counts as an empty string.
   *
   * @param key1 The first key.
   * @param key2 The second key.
   * @param options `idx: true`, `withMatchLen: true`, and `minMatchLen`.
   * @returns The matches, from the end of the strings backwards, and the
   * subsequence's length.
   * @throws {ReplyError} `WRONGTYPE` when a key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/lcs/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.mset({ a: "ohmytext", b: "mynewtext" });
   * const { matches } = await redis.lcs("a", "b", { idx: true, withMatchLen: true });
   * console.log(matches[0]); // → { key1: [4, 7], key2: [5, 8], len: 4 }
   * ```
   */
  lcs(
    key1: RedisKey,
    key2: RedisKey,
    options: LcsIdxOptions & { withMatchLen: true },
  ): Result<M, LcsIdxResult<LcsMatch & { len: number }>>;
  /**
   * Finds the longest common subsequence of the strings at two keys and
   * returns where its matches are (`idx: true`). A missing key counts as an
   * empty string.
   *
   * @param key1 The first key.
   * @param key2 The second key.
   * @param options `idx: true`, and `minMatchLen` to leave out short matches.
   * @returns The matches, from the end of the strings backwards, and the
   * subsequence's length.
   * @throws {ReplyError} `WRONGTYPE` when a key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/lcs/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.mset({ a: "ohmytext", b: "mynewtext" });
   * const result = await redis.lcs("a", "b", { idx: true, minMatchLen: 4 });
   * console.log(result); // → { matches: [{ key1: [4, 7], key2: [5, 8] }], len: 6 }
   * ```
   */
  lcs(
    key1: RedisKey,
    key2: RedisKey,
    options: LcsIdxOptions,
  ): Result<M, LcsIdxResult>;
  /**
   * Returns the length of the longest common subsequence of the strings at
   * two keys (`len: true`). A missing key counts as an empty string.
   *
   * @param key1 The first key.
   * @param key2 The second key.
   * @param options `len: true`.
   * @returns The length in bytes.
   * @throws {ReplyError} `WRONGTYPE` when a key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/lcs/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.mset({ a: "ohmytext", b: "mynewtext" });
   * console.log(await redis.lcs("a", "b", { len: true })); // → 6
   * ```
   */
  lcs(key1: RedisKey, key2: RedisKey, options: LcsLenOptions): Result<M, I>;
  /**
   * Returns the longest common subsequence of the strings at two keys. A
   * missing key counts as an empty string.
   *
   * @param key1 The first key.
   * @param key2 The second key.
   * @returns The subsequence (empty when there is none).
   * @throws {ReplyError} `WRONGTYPE` when a key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/lcs/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.mset({ a: "ohmytext", b: "mynewtext" });
   * console.log(await redis.lcs("a", "b")); // → "mytext"
   * ```
   */
  lcs(key1: RedisKey, key2: RedisKey): Result<M, B>;
  lcs(
    key1: RedisKey,
    key2: RedisKey,
    options?: LcsLenOptions | LcsIdxOptions,
  ): Result<M, B | I | LcsIdxResult> {
    const args = lcsArgs(key1, key2, options);
    if (options?.idx) return this[EXEC].call(LCS, args, lcsIdx);
    if (options?.len) return this[EXEC].call(LCS, args, integer<I>);
    return this[EXEC].call(LCS, args, bulk<B>);
  }
}
