// Generic key commands: DEL, EXISTS, TYPE, RENAME, COPY, KEYS, SORT,
// OBJECT, ... One line per command; options become arguments here. SCAN is
// an iterator of the views (lib/scan.ts); expiration is in key_expiry.ts,
// DUMP, RESTORE, MIGRATE, MOVE and SWAPDB in key_transfer.ts.

import type { RedisArg } from "../resp/encoder.ts";
import type { RespValue } from "../resp/types.ts";
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
  array,
  bulkArray,
  bulkOrNull,
  bulkOrNullArray,
  flag,
  integer,
  integerOrNull,
  ok,
  text,
} from "./_reply.ts";
import { command } from "./_command.ts";
import {
  type CopyOptions,
  sortArgs,
  type SortOptions,
  type SortRoOptions,
} from "./keys_options.ts";

const COPY = command("COPY");
const DEL = command("DEL");
const EXISTS = command("EXISTS");
const KEYS = command("KEYS");
const OBJECT_ENCODING = command("OBJECT ENCODING");
const OBJECT_FREQ = command("OBJECT FREQ");
const OBJECT_HELP = command("OBJECT HELP");
const OBJECT_IDLETIME = command("OBJECT IDLETIME");
const OBJECT_REFCOUNT = command("OBJECT REFCOUNT");
const RANDOMKEY = command("RANDOMKEY");
const RENAME = command("RENAME");
const RENAMENX = command("RENAMENX");
const SORT = command("SORT");
const SORT_RO = command("SORT_RO");
const TOUCH = command("TOUCH");
const TYPE = command("TYPE");
const UNLINK = command("UNLINK");

/** A status that is always text, or null (OBJECT ENCODING). */
function textOrNull(value: RespValue): string | null {
  return value === null ? null : text(value);
}

/** Lines of text (the HELP subcommands). */
function textArray(value: RespValue): string[] {
  return array(value).map(text);
}

/**
 * Generic key commands. Expiration is on {@linkcode KeyExpiryCommands};
 * DUMP, RESTORE, MIGRATE, MOVE and SWAPDB on {@linkcode KeyTransferCommands}.
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
   * database: prefer {@linkcode RedisView.scan} outside tests.
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

  /**
   * Sorts the list, set or sorted set at `key` and stores the result as a
   * list at `options.store` (replacing it).
   *
   * @param key The key.
   * @param options `store`, and how to sort: `by`, `limit`, `get`, `order`, `alpha`.
   * @returns The length of the stored list.
   * @throws {ReplyError} When an element is not a number (without `alpha`),
   * or `WRONGTYPE`.
   * @see {@link https://redis.io/docs/latest/commands/sort/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("scores", "3", "1", "2");
   * console.log(await redis.sort("scores", { store: "sorted" })); // → 3
   * console.log(await redis.lrange("sorted", 0, -1)); // → ["1", "2", "3"]
   * ```
   */
  sort(
    key: RedisKey,
    options: SortOptions & { store: RedisKey },
  ): Result<M, I>;

  /**
   * Returns the elements of the list, set or sorted set at `key`, sorted
   * (numerically unless `alpha`).
   *
   * @param key The key.
   * @param options How to sort: `by`, `limit`, `order`, `alpha`.
   * @returns The sorted elements.
   * @throws {ReplyError} When an element is not a number (without `alpha`),
   * or `WRONGTYPE`.
   * @see {@link https://redis.io/docs/latest/commands/sort/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.sadd("tags", "b", "c", "a");
   * console.log(await redis.sort("tags", { alpha: true, order: "DESC" })); // → ["c", "b", "a"]
   * ```
   */
  sort(
    key: RedisKey,
    options?: SortOptions & { get?: undefined; store?: undefined },
  ): Result<M, B[]>;

  /**
   * Sorts the list, set or sorted set at `key` and returns, for each
   * element, the values its `get` patterns find (`"#"`: the element).
   *
   * @param key The key.
   * @param options `get`, and how to sort: `by`, `limit`, `order`, `alpha`.
   * @returns The values found, pattern by pattern for each element in
   * order, `null` where a pattern finds nothing.
   * @throws {ReplyError} When a sort value is not a number (without
   * `alpha`), or `WRONGTYPE`.
   * @see {@link https://redis.io/docs/latest/commands/sort/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("ids", "1", "2");
   * await redis.mset({ weight_1: "20", weight_2: "10", name_1: "ann" });
   * const rows = await redis.sort("ids", { by: "weight_*", get: ["#", "name_*"] });
   * console.log(rows); // → ["2", null, "1", "ann"]
   * ```
   */
  sort(
    key: RedisKey,
    options: SortOptions & { store?: undefined },
  ): Result<M, (B | null)[]>;

  /**
   * Sorts the list, set or sorted set at `key`, with `store` known only at
   * run time: returns the stored list's length with `store`, the sorted
   * elements (or the values `get` finds) without.
   *
   * @param key The key.
   * @param options How to sort, and where to store.
   * @returns The length of the stored list, or the sorted values.
   * @see {@link https://redis.io/docs/latest/commands/sort/}
   *
   * @example Usage
   * ```ts
   * import { connect, type SortOptions } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const options: SortOptions = Math.random() < 0.5 ? { store: "out" } : {};
   * console.log(await redis.sort("scores", options)); // → a count or the elements
   * ```
   */
  sort(key: RedisKey, options?: SortOptions): Result<M, I | (B | null)[]>;
  sort(key: RedisKey, options?: SortOptions): Result<M, I | (B | null)[]> {
    const args = sortArgs(key, options);
    return options?.store !== undefined
      ? this[EXEC].call(SORT, args, integer<I>)
      : this[EXEC].call(SORT, args, bulkOrNullArray<B>);
  }

  /**
   * Returns the elements of the list, set or sorted set at `key`, sorted:
   * the read-only form of {@linkcode KeyCommands.sort}, which replicas accept.
   *
   * @param key The key.
   * @param options How to sort: `by`, `limit`, `order`, `alpha`.
   * @returns The sorted elements.
   * @throws {ReplyError} When an element is not a number (without `alpha`),
   * or `WRONGTYPE`.
   * @see {@link https://redis.io/docs/latest/commands/sort_ro/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("scores", "3", "1", "2");
   * console.log(await redis.sortRo("scores", { limit: { offset: 0, count: 2 } })); // → ["1", "2"]
   * ```
   */
  sortRo(
    key: RedisKey,
    options?: SortRoOptions & { get?: undefined },
  ): Result<M, B[]>;

  /**
   * Sorts the list, set or sorted set at `key` and returns, for each
   * element, the values its `get` patterns find: the read-only form of
   * {@linkcode KeyCommands.sort}.
   *
   * @param key The key.
   * @param options `get`, and how to sort: `by`, `limit`, `order`, `alpha`.
   * @returns The values found, pattern by pattern for each element in
   * order, `null` where a pattern finds nothing.
   * @see {@link https://redis.io/docs/latest/commands/sort_ro/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("ids", "1", "2");
   * await redis.mset({ name_1: "ann", name_2: "bob" });
   * console.log(await redis.sortRo("ids", { get: "name_*" })); // → ["ann", "bob"]
   * ```
   */
  sortRo(key: RedisKey, options?: SortRoOptions): Result<M, (B | null)[]>;
  sortRo(key: RedisKey, options?: SortRoOptions): Result<M, (B | null)[]> {
    return this[EXEC].call(SORT_RO, sortArgs(key, options), bulkOrNullArray<B>);
  }

  /**
   * Returns how Redis stores the value at `key` internally: `"listpack"`,
   * `"quicklist"`, `"hashtable"`, `"intset"`, `"skiplist"`, `"embstr"`,
   * `"int"`, `"raw"`, ...
   *
   * @param key The key.
   * @returns The encoding, or `null` when the key does not exist.
   * @see {@link https://redis.io/docs/latest/commands/object-encoding/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("n", 42);
   * console.log(await redis.objectEncoding("n")); // → "int"
   * ```
   */
  objectEncoding(key: RedisKey): Result<M, string | null> {
    return this[EXEC].call1(OBJECT_ENCODING, key, textOrNull);
  }

  /**
   * Returns the logarithmic access-frequency counter of `key`, which only
   * an LFU `maxmemory-policy` keeps.
   *
   * @param key The key.
   * @returns The counter (0 to 255), or `null` when the key does not exist.
   * @throws {ReplyError} When the server's `maxmemory-policy` is not an LFU one.
   * @see {@link https://redis.io/docs/latest/commands/object-freq/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * // Needs maxmemory-policy allkeys-lfu or volatile-lfu.
   * console.log(await redis.objectFreq("hot-key"));
   * ```
   */
  objectFreq(key: RedisKey): Result<M, I | null> {
    return this[EXEC].call1(OBJECT_FREQ, key, integerOrNull<I>);
  }

  /**
   * Returns how many seconds `key` has gone unread and unwritten.
   *
   * @param key The key.
   * @returns The idle time in seconds, or `null` when the key does not exist.
   * @throws {ReplyError} When the server's `maxmemory-policy` is an LFU one.
   * @see {@link https://redis.io/docs/latest/commands/object-idletime/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("k", "v");
   * console.log(await redis.objectIdletime("k")); // → 0
   * ```
   */
  objectIdletime(key: RedisKey): Result<M, I | null> {
    return this[EXEC].call1(OBJECT_IDLETIME, key, integerOrNull<I>);
  }

  /**
   * Returns how many references Redis holds to the value at `key` (shared
   * small integers have many).
   *
   * @param key The key.
   * @returns The reference count, or `null` when the key does not exist.
   * @see {@link https://redis.io/docs/latest/commands/object-refcount/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("k", "some text");
   * console.log(await redis.objectRefcount("k")); // → 1
   * ```
   */
  objectRefcount(key: RedisKey): Result<M, I | null> {
    return this[EXEC].call1(OBJECT_REFCOUNT, key, integerOrNull<I>);
  }

  /**
   * Returns the server's help text for the OBJECT subcommands.
   *
   * @returns The lines of the help text.
   * @see {@link https://redis.io/docs/latest/commands/object-help/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log((await redis.objectHelp()).join("\n"));
   * ```
   */
  objectHelp(): Result<M, string[]> {
    return this[EXEC].call(OBJECT_HELP, [], textArray);
  }
}
