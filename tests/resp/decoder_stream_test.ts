// RespDecoderStream: values out of piped bytes in any chunking, push frames
// to onPush, and ProtocolError for malformed or truncated streams.

import assert from "node:assert/strict";
import { ProtocolError, ReplyError } from "../../lib/errors.ts";
import {
  RespDecoderStream,
  type RespDecoderStreamOptions,
} from "../../lib/resp/decoder_stream.ts";
import type { RespValue } from "../../lib/resp/types.ts";
import { chunksOf, difference, toBytes } from "./_vectors.ts";

const REPLIES =
  "+OK\r\n:42\r\n$5\r\nhello\r\n*2\r\n$1\r\na\r\n_\r\n%1\r\n+k\r\n,1.5\r\n" +
  "-ERR boom\r\n$?\r\n;2\r\nst\r\n;0\r\n|1\r\n+ttl\r\n:9\r\n#t\r\n";
const VALUES: RespValue[] = [
  "OK",
  42,
  "hello",
  ["a", null],
  new Map<RespValue, RespValue>([["k", 1.5]]),
  new ReplyError("ERR boom"),
  "st",
  true,
];

function pipe(
  chunks: Uint8Array<ArrayBuffer>[],
  options?: RespDecoderStreamOptions,
): ReadableStream<RespValue> {
  return ReadableStream.from(chunks).pipeThrough(
    new RespDecoderStream(options),
  );
}

/** Reads until the stream ends or errors. */
async function readAll(
  stream: ReadableStream<RespValue>,
): Promise<{ values: RespValue[]; error: unknown }> {
  const values: RespValue[] = [];
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { values, error: undefined };
      values.push(value);
    }
  } catch (error) {
    return { values, error };
  } finally {
    reader.releaseLock();
  }
}

Deno.test("RespDecoderStream decodes piped bytes in any chunking", async (t) => {
  const bytes = toBytes(REPLIES);
  for (const size of [bytes.length, 1, 2, 3, 7, 16]) {
    await t.step(`${size}-byte chunks`, async () => {
      const { values, error } = await readAll(
        pipe(chunksOf(bytes.slice(), size)),
      );
      assert.equal(error, undefined);
      assert.equal(difference(values, VALUES), undefined);
    });
  }
});

Deno.test("RespDecoderStream returns bulk strings as bytes in binary mode", async () => {
  const { values, error } = await readAll(
    pipe([toBytes("$3\r\n", [0, 0xff, 0x0a], "\r\n+s\r\n")], { binary: true }),
  );
  assert.equal(error, undefined);
  assert.equal(
    difference(values, [Uint8Array.of(0, 0xff, 0x0a), "s"]),
    undefined,
  );
});

Deno.test("RespDecoderStream sends push frames to onPush and replies to the readable side", async () => {
  const pushes: RespValue[][] = [];
  const bytes = toBytes(
    ">3\r\n+message\r\n+ch\r\n+hi\r\n+OK\r\n:1\r\n>2\r\n$10\r\ninvalidate\r\n_\r\n:2\r\n",
  );
  const { values, error } = await readAll(
    pipe(chunksOf(bytes.slice(), 5), { onPush: (push) => pushes.push(push) }),
  );
  assert.equal(error, undefined);
  assert.deepEqual(values, ["OK", 1, 2]);
  assert.deepEqual(pushes, [["message", "ch", "hi"], ["invalidate", null]]);
});

Deno.test("RespDecoderStream emits push frames as arrays without onPush", async () => {
  const { values, error } = await readAll(
    pipe([toBytes(">1\r\n+p\r\n+OK\r\n")]),
  );
  assert.equal(error, undefined);
  assert.deepEqual(values, [["p"], "OK"]);
});

Deno.test("RespDecoderStream errors with ProtocolError when the stream ends inside a frame", async (t) => {
  const cases: [string, string | Uint8Array, RespValue[]][] = [
    ["inside a line", "+OK\r\n+PAR", ["OK"]],
    ["between CR and LF", "+OK\r", []],
    ["inside an array", "*2\r\n:1\r\n", []],
    ["inside a bulk", "$5\r\nhel", []],
    ["inside a large bulk", toBytes("$100000\r\n", "x".repeat(70_000)), []],
    ["inside a streamed string", "$?\r\n;2\r\nab\r\n", []],
    ["inside a streamed array", "*?\r\n:1\r\n", []],
    [
      "after an attribute inside an array (B13)",
      "*1\r\n|1\r\n+a\r\n:1\r\n",
      [],
    ],
    ["after a top-level attribute (B13)", ":7\r\n|1\r\n+a\r\n:1\r\n", [7]],
    ["after an empty top-level attribute", "|0\r\n", []],
  ];
  for (const [name, input, before] of cases) {
    await t.step(name, async () => {
      const { values, error } = await readAll(
        pipe(chunksOf(toBytes(input), 3)),
      );
      assert.deepEqual(values, before);
      assert.ok(
        error instanceof ProtocolError,
        `expected a ProtocolError, got ${String(error)}`,
      );
      assert.match(error.message, /ended inside a frame/);
    });
  }
});

Deno.test("RespDecoderStream errors with ProtocolError on malformed input", async (t) => {
  const cases: [string, string, RespValue[], RegExp][] = [
    [
      "unknown type byte",
      "+OK\r\n@oops\r\n+LATER\r\n",
      ["OK"],
      /unknown RESP type byte 0x40/,
    ],
    ["bad length", ":1\r\n$abc\r\n", [1], /bad length/],
    [
      "push inside an array",
      "*2\r\n:1\r\n>1\r\n+x\r\n",
      [],
      /push frame inside another value/,
    ],
    [
      "over maxBulkLength",
      "$9\r\n123456789\r\n",
      [],
      /exceeds maxBulkLength 8/,
    ],
  ];
  for (const [name, input, before, message] of cases) {
    await t.step(name, async () => {
      const { values, error } = await readAll(
        pipe(chunksOf(toBytes(input), 4), { maxBulkLength: 8 }),
      );
      assert.deepEqual(values, before);
      assert.ok(
        error instanceof ProtocolError,
        `expected a ProtocolError, got ${String(error)}`,
      );
      assert.match(error.message, message);
    });
  }
});
