// Options of the list commands (LPOS, LMPOP) and the arguments they become.
// Pure functions, tested without a server.

import type { RedisArg } from "../resp/encoder.ts";
import type { RedisKey } from "./_base.ts";

/**
 * Options of {@linkcode ListCommands.lpos}.
 *
 * @example Usage
 * ```ts
 * import type { LposOptions } from "@sleeve/redis";
 *
 * const options: LposOptions = { rank: -1, maxlen: 1000 };
 * console.log(options);
 * ```
 */
export interface LposOptions {
  /**
   * Return the `rank`-th match: 2 for the second, -1 for the last, -2 for
   * the one before it (negative ranks search from the tail).
   *
   * @default {1}
   */
  rank?: number;
  /**
   * Return up to this many matches, as an array of indexes (0 for every
   * match), instead of one index or `null`.
   */
  count?: number;
  /**
   * Compare at most this many elements (0 for all).
   *
   * @default {0}
   */
  maxlen?: number;
}

/** Turns LPOS options into arguments. */
export function lposArgs(
  key: RedisKey,
  element: RedisArg,
  options: LposOptions | undefined,
): RedisArg[] {
  const args: RedisArg[] = [key, element];
  if (options?.rank !== undefined) args.push("RANK", options.rank);
  if (options?.count !== undefined) args.push("COUNT", options.count);
  if (options?.maxlen !== undefined) args.push("MAXLEN", options.maxlen);
  return args;
}

/**
 * Options of {@linkcode ListMoveCommands.lmpop} and
 * {@linkcode SortedSetPopCommands.zmpop}.
 *
 * @example Usage
 * ```ts
 * import type { PopOptions } from "@sleeve/redis";
 *
 * const options: PopOptions = { count: 10 };
 * console.log(options);
 * ```
 */
export interface PopOptions {
  /**
   * Pop up to this many elements (or members) from the first non-empty key.
   *
   * @default {1}
   */
  count?: number;
}

/**
 * Turns LMPOP's and ZMPOP's keys, end and options into arguments: the number
 * of keys, the keys, the end, then COUNT.
 */
export function mpopArgs(
  keys: readonly RedisKey[],
  where: string,
  options: PopOptions | undefined,
): RedisArg[] {
  const args: RedisArg[] = [keys.length, ...keys, where];
  if (options?.count !== undefined) args.push("COUNT", options.count);
  return args;
}
