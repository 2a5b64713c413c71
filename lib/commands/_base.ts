// Types shared by every command family.

/**
 * A key or other name argument: text (sent as UTF-8) or raw bytes.
 *
 * @example Usage
 * ```ts
 * import type { RedisKey } from "@sleeve/redis";
 *
 * const keys: RedisKey[] = ["user:1", new Uint8Array([0xff, 0x00])];
 * console.log(keys.length); // → 2
 * ```
 */
export type RedisKey = string | Uint8Array;
