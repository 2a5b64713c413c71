// keySlot() and requestSlot() of lib/cluster/slot.ts: the spec's CRC16 test
// vector and known slots, hash tag edge cases, binary and UTF-8 keys, 10,000
// random keys against a cluster-mode server's CLUSTER KEYSLOT, and the slot
// of whole requests (MGET, MSET, EVAL, XREAD, SPUBLISH) same- and cross-slot.

import assert from "node:assert/strict";
import { connect } from "../../mod.ts";
import {
  crc16,
  CROSS_SLOT,
  keySlot,
  requestSlot,
  SLOTS,
} from "../../lib/cluster/slot.ts";
import { command } from "../../lib/commands/_command.ts";
import type { RedisArg } from "../../lib/resp/encoder.ts";
import { startRedisServer } from "../_support/redis_server.ts";

const utf8 = new TextEncoder();

Deno.test("crc16() is CRC16-XMODEM: the spec's test vector", () => {
  assert.equal(crc16(utf8.encode("123456789")), 0x31c3);
  assert.equal(crc16(new Uint8Array(0)), 0);
  // A sub-range hashes only those bytes.
  assert.equal(crc16(utf8.encode("xx123456789yy"), 2, 11), 0x31c3);
});

Deno.test("keySlot() gives the known slots, as a string and as bytes", () => {
  const known: [string, number][] = [
    ["foo", 12182],
    ["bar", 5061],
    ["hello", 866],
    ["123456789", 0x31c3 % SLOTS],
    ["", 0],
  ];
  for (const [key, slot] of known) {
    assert.equal(keySlot(key), slot, key);
    assert.equal(keySlot(utf8.encode(key)), slot, key);
  }
});

Deno.test("keySlot() hashes only a non-empty hash tag: the first { to the next }", () => {
  const cases: [key: string, hashed: string][] = [
    ["{}", "{}"], // empty tag: the whole key
    ["{user1000}.following", "user1000"],
    ["{user1000}.followers", "user1000"],
    ["foo{}{bar}", "foo{}{bar}"], // the first tag is empty: the whole key
    ["foo{{bar}}zap", "{bar"], // from the first { to the next }
    ["foo{bar}{zap}", "bar"], // only the first tag
    ["{", "{"],
    ["}", "}"],
    ["}{", "}{"],
    ["a}b{c", "a}b{c"], // no } after the {
    ["a}b{c}", "c"],
    ["{a}", "a"],
    ["x{}", "x{}"],
    ["{{}}", "{"],
  ];
  for (const [key, hashed] of cases) {
    const slot = crc16(utf8.encode(hashed)) % SLOTS;
    assert.equal(keySlot(key), slot, key);
    assert.equal(keySlot(utf8.encode(key)), slot, key);
  }
  assert.notEqual(keySlot("foo{}{bar}"), keySlot("bar"));
});

Deno.test("keySlot() hashes a string as its UTF-8 bytes, lone surrogates as U+FFFD", () => {
  const keys = [
    "é",
    "ключ",
    "键{标签}值",
    "emoji 🎉 {🔑}",
    "\u07ff\u0800\uffff",
    "\u{10000}\u{10ffff}",
    "lone \ud800 high",
    "lone \udc00 low",
    "end \ud83d",
    "{\ud83d}",
    "\0nul\0",
  ];
  for (const key of keys) {
    assert.equal(keySlot(key), keySlot(utf8.encode(key)), JSON.stringify(key));
  }
});

Deno.test("keySlot() hashes binary keys byte by byte, tags included", () => {
  const bytes = new Uint8Array([0xff, 0x00, 0x7b, 0x80, 0x81, 0x7d, 0xfe]);
  assert.equal(keySlot(bytes), crc16(new Uint8Array([0x80, 0x81])) % SLOTS);
  // A view into a larger buffer hashes only its own bytes.
  const big = new Uint8Array([1, 2, 3, 0x66, 0x6f, 0x6f, 4, 5]);
  assert.equal(keySlot(big.subarray(3, 6)), 12182);
  // Invalid UTF-8 is not decoded: the raw bytes are hashed.
  assert.equal(
    keySlot(new Uint8Array([0xc3])),
    crc16(new Uint8Array([0xc3])) % SLOTS,
  );
});

/** A seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomKey(next: () => number): string | Uint8Array {
  const length = Math.floor(next() * 24);
  const kind = next();
  if (kind < 0.35) {
    // Binary: any byte, braces made frequent.
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const r = next();
      bytes[i] = r < 0.15 ? 0x7b : r < 0.3 ? 0x7d : Math.floor(next() * 256);
    }
    return bytes;
  }
  const alphabet = kind < 0.7
    ? "abcxyz0123456789:_-{}{}{}"
    : "aé{}ключ键🎉\u0800{}";
  const chars = [...alphabet];
  let key = "";
  for (let i = 0; i < length; i++) {
    key += chars[Math.floor(next() * chars.length)];
  }
  return key;
}

Deno.test("keySlot() agrees with CLUSTER KEYSLOT for 10,000 random keys", async () => {
  // A failure names its seed: put it here to replay.
  const seed = Date.now() % 1e9;
  const next = random(seed);
  await using server = await startRedisServer({
    args: ["--cluster-enabled", "yes", "--cluster-port", String(freePort())],
  });
  await using redis = await connect({ port: server.port });
  const keys = Array.from({ length: 10_000 }, () => randomKey(next));
  const slots = await Promise.all(keys.map((key) => redis.clusterKeyslot(key)));
  const mismatches = keys.filter((key, i) => keySlot(key) !== slots[i]);
  assert.deepEqual(
    mismatches.slice(0, 5),
    [],
    `seed ${seed}: ${mismatches.length} keys hash differently`,
  );
  // The keys exercised tags and both forms.
  assert.ok(keys.some((k) => typeof k === "string" && /\{[^}]+\}/.test(k)));
  assert.ok(keys.some((k) => k instanceof Uint8Array));
});

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  return port;
}

function slotOf(name: string, ...args: RedisArg[]) {
  return requestSlot(command(name), args);
}

Deno.test("requestSlot() is the slot of all keys, or CROSS_SLOT", () => {
  // MGET / MSET
  assert.equal(slotOf("MGET", "foo"), 12182);
  assert.equal(slotOf("MGET", "{u1}a", "{u1}b", "u1"), keySlot("u1"));
  assert.equal(slotOf("MGET", "foo", "bar"), CROSS_SLOT);
  assert.equal(slotOf("MSET", "{t}a", "1", "{t}b", "2"), keySlot("t"));
  // Values do not count, only keys.
  assert.equal(slotOf("MSET", "foo", "bar"), 12182);
  assert.equal(slotOf("MSET", "foo", "1", "bar", "2"), CROSS_SLOT);
  // EVAL: numkeys decides; arguments after the keys do not count.
  assert.equal(slotOf("EVAL", "return 1", 0), undefined);
  assert.equal(slotOf("EVAL", "return 1", 1, "foo", "bar"), 12182);
  assert.equal(
    slotOf("EVAL", "return 1", 2, "{x}1", "{x}2", "y"),
    keySlot("x"),
  );
  assert.equal(slotOf("EVAL", "return 1", 2, "foo", "bar"), CROSS_SLOT);
  // XREAD: the keys after STREAMS, not the ids.
  assert.equal(
    slotOf("XREAD", "COUNT", 1, "STREAMS", "{s}1", "{s}2", "0", "0"),
    keySlot("s"),
  );
  assert.equal(
    slotOf("XREAD", "STREAMS", "foo", "bar", "0", "0"),
    CROSS_SLOT,
  );
  assert.equal(slotOf("XREAD", "STREAMS", "foo", "$"), 12182);
  // SPUBLISH: the shard channel routes like a key; PUBLISH's does not.
  assert.equal(slotOf("SPUBLISH", "foo", "message"), 12182);
  assert.equal(slotOf("SSUBSCRIBE", "{c}1", "{c}2"), keySlot("c"));
  assert.equal(slotOf("SSUBSCRIBE", "foo", "bar"), CROSS_SLOT);
  assert.equal(slotOf("PUBLISH", "foo", "message"), undefined);
  // Keyless, and invocations whose keys the server cannot find.
  assert.equal(slotOf("PING"), undefined);
  assert.equal(slotOf("DBSIZE"), undefined);
  assert.equal(slotOf("GET"), undefined);
  // Binary keys, and numbers as the encoder sends them.
  assert.equal(slotOf("GET", utf8.encode("foo")), 12182);
  assert.equal(slotOf("GET", 123), keySlot("123"));
  assert.equal(slotOf("GET", 12n), keySlot("12"));
  assert.equal(slotOf("GET", 1.5), keySlot("1.5"));
  assert.equal(slotOf("GET", Infinity), keySlot("inf"));
  assert.equal(slotOf("MGET", "foo", utf8.encode("foo")), 12182);
});
