// SortedSetCommands against a real redis-server, under RESP2 and RESP3 (whose
// score and pair shapes differ), plus the argument builders without a server.

import assert from "node:assert/strict";
import {
  type PoppedMembers,
  ReplyError,
  type ScoredMember,
  type WithScoresOptions,
  type ZRangeOptions,
} from "../../mod.ts";
import {
  zaddArgs,
  zcombineArgs,
  zrangeArgs,
  zrangeByArgs,
  zrangestoreArgs,
} from "../../lib/commands/sorted_sets_options.ts";
import { assertWrongType, eachProtocol } from "../_support/protocols.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { succeeded } from "../_support/results.ts";

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
  assert.deepStrictEqual(
    zaddArgs("z", { a: 2 }, { incr: true, xx: true, lt: true }),
    ["z", "XX", "LT", "INCR", 2, "a"],
  );
});

Deno.test("zrangeArgs adds BYSCORE/BYLEX, REV, LIMIT and WITHSCORES in ZRANGE's order", () => {
  assert.deepStrictEqual(zrangeArgs("z", 0, -1, undefined), ["z", 0, -1]);
  assert.deepStrictEqual(zrangeArgs("z", 0, -1, { withScores: true }), [
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
      withScores: true,
    }),
    ["z", "+inf", "(1", "BYSCORE", "REV", "LIMIT", 2, 3, "WITHSCORES"],
  );
  assert.deepStrictEqual(zrangeArgs("z", "[a", "+", { by: "LEX" }), [
    "z",
    "[a",
    "+",
    "BYLEX",
  ]);
});

Deno.test("zrangestoreArgs puts both keys first and never WITHSCORES", () => {
  assert.deepStrictEqual(zrangestoreArgs("d", "s", 0, -1, undefined), [
    "d",
    "s",
    0,
    -1,
  ]);
  // A ZRangeOptions value with withScores may be passed where the type allows.
  const options: ZRangeOptions = { by: "LEX", rev: true, withScores: true };
  assert.deepStrictEqual(zrangestoreArgs("d", "s", "+", "-", options), [
    "d",
    "s",
    "+",
    "-",
    "BYLEX",
    "REV",
  ]);
});

Deno.test("zrangeByArgs adds WITHSCORES and LIMIT after the bounds", () => {
  assert.deepStrictEqual(zrangeByArgs("z", "-inf", 5, undefined), [
    "z",
    "-inf",
    5,
  ]);
  assert.deepStrictEqual(
    zrangeByArgs("z", 1, "(5", {
      withScores: true,
      limit: { offset: 0, count: 2 },
    }),
    ["z", 1, "(5", "WITHSCORES", "LIMIT", 0, 2],
  );
});

Deno.test("zcombineArgs counts the keys and adds WEIGHTS, AGGREGATE and WITHSCORES", () => {
  assert.deepStrictEqual(zcombineArgs([], ["a", "b"], undefined), [
    2,
    "a",
    "b",
  ]);
  assert.deepStrictEqual(
    zcombineArgs(["dest"], ["a", "b"], {
      weights: [1, 0.5],
      aggregate: "MAX",
      withScores: true,
    }),
    ["dest", 2, "a", "b", "WEIGHTS", 1, 0.5, "AGGREGATE", "MAX", "WITHSCORES"],
  );
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
    "zrange() with withScores returns { member, score } objects under both protocols",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.zadd("z", { a: 1.5, b: 2, c: Infinity, m: -Infinity });
        const all: ScoredMember[] = await redis.zrange("z", 0, -1, {
          withScores: true,
        });
        assert.deepStrictEqual(all, [
          { member: "m", score: -Infinity },
          { member: "a", score: 1.5 },
          { member: "b", score: 2 },
          { member: "c", score: Infinity },
        ]);
        assert.deepStrictEqual(
          await redis.zrange("z", "+inf", 2, {
            by: "SCORE",
            rev: true,
            limit: { offset: 0, count: 1 },
            withScores: true,
          }),
          [{ member: "c", score: Infinity }],
        );
        assert.deepStrictEqual(
          await redis.zrange("z", 1, 1, { withScores: true }),
          [{ member: "a", score: 1.5 }],
        );
        // withScores: false is the plain form.
        const plain: string[] = await redis.zrange("z", 0, 0, {
          withScores: false,
        });
        assert.deepStrictEqual(plain, ["m"]);
        // Options known only at run time give the union of both shapes.
        for (const withScores of [true, false]) {
          const options: ZRangeOptions = { withScores, rev: true };
          const either: string[] | ScoredMember[] = await redis.zrange(
            "z",
            0,
            0,
            options,
          );
          assert.deepStrictEqual(
            either,
            withScores ? [{ member: "c", score: Infinity }] : ["c"],
          );
        }
        assert.deepStrictEqual(
          await redis.zrange("no-such-zset", 0, -1, { withScores: true }),
          [],
        );
      });
    },
  );

  await t.step(
    "zpopmin() and zpopmax() return { member, score } with and without a count",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.zadd("z", { a: 1, b: 2, c: 3, d: 4, e: Infinity });
        // Without a count RESP3 sends a flat [member, score]; with one, nested pairs.
        assert.deepStrictEqual(await redis.zpopmin("z"), [
          { member: "a", score: 1 },
        ]);
        assert.deepStrictEqual(await redis.zpopmax("z"), [
          { member: "e", score: Infinity },
        ]);
        assert.deepStrictEqual(await redis.zpopmin("z", 1), [
          { member: "b", score: 2 },
        ]);
        assert.deepStrictEqual(await redis.zpopmax("z", 5), [
          { member: "d", score: 4 },
          { member: "c", score: 3 },
        ]);
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
    "zadd() with incr returns the new score, or null when a condition stops it",
    async () => {
      await eachProtocol(port, async (redis) => {
        const first: number | null = await redis.zadd("z", { a: 1.5 }, {
          incr: true,
        });
        assert.equal(first, 1.5);
        assert.equal(await redis.zadd("z", [[2, "a"]], { incr: true }), 3.5);
        assert.equal(
          await redis.zadd("z", { a: -Infinity }, { incr: true }),
          -Infinity,
        );
        // Each condition that stops the increment gives null, under both protocols.
        assert.equal(
          await redis.zadd("z", { a: 1 }, { incr: true, nx: true }),
          null,
        );
        assert.equal(
          await redis.zadd("z", { b: 1 }, { incr: true, xx: true }),
          null,
        );
        assert.equal(await redis.zscore("z", "b"), null);
        await redis.zadd("z", { c: 5 });
        assert.equal(
          await redis.zadd("z", { c: -1 }, { incr: true, gt: true }),
          null,
        );
        assert.equal(
          await redis.zadd("z", { c: 1 }, { incr: true, lt: true }),
          null,
        );
        assert.equal(
          await redis.zadd("z", { c: 1 }, { incr: true, gt: true }),
          6,
        );
        assert.equal(await redis.zscore("z", "c"), 6);
        // The INCR form takes exactly one member.
        await assert.rejects(
          redis.zadd("z", { a: 1, b: 2 }, { incr: true }),
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
    "zrangebyscore() and zrevrangebyscore() return members in a score range, paged, with scores on request",
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
        const scored: ScoredMember[] = await redis.zrangebyscore(
          "z",
          "(1",
          "+inf",
          { withScores: true, limit: { offset: 0, count: 2 } },
        );
        assert.deepStrictEqual(scored, [
          { member: "b", score: 2 },
          { member: "c", score: 3 },
        ]);
        assert.deepStrictEqual(
          await redis.zrevrangebyscore("z", "+inf", 2),
          ["d", "c", "b"],
        );
        assert.deepStrictEqual(
          await redis.zrevrangebyscore("z", "(3", "-inf", {
            limit: { offset: 1, count: 5 },
          }),
          ["a"],
        );
        assert.deepStrictEqual(
          await redis.zrevrangebyscore("z", Infinity, "(2", {
            withScores: true,
          }),
          [{ member: "d", score: Infinity }, { member: "c", score: 3 }],
        );
      });
    },
  );

  await t.step(
    "zrevrange() returns members by rank from the highest score, with scores on request",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.zadd("z", { a: 1, b: 2, c: 3 });
        assert.deepStrictEqual(await redis.zrevrange("z", 0, -1), [
          "c",
          "b",
          "a",
        ]);
        assert.deepStrictEqual(await redis.zrevrange("z", -1, -1), ["a"]);
        const scored: ScoredMember[] = await redis.zrevrange("z", 0, 1, {
          withScores: true,
        });
        assert.deepStrictEqual(scored, [
          { member: "c", score: 3 },
          { member: "b", score: 2 },
        ]);
        const options: WithScoresOptions = { withScores: false };
        assert.deepStrictEqual(await redis.zrevrange("z", 0, 0, options), [
          "c",
        ]);
        assert.deepStrictEqual(
          await redis.zrevrange("no-such-zset", 0, -1),
          [],
        );
      });
    },
  );

  await t.step(
    "zrangebylex(), zrevrangebylex(), zlexcount() and zremrangebylex() use lexicographic bounds",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.zadd("lex", { a: 0, b: 0, c: 0, d: 0, e: 0 });
        assert.deepStrictEqual(await redis.zrangebylex("lex", "-", "+"), [
          "a",
          "b",
          "c",
          "d",
          "e",
        ]);
        assert.deepStrictEqual(await redis.zrangebylex("lex", "(a", "[c"), [
          "b",
          "c",
        ]);
        assert.deepStrictEqual(
          await redis.zrangebylex("lex", "-", "+", {
            limit: { offset: 1, count: 2 },
          }),
          ["b", "c"],
        );
        assert.deepStrictEqual(await redis.zrevrangebylex("lex", "[c", "-"), [
          "c",
          "b",
          "a",
        ]);
        assert.deepStrictEqual(
          await redis.zrevrangebylex("lex", "+", "-", {
            limit: { offset: 0, count: 1 },
          }),
          ["e"],
        );
        assert.equal(await redis.zlexcount("lex", "-", "+"), 5);
        assert.equal(await redis.zlexcount("lex", "[b", "(d"), 2);
        assert.equal(await redis.zlexcount("no-such-zset", "-", "+"), 0);
        assert.equal(await redis.zremrangebylex("lex", "[b", "[c"), 2);
        assert.deepStrictEqual(await redis.zrange("lex", 0, -1), [
          "a",
          "d",
          "e",
        ]);
        // A bound that is not "[x", "(x", "-" or "+" is refused by the server.
        await assert.rejects(redis.zlexcount("lex", "a", "+"), ReplyError);
      });
    },
  );

  await t.step(
    "zrangestore() stores a range by rank, score or lex and returns its size",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.zadd("z", { a: 1, b: 2, c: 3, d: 4 });
        assert.equal(
          await redis.zrangestore("top", "z", 0, 1, { rev: true }),
          2,
        );
        assert.deepStrictEqual(
          await redis.zrange("top", 0, -1, { withScores: true }),
          [{ member: "c", score: 3 }, { member: "d", score: 4 }],
        );
        assert.equal(
          await redis.zrangestore("mid", "z", "(1", 3, {
            by: "SCORE",
            limit: { offset: 1, count: 5 },
          }),
          1,
        );
        assert.deepStrictEqual(await redis.zrange("mid", 0, -1), ["c"]);
        await redis.zadd("lex", { a: 0, b: 0, c: 0 });
        assert.equal(
          await redis.zrangestore("lexed", "lex", "[b", "+", { by: "LEX" }),
          2,
        );
        assert.deepStrictEqual(await redis.zrange("lexed", 0, -1), ["b", "c"]);
        // An empty range deletes the destination.
        assert.equal(await redis.zrangestore("top", "z", 10, 20), 0);
        assert.equal(await redis.exists("top"), 0);
      });
    },
  );

  await t.step(
    "zrandmember() returns a member, distinct or repeated members, or { member, score }",
    async () => {
      await eachProtocol(port, async (redis) => {
        const scores: Record<string, number> = { a: 1, b: 2.5, c: Infinity };
        await redis.zadd("z", scores);
        const one: string | null = await redis.zrandmember("z");
        assert.ok(one !== null && one in scores);
        assert.equal(await redis.zrandmember("no-such-zset"), null);
        const distinct: string[] = await redis.zrandmember("z", 5);
        assert.deepStrictEqual([...distinct].sort(), ["a", "b", "c"]);
        const repeated = await redis.zrandmember("z", -7);
        assert.equal(repeated.length, 7);
        for (const member of repeated) assert.ok(member in scores);
        const scored: ScoredMember[] = await redis.zrandmember("z", 2, {
          withScores: true,
        });
        assert.equal(scored.length, 2);
        assert.notEqual(scored[0]!.member, scored[1]!.member);
        for (const { member, score } of scored) {
          assert.equal(score, scores[member]);
        }
        const repeatedScored = await redis.zrandmember("z", -4, {
          withScores: true,
        });
        assert.equal(repeatedScored.length, 4);
        for (const { member, score } of repeatedScored) {
          assert.equal(score, scores[member]);
        }
        assert.deepStrictEqual(await redis.zrandmember("no-such-zset", 3), []);
        assert.deepStrictEqual(
          await redis.zrandmember("no-such-zset", 3, { withScores: true }),
          [],
        );
      });
    },
  );

  await t.step(
    "zmpop() pops from the first non-empty key and returns { key, members }",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.zadd("z", { a: 1, b: 2, c: Infinity });
        const min: PoppedMembers | null = await redis.zmpop(
          ["empty", "z"],
          "MIN",
        );
        assert.deepStrictEqual(min, {
          key: "z",
          members: [{ member: "a", score: 1 }],
        });
        assert.deepStrictEqual(await redis.zmpop(["z"], "MAX", { count: 5 }), {
          key: "z",
          members: [
            { member: "c", score: Infinity },
            { member: "b", score: 2 },
          ],
        });
        assert.equal(await redis.zmpop(["z", "empty"], "MIN"), null);
        assert.equal(await redis.exists("z"), 0);
      });
    },
  );

  await t.step(
    "zunion(), zinter() and zdiff() combine sets, with weights, aggregate and scores",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.zadd("a", { ann: 1, bob: 2 });
        await redis.zadd("b", { bob: 3, cy: 4 });
        await redis.sadd("plain", "ann", "cy");
        assert.deepStrictEqual(await redis.zunion(["a", "b"]), [
          "ann",
          "cy",
          "bob",
        ]);
        const union: ScoredMember[] = await redis.zunion(["a", "b"], {
          withScores: true,
        });
        assert.deepStrictEqual(union, [
          { member: "ann", score: 1 },
          { member: "cy", score: 4 },
          { member: "bob", score: 5 },
        ]);
        assert.deepStrictEqual(
          await redis.zunion(["a", "b"], {
            weights: [10, 1],
            aggregate: "MIN",
            withScores: true,
          }),
          [
            { member: "bob", score: 3 },
            { member: "cy", score: 4 },
            { member: "ann", score: 10 },
          ],
        );
        // A plain set counts with score 1 per member.
        assert.deepStrictEqual(
          await redis.zunion(["a", "plain"], { withScores: true }),
          [
            { member: "cy", score: 1 },
            { member: "ann", score: 2 },
            { member: "bob", score: 2 },
          ],
        );
        assert.deepStrictEqual(await redis.zinter(["a", "b"]), ["bob"]);
        assert.deepStrictEqual(
          await redis.zinter(["a", "b"], {
            aggregate: "MAX",
            withScores: true,
          }),
          [{ member: "bob", score: 3 }],
        );
        assert.deepStrictEqual(await redis.zinter(["a", "no-such-zset"]), []);
        assert.deepStrictEqual(await redis.zdiff(["a", "b"]), ["ann"]);
        assert.deepStrictEqual(
          await redis.zdiff(["b", "a"], { withScores: true }),
          [{ member: "cy", score: 4 }],
        );
        assert.deepStrictEqual(await redis.zdiff(["no-such-zset", "a"]), []);
        // More weights than keys is a syntax error.
        await assert.rejects(
          redis.zunion(["a"], { weights: [1, 2] }),
          ReplyError,
        );
      });
    },
  );

  await t.step(
    "zunionstore(), zinterstore(), zdiffstore() and zintercard() return sizes",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.zadd("a", { ann: 1, bob: 2 });
        await redis.zadd("b", { bob: 3, cy: 4 });
        assert.equal(
          await redis.zunionstore("u", ["a", "b"], { weights: [2, 1] }),
          3,
        );
        assert.deepStrictEqual(
          await redis.zrange("u", 0, -1, { withScores: true }),
          [
            { member: "ann", score: 2 },
            { member: "cy", score: 4 },
            { member: "bob", score: 7 },
          ],
        );
        assert.equal(
          await redis.zinterstore("i", ["a", "b"], { aggregate: "MIN" }),
          1,
        );
        assert.equal(await redis.zscore("i", "bob"), 2);
        assert.equal(await redis.zinterstore("i2", ["a", "b"]), 1);
        assert.equal(await redis.zscore("i2", "bob"), 5);
        assert.equal(await redis.zdiffstore("d", "a", "b"), 1);
        assert.deepStrictEqual(await redis.zrange("d", 0, -1), ["ann"]);
        assert.equal(await redis.zdiffstore("d", "a", "a"), 0);
        assert.equal(await redis.exists("d"), 0);
        assert.equal(await redis.zintercard(["a", "b"]), 1);
        assert.equal(await redis.zintercard(["u", "a"]), 2);
        assert.equal(await redis.zintercard(["u", "a"], { limit: 1 }), 1);
        assert.equal(await redis.zintercard(["u", "a"], { limit: 0 }), 2);
        assert.equal(await redis.zintercard(["a", "no-such-zset"]), 0);
      });
    },
  );

  await t.step(
    "multi() and pipeline() queue the typed sorted set commands",
    async () => {
      await eachProtocol(port, async (redis) => {
        const [added, scored, popped, union, incr] = succeeded(
          await redis.multi()
            .zadd("z", { a: 1, b: 2, c: 3 })
            .zrange("z", 0, 1, { withScores: true })
            .zmpop(["z"], "MAX")
            .zunion(["z", "no-such-zset"], { withScores: true })
            .zadd("z", { a: 10 }, { incr: true })
            .exec(),
        );
        assert.equal(added, 3);
        const members: ScoredMember[] = scored;
        assert.deepStrictEqual(members, [
          { member: "a", score: 1 },
          { member: "b", score: 2 },
        ]);
        assert.deepStrictEqual(popped, {
          key: "z",
          members: [{ member: "c", score: 3 }],
        });
        assert.deepStrictEqual(union, [
          { member: "a", score: 1 },
          { member: "b", score: 2 },
        ]);
        const score: number | null = incr;
        assert.equal(score, 11);
        const [random, pops, revs] = succeeded(
          await redis.pipeline()
            .zrandmember("z", 1, { withScores: true })
            .zpopmin("z", 5)
            .zrevrange("z", 0, -1)
            .exec(),
        );
        assert.equal(random.length, 1);
        assert.deepStrictEqual(pops, [
          { member: "b", score: 2 },
          { member: "a", score: 11 },
        ]);
        assert.deepStrictEqual(revs, []);
      });
    },
  );

  await t.step(
    "bigint, db() and fireAndForget views carry the new sorted set commands",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.zadd("a", { x: 1, y: 2 });
        await redis.zadd("b", { y: 3 });
        // Counts follow the view's integer type; scores stay numbers.
        const stored: bigint = await redis.bigint.zunionstore("u", ["a", "b"]);
        assert.equal(stored, 2n);
        assert.equal(await redis.bigint.zintercard(["a", "b"]), 1n);
        assert.equal(await redis.bigint.zlexcount("a", "-", "+"), 2n);
        assert.deepStrictEqual(
          await redis.bigint.zrange("u", 0, -1, { withScores: true }),
          [{ member: "x", score: 1 }, { member: "y", score: 5 }],
        );
        const other = redis.db(2);
        assert.equal(await other.zadd("z", { m: 1 }, { incr: true }), 1);
        assert.deepStrictEqual(await other.zmpop(["z"], "MIN"), {
          key: "z",
          members: [{ member: "m", score: 1 }],
        });
        assert.equal(await redis.exists("z"), 0);
        assert.equal(
          redis.fireAndForget.zadd("f", { m: 2 }, { incr: true }),
          undefined,
        );
        assert.equal(
          redis.fireAndForget.zunionstore("g", ["f", "a"], {
            aggregate: "MAX",
          }),
          undefined,
        );
        assert.deepStrictEqual(
          await redis.zrange("g", 0, -1, { withScores: true }),
          [
            { member: "x", score: 1 },
            { member: "m", score: 2 },
            { member: "y", score: 2 },
          ],
        );
      });
    },
  );

  await t.step(
    "binary views return members and keys as Uint8Array with number scores",
    async () => {
      await eachProtocol(port, async (redis) => {
        const blob = new Uint8Array([0, 0xff, 13, 10]);
        const top = utf8.encode("top");
        await redis.zadd("z", [[1, blob], [Infinity, "top"]]);
        assert.deepStrictEqual(await redis.binary.zrange("z", 0, -1), [
          blob,
          top,
        ]);
        const scored: ScoredMember<Uint8Array>[] = await redis.binary.zrange(
          "z",
          0,
          -1,
          { withScores: true },
        );
        assert.deepStrictEqual(scored, [
          { member: blob, score: 1 },
          { member: top, score: Infinity },
        ]);
        assert.equal(await redis.binary.zscore("z", "top"), Infinity);
        assert.deepStrictEqual(await redis.binary.zmscore("z", blob), [1]);
        assert.equal(await redis.binary.zincrby("z", 0.5, blob), 1.5);
        assert.deepStrictEqual(
          await redis.binary.zrandmember("z", -1, { withScores: true }).then(
            (items) => items.length,
          ),
          1,
        );
        assert.deepStrictEqual(
          await redis.binary.zunion(["z"], { withScores: true }),
          [{ member: blob, score: 1.5 }, { member: top, score: Infinity }],
        );
        assert.deepStrictEqual(
          await redis.binary.zrevrangebyscore("z", "+inf", "-inf"),
          [top, blob],
        );
        // Lex bounds may be bytes.
        await redis.zadd("lex", [[0, blob], [0, "a"]]);
        assert.deepStrictEqual(
          await redis.binary.zrangebylex(
            "lex",
            new Uint8Array([0x5b, ...blob]),
            "+",
          ),
          [blob, utf8.encode("a")],
        );
        assert.deepStrictEqual(await redis.binary.zpopmin("z"), [
          { member: blob, score: 1.5 },
        ]);
        const popped: PoppedMembers<Uint8Array> | null = await redis.binary
          .zmpop(["z"], "MAX");
        assert.deepStrictEqual(popped, {
          key: utf8.encode("z"),
          members: [{ member: top, score: Infinity }],
        });
      });
    },
  );

  await t.step(
    "sorted set commands reject WRONGTYPE with the command's name",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.set("s", "x");
        await assertWrongType(redis.zadd("s", { a: 1 }), "ZADD");
        await assertWrongType(
          redis.zadd("s", { a: 1 }, { incr: true }),
          "ZADD",
        );
        await assertWrongType(redis.zscore("s", "a"), "ZSCORE");
        await assertWrongType(redis.zrange("s", 0, -1), "ZRANGE");
        await assertWrongType(
          redis.zrange("s", 0, -1, { withScores: true }),
          "ZRANGE",
        );
        await assertWrongType(redis.zpopmin("s"), "ZPOPMIN");
        await assertWrongType(redis.zrangebyscore("s", 0, 1), "ZRANGEBYSCORE");
        await assertWrongType(redis.zrevrange("s", 0, 1), "ZREVRANGE");
        await assertWrongType(redis.zrangebylex("s", "-", "+"), "ZRANGEBYLEX");
        await assertWrongType(redis.zlexcount("s", "-", "+"), "ZLEXCOUNT");
        await assertWrongType(redis.zrandmember("s"), "ZRANDMEMBER");
        await assertWrongType(redis.zmpop(["s"], "MIN"), "ZMPOP");
        await assertWrongType(redis.zunion(["s"]), "ZUNION");
        await assertWrongType(redis.zinterstore("d", ["s"]), "ZINTERSTORE");
        await assertWrongType(redis.zdiff(["s"]), "ZDIFF");
        await assertWrongType(redis.zintercard(["s"]), "ZINTERCARD");
        await assertWrongType(
          redis.zrangestore("d", "s", 0, -1),
          "ZRANGESTORE",
        );
        assert.equal(await redis.get("s"), "x");
      });
    },
  );
});
