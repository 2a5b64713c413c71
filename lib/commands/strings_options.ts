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
