// Named reply decoders shared by the command families. Each checks the shape
// of a raw reply, converts it to what the typed method promises, and throws on
// a mismatch (the connection then treats the stream as out of step). RESP2 and
// RESP3 forms of the same reply decode to the same value.

import { IntegerRangeError } from "../errors.ts";
import type { RespValue } from "../resp/types.ts";
import type { Bulk, Int } from "./_executor.ts";
import type { ScoredMember } from "./sorted_sets_replies.ts";

/** UTF-8 as the connection decodes text: a leading U+FEFF is kept. */
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

function mismatch(expected: string, value: RespValue): Error {
  const kind = value === null
    ? "null"
    : Array.isArray(value)
    ? "array"
    : value instanceof Uint8Array
    ? "bytes"
    : typeof value === "object"
    ? value.constructor.name
    : typeof value;
  return new TypeError(`expected ${expected}, received ${kind}`);
}

function isBulk(value: RespValue): value is string | Uint8Array {
  return typeof value === "string" || value instanceof Uint8Array;
}

/**
 * A bulk string as the view's type `B`. The connection decodes bulk strings
 * as `Uint8Array` exactly when the view is `binary`, which is what `B`
 * names: this is the one place that pairing is asserted rather than checked.
 */
function asBulk<B extends Bulk>(value: string | Uint8Array): B {
  return value as B;
}

/** `+OK`. */
export function ok(value: RespValue): "OK" {
  if (value !== "OK") throw mismatch("OK", value);
  return value;
}

/** `+OK`, or null when a condition (NX/XX) stopped the command. */
export function okOrNull(value: RespValue): "OK" | null {
  if (value === null) return null;
  return ok(value);
}

/** Any simple or bulk string, as the view's bulk type. */
export function bulk<B extends Bulk>(value: RespValue): B {
  if (!isBulk(value)) throw mismatch("a string", value);
  return asBulk<B>(value);
}

/** A bulk string or null. */
export function bulkOrNull<B extends Bulk>(value: RespValue): B | null {
  if (value === null) return null;
  return bulk<B>(value);
}

/** A string that is always text (status replies such as TYPE's). */
export function text(value: RespValue): string {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return utf8.decode(value);
  throw mismatch("a string", value);
}

/**
 * An integer reply as the view's integer type `I`: a `bigint` when the
 * request asked for bigints (`bigint` views), otherwise a `number`, and an
 * {@linkcode IntegerRangeError} (carrying the exact value) for one beyond
 * ±(2^53 − 1). The request's flag and `I` come from the same view: this is
 * the one place that pairing is asserted rather than checked.
 */
export function integer<I extends Int>(value: RespValue, bigint: boolean): I {
  if (typeof value === "number" && Number.isInteger(value)) {
    return (bigint ? BigInt(value) : value) as I;
  }
  if (typeof value === "bigint") {
    if (bigint) return value as I;
    throw new IntegerRangeError(value);
  }
  throw mismatch("an integer", value);
}

/** An integer reply or null, as {@linkcode integer}. */
export function integerOrNull<I extends Int>(
  value: RespValue,
  bigint: boolean,
): I | null {
  return value === null ? null : integer<I>(value, bigint);
}

/** An array of integer replies, as {@linkcode integer}. */
export function integerArray<I extends Int>(
  value: RespValue,
  bigint: boolean,
): I[] {
  const items = array(value);
  const out: I[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    out[i] = integer<I>(items[i]!, bigint);
  }
  return out;
}

/** An array of integer replies or nulls, as {@linkcode integer}. */
export function integerOrNullArray<I extends Int>(
  value: RespValue,
  bigint: boolean,
): (I | null)[] {
  const items = array(value);
  const out: (I | null)[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    out[i] = integerOrNull<I>(items[i]!, bigint);
  }
  return out;
}

/**
 * An integer inside a structured reply (a count, a timestamp, a field of
 * XINFO): always a `number`; an {@linkcode IntegerRangeError} beyond
 * ±(2^53 − 1). A RESP2 bulk string of digits is accepted too, since some
 * replies send numbers as text under one protocol.
 */
export function safeInteger(value: RespValue): number {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "bigint") throw new IntegerRangeError(value);
  throw mismatch("an integer", value);
}

/** An integer 0 or 1 (or a RESP3 boolean) as a boolean. */
export function flag(value: RespValue): boolean {
  if (value === 1 || value === true) return true;
  if (value === 0 || value === false) return false;
  throw mismatch("0 or 1", value);
}

/** A double: RESP3 `,` or a RESP2 bulk string such as `"3.5"`, `"inf"`. */
export function double(value: RespValue): number {
  if (typeof value === "number") return value;
  const s = isBulk(value) ? text(value) : undefined;
  if (s !== undefined) {
    const lower = s.toLowerCase();
    if (lower === "inf" || lower === "+inf") return Infinity;
    if (lower === "-inf") return -Infinity;
    if (lower === "nan" || lower === "-nan") return NaN;
    const n = Number(s);
    if (s !== "" && !Number.isNaN(n)) return n;
  }
  throw mismatch("a double", value);
}

/** A double or null. */
export function doubleOrNull(value: RespValue): number | null {
  return value === null ? null : double(value);
}

/** An array (a RESP3 set counts as one). */
export function array(value: RespValue): RespValue[] {
  if (Array.isArray(value)) return value;
  if (value instanceof Set) return [...value];
  throw mismatch("an array", value);
}

/** An array of bulk strings. */
export function bulkArray<B extends Bulk>(value: RespValue): B[] {
  const items = array(value);
  const out: B[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (!isBulk(item)) throw mismatch("an array of strings", value);
    out[i] = asBulk<B>(item);
  }
  return out;
}

/** An array of bulk strings or nulls (MGET, HMGET). */
export function bulkOrNullArray<B extends Bulk>(
  value: RespValue,
): (B | null)[] {
  const items = array(value);
  const out: (B | null)[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item === null) out[i] = null;
    else if (isBulk(item)) out[i] = asBulk<B>(item);
    else throw mismatch("an array of strings", value);
  }
  return out;
}

/** An array of bulk strings, or null (a RESP2 null array). */
export function bulkArrayOrNull<B extends Bulk>(
  value: RespValue,
): B[] | null {
  return value === null ? null : bulkArray<B>(value);
}

/** An array of 0/1 integers as booleans (SMISMEMBER). */
export function flagArray(value: RespValue): boolean[] {
  return array(value).map(flag);
}

/** An array of doubles or nulls (ZMSCORE). */
export function doubleOrNullArray(value: RespValue): (number | null)[] {
  return array(value).map(doubleOrNull);
}

/**
 * A field/value map: a RESP3 map or a RESP2 flat array, as an object with no
 * prototype (so fields such as `__proto__` are plain keys). Field names are
 * decoded as UTF-8 text even on binary views; values keep the view's type.
 * On binary views a field name that is not UTF-8 rejects the reply: decoded
 * with U+FFFD it could collide with another and drop a field unseen.
 */
export function record<B extends Bulk>(value: RespValue): Record<string, B> {
  const out: Record<string, B> = Object.create(null);
  if (value instanceof Map) {
    for (const [k, v] of value) out[fieldName(k)] = bulk<B>(v);
    return out;
  }
  const items = array(value);
  if (items.length % 2 !== 0) {
    throw mismatch("an even number of elements", value);
  }
  for (let i = 0; i < items.length; i += 2) {
    out[fieldName(items[i]!)] = bulk<B>(items[i + 1]!);
  }
  return out;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A field name of a record: text, exactly (bytes that are not UTF-8 throw). */
function fieldName(value: RespValue): string {
  if (!(value instanceof Uint8Array)) return text(value);
  try {
    return strictUtf8.decode(value);
  } catch {
    throw new TypeError(
      "expected field names in UTF-8 (records are keyed by text), received one that is not",
    );
  }
}

/** A SCAN-family reply: `[cursor, items]`. */
export function scanPage<B extends Bulk>(value: RespValue): [string, B[]] {
  const items = array(value);
  if (items.length !== 2) throw mismatch("a cursor and a page", value);
  return [text(items[0]!), bulkArray<B>(items[1]!)];
}

/**
 * Members with scores (ZRANGE WITHSCORES, ZPOPMIN, ZRANDMEMBER, ZSCAN's
 * pages): RESP3 nests `[member, score]` pairs, RESP2 (and RESP3 ZPOPMIN
 * without a count) sends a flat `member, score, ...` array with scores as
 * doubles or bulk strings. Both become `{ member, score }` objects.
 */
export function scoredMembers<B extends Bulk>(
  value: RespValue,
): ScoredMember<B>[] {
  const items = array(value);
  const out: ScoredMember<B>[] = [];
  if (items.length > 0 && Array.isArray(items[0])) {
    for (const item of items) {
      const pair = array(item);
      if (pair.length !== 2) throw mismatch("a member and a score", item);
      out.push({ member: bulk<B>(pair[0]!), score: double(pair[1]!) });
    }
    return out;
  }
  if (items.length % 2 !== 0) {
    throw mismatch("an even number of elements", value);
  }
  for (let i = 0; i < items.length; i += 2) {
    out.push({ member: bulk<B>(items[i]!), score: double(items[i + 1]!) });
  }
  return out;
}

/**
 * An array of strings that are always text (the lines of a HELP reply), as
 * `string`s even on binary views.
 */
export function textArray(value: RespValue): string[] {
  return array(value).map(text);
}

/**
 * A field/value reply on a `binary` view: a RESP3 map or a RESP2 flat array
 * as a `Map` from field bytes to value bytes, so that field names that are
 * not UTF-8 survive (a record would need text keys).
 */
export function byteMap(value: RespValue): Map<Uint8Array, Uint8Array> {
  const out = new Map<Uint8Array, Uint8Array>();
  const bytes = (item: RespValue): Uint8Array => {
    if (item instanceof Uint8Array) return item;
    if (typeof item === "string") return new TextEncoder().encode(item);
    throw mismatch("bytes", item);
  };
  if (value instanceof Map) {
    for (const [k, v] of value) out.set(bytes(k), bytes(v));
    return out;
  }
  const items = array(value);
  if (items.length % 2 !== 0) {
    throw mismatch("an even number of elements", value);
  }
  for (let i = 0; i < items.length; i += 2) {
    out.set(bytes(items[i]!), bytes(items[i + 1]!));
  }
  return out;
}

/**
 * A field/value reply in the view's types: a record keyed by text on text
 * views, a `Map` of bytes on `binary` views (field names may be any bytes).
 *
 * @typeParam B The view's bulk type.
 *
 * @example Usage
 * ```ts
 * import type { FieldValues } from "@sleeve/redis";
 *
 * const text: FieldValues<string> = { name: "ann" };
 * const bytes: FieldValues<Uint8Array> = new Map([[new Uint8Array([1]), new Uint8Array([2])]]);
 * console.log(text, bytes);
 * ```
 */
export type FieldValues<B extends Bulk> = B extends Uint8Array
  ? Map<Uint8Array, Uint8Array>
  : Record<string, B>;
