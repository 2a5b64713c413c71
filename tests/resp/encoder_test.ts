// CommandEncoder: exact RESP bytes for every argument type, byte lengths for
// multi-byte UTF-8, refusal of bad arguments without appending anything, and
// the take()/release() buffering in chunks.

import assert from "node:assert/strict";
import { CommandEncoder, type RedisArg } from "../../lib/resp/encoder.ts";
import { RespDecoder } from "../../lib/resp/decoder.ts";
import { ALL_BYTES, below, mulberry32, toBytes } from "./_vectors.ts";

const MAX = 512 * 1024 * 1024;
const text = new TextDecoder();

/** Encodes one command and returns its bytes as a fresh copy. */
function encode(args: readonly RedisArg[], max = MAX): Uint8Array {
  const encoder = new CommandEncoder(max);
  encoder.encode(args);
  return encoder.take().slice();
}

/** Byte equality (assert.deepEqual diffs large arrays very slowly). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Takes everything encoded (every chunk, in order) as one fresh copy. */
function takeAll(encoder: CommandEncoder): Uint8Array {
  const pieces: Uint8Array[] = [];
  while (encoder.length > 0) pieces.push(encoder.take().slice());
  return toBytes(...pieces);
}

function bulkOf(payload: string | Uint8Array): Uint8Array {
  const body = toBytes(payload);
  return toBytes(`$${body.length}\r\n`, body, "\r\n");
}

function commandOf(...payloads: (string | Uint8Array)[]): Uint8Array {
  return toBytes(`*${payloads.length}\r\n`, ...payloads.map(bulkOf));
}

Deno.test("CommandEncoder writes ASCII arguments as an array of bulk strings", () => {
  assert.equal(
    text.decode(encode(["SET", "key", "value"])),
    "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n",
  );
  assert.equal(text.decode(encode(["PING"])), "*1\r\n$4\r\nPING\r\n");
  assert.equal(
    text.decode(encode(["SET", "k", ""])),
    "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n",
  );
  const long = "x".repeat(1000); // past the hand-copied short-string path
  assert.deepEqual(encode(["SET", "k", long]), commandOf("SET", "k", long));
  const twelve = Array.from({ length: 12 }, (_, i) => `a${i}`); // two-digit argument count
  assert.deepEqual(encode(twelve), commandOf(...twelve));
});

Deno.test("CommandEncoder counts UTF-8 bytes, not UTF-16 units, in bulk headers", async (t) => {
  // Each case: the string, its UTF-8 byte length. Several change the number
  // of digits between the UTF-16 length and the byte length.
  const cases: [string, string, number][] = [
    ["é", "2-byte char", 2],
    ["é".repeat(5), "5 chars → 10 bytes (1 → 2 digits)", 10],
    ["é".repeat(9), "9 chars → 18 bytes (1 → 2 digits)", 18],
    ["é".repeat(99), "99 chars → 198 bytes (2 → 3 digits)", 198],
    ["é".repeat(500), "500 chars → 1000 bytes (3 → 4 digits)", 1000],
    ["€".repeat(3334), "3334 chars → 10002 bytes (4 → 5 digits)", 10002],
    ["😀", "emoji: 2 units → 4 bytes", 4],
    ["😀".repeat(3), "3 emoji: 6 units → 12 bytes (1 → 2 digits)", 12],
    ["漢字", "CJK: 2 units → 6 bytes", 6],
    ["漢".repeat(4), "4 CJK → 12 bytes (1 → 2 digits)", 12],
    ["a".repeat(63) + "é", "non-ASCII at the end of the short path", 65],
    ["a".repeat(64) + "é", "non-ASCII just past the short path", 66],
    ["é" + "a".repeat(70), "non-ASCII first in a long string", 72],
  ];
  for (const [value, name, bytes] of cases) {
    await t.step(name, () => {
      const expected = commandOf("SET", "k", value);
      assert.equal(toBytes(value).length, bytes);
      assert.deepEqual(encode(["SET", "k", value]), expected);
      assert.ok(text.decode(expected).includes(`$${bytes}\r\n`));
    });
  }
});

Deno.test("CommandEncoder writes a lone surrogate as U+FFFD (3 bytes)", () => {
  const replacement = [0xef, 0xbf, 0xbd];
  assert.deepEqual(
    encode(["\ud800"]),
    toBytes("*1\r\n$3\r\n", replacement, "\r\n"),
  );
  assert.deepEqual(
    encode(["a\udc00b"]),
    toBytes("*1\r\n$5\r\na", replacement, "b\r\n"),
  );
  // Reversed pair: two lone surrogates, 6 bytes.
  assert.deepEqual(
    encode(["\udc00\ud800"]),
    toBytes("*1\r\n$6\r\n", replacement, replacement, "\r\n"),
  );
  const long = "x".repeat(80) + "\ud800";
  assert.deepEqual(
    encode([long]),
    toBytes("*1\r\n$83\r\n", "x".repeat(80), replacement, "\r\n"),
  );
});

Deno.test("CommandEncoder writes numbers and bigints as decimal text", () => {
  const cases: [RedisArg, string][] = [
    [0, "0"],
    [42, "42"],
    [-7, "-7"],
    [3.14, "3.14"],
    [0.1 + 0.2, "0.30000000000000004"],
    [-0, "0"], // documented: -0 is sent as "0"
    [Number.MAX_SAFE_INTEGER, "9007199254740991"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
    [2n ** 64n, "18446744073709551616"],
    [-(2n ** 63n), "-9223372036854775808"],
    [0n, "0"],
  ];
  for (const [value, expected] of cases) {
    assert.deepEqual(
      encode(["ZADD", value]),
      commandOf("ZADD", expected),
      `argument ${String(value)}`,
    );
  }
});

Deno.test("CommandEncoder writes Uint8Array arguments byte for byte", () => {
  assert.deepEqual(
    encode(["SET", "k", ALL_BYTES]),
    commandOf("SET", "k", ALL_BYTES),
  );
  assert.deepEqual(
    encode(["SET", "k", new Uint8Array(0)]),
    commandOf("SET", "k", ""),
  );
  // A view: only its own bytes, not the rest of its buffer.
  const outer = new Uint8Array(64).fill(0xff);
  outer.set([1, 2, 3], 10);
  assert.deepEqual(
    encode([outer.subarray(10, 13)]),
    toBytes("*1\r\n$3\r\n", [1, 2, 3], "\r\n"),
  );
});

Deno.test("CommandEncoder makes an argument with CRLF one bulk string", () => {
  // Injection-proof: the CRLF is payload; the server sees one argument.
  const name = "GET\r\nFLUSHALL\r\n";
  const bytes = encode([name, "k\r\n*1\r\n$4\r\nPING"]);
  assert.equal(
    text.decode(bytes),
    `*2\r\n$15\r\n${name}\r\n$15\r\nk\r\n*1\r\n$4\r\nPING\r\n`,
  );
  const decoder = new RespDecoder();
  decoder.feed(toBytes(bytes));
  assert.deepEqual(decoder.next(), [name, "k\r\n*1\r\n$4\r\nPING"]);
  assert.equal(decoder.next(), undefined);
  assert.equal(decoder.inFrame, false);
});

Deno.test("CommandEncoder refuses arguments it cannot encode with a TypeError and appends nothing", async (t) => {
  const bad: [string, unknown, string][] = [
    ["NaN", NaN, "NaN is not a valid Redis number"],
    ["undefined", undefined, "received undefined"],
    ["null", null, "received null"],
    ["object", { toString: () => "x" }, "received Object"],
    ["boolean", true, "received boolean"],
    ["array", ["a"], "received Array"],
    ["symbol", Symbol("s"), "received symbol"],
    ["ArrayBuffer", new ArrayBuffer(2), "received ArrayBuffer"],
    ["DataView", new DataView(new ArrayBuffer(2)), "received DataView"],
  ];
  for (const [name, value, detail] of bad) {
    await t.step(name, () => {
      const encoder = new CommandEncoder(MAX);
      encoder.encode(["SET", "a", "1"]);
      const before = encoder.length;
      assert.throws(
        () => encoder.encode(["SET", "b", "x".repeat(100), value as RedisArg]),
        (error: unknown) => {
          assert.ok(error instanceof TypeError, Deno.inspect(error));
          // Its place and command are named, its value never is.
          assert.ok(
            error.message.startsWith(
              `Cannot encode argument 3 of SET: ${detail}`,
            ),
            error.message,
          );
          return true;
        },
      );
      assert.equal(encoder.length, before);
      encoder.encode(["GET", "a"]);
      assert.deepEqual(
        encoder.take().slice(),
        toBytes(commandOf("SET", "a", "1"), commandOf("GET", "a")),
      );
    });
  }
  await t.step("no arguments", () => {
    const encoder = new CommandEncoder(MAX);
    assert.throws(() => encoder.encode([]), TypeError);
    assert.equal(encoder.length, 0);
  });
});

Deno.test("CommandEncoder refuses an argument over maxBulkLength with a RangeError and appends nothing", async (t) => {
  const cases: [string, RedisArg, boolean][] = [
    ["8 ASCII chars", "12345678", true],
    ["9 ASCII chars", "123456789", false],
    ["4 two-byte chars (8 bytes)", "éééé", true],
    ["5 two-byte chars (10 bytes, 5 units)", "ééééé", false],
    ["2 emoji (8 bytes)", "😀😀", true],
    ["3 CJK chars (9 bytes, 3 units)", "漢漢漢", false],
    ["8 bytes", new Uint8Array(8), true],
    ["9 bytes", new Uint8Array(9), false],
    ["9-digit number", 123456789, false],
    ["9-digit bigint", 123456789n, false],
  ];
  for (const [name, value, fits] of cases) {
    await t.step(`${name} ${fits ? "fits" : "is refused"}`, () => {
      const encoder = new CommandEncoder(8);
      encoder.encode(["PING"]);
      const before = encoder.length;
      if (fits) {
        encoder.encode(["SET", value]);
        assert.deepEqual(
          encoder.take().slice(),
          toBytes(
            commandOf("PING"),
            commandOf(
              "SET",
              typeof value === "string" || value instanceof Uint8Array
                ? value
                : String(value),
            ),
          ),
        );
        return;
      }
      assert.throws(
        () => encoder.encode(["SET", "k", value]),
        RangeError,
        "Cannot encode argument 2 of SET: ",
      );
      assert.equal(encoder.length, before);
      assert.deepEqual(encoder.take().slice(), commandOf("PING"));
    });
  }
});

Deno.test("CommandEncoder grows past its initial buffer and keeps earlier commands", () => {
  const encoder = new CommandEncoder(MAX);
  const expected: Uint8Array[] = [];
  for (let i = 0; i < 200; i++) {
    const value = `${i}:` + "v".repeat(i * 37);
    encoder.encode(["SET", `k${i}`, value]);
    expected.push(commandOf("SET", `k${i}`, value));
  }
  const big = "é".repeat(100_000);
  encoder.encode(["SET", "big", big]);
  expected.push(commandOf("SET", "big", big));
  const all = toBytes(...expected);
  assert.equal(encoder.length, all.length);
  assert.ok(sameBytes(takeAll(encoder), all));
});

Deno.test("CommandEncoder take() bytes stay intact while new commands are encoded", () => {
  // A writer with up to two buffers in flight, released in random order.
  const random = mulberry32(0xe17c0de);
  const encoder = new CommandEncoder(MAX);
  const inFlight: { taken: Uint8Array<ArrayBuffer>; expected: Uint8Array }[] =
    [];
  let pending: Uint8Array[] = [];
  let checked = 0;
  for (let step = 0; step < 5_000; step++) {
    const action = below(random, 4);
    if (action <= 1) {
      const size = below(random, 8) === 0
        ? 20_000 + below(random, 50_000)
        : below(random, 300);
      const value = `${step}:` +
        String.fromCharCode(0x61 + (step % 26)).repeat(size);
      encoder.encode(["SET", `key:${step}`, value]);
      pending.push(commandOf("SET", `key:${step}`, value));
    } else if (action === 2 && inFlight.length < 2) {
      // One chunk, or several after a burst: each in flight on its own.
      const expected = toBytes(...pending);
      let offset = 0;
      while (encoder.length > 0) {
        const taken = encoder.take();
        const part = expected.slice(offset, offset + taken.length);
        assert.ok(sameBytes(taken, part), `take() at step ${step}`);
        offset += taken.length;
        inFlight.push({ taken, expected: part });
      }
      assert.equal(offset, expected.length);
      pending = [];
    } else if (inFlight.length > 0) {
      const index = below(random, inFlight.length);
      const { taken, expected } = inFlight.splice(index, 1)[0]!;
      // Still intact after other commands were encoded meanwhile.
      assert.ok(sameBytes(taken, expected), `release() at step ${step}`);
      encoder.release(taken);
      checked++;
    }
  }
  assert.ok(checked > 500, `only ${checked} buffers checked`);
});

Deno.test("CommandEncoder output decodes back to the same arguments", () => {
  // Round trip through RespDecoder in binary mode: random code points
  // (surrogates included), random bytes, numbers.
  const random = mulberry32(0x0c0ffee);
  const encoder = new CommandEncoder(MAX);
  const expected: Uint8Array[][] = [];
  const utf8 = new TextEncoder();
  for (let n = 0; n < 500; n++) {
    const args: RedisArg[] = [];
    const bytes: Uint8Array[] = [];
    const argc = 1 + below(random, 6);
    for (let i = 0; i < argc; i++) {
      const kind = below(random, 4);
      if (kind === 0) {
        const b = Uint8Array.from(
          { length: below(random, 100) },
          () => below(random, 256),
        );
        args.push(b);
        bytes.push(b);
      } else if (kind === 1) {
        const v = below(random, 2) === 0
          ? below(random, 1e9) - 5e8
          : (random() - 0.5) * 1e6;
        args.push(v);
        bytes.push(utf8.encode(String(v)));
      } else {
        let s = "";
        const length = below(random, kind === 2 ? 20 : 200);
        for (let j = 0; j < length; j++) {
          const range = below(random, 4);
          const max = [0x80, 0x800, 0x10000, 0x110000][range]!;
          const cp = below(random, max);
          s += cp >= 0x10000
            ? String.fromCodePoint(cp)
            : String.fromCharCode(cp);
        }
        args.push(s);
        bytes.push(utf8.encode(s)); // TextEncoder also maps lone surrogates to U+FFFD
      }
    }
    encoder.encode(args);
    expected.push(bytes);
  }
  const decoder = new RespDecoder({ binary: true });
  decoder.feed(toBytes(takeAll(encoder)));
  for (const [i, bytes] of expected.entries()) {
    assert.deepEqual(decoder.next(), bytes, `command ${i}`);
  }
  assert.equal(decoder.next(), undefined);
  assert.equal(decoder.inFrame, false);
});

Deno.test("CommandEncoder writes a burst as chunks of whole commands, in order", () => {
  const encoder = new CommandEncoder(MAX);
  const expected: Uint8Array[] = [];
  const value = "v".repeat(100);
  for (let i = 0; i < 20_000; i++) {
    // Now and then an argument larger than a chunk.
    const args = i % 5_000 === 4_999
      ? ["SET", `big:${i}`, "b".repeat(300_000)]
      : ["SET", `key:${i}`, value];
    encoder.encode(args);
    expected.push(commandOf(...args));
  }
  const all = toBytes(...expected);
  assert.equal(encoder.length, all.length);
  const chunks: Uint8Array[] = [];
  let commands = 0;
  while (encoder.length > 0) {
    const chunk = encoder.take();
    // Each chunk decodes to whole commands, as many as takenCommands says.
    const decoder = new RespDecoder();
    decoder.feed(chunk.slice());
    let count = 0;
    while (decoder.next() !== undefined) count++;
    assert.equal(
      decoder.inFrame,
      false,
      `chunk ${chunks.length} splits a command`,
    );
    assert.equal(count, encoder.takenCommands);
    // At most a chunk, or the room set aside for the large argument
    // (three bytes per UTF-16 unit until encoded).
    assert.ok(
      chunk.length <= Math.max(256 * 1024, 3 * 300_000 + 64),
      `chunk of ${chunk.length} bytes`,
    );
    commands += count;
    chunks.push(chunk.slice());
    encoder.release(chunk);
  }
  assert.ok(chunks.length >= 8, `${chunks.length} chunks`);
  assert.equal(commands, expected.length);
  assert.ok(sameBytes(toBytes(...chunks), all));
});

Deno.test("CommandEncoder appends nothing for a refused command that had moved to a new chunk", () => {
  const encoder = new CommandEncoder(MAX);
  const expected: Uint8Array[] = [];
  const value = "v".repeat(1_000);
  // Fill the buffer close to the chunk size.
  for (let i = 0; i < 250; i++) {
    encoder.encode(["SET", `k${i}`, value]);
    expected.push(commandOf("SET", `k${i}`, value));
  }
  // Its large argument moves it to a new buffer; its last one is refused.
  assert.throws(
    () => encoder.encode(["SET", "x", "y".repeat(20_000), Number.NaN]),
    TypeError,
  );
  encoder.encode(["GET", "after"]);
  expected.push(commandOf("GET", "after"));
  const all = toBytes(...expected);
  assert.equal(encoder.length, all.length);
  assert.ok(sameBytes(takeAll(encoder), all));
});

Deno.test("CommandEncoder.rollback() drops everything since its mark, chunks closed meanwhile included", async (t) => {
  const value = "v".repeat(1_000);
  for (
    const [case_, before, during] of [
      ["within one buffer", 10, 5],
      ["after a chunk closed", 10, 600],
      ["after several chunks closed", 200, 1_500],
      ["from an empty encoder", 0, 1_000],
    ] as const
  ) {
    await t.step(case_, () => {
      const encoder = new CommandEncoder(MAX);
      const expected: Uint8Array[] = [];
      for (let i = 0; i < before; i++) {
        encoder.encode(["SET", `k${i}`, value]);
        expected.push(commandOf("SET", `k${i}`, value));
      }
      const mark = encoder.mark();
      for (let i = 0; i < during; i++) {
        encoder.encode(["SET", `dropped${i}`, value]);
      }
      encoder.rollback(mark);
      encoder.encode(["GET", "after"]);
      expected.push(commandOf("GET", "after"));
      const all = toBytes(...expected);
      assert.equal(encoder.length, all.length);
      let commands = 0;
      const chunks: Uint8Array[] = [];
      while (encoder.length > 0) {
        const chunk = encoder.take();
        commands += encoder.takenCommands;
        chunks.push(chunk.slice());
        encoder.release(chunk);
      }
      assert.equal(commands, before + 1);
      assert.ok(sameBytes(toBytes(...chunks), all));
    });
  }
});

Deno.test("CommandEncoder reuses released buffers", () => {
  const encoder = new CommandEncoder(MAX);
  encoder.encode(["PING"]);
  const first = encoder.take();
  encoder.release(first);
  encoder.encode(["PING"]);
  const second = encoder.take();
  encoder.encode(["PING"]);
  const third = encoder.take();
  // The first buffer came back through a spare.
  assert.ok(
    second.buffer === first.buffer || third.buffer === first.buffer,
    "a released buffer was not reused",
  );
});

Deno.test("CommandEncoder.encodeCommand() names the command of its pre-encoded head and numbers arguments in the whole command", () => {
  const head = (...words: string[]) =>
    toBytes(words.map((w) => `$${toBytes(w).length}\r\n${w}\r\n`).join(""));
  const cases: [
    Uint8Array,
    number,
    unknown[],
    typeof TypeError | typeof RangeError,
    string,
  ][] = [
    [
      head("GET"),
      1,
      [undefined],
      TypeError,
      "Cannot encode argument 1 of GET: received undefined (expected a string, number, bigint or Uint8Array)",
    ],
    [
      head("CLIENT", "SETNAME"),
      2,
      [null],
      TypeError,
      "Cannot encode argument 2 of CLIENT SETNAME: received null",
    ],
    [
      head("ZADD"),
      1,
      ["k", NaN, "m"],
      TypeError,
      "Cannot encode argument 2 of ZADD: NaN is not a valid Redis number",
    ],
    [
      head("SET"),
      1,
      ["k", "s3cr3t".repeat(20)],
      RangeError,
      "Cannot encode argument 2 of SET: 120 bytes exceed maxBulkLength 64",
    ],
    [
      head("ÉCHO"),
      1,
      [{}],
      TypeError,
      "Cannot encode argument 1 of ÉCHO: received Object",
    ],
  ];
  for (const [bytes, tokens, args, errorClass, message] of cases) {
    const encoder = new CommandEncoder(64);
    assert.throws(
      () => encoder.encodeCommand(bytes, tokens, args as RedisArg[]),
      (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.equal(error.constructor, errorClass);
        assert.ok(error.message.startsWith(message), error.message);
        // Never the value.
        assert.doesNotMatch(error.message, /s3cr3t/);
        return true;
      },
    );
    assert.equal(encoder.length, 0);
  }
});
