// Options of the bitmap commands (BITCOUNT, BITPOS, BITFIELD) and the
// arguments they become. Pure functions, tested without a server.

import type { RedisArg } from "../resp/encoder.ts";
import type { RedisKey } from "./_base.ts";

/**
 * A range of a string for {@linkcode BitmapCommands.bitcount} and
 * {@linkcode BitmapCommands.bitpos}: `start` and `end` inclusive, negative
 * counting from the end, in bytes (`"BYTE"`, the default) or bits (`"BIT"`).
 *
 * @example Usage
 * ```ts
 * import type { BitRange } from "@sleeve/redis";
 *
 * const firstTwoBytes: BitRange = { start: 0, end: 1 };
 * const firstFiveBits: BitRange = { start: 0, end: 4, unit: "BIT" };
 * console.log(firstTwoBytes, firstFiveBits);
 * ```
 */
export interface BitRange {
  /** The first byte (or bit). */
  start: number;
  /** The last byte (or bit). */
  end: number;
  /**
   * Whether `start` and `end` count bytes or bits.
   *
   * @default {"BYTE"}
   */
  unit?: "BYTE" | "BIT";
}

/**
 * Where {@linkcode BitmapCommands.bitpos} looks: a {@linkcode BitRange}, or
 * only a `start` byte (to the end of the string).
 *
 * @example Usage
 * ```ts
 * import type { BitPosRange } from "@sleeve/redis";
 *
 * const fromThirdByte: BitPosRange = { start: 2 };
 * const bits: BitPosRange = { start: 3, end: 12, unit: "BIT" };
 * console.log(fromThirdByte, bits);
 * ```
 */
export type BitPosRange = BitRange | {
  /** The first byte. */
  start: number;
  /** Not without `end`. */
  end?: undefined;
  /** Not without `end`. */
  unit?: undefined;
};

/**
 * A bitwise operation of {@linkcode BitmapCommands.bitop}. `"NOT"` takes
 * exactly one source key.
 *
 * @example Usage
 * ```ts
 * import type { BitOperation } from "@sleeve/redis";
 *
 * const operation: BitOperation = "XOR";
 * console.log(operation);
 * ```
 */
export type BitOperation = "AND" | "OR" | "XOR" | "NOT";

/**
 * The integer type of a bit field: signed `i1` to `i64`, unsigned `u1` to
 * `u63`.
 *
 * @example Usage
 * ```ts
 * import type { BitFieldType } from "@sleeve/redis";
 *
 * const types: BitFieldType[] = ["u8", "i16", "u1", "i64"];
 * console.log(types);
 * ```
 */
export type BitFieldType = `i${number}` | `u${number}`;

/**
 * Where a bit field starts: a bit offset, or `"#n"` for the `n`-th field of
 * the operation's type (`#2` of `u8` is bit 16).
 *
 * @example Usage
 * ```ts
 * import type { BitFieldOffset } from "@sleeve/redis";
 *
 * const offsets: BitFieldOffset[] = [0, 100, "#3"];
 * console.log(offsets);
 * ```
 */
export type BitFieldOffset = number | `#${number}`;

/**
 * What a `set` or `incrby` of {@linkcode BitmapCommands.bitfield} does when
 * the result does not fit the field's type: `"WRAP"` around (the default),
 * `"SAT"`urate at the type's minimum or maximum, or `"FAIL"`: leave the
 * field unchanged and give `null` for this operation.
 *
 * @example Usage
 * ```ts
 * import type { BitFieldOverflow } from "@sleeve/redis";
 *
 * const overflow: BitFieldOverflow = "SAT";
 * console.log(overflow);
 * ```
 */
export type BitFieldOverflow = "WRAP" | "SAT" | "FAIL";

/**
 * Reads a bit field: one operation of {@linkcode BitmapCommands.bitfield}
 * and {@linkcode BitmapCommands.bitfieldRo}.
 *
 * @example Usage
 * ```ts
 * import type { BitFieldGet } from "@sleeve/redis";
 *
 * const read: BitFieldGet = { get: "u8", offset: "#0" };
 * console.log(read);
 * ```
 */
export interface BitFieldGet {
  /** The field's type. */
  get: BitFieldType;
  /** Where the field starts. */
  offset: BitFieldOffset;
}

/**
 * Writes a bit field; its result is the field's previous value. One
 * operation of {@linkcode BitmapCommands.bitfield}.
 *
 * @example Usage
 * ```ts
 * import type { BitFieldSet } from "@sleeve/redis";
 *
 * const write: BitFieldSet = { set: "i8", offset: 8, value: -5 };
 * console.log(write);
 * ```
 */
export interface BitFieldSet {
  /** The field's type. */
  set: BitFieldType;
  /** Where the field starts. */
  offset: BitFieldOffset;
  /** The new value. */
  value: number | bigint;
  /**
   * What to do when `value` does not fit the type.
   *
   * @default {"WRAP"}
   */
  overflow?: BitFieldOverflow;
}

/**
 * Adds to a bit field; its result is the field's new value. One operation
 * of {@linkcode BitmapCommands.bitfield}.
 *
 * @example Usage
 * ```ts
 * import type { BitFieldIncrBy } from "@sleeve/redis";
 *
 * const bump: BitFieldIncrBy = { incrby: "u4", offset: "#1", increment: 1, overflow: "SAT" };
 * console.log(bump);
 * ```
 */
export interface BitFieldIncrBy {
  /** The field's type. */
  incrby: BitFieldType;
  /** Where the field starts. */
  offset: BitFieldOffset;
  /** The amount, possibly negative. */
  increment: number | bigint;
  /**
   * What to do when the result does not fit the type.
   *
   * @default {"WRAP"}
   */
  overflow?: BitFieldOverflow;
}

/**
 * One operation of {@linkcode BitmapCommands.bitfield}: a get, a set or an
 * increment. Each set and increment has its own `overflow` (default
 * `"WRAP"`), unlike Redis's OVERFLOW clause which carries over to the
 * operations after it.
 *
 * @example Usage
 * ```ts
 * import type { BitFieldOperation } from "@sleeve/redis";
 *
 * const operations: BitFieldOperation[] = [
 *   { set: "u8", offset: 0, value: 200 },
 *   { incrby: "u8", offset: 0, increment: 100, overflow: "SAT" },
 *   { get: "u8", offset: 0 },
 * ];
 * console.log(operations.length); // → 3
 * ```
 */
export type BitFieldOperation = BitFieldGet | BitFieldSet | BitFieldIncrBy;

/** Turns a BITCOUNT or BITPOS range into arguments after `args`. */
export function bitRangeArgs(
  args: RedisArg[],
  range: BitPosRange | undefined,
): RedisArg[] {
  if (range === undefined) return args;
  args.push(range.start);
  if (range.end !== undefined) {
    args.push(range.end);
    if (range.unit !== undefined) args.push(range.unit);
  }
  return args;
}

/**
 * Turns bit-field operations into BITFIELD arguments. An OVERFLOW clause
 * goes before a set or increment only when its overflow differs from the
 * one in force (Redis starts with WRAP), so each operation gets exactly the
 * overflow it names.
 */
export function bitfieldArgs(
  key: RedisKey,
  operations: readonly BitFieldOperation[],
): RedisArg[] {
  const args: RedisArg[] = [key];
  let current: BitFieldOverflow = "WRAP";
  for (const operation of operations) {
    if ("get" in operation) {
      args.push("GET", operation.get, operation.offset);
      continue;
    }
    if (!("set" in operation) && !("incrby" in operation)) {
      throw new TypeError(
        "Cannot build BITFIELD: an operation needs get, set or incrby",
      );
    }
    const overflow = operation.overflow ?? "WRAP";
    if (overflow !== current) {
      args.push("OVERFLOW", overflow);
      current = overflow;
    }
    if ("set" in operation) {
      args.push("SET", operation.set, operation.offset, operation.value);
    } else {
      args.push(
        "INCRBY",
        operation.incrby,
        operation.offset,
        operation.increment,
      );
    }
  }
  return args;
}

/** Turns BITFIELD_RO's reads into arguments. */
export function bitfieldRoArgs(
  key: RedisKey,
  operations: readonly BitFieldGet[],
): RedisArg[] {
  const args: RedisArg[] = [key];
  for (const operation of operations) {
    args.push("GET", operation.get, operation.offset);
  }
  return args;
}
