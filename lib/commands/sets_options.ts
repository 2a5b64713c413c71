// Options of the set commands (SINTERCARD, shared with ZINTERCARD) and the
// arguments they become. Pure functions, tested without a server.

import type { RedisArg } from "../resp/encoder.ts";
import type { RedisKey } from "./_base.ts";

/**
 * Options of {@linkcode SetCommands.sintercard} and
 * {@linkcode SortedSetAlgebraCommands.zintercard}.
 *
 * @example Usage
 * ```ts
 * import type { InterCardOptions } from "@sleeve/redis";
 *
 * const options: InterCardOptions = { limit: 100 };
 * console.log(options);
 * ```
 */
export interface InterCardOptions {
  /**
   * Stop counting once the intersection reaches this many members, and
   * return this number (0 for no limit).
   *
   * @default {0}
   */
  limit?: number;
}

/**
 * Turns SINTERCARD's and ZINTERCARD's keys and options into arguments: the
 * number of keys, the keys, then LIMIT.
 */
export function intercardArgs(
  keys: readonly RedisKey[],
  options: InterCardOptions | undefined,
): RedisArg[] {
  const args: RedisArg[] = [keys.length, ...keys];
  if (options?.limit !== undefined) args.push("LIMIT", options.limit);
  return args;
}
