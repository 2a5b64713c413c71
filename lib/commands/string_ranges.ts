// String range commands: APPEND, STRLEN, GETRANGE, SETRANGE, SUBSTR and LCS,
// the commands on part of a string's bytes. The other string commands are in
// strings.ts.

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
import { array, bulk, integer, safeInteger, text } from "./_reply.ts";
import { command } from "./_command.ts";
import {
  lcsArgs,
  type LcsIdxOptions,
  type LcsIdxResult,
  type LcsLenOptions,
  type LcsMatch,
} from "./string_ranges_options.ts";

const APPEND = command("APPEND");
const GETRANGE = command("GETRANGE");
const LCS = command("LCS");
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
 * String range commands: the length of a string, appending to it, reading
 * and overwriting its bytes from an offset (`getrange`, `setrange`,
 * `substr`), and the longest common subsequence of two strings (`lcs`).
 * Offsets and lengths count bytes. The other string commands are on
 * {@linkcode StringCommands}.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type StringRangeCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const ranges: StringRangeCommands<"promise", string, number> = redis;
 * await ranges.append("log", "line\n");
 * console.log(await ranges.strlen("log")); // → 5
 * ```
 */
export class StringRangeCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view\'s executor. */
  declare readonly [EXEC]: Executor<M>;

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
   * Returns the bytes of the string at `key` from `start` to `end`
   * inclusive: the older name of {@linkcode StringRangeCommands.getrange}.
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
