// Key expiration: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, PERSIST, TTL, PTTL,
// EXPIRETIME and PEXPIRETIME. The other key commands are in keys.ts and
// key_transfer.ts.

import type { RedisKey } from "./_base.ts";
import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Mode,
  type Result,
} from "./_executor.ts";
import { flag, integer } from "./_reply.ts";
import { command } from "./_command.ts";
import { expireArgs, type ExpireCondition } from "./keys_options.ts";

const EXPIRE = command("EXPIRE");
const EXPIREAT = command("EXPIREAT");
const EXPIRETIME = command("EXPIRETIME");
const PERSIST = command("PERSIST");
const PEXPIRE = command("PEXPIRE");
const PEXPIREAT = command("PEXPIREAT");
const PEXPIRETIME = command("PEXPIRETIME");
const PTTL = command("PTTL");
const TTL = command("TTL");

/**
 * Key expiration: setting, clearing and reading a key's time to live, in
 * seconds or milliseconds, relative or as a Unix time.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type KeyExpiryCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const expiry: KeyExpiryCommands<"promise", string, number> = redis;
 * console.log(await expiry.ttl("session")); // → -2 when the key is missing
 * ```
 */
export class KeyExpiryCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view\'s executor. */
  declare readonly [EXEC]: Executor<M>;

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
   * Returns the Unix time in seconds at which `key` expires: `-1` when it
   * has no expiry, `-2` when it does not exist.
   *
   * @param key The key.
   * @returns The expiry time, `-1` or `-2`.
   * @see {@link https://redis.io/docs/latest/commands/expiretime/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("session", "x", { exat: 4102444800 });
   * console.log(await redis.expiretime("session")); // → 4102444800
   * ```
   */
  expiretime(key: RedisKey): Result<M, I> {
    return this[EXEC].call1(EXPIRETIME, key, integer<I>);
  }

  /**
   * Returns the Unix time in milliseconds at which `key` expires: `-1` when
   * it has no expiry, `-2` when it does not exist.
   *
   * @param key The key.
   * @returns The expiry time, `-1` or `-2`.
   * @see {@link https://redis.io/docs/latest/commands/pexpiretime/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("session", "x", { pxat: 4102444800123 });
   * console.log(await redis.pexpiretime("session")); // → 4102444800123
   * ```
   */
  pexpiretime(key: RedisKey): Result<M, I> {
    return this[EXEC].call1(PEXPIRETIME, key, integer<I>);
  }
}
