// ListCommands and ListMoveCommands against a real redis-server, under RESP2
// and RESP3, plus the argument builders without a server.

import assert from "node:assert/strict";
import { type PoppedElements, ReplyError } from "../../mod.ts";
import { ListMoveCommands } from "../../lib/commands/list_moves.ts";
import { lposArgs, mpopArgs } from "../../lib/commands/lists_options.ts";
import { assertWrongType, eachProtocol } from "../_support/protocols.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { succeeded } from "../_support/results.ts";

const utf8 = new TextEncoder();

Deno.test("lposArgs adds RANK and MAXLEN only when given", () => {
  assert.deepStrictEqual(lposArgs("l", "a", undefined), ["l", "a"]);
  assert.deepStrictEqual(lposArgs("l", "a", {}), ["l", "a"]);
  assert.deepStrictEqual(lposArgs("l", "a", { rank: -1, maxlen: 0 }), [
    "l",
    "a",
    "RANK",
    -1,
    "MAXLEN",
    0,
  ]);
});

Deno.test("lposArgs adds COUNT between RANK and MAXLEN, 0 included", () => {
  assert.deepStrictEqual(lposArgs("l", "a", { count: 0 }), [
    "l",
    "a",
    "COUNT",
    0,
  ]);
  assert.deepStrictEqual(
    lposArgs("l", "a", { rank: -1, count: 2, maxlen: 10 }),
    ["l", "a", "RANK", -1, "COUNT", 2, "MAXLEN", 10],
  );
});

Deno.test("mpopArgs counts the keys and adds COUNT only when given", () => {
  assert.deepStrictEqual(mpopArgs(["a"], "LEFT", undefined), [1, "a", "LEFT"]);
  assert.deepStrictEqual(mpopArgs(["a", "b"], "MAX", { count: 3 }), [
    2,
    "a",
    "b",
    "MAX",
    "COUNT",
    3,
  ]);
});

Deno.test("ListMoveCommands offers the blocking pops (tested in tests/client/blocking_test.ts)", () => {
  for (const name of ["blpop", "brpop", "brpoplpush", "blmove", "blmpop"]) {
    assert.equal(name in ListMoveCommands.prototype, true, name);
  }
});

Deno.test("ListCommands return the same values under RESP2 and RESP3", async (t) => {
  await using server = await startRedisServer();
  const { port } = server;

  await t.step(
    "lpush() and rpush() return the length and order elements",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(await redis.lpush("l", "b", "a"), 2);
        assert.equal(await redis.rpush("l", "c", 4, 5n), 5);
        assert.deepStrictEqual(await redis.lrange("l", 0, -1), [
          "a",
          "b",
          "c",
          "4",
          "5",
        ]);
        assert.deepStrictEqual(await redis.lrange("l", 1, 2), ["b", "c"]);
        assert.deepStrictEqual(await redis.lrange("l", -2, -1), ["4", "5"]);
        assert.deepStrictEqual(await redis.lrange("no-such-list", 0, -1), []);
      });
    },
  );

  await t.step(
    "lpushx() and rpushx() push only onto an existing list",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(await redis.lpushx("l", "a"), 0);
        assert.equal(await redis.rpushx("l", "a"), 0);
        assert.equal(await redis.exists("l"), 0);
        await redis.rpush("l", "m");
        assert.equal(await redis.lpushx("l", "a"), 2);
        assert.equal(await redis.rpushx("l", "z", "zz"), 4);
        assert.deepStrictEqual(await redis.lrange("l", 0, -1), [
          "a",
          "m",
          "z",
          "zz",
        ]);
      });
    },
  );

  await t.step(
    "lpop() and rpop() return an element, or null for a missing key",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.rpush("l", "a", "b", "c");
        assert.equal(await redis.lpop("l"), "a");
        assert.equal(await redis.rpop("l"), "c");
        assert.equal(await redis.lpop("l"), "b");
        assert.equal(await redis.lpop("l"), null);
        assert.equal(await redis.rpop("no-such-list"), null);
      });
    },
  );

  await t.step(
    "lpop() and rpop() with a count return an array, or null for a missing key",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.rpush("l", "a", "b", "c", "d", "e");
        assert.deepStrictEqual(await redis.lpop("l", 2), ["a", "b"]);
        assert.deepStrictEqual(await redis.rpop("l", 2), ["e", "d"]);
        assert.deepStrictEqual(await redis.lpop("l", 10), ["c"]);
        // RESP2 answers *-1 and RESP3 _ here: both are null.
        assert.equal(await redis.lpop("l", 2), null);
        assert.equal(await redis.rpop("no-such-list", 2), null);
      });
    },
  );

  await t.step("llen() and lindex() read the list", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.rpush("l", "a", "b", "c");
      assert.equal(await redis.llen("l"), 3);
      assert.equal(await redis.llen("no-such-list"), 0);
      assert.equal(await redis.lindex("l", 0), "a");
      assert.equal(await redis.lindex("l", -1), "c");
      assert.equal(await redis.lindex("l", 10), null);
      assert.equal(await redis.lindex("no-such-list", 0), null);
    });
  });

  await t.step(
    "lset() replaces an element and rejects an index out of range",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.rpush("l", "a", "b");
        assert.equal(await redis.lset("l", -1, "z"), "OK");
        assert.deepStrictEqual(await redis.lrange("l", 0, -1), ["a", "z"]);
        await assert.rejects(redis.lset("l", 5, "x"), (error) => {
          assert.ok(error instanceof ReplyError);
          assert.equal(error.code, "ERR");
          assert.equal(error.command, "LSET");
          return true;
        });
        await assert.rejects(redis.lset("no-such-list", 0, "x"), ReplyError);
      });
    },
  );

  await t.step(
    "lrem() removes from the head, the tail, or everywhere",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.rpush("l", "a", "x", "a", "x", "a");
        assert.equal(await redis.lrem("l", 1, "a"), 1);
        assert.deepStrictEqual(await redis.lrange("l", 0, -1), [
          "x",
          "a",
          "x",
          "a",
        ]);
        assert.equal(await redis.lrem("l", -1, "x"), 1);
        assert.deepStrictEqual(await redis.lrange("l", 0, -1), ["x", "a", "a"]);
        assert.equal(await redis.lrem("l", 0, "a"), 2);
        assert.equal(await redis.lrem("l", 0, "nope"), 0);
        assert.equal(await redis.lrem("no-such-list", 0, "a"), 0);
      });
    },
  );

  await t.step("ltrim() keeps a range", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.rpush("l", "a", "b", "c", "d");
      assert.equal(await redis.ltrim("l", 1, -2), "OK");
      assert.deepStrictEqual(await redis.lrange("l", 0, -1), ["b", "c"]);
      assert.equal(await redis.ltrim("no-such-list", 0, 1), "OK");
    });
  });

  await t.step(
    "linsert() returns the length, -1 without the pivot, 0 without the key",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.rpush("l", "a", "c");
        assert.equal(await redis.linsert("l", "BEFORE", "c", "b"), 3);
        assert.equal(await redis.linsert("l", "AFTER", "c", "d"), 4);
        assert.deepStrictEqual(await redis.lrange("l", 0, -1), [
          "a",
          "b",
          "c",
          "d",
        ]);
        assert.equal(await redis.linsert("l", "AFTER", "nope", "x"), -1);
        assert.equal(await redis.linsert("no-such-list", "AFTER", "a", "x"), 0);
      });
    },
  );

  await t.step(
    "lpos() returns an index or null, honouring rank and maxlen",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.rpush("l", "a", "b", "a", "c", "a");
        assert.equal(await redis.lpos("l", "a"), 0);
        assert.equal(await redis.lpos("l", "a", { rank: 2 }), 2);
        assert.equal(await redis.lpos("l", "a", { rank: -1 }), 4);
        assert.equal(await redis.lpos("l", "c", { maxlen: 3 }), null);
        assert.equal(await redis.lpos("l", "c", { maxlen: 4 }), 3);
        assert.equal(await redis.lpos("l", "nope"), null);
        assert.equal(await redis.lpos("no-such-list", "a"), null);
      });
    },
  );

  await t.step(
    "lpos() with count returns every matching index (count 0: all of them), [] when none",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.rpush("l", "a", "b", "a", "c", "a");
        const all: number[] = await redis.lpos("l", "a", { count: 0 });
        assert.deepStrictEqual(all, [0, 2, 4]);
        assert.deepStrictEqual(await redis.lpos("l", "a", { count: 2 }), [
          0,
          2,
        ]);
        assert.deepStrictEqual(
          await redis.lpos("l", "a", { count: 2, rank: -1 }),
          [4, 2],
        );
        assert.deepStrictEqual(
          await redis.lpos("l", "a", { count: 0, maxlen: 3 }),
          [0, 2],
        );
        assert.deepStrictEqual(await redis.lpos("l", "nope", { count: 1 }), []);
        assert.deepStrictEqual(
          await redis.lpos("no-such-list", "a", { count: 0 }),
          [],
        );
        assert.deepStrictEqual(
          await redis.bigint.lpos("l", "a", { count: 0 }),
          [0n, 2n, 4n],
        );
        const [indexes, first] = succeeded(
          await redis.multi().lpos("l", "a", { count: 0 }).lpos("l", "a")
            .exec(),
        );
        assert.deepStrictEqual(indexes, [0, 2, 4]);
        assert.equal(first, 0);
      });
    },
  );

  await t.step(
    "lmove() moves between ends and returns null for a missing source",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.rpush("src", "a", "b", "c");
        assert.equal(await redis.lmove("src", "dst", "LEFT", "RIGHT"), "a");
        assert.equal(await redis.lmove("src", "dst", "RIGHT", "LEFT"), "c");
        assert.deepStrictEqual(await redis.lrange("dst", 0, -1), ["c", "a"]);
        // Same list: rotate.
        await redis.rpush("ring", "1", "2", "3");
        assert.equal(await redis.lmove("ring", "ring", "LEFT", "RIGHT"), "1");
        assert.deepStrictEqual(await redis.lrange("ring", 0, -1), [
          "2",
          "3",
          "1",
        ]);
        assert.equal(
          await redis.lmove("no-such-list", "dst", "LEFT", "LEFT"),
          null,
        );
      });
    },
  );

  await t.step("binary views return elements as Uint8Array", async () => {
    await eachProtocol(port, async (redis) => {
      const blob = new Uint8Array([0, 0xff, 13, 10]);
      await redis.rpush("l", blob, "b", "c");
      assert.deepStrictEqual(await redis.binary.lindex("l", 0), blob);
      assert.deepStrictEqual(await redis.binary.lrange("l", 0, 1), [
        blob,
        utf8.encode("b"),
      ]);
      assert.deepStrictEqual(await redis.binary.rpop("l", 1), [
        utf8.encode("c"),
      ]);
      assert.deepStrictEqual(await redis.binary.lpop("l"), blob);
      assert.deepStrictEqual(
        await redis.binary.lmove("l", "l", "LEFT", "LEFT"),
        utf8.encode("b"),
      );
      assert.equal(await redis.binary.lpop("no-such-list"), null);
      assert.equal(await redis.binary.lpop("no-such-list", 3), null);
    });
  });

  await t.step(
    "list commands reject WRONGTYPE with the command's name",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.set("s", "x");
        await assertWrongType(redis.lpush("s", "a"), "LPUSH");
        await assertWrongType(redis.lpop("s"), "LPOP");
        await assertWrongType(redis.lpop("s", 2), "LPOP");
        await assertWrongType(redis.lrange("s", 0, -1), "LRANGE");
        await assertWrongType(redis.lmove("s", "d", "LEFT", "LEFT"), "LMOVE");
        assert.equal(await redis.get("s"), "x");
      });
    },
  );

  await t.step(
    "rpoplpush() moves the last element to the head of another list",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.rpush("todo", "a", "b", "c");
        await redis.rpush("doing", "x");
        assert.equal(await redis.rpoplpush("todo", "doing"), "c");
        assert.deepStrictEqual(await redis.lrange("todo", 0, -1), ["a", "b"]);
        assert.deepStrictEqual(await redis.lrange("doing", 0, -1), ["c", "x"]);
        // The same list rotates.
        assert.equal(await redis.rpoplpush("todo", "todo"), "b");
        assert.deepStrictEqual(await redis.lrange("todo", 0, -1), ["b", "a"]);
        assert.equal(await redis.rpoplpush("no-such-list", "doing"), null);
        assert.equal(await redis.llen("doing"), 2);
      });
    },
  );

  await t.step(
    "lmpop() pops from the first non-empty list and returns { key, elements }",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.rpush("second", "a", "b", "c", "d");
        const left: PoppedElements | null = await redis.lmpop(
          ["first", "second"],
          "LEFT",
        );
        assert.deepStrictEqual(left, { key: "second", elements: ["a"] });
        assert.deepStrictEqual(
          await redis.lmpop(["second"], "RIGHT", { count: 2 }),
          { key: "second", elements: ["d", "c"] },
        );
        await redis.rpush("first", "z");
        assert.deepStrictEqual(
          await redis.lmpop(["first", "second"], "LEFT", { count: 10 }),
          { key: "first", elements: ["z"] },
        );
        assert.deepStrictEqual(
          await redis.lmpop(["first", "second"], "LEFT", { count: 10 }),
          { key: "second", elements: ["b"] },
        );
        assert.equal(await redis.lmpop(["first", "second"], "LEFT"), null);
        await assert.rejects(
          redis.lmpop(["first"], "LEFT", { count: 0 }),
          ReplyError,
        );
        await redis.set("s", "x");
        await assertWrongType(redis.lmpop(["s"], "LEFT"), "LMPOP");
        await assertWrongType(redis.rpoplpush("s", "d"), "RPOPLPUSH");
      });
    },
  );

  await t.step(
    "multi(), pipeline() and binary views carry rpoplpush() and lmpop()",
    async () => {
      await eachProtocol(port, async (redis) => {
        const [length, moved, popped, none] = succeeded(
          await redis.multi()
            .rpush("l", "a", "b")
            .rpoplpush("l", "m")
            .lmpop(["m", "l"], "LEFT")
            .lmpop(["m"], "RIGHT")
            .exec(),
        );
        assert.equal(length, 2);
        assert.equal(moved, "b");
        const typed: PoppedElements | null = popped;
        assert.deepStrictEqual(typed, { key: "m", elements: ["b"] });
        assert.equal(none, null);
        const [rest] = await redis.pipeline()
          .lmpop(["l"], "LEFT", { count: 5 })
          .exec();
        assert.deepStrictEqual(rest, { key: "l", elements: ["a"] });
        const blob = new Uint8Array([0, 0xff, 13, 10]);
        await redis.rpush("bin", blob, "t");
        assert.deepStrictEqual(
          await redis.binary.rpoplpush("bin", "bin"),
          utf8.encode("t"),
        );
        const binary: PoppedElements<Uint8Array> | null = await redis.binary
          .lmpop(["bin"], "LEFT", { count: 2 });
        assert.deepStrictEqual(binary, {
          key: utf8.encode("bin"),
          elements: [utf8.encode("t"), blob],
        });
      });
    },
  );
});
