// Bitmap commands: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO.

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
import { integer, integerArray, integerOrNullArray } from "./_reply.ts";
import { command } from "./_command.ts";
import {
  bitfieldArgs,
  type BitFieldGet,
  type BitFieldOperation,
  bitfieldRoArgs,
  type BitOperation,
  type BitPosRange,
  type BitRange,
  bitRangeArgs,
} from "./bitmaps_options.ts";

const BITCOUNT = command("BITCOUNT");
const BITFIELD = command("BITFIELD");
const BITFIELD_RO = command("BITFIELD_RO");
const BITOP = command("BITOP");
const BITPOS = command("BITPOS");
const GETBIT = command("GETBIT");
const SETBIT = command("SETBIT");

/** A bit: the integer 0 or 1, a `number` on every view. */
function bit(value: RespValue): 0 | 1 {
  if (value === 0 || value === 1) return value;
  throw new TypeError(
    `expected 0 or 1, received ${value === null ? "null" : typeof value}`,
  );
}

/**
 * Bitmap and bit-field commands.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type BitmapCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const commands: BitmapCommands<"promise", string, number> = redis;
 * await commands.setbit("seen", 7, 1);
 * console.log(await commands.bitcount("seen")); // → 1
 * ```
 */
export class BitmapCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view's executor. */
  declare readonly [EXEC]: Executor<M>;

  /**
   * Sets or clears the bit at `offset` of the string at `key` (growing it
   * with zero bytes as needed) and returns the bit's previous value.
   *
   * @param key The key.
   * @param offset The bit's position, 0 being the most significant bit of
   * the first byte; less than 2^32.
   * @param value The new bit.
   * @returns The previous bit (0 when the string was shorter).
   * @throws {ReplyError} `WRONGTYPE` when the key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/setbit/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.setbit("flags", 3, 1)); // → 0
   * console.log(await redis.setbit("flags", 3, 0)); // → 1
   * ```
   */
  setbit(key: RedisKey, offset: number, value: 0 | 1): Result<M, 0 | 1> {
    return this[EXEC].call(SETBIT, [key, offset, value], bit);
  }

  /**
   * Returns the bit at `offset` of the string at `key`: 0 beyond its end or
   * when the key does not exist.
   *
   * @param key The key.
   * @param offset The bit's position, 0 being the most significant bit of
   * the first byte.
   * @returns The bit.
   * @throws {ReplyError} `WRONGTYPE` when the key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/getbit/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.setbit("flags", 3, 1);
   * console.log(await redis.getbit("flags", 3)); // → 1
   * ```
   */
  getbit(key: RedisKey, offset: number): Result<M, 0 | 1> {
    return this[EXEC].call(GETBIT, [key, offset], bit);
  }

  /**
   * Counts the bits set to 1 in the string at `key`, or in a range of it.
   *
   * @param key The key.
   * @param range A range in bytes, or in bits with `unit: "BIT"`.
   * @returns The number of set bits (0 when the key does not exist).
   * @throws {ReplyError} `WRONGTYPE` when the key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/bitcount/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("s", "foobar");
   * console.log(await redis.bitcount("s")); // → 26
   * console.log(await redis.bitcount("s", { start: 1, end: 1 })); // → 6
   * console.log(await redis.bitcount("s", { start: 5, end: 30, unit: "BIT" })); // → 17
   * ```
   */
  bitcount(key: RedisKey, range?: BitRange): Result<M, I> {
    return this[EXEC].call(BITCOUNT, bitRangeArgs([key], range), integer<I>);
  }

  /**
   * Returns the position of the first bit set to `bit` in the string at
   * `key`, or in a range of it. Positions count bits from the start of the
   * string, whatever the range's unit.
   *
   * @param key The key.
   * @param bit The bit to look for.
   * @param range Where to look: from a byte, or a range in bytes or bits.
   * @returns The position, or -1 when there is none. Looking for 0 without
   * an `end` finds the first bit past the string when every bit is 1.
   * @throws {ReplyError} `WRONGTYPE` when the key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/bitpos/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("s", new Uint8Array([0xff, 0xf0, 0x00]));
   * console.log(await redis.bitpos("s", 0)); // → 12
   * console.log(await redis.bitpos("s", 1, { start: 2 })); // → -1
   * ```
   */
  bitpos(key: RedisKey, bit: 0 | 1, range?: BitPosRange): Result<M, I> {
    return this[EXEC].call(
      BITPOS,
      bitRangeArgs([key, bit], range),
      integer<I>,
    );
  }

  /**
   * Combines the strings at `keys` bit by bit with `operation` and stores
   * the result at `destination`; shorter strings count as zero-padded.
   * `"NOT"` takes one key and inverts it.
   *
   * @param operation `"AND"`, `"OR"`, `"XOR"` or `"NOT"`.
   * @param destination Where to store the result.
   * @param keys The source keys (exactly one for `"NOT"`).
   * @returns The length in bytes of the stored string (that of the longest
   * source; 0 deletes `destination`).
   * @throws {ReplyError} `WRONGTYPE` when a key holds another type, or when
   * `"NOT"` is given more than one key.
   * @see {@link https://redis.io/docs/latest/commands/bitop/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.setbit("monday", 1, 1);
   * await redis.setbit("tuesday", 1, 1);
   * await redis.setbit("tuesday", 2, 1);
   * console.log(await redis.bitop("AND", "both", "monday", "tuesday")); // → 1
   * console.log(await redis.bitcount("both")); // → 1
   * ```
   */
  bitop(
    operation: BitOperation,
    destination: RedisKey,
    ...keys: RedisKey[]
  ): Result<M, I> {
    return this[EXEC].call(
      BITOP,
      [operation, destination, ...keys],
      integer<I>,
    );
  }

  /**
   * Runs bit-field operations on the string at `key`, in order: reads
   * (`get`), writes (`set`) and increments (`incrby`) of signed or unsigned
   * integers of 1 to 64 bits at any bit offset.
   *
   * @param key The key.
   * @param operations The operations; each `set` and `incrby` has its own
   * `overflow` (`"WRAP"` by default).
   * @returns One result per operation: the value read, the previous value
   * (`set`), the new value (`incrby`), or `null` for an operation that
   * overflowed under `"FAIL"` (and changed nothing).
   * @throws {ReplyError} `WRONGTYPE` when the key holds another type, or
   * when a type or offset is invalid (then no operation runs).
   * @see {@link https://redis.io/docs/latest/commands/bitfield/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const results = await redis.bitfield("counters", [
   *   { incrby: "u4", offset: "#0", increment: 10 },
   *   { incrby: "u4", offset: "#0", increment: 10, overflow: "SAT" },
   *   { incrby: "u4", offset: "#0", increment: 1, overflow: "FAIL" },
   *   { get: "u4", offset: "#0" },
   * ]);
   * console.log(results); // → [10, 15, null, 15]
   * ```
   */
  bitfield(
    key: RedisKey,
    operations: readonly BitFieldOperation[],
  ): Result<M, (I | null)[]> {
    return this[EXEC].call(
      BITFIELD,
      bitfieldArgs(key, operations),
      integerOrNullArray<I>,
    );
  }

  /**
   * Reads bit fields of the string at `key`: the read-only form of
   * {@linkcode BitmapCommands.bitfield}, which replicas accept.
   *
   * @param key The key.
   * @param operations The fields to read.
   * @returns One value per field (0 beyond the end of the string).
   * @throws {ReplyError} `WRONGTYPE` when the key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/bitfield_ro/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("bytes", new Uint8Array([1, 0xff]));
   * console.log(await redis.bitfieldRo("bytes", [
   *   { get: "u8", offset: 0 },
   *   { get: "i8", offset: "#1" },
   * ])); // → [1, -1]
   * ```
   */
  bitfieldRo(
    key: RedisKey,
    operations: readonly BitFieldGet[],
  ): Result<M, I[]> {
    return this[EXEC].call(
      BITFIELD_RO,
      bitfieldRoArgs(key, operations),
      integerArray<I>,
    );
  }
}
