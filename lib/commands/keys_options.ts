// Options of the generic key commands (EXPIRE, SCAN, COPY) and the arguments they become.
// Pure functions, tested without a server.

import type { RedisArg } from "../resp/encoder.ts";
import type { RedisKey } from "./_base.ts";

/**
 * A condition for the EXPIRE family (Redis 7): `"NX"` only when the key has
 * no expiry, `"XX"` only when it has one, `"GT"`/`"LT"` only when the new
 * expiry is greater/less than the current one.
 *
 * @example Usage
 * ```ts
 * import type { ExpireCondition } from "@sleeve/redis";
 *
 * const condition: ExpireCondition = "NX";
 * console.log(condition);
 * ```
 */
export type ExpireCondition = "NX" | "XX" | "GT" | "LT";

/**
 * Options of {@linkcode KeyCommands.scan}.
 *
 * @example Usage
 * ```ts
 * import type { ScanOptions } from "@sleeve/redis";
 *
 * const options: ScanOptions = { match: "user:*", count: 100 };
 * console.log(options);
 * ```
 */
export interface ScanOptions {
  /**
   * Only return keys matching this glob-style pattern.
   *
   * @default {undefined}
   */
  match?: string;
  /**
   * A hint of how many keys to examine per call.
   *
   * @default {10}
   */
  count?: number;
  /**
   * Only return keys of this type (`"string"`, `"list"`, `"hash"`, ...).
   *
   * @default {undefined}
   */
  type?: string;
}

/**
 * Options of {@linkcode KeyCommands.copy}.
 *
 * @example Usage
 * ```ts
 * import type { CopyOptions } from "@sleeve/redis";
 *
 * const options: CopyOptions = { db: 1, replace: true };
 * console.log(options);
 * ```
 */
export interface CopyOptions {
  /**
   * Copy into this database instead of the view's.
   *
   * @default {undefined}
   */
  db?: number;
  /**
   * Overwrite the destination if it exists.
   *
   * @default {false}
   */
  replace?: boolean;
}

/** Turns SCAN options into arguments. */
export function scanArgs(
  args: RedisArg[],
  options: ScanOptions | undefined,
): RedisArg[] {
  if (options?.match !== undefined) args.push("MATCH", options.match);
  if (options?.count !== undefined) args.push("COUNT", options.count);
  if (options?.type !== undefined) args.push("TYPE", options.type);
  return args;
}

export function expireArgs(
  key: RedisKey,
  time: number,
  condition: ExpireCondition | undefined,
): RedisArg[] {
  return condition === undefined ? [key, time] : [key, time, condition];
}
