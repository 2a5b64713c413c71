// Generic key commands: DEL, EXISTS, EXPIRE and friends, TTL, TYPE, RENAME,
// KEYS, SCAN, ... One line per command; options become arguments here.

import type { RedisArg } from "../resp/encoder.ts";
import type { RedisKey } from "./_base.ts";
import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Mode,
  type Result,
} from "./_executor.ts";
import {
  bulkArray,
  bulkOrNull,
  flag,
  integer,
  ok,
  scanPage,
  text,
} from "./_reply.ts";
import { command } from "./_command.ts";
import {
  type CopyOptions,
  expireArgs,
  type ExpireCondition,
  scanArgs,
  type ScanOptions,
} from "./keys_options.ts";

const COPY = command("COPY");
const DEL = command("DEL");
const EXISTS = command("EXISTS");
const EXPIRE = command("EXPIRE");
const EXPIREAT = command("EXPIREAT");
const KEYS = command("KEYS");
const PERSIST = command("PERSIST");
const PEXPIRE = command("PEXPIRE");
const PEXPIREAT = command("PEXPIREAT");
const PTTL = command("PTTL");
const RANDOMKEY = command("RANDOMKEY");
const RENAME = command("RENAME");
const RENAMENX = command("RENAMENX");
const SCAN = command("SCAN");
const TOUCH = command("TOUCH");
const TTL = command("TTL");
const TYPE = command("TYPE");
const UNLINK = command("UNLINK");

/**
 * Generic key commands.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type KeyCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const keys: KeyCommands<"promise", string> = redis;
 * console.log(await keys.exists("session")); // → 0 or 1
 * ```
 */
export class KeyCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view\'s executor. */
  declare readonly [EXEC]: Executor<M>;

  /**
   * Deletes keys; returns how many existed.
   *
   * @param keys The keys to delete.
   * @returns The number of keys deleted.
   * @see {@link https://redis.io/docs/latest/commands/del/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("a", "1");
   * console.log(await redis.del("a", "b")); // → 1
   * ```
   */
  del(...keys: RedisKey[]): Result<M, I> {
    return this[EXEC].call(DEL, [...keys], integer<I>);
  }

  /**
   * Deletes keys, reclaiming their memory in the background; returns how many existed.
   *
   * @param keys The keys to unlink.
   * @returns The number of keys removed.
   * @see {@link https://redis.io/docs/latest/commands/unlink/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.unlink("big-list")); // → 0 or 1
   * ```
   */
  unlink(...keys: RedisKey[]): Result<M, I> {
    return this[EXEC].call(UNLINK, [...keys], integer<I>);
  }

  /**
   * Counts how many of the keys exist (a key named twice counts twice).
   *
   * @param keys The keys to check.
   * @returns The number of keys that exist.
   * @see {@link https://redis.io/docs/latest/commands/exists/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("a", "1");
   * console.log(await redis.exists("a", "nope")); // → 1
   * ```
   */
  exists(...keys: RedisKey[]): Result<M, I> {
    return this[EXEC].call(EXISTS, [...keys], integer<I>);
  }

  /**
   * Sets a key's time to live in seconds; returns whether it was set.
   *
   * @param key The key.
   * @param seconds Time to live.
   * @param condition Only set it under this condition.
   * @returns `false` when the key does not exist or the condition failed.
   * @see {@link https://redis.io/docs/latest/commands/expire/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("session", "x");
   * console.log(await redis.expire("session", 60)); // → true
   * ```
   */
  expire(
    key: RedisKey,
    seconds: number,
    condition?: ExpireCondition,
  ): Result<M, boolean> {
    return this[EXEC].call(EXPIRE, expireArgs(key, seconds, condition), flag);
  }

  /**
   * Sets a key's time to live in milliseconds; returns whether it was set.
   *
   * @param key The key.
   * @param milliseconds Time to live.
   * @param condition Only set it under this condition.
   * @returns `false` when the key does not exist or the condition failed.
   * @see {@link https://redis.io/docs/latest/commands/pexpire/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("session", "x");
   * console.log(await redis.pexpire("session", 1500)); // → true
   * ```
   */
  pexpire(
    key: RedisKey,
    milliseconds: number,
    condition?: ExpireCondition,
  ): Result<M, boolean> {
    return this[EXEC].call(
      PEXPIRE,
      expireArgs(key, milliseconds, condition),
      flag,
    );
  }

  /**
   * Sets a key to expire at a Unix time in seconds; returns whether it was set.
   *
   * @param key The key.
   * @param unixSeconds When it expires.
   * @param condition Only set it under this condition.
   * @returns `false` when the key does not exist or the condition failed.
   * @see {@link https://redis.io/docs/latest/commands/expireat/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("session", "x");
   * console.log(await redis.expireat("session", Math.floor(Date.now() / 1000) + 60)); // → true
   * ```
   */
  expireat(
    key: RedisKey,
    unixSeconds: number,
    condition?: ExpireCondition,
  ): Result<M, boolean> {
    return this[EXEC].call(
      EXPIREAT,
      expireArgs(key, unixSeconds, condition),
      flag,
    );
  }

  /**
   * Sets a key to expire at a Unix time in milliseconds; returns whether it was set.
   *
   * @param key The key.
   * @param unixMilliseconds When it expires.
   * @param condition Only set it under this condition.
   * @returns `false` when the key does not exist or the condition failed.
   * @see {@link https://redis.io/docs/latest/commands/pexpireat/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("session", "x");
   * console.log(await redis.pexpireat("session", Date.now() + 60_000)); // → true
   * ```
   */
  pexpireat(
    key: RedisKey,
    unixMilliseconds: number,
    condition?: ExpireCondition,
  ): Result<M, boolean> {
    return this[EXEC].call(
      PEXPIREAT,
      expireArgs(key, unixMilliseconds, condition),
      flag,
    );
  }

  /**
   * Removes a key's expiry; returns whether it had one.
   *
   * @param key The key.
   * @returns `true` when an expiry was removed.
   * @see {@link https://redis.io/docs/latest/commands/persist/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("session", "x", { ex: 60 });
   * console.log(await redis.persist("session")); // → true
   * ```
   */
  persist(key: RedisKey): Result<M, boolean> {
    return this[EXEC].call1(PERSIST, key, flag);
  }

  /**
   * Returns a key's remaining time to live in seconds: `-1` when it has no
   * expiry, `-2` when it does not exist. A `bigint` beyond 2^53 − 1.
   *
   * @param key The key.
   * @returns Seconds to live, `-1` or `-2`.
   * @see {@link https://redis.io/docs/latest/commands/ttl/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("session", "x", { ex: 60 });
   * console.log(await redis.ttl("session")); // → 60
   * ```
   */
  ttl(key: RedisKey): Result<M, I> {
    return this[EXEC].call1(TTL, key, integer<I>);
  }

  /**
   * Returns a key's remaining time to live in milliseconds: `-1` when it has
   * no expiry, `-2` when it does not exist. A `bigint` beyond 2^53 − 1.
   *
   * @param key The key.
   * @returns Milliseconds to live, `-1` or `-2`.
   * @see {@link https://redis.io/docs/latest/commands/pttl/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("session", "x", { px: 1500 });
   * console.log(await redis.pttl("session")); // → about 1500
   * ```
   */
  pttl(key: RedisKey): Result<M, I> {
    return this[EXEC].call1(PTTL, key, integer<I>);
  }

  /**
   * Returns the type of the value at `key`: `"string"`, `"list"`, `"set"`,
   * `"zset"`, `"hash"`, `"stream"`, or `"none"` when it does not exist.
   *
   * @param key The key.
   * @returns The type name.
   * @see {@link https://redis.io/docs/latest/commands/type/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("a", "1");
   * console.log(await redis.type("a")); // → "string"
   * ```
   */
  type(key: RedisKey): Result<M, string> {
    return this[EXEC].call1(TYPE, key, text);
  }

  /**
   * Renames a key, overwriting the destination.
   *
   * @param key The key.
   * @param newKey Its new name.
   * @returns `"OK"`.
   * @throws {ReplyError} When `key` does not exist.
   * @see {@link https://redis.io/docs/latest/commands/rename/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("old", "1");
   * await redis.rename("old", "new");
   * ```
   */
  rename(key: RedisKey, newKey: RedisKey): Result<M, "OK"> {
    return this[EXEC].call(RENAME, [key, newKey], ok);
  }

  /**
   * Renames a key only if the destination does not exist; returns whether it did.
   *
   * @param key The key.
   * @param newKey Its new name.
   * @returns `true` when renamed.
   * @see {@link https://redis.io/docs/latest/commands/renamenx/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("old", "1");
   * console.log(await redis.renamenx("old", "new")); // → true
   * ```
   */
  renamenx(key: RedisKey, newKey: RedisKey): Result<M, boolean> {
    return this[EXEC].call(RENAMENX, [key, newKey], flag);
  }

  /**
   * Returns every key matching a glob-style pattern. It scans the whole
   * database: prefer {@linkcode KeyCommands.scan} outside tests.
   *
   * @param pattern The pattern, such as `"user:*"`.
   * @returns The matching keys.
   * @see {@link https://redis.io/docs/latest/commands/keys/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("user:1", "ann");
   * console.log(await redis.keys("user:*")); // → ["user:1"]
   * ```
   */
  keys(pattern: string): Result<M, B[]> {
    return this[EXEC].call1(KEYS, pattern, bulkArray<B>);
  }

  /**
   * Returns one page of keys and the cursor of the next page (`"0"` when
   * the iteration is complete).
   *
   * @param cursor `"0"` (or `0`) to start, then the cursor returned.
   * @param options A pattern, a count hint and a type filter.
   * @returns The next cursor and the keys of this page.
   * @see {@link https://redis.io/docs/latest/commands/scan/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * let cursor = "0";
   * do {
   *   const [next, keys] = await redis.scan(cursor, { match: "user:*" });
   *   console.log(keys);
   *   cursor = next;
   * } while (cursor !== "0");
   * ```
   */
  scan(
    cursor: string | number,
    options?: ScanOptions,
  ): Result<M, [string, B[]]> {
    return this[EXEC].call(SCAN, scanArgs([cursor], options), scanPage<B>);
  }

  /**
   * Returns a random key, or `null` when the database is empty.
   *
   * @returns A key or `null`.
   * @see {@link https://redis.io/docs/latest/commands/randomkey/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.randomkey());
   * ```
   */
  randomkey(): Result<M, B | null> {
    return this[EXEC].call(RANDOMKEY, [], bulkOrNull<B>);
  }

  /**
   * Updates the last access time of keys; returns how many exist.
   *
   * @param keys The keys.
   * @returns The number of keys touched.
   * @see {@link https://redis.io/docs/latest/commands/touch/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.touch("a", "b")); // → 0, 1 or 2
   * ```
   */
  touch(...keys: RedisKey[]): Result<M, I> {
    return this[EXEC].call(TOUCH, [...keys], integer<I>);
  }

  /**
   * Copies the value at `source` to `destination`; returns whether it was copied.
   *
   * @param source The key to copy.
   * @param destination The new key.
   * @param options Another database, and whether to replace the destination.
   * @returns `false` when `source` does not exist or `destination` does (without `replace`).
   * @see {@link https://redis.io/docs/latest/commands/copy/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("a", "1");
   * console.log(await redis.copy("a", "b", { replace: true })); // → true
   * ```
   */
  copy(
    source: RedisKey,
    destination: RedisKey,
    options?: CopyOptions,
  ): Result<M, boolean> {
    const args: RedisArg[] = [source, destination];
    if (options?.db !== undefined) args.push("DB", options.db);
    if (options?.replace) args.push("REPLACE");
    return this[EXEC].call(COPY, args, flag);
  }
}
