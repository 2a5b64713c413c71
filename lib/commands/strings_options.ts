// Options of the string commands (SET, GETEX, MSET) and the arguments they become.
// Pure functions, tested without a server.

import type { RedisArg } from "../resp/encoder.ts";
import type { RedisKey } from "./_base.ts";

/**
 * Options of {@linkcode StringCommands.set}. At most one of `ex`, `px`,
 * `exat`, `pxat`, `keepTtl`, and at most one of `nx`, `xx`. With
 * `get: true`, `set()` returns the key's previous value instead of `"OK"`.
 *
 * @example Usage
 * ```ts
 * import type { SetOptions } from "@sleeve/redis";
 *
 * const options: SetOptions = { ex: 60, nx: true };
 * const swap: SetOptions = { get: true, keepTtl: true };
 * console.log(options, swap);
 * ```
 */
export interface SetOptions {
  /**
   * Expire after this many seconds.
   *
   * @default {undefined}
   */
  ex?: number;
  /**
   * Expire after this many milliseconds.
   *
   * @default {undefined}
   */
  px?: number;
  /**
   * Expire at this Unix time in seconds.
   *
   * @default {undefined}
   */
  exat?: number;
  /**
   * Expire at this Unix time in milliseconds.
   *
   * @default {undefined}
   */
  pxat?: number;
  /**
   * Keep the key's current time to live.
   *
   * @default {false}
   */
  keepTtl?: boolean;
  /**
   * Only set the key if it does not exist.
   *
   * @default {false}
   */
  nx?: boolean;
  /**
   * Only set the key if it already exists.
   *
   * @default {false}
   */
  xx?: boolean;
  /**
   * Return the key's previous value (`null` when it did not exist) instead
   * of `"OK"`. The command fails with `WRONGTYPE` when the key holds a
   * value that is not a string, and sets nothing.
   *
   * @default {false}
   */
  get?: boolean;
}

/**
 * Options of {@linkcode StringCommands.getex}: at most one field.
 *
 * @example Usage
 * ```ts
 * import type { GetExOptions } from "@sleeve/redis";
 *
 * const options: GetExOptions = { px: 1500 };
 * console.log(options);
 * ```
 */
export interface GetExOptions {
  /**
   * Expire after this many seconds.
   *
   * @default {undefined}
   */
  ex?: number;
  /**
   * Expire after this many milliseconds.
   *
   * @default {undefined}
   */
  px?: number;
  /**
   * Expire at this Unix time in seconds.
   *
   * @default {undefined}
   */
  exat?: number;
  /**
   * Expire at this Unix time in milliseconds.
   *
   * @default {undefined}
   */
  pxat?: number;
  /**
   * Remove the time to live.
   *
   * @default {false}
   */
  persist?: boolean;
}

/**
 * Key/value pairs for {@linkcode StringCommands.mset}: an object, or an
 * array of pairs (for binary keys).
 *
 * @example Usage
 * ```ts
 * import type { KeyValues } from "@sleeve/redis";
 *
 * const pairs: KeyValues = { a: "1", b: 2 };
 * console.log(pairs);
 * ```
 */
export type KeyValues = Record<string, RedisArg> | [RedisKey, RedisArg][];

/** Turns SET options into arguments. */
export function setArgs(
  key: RedisKey,
  value: RedisArg,
  options: SetOptions | undefined,
): RedisArg[] {
  const args: RedisArg[] = [key, value];
  if (options === undefined) return args;
  if (options.ex !== undefined) args.push("EX", options.ex);
  if (options.px !== undefined) args.push("PX", options.px);
  if (options.exat !== undefined) args.push("EXAT", options.exat);
  if (options.pxat !== undefined) args.push("PXAT", options.pxat);
  if (options.keepTtl) args.push("KEEPTTL");
  if (options.nx) args.push("NX");
  if (options.xx) args.push("XX");
  if (options.get) args.push("GET");
  return args;
}

/**
 * Options of {@linkcode StringCommands.lcs} asking for the length of the
 * longest common subsequence instead of the subsequence itself.
 *
 * @example Usage
 * ```ts
 * import type { LcsLenOptions } from "@sleeve/redis";
 *
 * const options: LcsLenOptions = { len: true };
 * console.log(options);
 * ```
 */
export interface LcsLenOptions {
  /** Return the length of the subsequence. */
  len: true;
  /**
   * Not with `len`.
   *
   * @default {undefined}
   */
  idx?: undefined;
}

/**
 * Options of {@linkcode StringCommands.lcs} asking where the longest common
 * subsequence's matching ranges are in each string.
 *
 * @example Usage
 * ```ts
 * import type { LcsIdxOptions } from "@sleeve/redis";
 *
 * const options: LcsIdxOptions = { idx: true, minMatchLen: 2, withMatchLen: true };
 * console.log(options);
 * ```
 */
export interface LcsIdxOptions {
  /** Return the matching ranges and the subsequence's length. */
  idx: true;
  /**
   * Not with `idx`.
   *
   * @default {undefined}
   */
  len?: undefined;
  /**
   * Leave out matches shorter than this many bytes (the total length still
   * counts them).
   *
   * @default {0}
   */
  minMatchLen?: number;
  /**
   * Give each match its length (`len`).
   *
   * @default {false}
   */
  withMatchLen?: boolean;
}

/**
 * One match of {@linkcode StringCommands.lcs} with `idx`: the inclusive
 * byte range it covers in the first key's string and in the second's, and
 * its length when `withMatchLen` was asked for.
 *
 * @example Usage
 * ```ts
 * import type { LcsMatch } from "@sleeve/redis";
 *
 * const match: LcsMatch = { key1: [4, 7], key2: [5, 8], len: 4 };
 * console.log(match.key1[1] - match.key1[0] + 1); // → 4
 * ```
 */
export interface LcsMatch {
  /** First and last byte of the match in the first key's string. */
  key1: [number, number];
  /** First and last byte of the match in the second key's string. */
  key2: [number, number];
  /**
   * The match's length in bytes, with `withMatchLen`.
   *
   * @default {undefined}
   */
  len?: number;
}

/**
 * The reply of {@linkcode StringCommands.lcs} with `idx`: the matches, last
 * first (as Redis lists them), and the length of the whole subsequence.
 *
 * @typeParam T The type of each match (with `len` when `withMatchLen`).
 *
 * @example Usage
 * ```ts
 * import type { LcsIdxResult } from "@sleeve/redis";
 *
 * const result: LcsIdxResult = { matches: [{ key1: [0, 2], key2: [1, 3] }], len: 3 };
 * console.log(result.len); // → 3
 * ```
 */
export interface LcsIdxResult<T extends LcsMatch = LcsMatch> {
  /** The matching ranges, from the end of the strings backwards. */
  matches: T[];
  /** The length of the longest common subsequence, in bytes. */
  len: number;
}

/** Turns LCS options into arguments. */
export function lcsArgs(
  key1: RedisKey,
  key2: RedisKey,
  options: LcsLenOptions | LcsIdxOptions | undefined,
): RedisArg[] {
  const args: RedisArg[] = [key1, key2];
  if (options === undefined) return args;
  if (options.len) args.push("LEN");
  if (options.idx) {
    args.push("IDX");
    if (options.minMatchLen !== undefined) {
      args.push("MINMATCHLEN", options.minMatchLen);
    }
    if (options.withMatchLen) args.push("WITHMATCHLEN");
  }
  return args;
}

/** Flattens key/value pairs into arguments. */
export function pairArgs(pairs: KeyValues): RedisArg[] {
  const args: RedisArg[] = [];
  if (Array.isArray(pairs)) {
    for (const [key, value] of pairs) args.push(key, value);
  } else {
    for (const key of Object.keys(pairs)) args.push(key, pairs[key]!);
  }
  return args;
}
