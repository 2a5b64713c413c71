// Options of LCS and the arguments they become, and the shape of its IDX
// reply. Pure functions, tested without a server.

import type { RedisArg } from "../resp/encoder.ts";
import type { RedisKey } from "./_base.ts";

/**
 * Options of {@linkcode StringRangeCommands.lcs} asking for the length of the
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
 * Options of {@linkcode StringRangeCommands.lcs} asking where the longest common
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
 * One match of {@linkcode StringRangeCommands.lcs} with `idx`: the inclusive
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
 * The reply of {@linkcode StringRangeCommands.lcs} with `idx`: the matches, last
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
