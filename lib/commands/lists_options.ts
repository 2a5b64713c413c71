// Options of the list commands (LPOS) and the arguments they become.
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
  if (options?.maxlen !== undefined) args.push("MAXLEN", options.maxlen);
  return args;
}
