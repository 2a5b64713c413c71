// KeyCommands against a real redis-server, under RESP2 and RESP3, plus the
// argument builders without a server.

import assert from "node:assert/strict";
import { ReplyError } from "../../mod.ts";
import { scanArgs } from "../../lib/commands/keys_options.ts";
import { eachProtocol } from "../_support/protocols.ts";
import { startRedisServer } from "../_support/redis_server.ts";

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

Deno.test("scanArgs adds MATCH, COUNT and TYPE only when given", () => {
  assert.deepStrictEqual(scanArgs([0], undefined), [0]);
  assert.deepStrictEqual(
    scanArgs(["7"], { match: "a*", count: 5, type: "hash" }),
    ["7", "MATCH", "a*", "COUNT", 5, "TYPE", "hash"],
  );
});

Deno.test("KeyCommands return the same values under RESP2 and RESP3", async (t) => {
  await using server = await startRedisServer();
  const { port } = server;

  await t.step("del(), unlink(), exists() and touch() count keys", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.mset({ a: "1", b: "2", c: "3", d: "4" });
      assert.equal(await redis.exists("a", "a", "nope"), 2);
      assert.equal(await redis.touch("a", "b", "nope"), 2);
      assert.equal(await redis.del("a", "nope"), 1);
      assert.equal(await redis.unlink("b", "c", "nope"), 2);
      assert.equal(await redis.exists("a", "b", "c", "d"), 1);
      assert.equal(await redis.del("nope"), 0);
    });
  });

  await t.step(
    "ttl() and pttl() return -2 for a missing key and -1 without expiry",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(await redis.ttl("missing"), -2);
        assert.equal(await redis.pttl("missing"), -2);
        await redis.set("k", "v");
        assert.equal(await redis.ttl("k"), -1);
        assert.equal(await redis.pttl("k"), -1);
      });
    },
  );

  await t.step(
    "expire(), pexpire(), expireat() and pexpireat() set the time to live",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.mset({ a: "1", b: "2", c: "3", d: "4" });
        assert.equal(await redis.expire("a", 100), true);
        assertBetween(await redis.ttl("a"), 99, 100);
        assert.equal(await redis.pexpire("b", 100_000), true);
        assertBetween(await redis.pttl("b"), 99_000, 100_000);
        assert.equal(
          await redis.expireat("c", Math.floor(Date.now() / 1000) + 200),
          true,
        );
        assertBetween(await redis.ttl("c"), 198, 201);
        assert.equal(await redis.pexpireat("d", Date.now() + 300_000), true);
        assertBetween(await redis.pttl("d"), 298_000, 300_000);
        assert.equal(await redis.expire("missing", 10), false);
        assert.equal(await redis.pexpire("missing", 10), false);
        assert.equal(await redis.expireat("missing", 10), false);
        assert.equal(await redis.pexpireat("missing", 10), false);
      });
    },
  );

  await t.step(
    "expire() honours the NX, XX, GT and LT conditions",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.set("k", "v");
        assert.equal(await redis.expire("k", 100, "XX"), false);
        assert.equal(await redis.expire("k", 100, "NX"), true);
        assert.equal(await redis.expire("k", 200, "NX"), false);
        assert.equal(await redis.expire("k", 50, "GT"), false);
        assert.equal(await redis.expire("k", 150, "GT"), true);
        assert.equal(await redis.expire("k", 200, "LT"), false);
        assert.equal(await redis.expire("k", 120, "LT"), true);
        assert.equal(await redis.expire("k", 110, "XX"), true);
        assertBetween(await redis.ttl("k"), 109, 110);
        assert.equal(await redis.pexpire("k", 1_000_000, "LT"), false);
        assert.equal(
          await redis.expireat("k", Math.floor(Date.now() / 1000) + 500, "GT"),
          true,
        );
        assert.equal(
          await redis.pexpireat("k", Date.now() + 10_000, "GT"),
          false,
        );
      });
    },
  );

  await t.step(
    "persist() removes an expiry and reports whether there was one",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.set("k", "v", { ex: 100 });
        assert.equal(await redis.persist("k"), true);
        assert.equal(await redis.persist("k"), false);
        assert.equal(await redis.persist("missing"), false);
        assert.equal(await redis.ttl("k"), -1);
      });
    },
  );

  await t.step("type() names each type, none for a missing key", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.set("s", "v");
      await redis.rpush("l", "a");
      await redis.hset("h", { a: "1" });
      await redis.sadd("set", "a");
      await redis.zadd("z", { a: 1 });
      assert.deepStrictEqual(
        [
          await redis.type("s"),
          await redis.type("l"),
          await redis.type("h"),
          await redis.type("set"),
        ],
        ["string", "list", "hash", "set"],
      );
      assert.equal(await redis.type("z"), "zset");
      assert.equal(await redis.type("missing"), "none");
      assert.equal(await redis.binary.type("s"), "string");
    });
  });

  await t.step("rename() and renamenx() move keys", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.mset({ a: "1", b: "2" });
      assert.equal(await redis.rename("a", "c"), "OK");
      assert.equal(await redis.get("c"), "1");
      assert.equal(await redis.renamenx("c", "b"), false);
      assert.equal(await redis.renamenx("c", "d"), true);
      assert.deepStrictEqual(await redis.mget("a", "b", "c", "d"), [
        null,
        "2",
        null,
        "1",
      ]);
      await assert.rejects(redis.rename("missing", "x"), (error) => {
        assert.ok(error instanceof ReplyError);
        assert.equal(error.code, "ERR");
        assert.equal(error.command, "RENAME");
        return true;
      });
    });
  });

  await t.step("keys() returns the matching keys", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.mset({ "user:1": "a", "user:2": "b", "other": "c" });
      assert.deepStrictEqual((await redis.keys("user:*")).sort(), [
        "user:1",
        "user:2",
      ]);
      assert.deepStrictEqual(await redis.keys("nothing*"), []);
    });
  });

  await t.step(
    "scan() iteration collects every key, filtered by match and type",
    async () => {
      await eachProtocol(port, async (redis) => {
        const expected: string[] = [];
        const pairs: [string, string][] = [];
        for (let i = 0; i < 250; i++) {
          expected.push(`k:${i}`);
          pairs.push([`k:${i}`, `${i}`]);
        }
        await redis.mset(pairs);
        await redis.hset("k:hash", { a: "1" });
        await redis.set("other", "x");

        const seen = new Set<string>();
        let cursor = "0";
        let pages = 0;
        do {
          const [next, keys] = await redis.scan(cursor, {
            match: "k:*",
            count: 20,
            type: "string",
          });
          assert.equal(typeof next, "string");
          for (const key of keys) seen.add(key);
          cursor = next;
          pages++;
        } while (cursor !== "0");
        assert.ok(pages > 1, `expected several pages, got ${pages}`);
        assert.deepStrictEqual([...seen].sort(), expected.sort());

        const all = new Set<string>();
        let next: string | number = 0;
        do {
          const [cursorOut, keys] = await redis.scan(next);
          for (const key of keys) all.add(key);
          next = cursorOut;
        } while (next !== "0");
        assert.equal(all.size, 252);

        const [, hashes] = await redis.scan(0, { type: "hash", count: 1000 });
        assert.deepStrictEqual(hashes, ["k:hash"]);
      });
    },
  );

  await t.step(
    "randomkey() returns a key, or null for an empty database",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(await redis.randomkey(), null);
        await redis.set("only", "1");
        assert.equal(await redis.randomkey(), "only");
      });
    },
  );

  await t.step("copy() copies within and across databases", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.set("a", "1");
      assert.equal(await redis.copy("a", "b"), true);
      assert.equal(await redis.get("b"), "1");
      await redis.set("a", "2");
      assert.equal(await redis.copy("a", "b"), false);
      assert.equal(await redis.copy("a", "b", { replace: true }), true);
      assert.equal(await redis.get("b"), "2");
      assert.equal(await redis.copy("a", "a", { db: 3 }), true);
      assert.equal(await redis.db(3).get("a"), "2");
      assert.equal(await redis.copy("a", "a", { db: 3 }), false);
      assert.equal(await redis.copy("a", "a", { db: 3, replace: true }), true);
      assert.equal(await redis.copy("missing", "x"), false);
    });
  });

  await t.step("binary views return keys as Uint8Array", async () => {
    await eachProtocol(port, async (redis) => {
      const key = new Uint8Array([0xff, 0, 1]);
      await redis.set(key, "v");
      assert.deepStrictEqual(await redis.binary.keys("*"), [key]);
      assert.deepStrictEqual(await redis.binary.randomkey(), key);
      assert.deepStrictEqual(await redis.binary.scan(0), ["0", [key]]);
      assert.equal(await redis.exists(key), 1);
      assert.equal(await redis.rename(key, "text"), "OK");
      assert.deepStrictEqual(await redis.binary.keys("*"), [
        utf8.encode("text"),
      ]);
    });
  });
});
