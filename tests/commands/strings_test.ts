// StringCommands and StringRangeCommands against a real redis-server, under
// RESP2 and RESP3, plus the argument builders without a server.

import assert from "node:assert/strict";
import { IntegerRangeError, ReplyError } from "../../mod.ts";
import { pairArgs, setArgs } from "../../lib/commands/strings_options.ts";
import { lcsArgs } from "../../lib/commands/string_ranges_options.ts";
import { eachProtocol } from "../_support/protocols.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { succeeded } from "../_support/results.ts";

const utf8 = new TextEncoder();

/** Asserts `value` is within [low, high]. */
function assertBetween(
  value: number | bigint,
  low: number,
  high: number,
): void {
  assert.equal(typeof value, "number");
  assert.ok(value >= low && value <= high, `${value} not in [${low}, ${high}]`);
}

Deno.test("setArgs adds expiry and condition arguments", () => {
  assert.deepStrictEqual(setArgs("k", "v", undefined), ["k", "v"]);
  assert.deepStrictEqual(setArgs("k", "v", { ex: 5, nx: true }), [
    "k",
    "v",
    "EX",
    5,
    "NX",
  ]);
  assert.deepStrictEqual(setArgs("k", 1, { px: 5, xx: true }), [
    "k",
    1,
    "PX",
    5,
    "XX",
  ]);
  assert.deepStrictEqual(setArgs("k", "v", { exat: 9, pxat: 10 }), [
    "k",
    "v",
    "EXAT",
    9,
    "PXAT",
    10,
  ]);
  assert.deepStrictEqual(setArgs("k", "v", { keepTtl: true }), [
    "k",
    "v",
    "KEEPTTL",
  ]);
});

Deno.test("setArgs adds GET last, after the condition", () => {
  assert.deepStrictEqual(setArgs("k", "v", { get: true }), ["k", "v", "GET"]);
  assert.deepStrictEqual(
    setArgs("k", "v", { ex: 5, nx: true, get: true }),
    ["k", "v", "EX", 5, "NX", "GET"],
  );
  assert.deepStrictEqual(setArgs("k", "v", { get: false }), ["k", "v"]);
});

Deno.test("lcsArgs adds LEN, or IDX with its clauses", () => {
  assert.deepStrictEqual(lcsArgs("a", "b", undefined), ["a", "b"]);
  assert.deepStrictEqual(lcsArgs("a", "b", { len: true }), ["a", "b", "LEN"]);
  assert.deepStrictEqual(lcsArgs("a", "b", { idx: true }), ["a", "b", "IDX"]);
  assert.deepStrictEqual(
    lcsArgs("a", "b", { idx: true, minMatchLen: 3, withMatchLen: true }),
    ["a", "b", "IDX", "MINMATCHLEN", 3, "WITHMATCHLEN"],
  );
});

Deno.test("pairArgs flattens an object or pairs into arguments", () => {
  assert.deepStrictEqual(pairArgs({ a: "1", b: 2 }), ["a", "1", "b", 2]);
  const key = new Uint8Array([0xff]);
  assert.deepStrictEqual(pairArgs([[key, "1"]]), [key, "1"]);
});

Deno.test("StringCommands return the same values under RESP2 and RESP3", async (t) => {
  await using server = await startRedisServer();
  const { port } = server;

  await t.step(
    "get() and set() round-trip, null for a missing key",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(await redis.set("k", "héllo"), "OK");
        assert.equal(await redis.get("k"), "héllo");
        assert.equal(await redis.set("n", 42), "OK");
        assert.equal(await redis.get("n"), "42");
        assert.equal(await redis.set("b", 2n ** 64n), "OK");
        assert.equal(await redis.get("b"), "18446744073709551616");
        assert.equal(await redis.set("empty", ""), "OK");
        assert.equal(await redis.get("empty"), "");
        assert.equal(await redis.get("missing"), null);
      });
    },
  );

  await t.step("set() honours ex, px, exat, pxat and keepTtl", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.set("ex", "v", { ex: 100 });
      assertBetween(await redis.ttl("ex"), 99, 100);
      await redis.set("px", "v", { px: 100_000 });
      assertBetween(await redis.pttl("px"), 99_000, 100_000);
      const now = Math.floor(Date.now() / 1000);
      await redis.set("exat", "v", { exat: now + 200 });
      assertBetween(await redis.ttl("exat"), 198, 201);
      await redis.set("pxat", "v", { pxat: Date.now() + 300_000 });
      assertBetween(await redis.pttl("pxat"), 298_000, 300_000);
      await redis.set("ex", "w", { keepTtl: true });
      assertBetween(await redis.ttl("ex"), 99, 100);
      await redis.set("ex", "x");
      assert.equal(await redis.ttl("ex"), -1);
    });
  });

  await t.step("set() returns null when nx or xx stops it", async () => {
    await eachProtocol(port, async (redis) => {
      assert.equal(await redis.set("k", "1", { xx: true }), null);
      assert.equal(await redis.get("k"), null);
      assert.equal(await redis.set("k", "1", { nx: true }), "OK");
      assert.equal(await redis.set("k", "2", { nx: true }), null);
      assert.equal(await redis.set("k", "3", { xx: true }), "OK");
      assert.equal(await redis.set("k", "4", { xx: true, ex: 50 }), "OK");
      assert.equal(await redis.get("k"), "4");
      assertBetween(await redis.ttl("k"), 49, 50);
    });
  });

  await t.step(
    "mset() takes an object or pairs; mget() returns null per missing key",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(await redis.mset({ a: "1", b: 2 }), "OK");
        assert.equal(
          await redis.mset([["c", "3"], [utf8.encode("d"), 4n]]),
          "OK",
        );
        assert.deepStrictEqual(await redis.mget("a", "b", "c", "d", "e"), [
          "1",
          "2",
          "3",
          "4",
          null,
        ]);
      });
    },
  );

  await t.step("msetnx() sets all keys or none", async () => {
    await eachProtocol(port, async (redis) => {
      assert.equal(await redis.msetnx({ a: "1", b: "2" }), true);
      assert.equal(await redis.msetnx([["b", "x"], ["c", "y"]]), false);
      assert.deepStrictEqual(await redis.mget("a", "b", "c"), ["1", "2", null]);
    });
  });

  await t.step(
    "incr() past 2^53 rejects with the exact value; the bigint view returns it",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(await redis.incr("n"), 1);
        assert.equal(await redis.incrby("n", 9), 10);
        assert.equal(await redis.decr("n"), 9);
        assert.equal(await redis.decrby("n", 10), -1);
        const big = redis.bigint;
        assert.equal(await big.incr("n"), 0n);
        assert.equal(
          await big.incrby("big", 9007199254740993n),
          9007199254740993n,
        );
        assert.equal(await big.incr("big"), 9007199254740994n);
        await assert.rejects(redis.incr("big"), (error) => {
          assert.ok(error instanceof IntegerRangeError);
          assert.ok(error instanceof RangeError);
          assert.equal(error.value, 9007199254740995n);
          assert.equal(error.command, "INCR");
          return true;
        });
        // It ran: the value moved on.
        assert.equal(await redis.get("big"), "9007199254740995");
        assert.equal(await big.decrby("big", 4n), 9007199254740991n);
        assert.equal(await redis.decr("big"), 9007199254740990);
        assert.equal(
          await big.decrby("neg", 9007199254740993n),
          -9007199254740993n,
        );
      });
    },
  );

  await t.step(
    "incr() rejects a non-integer value with the command's name",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.set("s", "abc");
        await assert.rejects(redis.incr("s"), (error) => {
          assert.ok(error instanceof ReplyError);
          assert.equal(error.code, "ERR");
          assert.equal(error.command, "INCR");
          return true;
        });
        await redis.set("max", "9223372036854775807");
        await assert.rejects(redis.incr("max"), ReplyError);
      });
    },
  );

  await t.step("incrbyfloat() returns a number", async () => {
    await eachProtocol(port, async (redis) => {
      assert.equal(await redis.incrbyfloat("f", 1.5), 1.5);
      assert.equal(await redis.incrbyfloat("f", -0.25), 1.25);
      assert.equal(await redis.incrbyfloat("f", 2e3), 2001.25);
    });
  });

  await t.step(
    "append(), strlen(), getrange() and setrange() count bytes",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(await redis.append("s", "hé"), 3);
        assert.equal(await redis.append("s", "llo"), 6);
        assert.equal(await redis.strlen("s"), 6);
        assert.equal(await redis.strlen("missing"), 0);
        assert.equal(await redis.getrange("s", 3, -1), "llo");
        assert.equal(await redis.getrange("s", 100, 200), "");
        assert.equal(await redis.getrange("missing", 0, -1), "");
        assert.equal(await redis.setrange("s", 0, "J"), 6);
        assert.equal(await redis.setrange("pad", 2, "x"), 3);
        assert.equal(await redis.get("pad"), "\0\0x");
      });
    },
  );

  await t.step("getdel() returns the value and deletes the key", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.set("k", "v");
      assert.equal(await redis.getdel("k"), "v");
      assert.equal(await redis.exists("k"), 0);
      assert.equal(await redis.getdel("k"), null);
    });
  });

  await t.step(
    "getex() returns the value and sets or removes the expiry",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.set("k", "v");
        assert.equal(await redis.getex("k"), "v");
        assert.equal(await redis.ttl("k"), -1);
        assert.equal(await redis.getex("k", { ex: 100 }), "v");
        assertBetween(await redis.ttl("k"), 99, 100);
        assert.equal(await redis.getex("k", { px: 50_000 }), "v");
        assertBetween(await redis.pttl("k"), 49_000, 50_000);
        assert.equal(
          await redis.getex("k", { exat: Math.floor(Date.now() / 1000) + 200 }),
          "v",
        );
        assertBetween(await redis.ttl("k"), 198, 201);
        assert.equal(
          await redis.getex("k", { pxat: Date.now() + 300_000 }),
          "v",
        );
        assertBetween(await redis.pttl("k"), 298_000, 300_000);
        assert.equal(await redis.getex("k", { persist: true }), "v");
        assert.equal(await redis.ttl("k"), -1);
        assert.equal(await redis.getex("missing", { ex: 10 }), null);
      });
    },
  );

  await t.step(
    "values starting with U+FEFF read back whole, short, long and over 1 MiB, also through multi()",
    async () => {
      await eachProtocol(port, async (redis) => {
        const values = [
          "\uFEFF",
          "\uFEFFx",
          "\uFEFF" + "y".repeat(300),
          "\uFEFF" + "\u00e9".repeat(600_000),
        ];
        for (const [i, value] of values.entries()) {
          assert.equal(await redis.set(`k${i}`, value), "OK");
          assert.equal(await redis.get(`k${i}`), value);
        }
        assert.deepStrictEqual(
          await redis.mget("k0", "k1", "k2"),
          values.slice(0, 3),
        );
        // DUMP makes EXEC's reply bytes, turned back into text for GET.
        const [value, dump] = succeeded(
          await redis.multi().get("k1").dump("k1").exec(),
        );
        assert.equal(value, values[1]);
        assert.ok(dump instanceof Uint8Array);
      });
    },
  );

  await t.step("binary views return values as Uint8Array", async () => {
    await eachProtocol(port, async (redis) => {
      const blob = new Uint8Array([0, 0xff, 13, 10, 0x80]);
      await redis.set("blob", blob);
      assert.deepStrictEqual(await redis.binary.get("blob"), blob);
      assert.deepStrictEqual(await redis.binary.mget("blob", "missing"), [
        blob,
        null,
      ]);
      assert.deepStrictEqual(
        await redis.binary.getrange("blob", 1, 2),
        new Uint8Array([0xff, 13]),
      );
      assert.deepStrictEqual(await redis.binary.getex("blob"), blob);
      assert.deepStrictEqual(await redis.binary.getdel("blob"), blob);
      assert.equal(await redis.binary.get("blob"), null);
      // Numbers stay numbers on binary views.
      assert.equal(await redis.binary.incr("n"), 1);
      assert.equal(await redis.binary.incrbyfloat("n", 0.5), 1.5);
      assert.equal(await redis.binary.set("x", "y", { nx: true }), "OK");
    });
  });

  await t.step(
    "set() with get returns the previous value, null when there was none",
    async () => {
      await eachProtocol(port, async (redis) => {
        const first: string | null = await redis.set("k", "1", { get: true });
        assert.equal(first, null);
        assert.equal(await redis.set("k", "2", { get: true, ex: 100 }), "1");
        assertBetween(await redis.ttl("k"), 99, 100);
        assert.equal(
          await redis.set("k", "3", { get: true, keepTtl: true }),
          "2",
        );
        assertBetween(await redis.ttl("k"), 99, 100);
        // NX with GET: not set, but the current value comes back.
        assert.equal(await redis.set("k", "4", { get: true, nx: true }), "3");
        assert.equal(await redis.get("k"), "3");
        assert.equal(
          await redis.set("new", "x", { get: true, xx: true }),
          null,
        );
        assert.equal(await redis.get("new"), null);
        // get known only at run time: the reply follows it.
        const options: { get: boolean } = { get: true };
        assert.equal(await redis.set("k", "5", options), "3");
        options.get = false;
        assert.equal(await redis.set("k", "6", options), "OK");
        // A list is not replaced, and the call rejects.
        await redis.rpush("l", "a");
        await assert.rejects(
          redis.set("l", "x", { get: true }),
          (error) => {
            assert.ok(error instanceof ReplyError);
            assert.equal(error.code, "WRONGTYPE");
            assert.equal(error.command, "SET");
            return true;
          },
        );
        assert.equal(await redis.type("l"), "list");
        const blob = new Uint8Array([0xff, 0]);
        await redis.set("b", blob);
        assert.deepStrictEqual(
          await redis.binary.set("b", "y", { get: true }),
          blob,
        );
      });
    },
  );

  await t.step("getset() swaps the value and returns the old one", async () => {
    await eachProtocol(port, async (redis) => {
      assert.equal(await redis.getset("k", "a"), null);
      assert.equal(await redis.getset("k", "b"), "a");
      assert.equal(await redis.get("k"), "b");
      await redis.set("k", "v", { ex: 100 });
      assert.equal(await redis.getset("k", "w"), "v");
      assert.equal(await redis.ttl("k"), -1);
      const blob = new Uint8Array([0x80, 13, 10]);
      await redis.set("blob", blob);
      assert.deepStrictEqual(await redis.binary.getset("blob", "t"), blob);
    });
  });

  await t.step(
    "setex() and psetex() set a value with a time to live",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(await redis.setex("s", 100, "v"), "OK");
        assert.equal(await redis.get("s"), "v");
        assertBetween(await redis.ttl("s"), 99, 100);
        assert.equal(await redis.psetex("p", 50_000, 7), "OK");
        assert.equal(await redis.get("p"), "7");
        assertBetween(await redis.pttl("p"), 49_000, 50_000);
        await assert.rejects(redis.setex("s", 0, "v"), (error) => {
          assert.ok(error instanceof ReplyError);
          assert.equal(error.command, "SETEX");
          return true;
        });
        await assert.rejects(redis.psetex("s", -5, "v"), ReplyError);
      });
    },
  );

  await t.step("setnx() sets only a missing key", async () => {
    await eachProtocol(port, async (redis) => {
      assert.equal(await redis.setnx("k", "1"), true);
      assert.equal(await redis.setnx("k", "2"), false);
      assert.equal(await redis.get("k"), "1");
    });
  });

  await t.step("substr() returns a byte range like getrange()", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.set("s", "hello world");
      assert.equal(await redis.substr("s", 0, 4), "hello");
      assert.equal(await redis.substr("s", -5, -1), "world");
      assert.equal(await redis.substr("s", 50, 60), "");
      assert.equal(await redis.substr("missing", 0, -1), "");
      assert.deepStrictEqual(
        await redis.binary.substr("s", 0, 1),
        utf8.encode("he"),
      );
    });
  });

  await t.step(
    "lcs() returns the subsequence, its length, or its matches",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.mset({ a: "ohmytext", b: "mynewtext" });
        assert.equal(await redis.lcs("a", "b"), "mytext");
        const len: number = await redis.lcs("a", "b", { len: true });
        assert.equal(len, 6);
        assert.equal(await redis.bigint.lcs("a", "b", { len: true }), 6n);
        assert.deepStrictEqual(await redis.lcs("a", "b", { idx: true }), {
          matches: [
            { key1: [4, 7], key2: [5, 8] },
            { key1: [2, 3], key2: [0, 1] },
          ],
          len: 6,
        });
        const withLen = await redis.lcs("a", "b", {
          idx: true,
          withMatchLen: true,
        });
        const first: number = withLen.matches[0]!.len;
        assert.equal(first, 4);
        assert.deepStrictEqual(withLen, {
          matches: [
            { key1: [4, 7], key2: [5, 8], len: 4 },
            { key1: [2, 3], key2: [0, 1], len: 2 },
          ],
          len: 6,
        });
        assert.deepStrictEqual(
          await redis.lcs("a", "b", { idx: true, minMatchLen: 4 }),
          { matches: [{ key1: [4, 7], key2: [5, 8] }], len: 6 },
        );
        assert.equal(await redis.lcs("a", "missing"), "");
        assert.deepStrictEqual(
          await redis.lcs("missing", "b", { idx: true }),
          { matches: [], len: 0 },
        );
        assert.deepStrictEqual(
          await redis.binary.lcs("a", "b"),
          utf8.encode("mytext"),
        );
        await redis.rpush("l", "x");
        await assert.rejects(redis.lcs("a", "l"), (error) => {
          assert.ok(error instanceof ReplyError);
          assert.equal(error.command, "LCS");
          return true;
        });
      });
    },
  );

  await t.step(
    "multi() and pipeline() queue the typed string commands",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.mset({ a: "ohmytext", b: "mynewtext" });
        const [setex, getset, old, setnx, sub, len, idx] = succeeded(
          await redis.multi()
            .setex("k", 100, "v1")
            .getset("k", "v2")
            .set("k", "v3", { get: true })
            .setnx("k", "v4")
            .substr("k", 0, 0)
            .lcs("a", "b", { len: true })
            .lcs("a", "b", { idx: true, minMatchLen: 4 })
            .exec(),
        );
        assert.equal(setex, "OK");
        assert.equal(getset, "v1");
        assert.equal(old, "v2");
        assert.equal(setnx, false);
        assert.equal(sub, "v");
        const n: number = len;
        assert.equal(n, 6);
        assert.deepStrictEqual(idx, {
          matches: [{ key1: [4, 7], key2: [5, 8] }],
          len: 6,
        });
        const results = await redis.pipeline()
          .psetex("p", 50_000, "x")
          .set("p", "y", { get: true, keepTtl: true })
          .lcs("a", "b")
          .exec();
        assert.deepStrictEqual(results, ["OK", "x", "mytext"]);
        assertBetween(await redis.pttl("p"), 49_000, 50_000);
      });
    },
  );

  await t.step(
    "string commands reject WRONGTYPE with the command's name",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.rpush("l", "a");
        const calls: [() => Promise<unknown>, string][] = [
          [() => redis.get("l"), "GET"],
          [() => redis.incr("l"), "INCR"],
          [() => redis.append("l", "x"), "APPEND"],
          [() => redis.getdel("l"), "GETDEL"],
        ];
        for (const [call, command] of calls) {
          await assert.rejects(call(), (error) => {
            assert.ok(error instanceof ReplyError);
            assert.equal(error.code, "WRONGTYPE");
            assert.equal(error.command, command);
            return true;
          });
        }
        assert.deepStrictEqual(await redis.mget("l"), [null]);
      });
    },
  );
});
