// Options of the hash commands (HSET, HRANDFIELD, HSCAN, SSCAN) and the arguments they become.
// Pure functions, tested without a server.

import type { RedisArg } from "../resp/encoder.ts";
import type { RedisKey } from "./_base.ts";

/**
 * Fields and values for {@linkcode HashCommands.hset}: an object, or an array
 * of `[field, value]` pairs (for binary field names, or to keep an order).
 *
 * @example Usage
 * ```ts
 * import type { HashFields } from "@sleeve/redis";
 *
 * const fields: HashFields = { name: "ann", age: 42 };
 * const pairs: HashFields = [["name", "ann"], [new Uint8Array([0xff]), "raw"]];
 * console.log(fields, pairs);
 * ```
 */
export type HashFields = Record<string, RedisArg> | [RedisArg, RedisArg][];

/**
 * Options of {@linkcode HashCommands.hrandfield} with a count.
 *
 * @example Usage
 * ```ts
 * import type { HRandFieldOptions } from "@sleeve/redis";
 *
 * const options: HRandFieldOptions = { withValues: true };
 * console.log(options);
 * ```
 */
export interface HRandFieldOptions {
  /**
   * Return each field with its value, as `[field, value]` pairs.
   *
   * @default {false}
   */
  withValues?: boolean;
}

/**
 * Options of {@linkcode HashCommands.hscan} and `sscan`.
 *
 * @example Usage
 * ```ts
 * import type { CollectionScanOptions } from "@sleeve/redis";
 *
 * const options: CollectionScanOptions = { match: "user:*", count: 100 };
 * console.log(options);
 * ```
 */
export interface CollectionScanOptions {
  /**
   * Only return elements (hash fields, set members) matching this
   * glob-style pattern.
   *
   * @default {undefined}
   */
  match?: string;
  /**
   * A hint of how many elements to examine per call.
   *
   * @default {10}
   */
  count?: number;
}

/** Turns HSET's fields into arguments. */
export function hsetArgs(key: RedisKey, fields: HashFields): RedisArg[] {
  const args: RedisArg[] = [key];
  if (Array.isArray(fields)) {
    for (const [field, value] of fields) args.push(field, value);
  } else {
    for (const field of Object.keys(fields)) args.push(field, fields[field]!);
  }
  return args;
}
