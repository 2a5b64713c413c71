// Binary safety and injection against a real server: every byte value, large
// and empty values, CRLF and RESP inside keys and values, UTF-8 lengths in
// bytes, arguments over the server's bulk limit rejected locally, numeric
// arguments, and 64-bit integers never rounded.

import assert from "node:assert/strict";
import { connect, ReplyError } from "../../mod.ts";
import { RawConnection } from "../_support/raw_connection.ts";
import { startRedisServer } from "../_support/redis_server.ts";

const utf8 = new TextEncoder();

/** Calls of `command` since the server started, from INFO commandstats. */
async function commandCalls(port: number, command: string): Promise<number> {
  using admin = await RawConnection.connect({ port });
  const info = await admin.command(["INFO", "commandstats"]) ?? "";
  const match = info.match(new RegExp(`cmdstat_${command}:calls=(\\d+)`));
  return match === null ? 0 : Number(match[1]);
}

function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  // getRandomValues fills at most 64 KiB per call.
  for (let offset = 0; offset < length; offset += 65_536) {
    crypto.getRandomValues(bytes.subarray(offset, offset + 65_536));
  }
  return bytes;
}

Deno.test("Redis.binary round-trips every byte value, 1 MiB of random bytes and an empty value", async (t) => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  const bin = redis.binary;

  await t.step("all 256 byte values in one key and one value", async () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    assert.equal(await bin.set(all, all), "OK");
    assert.deepEqual(await bin.get(all), all);
    assert.equal(await redis.strlen(all), 256);
    // Reversed, so key and value differ.
    const reversed = all.slice().reverse();
    assert.equal(await bin.set(reversed, all), "OK");
    assert.deepEqual(await bin.get(reversed), all);
  });

  await t.step("each byte value as a one-byte key and value", async () => {
    const replies = await Promise.all(
      Array.from({ length: 256 }, (_, i) => {
        const byte = new Uint8Array([i]);
        return bin.set(byte, byte).then(() => bin.get(byte));
      }),
    );
    replies.forEach((reply, i) => assert.deepEqual(reply, new Uint8Array([i])));
    // Plus the two 256-byte keys of the step before.
    assert.equal(await redis.dbsize(), 256 + 2);
  });

  await t.step("1 MiB of random bytes", async () => {
    const big = randomBytes(1024 * 1024);
    assert.equal(await bin.set("random", big), "OK");
    assert.equal(await redis.strlen("random"), big.length);
    assert.deepEqual(await bin.get("random"), big);
  });

  await t.step("an empty value", async () => {
    assert.equal(await bin.set("empty", new Uint8Array(0)), "OK");
    assert.deepEqual(await bin.get("empty"), new Uint8Array(0));
    assert.equal(await redis.get("empty"), "");
    assert.equal(await redis.strlen("empty"), 0);
    assert.equal(await redis.exists("empty"), 1);
  });
});

Deno.test("Redis stores CRLF and RESP inside keys and values verbatim, injecting nothing", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  await redis.mset({ a: "1", b: "2", c: "3" });
  const key = "k\r\nFLUSHALL\r\n";
  // 21 bytes.
  const value = "v\r\n*1\r\n$8\r\nFLUSHALL\r\n";
  assert.equal(await redis.set(key, value), "OK");
  assert.equal(await redis.strlen(key), 21);
  assert.equal(await redis.get(key), value);
  assert.deepEqual(await redis.send("KEYS", "k*"), [key]);
  assert.equal(await redis.dbsize(), 4);
  // A whole fake command as the value, then as a key, through the raw path.
  const inline = "*1\r\n$8\r\nFLUSHALL\r\n";
  assert.equal(await redis.send("SET", inline, inline), "OK");
  assert.equal(await redis.get(inline), inline);
  assert.equal(await redis.dbsize(), 5);
  assert.equal(await commandCalls(server.port, "flushall"), 0);
});

Deno.test("Redis counts multi-byte UTF-8 in bytes and stores lone surrogates as U+FFFD", async (t) => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  const cases: [string, string, number][] = [
    ["é", "é", 2],
    ["emoji", "😀", 4],
    ["CJK", "漢字", 6],
    ["mixed", "aé😀漢", 1 + 2 + 4 + 3],
    // Longer than the encoder's short-string path.
    ["long", "é".repeat(1_000) + "😀".repeat(1_000), 6_000],
  ];
  for (const [name, text, bytes] of cases) {
    await t.step(`${name}: ${bytes} bytes`, async () => {
      const key = `key:${text}`;
      assert.equal(await redis.set(key, text), "OK");
      assert.equal(await redis.strlen(key), bytes);
      assert.equal(await redis.get(key), text);
      assert.deepEqual(await redis.binary.get(key), utf8.encode(text));
      assert.deepEqual(await redis.send("KEYS", key), [key]);
    });
  }
  await t.step(
    "a lone surrogate becomes U+FFFD (EF BF BD), as TextEncoder does",
    async () => {
      for (const text of ["\uD800", "a\uDC00b", "x".repeat(100) + "\uD83D"]) {
        const stored = text.replace(/[\uD800-\uDFFF]/g, "\uFFFD");
        assert.equal(await redis.set("surrogate", text), "OK");
        assert.equal(await redis.get("surrogate"), stored);
        assert.equal(
          await redis.strlen("surrogate"),
          utf8.encode(stored).length,
        );
        // As a key too.
        assert.equal(await redis.set(text, "v"), "OK");
        assert.equal(await redis.get(stored), "v");
      }
      assert.deepEqual(
        await redis.binary.get("\uFFFD"),
        utf8.encode("v"),
      );
    },
  );
});

Deno.test("Redis rejects an argument over maxBulkLength locally and keeps the connection for everyone else", async (t) => {
  const limit = 1024 * 1024;
  // The server's own limit is the same 1 MiB ("1mb").
  await using server = await startRedisServer({
    args: ["--proto-max-bulk-len", "1mb"],
  });
  await using redis = await connect({
    port: server.port,
    maxBulkLength: limit,
  });
  const closes: Event[] = [];
  redis.addEventListener("close", (event) => closes.push(event));

  const concurrently = async (big: string | Uint8Array) => {
    await redis.send("FLUSHDB");
    const results = await Promise.allSettled(
      Array.from(
        { length: 200 },
        (_, i) => redis.set(`k${i}`, i === 100 ? big : `v${i}`),
      ),
    );
    results.forEach((result, i) => {
      if (i === 100) {
        assert.equal(result.status, "rejected");
        const error = (result as PromiseRejectedResult).reason;
        assert.ok(error instanceof RangeError, Deno.inspect(error));
        assert.match(error.message, /maxBulkLength/);
      } else {
        assert.deepEqual(result, { status: "fulfilled", value: "OK" }, `#${i}`);
      }
    });
    assert.equal(redis.closed, false);
    assert.equal(await redis.dbsize(), 199);
    assert.equal(await redis.exists("k100"), 0);
    assert.equal(await redis.get("k199"), "v199");
  };

  await t.step("2 MiB of bytes", async () => {
    await concurrently(new Uint8Array(2 * limit));
  });
  await t.step("2 Mi ASCII characters", async () => {
    await concurrently("x".repeat(2 * limit));
  });
  await t.step("fewer UTF-16 units than the limit but more bytes", async () => {
    // 600,000 × "é" is 1,200,000 bytes.
    await concurrently("é".repeat(600_000));
  });
  await t.step("exactly the limit is accepted", async () => {
    assert.equal(await redis.set("edge", new Uint8Array(limit)), "OK");
    assert.equal(await redis.strlen("edge"), limit);
  });
  assert.equal(closes.length, 0);
  assert.equal(await redis.ping(), "PONG");
});

Deno.test("Redis encodes numeric arguments: NaN refused, Infinity as inf, bigint exact", async (t) => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });

  await t.step("NaN is a TypeError and nothing is sent", async () => {
    const setsBefore = await commandCalls(server.port, "set");
    await assert.rejects(redis.set("nan", NaN), TypeError);
    await assert.rejects(redis.send("ZADD", "z", NaN, "m"), TypeError);
    assert.equal(await redis.exists("nan", "z"), 0);
    assert.equal(await commandCalls(server.port, "set"), setsBefore);
  });

  await t.step("Infinity and -Infinity are inf and -inf for ZADD", async () => {
    assert.equal(await redis.send("ZADD", "z", Infinity, "top"), 1);
    assert.equal(await redis.zadd("z", { bottom: -Infinity }), 1);
    assert.equal(await redis.zscore("z", "top"), Infinity);
    assert.equal(await redis.zscore("z", "bottom"), -Infinity);
    assert.deepEqual(
      await redis.send("ZRANGEBYSCORE", "z", -Infinity, Infinity),
      ["bottom", "top"],
    );
  });

  await t.step("bigint 2^64 round-trips as text", async () => {
    assert.equal(await redis.set("big", 2n ** 64n), "OK");
    assert.equal(await redis.get("big"), "18446744073709551616");
  });

  await t.step("-0 and a very small float", async () => {
    assert.equal(await redis.set("zero", -0), "OK");
    assert.equal(await redis.get("zero"), "0");
    assert.equal(await redis.zadd("z", { tiny: 5e-324 }), 1);
    assert.equal(await redis.zscore("z", "tiny"), 5e-324);
  });
});

Deno.test("Redis.send() sends a command name with CRLF as one bulk string: unknown command, no FLUSHALL", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  await redis.set("k", "v");
  await assert.rejects(
    redis.send("GET\r\nFLUSHALL", "k"),
    (error: unknown) => {
      assert.ok(error instanceof ReplyError, Deno.inspect(error));
      assert.equal(error.code, "ERR");
      assert.match(error.message, /unknown command/);
      return true;
    },
  );
  assert.equal(await redis.get("k"), "v");
  assert.equal(await redis.dbsize(), 1);
  assert.equal(await commandCalls(server.port, "flushall"), 0);
});

Deno.test("Redis.mset() sends 20,002 arguments in one command", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  const pairs: [string, string][] = Array.from(
    { length: 10_001 },
    (_, i) => [`key:${i}`, `value:${i}`],
  );
  assert.equal(await redis.mset(pairs), "OK");
  assert.equal(await commandCalls(server.port, "mset"), 1);
  assert.equal(await redis.dbsize(), 10_001);
  const keys = pairs.map(([key]) => key);
  assert.deepEqual(await redis.mget(...keys), pairs.map(([, value]) => value));
});

Deno.test("Redis.bigint returns integers beyond 2^53 exactly and rejects overflow", async () => {
  await using server = await startRedisServer();
  await using client = await connect({ port: server.port });
  const redis = client.bigint;
  assert.equal(await redis.incrby("k", 9007199254740993n), 9007199254740993n);
  assert.equal(await redis.get("k"), "9007199254740993");
  await redis.set("max", 0);
  const max = 2n ** 63n - 1n;
  assert.equal(await redis.incrby("max", max), 9223372036854775807n);
  await assertOverflow(redis.incr("max"));
  assert.equal(await redis.decrby("max", max), 0n);
  assert.equal(await redis.incrby("min", -(2n ** 63n)), -(2n ** 63n));
  await assertOverflow(redis.decr("min"));
  // Safe integers are bigints too on this view, and numbers on the client.
  assert.equal(await redis.incrby("small", 2 ** 53 - 1), 2n ** 53n - 1n);
  assert.equal(await client.decr("small"), 2 ** 53 - 2);
});

async function assertOverflow(reply: Promise<unknown>): Promise<void> {
  await assert.rejects(reply, (error: unknown) => {
    assert.ok(error instanceof ReplyError, Deno.inspect(error));
    assert.equal(error.code, "ERR");
    assert.match(error.message, /overflow/);
    return true;
  });
}
