// RespDecoder conformance and malformed input (group
// B), each vector in every harness shape: whole,
// inside 0xFF guard bytes, every two-chunk split, one byte per chunk, and
// seeded random fragmentations. After every vector a trailing `+NEXT\r\n`
// must decode (go-redis desync check).

import assert from "node:assert/strict";
import { ProtocolError } from "../../lib/errors.ts";
import { RespDecoder } from "../../lib/resp/decoder.ts";
import type { RespDecoderOptions, RespValue } from "../../lib/resp/types.ts";
import {
  bulk,
  chunksOf,
  cut,
  type Expected,
  guarded,
  MALFORMED,
  type MalformedVector,
  mulberry32,
  randomChunks,
  sequenceDifference,
  toBytes,
  type Vector,
  VECTORS,
} from "./_vectors.ts";

/** Seed of the random fragmentations (printed with the figures). */
const SEED = 0x5eed_0a17;
/** Random fragmentations per vector (fewer for vectors over 64 KiB). */
const RANDOM_CHUNKINGS = 8;
const RANDOM_CHUNKINGS_LARGE = 3;
/** Vectors shorter than this are split at every offset. */
const SPLIT_EVERY_BELOW = 2048;
const NEXT = toBytes("+NEXT\r\n");

interface Shape {
  kind: "whole" | "guarded" | "split" | "bytewise" | "random";
  name: string;
  chunks: Uint8Array<ArrayBuffer>[];
}

/** Split offsets for a large vector: both ends byte by byte, the middle spread. */
function boundarySplits(length: number): number[] {
  const at = new Set<number>();
  for (let i = 1; i <= 16 && i < length; i++) {
    at.add(i);
    at.add(length - i);
  }
  for (let k = 1; k < 16; k++) at.add(Math.floor((length * k) / 16));
  return [...at].filter((i) => i > 0 && i < length).sort((a, b) => a - b);
}

function* shapes(
  bytes: Uint8Array<ArrayBuffer>,
  random: () => number,
): Generator<Shape> {
  yield { kind: "whole", name: "whole", chunks: [bytes.slice()] };
  yield {
    kind: "guarded",
    name: "inside 0xFF guard bytes",
    chunks: [guarded(bytes)],
  };
  const copy = bytes.slice();
  const splits = bytes.length < SPLIT_EVERY_BELOW
    ? Array.from({ length: Math.max(0, bytes.length - 1) }, (_, i) => i + 1)
    : boundarySplits(bytes.length);
  for (const at of splits) {
    yield { kind: "split", name: `split at ${at}`, chunks: cut(copy, [at]) };
  }
  yield {
    kind: "bytewise",
    name: "one byte per chunk",
    chunks: chunksOf(copy, 1),
  };
  const count = bytes.length > 65536
    ? RANDOM_CHUNKINGS_LARGE
    : RANDOM_CHUNKINGS;
  for (let r = 0; r < count; r++) {
    const chunks = randomChunks(copy, random);
    yield {
      kind: "random",
      name: `random fragmentation #${r} (${chunks.length} chunks)`,
      chunks,
    };
  }
}

function optionsOf(
  row: { binary?: boolean; options?: RespDecoderOptions },
): RespDecoderOptions {
  return { ...row.options, ...(row.binary ? { binary: true } : {}) };
}

/** Decodes one shape of a valid vector; returns the first problem, if any. */
function decodeShape(vector: Vector, shape: Shape): string | undefined {
  const decoder = new RespDecoder(optionsOf(vector));
  const values: Expected[] = [];
  let received = 0;
  try {
    for (const chunk of shape.chunks) {
      decoder.feed(chunk);
      received += chunk.length;
      for (;;) {
        const value = decoder.next();
        if (value === undefined) break;
        values.push(decoder.lastWasPush ? { value, push: true } : { value });
      }
      if (decoder.bufferedBytes > received) {
        return `bufferedBytes ${decoder.bufferedBytes} > ${received} bytes received`;
      }
    }
  } catch (error) {
    return `threw ${String(error)} after ${values.length} replies`;
  }
  const expected: Expected[] = [
    vector.push
      ? { value: vector.expected, push: true }
      : { value: vector.expected },
    ...(vector.rest ?? []),
  ];
  const found = sequenceDifference(values, expected);
  if (found !== undefined) return found;
  if (decoder.inFrame || decoder.bufferedBytes !== 0) {
    return `after the last reply: inFrame ${decoder.inFrame}, bufferedBytes ${decoder.bufferedBytes}`;
  }
  // go-redis desync check: the next reply still decodes.
  decoder.feed(NEXT.slice());
  let next: RespValue | undefined;
  try {
    next = decoder.next();
  } catch (error) {
    return `+NEXT threw ${String(error)}`;
  }
  if (next !== "NEXT") return `+NEXT decoded as ${String(next)}`;
  if (decoder.lastWasPush) return "+NEXT flagged as a push";
  if (decoder.inFrame || decoder.bufferedBytes !== 0) {
    return "bytes left after +NEXT";
  }
  return undefined;
}

const conformance = {
  vectors: 0,
  decodes: 0,
  mismatches: 0,
  fixed: 0,
  random: 0,
};

Deno.test("RespDecoder decodes every valid vector in every chunking", async (t) => {
  const random = mulberry32(SEED);
  for (const vector of VECTORS) {
    await t.step(vector.name, () => {
      const bytes = toBytes(vector.bytes);
      const failures: string[] = [];
      for (const shape of shapes(bytes, random)) {
        conformance.decodes++;
        if (shape.kind === "random") conformance.random++;
        else conformance.fixed++;
        const problem = decodeShape(vector, shape);
        if (problem !== undefined) {
          conformance.mismatches++;
          failures.push(`${shape.name}: ${problem}`);
        }
      }
      conformance.vectors++;
      assert.deepEqual(
        failures.slice(0, 5),
        [],
        `${failures.length} shapes failed`,
      );
    });
  }
  // deno-lint-ignore no-console
  console.log(
    `Conformance: ${conformance.vectors} RESP2/RESP3 vectors × 4 fixed chunkings ` +
      `(whole, 0xFF-guarded, every two-chunk split, one byte per chunk) + ` +
      `up to ${RANDOM_CHUNKINGS} random chunkings (seed 0x${
        SEED.toString(16)
      }) = ` +
      `${conformance.decodes} decodes (${conformance.fixed} fixed, ${conformance.random} random), ` +
      `${conformance.mismatches} mismatches`,
  );
});

// --- malformed input ------------------------------------------------------------

type Verdict = "rejected" | "accepted" | "other";

/** Feeds one shape of a malformed vector; returns the verdict and the first problem. */
function rejectShape(
  vector: MalformedVector,
  shape: Shape,
): { verdict: Verdict; problem?: string } {
  const decoder = new RespDecoder(optionsOf(vector));
  const values: RespValue[] = [];
  let error: unknown = undefined;
  const drain = () => {
    for (;;) {
      const value = decoder.next();
      if (value === undefined) return;
      values.push(value);
    }
  };
  for (const chunk of shape.chunks) {
    decoder.feed(chunk); // feeding after the error must be harmless
    if (error !== undefined) continue;
    try {
      drain();
    } catch (caught) {
      error = caught;
    }
  }
  if (error === undefined) {
    return {
      verdict: "accepted",
      problem:
        `no error: ${values.length} replies, inFrame ${decoder.inFrame}, ` +
        `bufferedBytes ${decoder.bufferedBytes}`,
    };
  }
  if (!(error instanceof ProtocolError)) {
    return {
      verdict: "other",
      problem: `threw ${String(error)}, not a ProtocolError`,
    };
  }
  if (!vector.message.test(error.message)) {
    return {
      verdict: "rejected",
      problem: `message ${
        JSON.stringify(error.message)
      } does not match ${vector.message}`,
    };
  }
  const before = sequenceDifference(
    values.map((value) => ({ value })),
    (vector.before ?? []).map((value) => ({ value })),
  );
  if (before !== undefined) {
    return { verdict: "rejected", problem: `before the error: ${before}` };
  }
  // Sticky: every later call throws the very same error, even after more bytes.
  for (let i = 0; i < 3; i++) {
    if (i === 2) decoder.feed(NEXT.slice());
    try {
      decoder.next();
      return {
        verdict: "rejected",
        problem: `next() #${i + 2} after the error returned normally`,
      };
    } catch (again) {
      if (again !== error) {
        return {
          verdict: "rejected",
          problem: `next() #${i + 2} threw a different error: ${String(again)}`,
        };
      }
    }
  }
  return { verdict: "rejected" };
}

const malformed = {
  cases: 0,
  decodes: 0,
  rejected: 0,
  accepted: 0,
  other: 0,
  problems: 0,
};

Deno.test("RespDecoder rejects every malformed vector with a sticky ProtocolError", async (t) => {
  const random = mulberry32(SEED ^ 0xb);
  for (const vector of MALFORMED) {
    await t.step(vector.name, () => {
      const bytes = toBytes(vector.bytes);
      const failures: string[] = [];
      for (const shape of shapes(bytes, random)) {
        malformed.decodes++;
        const { verdict, problem } = rejectShape(vector, shape);
        malformed[verdict]++;
        if (problem !== undefined) {
          if (verdict === "rejected") malformed.problems++;
          failures.push(`${shape.name}: ${problem}`);
        }
      }
      malformed.cases++;
      assert.deepEqual(
        failures.slice(0, 5),
        [],
        `${failures.length} shapes failed`,
      );
    });
  }
  const percent = ((100 * malformed.rejected) / malformed.decodes).toFixed(2);
  // deno-lint-ignore no-console
  console.log(
    `Malformed input: ${malformed.cases} malformed cases (section B) × their chunkings = ` +
      `${malformed.decodes} decodes, ${percent}% rejected as ProtocolError, ` +
      `${malformed.other} other exceptions, ${malformed.accepted} accepted, ` +
      `${malformed.problems} rejected with a wrong message, prefix or non-sticky error`,
  );
});

// --- single behaviours ------------------------------------------------------------

function feedText(decoder: RespDecoder, text: string): void {
  decoder.feed(toBytes(text));
}

Deno.test("RespDecoder completes +OK when its LF arrives in the next feed", () => {
  const decoder = new RespDecoder();
  feedText(decoder, "+OK\r");
  assert.equal(decoder.next(), undefined);
  assert.equal(decoder.inFrame, true);
  feedText(decoder, "\n");
  assert.equal(decoder.next(), "OK");
  assert.equal(decoder.inFrame, false);
  assert.equal(decoder.bufferedBytes, 0);
});

Deno.test("RespDecoder flags push frames and clears the flag on the next reply", () => {
  const decoder = new RespDecoder();
  feedText(decoder, ">2\r\n+message\r\n+hi\r\n:1\r\n");
  assert.deepEqual(decoder.next(), ["message", "hi"]);
  assert.equal(decoder.lastWasPush, true);
  assert.equal(decoder.next(), 1);
  assert.equal(decoder.lastWasPush, false);
});

Deno.test("RespDecoder reports inFrame while a top-level attribute waits for its value", () => {
  // The attribute annotates the next reply: until that arrives a frame is
  // open (RespDecoderStream's flush and the connection rely on inFrame).
  for (const text of ["|1\r\n+ttl\r\n:3600\r\n", "|0\r\n"]) {
    const decoder = new RespDecoder();
    feedText(decoder, text);
    assert.equal(decoder.next(), undefined);
    assert.equal(
      decoder.inFrame,
      true,
      `inFrame after ${JSON.stringify(text)}`,
    );
    feedText(decoder, "+OK\r\n");
    assert.equal(decoder.next(), "OK");
    assert.equal(decoder.inFrame, false);
  }
});

Deno.test("RespDecoder decodes :-0 as the integer 0, not -0", () => {
  // An integer has no negative zero; -0 leaks a double artefact (Object.is,
  // 1 / x, String(-0) === "0" while the wire said "-0").
  const decoder = new RespDecoder();
  feedText(decoder, ":-0\r\n");
  const value = decoder.next();
  assert.ok(
    Object.is(value, 0),
    `expected 0, got ${Object.is(value, -0) ? "-0" : String(value)}`,
  );
});

Deno.test("RespDecoder rejects an unknown type byte without waiting for a line end", async (t) => {
  // hiredis checks the type byte first; sleeve waits for CRLF (or for
  // maxLineLength bytes), so a desynchronised stream is detected only later.
  const cases: [string, Uint8Array<ArrayBuffer>, RespValue[]][] = [
    ["@", toBytes("@"), []],
    ["NUL", toBytes([0]), []],
    ["bare LF", toBytes("\n"), []],
    ["+OK then @@@", toBytes("+OK\r\n@@@"), ["OK"]],
  ];
  for (const [name, bytes, before] of cases) {
    await t.step(name, () => {
      const decoder = new RespDecoder();
      decoder.feed(bytes);
      const values: RespValue[] = [];
      const error = (() => {
        try {
          for (;;) {
            const value = decoder.next();
            if (value === undefined) return undefined;
            values.push(value);
          }
        } catch (error) {
          return error;
        }
      })();
      assert.deepEqual(values, before);
      assert.ok(
        error instanceof ProtocolError,
        `expected a ProtocolError once the type byte arrived; next() returned undefined ` +
          `(inFrame ${decoder.inFrame}, bufferedBytes ${decoder.bufferedBytes})`,
      );
      assert.match(error.message, /unknown RESP type byte/);
    });
  }
});

Deno.test("RespDecoder keeps bufferedBytes at the bytes received for a trickled huge bulk", () => {
  const decoder = new RespDecoder();
  const externalBefore = Deno.memoryUsage().external;
  feedText(decoder, "$536870000\r\n");
  assert.equal(decoder.next(), undefined);
  const piece = new Uint8Array(1024).fill(0x61);
  let received = 0;
  let worst = 0;
  for (let i = 0; i < 1024; i++) {
    decoder.feed(piece.slice());
    received += piece.length;
    assert.equal(decoder.next(), undefined);
    worst = Math.max(worst, decoder.bufferedBytes - received);
    assert.ok(
      decoder.bufferedBytes <= received + 16,
      `bufferedBytes ${decoder.bufferedBytes} after ${received} bytes`,
    );
    assert.ok(
      decoder.bufferedBytes >= received - 16,
      `bufferedBytes ${decoder.bufferedBytes} after ${received} bytes`,
    );
  }
  const externalGrowth = Deno.memoryUsage().external - externalBefore;
  assert.ok(decoder.inFrame);
  // Nothing near the declared 512 MiB was set aside.
  assert.ok(
    externalGrowth < 64 * 1024 * 1024,
    `external memory grew by ${externalGrowth} bytes`,
  );
  assert.ok(
    worst <= 0,
    `bufferedBytes exceeded the bytes received by ${worst}`,
  );
});

Deno.test("RespDecoder keeps bufferedBytes small for a trickled huge array", () => {
  const decoder = new RespDecoder();
  feedText(decoder, "*100000000\r\n");
  assert.equal(decoder.next(), undefined);
  for (let i = 0; i < 10_000; i++) {
    feedText(decoder, ":1\r\n");
    assert.equal(decoder.next(), undefined);
    assert.ok(
      decoder.bufferedBytes <= 4,
      `bufferedBytes ${decoder.bufferedBytes}`,
    );
  }
  assert.equal(decoder.inFrame, true);
});

Deno.test("RespDecoder rejects 1,000,000 nested levels fed in slices without a stack overflow", () => {
  const decoder = new RespDecoder();
  const level = toBytes("*1\r\n");
  const slice = new Uint8Array(64 * 1024);
  for (let i = 0; i < slice.length; i += level.length) slice.set(level, i);
  let error: unknown = undefined;
  let fed = 0;
  while (fed < 1_000_000 * level.length && error === undefined) {
    decoder.feed(slice.slice());
    fed += slice.length;
    try {
      assert.equal(decoder.next(), undefined);
    } catch (caught) {
      error = caught;
    }
  }
  assert.ok(
    error instanceof ProtocolError,
    `expected a ProtocolError, got ${String(error)}`,
  );
  assert.match(error.message, /maxDepth 1024/);
  assert.ok(fed <= 2 * slice.length, `error only after ${fed} bytes`);
});

Deno.test("RespDecoder rejects a bulk over maxBulkLength on its header alone", () => {
  const decoder = new RespDecoder({ maxBulkLength: 1024 * 1024 });
  feedText(decoder, "$1048577\r\n");
  assert.throws(() => decoder.next(), (error: unknown) => {
    assert.ok(error instanceof ProtocolError);
    assert.match(
      error.message,
      /bulk length 1048577 exceeds maxBulkLength 1048576/,
    );
    return true;
  });
  // The same length is fine at the limit.
  const atLimit = new RespDecoder({ maxBulkLength: 1024 * 1024 });
  feedText(atLimit, "$1048576\r\n");
  assert.equal(atLimit.next(), undefined);
  assert.equal(atLimit.inFrame, true);
});

/**
 * Feeds a frame in small chunks and records the largest excess of buffered
 * bytes over bytes received. Time is measured by bench/resp_bench.ts, not
 * here (no timed tests); what a test can pin is that memory follows the bytes
 * that arrived and the value comes out whole.
 */
function trickle(
  header: string,
  payload: number,
  chunkSize: number,
  trailer: string,
): { value: RespValue | undefined; maxOverhead: number } {
  const decoder = new RespDecoder();
  const chunk = new Uint8Array(chunkSize).fill(0x61);
  feedText(decoder, header);
  let value = decoder.next();
  let received = 0;
  let maxOverhead = 0;
  for (let sent = 0; sent < payload; sent += chunkSize) {
    const piece = chunk.slice(0, Math.min(chunkSize, payload - sent));
    decoder.feed(piece);
    received += piece.length;
    value = decoder.next();
    maxOverhead = Math.max(maxOverhead, decoder.bufferedBytes - received);
  }
  feedText(decoder, trailer);
  value = decoder.next();
  return { value, maxOverhead };
}

Deno.test("RespDecoder buffers a trickled frame in proportion to the bytes received", async (t) => {
  // A17/B6/B8: a frame that arrives in many small pieces is assembled whole,
  // and what the decoder holds never runs ahead of what arrived.
  const cases: [string, string, number, number, string][] = [
    // [name, header, payload bytes, chunk size, trailer]
    [
      "bulk of 32 MiB in 16 KiB chunks",
      "$33554432\r\n",
      32 * 1024 * 1024,
      16 * 1024,
      "\r\n",
    ],
    [
      "simple string of 512 KiB in 128-byte chunks",
      "+",
      512 * 1024,
      128,
      "\r\n",
    ],
    [
      "streamed string part of 32 MiB in 16 KiB chunks",
      "$?\r\n;33554432\r\n",
      32 * 1024 * 1024,
      16 * 1024,
      "\r\n;0\r\n",
    ],
  ];
  for (const [name, header, payload, chunkSize, trailer] of cases) {
    await t.step(name, () => {
      const run = trickle(header, payload, chunkSize, trailer);
      assert.equal(typeof run.value === "string" && run.value.length, payload);
      assert.ok(
        run.maxOverhead <= header.length,
        `buffered ${run.maxOverhead} bytes more than received`,
      );
    });
  }
});

Deno.test("RespDecoder decodes push frames as text in binary mode, and the reply after as bytes", () => {
  const decoder = new RespDecoder({ binary: true });
  decoder.feed(
    new TextEncoder().encode(
      ">2\r\n$10\r\ninvalidate\r\n*1\r\n$3\r\nkey\r\n$?\r\n;1\r\nv\r\n;0\r\n>1\r\n=7\r\ntxt:abc\r\n$1\r\nw\r\n",
    ),
  );
  assert.deepEqual(decoder.next(), ["invalidate", ["key"]]);
  assert.equal(decoder.lastWasPush, true);
  assert.deepEqual(decoder.next(), new Uint8Array([0x76]));
  assert.deepEqual(decoder.next(), ["abc"]);
  assert.deepEqual(decoder.next(), new Uint8Array([0x77]));
});

Deno.test("RespDecoder decodes push frames as bytes with pushBinary, whatever binary says, and large ones in place", () => {
  const encoder = new TextEncoder();
  const decoder = new RespDecoder({ pushBinary: true });
  decoder.feed(
    encoder.encode(
      ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$?\r\n;2\r\n\xff\r\n;0\r\n>2\r\n=7\r\ntxt:abc\r\n+OK\r\n$1\r\nw\r\n",
    ),
  );
  assert.deepEqual(decoder.next(), [
    encoder.encode("message"),
    encoder.encode("ch"),
    encoder.encode("\xff"),
  ]);
  assert.equal(decoder.lastWasPush, true);
  // Simple strings stay text; outside pushes `binary` (false) applies.
  assert.deepEqual(decoder.next(), [encoder.encode("abc"), "OK"]);
  assert.deepEqual(decoder.next(), "w");
  // A large bulk of a push is assembled in a buffer of its own, which
  // becomes the value.
  const payload = new Uint8Array(200_000).fill(7);
  const head = encoder.encode(">2\r\n$7\r\nmessage\r\n$200000\r\n");
  decoder.feed(head);
  assert.equal(decoder.next(), undefined);
  const target = decoder.bulkTarget();
  assert.ok(target !== undefined);
  target.set(payload.subarray(0, target.length));
  decoder.feed(target);
  decoder.feed(encoder.encode("\r\n"));
  const [kind, value] = decoder.next() as [Uint8Array, Uint8Array];
  assert.deepEqual(kind, encoder.encode("message"));
  assert.deepEqual(value, payload);
  assert.equal(value.buffer, target.buffer);
});

/**
 * Plays a socket: `stream` is delivered in reads of at most `readSize`
 * bytes, the first one cut at `firstCut`. Each read goes where a connection
 * reads: into the decoder's bulkTarget() when it offers one, else into a
 * reused read buffer (a fresh one while the decoder holds the last). Returns
 * the values and the buffers bulkTarget() handed out.
 */
function readInPlace(
  decoder: RespDecoder,
  stream: Uint8Array<ArrayBuffer>,
  firstCut: number,
  readSize: number,
): { values: RespValue[]; targets: Set<ArrayBufferLike>; maxOverhead: number } {
  const values: RespValue[] = [];
  const targets = new Set<ArrayBufferLike>();
  let buffer = new Uint8Array(readSize);
  let at = 0;
  let maxOverhead = 0;
  while (at < stream.length) {
    const target = decoder.bulkTarget();
    if (target !== undefined) {
      assert.ok(
        target.length <= decoder.missingBulkBytes - 2,
        `bulkTarget ${target.length} bytes, ${decoder.missingBulkBytes} missing`,
      );
      targets.add(target.buffer);
    }
    const into = target ?? buffer;
    const limit = at === 0 ? firstCut : readSize;
    const n = Math.min(into.length, limit, stream.length - at);
    into.set(stream.subarray(at, at + n));
    at += n;
    decoder.feed(into.subarray(0, n));
    for (;;) {
      const value = decoder.next();
      if (value === undefined) break;
      values.push(value);
    }
    maxOverhead = Math.max(maxOverhead, decoder.bufferedBytes - at);
    if (target === undefined && decoder.holdsInput) {
      buffer = new Uint8Array(readSize);
    }
  }
  return { values, targets, maxOverhead };
}

/** Byte equality without a callback per byte (the test compares 30,000 values). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  const words = a.length >> 2;
  if ((a.byteOffset & 3) === 0 && (b.byteOffset & 3) === 0) {
    const wa = new Uint32Array(a.buffer, a.byteOffset, words);
    const wb = new Uint32Array(b.buffer, b.byteOffset, words);
    for (let i = 0; i < words; i++) if (wa[i] !== wb[i]) return false;
  } else {
    for (let i = 0; i < words * 4; i++) if (a[i] !== b[i]) return false;
  }
  for (let i = words * 4; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

Deno.test("RespDecoder assembles a large bulk read in place (bulkTarget) with the first read cut at every offset", () => {
  // 64 KiB is the smallest bulk assembled in a buffer of its own.
  const payload = new Uint8Array(64 * 1024);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 7 + 3) & 0x7f;
  const text = new TextDecoder().decode(payload);
  const stream = toBytes("+A\r\n", bulk(payload), "+NEXT\r\n");
  let inPlace = 0;
  for (let cut = 1; cut < stream.length; cut++) {
    const binary = cut % 2 === 0;
    const decoder = new RespDecoder({ binary });
    const run = readInPlace(decoder, stream, cut, 16 * 1024);
    assert.equal(run.values.length, 3, `cut at ${cut}`);
    assert.equal(run.values[0], "A");
    assert.equal(run.values[2], "NEXT");
    const value = run.values[1];
    if (binary) {
      assert.ok(value instanceof Uint8Array, `cut at ${cut}`);
      assert.equal(value.length, payload.length);
      assert.equal(value.buffer.byteLength, payload.length);
      assert.ok(sameBytes(value, payload), `cut at ${cut}: bytes differ`);
      // The value is the very buffer the reads went into.
      if (run.targets.size > 0) {
        assert.ok(run.targets.has(value.buffer), `cut at ${cut}`);
        inPlace++;
      }
    } else {
      assert.equal(value, text, `cut at ${cut}`);
    }
    assert.ok(run.maxOverhead <= 0, `cut at ${cut}: ${run.maxOverhead}`);
    assert.equal(decoder.inFrame, false);
    assert.equal(decoder.bufferedBytes, 0);
    assert.equal(decoder.bulkTarget(), undefined);
  }
  // Every cut that left payload bytes for a later read was read in place.
  assert.ok(inPlace > 30_000, `${inPlace} binary values read in place`);
});

Deno.test("RespDecoder assembles a large bulk from reads of any size, never setting aside more than 1 MiB or twice what arrived", async (t) => {
  const MIB = 1024 * 1024;
  for (
    const [name, length, readSize] of [
      ["3 MiB in 256 KiB reads", 3 * MIB + 17, 256 * 1024],
      ["1 MiB in 4 KiB reads", MIB, 4096],
      ["5 MiB in 1 MiB reads", 5 * MIB, MIB],
    ] as const
  ) {
    await t.step(name, () => {
      const payload = new Uint8Array(length);
      for (let i = 0; i < length; i += 4096) payload[i] = (i >> 12) & 0xff;
      const stream = toBytes(bulk(payload), ":1\r\n");
      const decoder = new RespDecoder({ binary: true });
      const values: RespValue[] = [];
      let buffer = new Uint8Array(readSize);
      let at = 0;
      while (at < stream.length) {
        const target = decoder.bulkTarget();
        if (target !== undefined) {
          // Set aside: what was received, doubled, or the first 1 MiB.
          const capacity = target.byteOffset + target.length;
          assert.ok(
            capacity <= Math.max(MIB, 2 * decoder.bufferedBytes),
            `capacity ${capacity} after ${decoder.bufferedBytes} bytes`,
          );
        }
        const into = target ?? buffer;
        const n = Math.min(into.length, readSize, stream.length - at);
        into.set(stream.subarray(at, at + n));
        at += n;
        decoder.feed(into.subarray(0, n));
        for (let v = decoder.next(); v !== undefined; v = decoder.next()) {
          values.push(v);
        }
        if (target === undefined && decoder.holdsInput) {
          buffer = new Uint8Array(readSize);
        }
      }
      assert.equal(values.length, 2);
      assert.deepEqual(values[0], payload);
      assert.equal(values[1], 1);
    });
  }
});

Deno.test("RespDecoder copies a large bulk fed in ordinary chunks and still offers bulkTarget for the rest", () => {
  const text = "é".repeat(50_000); // 100,000 bytes of 2-byte UTF-8
  const bytes = bulk(text);
  const payload = new TextEncoder().encode(text);
  const decoder = new RespDecoder({ binary: true });
  // Ordinary chunks that split a character, then the rest read in place.
  decoder.feed(bytes.slice(0, 40_001));
  assert.equal(decoder.next(), undefined);
  decoder.feed(bytes.slice(40_001, 70_000));
  assert.equal(decoder.next(), undefined);
  const target = decoder.bulkTarget()!;
  assert.equal(target.length, bytes.length - 70_000 - 2);
  assert.equal(decoder.missingBulkBytes, bytes.length - 70_000);
  target.set(bytes.subarray(70_000, 80_000));
  decoder.feed(target.subarray(0, 10_000));
  assert.equal(decoder.next(), undefined);
  decoder.feed(bytes.slice(80_000, bytes.length - 1));
  assert.equal(decoder.bulkTarget(), undefined);
  assert.equal(decoder.missingBulkBytes, 1);
  assert.equal(decoder.next(), undefined);
  decoder.feed(toBytes("\n+NEXT\r\n"));
  assert.ok(sameBytes(decoder.next() as Uint8Array, payload));
  assert.equal(decoder.next(), "NEXT");
  assert.equal(decoder.inFrame, false);
});

Deno.test("RespDecoder offers no bulkTarget for text, and reuses one buffer for large text bulks", () => {
  const a = "a".repeat(100_000);
  const b = "é".repeat(200_000); // 400,000 bytes
  const decoder = new RespDecoder();
  for (const text of [a, b, a, b]) {
    const bytes = bulk(text);
    decoder.feed(bytes.slice(0, 10_000));
    assert.equal(decoder.next(), undefined);
    assert.equal(decoder.bulkTarget(), undefined);
    assert.ok(decoder.missingBulkBytes > 0);
    // Ordinary reads, each cut inside a character now and then.
    for (let at = 10_000; at < bytes.length; at += 65_537) {
      decoder.feed(bytes.slice(at, at + 65_537));
    }
    assert.equal(decoder.next(), text);
  }
  // A binary bulk never shares that buffer: it is the value.
  decoder.binary = true;
  const payload = new Uint8Array(100_000).fill(7);
  decoder.feed(bulk(payload));
  const value = decoder.next() as Uint8Array;
  decoder.binary = false;
  decoder.feed(bulk(a));
  assert.equal(decoder.next(), a);
  assert.ok(value.every((byte) => byte === 7), "a binary value was reused");
});

Deno.test("RespDecoder rejects a large bulk read in place whose CRLF is wrong, and stays failed", () => {
  const decoder = new RespDecoder({ binary: true });
  feedText(decoder, "$70000\r\n");
  assert.equal(decoder.next(), undefined);
  const target = decoder.bulkTarget()!;
  assert.equal(target.length, 70_000);
  decoder.feed(target);
  assert.equal(decoder.next(), undefined);
  feedText(decoder, "\rX");
  assert.throws(() => decoder.next(), /not followed by CRLF/);
  assert.equal(decoder.bulkTarget(), undefined);
  assert.throws(() => decoder.next(), /not followed by CRLF/);
});

Deno.test("RespDecoder joins a bulk over 1 MiB from views of its chunks, as text or bytes, and checks its CRLF", async (t) => {
  const MIB = 1024 * 1024;
  const text = "é".repeat(MIB); // 2 MiB of UTF-8, two bytes per character
  const payload = new TextEncoder().encode(text);
  for (const binary of [false, true]) {
    for (const size of [1, 4096, 65_536, 300_000]) {
      await t.step(
        `${binary ? "bytes" : "text"} in ${size}-byte chunks`,
        () => {
          const stream = toBytes(bulk(payload), "+next\r\n");
          const decoder = new RespDecoder({ binary });
          const values: RespValue[] = [];
          for (let at = 0; at < stream.length; at += size) {
            // A fresh chunk each time, as a caller must give while holdsInput.
            decoder.feed(stream.slice(at, at + size));
            for (let v = decoder.next(); v !== undefined; v = decoder.next()) {
              values.push(v);
            }
            assert.ok(decoder.bufferedBytes <= at + size);
          }
          assert.equal(values.length, 2);
          if (binary) assert.deepEqual(values[0], payload);
          else assert.equal(values[0], text);
          assert.equal(values[1], "next");
        },
      );
    }
  }
  await t.step("a wrong CRLF after the payload", () => {
    const decoder = new RespDecoder();
    const header = new TextEncoder().encode(`$${payload.length}\r\n`);
    decoder.feed(header);
    for (let at = 0; at < payload.length; at += 65_536) {
      decoder.feed(payload.slice(at, at + 65_536));
      assert.equal(decoder.next(), undefined);
    }
    decoder.feed(new TextEncoder().encode("XY+next\r\n"));
    assert.throws(() => decoder.next(), ProtocolError);
    assert.throws(() => decoder.next(), ProtocolError);
  });
});

Deno.test("RespDecoder keeps a leading U+FEFF in text: it is a character, not a byte-order mark", () => {
  const MIB = 1024 * 1024;
  const texts = [
    "\uFEFF",
    "\uFEFFx",
    "\uFEFF" + "y".repeat(300),
    "\uFEFF" + "é".repeat(MIB),
  ];
  for (const text of texts) {
    const payload = new TextEncoder().encode(text);
    for (const size of [7, 65_536, payload.length + 16]) {
      const stream = toBytes(bulk(payload), "+\uFEFFok\r\n");
      const decoder = new RespDecoder();
      const values: RespValue[] = [];
      for (let at = 0; at < stream.length; at += size) {
        decoder.feed(stream.slice(at, at + size));
        for (let v = decoder.next(); v !== undefined; v = decoder.next()) {
          values.push(v);
        }
      }
      assert.equal(values.length, 2);
      assert.equal(values[0], text, `${text.length} characters`);
      assert.equal(values[1], "\uFEFFok");
    }
  }
});
