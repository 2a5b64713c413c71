// Hash commands: HGET, HSET, HGETALL, HINCRBY, HRANDFIELD, ... One line per
// command; field lists and options become arguments here. HSCAN is an
// iterator of the views (lib/scan.ts).

import type { RedisArg } from "../resp/encoder.ts";
import type { RedisKey } from "./_base.ts";
import {
  type Bulk,
  type Decode,
  EXEC,
  type Executor,
  type Int,
  type Mode,
  type Result,
} from "./_executor.ts";
import type { RespValue } from "../resp/types.ts";
import {
  array,
  bulk,
  bulkArray,
  bulkOrNull,
  bulkOrNullArray,
  byteMap,
  double,
  type FieldValues,
  flag,
  integer,
  ok,
  record,
} from "./_reply.ts";
import { command } from "./_command.ts";
import {
  type HashFields,
  type HRandFieldOptions,
  hsetArgs,
} from "./hashes_options.ts";

const HDEL = command("HDEL");
const HEXISTS = command("HEXISTS");
const HGET = command("HGET");
const HGETALL = command("HGETALL");
const HINCRBY = command("HINCRBY");
const HINCRBYFLOAT = command("HINCRBYFLOAT");
const HKEYS = command("HKEYS");
const HLEN = command("HLEN");
const HMGET = command("HMGET");
const HMSET = command("HMSET");
const HRANDFIELD = command("HRANDFIELD");
const HSET = command("HSET");
const HSETNX = command("HSETNX");
const HSTRLEN = command("HSTRLEN");
const HVALS = command("HVALS");

/**
 * HRANDFIELD WITHVALUES: RESP3 nests `[field, value]` pairs, RESP2 sends a
 * flat `field, value, ...` array. Both become pairs (not a record: with a
 * negative count the same field may come back more than once).
 */
function fieldValuePairs<B extends Bulk>(value: RespValue): [B, B][] {
  const items = array(value);
  const out: [B, B][] = [];
  if (items.length > 0 && Array.isArray(items[0])) {
    for (const item of items) {
      const pair = array(item);
      if (pair.length !== 2) {
        throw new TypeError(
          `expected a field and a value, received ${pair.length} elements`,
        );
      }
      out.push([bulk<B>(pair[0]!), bulk<B>(pair[1]!)]);
    }
    return out;
  }
  if (items.length % 2 !== 0) {
    throw new TypeError(
      `expected an even number of elements, received ${items.length}`,
    );
  }
  for (let i = 0; i < items.length; i += 2) {
    out.push([bulk<B>(items[i]!), bulk<B>(items[i + 1]!)]);
  }
  return out;
}

/**
 * Hash commands.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type HashCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const hashes: HashCommands<"promise", string> = redis;
 * await hashes.hset("user:1", { name: "ann" });
 * ```
 */
export class HashCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view\'s executor. */
  declare readonly [EXEC]: Executor<M>;

  /**
   * Returns the value of `field` in the hash at `key`, or `null` when the
   * field or the key does not exist.
   *
   * @param key The key.
   * @param field The field.
   * @returns The value, or `null`.
   * @throws {ReplyError} `WRONGTYPE` when the key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/hget/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.hset("user:1", { name: "ann" });
   * console.log(await redis.hget("user:1", "name")); // → "ann"
   * ```
   */
  hget(key: RedisKey, field: RedisArg): Result<M, B | null> {
    return this[EXEC].call(HGET, [key, field], bulkOrNull<B>);
  }

  /**
   * Sets fields of the hash at `key`; returns how many fields were added
   * (fields that already existed and were overwritten do not count).
   *
   * @param key The key.
   * @param fields An object, or `[field, value]` pairs.
   * @returns The number of new fields.
   * @throws {ReplyError} `WRONGTYPE` when the key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/hset/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.hset("user:1", { name: "ann", age: 42 })); // → 2
   * console.log(await redis.hset("user:1", [["age", 43]])); // → 0
   * ```
   */
  hset(key: RedisKey, fields: HashFields): Result<M, I> {
    return this[EXEC].call(HSET, hsetArgs(key, fields), integer<I>);
  }

  /**
   * Sets `field` only if it does not exist yet; returns whether it was set.
   *
   * @param key The key.
   * @param field The field.
   * @param value The value.
   * @returns `true` when the field was set.
   * @see {@link https://redis.io/docs/latest/commands/hsetnx/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.hsetnx("user:1", "name", "ann")); // → true
   * console.log(await redis.hsetnx("user:1", "name", "bob")); // → false
   * ```
   */
  hsetnx(key: RedisKey, field: RedisArg, value: RedisArg): Result<M, boolean> {
    return this[EXEC].call(HSETNX, [key, field, value], flag);
  }

  /**
   * Returns the values of several fields, `null` for each that does not exist.
   *
   * @param key The key.
   * @param fields The fields.
   * @returns One value (or `null`) per field.
   * @see {@link https://redis.io/docs/latest/commands/hmget/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.hset("user:1", { name: "ann" });
   * console.log(await redis.hmget("user:1", "name", "age")); // → ["ann", null]
   * ```
   */
  hmget(key: RedisKey, ...fields: RedisArg[]): Result<M, (B | null)[]> {
    return this[EXEC].call(HMGET, [key, ...fields], bulkOrNullArray<B>);
  }

  /**
   * Returns every field and value of the hash at `key` as an object with no
   * prototype (`{}` when the key does not exist). On `binary` views it is a
   * `Map` from field bytes to value bytes instead, so that field names that
   * are not UTF-8 survive.
   *
   * @param key The key.
   * @returns The fields and their values.
   * @see {@link https://redis.io/docs/latest/commands/hgetall/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.hset("user:1", { name: "ann", age: 42 });
   * console.log(await redis.hgetall("user:1")); // → { name: "ann", age: "42" }
   * console.log(await redis.binary.hgetall("user:1")); // → Map(2) { Uint8Array(4) [...] => ..., ... }
   * ```
   */
  hgetall(key: RedisKey): Result<M, FieldValues<B>> {
    const executor = this[EXEC];
    // The view decides the shape: FieldValues<B> is the record on text
    // views and the Map on binary ones, as the two decoders give them.
    const decode = (executor.binary ? byteMap : record<B>) as unknown as Decode<
      FieldValues<B>
    >;
    return executor.call1(HGETALL, key, decode);
  }

  /**
   * Deletes fields of the hash at `key`; returns how many existed.
   *
   * @param key The key.
   * @param fields The fields to delete.
   * @returns The number of fields deleted.
   * @see {@link https://redis.io/docs/latest/commands/hdel/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.hset("user:1", { name: "ann" });
   * console.log(await redis.hdel("user:1", "name", "age")); // → 1
   * ```
   */
  hdel(key: RedisKey, ...fields: RedisArg[]): Result<M, I> {
    return this[EXEC].call(HDEL, [key, ...fields], integer<I>);
  }

  /**
   * Returns whether `field` exists in the hash at `key`.
   *
   * @param key The key.
   * @param field The field.
   * @returns `true` when it exists.
   * @see {@link https://redis.io/docs/latest/commands/hexists/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.hset("user:1", { name: "ann" });
   * console.log(await redis.hexists("user:1", "name")); // → true
   * ```
   */
  hexists(key: RedisKey, field: RedisArg): Result<M, boolean> {
    return this[EXEC].call(HEXISTS, [key, field], flag);
  }

  /**
   * Adds `increment` to the integer in `field` (0 when missing) and returns
   * the result: a `number`, or a `bigint` beyond 2^53 − 1 so it is never rounded.
   *
   * @param key The key.
   * @param field The field.
   * @param increment The amount, possibly negative.
   * @returns The new value.
   * @throws {ReplyError} When the value is not an integer or would overflow.
   * @see {@link https://redis.io/docs/latest/commands/hincrby/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.hincrby("user:1", "visits", 5)); // → 5
   * ```
   */
  hincrby(
    key: RedisKey,
    field: RedisArg,
    increment: number | bigint,
  ): Result<M, I> {
    return this[EXEC].call(HINCRBY, [key, field, increment], integer<I>);
  }

  /**
   * Adds a floating-point `increment` to the number in `field` and returns the result.
   *
   * @param key The key.
   * @param field The field.
   * @param increment The amount.
   * @returns The new value.
   * @throws {ReplyError} When the value is not a number.
   * @see {@link https://redis.io/docs/latest/commands/hincrbyfloat/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.hincrbyfloat("item:1", "price", 2.5)); // → 2.5
   * ```
   */
  hincrbyfloat(
    key: RedisKey,
    field: RedisArg,
    increment: number,
  ): Result<M, number> {
    return this[EXEC].call(HINCRBYFLOAT, [key, field, increment], double);
  }

  /**
   * Returns the field names of the hash at `key` (empty when it does not exist).
   *
   * @param key The key.
   * @returns The field names.
   * @see {@link https://redis.io/docs/latest/commands/hkeys/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.hset("user:1", { name: "ann" });
   * console.log(await redis.hkeys("user:1")); // → ["name"]
   * ```
   */
  hkeys(key: RedisKey): Result<M, B[]> {
    return this[EXEC].call1(HKEYS, key, bulkArray<B>);
  }

  /**
   * Returns the values of the hash at `key` (empty when it does not exist).
   *
   * @param key The key.
   * @returns The values.
   * @see {@link https://redis.io/docs/latest/commands/hvals/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.hset("user:1", { name: "ann" });
   * console.log(await redis.hvals("user:1")); // → ["ann"]
   * ```
   */
  hvals(key: RedisKey): Result<M, B[]> {
    return this[EXEC].call1(HVALS, key, bulkArray<B>);
  }

  /**
   * Returns the number of fields of the hash at `key` (0 when it does not exist).
   *
   * @param key The key.
   * @returns The number of fields.
   * @see {@link https://redis.io/docs/latest/commands/hlen/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.hset("user:1", { name: "ann", age: 42 });
   * console.log(await redis.hlen("user:1")); // → 2
   * ```
   */
  hlen(key: RedisKey): Result<M, I> {
    return this[EXEC].call1(HLEN, key, integer<I>);
  }

  /**
   * Returns the length in bytes of the value in `field` (0 when missing).
   *
   * @param key The key.
   * @param field The field.
   * @returns The length.
   * @see {@link https://redis.io/docs/latest/commands/hstrlen/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.hset("user:1", { name: "zoë" });
   * console.log(await redis.hstrlen("user:1", "name")); // → 4
   * ```
   */
  hstrlen(key: RedisKey, field: RedisArg): Result<M, I> {
    return this[EXEC].call(HSTRLEN, [key, field], integer<I>);
  }

  /**
   * Returns a random field name of the hash at `key`, or `null` when it does not exist.
   *
   * @param key The key.
   * @returns A field name, or `null`.
   * @see {@link https://redis.io/docs/latest/commands/hrandfield/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.hset("user:1", { name: "ann" });
   * console.log(await redis.hrandfield("user:1")); // → "name"
   * ```
   */
  hrandfield(key: RedisKey): Result<M, B | null>;
  /**
   * Returns up to `count` distinct random field names of the hash at `key`,
   * or, with a negative `count`, exactly `-count` names that may repeat
   * (empty when the key does not exist).
   *
   * @param key The key.
   * @param count How many fields; negative allows repeats.
   * @param options Without `withValues`, or with `withValues: false`.
   * @returns The field names.
   * @see {@link https://redis.io/docs/latest/commands/hrandfield/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.hset("user:1", { name: "ann", age: 42 });
   * console.log(await redis.hrandfield("user:1", 5)); // → ["name", "age"] (in any order)
   * ```
   */
  hrandfield(
    key: RedisKey,
    count: number,
    options?: HRandFieldOptions & { withValues?: false },
  ): Result<M, B[]>;
  /**
   * Returns up to `count` distinct random fields of the hash at `key` with
   * their values, as `[field, value]` pairs; with a negative `count`, exactly
   * `-count` pairs that may repeat (empty when the key does not exist).
   *
   * @param key The key.
   * @param count How many fields; negative allows repeats.
   * @param options `{ withValues: true }`.
   * @returns The fields and their values.
   * @see {@link https://redis.io/docs/latest/commands/hrandfield/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.hset("user:1", { name: "ann" });
   * console.log(await redis.hrandfield("user:1", 1, { withValues: true })); // → [["name", "ann"]]
   * ```
   */
  hrandfield(
    key: RedisKey,
    count: number,
    options: HRandFieldOptions & { withValues: true },
  ): Result<M, [B, B][]>;
  /**
   * Returns random field names, or `[field, value]` pairs when
   * `options.withValues` is `true`: the form for options whose `withValues`
   * is only known at run time.
   *
   * @param key The key.
   * @param count How many fields; negative allows repeats.
   * @param options Whether to return values too.
   * @returns The field names, or the fields and their values.
   * @see {@link https://redis.io/docs/latest/commands/hrandfield/}
   *
   * @example Usage
   * ```ts
   * import { connect, type HRandFieldOptions } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const options: HRandFieldOptions = { withValues: Math.random() < 0.5 };
   * console.log(await redis.hrandfield("user:1", 2, options));
   * ```
   */
  hrandfield(
    key: RedisKey,
    count: number,
    options?: HRandFieldOptions,
  ): Result<M, B[] | [B, B][]>;
  hrandfield(
    key: RedisKey,
    count?: number,
    options?: HRandFieldOptions,
  ): Result<M, B | null | B[] | [B, B][]> {
    if (count === undefined) {
      return this[EXEC].call1(HRANDFIELD, key, bulkOrNull<B>);
    }
    if (options?.withValues) {
      return this[EXEC].call(
        HRANDFIELD,
        [key, count, "WITHVALUES"],
        fieldValuePairs<B>,
      );
    }
    return this[EXEC].call(HRANDFIELD, [key, count], bulkArray<B>);
  }

  /**
   * Sets fields of the hash at `key`, as {@linkcode HashCommands.hset} does,
   * but replies `"OK"` instead of the number of new fields.
   *
   * @deprecated Redis deprecates HMSET since 4.0: use
   * {@linkcode HashCommands.hset}, which takes several fields too.
   *
   * @param key The key.
   * @param fields An object, or `[field, value]` pairs.
   * @returns `"OK"`.
   * @throws {ReplyError} `WRONGTYPE` when the key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/hmset/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.hmset("user:1", { name: "ann", age: 42 })); // → "OK"
   * ```
   */
  hmset(key: RedisKey, fields: HashFields): Result<M, "OK"> {
    return this[EXEC].call(HMSET, hsetArgs(key, fields), ok);
  }
}
