// Moving values between databases and servers: DUMP, RESTORE, MIGRATE, MOVE
// and SWAPDB. The other key commands are in keys.ts and key_expiry.ts.

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
import { flag, ok } from "./_reply.ts";
import { command } from "./_command.ts";
import {
  migrateArgs,
  type MigrateOptions,
  restoreArgs,
  type RestoreOptions,
} from "./keys_options.ts";

const DUMP = command("DUMP");
const MIGRATE = command("MIGRATE");
const MOVE = command("MOVE");
const RESTORE = command("RESTORE");
const SWAPDB = command("SWAPDB");

/** DUMP's serialized value (always read as bytes), or null for a missing key. */
function bytesOrNull(value: RespValue): Uint8Array | null {
  if (value === null || value instanceof Uint8Array) return value;
  throw new TypeError(`expected bytes, received ${typeof value}`);
}

/** MIGRATE's status: `"OK"`, or `"NOKEY"` when no key was found. */
function migrated(value: RespValue): "OK" | "NOKEY" {
  if (value === "OK" || value === "NOKEY") return value;
  throw new TypeError(`expected OK or NOKEY, received ${typeof value}`);
}

/**
 * Moving values between databases and servers: a value's serialized form
 * (DUMP, RESTORE), MIGRATE to another server, MOVE to another database and
 * SWAPDB.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type KeyTransferCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const transfer: KeyTransferCommands<"promise", string, number> = redis;
 * console.log(await transfer.dump("session")); // → null when the key is missing
 * ```
 */
export class KeyTransferCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view\'s executor. */
  declare readonly [EXEC]: Executor<M>;

  /**
   * Serializes the value at `key` in Redis's own format, for
   * {@linkcode KeyTransferCommands.restore}. The value is bytes on every view, not
   * only `binary` ones: it is not text.
   *
   * @param key The key.
   * @returns The serialized value, or `null` when the key does not exist.
   * @see {@link https://redis.io/docs/latest/commands/dump/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("greeting", "hello");
   * const payload: Uint8Array | null = await redis.dump("greeting");
   * if (payload !== null) await redis.restore("copy", 0, payload);
   * console.log(await redis.get("copy")); // → "hello"
   * ```
   */
  dump(key: RedisKey): Result<M, Uint8Array | null> {
    return this[EXEC].callBytes(DUMP, [key], bytesOrNull);
  }

  /**
   * Creates `key` from a value serialized by {@linkcode KeyTransferCommands.dump}
   * (possibly on another server of a compatible version).
   *
   * @param key The key to create.
   * @param ttl Time to live in milliseconds (0 for none), or a Unix time in
   * milliseconds with `absTtl`.
   * @param serializedValue What `dump()` returned.
   * @param options Whether to replace an existing key, and eviction hints.
   * @returns `"OK"`.
   * @throws {ReplyError} `BUSYKEY` when the key exists and `replace` is not
   * set; `ERR` when the payload is corrupt or from an incompatible version.
   * @see {@link https://redis.io/docs/latest/commands/restore/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("jobs", "a", "b");
   * const payload = await redis.dump("jobs");
   * if (payload !== null) {
   *   await redis.restore("jobs", 60_000, payload, { replace: true });
   * }
   * console.log(await redis.lrange("jobs", 0, -1)); // → ["a", "b"]
   * ```
   */
  restore(
    key: RedisKey,
    ttl: number,
    serializedValue: Uint8Array,
    options?: RestoreOptions,
  ): Result<M, "OK"> {
    return this[EXEC].call(
      RESTORE,
      restoreArgs(key, ttl, serializedValue, options),
      ok,
    );
  }

  /**
   * Moves keys to another Redis server atomically: the target receives
   * them (DUMP/RESTORE under the hood) and they are deleted here, unless
   * `copy`. The call blocks the server for up to `timeout`.
   *
   * @param host The target's host.
   * @param port The target's port.
   * @param keys One key, or several (an array).
   * @param destinationDb The target's database.
   * @param timeout Milliseconds of inactivity allowed in talking to the target.
   * @param options Keep the keys here (`copy`), overwrite there (`replace`),
   * and the target's credentials (`auth`).
   * @returns `"OK"`, or `"NOKEY"` when none of the keys exists.
   * @throws {ReplyError} `IOERR` when the target cannot be reached in time;
   * `ERR` relaying the target's refusal: `BUSYKEY` when a key exists there
   * without `replace`, `NOAUTH` without the right `auth`.
   * @see {@link https://redis.io/docs/latest/commands/migrate/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.mset({ a: "1", b: "2" });
   * const status = await redis.migrate("10.0.0.2", 6379, ["a", "b"], 0, 5000, {
   *   replace: true,
   * });
   * console.log(status); // → "OK"
   * ```
   */
  migrate(
    host: string,
    port: number,
    keys: RedisKey | readonly RedisKey[],
    destinationDb: number,
    timeout: number,
    options?: MigrateOptions,
  ): Result<M, "OK" | "NOKEY"> {
    return this[EXEC].call(
      MIGRATE,
      migrateArgs(host, port, keys, destinationDb, timeout, options),
      migrated,
    );
  }

  /**
   * Moves `key` to another database of this server; returns whether it
   * moved.
   *
   * @param key The key.
   * @param db The target database.
   * @returns `false` when the key does not exist here or already exists there.
   * @throws {ReplyError} When `db` is the key's own database or out of range.
   * @see {@link https://redis.io/docs/latest/commands/move/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("report", "done");
   * console.log(await redis.move("report", 1)); // → true
   * console.log(await redis.db(1).get("report")); // → "done"
   * ```
   */
  move(key: RedisKey, db: number): Result<M, boolean> {
    return this[EXEC].call(MOVE, [key, db], flag);
  }

  /**
   * Swaps two databases of the server: every client sees the keys of one
   * in the other at once.
   *
   * @param index1 A database.
   * @param index2 Another database.
   * @returns `"OK"`.
   * @throws {ReplyError} When an index is out of range.
   * @see {@link https://redis.io/docs/latest/commands/swapdb/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.db(1).set("staged", "ready");
   * await redis.swapdb(0, 1);
   * console.log(await redis.get("staged")); // → "ready"
   * ```
   */
  swapdb(index1: number, index2: number): Result<M, "OK"> {
    return this[EXEC].call(SWAPDB, [index1, index2], ok);
  }
}
