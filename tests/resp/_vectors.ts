// Decoder test vectors, the strict value
// comparison the decoder tests use, chunking shapes and a
// seeded PRNG. Not a test file: discovery skips names starting with "_".

import { ReplyError } from "../../lib/errors.ts";
import type { RespDecoderOptions, RespValue } from "../../lib/resp/types.ts";

const utf8 = new TextEncoder();

/** Bytes as the decoder receives them: strings are encoded as UTF-8. */
export function toBytes(
  ...parts: (string | Uint8Array | readonly number[])[]
): Uint8Array<ArrayBuffer> {
  const encoded = parts.map((part) =>
    typeof part === "string"
      ? utf8.encode(part)
      : part instanceof Uint8Array
      ? part
      : Uint8Array.from(part)
  );
  let length = 0;
  for (const part of encoded) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of encoded) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A length-prefixed frame (`$`, `!`, `=`) around `payload`, length in bytes. */
export function blob(
  type: "$" | "!" | "=",
  payload: string | Uint8Array,
): Uint8Array<ArrayBuffer> {
  const body = toBytes(payload);
  return toBytes(`${type}${body.length}\r\n`, body, "\r\n");
}

/** A bulk string frame around `payload`. */
export function bulk(payload: string | Uint8Array): Uint8Array<ArrayBuffer> {
  return blob("$", payload);
}

/** One top-level value a vector must produce, and whether it is a push. */
export interface Expected {
  value: RespValue;
  push?: boolean;
}

/** A valid input and the values it decodes to. */
export interface Vector {
  name: string;
  bytes: string | Uint8Array;
  /** The first (often the only) top-level value. */
  expected: RespValue;
  /** `lastWasPush` after the first value. */
  push?: boolean;
  /** Decode bulk strings as `Uint8Array`. */
  binary?: boolean;
  /** Further top-level values the same bytes produce, in order. */
  rest?: readonly Expected[];
  /** Decoder limits for this row (defaults otherwise). */
  options?: RespDecoderOptions;
}

/** An invalid input, what decodes before the error, and the error's text. */
export interface MalformedVector {
  name: string;
  bytes: string | Uint8Array;
  message: RegExp;
  /** Top-level values returned before the ProtocolError. */
  before?: readonly RespValue[];
  options?: RespDecoderOptions;
}

/** All 256 byte values in order. */
export const ALL_BYTES: Uint8Array<ArrayBuffer> = Uint8Array.from(
  { length: 256 },
  (_, i) => i,
);

const MIB = 1024 * 1024;
/** Where the decoder switches to collecting a bulk as a list of chunks. */
const LARGE_BULK = 64 * 1024;

function nested(levels: number, leaf: RespValue): RespValue {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

function repeatBytes(byte: number, length: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(length).fill(byte);
}

/** 10,000 pipelined replies of mixed types, and the values they decode to. */
function pipeline(): { bytes: Uint8Array<ArrayBuffer>; values: Expected[] } {
  const parts: string[] = [];
  const values: Expected[] = [];
  for (let i = 0; i < 10_000; i++) {
    switch (i % 5) {
      case 0:
        parts.push("+OK\r\n");
        values.push({ value: "OK" });
        break;
      case 1:
        parts.push(`:${i}\r\n`);
        values.push({ value: i });
        break;
      case 2:
        parts.push(`$${`val:${i}`.length}\r\nval:${i}\r\n`);
        values.push({ value: `val:${i}` });
        break;
      case 3:
        parts.push(`*2\r\n:${i}\r\n$-1\r\n`);
        values.push({ value: [i, null] });
        break;
      default:
        parts.push(`>2\r\n+tick\r\n:${i}\r\n`);
        values.push({ value: ["tick", i], push: true });
    }
  }
  return { bytes: toBytes(parts.join("")), values };
}

const PIPELINE = pipeline();

const HELLO_3 = "%7\r\n" +
  "$6\r\nserver\r\n$5\r\nredis\r\n" +
  "$7\r\nversion\r\n$6\r\n7.0.15\r\n" +
  "$5\r\nproto\r\n:3\r\n" +
  "$2\r\nid\r\n:5\r\n" +
  "$4\r\nmode\r\n$10\r\nstandalone\r\n" +
  "$4\r\nrole\r\n$6\r\nmaster\r\n" +
  "$7\r\nmodules\r\n*0\r\n";

const HELLO_2 = "*14\r\n" +
  "$6\r\nserver\r\n$5\r\nredis\r\n" +
  "$7\r\nversion\r\n$6\r\n7.0.15\r\n" +
  "$5\r\nproto\r\n:2\r\n" +
  "$2\r\nid\r\n:5\r\n" +
  "$4\r\nmode\r\n$10\r\nstandalone\r\n" +
  "$4\r\nrole\r\n$6\r\nmaster\r\n" +
  "$7\r\nmodules\r\n*0\r\n";

const TWO_BYTE_CHARS = "é".repeat(40_000); // 80,000 bytes: large path, split inside chars
const ONE_MIB_TEXT = "a".repeat(MIB);

/** Valid RESP2/RESP3 inputs. */
export const VECTORS: readonly Vector[] = [
  // A1 simple strings
  { name: "A1 +OK", bytes: "+OK\r\n", expected: "OK" }, // the common reply
  { name: "A1 +O", bytes: "+O\r\n", expected: "O" }, // a prefix of OK (OK is interned)
  { name: "A1 +OKAY", bytes: "+OKAY\r\n", expected: "OKAY" }, // starts with OK
  { name: "A1 +Ok", bytes: "+Ok\r\n", expected: "Ok" }, // not OK
  { name: "A1 empty simple string", bytes: "+\r\n", expected: "" }, // nothing between type and CRLF
  {
    name: "A1 simple string with UTF-8",
    bytes: "+héllo wörld ✓\r\n",
    expected: "héllo wörld ✓",
  }, // multi-byte text on a line
  {
    name: "A1 simple string of 40 chars",
    bytes: `+${"x".repeat(40)}\r\n`,
    expected: "x".repeat(40),
  }, // past the short-string fast path

  // A2 simple errors
  { name: "A2 -ERR x", bytes: "-ERR x\r\n", expected: new ReplyError("ERR x") }, // code ERR
  {
    name: "A2 -WRONGTYPE",
    bytes:
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    expected: new ReplyError(
      "WRONGTYPE Operation against a key holding the wrong kind of value",
    ),
  }, // code is the first word
  { name: "A2 -ERR alone", bytes: "-ERR\r\n", expected: new ReplyError("ERR") }, // no text after the code
  {
    name: "A2 -MYERR boom",
    bytes: "-MYERR boom\r\n",
    expected: new ReplyError("MYERR boom"),
  }, // custom code (Lua {err=...})
  { name: "A2 empty error", bytes: "-\r\n", expected: new ReplyError("") }, // no code at all

  // A3 integers
  { name: "A3 :0", bytes: ":0\r\n", expected: 0 }, // zero
  { name: "A3 :-1", bytes: ":-1\r\n", expected: -1 }, // negative
  { name: "A3 :1000", bytes: ":1000\r\n", expected: 1000 }, // spec example
  {
    name: "A3 15 digits",
    bytes: ":999999999999999\r\n",
    expected: 999999999999999,
  }, // longest fast path
  {
    name: "A3 16 digits",
    bytes: ":1000000000000000\r\n",
    expected: 1000000000000000,
  }, // first BigInt-checked length, still a number
  {
    name: "A3 2^53-1",
    bytes: ":9007199254740991\r\n",
    expected: 9007199254740991,
  }, // largest safe integer stays a number
  {
    name: "A3 -(2^53-1)",
    bytes: ":-9007199254740991\r\n",
    expected: -9007199254740991,
  }, // smallest safe integer stays a number
  {
    name: "A3 2^53",
    bytes: ":9007199254740992\r\n",
    expected: 9007199254740992n,
  }, // first unsafe integer: bigint
  {
    name: "A3 2^53+1",
    bytes: ":9007199254740993\r\n",
    expected: 9007199254740993n,
  }, // would round as a number
  {
    name: "A3 -(2^53+1)",
    bytes: ":-9007199254740993\r\n",
    expected: -9007199254740993n,
  }, // negative unsafe
  {
    name: "A3 2^63-1",
    bytes: ":9223372036854775807\r\n",
    expected: 9223372036854775807n,
  }, // LLONG_MAX
  {
    name: "A3 -2^63",
    bytes: ":-9223372036854775808\r\n",
    expected: -9223372036854775808n,
  }, // LLONG_MIN

  // A4 bulk strings
  { name: "A4 empty bulk", bytes: "$0\r\n\r\n", expected: "" }, // $0 is "", not null
  {
    name: "A4 empty bulk (binary)",
    bytes: "$0\r\n\r\n",
    expected: new Uint8Array(0),
    binary: true,
  }, // empty bytes
  { name: "A4 $5 hello", bytes: "$5\r\nhello\r\n", expected: "hello" }, // spec example
  { name: "A4 bulk with CR", bytes: bulk("a\rb"), expected: "a\rb" }, // CR inside the payload
  { name: "A4 bulk with LF", bytes: bulk("a\nb"), expected: "a\nb" }, // LF inside the payload
  { name: "A4 bulk with CRLF", bytes: bulk("a\r\nb"), expected: "a\r\nb" }, // a fake terminator inside
  { name: "A4 bulk that is CRLF", bytes: bulk("\r\n"), expected: "\r\n" }, // payload is only a CRLF
  { name: "A4 bulk ending in CR", bytes: bulk("ab\r"), expected: "ab\r" }, // CR right before the terminator
  { name: "A4 bulk with NUL", bytes: bulk("a\0b"), expected: "a\0b" }, // NUL is not a terminator
  {
    name: "A4 bulk with 0xFF (binary)",
    bytes: bulk(Uint8Array.of(0x61, 0xff, 0x62)),
    expected: Uint8Array.of(0x61, 0xff, 0x62),
    binary: true,
  }, // invalid UTF-8 kept exact
  {
    name: "A4 bulk with 0xFF (text)",
    bytes: bulk(Uint8Array.of(0x61, 0xff, 0x62)),
    expected: "a\ufffdb",
  }, // invalid UTF-8 becomes U+FFFD
  {
    name: "A4 all 256 byte values (binary)",
    bytes: bulk(ALL_BYTES),
    expected: ALL_BYTES,
    binary: true,
  }, // byte-exact
  {
    name: "A4 all 256 byte values (text)",
    bytes: bulk(ALL_BYTES),
    expected: new TextDecoder().decode(ALL_BYTES),
  }, // same as TextDecoder
  {
    name: "A4 UTF-8 bulk",
    bytes: bulk("héllo ✓ 😀 漢字"),
    expected: "héllo ✓ 😀 漢字",
  }, // 2, 3 and 4-byte sequences
  {
    name: "A4 bulk of 64 KiB - 1",
    bytes: bulk("b".repeat(LARGE_BULK - 1)),
    expected: "b".repeat(LARGE_BULK - 1),
  }, // last size on the buffered path
  {
    name: "A4 bulk of 64 KiB",
    bytes: bulk("c".repeat(LARGE_BULK)),
    expected: "c".repeat(LARGE_BULK),
  }, // first size on the chunk-list path
  {
    name: "A4 80 KB of 2-byte chars",
    bytes: bulk(TWO_BYTE_CHARS),
    expected: TWO_BYTE_CHARS,
  }, // chunk-list path, chunks split inside characters
  { name: "A4 1 MiB bulk", bytes: bulk(ONE_MIB_TEXT), expected: ONE_MIB_TEXT }, // big payload
  {
    name: "A4 1 MiB bulk (binary)",
    bytes: bulk(repeatBytes(0xff, MIB)),
    expected: repeatBytes(0xff, MIB),
    binary: true,
  }, // big binary payload
  {
    name: "A4 large blob error",
    bytes: blob("!", `ERR ${"e".repeat(LARGE_BULK)}`),
    expected: new ReplyError(`ERR ${"e".repeat(LARGE_BULK)}`),
  }, // chunk-list path for "!"
  {
    name: "A4 large verbatim",
    bytes: blob("=", `txt:${"v".repeat(LARGE_BULK)}`),
    expected: "v".repeat(LARGE_BULK),
  }, // chunk-list path for "="

  // A5 RESP2 nulls
  { name: "A5 $-1", bytes: "$-1\r\n", expected: null }, // null bulk, not ""
  { name: "A5 *-1", bytes: "*-1\r\n", expected: null }, // null array, not []
  { name: "A5 $-1 (binary)", bytes: "$-1\r\n", expected: null, binary: true }, // null stays null in binary mode

  // A6 arrays
  { name: "A6 *0", bytes: "*0\r\n", expected: [] }, // empty array
  {
    name: "A6 nested",
    bytes: "*2\r\n*3\r\n:1\r\n$5\r\nhello\r\n:2\r\n#f\r\n",
    expected: [[1, "hello", 2], false],
  }, // array in array
  {
    name: "A6 null element",
    bytes: "*3\r\n$3\r\nfoo\r\n$-1\r\n$3\r\nbar\r\n",
    expected: ["foo", null, "bar"],
  }, // null inside
  {
    name: "A6 null array element",
    bytes: "*2\r\n*-1\r\n*0\r\n",
    expected: [null, []],
  }, // *-1 and *0 inside
  {
    name: "A6 error element",
    bytes: "*2\r\n+OK\r\n-ERR boom\r\n",
    expected: ["OK", new ReplyError("ERR boom")],
  }, // EXEC runtime error
  {
    name: "A6 deep mixed",
    bytes: "*3\r\n*1\r\n*1\r\n:1\r\n*0\r\n*2\r\n_\r\n#t\r\n",
    expected: [[[1]], [], [null, true]],
  }, // closing several levels at once
  {
    name: "A6 binary array",
    bytes: "*3\r\n$1\r\na\r\n+b\r\n:1\r\n",
    expected: [Uint8Array.of(0x61), "b", 1],
    binary: true,
  }, // only bulks become bytes
  {
    name: "A6 HELLO 2 reply",
    bytes: HELLO_2,
    expected: [
      "server",
      "redis",
      "version",
      "7.0.15",
      "proto",
      2,
      "id",
      5,
      "mode",
      "standalone",
      "role",
      "master",
      "modules",
      [],
    ],
  }, // A16 flat array

  // A7 RESP3 null and booleans
  { name: "A7 _", bytes: "_\r\n", expected: null }, // RESP3 null
  { name: "A7 #t", bytes: "#t\r\n", expected: true }, // true
  { name: "A7 #f", bytes: "#f\r\n", expected: false }, // false

  // A8 blob errors
  {
    name: "A8 blob error",
    bytes: "!21\r\nSYNTAX invalid syntax\r\n",
    expected: new ReplyError("SYNTAX invalid syntax"),
  }, // spec example, code SYNTAX
  {
    name: "A8 empty blob error",
    bytes: "!0\r\n\r\n",
    expected: new ReplyError(""),
  }, // empty code
  {
    name: "A8 blob error with CRLF",
    bytes: blob("!", "ERR a\r\nb"),
    expected: new ReplyError("ERR a\r\nb"),
  }, // binary-safe message
  {
    name: "A8 blob error (binary)",
    bytes: blob("!", "ERR x"),
    expected: new ReplyError("ERR x"),
    binary: true,
  }, // still an error in binary mode
  {
    name: "A8 blob error in array",
    bytes: "*2\r\n!5\r\nERR x\r\n:1\r\n",
    expected: [new ReplyError("ERR x"), 1],
  }, // nested error value

  // A9 doubles
  { name: "A9 ,1.23", bytes: ",1.23\r\n", expected: 1.23 }, // fraction
  { name: "A9 ,10", bytes: ",10\r\n", expected: 10 }, // integral double
  { name: "A9 ,-0", bytes: ",-0\r\n", expected: -0 }, // keeps its sign bit
  { name: "A9 ,0", bytes: ",0\r\n", expected: 0 }, // positive zero
  { name: "A9 ,-1.5e-3", bytes: ",-1.5e-3\r\n", expected: -0.0015 }, // negative exponent
  { name: "A9 ,1E2", bytes: ",1E2\r\n", expected: 100 }, // upper-case exponent
  { name: "A9 ,1e308", bytes: ",1e308\r\n", expected: 1e308 }, // large exponent
  { name: "A9 ,5e-324", bytes: ",5e-324\r\n", expected: 5e-324 }, // smallest subnormal
  {
    name: "A9 ,1.7976931348623157e308",
    bytes: ",1.7976931348623157e308\r\n",
    expected: Number.MAX_VALUE,
  }, // largest finite
  {
    name: "A9 ,3.141592653589793",
    bytes: ",3.141592653589793\r\n",
    expected: Math.PI,
  }, // 17 significant digits
  { name: "A9 ,inf", bytes: ",inf\r\n", expected: Infinity }, // positive infinity
  { name: "A9 ,-inf", bytes: ",-inf\r\n", expected: -Infinity }, // negative infinity
  { name: "A9 ,nan", bytes: ",nan\r\n", expected: NaN }, // NaN
  { name: "A9 ,-nan", bytes: ",-nan\r\n", expected: NaN }, // Lua 0/0 on Redis 7.0

  // A10 big numbers
  {
    name: "A10 big number",
    bytes: "(3492890328409238509324850943850943825024385\r\n",
    expected: 3492890328409238509324850943850943825024385n,
  }, // spec example
  {
    name: "A10 negative big number",
    bytes: "(-3492890328409238509324850943850943825024385\r\n",
    expected: -3492890328409238509324850943850943825024385n,
  }, // sign
  { name: "A10 (0", bytes: "(0\r\n", expected: 0n }, // zero is still a bigint
  { name: "A10 (1", bytes: "(1\r\n", expected: 1n }, // small big number stays a bigint

  // A11 verbatim strings
  {
    name: "A11 txt verbatim",
    bytes: "=15\r\ntxt:Some string\r\n",
    expected: "Some string",
  }, // prefix stripped
  { name: "A11 empty mkd verbatim", bytes: "=4\r\nmkd:\r\n", expected: "" }, // prefix only
  {
    name: "A11 verbatim with newlines",
    bytes: blob("=", "txt:a\r\nb\nc"),
    expected: "a\r\nb\nc",
  }, // INFO-style text
  {
    name: "A11 verbatim (binary)",
    bytes: "=15\r\ntxt:Some string\r\n",
    expected: toBytes("Some string"),
    binary: true,
  }, // bytes without prefix

  // A12 maps and sets
  {
    name: "A12 map",
    bytes: "%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n",
    expected: new Map<RespValue, RespValue>([["first", 1], ["second", 2]]),
  }, // spec example
  { name: "A12 empty map", bytes: "%0\r\n", expected: new Map() }, // %0
  {
    name: "A12 int and bool keys",
    bytes: "%3\r\n:1\r\n+one\r\n#t\r\n+yes\r\n_\r\n+nil\r\n",
    expected: new Map<RespValue, RespValue>([[1, "one"], [true, "yes"], [
      null,
      "nil",
    ]]),
  }, // DEBUG PROTOCOL map
  {
    name: "A12 map of aggregates",
    bytes: "%1\r\n$3\r\nkey\r\n*2\r\n%0\r\n~1\r\n:1\r\n",
    expected: new Map<RespValue, RespValue>([["key", [
      new Map(),
      new Set([1]),
    ]]]),
  }, // nested containers
  {
    name: "A12 HELLO 3 reply",
    bytes: HELLO_3,
    expected: new Map<RespValue, RespValue>([
      ["server", "redis"],
      ["version", "7.0.15"],
      ["proto", 3],
      ["id", 5],
      ["mode", "standalone"],
      ["role", "master"],
      ["modules", []],
    ]),
  }, // A16 seven fields
  {
    name: "A12 set",
    bytes: "~5\r\n+orange\r\n+apple\r\n#t\r\n:100\r\n:999\r\n",
    expected: new Set<RespValue>(["orange", "apple", true, 100, 999]),
  }, // spec example
  { name: "A12 empty set", bytes: "~0\r\n", expected: new Set() }, // ~0
  {
    name: "A12 binary map",
    bytes: "%1\r\n$1\r\nk\r\n$1\r\nv\r\n",
    expected: new Map<RespValue, RespValue>([[
      Uint8Array.of(0x6b),
      Uint8Array.of(0x76),
    ]]),
    binary: true,
  }, // bytes keys

  // A13 streamed strings and aggregates
  {
    name: "A13 streamed string",
    bytes: "$?\r\n;4\r\nHell\r\n;5\r\no wor\r\n;1\r\nd\r\n;0\r\n",
    expected: "Hello word",
  }, // spec example
  { name: "A13 empty streamed string", bytes: "$?\r\n;0\r\n", expected: "" }, // no parts
  {
    name: "A13 streamed string (binary)",
    bytes: "$?\r\n;2\r\nab\r\n;1\r\nc\r\n;0\r\n",
    expected: toBytes("abc"),
    binary: true,
  }, // bytes
  {
    name: "A13 streamed char split",
    bytes: toBytes("$?\r\n;1\r\n", [0xc3], "\r\n;1\r\n", [0xa9], "\r\n;0\r\n"),
    expected: "é",
  }, // UTF-8 split across parts
  {
    name: "A13 streamed parts with CRLF",
    bytes: "$?\r\n;3\r\na\r\n\r\n;2\r\n\r\n\r\n;0\r\n",
    expected: "a\r\n\r\n",
  }, // terminators inside parts
  {
    name: "A13 streamed blob error",
    bytes: "!?\r\n;6\r\nSYNTAX\r\n;4\r\n bad\r\n;0\r\n",
    expected: new ReplyError("SYNTAX bad"),
  }, // !? parts
  {
    name: "A13 streamed verbatim",
    bytes: "=?\r\n;4\r\ntxt:\r\n;2\r\nhi\r\n;0\r\n",
    expected: "hi",
  }, // =? prefix in its own part
  {
    name: "A13 streamed array",
    bytes: "*?\r\n:1\r\n:2\r\n.\r\n",
    expected: [1, 2],
  }, // *? ... .
  { name: "A13 empty streamed array", bytes: "*?\r\n.\r\n", expected: [] }, // end marker right away
  {
    name: "A13 nested streamed arrays",
    bytes: "*?\r\n*?\r\n:1\r\n.\r\n:2\r\n.\r\n",
    expected: [[1], 2],
  }, // *? in *?
  {
    name: "A13 streamed array with counted parts",
    bytes: "*?\r\n*2\r\n:1\r\n:2\r\n$?\r\n;1\r\na\r\n;0\r\n.\r\n",
    expected: [[1, 2], "a"],
  }, // mixed framing
  {
    name: "A13 streamed string in counted array",
    bytes: "*2\r\n$?\r\n;1\r\na\r\n;0\r\n:1\r\n",
    expected: ["a", 1],
  }, // $? as an element
  {
    name: "A13 streamed map",
    bytes: "%?\r\n+a\r\n:1\r\n+b\r\n:2\r\n.\r\n",
    expected: new Map<RespValue, RespValue>([["a", 1], ["b", 2]]),
  }, // %?
  { name: "A13 empty streamed map", bytes: "%?\r\n.\r\n", expected: new Map() }, // %? .
  {
    name: "A13 streamed set",
    bytes: "~?\r\n+a\r\n+b\r\n.\r\n",
    expected: new Set<RespValue>(["a", "b"]),
  }, // ~?

  // A14 attributes
  {
    name: "A14 attribute before a reply",
    bytes:
      "|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n*2\r\n:2039123\r\n:9543892\r\n",
    expected: [2039123, 9543892],
  }, // spec example, attribute dropped
  {
    name: "A14 attribute inside an array",
    bytes: "*3\r\n:1\r\n:2\r\n|1\r\n+ttl\r\n:3600\r\n:3\r\n",
    expected: [1, 2, 3],
  }, // spec example
  {
    name: "A14 attribute before the first element",
    bytes: "*2\r\n|1\r\n+a\r\n:1\r\n:7\r\n:8\r\n",
    expected: [7, 8],
  }, // right after the header
  { name: "A14 empty attribute", bytes: "|0\r\n+OK\r\n", expected: "OK" }, // |0 annotates nothing
  {
    name: "A14 nested attributes",
    bytes: "|1\r\n+a\r\n|1\r\n+b\r\n:2\r\n:1\r\n+OK\r\n",
    expected: "OK",
  }, // attribute on an attribute value
  {
    name: "A14 attribute on a map value",
    bytes: "%1\r\n+k\r\n|1\r\n+x\r\n:1\r\n+v\r\n",
    expected: new Map<RespValue, RespValue>([["k", "v"]]),
  }, // inside a map
  {
    name: "A14 attribute before a push",
    bytes: "|1\r\n+a\r\n:1\r\n>2\r\n+p\r\n:1\r\n",
    expected: ["p", 1],
    push: true,
  }, // push still flagged

  // A15 push frames
  {
    name: "A15 push then reply",
    bytes:
      ">4\r\n+pubsub\r\n+message\r\n+somechannel\r\n+this is the message\r\n+OK\r\n",
    expected: ["pubsub", "message", "somechannel", "this is the message"],
    push: true,
    rest: [{ value: "OK" }],
  }, // spec example; the reply after is not a push
  {
    name: "A15 reply then push",
    bytes: ":1\r\n>2\r\n$10\r\ninvalidate\r\n*1\r\n$3\r\nfoo\r\n",
    expected: 1,
    rest: [{ value: ["invalidate", ["foo"]], push: true }],
  }, // tracking invalidation after a reply
  {
    name: "A15 empty push",
    bytes: ">0\r\n+OK\r\n",
    expected: [],
    push: true,
    rest: [{ value: "OK" }],
  }, // >0
  {
    name: "A15 push with null",
    bytes: ">2\r\n$10\r\ninvalidate\r\n_\r\n",
    expected: ["invalidate", null],
    push: true,
  }, // FLUSHALL invalidation

  // A17 many frames per chunk
  {
    name: "A17 10,000 pipelined replies",
    bytes: PIPELINE.bytes,
    expected: PIPELINE.values[0]!.value,
    rest: PIPELINE.values.slice(1),
  }, // one chunk, many frames
  // A18 big aggregates
  {
    name: "A18 *100000 of :1",
    bytes: "*100000\r\n" + ":1\r\n".repeat(100_000),
    expected: new Array(100_000).fill(1),
  }, // linear, no re-scan
  // B10 depth limit, valid side
  {
    name: "B10 exactly maxDepth (1024) levels",
    bytes: "*1\r\n".repeat(1024) + ":1\r\n",
    expected: nested(1024, 1),
  }, // hiredis "maximum nesting depth"
  {
    name: "B10 exactly maxDepth 3",
    bytes: "*1\r\n%1\r\n+k\r\n~1\r\n:1\r\n",
    expected: [new Map<RespValue, RespValue>([["k", new Set([1])]])],
    options: { maxDepth: 3 },
  }, // small configured limit
];

const LONG = "a".repeat(100);

/** Invalid inputs: each must end in a ProtocolError. */
export const MALFORMED: readonly MalformedVector[] = [
  // B1 unknown type bytes
  {
    name: "B1 @foo",
    bytes: "@foo\r\n",
    message: /unknown RESP type byte 0x40/,
  }, // hiredis "Error handling in reply parser"
  { name: "B1 &", bytes: "&\r\n", message: /unknown RESP type byte 0x26/ }, // ioredis fatal_error.ts
  { name: "B1 NUL", bytes: "\0\r\n", message: /unknown RESP type byte 0x00/ }, // redis protocol.tcl desync
  {
    name: "B1 bare LF",
    bytes: "\n+OK\r\n",
    message: /unknown RESP type byte 0x0a/,
  }, // stray newline before a reply
  {
    name: "B1 space",
    bytes: " +OK\r\n",
    message: /unknown RESP type byte 0x20/,
  }, // stray space before a reply
  {
    name: "B1 0xFF",
    bytes: toBytes([0xff], "\r\n"),
    message: /unknown RESP type byte 0xff/,
  }, // high byte

  // B2 bad length fields
  { name: "B2 $abc", bytes: "$abc\r\nabc\r\n", message: /bad length/ }, // letters
  { name: "B2 $", bytes: "$\r\n\r\n", message: /bad length/ }, // empty length
  { name: "B2 $1.5", bytes: "$1.5\r\na\r\n", message: /bad length/ }, // fraction
  { name: "B2 $ 5", bytes: "$ 5\r\nhello\r\n", message: /bad length/ }, // leading space
  { name: "B2 $5 space", bytes: "$5 \r\nhello\r\n", message: /bad length/ }, // trailing space
  { name: "B2 $+5", bytes: "$+5\r\nhello\r\n", message: /bad length/ }, // plus sign
  { name: "B2 $0005", bytes: "$0005\r\nhello\r\n", message: /bad length/ }, // leading zeros: documented as rejected
  { name: "B2 *x", bytes: "*x\r\n", message: /bad length/ }, // array count letters
  { name: "B2 %", bytes: "%\r\n", message: /bad length/ }, // empty map count
  { name: "B2 ~1a", bytes: "~1a\r\n:1\r\n", message: /bad length/ }, // set count with junk

  // B3 negative lengths other than -1
  { name: "B3 $-2", bytes: "$-2\r\n", message: /bad length|negative length/ }, // hiredis "bulk < -1"
  { name: "B3 *-2", bytes: "*-2\r\n", message: /bad length|negative length/ }, // not a null array (node-redis skip-4 pattern)
  { name: "B3 *-10", bytes: "*-10\r\n", message: /bad length|negative length/ }, // protocol.tcl "Negative multibulk length"
  { name: "B3 ~-1", bytes: "~-1\r\n", message: /bad length|negative length/ }, // no null set
  { name: "B3 %-1", bytes: "%-1\r\n", message: /bad length|negative length/ }, // no null map
  { name: "B3 >-1", bytes: ">-1\r\n", message: /bad length|negative length/ }, // no null push
  { name: "B3 =-1", bytes: "=-1\r\n", message: /bad length|negative length/ }, // no null verbatim
  { name: "B3 !-1", bytes: "!-1\r\n", message: /bad length|negative length/ }, // no null blob error
  { name: "B3 |-1", bytes: "|-1\r\n", message: /bad length|negative length/ }, // no null attribute

  // B4 length overflow
  {
    name: "B4 $2^64",
    bytes: "$18446744073709551616\r\n",
    message: /bad length|out of range|exceeds/,
  }, // past SIZE_MAX
  {
    name: "B4 $2^63-1",
    bytes: "$9223372036854775807\r\n",
    message: /bad length|out of range|exceeds/,
  }, // LLONG_MAX bulk
  {
    name: "B4 *2^63-1",
    bytes: "*9223372036854775807\r\n",
    message: /bad length|out of range|exceeds/,
  }, // LLONG_MAX count
  {
    name: "B4 %2^62",
    bytes: "%4611686018427387904\r\n",
    message: /bad length|out of range|exceeds/,
  }, // doubling overflow (hiredis #1322)
  {
    name: "B4 *maxElements+1",
    bytes: "*4294967296\r\n",
    message: /exceeds maxElements 4294967295/,
  }, // hiredis "Multi-bulk length out of range"
  {
    name: "B4 %maxElements/2+1",
    bytes: "%2147483648\r\n",
    message: /exceeds maxElements 4294967295/,
  }, // map counts keys and values
  {
    name: "B4 small maxElements",
    bytes: "*3\r\n:1\r\n:2\r\n:3\r\n",
    message: /exceeds maxElements 2/,
    options: { maxElements: 2 },
  }, // configured limit

  // B5 declared bulk over the limit
  {
    name: "B5 $maxBulkLength+1",
    bytes: "$536870913\r\n",
    message: /bulk length 536870913 exceeds maxBulkLength 536870912/,
  }, // rejected on the header
  {
    name: "B5 $1048577 with 1 MiB limit",
    bytes: "$1048577\r\n",
    message: /exceeds maxBulkLength 1048576/,
    options: { maxBulkLength: MIB },
  }, // configured limit
  {
    name: "B5 !maxBulkLength+1",
    bytes: "!536870913\r\n",
    message: /exceeds maxBulkLength/,
  }, // blob error too
  {
    name: "B5 =maxBulkLength+1",
    bytes: "=536870913\r\n",
    message: /exceeds maxBulkLength/,
  }, // verbatim too
  {
    name: "B5 streamed part over the limit",
    bytes: "$?\r\n;17\r\n",
    message: /exceeds maxBulkLength|longer than maxBulkLength/,
    options: { maxBulkLength: 16 },
  }, // one part too big
  {
    name: "B5 streamed parts over the limit",
    bytes: "$?\r\n;10\r\n0123456789\r\n;7\r\n",
    message: /longer than maxBulkLength|exceeds maxBulkLength/,
    options: { maxBulkLength: 16 },
  }, // the sum counts

  // B7 missing or wrong terminators
  {
    name: "B7 $3 abcXY",
    bytes: "$3\r\nabcXY",
    message: /not followed by CRLF/,
  }, // payload longer than declared
  {
    name: "B7 $3 abc LF CR",
    bytes: "$3\r\nabc\n\r",
    message: /not followed by CRLF/,
  }, // swapped terminator
  { name: "B7 +OK LF", bytes: "+OK\n", message: /LF without CR/ }, // bare LF ends a line
  { name: "B7 +OK CR X", bytes: "+OK\rX", message: /CR not followed by LF/ }, // bare CR
  { name: "B7 :1 LF", bytes: ":1\n", message: /LF without CR/ }, // integer with bare LF
  {
    name: "B7 CR inside a simple string",
    bytes: "+a\rb\r\n",
    message: /CR not followed by LF/,
  }, // hiredis "Bad simple string value"
  {
    name: "B7 short verbatim",
    bytes: "=5\r\ntxt:ab\r\n",
    message: /not followed by CRLF/,
  }, // declared 5, sent 6
  {
    name: "B7 large bulk with a bad terminator",
    bytes: toBytes("$65536\r\n", "x".repeat(LARGE_BULK), "XY"),
    message: /not followed by CRLF/,
  }, // chunk-list path
  {
    name: "B7 large bulk with LF LF",
    bytes: toBytes("$65536\r\n", "x".repeat(LARGE_BULK), "\n\n"),
    message: /not followed by CRLF/,
  }, // CR missing at the end

  // B8 unbounded line
  {
    name: "B8 + line over maxLineLength, no CRLF",
    bytes: `+${LONG}`,
    message: /line longer than maxLineLength 64/,
    options: { maxLineLength: 64 },
  }, // never terminated
  {
    name: "B8 + line over maxLineLength",
    bytes: `+${LONG}\r\n`,
    message: /line longer than maxLineLength 64/,
    options: { maxLineLength: 64 },
  }, // terminated, still too long
  {
    name: "B8 - line over maxLineLength",
    bytes: `-ERR ${LONG}\r\n`,
    message: /line longer than maxLineLength 64/,
    options: { maxLineLength: 64 },
  }, // error line
  {
    name: "B8 big number over maxLineLength",
    bytes: `(${"1".repeat(100)}\r\n`,
    message: /line longer than maxLineLength 64/,
    options: { maxLineLength: 64 },
  }, // a valid number, too long

  // B9 invalid scalar content
  { name: "B9 :12a", bytes: ":12a\r\n", message: /malformed integer/ }, // trailing letter
  { name: "B9 :", bytes: ":\r\n", message: /malformed integer/ }, // empty integer
  { name: "B9 :-", bytes: ":-\r\n", message: /malformed integer/ }, // sign only
  {
    name: "B9 :2^63",
    bytes: ":9223372036854775808\r\n",
    message: /integer outside the 64-bit range|malformed integer/,
  }, // LLONG_MAX + 1
  {
    name: "B9 :-2^63-1",
    bytes: ":-9223372036854775809\r\n",
    message: /integer outside the 64-bit range|malformed integer/,
  }, // LLONG_MIN - 1
  { name: "B9 (12.5", bytes: "(12.5\r\n", message: /malformed big number/ }, // no decimal part
  { name: "B9 (--1", bytes: "(--1\r\n", message: /malformed big number/ }, // double sign
  { name: "B9 (", bytes: "(\r\n", message: /malformed big number/ }, // empty
  { name: "B9 ,", bytes: ",\r\n", message: /malformed double/ }, // empty
  { name: "B9 ,1.2.3", bytes: ",1.2.3\r\n", message: /malformed double/ }, // two points
  { name: "B9 ,.5", bytes: ",.5\r\n", message: /malformed double/ }, // no integral part
  { name: "B9 ,.", bytes: ",.\r\n", message: /malformed double/ }, // point only
  { name: "B9 ,1e", bytes: ",1e\r\n", message: /malformed double/ }, // exponent without digits
  { name: "B9 ,+", bytes: ",+\r\n", message: /malformed double/ }, // sign only
  { name: "B9 ,1,5", bytes: ",1,5\r\n", message: /malformed double/ }, // decimal comma
  { name: "B9 ,abc", bytes: ",abc\r\n", message: /malformed double/ }, // letters
  { name: "B9 ,3.14x", bytes: ",3.14x\r\n", message: /malformed double/ }, // trailing letter
  { name: "B9 #x", bytes: "#x\r\n", message: /boolean/ }, // not t or f
  { name: "B9 #tt", bytes: "#tt\r\n", message: /boolean/ }, // too long
  { name: "B9 #", bytes: "#\r\n", message: /boolean/ }, // empty
  { name: "B9 _nil", bytes: "_nil\r\n", message: /null with content/ }, // null must be empty

  // B10 depth
  {
    name: "B10 maxDepth + 1 levels",
    bytes: "*1\r\n".repeat(1025) + ":1\r\n",
    message: /maxDepth 1024/,
  }, // one level too many
  {
    name: "B10 small maxDepth + 1",
    bytes: "*1\r\n%1\r\n+k\r\n~1\r\n*1\r\n:1\r\n",
    message: /maxDepth 3/,
    options: { maxDepth: 3 },
  }, // mixed aggregate types
  {
    name: "B10 maxDepth 0",
    bytes: "*1\r\n:1\r\n",
    message: /maxDepth 0/,
    options: { maxDepth: 0 },
  }, // no aggregates at all

  // B11 malformed verbatim
  {
    name: "B11 =3 txt",
    bytes: "=3\r\ntxt\r\n",
    message: /verbatim string without a format prefix/,
  }, // shorter than the prefix
  {
    name: "B11 =7 txt-abc",
    bytes: "=7\r\ntxt-abc\r\n",
    message: /verbatim string without a format prefix/,
  }, // no colon at byte 4
  {
    name: "B11 streamed verbatim without prefix",
    bytes: "=?\r\n;3\r\ntxt\r\n;0\r\n",
    message: /verbatim string without a format prefix/,
  }, // =? too

  // B12 malformed streamed frames
  {
    name: "B12 ; outside $?",
    bytes: ";3\r\nabc\r\n",
    message: /streamed string part outside a streamed string/,
  }, // stray part
  {
    name: "B12 ; inside *?",
    bytes: "*?\r\n;1\r\na\r\n",
    message: /streamed string part outside a streamed string/,
  }, // part in an aggregate
  {
    name: "B12 . outside *?",
    bytes: ".\r\n",
    message: /end marker outside a streamed aggregate/,
  }, // stray end
  {
    name: "B12 . inside a counted array",
    bytes: "*3\r\n:1\r\n.\r\n",
    message: /end marker outside a streamed aggregate/,
  }, // ends a counted array early
  {
    name: "B12 . inside $?",
    bytes: "$?\r\n.\r\n",
    message: /streamed string part expected/,
  }, // wrong terminator for $?
  {
    name: "B12 . with content",
    bytes: "*?\r\n.x\r\n",
    message: /end marker with content/,
  }, // junk after the dot
  {
    name: "B12 $? then ;-1",
    bytes: "$?\r\n;-1\r\n",
    message: /negative length/,
  }, // negative part
  { name: "B12 $? then ;x", bytes: "$?\r\n;x\r\n", message: /bad length/ }, // bad part length
  {
    name: "B12 $? then a simple string",
    bytes: "$?\r\n+a\r\n",
    message: /streamed string part expected/,
  }, // not a part
  {
    name: "B12 %? with an odd count",
    bytes: "%?\r\n+a\r\n:1\r\n+b\r\n.\r\n",
    message: /streamed map ended after a key/,
  }, // key without value

  // B13 push in a forbidden place
  {
    name: "B13 push inside an array",
    bytes: "*2\r\n:1\r\n>1\r\n+x\r\n",
    message: /push frame inside another value/,
  }, // pushes are top level only
  {
    name: "B13 push as a map key",
    bytes: "%1\r\n>0\r\n:1\r\n",
    message: /push frame inside another value/,
  }, // even an empty one

  // B16 valid reply then garbage in the same chunk
  {
    name: "B16 +OK then @@@",
    bytes: "+OK\r\n@@@\r\n",
    message: /unknown RESP type byte 0x40/,
    before: ["OK"],
  }, // first reply survives
  {
    name: "B16 bulk then *-2",
    bytes: "$5\r\nhello\r\n*-2\r\n",
    message: /bad length|negative length/,
    before: ["hello"],
  }, // garbage header
  {
    name: "B16 two replies then 0xFF",
    bytes: toBytes(":1\r\n:2\r\n", [0xff, 0xff], "\r\n"),
    message: /unknown RESP type byte 0xff/,
    before: [1, 2],
  }, // several before the error
];

// --- strict comparison -------------------------------------------------------

function show(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "number") {
    return Object.is(value, -0) ? "-0" : String(value);
  }
  if (typeof value === "string") {
    const text = JSON.stringify(
      value.length > 40 ? `${value.slice(0, 40)}…` : value,
    );
    return `${text} (length ${value.length})`;
  }
  if (value instanceof Uint8Array) {
    return `${value.constructor.name}(${value.length})`;
  }
  if (value instanceof ReplyError) {
    return `ReplyError(${JSON.stringify(value.message)})`;
  }
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (value instanceof Map) return `Map(${value.size})`;
  if (value instanceof Set) return `Set(${value.size})`;
  return String(value);
}

/**
 * The first difference between a decoded value and the expected one, or
 * `undefined` when they are equal. Types must match exactly: bigint vs number,
 * `-0` vs `0` and `NaN` by `Object.is`, `Uint8Array` vs string, Map/Set entry
 * order included.
 */
export function difference(
  actual: unknown,
  expected: unknown,
  path = "value",
): string | undefined {
  const mismatch = () =>
    `${path}: expected ${show(expected)}, got ${show(actual)}`;
  if (
    expected === null || typeof expected !== "object"
  ) {
    if (typeof actual !== typeof expected) return mismatch();
    return Object.is(actual, expected) ? undefined : mismatch();
  }
  if (expected instanceof Uint8Array) {
    if (!(actual instanceof Uint8Array) || actual.constructor !== Uint8Array) {
      return mismatch();
    }
    if (actual.length !== expected.length) return mismatch();
    for (let i = 0; i < expected.length; i++) {
      if (actual[i] !== expected[i]) {
        return `${path}[${i}]: expected byte ${expected[i]}, got ${actual[i]}`;
      }
    }
    return undefined;
  }
  if (expected instanceof ReplyError) {
    if (!(actual instanceof ReplyError)) return mismatch();
    if (actual.message !== expected.message || actual.code !== expected.code) {
      return mismatch();
    }
    if (actual.command !== undefined) {
      return `${path}.command: expected undefined, got ${actual.command}`;
    }
    return undefined;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return mismatch();
    }
    for (let i = 0; i < expected.length; i++) {
      const found = difference(actual[i], expected[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (expected instanceof Map) {
    if (!(actual instanceof Map) || actual.size !== expected.size) {
      return mismatch();
    }
    const a = [...actual.entries()];
    const e = [...expected.entries()];
    for (let i = 0; i < e.length; i++) {
      const found = difference(a[i]![0], e[i]![0], `${path}.key#${i}`) ??
        difference(a[i]![1], e[i]![1], `${path}.value#${i}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (expected instanceof Set) {
    if (!(actual instanceof Set) || actual.size !== expected.size) {
      return mismatch();
    }
    const a = [...actual];
    const e = [...expected];
    for (let i = 0; i < e.length; i++) {
      const found = difference(a[i], e[i], `${path}.member#${i}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return `${path}: unsupported expected value ${show(expected)}`;
}

/** The first difference between two sequences of top-level values. */
export function sequenceDifference(
  actual: readonly Expected[],
  expected: readonly Expected[],
): string | undefined {
  const n = Math.min(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    const found = difference(
      actual[i]!.value,
      expected[i]!.value,
      `reply #${i}`,
    );
    if (found !== undefined) return found;
    if ((actual[i]!.push ?? false) !== (expected[i]!.push ?? false)) {
      return `reply #${i}: expected lastWasPush ${
        expected[i]!.push ?? false
      }, got ${actual[i]!.push ?? false}`;
    }
  }
  if (actual.length !== expected.length) {
    return `expected ${expected.length} replies, got ${actual.length}`;
  }
  return undefined;
}

// --- PRNG and chunking shapes --------------------------------------------------

/** mulberry32: a small seeded PRNG returning uint32 values. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** {@linkcode mulberry32} scaled to a uniform number in [0, 1). */
export function uniform(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() / 4294967296;
}

/** A random integer in [0, n). */
export function below(random: () => number, n: number): number {
  return Math.floor((random() / 0x1_0000_0000) * n);
}

/** Cuts `bytes` into views at the given offsets. */
export function cut(
  bytes: Uint8Array<ArrayBuffer>,
  offsets: readonly number[],
): Uint8Array<ArrayBuffer>[] {
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let from = 0;
  for (const at of offsets) {
    if (at <= from || at >= bytes.length) continue;
    chunks.push(bytes.subarray(from, at));
    from = at;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

/** Fixed-size chunks of `size` bytes. */
export function chunksOf(
  bytes: Uint8Array<ArrayBuffer>,
  size: number,
): Uint8Array<ArrayBuffer>[] {
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  for (let i = 0; i < bytes.length; i += size) {
    chunks.push(bytes.subarray(i, i + size));
  }
  if (chunks.length === 0) chunks.push(bytes);
  return chunks;
}

/** Random chunks: each size in 1..max, max itself picked per fragmentation. */
export function randomChunks(
  bytes: Uint8Array<ArrayBuffer>,
  random: () => number,
): Uint8Array<ArrayBuffer>[] {
  const maxes = [1, 2, 3, 7, 16, 64, 1024, 4096, 65536];
  const max = maxes[below(random, maxes.length)]!;
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let from = 0;
  while (from < bytes.length) {
    const size = 1 + below(random, max);
    chunks.push(bytes.subarray(from, from + size));
    from += size;
  }
  if (chunks.length === 0) chunks.push(bytes);
  return chunks;
}

/**
 * `bytes` copied into the middle of a larger buffer filled with 0xFF, and the
 * view of it: a decoder reading outside the view sees 0xFF bytes.
 */
export function guarded(
  bytes: Uint8Array,
  guard = 16,
): Uint8Array<ArrayBuffer> {
  const outer = new Uint8Array(bytes.length + 2 * guard).fill(0xff);
  outer.set(bytes, guard);
  return outer.subarray(guard, guard + bytes.length);
}
