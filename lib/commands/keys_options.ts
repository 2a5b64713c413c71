// Options of the generic key commands (EXPIRE, COPY) and of the SCAN
// iterators, and the arguments they become.
// Pure functions, tested without a server.

import type { RedisArg } from "../resp/encoder.ts";
import type { RedisKey } from "./_base.ts";
import type { RangeLimit } from "./sorted_sets_options.ts";

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
 * Options of {@linkcode RedisView.scan}.
 *
 * @example Usage
 * ```ts
 * import { connect, type ScanOptions } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const options: ScanOptions = { match: "user:*", count: 100, type: "hash" };
 * for await (const key of redis.scan(options)) console.log(key);
 * ```
 */
export interface ScanOptions {
  /**
   * Only yield keys matching this glob-style pattern (bytes for binary
   * keys). On a `prefix()` view it matches the keys of the view, without
   * the prefix.
   *
   * @default {undefined}
   */
  match?: string | Uint8Array;
  /**
   * A hint of how many keys the server examines per call (per page): more
   * means fewer round trips and longer calls.
   *
   * @default {10}
   */
  count?: number;
  /**
   * Only yield keys of this type (`"string"`, `"list"`, `"set"`, `"zset"`,
   * `"hash"`, `"stream"`).
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

/**
 * Appends the MATCH, COUNT and TYPE arguments of the SCAN family's options
 * (only SCAN has a `type`) to `args`; returns `args`.
 */
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

/**
 * Options of {@linkcode KeyTransferCommands.restore}.
 *
 * @example Usage
 * ```ts
 * import type { RestoreOptions } from "@sleeve/redis";
 *
 * const options: RestoreOptions = { replace: true, idleTime: 60 };
 * console.log(options);
 * ```
 */
export interface RestoreOptions {
  /**
   * Overwrite the key if it exists (otherwise the command fails with
   * `BUSYKEY`).
   *
   * @default {false}
   */
  replace?: boolean;
  /**
   * Read `ttl` as a Unix time in milliseconds at which the key expires,
   * instead of a time to live.
   *
   * @default {false}
   */
  absTtl?: boolean;
  /**
   * Set the key's idle time in seconds (for LRU eviction). Not with `freq`.
   *
   * @default {undefined}
   */
  idleTime?: number;
  /**
   * Set the key's access-frequency counter, 0 to 255 (for LFU eviction).
   * Not with `idleTime`.
   *
   * @default {undefined}
   */
  freq?: number;
}

/**
 * Options of {@linkcode KeyTransferCommands.migrate}.
 *
 * @example Usage
 * ```ts
 * import type { MigrateOptions } from "@sleeve/redis";
 *
 * const options: MigrateOptions = {
 *   copy: true,
 *   auth: { username: "mover", password: "secret" },
 * };
 * console.log(options.copy);
 * ```
 */
export interface MigrateOptions {
  /**
   * Leave the keys on this server too.
   *
   * @default {false}
   */
  copy?: boolean;
  /**
   * Overwrite keys that exist on the target (otherwise the command fails
   * with `BUSYKEY`).
   *
   * @default {false}
   */
  replace?: boolean;
  /**
   * How to authenticate with the target: a password (`AUTH`), or a user
   * and its password (`AUTH2`).
   *
   * @default {undefined}
   */
  auth?: string | { username: string; password: string };
}

/**
 * Options of {@linkcode KeyCommands.sortRo} (and of
 * {@linkcode KeyCommands.sort}, which adds `store`). Patterns replace their
 * first `*` with each element: `"weight_*"` reads the key `weight_<element>`,
 * `"user_*->age"` the field `age` of the hash `user_<element>`, and `"#"`
 * (in `get`) is the element itself.
 *
 * @example Usage
 * ```ts
 * import type { SortRoOptions } from "@sleeve/redis";
 *
 * const options: SortRoOptions = {
 *   by: "weight_*",
 *   get: ["#", "name_*"],
 *   limit: { offset: 0, count: 10 },
 *   order: "DESC",
 * };
 * console.log(options);
 * ```
 */
export interface SortRoOptions {
  /**
   * Sort by the values found through this pattern instead of the elements
   * themselves; `"nosort"` keeps the stored order (useful with `get`).
   *
   * @default {undefined}
   */
  by?: RedisKey;
  /**
   * Return only this page of the sorted elements.
   *
   * @default {undefined}
   */
  limit?: RangeLimit;
  /**
   * Return, for each element, the values found through these patterns
   * instead of the element (`null` where a pattern finds nothing).
   *
   * @default {undefined}
   */
  get?: RedisKey | readonly RedisKey[];
  /**
   * Ascending or descending.
   *
   * @default {"ASC"}
   */
  order?: "ASC" | "DESC";
  /**
   * Compare as strings (byte order) instead of as numbers.
   *
   * @default {false}
   */
  alpha?: boolean;
}

/**
 * Options of {@linkcode KeyCommands.sort}: those of
 * {@linkcode SortRoOptions}, and `store` to keep the result in a list
 * instead of returning it.
 *
 * @example Usage
 * ```ts
 * import type { SortOptions } from "@sleeve/redis";
 *
 * const options: SortOptions = { alpha: true, store: "sorted" };
 * console.log(options);
 * ```
 */
export interface SortOptions extends SortRoOptions {
  /**
   * Store the result as a list at this key (replacing it) and return its
   * length.
   *
   * @default {undefined}
   */
  store?: RedisKey;
}

/** Turns RESTORE options into arguments. */
export function restoreArgs(
  key: RedisKey,
  ttl: number,
  serializedValue: Uint8Array,
  options: RestoreOptions | undefined,
): RedisArg[] {
  const args: RedisArg[] = [key, ttl, serializedValue];
  if (options === undefined) return args;
  if (options.replace) args.push("REPLACE");
  if (options.absTtl) args.push("ABSTTL");
  if (options.idleTime !== undefined) args.push("IDLETIME", options.idleTime);
  if (options.freq !== undefined) args.push("FREQ", options.freq);
  return args;
}

/**
 * Turns MIGRATE's arguments into the command's: one key in place, or
 * several after KEYS (with an empty key in place).
 */
export function migrateArgs(
  host: string,
  port: number,
  keys: RedisKey | readonly RedisKey[],
  destinationDb: number,
  timeout: number,
  options: MigrateOptions | undefined,
): RedisArg[] {
  const several = Array.isArray(keys);
  const args: RedisArg[] = [
    host,
    port,
    several ? "" : keys as RedisKey,
    destinationDb,
    timeout,
  ];
  if (options?.copy) args.push("COPY");
  if (options?.replace) args.push("REPLACE");
  const auth = options?.auth;
  if (typeof auth === "string") args.push("AUTH", auth);
  else if (auth !== undefined) {
    args.push("AUTH2", auth.username, auth.password);
  }
  if (several) args.push("KEYS", ...keys);
  return args;
}

/** Turns SORT and SORT_RO options into arguments. */
export function sortArgs(
  key: RedisKey,
  options: SortOptions | undefined,
): RedisArg[] {
  const args: RedisArg[] = [key];
  if (options === undefined) return args;
  if (options.by !== undefined) args.push("BY", options.by);
  if (options.limit !== undefined) {
    args.push("LIMIT", options.limit.offset, options.limit.count);
  }
  const get = options.get;
  if (get !== undefined) {
    if (Array.isArray(get)) {
      for (const pattern of get) args.push("GET", pattern);
    } else {
      args.push("GET", get as RedisKey);
    }
  }
  if (options.order !== undefined) args.push(options.order);
  if (options.alpha) args.push("ALPHA");
  if (options.store !== undefined) args.push("STORE", options.store);
  return args;
}
