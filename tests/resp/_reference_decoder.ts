// A deliberately simple RESP2/RESP3 reference decoder for differential
// fuzzing. Whole buffer in, values out: recursive, not
// incremental, no fast paths. Written from the RESP3 specification
// (redis/redis-specifications protocol/RESP3.md) with the value mapping of
// lib/resp/types.ts and the choices sleeve documents where the spec is
// silent:
// - a length is `-1` or decimal digits without a sign or leading zeros;
// - an integer is an optional `-` and 1 to 19 digits within the signed
//   64-bit range (no `+`, as hiredis); `-0` is the integer 0;
// - doubles follow the spec grammar, plus `inf`/`infinity` (optionally `+`),
//   and any libc NaN spelling (`nan`, `-nan`, `nan(...)`), case-insensitive;
// - an unknown type byte is an error as soon as it is seen (hiredis);
// - a line longer than maxLineLength is an error whether or not its CRLF
//   has arrived;
// - limits: a non-empty aggregate (attributes and streamed strings
//   included) is one level of depth; maps count keys and values against
//   maxElements; streamed string parts add up against maxBulkLength;
// - attributes are dropped; an attribute annotates the next item at its
//   level (which may be the end marker of a streamed aggregate).

import { ReplyError } from "../../lib/errors.ts";
import type { RespValue } from "../../lib/resp/types.ts";

/** Limits and mode of the reference decoder (all required). */
export interface ReferenceOptions {
  maxBulkLength: number;
  maxDepth: number;
  maxElements: number;
  maxLineLength: number;
  binary: boolean;
}

/** Values decoded, then how the input ended. */
export interface ReferenceResult {
  values: { value: RespValue; push?: boolean }[];
  /** `complete`: all bytes consumed; `incomplete`: a frame is unfinished; `malformed`: invalid. */
  end: "complete" | "incomplete" | "malformed";
  reason?: string;
}

class Incomplete {}
class Malformed {
  constructor(readonly reason: string) {}
}
const END: unique symbol = Symbol("end of a streamed aggregate");

const TYPES = "+-:$*_#,(!=%~|>;.";
// ignoreBOM: a leading U+FEFF is text, as RespDecoder keeps it.
const text = new TextDecoder("utf-8", { ignoreBOM: true });

function ascii(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function malformed(reason: string): never {
  throw new Malformed(reason);
}

class Parser {
  pos = 0;
  push = false;

  constructor(
    readonly buf: Uint8Array,
    readonly options: ReferenceOptions,
  ) {}

  /** Reads the type byte and the rest of its line; moves past the CRLF. */
  line(): { type: string; body: Uint8Array } {
    const { buf, options } = this;
    if (this.pos >= buf.length) throw new Incomplete();
    const type = String.fromCharCode(buf[this.pos]!);
    if (!TYPES.includes(type)) malformed(`unknown type byte ${buf[this.pos]}`);
    const from = this.pos + 1;
    for (let i = from;; i++) {
      if (i - from > options.maxLineLength) malformed("line too long");
      if (i >= buf.length) throw new Incomplete();
      if (buf[i] === 0x0a) malformed("LF without CR");
      if (buf[i] === 0x0d) {
        if (i + 1 >= buf.length) throw new Incomplete();
        if (buf[i + 1] !== 0x0a) malformed("CR without LF");
        this.pos = i + 2;
        return { type, body: buf.subarray(from, i) };
      }
    }
  }

  /** `n` payload bytes and their CRLF. */
  payload(n: number): Uint8Array {
    const { buf } = this;
    if (this.pos + n + 2 > buf.length) throw new Incomplete();
    if (buf[this.pos + n] !== 0x0d || buf[this.pos + n + 1] !== 0x0a) {
      malformed("payload not followed by CRLF");
    }
    const out = buf.slice(this.pos, this.pos + n);
    this.pos += n + 2;
    return out;
  }

  top(): { value: RespValue; push?: boolean } {
    this.push = false;
    const value = this.item(0, false);
    if (value === END) malformed("end marker at top level");
    return this.push ? { value, push: true } : { value };
  }

  item(depth: number, inStreamed: boolean): RespValue | typeof END {
    const { type, body } = this.line();
    const s = ascii(body);
    switch (type) {
      case "+":
        return text.decode(body);
      case "-":
        return new ReplyError(text.decode(body));
      case ":":
        return integer(s);
      case "_":
        if (s !== "") malformed("null with content");
        return null;
      case "#":
        if (s === "t") return true;
        if (s === "f") return false;
        return malformed("bad boolean");
      case ",":
        return double(s);
      case "(":
        if (!/^-?[0-9]+$/.test(s)) malformed("bad big number");
        return BigInt(s);
      case "$":
      case "!":
      case "=":
        return this.blob(type, s, depth);
      case "*":
      case "%":
      case "~":
      case ">":
      case "|":
        return this.aggregate(type, s, depth, inStreamed);
      case ".":
        if (s !== "") malformed("end marker with content");
        if (!inStreamed) malformed("end marker outside a streamed aggregate");
        return END;
      default: // ";"
        return malformed("streamed string part outside a streamed string");
    }
  }

  blob(type: string, header: string, depth: number): RespValue {
    const { options } = this;
    let bytes: Uint8Array;
    if (header === "?") {
      if (depth >= options.maxDepth) malformed("too deep");
      const parts: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const part = this.line();
        if (part.type !== ";") malformed("streamed string part expected");
        const n = length(ascii(part.body));
        if (n < 0) malformed("negative part length");
        if (n === 0) break;
        if (total + n > options.maxBulkLength) {
          malformed("streamed string too long");
        }
        parts.push(this.payload(n));
        total += n;
      }
      bytes = new Uint8Array(total);
      let at = 0;
      for (const part of parts) {
        bytes.set(part, at);
        at += part.length;
      }
    } else {
      const n = length(header);
      if (n === -1) return type === "$" ? null : malformed("negative length");
      if (n > options.maxBulkLength) malformed("bulk too long");
      bytes = this.payload(n);
    }
    if (type === "!") return new ReplyError(text.decode(bytes));
    if (type === "=") {
      if (bytes.length < 4 || bytes[3] !== 0x3a) {
        malformed("verbatim without format");
      }
      bytes = bytes.slice(4);
    }
    return options.binary && !this.push ? bytes : text.decode(bytes);
  }

  aggregate(
    type: string,
    header: string,
    depth: number,
    inStreamed: boolean,
  ): RespValue | typeof END {
    const { options } = this;
    const paired = type === "%" || type === "|";
    const streamed = header === "?";
    let count = 0;
    if (!streamed) {
      const n = length(header);
      if (n === -1) return type === "*" ? null : malformed("negative length");
      count = paired ? 2 * n : n;
      if (count > options.maxElements) malformed("too many elements");
    }
    if (type === ">" && depth > 0) malformed("push inside another value");
    // A push answers no command: its strings are text even in binary mode.
    if (type === ">") this.push = true;
    const items: RespValue[] = [];
    if (streamed || count > 0) {
      if (depth >= options.maxDepth) malformed("too deep");
      if (streamed) {
        for (;;) {
          const item = this.item(depth + 1, true);
          if (item === END) break;
          items.push(item);
        }
        if (paired && items.length % 2 !== 0) {
          malformed("streamed map ends after a key");
        }
      } else {
        for (let i = 0; i < count; i++) {
          items.push(this.item(depth + 1, false) as RespValue);
        }
      }
    }
    switch (type) {
      case "|":
        // Dropped: the item it annotates takes its place.
        return this.item(depth, inStreamed);
      case "%": {
        const map = new Map<RespValue, RespValue>();
        for (let i = 0; i < items.length; i += 2) {
          map.set(items[i]!, items[i + 1]!);
        }
        return map;
      }
      case "~":
        return new Set(items);
      case ">":
        this.push = true;
        return items;
      default:
        return items;
    }
  }
}

function length(s: string): number {
  if (s === "-1") return -1;
  if (!/^(0|[1-9][0-9]*)$/.test(s)) malformed("bad length");
  return Number(s); // imprecise only far above every limit
}

function integer(s: string): number | bigint {
  if (!/^-?[0-9]{1,19}$/.test(s)) malformed("bad integer");
  const big = BigInt(s);
  if (big > 2n ** 63n - 1n || big < -(2n ** 63n)) {
    malformed("integer out of range");
  }
  return big >= -(2n ** 53n - 1n) && big <= 2n ** 53n - 1n ? Number(big) : big;
}

function double(s: string): number {
  if (/^[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(s)) return Number(s);
  const lower = s.toLowerCase();
  if (
    lower === "inf" || lower === "+inf" || lower === "infinity" ||
    lower === "+infinity"
  ) {
    return Infinity;
  }
  if (lower === "-inf" || lower === "-infinity") return -Infinity;
  if (/^[+-]?nan(\(.*\))?$/.test(lower)) return NaN;
  return malformed("bad double");
}

/** Decodes every top-level value of `input`, then reports how it ended. */
export function referenceDecode(
  input: Uint8Array,
  options: ReferenceOptions,
): ReferenceResult {
  const values: ReferenceResult["values"] = [];
  const parser = new Parser(input, options);
  while (parser.pos < input.length) {
    const start = parser.pos;
    try {
      values.push(parser.top());
    } catch (error) {
      if (error instanceof Incomplete) {
        parser.pos = start;
        return { values, end: "incomplete" };
      }
      if (error instanceof Malformed) {
        return { values, end: "malformed", reason: error.reason };
      }
      throw error;
    }
  }
  return { values, end: "complete" };
}
