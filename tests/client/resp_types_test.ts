// Every RESP2/RESP3 type a real Redis 7.0 server can send (DEBUG PROTOCOL,
// Lua return values, ZSCORE of infinity, the RESP2 null array), decoded to
// the values the table in lib/resp/types.ts documents; then the same replies
// delivered one byte per TCP segment through the chaos proxy must give
// results identical to a direct connection.

import assert from "node:assert/strict";
import { connect, type Redis, ReplyError, type RespValue } from "../../mod.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { startChaosProxy } from "../_support/chaos_proxy.ts";

const ATTRIB_REPLY = "Some real reply following the attribute";
const PUSH_REPLY = "Some real reply following the push reply";
const VERBATIM = "This is a verbatim\nstring";
const BIGNUM = 1234567999999999999999999999999999999n;

/** DEBUG PROTOCOL <type> under HELLO 3. */
const RESP3_TYPES: [string, RespValue][] = [
  ["string", "Hello World"],
  ["integer", 12345],
  ["double", 3.141],
  ["bignum", BIGNUM],
  ["null", null],
  ["array", [0, 1, 2]],
  ["set", new Set([0, 1, 2])],
  // Integer keys, boolean values.
  ["map", new Map<RespValue, RespValue>([[0, false], [1, true], [2, false]])],
  // The attribute is dropped; the reply it annotates resolves the caller.
  ["attrib", ATTRIB_REPLY],
  // The push goes to the "push" event; the reply after it to the caller.
  ["push", PUSH_REPLY],
  // The "txt:" format prefix is dropped.
  ["verbatim", VERBATIM],
  ["true", true],
  ["false", false],
];

/** The same under RESP2: doubles and big numbers become bulk strings, and so on. */
const RESP2_TYPES: [string, RespValue][] = [
  ["string", "Hello World"],
  ["integer", 12345],
  ["double", "3.141"],
  ["bignum", String(BIGNUM)],
  ["null", null],
  ["array", [0, 1, 2]],
  ["set", [0, 1, 2]],
  ["map", [0, 0, 1, 1, 2, 0]],
  ["attrib", ATTRIB_REPLY],
  ["verbatim", VERBATIM],
  ["true", 1],
  ["false", 0],
];

const PUSH_DATA = ["server-cpu-usage", 42];

/** A settled result in a form deepEqual can compare (errors by class and message). */
type Outcome = { value: unknown } | { error: string };

function outcome(promise: Promise<unknown>): Promise<Outcome> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({
      error: error instanceof Error
        ? `${error.name}: ${error.message}`
        : String(error),
    }),
  );
}

/** Runs every DEBUG PROTOCOL type, each awaited alone, and collects pushes in order with replies. */
async function everyDebugType(
  redis: Redis,
): Promise<{ results: Map<string, Outcome>; log: unknown[] }> {
  const log: unknown[] = [];
  const onPush = (event: { data: RespValue[] }) =>
    log.push({ push: event.data });
  redis.addEventListener("push", onPush);
  const results = new Map<string, Outcome>();
  try {
    for (const [type] of RESP3_TYPES) {
      const result = await outcome(redis.send("DEBUG", "PROTOCOL", type));
      log.push({ reply: type });
      results.set(type, result);
    }
  } finally {
    redis.removeEventListener("push", onPush);
  }
  return { results, log };
}

Deno.test("Redis.send() decodes every DEBUG PROTOCOL type under RESP3", async (t) => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port, protocol: 3 });
  assert.equal(redis.protocol, 3);
  for (const [type, expected] of RESP3_TYPES) {
    await t.step(type, async () => {
      const pushes: RespValue[][] = [];
      const onPush = (event: { data: RespValue[] }) => pushes.push(event.data);
      redis.addEventListener("push", onPush);
      try {
        assert.deepEqual(
          await redis.send("DEBUG", "PROTOCOL", type),
          expected,
        );
      } finally {
        redis.removeEventListener("push", onPush);
      }
      // The push frame precedes the reply, so it is dispatched by now.
      assert.deepEqual(pushes, type === "push" ? [PUSH_DATA] : []);
    });
  }
  await t.step("the connection is still in step afterwards", async () => {
    assert.equal(await redis.echo("after"), "after");
  });
});

Deno.test("Redis.send() decodes every DEBUG PROTOCOL type under RESP2", async (t) => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port, protocol: 2 });
  assert.equal(redis.protocol, 2);
  const pushes: unknown[] = [];
  redis.addEventListener("push", (event) => pushes.push(event.data));
  for (const [type, expected] of RESP2_TYPES) {
    await t.step(type, async () => {
      assert.deepEqual(await redis.send("DEBUG", "PROTOCOL", type), expected);
    });
  }
  await t.step("push is an error reply under RESP2", async () => {
    await assert.rejects(
      redis.send("DEBUG", "PROTOCOL", "push"),
      (error: unknown) => {
        assert.ok(error instanceof ReplyError);
        assert.equal(error.code, "ERR");
        assert.equal(error.command, "DEBUG");
        assert.match(error.message, /RESP2 is not supported/);
        return true;
      },
    );
    assert.equal(await redis.echo("after"), "after");
  });
  assert.deepEqual(pushes, []);
});

Deno.test("Redis.binary returns bulk and verbatim strings as bytes, without the verbatim format", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port, protocol: 3 });
  const encode = (text: string) => new TextEncoder().encode(text);
  assert.deepEqual(
    await redis.binary.send("DEBUG", "PROTOCOL", "string"),
    encode("Hello World"),
  );
  assert.deepEqual(
    await redis.binary.send("DEBUG", "PROTOCOL", "verbatim"),
    encode(VERBATIM),
  );
  // Only bulk strings change: a double stays a number.
  assert.equal(await redis.binary.send("DEBUG", "PROTOCOL", "double"), 3.141);
});

Deno.test("Redis.send() decodes Lua doubles (inf, -inf, -nan), big numbers and verbatim strings", async (t) => {
  await using server = await startRedisServer();
  const scripts: [string, RespValue, RespValue][] = [
    // [script, RESP3 value, RESP2 value]
    ["return {double=1/0}", Infinity, "inf"],
    ["return {double=-1/0}", -Infinity, "-inf"],
    // Redis 7.0 sends ",-nan" for 0/0.
    ["return {double=0/0}", NaN, "-nan"],
    ["return {double=1.5}", 1.5, "1.5"],
    [
      "return {big_number='-123456789012345678901234567890'}",
      -123456789012345678901234567890n,
      "-123456789012345678901234567890",
    ],
    [
      "return {verbatim_string={format='txt',string='hi'}}",
      "hi",
      "hi",
    ],
    [
      "return {map={a=1}}",
      new Map<RespValue, RespValue>([["a", 1]]),
      ["a", 1],
    ],
  ];
  for (const protocol of [3, 2] as const) {
    await t.step(`RESP${protocol}`, async () => {
      await using redis = await connect({ port: server.port, protocol });
      for (const [script, resp3, resp2] of scripts) {
        assert.deepEqual(
          await redis.send("EVAL", script, 0),
          protocol === 3 ? resp3 : resp2,
          script,
        );
      }
      await assert.rejects(
        redis.send("EVAL", "return {err='MYERR boom'}", 0),
        (error: unknown) => {
          assert.ok(error instanceof ReplyError);
          assert.equal(error.code, "MYERR");
          assert.equal(error.message, "MYERR boom");
          assert.equal(error.command, "EVAL");
          return true;
        },
      );
    });
  }
});

Deno.test("Redis decodes ZSCORE of +inf as Infinity, and the RESP2 text through zscore()", async (t) => {
  await using server = await startRedisServer();
  for (const protocol of [3, 2] as const) {
    await t.step(`RESP${protocol}`, async () => {
      await using redis = await connect({ port: server.port, protocol });
      await redis.send("DEL", "z");
      assert.equal(await redis.send("ZADD", "z", "+inf", "a", "-inf", "b"), 2);
      assert.deepEqual(
        await redis.send("ZSCORE", "z", "a"),
        protocol === 3 ? Infinity : "inf",
      );
      assert.equal(await redis.zscore("z", "a"), Infinity);
      assert.equal(await redis.zscore("z", "b"), -Infinity);
      assert.equal(await redis.zscore("z", "missing"), null);
    });
  }
});

Deno.test("Redis decodes LPOP of a missing key with a count as null in both protocols", async (t) => {
  await using server = await startRedisServer();
  for (const protocol of [3, 2] as const) {
    await t.step(`RESP${protocol}`, async () => {
      await using redis = await connect({ port: server.port, protocol });
      // RESP3 sends "_", RESP2 the null array "*-1".
      assert.equal(await redis.send("LPOP", "nosuch", 2), null);
      assert.equal(await redis.lpop("nosuch", 2), null);
      assert.equal(await redis.send("GET", "nosuch"), null);
    });
  }
});

Deno.test("Redis gives identical results through a proxy that delivers replies one byte per segment", async (t) => {
  await using server = await startRedisServer();
  await t.step("every DEBUG PROTOCOL type, both protocols", async () => {
    for (const protocol of [3, 2] as const) {
      // A pause after each byte, so every read the client makes sees one byte.
      await using proxy = startChaosProxy({ port: server.port });
      proxy.slice(1, 1);
      await using direct = await connect({ port: server.port, protocol });
      await using sliced = await connect({ port: proxy.port, protocol });
      const expected = await everyDebugType(direct);
      const before = proxy.bytesDown;
      const actual = await everyDebugType(sliced);
      assert.deepEqual(actual.results, expected.results, `RESP${protocol}`);
      assert.deepEqual(actual.log, expected.log, `RESP${protocol}`);
      // It really was sliced: one write per byte.
      assert.ok(proxy.bytesDown - before >= 200);
      assert.equal(proxy.writesDown, proxy.bytesDown);
    }
  });

  const big = randomBytes(1024 * 1024);
  await using proxy = startChaosProxy({ port: server.port });
  proxy.slice(1);
  await using direct = await connect({ port: server.port });
  await using sliced = await connect({ port: proxy.port });
  await direct.set("big", big);

  await t.step("a 1 MiB GET", async () => {
    const before = proxy.writesDown;
    const viaProxy = await sliced.binary.get("big");
    assert.deepEqual(viaProxy, await direct.binary.get("big"));
    assert.deepEqual(viaProxy, big);
    assert.ok(proxy.writesDown - before >= big.length);
  });

  await t.step("1,000 pipelined commands of mixed reply types", async () => {
    await direct.send("RPUSH", "list", "a", "b", "c");
    await direct.send("HSET", "hash", "f", "v", "g", "w");
    await direct.send("ZADD", "zset", "1.5", "m");
    const run = (redis: Redis) =>
      Promise.all(Array.from({ length: 1_000 }, (_, i) => {
        switch (i % 8) {
          case 0:
            return outcome(redis.incr(`counter:${redis === direct}`));
          case 1:
            return outcome(redis.send("LRANGE", "list", 0, -1));
          case 2:
            return outcome(redis.send("HGETALL", "hash"));
          case 3:
            return outcome(redis.send("ZSCORE", "zset", "m"));
          case 4:
            return outcome(redis.get("nosuch"));
          case 5:
            // An error reply in the middle of the pipeline.
            return outcome(redis.send("INCR", "list"));
          case 6:
            return outcome(redis.echo(`echo:${i}`));
          default:
            return outcome(redis.send("DEBUG", "PROTOCOL", "map"));
        }
      }));
    const expected = await run(direct);
    const actual = await run(sliced);
    assert.deepEqual(actual, expected);
  });
});

function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  // getRandomValues fills at most 64 KiB per call.
  for (let offset = 0; offset < length; offset += 65_536) {
    crypto.getRandomValues(bytes.subarray(offset, offset + 65_536));
  }
  return bytes;
}
