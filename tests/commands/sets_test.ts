// SetCommands against a real redis-server, under RESP2 and RESP3 (where set
// replies arrive as RESP3 sets and must still come back as arrays).

import assert from "node:assert/strict";
import { intercardArgs } from "../../lib/commands/sets_options.ts";
import { assertWrongType, eachProtocol } from "../_support/protocols.ts";
import { startRedisServer } from "../_support/redis_server.ts";

const utf8 = new TextEncoder();

/** A sorted copy, since set replies have no order. */
function sorted(members: string[]): string[] {
  assert.ok(Array.isArray(members), "set replies must be arrays");
  return [...members].sort();
}

Deno.test("intercardArgs counts the keys and adds LIMIT only when given", () => {
  assert.deepStrictEqual(intercardArgs(["a", "b"], undefined), [2, "a", "b"]);
  assert.deepStrictEqual(intercardArgs(["a"], { limit: 5 }), [
    1,
    "a",
    "LIMIT",
    5,
  ]);
});

Deno.test("SetCommands return the same values under RESP2 and RESP3", async (t) => {
  await using server = await startRedisServer();
  const { port } = server;

  await t.step(
    "sadd() and srem() count members added and removed",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(await redis.sadd("s", "a", "b", "a", 1), 3);
        assert.equal(await redis.sadd("s", "a"), 0);
        assert.equal(await redis.srem("s", "a", "nope"), 1);
        assert.equal(await redis.srem("no-such-set", "a"), 0);
        assert.equal(await redis.scard("s"), 2);
        assert.equal(await redis.scard("no-such-set"), 0);
      });
    },
  );

  await t.step("smembers() returns an array under both protocols", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.sadd("s", "c", "a", "b");
      assert.deepStrictEqual(sorted(await redis.smembers("s")), [
        "a",
        "b",
        "c",
      ]);
      assert.deepStrictEqual(await redis.smembers("no-such-set"), []);
    });
  });

  await t.step("sismember() and smismember() return booleans", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.sadd("s", "a");
      assert.equal(await redis.sismember("s", "a"), true);
      assert.equal(await redis.sismember("s", "b"), false);
      assert.equal(await redis.sismember("no-such-set", "a"), false);
      assert.deepStrictEqual(await redis.smismember("s", "a", "b", "a"), [
        true,
        false,
        true,
      ]);
      assert.deepStrictEqual(await redis.smismember("no-such-set", "a"), [
        false,
      ]);
    });
  });

  await t.step(
    "spop() returns a member or null; with a count an array",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.sadd("s", "a", "b", "c");
        const one = await redis.spop("s");
        assert.ok(one !== null && ["a", "b", "c"].includes(one));
        const rest = await redis.spop("s", 5);
        assert.deepStrictEqual(sorted([one, ...rest]), ["a", "b", "c"]);
        assert.equal(await redis.spop("s"), null);
        assert.deepStrictEqual(await redis.spop("s", 2), []);
        assert.equal(await redis.spop("no-such-set"), null);
      });
    },
  );

  await t.step(
    "srandmember() returns a member or null; with a count an array",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.sadd("s", "only");
        assert.equal(await redis.srandmember("s"), "only");
        assert.deepStrictEqual(await redis.srandmember("s", 5), ["only"]);
        assert.deepStrictEqual(await redis.srandmember("s", -3), [
          "only",
          "only",
          "only",
        ]);
        assert.equal(await redis.scard("s"), 1);
        assert.equal(await redis.srandmember("no-such-set"), null);
        assert.deepStrictEqual(await redis.srandmember("no-such-set", 2), []);
      });
    },
  );

  await t.step("sinter(), sunion() and sdiff() return arrays", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.sadd("a", "1", "2", "3");
      await redis.sadd("b", "2", "3", "4");
      assert.deepStrictEqual(sorted(await redis.sinter("a", "b")), ["2", "3"]);
      assert.deepStrictEqual(sorted(await redis.sunion("a", "b")), [
        "1",
        "2",
        "3",
        "4",
      ]);
      assert.deepStrictEqual(sorted(await redis.sdiff("a", "b")), ["1"]);
      assert.deepStrictEqual(await redis.sinter("a", "no-such-set"), []);
      assert.deepStrictEqual(sorted(await redis.sdiff("a", "no-such-set")), [
        "1",
        "2",
        "3",
      ]);
    });
  });

  await t.step(
    "sinterstore(), sunionstore() and sdiffstore() return the stored size",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.sadd("a", "1", "2", "3");
        await redis.sadd("b", "2", "3", "4");
        assert.equal(await redis.sinterstore("i", "a", "b"), 2);
        assert.equal(await redis.sunionstore("u", "a", "b"), 4);
        assert.equal(await redis.sdiffstore("d", "a", "b"), 1);
        assert.deepStrictEqual(sorted(await redis.smembers("i")), ["2", "3"]);
        assert.deepStrictEqual(sorted(await redis.smembers("u")), [
          "1",
          "2",
          "3",
          "4",
        ]);
        assert.deepStrictEqual(await redis.smembers("d"), ["1"]);
        assert.equal(await redis.sinterstore("i", "a", "no-such-set"), 0);
        assert.equal(await redis.exists("i"), 0);
      });
    },
  );

  await t.step("smove() returns whether the member moved", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.sadd("from", "a");
      assert.equal(await redis.smove("from", "to", "a"), true);
      assert.equal(await redis.smove("from", "to", "a"), false);
      assert.deepStrictEqual(await redis.smembers("to"), ["a"]);
    });
  });

  await t.step("sscan() pages collect every matching member", async () => {
    await eachProtocol(port, async (redis) => {
      const expected: string[] = [];
      for (let i = 0; i < 500; i++) expected.push(`m${i}`);
      await redis.sadd("s", ...expected, "other");
      const seen = new Set<string>();
      let cursor = "0";
      let pages = 0;
      do {
        const [next, page] = await redis.sscan("s", cursor, {
          match: "m*",
          count: 50,
        });
        for (const member of page) seen.add(member);
        cursor = next;
        pages++;
      } while (cursor !== "0");
      assert.ok(pages > 1, `expected several pages, got ${pages}`);
      assert.deepStrictEqual([...seen].sort(), expected.sort());
      assert.deepStrictEqual(await redis.sscan("no-such-set", 0), ["0", []]);
    });
  });

  await t.step("binary views return members as Uint8Array", async () => {
    await eachProtocol(port, async (redis) => {
      const blob = new Uint8Array([0, 0xff, 13, 10]);
      await redis.sadd("s", blob);
      assert.deepStrictEqual(await redis.binary.smembers("s"), [blob]);
      assert.deepStrictEqual(await redis.binary.srandmember("s"), blob);
      assert.deepStrictEqual(await redis.binary.srandmember("s", 1), [blob]);
      assert.deepStrictEqual(await redis.binary.sinter("s"), [blob]);
      assert.deepStrictEqual(await redis.binary.sscan("s", 0), ["0", [blob]]);
      assert.equal(await redis.sismember("s", blob), true);
      assert.deepStrictEqual(await redis.binary.spop("s", 1), [blob]);
      await redis.sadd("t", "x");
      assert.deepStrictEqual(await redis.binary.spop("t"), utf8.encode("x"));
    });
  });

  await t.step(
    "set commands reject WRONGTYPE with the command's name",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.set("str", "x");
        await assertWrongType(redis.sadd("str", "a"), "SADD");
        await assertWrongType(redis.smembers("str"), "SMEMBERS");
        await assertWrongType(redis.sinter("str"), "SINTER");
        await assertWrongType(redis.spop("str", 1), "SPOP");
        await assertWrongType(redis.sscan("str", 0), "SSCAN");
        assert.equal(await redis.get("str"), "x");
      });
    },
  );

  await t.step(
    "sintercard() counts the intersection, up to a limit",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.sadd("a", "x", "y", "z", "w");
        await redis.sadd("b", "x", "y", "z");
        await redis.sadd("c", "y", "z");
        assert.equal(await redis.sintercard(["a", "b"]), 3);
        assert.equal(await redis.sintercard(["a", "b", "c"]), 2);
        assert.equal(await redis.sintercard(["a"]), 4);
        assert.equal(await redis.sintercard(["a", "b"], { limit: 2 }), 2);
        assert.equal(await redis.sintercard(["a", "b"], { limit: 10 }), 3);
        assert.equal(await redis.sintercard(["a", "b"], { limit: 0 }), 3);
        assert.equal(await redis.sintercard(["a", "no-such-set"]), 0);
        // The sets are only read.
        assert.equal(await redis.scard("a"), 4);
        await redis.set("str", "x");
        await assertWrongType(redis.sintercard(["str"]), "SINTERCARD");
        const [count, limited] = await redis.multi()
          .sintercard(["b", "c"])
          .sintercard(["b", "c"], { limit: 1 })
          .exec();
        assert.equal(count, 2);
        assert.equal(limited, 1);
        const [piped] = await redis.binary.pipeline().sintercard(["a", "c"])
          .exec();
        assert.equal(piped, 2);
        assert.equal(await redis.bigint.sintercard(["a", "b"]), 3n);
      });
    },
  );
});
