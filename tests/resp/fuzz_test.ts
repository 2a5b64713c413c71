// Differential fuzzing of RespDecoder: seeded mutations
// of the vector corpus, fed with random fragmentation of 1..4096 bytes (the
// fragmentation picked by a selector byte, as in hiredis PR #1367), checked
// against the simple reference decoder in _reference_decoder.ts.
//
// SLEEVE_FUZZ_ITERATIONS=<n> sets the iteration count; <n>:<seed> also pins
// the seed (decimal or 0x hex) to replay a run.

import assert from "node:assert/strict";
import { ProtocolError } from "../../lib/errors.ts";
import { RespDecoder } from "../../lib/resp/decoder.ts";
import {
  DEFAULT_MAX_BULK_LENGTH,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_ELEMENTS,
  DEFAULT_MAX_LINE_LENGTH,
  type RespDecoderOptions,
  type RespValue,
} from "../../lib/resp/types.ts";
import {
  referenceDecode,
  type ReferenceOptions,
  type ReferenceResult,
} from "./_reference_decoder.ts";
import {
  below,
  chunksOf,
  type Expected,
  MALFORMED,
  mulberry32,
  sequenceDifference,
  toBytes,
  VECTORS,
} from "./_vectors.ts";

/** Sized so this file runs in well under 10 s on the 2-core machine. */
const DEFAULT_ITERATIONS = 40_000;
/** An input taking longer than this (all its chunkings together) is a hang. */
const HANG_MS = 1_000;
/** Inputs up to this size are also fed one byte per chunk. */
const BYTEWISE_UP_TO = 256;

// Limits low enough that resource errors show up as ProtocolErrors (hiredis
// caps maxelements at 1024 in its fuzzer); lines stay under maxLineLength.
const LIMITS = {
  maxBulkLength: 1024 * 1024,
  maxDepth: 32,
  maxElements: 1024,
  maxLineLength: 1024 * 1024,
};

function settings(): { iterations: number; seed: number } {
  const raw = Deno.env.get("SLEEVE_FUZZ_ITERATIONS");
  const random = crypto.getRandomValues(new Uint32Array(1))[0]!;
  if (raw === undefined || raw === "") {
    return { iterations: DEFAULT_ITERATIONS, seed: random };
  }
  const [count, seed] = raw.split(":");
  const iterations = Number(count);
  if (!Number.isSafeInteger(iterations) || iterations < 1) {
    throw new TypeError(
      `SLEEVE_FUZZ_ITERATIONS must be <n> or <n>:<seed>, got ${raw}`,
    );
  }
  return { iterations, seed: seed === undefined ? random : Number(seed) >>> 0 };
}

// --- corpus and mutations ---------------------------------------------------------

const SMALL: Uint8Array[] = [];
const LARGE: Uint8Array[] = [];
for (const row of [...VECTORS, ...MALFORMED]) {
  const bytes = toBytes(row.bytes);
  if (bytes.length <= 4096) SMALL.push(bytes);
  else if (bytes.length <= 96 * 1024) LARGE.push(bytes);
}

const INTERESTING_BYTES = toBytes("+-:$*_#,(!=%~|>;.?\r\n0123456789tf");
const INTERESTING_LENGTHS = [
  "-1",
  "-2",
  "0",
  "1",
  "2",
  "3",
  "00",
  "01",
  "+1",
  " 1",
  "",
  "?",
  "1023",
  "1024",
  "1025",
  "65535",
  "65536",
  "1048576",
  "1048577",
  "4294967296",
  "9007199254740993",
  "9223372036854775807",
  "18446744073709551616",
];
const HEADER = /(^|\n)([$*%~>|=!;])(-?[0-9]+|\?)\r/g;

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}

function fromLatin1(s: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[below(random, items.length)]!;
}

function corpusEntry(random: () => number): Uint8Array {
  return below(random, 50) === 0 && LARGE.length > 0
    ? pick(random, LARGE)
    : pick(random, SMALL);
}

function join(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function mutateOnce(input: Uint8Array, random: () => number): Uint8Array {
  const n = input.length;
  const at = below(random, n + 1);
  switch (below(random, 9)) {
    case 0: { // bit flip
      if (n === 0) return input;
      const out = input.slice();
      out[below(random, n)]! ^= 1 << below(random, 8);
      return out;
    }
    case 1: { // overwrite with an interesting byte
      if (n === 0) return input;
      const out = input.slice();
      out[below(random, n)] = pick(random, [...INTERESTING_BYTES]);
      return out;
    }
    case 2: { // insert 1..4 bytes
      const count = 1 + below(random, 4);
      const inserted = Uint8Array.from(
        { length: count },
        () =>
          below(random, 2) === 0
            ? below(random, 256)
            : pick(random, [...INTERESTING_BYTES]),
      );
      return join(join(input.subarray(0, at), inserted), input.subarray(at));
    }
    case 3: { // delete 1..4 bytes
      const count = 1 + below(random, 4);
      return join(
        input.subarray(0, at),
        input.subarray(Math.min(n, at + count)),
      );
    }
    case 4: { // splice: our prefix, another entry's suffix
      const other = corpusEntry(random);
      return join(
        input.subarray(0, at),
        other.subarray(below(random, other.length + 1)),
      );
    }
    case 5: // pipeline: append a whole other entry
      return join(input, corpusEntry(random));
    case 6: { // duplicate a range
      const from = below(random, n + 1);
      const to = Math.min(n, from + 1 + below(random, 16));
      return join(
        join(input.subarray(0, to), input.subarray(from, to)),
        input.subarray(to),
      );
    }
    case 7: { // edit a length field
      const s = latin1(input);
      const headers = [...s.matchAll(HEADER)];
      if (headers.length === 0) return input;
      const header = pick(random, headers);
      const old = header[3]!;
      const value = Number(old);
      const candidates = Number.isFinite(value)
        ? [
          ...INTERESTING_LENGTHS,
          String(value - 1),
          String(value + 1),
          String(value * 2),
        ]
        : INTERESTING_LENGTHS;
      const start = header.index! + header[1]!.length + 1;
      return fromLatin1(
        s.slice(0, start) + pick(random, candidates) +
          s.slice(start + old.length),
      );
    }
    default: // truncate
      return input.subarray(0, at);
  }
}

function mutate(random: () => number): Uint8Array<ArrayBuffer> {
  let input = corpusEntry(random);
  const rounds = 1 + below(random, 4);
  for (let i = 0; i < rounds; i++) input = mutateOnce(input, random);
  return input.slice();
}

/**
 * Chunks chosen by a selector byte (hiredis PR #1367): the low bits give a
 * size of 1..4096 bytes; the high bit picks fixed-size chunks or chunks of
 * random size up to that.
 */
function selectorChunks(
  input: Uint8Array<ArrayBuffer>,
  selector: number,
  random: () => number,
): Uint8Array<ArrayBuffer>[] {
  const size = 1 << (selector % 13);
  // Inputs over 4 KiB get fragments of at least 16 bytes: a 64 KiB bulk fed
  // one byte at a time is decoder_test's job, and too slow for every input.
  const least = input.length > 4096 ? 16 : 1;
  if (selector & 0x80) return chunksOf(input, Math.max(size, least));
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  for (let from = 0; from < input.length;) {
    const take = Math.max(least, 1 + below(random, size));
    chunks.push(input.subarray(from, from + take));
    from += take;
  }
  return chunks.length === 0 ? [input] : chunks;
}

// --- running one input --------------------------------------------------------------

interface LibResult {
  values: Expected[];
  end: ReferenceResult["end"] | "crash";
  crash?: unknown;
  /** Largest bufferedBytes minus bytes received so far. */
  overhead: number;
}

function runLib(chunks: Uint8Array<ArrayBuffer>[], binary: boolean): LibResult {
  const decoder = new RespDecoder({ ...LIMITS, binary });
  const values: Expected[] = [];
  let received = 0;
  let overhead = -Infinity;
  try {
    for (const chunk of chunks) {
      decoder.feed(chunk);
      received += chunk.length;
      for (;;) {
        const value: RespValue | undefined = decoder.next();
        if (value === undefined) break;
        values.push(decoder.lastWasPush ? { value, push: true } : { value });
      }
      overhead = Math.max(overhead, decoder.bufferedBytes - received);
    }
  } catch (error) {
    if (error instanceof ProtocolError) {
      return { values, end: "malformed", overhead };
    }
    return { values, end: "crash", crash: error, overhead };
  }
  return { values, end: decoder.inFrame ? "incomplete" : "complete", overhead };
}

function escape(bytes: Uint8Array, max = 160): string {
  let s = "";
  for (const b of bytes.subarray(0, max)) {
    if (b === 0x0d) s += "\\r";
    else if (b === 0x0a) s += "\\n";
    else if (b === 0x5c) s += "\\\\";
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += `\\x${b.toString(16).padStart(2, "0")}`;
  }
  return bytes.length > max ? `${s}… (${bytes.length} bytes)` : s;
}

Deno.test("RespDecoder agrees with the reference decoder on mutated input in any fragmentation", () => {
  const { iterations, seed } = settings();
  // deno-lint-ignore no-console
  console.log(
    `Fuzzing seed 0x${
      seed.toString(16)
    } (replay: SLEEVE_FUZZ_ITERATIONS=${iterations}:0x${seed.toString(16)})`,
  );
  const random = mulberry32(seed);
  const totals = {
    fed: 0,
    crashes: 0,
    mismatches: 0,
    hangs: 0,
    complete: 0,
    incomplete: 0,
    malformed: 0,
  };
  let maxOverhead = -Infinity;
  let maxMs = 0;
  /** Up to two examples per kind of problem. */
  const examples = new Map<string, string[]>();
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const input = mutate(random);
    const binary = below(random, 4) === 0;
    const selector = below(random, 256);
    const expected = referenceDecode(
      input,
      { ...LIMITS, binary } satisfies ReferenceOptions,
    );
    totals[expected.end]++;
    const chunkings: [string, Uint8Array<ArrayBuffer>[]][] = [
      ["whole", [input]],
      [
        `selector 0x${selector.toString(16)}`,
        selectorChunks(input, selector, random),
      ],
    ];
    if (input.length <= BYTEWISE_UP_TO) {
      chunkings.push(["one byte per chunk", chunksOf(input, 1)]);
    }
    const inputStarted = performance.now();
    for (const [name, chunks] of chunkings) {
      totals.fed += input.length;
      const actual = runLib(chunks, binary);
      maxOverhead = Math.max(maxOverhead, actual.overhead);
      let problem: string | undefined;
      if (actual.end === "crash") {
        totals.crashes++;
        problem = `crashed with ${String(actual.crash)}`;
      } else {
        problem = sequenceDifference(actual.values, expected.values);
        if (problem === undefined && actual.end !== expected.end) {
          problem = `ended ${actual.end}, reference ${expected.end}` +
            (expected.reason ? ` (${expected.reason})` : "");
        }
        if (problem !== undefined) totals.mismatches++;
      }
      if (problem !== undefined) {
        const kind = problem.replace(/[0-9]+/g, "N").replace(/ \(.*\)$/, "")
          .slice(0, 80);
        const list = examples.get(kind) ?? [];
        if (list.length < 2) {
          list.push(
            `${problem}; ${name}${binary ? ", binary" : ""}; input "${
              escape(input)
            }"`,
          );
        }
        examples.set(kind, list);
      }
    }
    const ms = performance.now() - inputStarted;
    maxMs = Math.max(maxMs, ms);
    if (ms > HANG_MS) totals.hangs++;
  }
  const seconds = (performance.now() - started) / 1000;
  // deno-lint-ignore no-console
  console.log(
    `Fuzzing: ${iterations} iterations (seed 0x${seed.toString(16)}), ` +
      `${
        (totals.fed / 1024 / 1024).toFixed(1)
      } MiB fed, ${totals.crashes} crashes ` +
      `(non-ProtocolError exceptions), ${totals.hangs} inputs over ${HANG_MS} ms ` +
      `(slowest ${
        maxMs.toFixed(1)
      } ms), max buffered overhead ${maxOverhead} bytes ` +
      `over the bytes received, ${totals.mismatches} differential mismatches against the ` +
      `reference decoder (inputs: ${totals.complete} valid, ${totals.malformed} malformed, ` +
      `${totals.incomplete} truncated), ${
        Math.round(iterations / seconds)
      } inputs/s ` +
      `in ${seconds.toFixed(1)} s`,
  );
  const failures = [
    ...(totals.crashes > 0 ? [`${totals.crashes} crashes`] : []),
    ...(totals.mismatches > 0 ? [`${totals.mismatches} mismatches`] : []),
    ...(totals.hangs > 0 ? [`${totals.hangs} inputs over ${HANG_MS} ms`] : []),
    ...(maxOverhead > 0
      ? [`bufferedBytes exceeded the bytes received by ${maxOverhead}`]
      : []),
  ];
  if (failures.length > 0) {
    throw new Error(
      `${failures.join(", ")} (seed 0x${seed.toString(16)}):\n${
        [...examples.values()].flat().join("\n")
      }`,
    );
  }
});

function referenceOptions(options: RespDecoderOptions = {}): ReferenceOptions {
  return {
    maxBulkLength: options.maxBulkLength ?? DEFAULT_MAX_BULK_LENGTH,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    maxElements: options.maxElements ?? DEFAULT_MAX_ELEMENTS,
    maxLineLength: options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH,
    binary: options.binary ?? false,
  };
}

Deno.test("referenceDecode agrees with the vector tables (the oracle is sound)", () => {
  for (const row of VECTORS) {
    const result = referenceDecode(
      toBytes(row.bytes),
      referenceOptions({ ...row.options, binary: row.binary ?? false }),
    );
    assert.equal(result.end, "complete", `${row.name}: ${result.reason}`);
    const expected: Expected[] = [
      row.push ? { value: row.expected, push: true } : { value: row.expected },
      ...(row.rest ?? []),
    ];
    assert.equal(
      sequenceDifference(result.values, expected),
      undefined,
      row.name,
    );
  }
  for (const row of MALFORMED) {
    const result = referenceDecode(
      toBytes(row.bytes),
      referenceOptions(row.options),
    );
    assert.equal(result.end, "malformed", row.name);
    const before = (row.before ?? []).map((value) => ({ value }));
    assert.equal(
      sequenceDifference(result.values, before),
      undefined,
      row.name,
    );
  }
});
