// SortedSetCommands against a real redis-server, under RESP2 and RESP3 (whose
// score and pair shapes differ), plus the argument builders without a server.

import assert from "node:assert/strict";
import { ReplyError } from "../../mod.ts";
import {
  zaddArgs,
  zrangeArgs,
} from "../../lib/commands/sorted_sets_options.ts";
import { assertWrongType, eachProtocol } from "../_support/protocols.ts";
import { startRedisServer } from "../_support/redis_server.ts";

const utf8 = new TextEncoder();

Deno.test("zaddArgs puts conditions before score/member pairs", () => {
  assert.deepStrictEqual(zaddArgs("z", { a: 1, b: 2.5 }, undefined), [
    "z",
    1,
    "a",
    2.5,
    "b",
  ]);
  assert.deepStrictEqual(
    zaddArgs("z", [[Infinity, "a"]], { xx: true, gt: true, ch: true }),
    ["z", "XX", "GT", "CH", Infinity, "a"],
  );
  assert.deepStrictEqual(zaddArgs("z", [[1, "a"]], { nx: true }), [
    "z",
    "NX",
    1,
    "a",
  ]);
  assert.deepStrictEqual(zaddArgs("z", [[1, "a"]], { lt: true }), [
    "z",
    "LT",
    1,
    "a",
  ]);
  assert.deepStrictEqual(zaddArgs("z", [[1, "a"]], {}), ["z", 1, "a"]);
});

Deno.test("zrangeArgs adds BYSCORE/BYLEX, REV, LIMIT and WITHSCORES in ZRANGE's order", () => {
  assert.deepStrictEqual(zrangeArgs("z", 0, -1, undefined, false), [
    "z",
    0,
    -1,
  ]);
  assert.deepStrictEqual(zrangeArgs("z", 0, -1, undefined, true), [
    "z",
    0,
    -1,
    "WITHSCORES",
  ]);
  assert.deepStrictEqual(
    zrangeArgs("z", "+inf", "(1", {
      by: "SCORE",
      rev: true,
      limit: { offset: 2, count: 3 },
    }, true),
    ["z", "+inf", "(1", "BYSCORE", "REV", "LIMIT", 2, 3, "WITHSCORES"],
  );
  assert.deepStrictEqual(zrangeArgs("z", "[a", "+", { by: "LEX" }, false), [
    "z",
    "[a",
    "+",
    "BYLEX",
  ]);
});

Deno.test("SortedSetCommands return the same values under RESP2 and RESP3", async (t) => {
  await using server = await startRedisServer();
  const { port } = server;

  await t.step(
    "zadd() counts added members and honours nx, xx, gt, lt and ch",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(await redis.zadd("z", { a: 1, b: 2 }), 2);
        assert.equal(await redis.zadd("z", [[3, "c"], [20, "b"]]), 1);
        assert.equal(await redis.zscore("z", "b"), 20);
        // nx: only new members.
        assert.equal(await redis.zadd("z", { a: 100, d: 4 }, { nx: true }), 1);
        assert.equal(await redis.zscore("z", "a"), 1);
        // xx: only existing members; ch counts the change.
        assert.equal(
          await redis.zadd("z", { a: 5, e: 5 }, { xx: true, ch: true }),
          1,
        );
        assert.equal(await redis.zscore("z", "a"), 5);
        assert.equal(await redis.zscore("z", "e"), null);
        // gt / lt: only move scores one way.
        assert.equal(
          await redis.zadd("z", { a: 2 }, { gt: true, ch: true }),
          0,
        );
        assert.equal(
          await redis.zadd("z", { a: 9 }, { gt: true, ch: true }),
          1,
        );
        assert.equal(
          await redis.zadd("z", { a: 10 }, { lt: true, ch: true }),
          0,
        );
        assert.equal(
          await redis.zadd("z", { a: 0 }, { lt: true, ch: true }),
          1,
        );
        assert.equal(await redis.zscore("z", "a"), 0);
        await assert.rejects(
          redis.zadd("z", { a: 1 }, { nx: true, gt: true }),
          (error) => {
            assert.ok(error instanceof ReplyError);
            assert.equal(error.command, "ZADD");
            return true;
          },
        );
      });
    },
  );

  await t.step(
    "zscore() and zincrby() return doubles, including ±Infinity",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.zadd("z", {
          up: Infinity,
          down: -Infinity,
          half: 0.5,
          neg: -2.25,
        });
        assert.equal(await redis.zscore("z", "up"), Infinity);
        assert.equal(await redis.zscore("z", "down"), -Infinity);
        assert.equal(await redis.zscore("z", "half"), 0.5);
        assert.equal(await redis.zscore("z", "neg"), -2.25);
        assert.equal(await redis.zscore("z", "nope"), null);
        assert.equal(await redis.zscore("no-such-zset", "a"), null);
        assert.equal(await redis.zincrby("z", 3, "half"), 3.5);
        assert.equal(await redis.zincrby("z", 1, "new"), 1);
        assert.equal(await redis.zincrby("z", 1, "up"), Infinity);
        assert.equal(await redis.zincrby("z", 0.1, "new"), 1.1);
        await assert.rejects(redis.zincrby("z", -Infinity, "up"), ReplyError);
      });
    },
  );

  await t.step("zmscore() returns a score or null per member", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.zadd("z", { a: 1.5, b: -Infinity });
      assert.deepStrictEqual(await redis.zmscore("z", "a", "nope", "b"), [
        1.5,
        null,
        -Infinity,
      ]);
      assert.deepStrictEqual(await redis.zmscore("no-such-zset", "a"), [null]);
    });
  });

  await t.step("zrem(), zcard() and zcount() count members", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.zadd("z", { a: 1, b: 5, c: 10, d: Infinity });
      assert.equal(await redis.zcard("z"), 4);
      assert.equal(await redis.zcount("z", "-inf", "+inf"), 4);
      assert.equal(await redis.zcount("z", -Infinity, Infinity), 4);
      assert.equal(await redis.zcount("z", 5, 10), 2);
      assert.equal(await redis.zcount("z", "(5", 10), 1);
      assert.equal(await redis.zcount("z", "(1", "(10"), 1);
      assert.equal(await redis.zcount("no-such-zset", 0, 1), 0);
      assert.equal(await redis.zrem("z", "a", "nope"), 1);
      assert.equal(await redis.zcard("z"), 3);
      assert.equal(await redis.zcard("no-such-zset"), 0);
    });
  });

  await t.step("zrank() and zrevrank() return a rank or null", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.zadd("z", { a: 1, b: 2, c: 3 });
      assert.equal(await redis.zrank("z", "a"), 0);
      assert.equal(await redis.zrevrank("z", "a"), 2);
      assert.equal(await redis.zrank("z", "nope"), null);
      assert.equal(await redis.zrevrank("no-such-zset", "a"), null);
    });
  });

  await t.step(
    "zrange() reads by rank, score and lex, reversed and paged",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.zadd("z", { a: 1, b: 2, c: 3, d: 4 });
        assert.deepStrictEqual(await redis.zrange("z", 0, -1), [
          "a",
          "b",
          "c",
          "d",
        ]);
        assert.deepStrictEqual(await redis.zrange("z", 0, 1, { rev: true }), [
          "d",
          "c",
        ]);
        assert.deepStrictEqual(
          await redis.zrange("z", "(1", 3, { by: "SCORE" }),
          ["b", "c"],
        );
        assert.deepStrictEqual(
          await redis.zrange("z", "+inf", "-inf", { by: "SCORE", rev: true }),
          ["d", "c", "b", "a"],
        );
        assert.deepStrictEqual(
          await redis.zrange("z", -Infinity, Infinity, {
            by: "SCORE",
            limit: { offset: 1, count: 2 },
          }),
          ["b", "c"],
        );
        await redis.zadd("lex", { a: 0, b: 0, c: 0 });
        assert.deepStrictEqual(
          await redis.zrange("lex", "[b", "+", { by: "LEX" }),
          ["b", "c"],
        );
        assert.deepStrictEqual(
          await redis.zrange("lex", "(c", "-", { by: "LEX", rev: true }),
          ["b", "a"],
        );
        assert.deepStrictEqual(await redis.zrange("no-such-zset", 0, -1), []);
      });
    },
  );

  await t.step(
    "zrangeWithScores() returns [member, score] pairs under both protocols",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.zadd("z", { a: 1.5, b: 2, c: Infinity, m: -Infinity });
        assert.deepStrictEqual(await redis.zrangeWithScores("z", 0, -1), [
          ["m", -Infinity],
          ["a", 1.5],
          ["b", 2],
          ["c", Infinity],
        ]);
        assert.deepStrictEqual(
          await redis.zrangeWithScores("z", "+inf", 2, {
            by: "SCORE",
            rev: true,
            limit: { offset: 0, count: 1 },
          }),
          [["c", Infinity]],
        );
        assert.deepStrictEqual(await redis.zrangeWithScores("z", 1, 1), [[
          "a",
          1.5,
        ]]);
        assert.deepStrictEqual(
          await redis.zrangeWithScores("no-such-zset", 0, -1),
          [],
        );
      });
    },
  );

  await t.step(
    "zpopmin() and zpopmax() return pairs with and without a count",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.zadd("z", { a: 1, b: 2, c: 3, d: 4, e: Infinity });
        // Without a count RESP3 sends a flat [member, score]; with one, nested pairs.
        assert.deepStrictEqual(await redis.zpopmin("z"), [["a", 1]]);
        assert.deepStrictEqual(await redis.zpopmax("z"), [["e", Infinity]]);
        assert.deepStrictEqual(await redis.zpopmin("z", 1), [["b", 2]]);
        assert.deepStrictEqual(await redis.zpopmax("z", 5), [["d", 4], [
          "c",
          3,
        ]]);
        assert.deepStrictEqual(await redis.zpopmin("z"), []);
        assert.deepStrictEqual(await redis.zpopmax("z", 2), []);
        assert.deepStrictEqual(await redis.zpopmin("no-such-zset", 3), []);
      });
    },
  );

  await t.step(
    "zremrangebyscore() and zremrangebyrank() return how many were removed",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.zadd("z", { a: 1, b: 2, c: 3, d: 4, e: 5 });
        assert.equal(await redis.zremrangebyscore("z", "-inf", "(2"), 1);
        assert.equal(await redis.zremrangebyrank("z", -2, -1), 2);
        assert.deepStrictEqual(await redis.zrange("z", 0, -1), ["b", "c"]);
        assert.equal(await redis.zremrangebyscore("z", 10, Infinity), 0);
        assert.equal(await redis.zremrangebyrank("no-such-zset", 0, -1), 0);
      });
    },
  );

  await t.step(
    "zrangebyscore() returns members in a score range, paged",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.zadd("z", { a: 1, b: 2, c: 3, d: Infinity });
        assert.deepStrictEqual(await redis.zrangebyscore("z", 2, "+inf"), [
          "b",
          "c",
          "d",
        ]);
        assert.deepStrictEqual(
          await redis.zrangebyscore("z", "(1", Infinity, {
            limit: { offset: 1, count: 1 },
          }),
          ["c"],
        );
        assert.deepStrictEqual(await redis.zrangebyscore("z", 10, 20), []);
      });
    },
  );

  await t.step(
    "binary views return members as Uint8Array with number scores",
    async () => {
      await eachProtocol(port, async (redis) => {
        const blob = new Uint8Array([0, 0xff, 13, 10]);
        await redis.zadd("z", [[1, blob], [Infinity, "top"]]);
        assert.deepStrictEqual(await redis.binary.zrange("z", 0, -1), [
          blob,
          utf8.encode("top"),
        ]);
        assert.deepStrictEqual(
          await redis.binary.zrangeWithScores("z", 0, -1),
          [[blob, 1], [utf8.encode("top"), Infinity]],
        );
        assert.equal(await redis.binary.zscore("z", "top"), Infinity);
        assert.deepStrictEqual(await redis.binary.zmscore("z", blob), [1]);
        assert.equal(await redis.binary.zincrby("z", 0.5, blob), 1.5);
        assert.deepStrictEqual(await redis.binary.zpopmin("z"), [[blob, 1.5]]);
        assert.deepStrictEqual(await redis.binary.zpopmax("z", 1), [[
          utf8.encode("top"),
          Infinity,
        ]]);
      });
    },
  );

  await t.step(
    "sorted set commands reject WRONGTYPE with the command's name",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.set("s", "x");
        await assertWrongType(redis.zadd("s", { a: 1 }), "ZADD");
        await assertWrongType(redis.zscore("s", "a"), "ZSCORE");
        await assertWrongType(redis.zrange("s", 0, -1), "ZRANGE");
        await assertWrongType(redis.zrangeWithScores("s", 0, -1), "ZRANGE");
        await assertWrongType(redis.zpopmin("s"), "ZPOPMIN");
        await assertWrongType(redis.zrangebyscore("s", 0, 1), "ZRANGEBYSCORE");
        assert.equal(await redis.get("s"), "x");
      });
    },
  );
});
