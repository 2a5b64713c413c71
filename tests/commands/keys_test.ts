// KeyCommands against a real redis-server, under RESP2 and RESP3, plus the
// argument builders without a server.

import assert from "node:assert/strict";
import { connect, ReplyError } from "../../mod.ts";
import {
  migrateArgs,
  restoreArgs,
  scanArgs,
  sortArgs,
} from "../../lib/commands/keys_options.ts";
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

Deno.test("scanArgs adds MATCH, COUNT and TYPE only when given", () => {
  assert.deepStrictEqual(scanArgs([0], undefined), [0]);
  assert.deepStrictEqual(
    scanArgs(["7"], { match: "a*", count: 5, type: "hash" }),
    ["7", "MATCH", "a*", "COUNT", 5, "TYPE", "hash"],
  );
});

Deno.test("restoreArgs adds the flags and hints only when given", () => {
  const payload = new Uint8Array([1, 2]);
  assert.deepStrictEqual(restoreArgs("k", 0, payload, undefined), [
    "k",
    0,
    payload,
  ]);
  assert.deepStrictEqual(
    restoreArgs("k", 5, payload, {
      replace: true,
      absTtl: true,
      idleTime: 10,
      freq: 0,
    }),
    ["k", 5, payload, "REPLACE", "ABSTTL", "IDLETIME", 10, "FREQ", 0],
  );
});

Deno.test("migrateArgs puts one key in place, several after KEYS", () => {
  assert.deepStrictEqual(
    migrateArgs("h", 6379, "k", 0, 100, undefined),
    ["h", 6379, "k", 0, 100],
  );
  const key = new Uint8Array([0xff]);
  assert.deepStrictEqual(
    migrateArgs("h", 1, key, 2, 100, { copy: true, auth: "pw" }),
    ["h", 1, key, 2, 100, "COPY", "AUTH", "pw"],
  );
  assert.deepStrictEqual(
    migrateArgs("h", 1, ["a", key], 0, 100, {
      replace: true,
      auth: { username: "u", password: "p" },
    }),
    ["h", 1, "", 0, 100, "REPLACE", "AUTH2", "u", "p", "KEYS", "a", key],
  );
});

Deno.test("sortArgs follows the command's clause order", () => {
  assert.deepStrictEqual(sortArgs("k", undefined), ["k"]);
  assert.deepStrictEqual(
    sortArgs("k", {
      by: "w_*",
      limit: { offset: 1, count: 2 },
      get: ["#", "n_*"],
      order: "DESC",
      alpha: true,
      store: "d",
    }),
    [
      "k",
      ...["BY", "w_*", "LIMIT", 1, 2, "GET", "#", "GET", "n_*", "DESC"],
      ...["ALPHA", "STORE", "d"],
    ],
  );
  assert.deepStrictEqual(sortArgs("k", { get: "#" }), ["k", "GET", "#"]);
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
    "scan() yields every key, filtered by match and type",
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
        for await (
          const key of redis.scan({ match: "k:*", count: 20, type: "string" })
        ) {
          seen.add(key);
        }
        assert.deepStrictEqual([...seen].sort(), expected.sort());
        assert.equal(new Set(await Array.fromAsync(redis.scan())).size, 252);
        assert.deepStrictEqual(
          await Array.fromAsync(redis.scan({ type: "hash", count: 1000 })),
          ["k:hash"],
        );
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
      assert.deepStrictEqual(await Array.fromAsync(redis.binary.scan()), [key]);
      assert.equal(await redis.exists(key), 1);
      assert.equal(await redis.rename(key, "text"), "OK");
      assert.deepStrictEqual(await redis.binary.keys("*"), [
        utf8.encode("text"),
      ]);
    });
  });
  await t.step(
    "dump() returns bytes on every view; restore() recreates the value",
    async () => {
      await eachProtocol(port, async (redis) => {
        // Not UTF-8: a text view would mangle it if DUMP came back as text.
        const blob = new Uint8Array([0xff, 0x00, 0x80, 0xc3]);
        await redis.set("s", blob);
        const payload: Uint8Array | null = await redis.dump("s");
        assert.ok(payload instanceof Uint8Array);
        assert.equal(await redis.restore("copy", 0, payload), "OK");
        assert.deepStrictEqual(await redis.binary.get("copy"), blob);
        assert.equal(await redis.ttl("copy"), -1);
        assert.deepStrictEqual(await redis.binary.dump("s"), payload);
        assert.equal(await redis.dump("missing"), null);
        assert.equal(await redis.binary.dump("missing"), null);
        assert.deepStrictEqual(
          await redis.db(0).with({ timeout: 5000 }).dump("s"),
          payload,
        );
        const errors: unknown[] = [];
        redis.addEventListener("error", (event) => errors.push(event.error));
        assert.equal(redis.fireAndForget.dump("s"), undefined);
        assert.equal(await redis.get("missing"), null);
        assert.deepStrictEqual(errors, []);

        await assert.rejects(redis.restore("copy", 0, payload), (error) => {
          assert.ok(error instanceof ReplyError);
          assert.equal(error.code, "BUSYKEY");
          assert.equal(error.command, "RESTORE");
          return true;
        });
        await redis.rpush("list", "a", "b");
        const list = await redis.dump("list");
        assert.ok(list !== null);
        assert.equal(
          await redis.restore("copy", 100_000, list, { replace: true }),
          "OK",
        );
        assert.deepStrictEqual(await redis.lrange("copy", 0, -1), ["a", "b"]);
        assertBetween(await redis.pttl("copy"), 99_000, 100_000);
        assert.equal(
          await redis.restore("abs", Date.now() + 200_000, list, {
            absTtl: true,
          }),
          "OK",
        );
        assertBetween(await redis.pttl("abs"), 198_000, 200_000);
        assert.equal(
          await redis.restore("idle", 0, list, { idleTime: 1000 }),
          "OK",
        );
        assertBetween(await redis.objectIdletime("idle") ?? -1, 1000, 1002);
        await assert.rejects(
          redis.restore("bad", 0, new Uint8Array([1, 2, 3])),
          (error) => {
            assert.ok(error instanceof ReplyError);
            assert.equal(error.command, "RESTORE");
            return true;
          },
        );
      });
    },
  );

  await t.step(
    "dump() in multi() and pipeline() is bytes beside text replies",
    async () => {
      await eachProtocol(port, async (redis) => {
        const blob = new Uint8Array([0xff, 0xfe, 0]);
        await redis.set("s", blob);
        await redis.set("t", "héllo");
        await redis.hset("h", { "fïeld": "välue" });
        await redis.sadd("set", "ü");
        const [payload, text, hash, members, missing] = await redis.multi()
          .dump("s")
          .get("t")
          .hgetall("h")
          .smembers("set")
          .dump("missing")
          .exec();
        assert.ok(payload instanceof Uint8Array);
        assert.equal(text, "héllo");
        assert.deepStrictEqual({ ...hash }, { "fïeld": "välue" });
        assert.deepStrictEqual(members, ["ü"]);
        assert.equal(missing, null);
        await redis.restore("copy", 0, payload);
        assert.deepStrictEqual(await redis.binary.get("copy"), blob);

        const [piped, again] = await redis.pipeline().dump("s").get("t")
          .exec();
        assert.deepStrictEqual(piped, payload);
        assert.equal(again, "héllo");
        // On a binary view, the others stay bytes.
        const [bytes, raw] = await redis.binary.multi().dump("s").get("t")
          .exec();
        assert.deepStrictEqual(bytes, payload);
        assert.deepStrictEqual(raw, utf8.encode("héllo"));
      });
    },
  );

  await t.step(
    "migrate() moves one key or several to another server",
    async () => {
      await using target = await startRedisServer({ password: "pw" });
      await using remote = await connect({
        port: target.port,
        password: "pw",
      });
      {
        // Without credentials the target refuses, and the key stays here.
        // (First: the server then keeps its authenticated link for a while.)
        await using redis = await connect({ port });
        await redis.flushall();
        await redis.set("c", "3");
        await assert.rejects(
          redis.migrate("127.0.0.1", target.port, "c", 0, 5000),
          (error) => {
            assert.ok(error instanceof ReplyError);
            assert.equal(error.command, "MIGRATE");
            assert.match(error.message, /NOAUTH/);
            return true;
          },
        );
        assert.equal(await redis.get("c"), "3");
      }
      await eachProtocol(port, async (redis) => {
        await remote.flushall();
        await redis.mset({ a: "1", b: "2", c: "3" });
        const moved: "OK" | "NOKEY" = await redis.migrate(
          "127.0.0.1",
          target.port,
          "a",
          0,
          5000,
          { auth: "pw" },
        );
        assert.equal(moved, "OK");
        assert.equal(await redis.exists("a"), 0);
        assert.equal(await remote.get("a"), "1");

        assert.equal(
          await redis.migrate("127.0.0.1", target.port, ["b", "c"], 2, 5000, {
            copy: true,
            auth: { username: "default", password: "pw" },
          }),
          "OK",
        );
        assert.equal(await redis.exists("b", "c"), 2);
        assert.deepStrictEqual(await remote.db(2).mget("b", "c"), ["2", "3"]);

        await redis.set("b", "changed");
        await assert.rejects(
          redis.migrate("127.0.0.1", target.port, ["b"], 2, 5000, {
            copy: true,
            auth: "pw",
          }),
          (error) => {
            // The target's refusal, relayed.
            assert.ok(error instanceof ReplyError);
            assert.equal(error.command, "MIGRATE");
            assert.match(error.message, /BUSYKEY/);
            return true;
          },
        );
        assert.equal(
          await redis.migrate("127.0.0.1", target.port, ["b"], 2, 5000, {
            replace: true,
            auth: "pw",
          }),
          "OK",
        );
        assert.equal(await remote.db(2).get("b"), "changed");
        assert.equal(await redis.exists("b"), 0);

        assert.equal(
          await redis.migrate("127.0.0.1", target.port, "missing", 0, 5000),
          "NOKEY",
        );
        assert.equal(
          await redis.migrate("127.0.0.1", target.port, ["x", "y"], 0, 5000),
          "NOKEY",
        );
      });
    },
  );

  await t.step("move() moves a key to another database", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.set("k", "v");
      const moved: boolean = await redis.move("k", 1);
      assert.equal(moved, true);
      assert.equal(await redis.exists("k"), 0);
      assert.equal(await redis.db(1).get("k"), "v");
      assert.equal(await redis.move("k", 1), false);
      await redis.set("k", "here");
      assert.equal(await redis.move("k", 1), false);
      assert.equal(await redis.get("k"), "here");
      assert.equal(await redis.db(1).move("k", 0), false);
      assert.equal(await redis.db(1).move("k", 2), true);
      assert.equal(await redis.db(2).get("k"), "v");
      await assert.rejects(redis.move("k", 0), (error) => {
        assert.ok(error instanceof ReplyError);
        assert.equal(error.command, "MOVE");
        return true;
      });
    });
  });

  await t.step(
    "sort() and sortRo() sort numbers, strings, by and get patterns",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.rpush("n", "3", "10", "1", "2");
        const sorted: string[] = await redis.sort("n");
        assert.deepStrictEqual(sorted, ["1", "2", "3", "10"]);
        assert.deepStrictEqual(await redis.sort("n", { order: "DESC" }), [
          "10",
          "3",
          "2",
          "1",
        ]);
        assert.deepStrictEqual(
          await redis.sort("n", { alpha: true }),
          ["1", "10", "2", "3"],
        );
        assert.deepStrictEqual(
          await redis.sortRo("n", { limit: { offset: 1, count: 2 } }),
          ["2", "3"],
        );
        await redis.sadd("words", "pear", "apple", "fig");
        assert.deepStrictEqual(
          await redis.sortRo("words", { alpha: true, order: "DESC" }),
          ["pear", "fig", "apple"],
        );
        await assert.rejects(redis.sort("words"), (error) => {
          assert.ok(error instanceof ReplyError);
          assert.equal(error.command, "SORT");
          return true;
        });

        await redis.rpush("ids", "1", "2", "3");
        await redis.mset({ w_1: "30", w_2: "10", w_3: "20", name_2: "bob" });
        await redis.hset("user_1", { name: "ann" });
        assert.deepStrictEqual(await redis.sort("ids", { by: "w_*" }), [
          "2",
          "3",
          "1",
        ]);
        const rows: (string | null)[] = await redis.sort("ids", {
          by: "w_*",
          get: ["#", "name_*", "user_*->name"],
        });
        assert.deepStrictEqual(rows, [
          ...["2", "bob", null],
          ...["3", null, null],
          ...["1", null, "ann"],
        ]);
        assert.deepStrictEqual(
          await redis.sortRo("ids", { by: "nosort", get: "name_*" }),
          [null, "bob", null],
        );

        const stored: number = await redis.sort("n", {
          order: "DESC",
          limit: { offset: 0, count: 3 },
          store: "top",
        });
        assert.equal(stored, 3);
        assert.deepStrictEqual(await redis.lrange("top", 0, -1), [
          "10",
          "3",
          "2",
        ]);
        assert.equal(await redis.sort("missing", { store: "top" }), 0);
        assert.equal(await redis.exists("top"), 0);
        assert.deepStrictEqual(await redis.sort("missing"), []);
        assert.equal(await redis.bigint.sort("n", { store: "copy" }), 4n);

        const key = new Uint8Array([0xff]);
        await redis.rpush("bin", key, "a");
        assert.deepStrictEqual(
          await redis.binary.sort("bin", { alpha: true }),
          [utf8.encode("a"), key],
        );
        assert.deepStrictEqual(
          await redis.binary.sortRo("bin", { alpha: true, get: "#" }),
          [utf8.encode("a"), key],
        );
      });
    },
  );

  await t.step(
    "objectEncoding(), objectRefcount(), objectIdletime() and objectHelp() describe keys",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.set("int", 42);
        await redis.set("short", "abc");
        await redis.set("long", "x".repeat(100));
        await redis.hset("hash", { a: "1" });
        await redis.sadd("ints", "1", "2");
        const encoding: string | null = await redis.objectEncoding("int");
        assert.equal(encoding, "int");
        assert.equal(await redis.objectEncoding("short"), "embstr");
        assert.equal(await redis.objectEncoding("long"), "raw");
        assert.equal(await redis.objectEncoding("hash"), "listpack");
        assert.equal(await redis.objectEncoding("ints"), "intset");
        assert.equal(await redis.objectEncoding("missing"), null);
        assert.equal(await redis.binary.objectEncoding("int"), "int");

        assert.equal(await redis.objectRefcount("long"), 1);
        assert.ok((await redis.objectRefcount("int"))! > 1);
        assert.equal(await redis.objectRefcount("missing"), null);
        assertBetween(await redis.objectIdletime("long") ?? -1, 0, 2);
        assert.equal(await redis.objectIdletime("missing"), null);
        assert.equal(
          typeof await redis.bigint.objectIdletime("long"),
          "bigint",
        );

        const help: string[] = await redis.objectHelp();
        assert.ok(help.length > 5);
        assert.ok(help.every((line) => typeof line === "string"));
        assert.ok(help.some((line) => line.startsWith("ENCODING")));
        assert.ok(help.some((line) => line.startsWith("FREQ")));
        await assert.rejects(redis.objectFreq("long"), (error) => {
          assert.ok(error instanceof ReplyError);
          assert.equal(error.command, "OBJECT FREQ");
          return true;
        });
      });
    },
  );

  await t.step(
    "objectFreq() reads the LFU counter; restore() sets it with freq",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.send("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
        try {
          await redis.set("k", "v");
          const payload = await redis.dump("k");
          assert.ok(payload !== null);
          await redis.restore("hot", 0, payload, { freq: 200 });
          const freq: number | null = await redis.objectFreq("hot");
          assert.equal(freq, 200);
          assert.equal(await redis.objectFreq("missing"), null);
          await assert.rejects(redis.objectIdletime("hot"), ReplyError);
        } finally {
          await redis.send("CONFIG", "SET", "maxmemory-policy", "noeviction");
        }
      });
    },
  );

  await t.step(
    "expiretime() and pexpiretime() return the expiry, -1 or -2",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.set("k", "v", { pxat: 4102444800123 });
        const seconds: number = await redis.expiretime("k");
        assert.equal(seconds, 4102444800);
        assert.equal(await redis.pexpiretime("k"), 4102444800123);
        assert.equal(await redis.bigint.pexpiretime("k"), 4102444800123n);
        await redis.set("forever", "v");
        assert.equal(await redis.expiretime("forever"), -1);
        assert.equal(await redis.pexpiretime("forever"), -1);
        assert.equal(await redis.expiretime("missing"), -2);
        assert.equal(await redis.pexpiretime("missing"), -2);
      });
    },
  );

  await t.step("swapdb() swaps two databases", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.set("zero", "0");
      await redis.db(5).set("five", "5");
      const status: "OK" = await redis.swapdb(0, 5);
      assert.equal(status, "OK");
      assert.deepStrictEqual(await redis.mget("zero", "five"), [null, "5"]);
      assert.deepStrictEqual(await redis.db(5).mget("zero", "five"), [
        "0",
        null,
      ]);
      assert.equal(await redis.swapdb(5, 0), "OK");
      assert.equal(await redis.get("zero"), "0");
      await assert.rejects(redis.swapdb(0, 100_000), (error) => {
        assert.ok(error instanceof ReplyError);
        assert.equal(error.command, "SWAPDB");
        return true;
      });
    });
  });

  await t.step(
    "multi() and pipeline() queue the typed key commands",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.set("k", "v", { exat: 4102444800 });
        await redis.rpush("l", "2", "1");
        const [seconds, ms, encoding, sorted, rows, stored, moved] = succeeded(
          await redis
            .multi()
            .expiretime("k")
            .pexpiretime("k")
            .objectEncoding("k")
            .sort("l")
            .sortRo("l", { get: "#" })
            .sort("l", { store: "s" })
            .move("k", 1)
            .exec(),
        );
        const count: number = stored;
        const elements: string[] = sorted;
        assert.deepStrictEqual(
          [seconds, ms, encoding, elements, rows, count, moved],
          [
            4102444800,
            4102444800000,
            "embstr",
            ["1", "2"],
            ["1", "2"],
            2,
            true,
          ],
        );
        assert.deepStrictEqual(
          await redis.pipeline().objectRefcount("s").swapdb(0, 1).get("k")
            .swapdb(0, 1).exec(),
          [1, "OK", "v", "OK"],
        );
      });
    },
  );
});
