// HashCommands against a real redis-server, under RESP2 and RESP3, plus the
// argument builders without a server.

import assert from "node:assert/strict";
import { IntegerRangeError, ReplyError } from "../../mod.ts";
import { hsetArgs } from "../../lib/commands/hashes_options.ts";
import { assertWrongType, eachProtocol } from "../_support/protocols.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { succeeded } from "../_support/results.ts";

const utf8 = new TextEncoder();

/** An object with no prototype holding `entries`, as `record` builds it. */
function bare<V>(entries: [string, V][]): Record<string, V> {
  const out: Record<string, V> = Object.create(null);
  for (const [key, value] of entries) out[key] = value;
  return out;
}

Deno.test("hsetArgs flattens an object or [field, value] pairs after the key", () => {
  assert.deepStrictEqual(hsetArgs("h", { a: "1", b: 2 }), [
    "h",
    "a",
    "1",
    "b",
    2,
  ]);
  const bytes = new Uint8Array([0xff]);
  assert.deepStrictEqual(hsetArgs("h", [[bytes, 1n], [3, "x"]]), [
    "h",
    bytes,
    1n,
    3,
    "x",
  ]);
  // A computed __proto__ key is an own property: it is sent as a field.
  assert.deepStrictEqual(hsetArgs("h", { ["__proto__"]: "x" }), [
    "h",
    "__proto__",
    "x",
  ]);
});

Deno.test("HashCommands return the same values under RESP2 and RESP3", async (t) => {
  await using server = await startRedisServer();
  const { port } = server;

  await t.step(
    "hset() counts new fields and hget() reads them back",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(await redis.hset("h", { a: "1", b: 2 }), 2);
        assert.equal(await redis.hset("h", [["b", "two"], ["c", 3n]]), 1);
        assert.equal(await redis.hget("h", "a"), "1");
        assert.equal(await redis.hget("h", "b"), "two");
        assert.equal(await redis.hget("h", "c"), "3");
        assert.equal(await redis.hget("h", "missing"), null);
        assert.equal(await redis.hget("no-such-hash", "a"), null);
      });
    },
  );

  await t.step("hsetnx() sets a field only when it is missing", async () => {
    await eachProtocol(port, async (redis) => {
      assert.equal(await redis.hsetnx("h", "a", "1"), true);
      assert.equal(await redis.hsetnx("h", "a", "2"), false);
      assert.equal(await redis.hget("h", "a"), "1");
    });
  });

  await t.step("hmget() returns null for each missing field", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.hset("h", { a: "1", c: "3" });
      assert.deepStrictEqual(await redis.hmget("h", "a", "b", "c"), [
        "1",
        null,
        "3",
      ]);
      assert.deepStrictEqual(await redis.hmget("no-such-hash", "a"), [null]);
    });
  });

  await t.step("hgetall() returns the same prototype-free object", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.hset("h", { a: "1", b: "", "é": "ü" });
      const all = await redis.hgetall("h");
      assert.equal(Object.getPrototypeOf(all), null);
      assert.deepStrictEqual(all, bare([["a", "1"], ["b", ""], ["é", "ü"]]));
      assert.deepStrictEqual(await redis.hgetall("no-such-hash"), bare([]));
    });
  });

  await t.step(
    "hgetall() keeps __proto__ and constructor as plain fields (M9)",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.hset("h", [["__proto__", "x"], ["constructor", "y"], [
          "toString",
          "z",
        ]]);
        const all = await redis.hgetall("h");
        assert.equal(Object.getPrototypeOf(all), null);
        assert.deepStrictEqual(Object.keys(all).sort(), [
          "__proto__",
          "constructor",
          "toString",
        ]);
        assert.equal(all["__proto__"], "x");
        assert.equal(all["constructor"], "y");
        assert.equal(all["toString"], "z");
        assert.equal(
          Object.prototype.hasOwnProperty.call(Object.prototype, "x"),
          false,
        );
        assert.equal(({} as Record<string, unknown>)["x"], undefined);
        assert.equal(typeof Object.prototype.toString, "function");
        const pairs = await Array.fromAsync(redis.hscan("h"));
        assert.deepStrictEqual(pairs.sort(), [
          ["__proto__", "x"],
          ["constructor", "y"],
          ["toString", "z"],
        ]);
      });
    },
  );

  await t.step("hdel() and hexists() report fields", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.hset("h", { a: "1", b: "2" });
      assert.equal(await redis.hexists("h", "a"), true);
      assert.equal(await redis.hdel("h", "a", "nope"), 1);
      assert.equal(await redis.hexists("h", "a"), false);
      assert.equal(await redis.hexists("no-such-hash", "a"), false);
      assert.equal(await redis.hdel("no-such-hash", "a"), 0);
    });
  });

  await t.step(
    "hincrby() returns an exact bigint past 2^53 on the bigint view",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(await redis.hincrby("h", "n", 5), 5);
        assert.equal(await redis.hincrby("h", "n", -7), -2);
        await redis.hset("h", { big: "9007199254740992" });
        await assert.rejects(
          redis.hincrby("h", "big", 1),
          (error) =>
            error instanceof IntegerRangeError &&
            error.value === 9007199254740993n,
        );
        assert.equal(
          await redis.bigint.hincrby("h", "big", 1),
          9007199254740994n,
        );
        assert.equal(
          await redis.bigint.hincrby("h", "huge", 9223372036854775807n),
          9223372036854775807n,
        );
        await assert.rejects(redis.hincrby("h", "huge", 1), (error) => {
          assert.ok(error instanceof ReplyError);
          assert.equal(error.command, "HINCRBY");
          return true;
        });
      });
    },
  );

  await t.step("hincrbyfloat() returns a number", async () => {
    await eachProtocol(port, async (redis) => {
      assert.equal(await redis.hincrbyfloat("h", "x", 1.5), 1.5);
      assert.equal(await redis.hincrbyfloat("h", "x", -0.25), 1.25);
      assert.equal(await redis.hincrbyfloat("h", "x", 1e3), 1001.25);
    });
  });

  await t.step(
    "hkeys(), hvals(), hlen() and hstrlen() describe the hash",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.hset("h", [["a", "1"], ["b", "zoë"]]);
        assert.deepStrictEqual((await redis.hkeys("h")).sort(), ["a", "b"]);
        assert.deepStrictEqual((await redis.hvals("h")).sort(), ["1", "zoë"]);
        assert.equal(await redis.hlen("h"), 2);
        assert.equal(await redis.hstrlen("h", "b"), 4);
        assert.equal(await redis.hstrlen("h", "nope"), 0);
        assert.deepStrictEqual(await redis.hkeys("no-such-hash"), []);
        assert.deepStrictEqual(await redis.hvals("no-such-hash"), []);
        assert.equal(await redis.hlen("no-such-hash"), 0);
      });
    },
  );

  await t.step(
    "hrandfield() returns a field, or null for a missing key",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.hset("h", { only: "1" });
        assert.equal(await redis.hrandfield("h"), "only");
        assert.equal(await redis.hrandfield("no-such-hash"), null);
      });
    },
  );

  await t.step(
    "hscan() yields every matching [field, value] pair",
    async () => {
      await eachProtocol(port, async (redis) => {
        const fields: Record<string, string> = {};
        // Values over 64 bytes make a hashtable, which HSCAN pages through.
        for (let i = 0; i < 300; i++) fields[`f${i}`] = `v${i}`.padEnd(80, ".");
        fields["other"] = "o";
        await redis.hset("h", fields);
        const seen = new Map<string, string>();
        for await (
          const [field, value] of redis.hscan("h", {
            match: "f*",
            count: 50,
          })
        ) {
          assert.equal(typeof field, "string");
          seen.set(field, value);
        }
        delete fields["other"];
        assert.deepStrictEqual(Object.fromEntries(seen), fields);
        assert.deepStrictEqual(
          await Array.fromAsync(redis.hscan("no-such-hash")),
          [],
        );
      });
    },
  );

  await t.step(
    "binary views return values as Uint8Array and field names as text",
    async () => {
      await eachProtocol(port, async (redis) => {
        const blob = new Uint8Array([0, 0xff, 13, 10, 0x80]);
        await redis.hset("h", [["blob", blob], [
          new Uint8Array([0x61]),
          "text",
        ]]);
        assert.deepStrictEqual(await redis.binary.hget("h", "blob"), blob);
        assert.deepStrictEqual(await redis.binary.hmget("h", "a", "nope"), [
          utf8.encode("text"),
          null,
        ]);
        // Binary views give a Map of bytes: field names need not be UTF-8.
        assert.deepStrictEqual(
          await redis.binary.hgetall("h"),
          new Map([[utf8.encode("blob"), blob], [
            utf8.encode("a"),
            utf8.encode("text"),
          ]]),
        );
        const field = new Uint8Array([0xff, 0x00, 0xc3]);
        await redis.hset("raw", [[field, blob]]);
        const raw = await redis.binary.hgetall("raw");
        assert.deepStrictEqual([...raw], [[field, blob]]);
        assert.deepStrictEqual(await redis.binary.hgetall("nope"), new Map());
        assert.deepStrictEqual(
          await redis.binary.pipeline().hgetall("raw").exec(),
          [new Map([[field, blob]])],
        );
        assert.deepStrictEqual(
          (await redis.binary.hkeys("h")).map((field) =>
            new TextDecoder().decode(field)
          ).sort(),
          ["a", "blob"],
        );
        const pairs = await Array.fromAsync(redis.binary.hscan("h"));
        assert.deepStrictEqual(
          new Map(pairs.map(([f, v]) => [new TextDecoder().decode(f), v])),
          new Map([["blob", blob], ["a", utf8.encode("text")]]),
        );
        assert.ok(pairs.every(([f]) => f instanceof Uint8Array));
        assert.equal(await redis.binary.hget("h", "nope"), null);
      });
    },
  );

  await t.step(
    "field names starting with U+FEFF keep it, and binary views never drop a field whose name is not UTF-8",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.hset("h", { "\uFEFFa": "1", a: "2" });
        assert.deepStrictEqual(
          await redis.hgetall("h"),
          bare([["\uFEFFa", "1"], ["a", "2"]]),
        );
        assert.deepStrictEqual(
          await redis.binary.hgetall("h"),
          new Map([[utf8.encode("\uFEFFa"), utf8.encode("1")], [
            utf8.encode("a"),
            utf8.encode("2"),
          ]]),
        );
        assert.deepStrictEqual((await redis.hkeys("h")).sort(), [
          "a",
          "\uFEFFa",
        ]);
        await redis.hset("raw", [
          [new Uint8Array([0xff]), "1"],
          [new Uint8Array([0xfe]), "2"],
        ]);
        // Both names would decode to U+FFFD as text: the Map keeps both.
        assert.deepStrictEqual(
          await redis.binary.hgetall("raw"),
          new Map([[new Uint8Array([0xff]), utf8.encode("1")], [
            new Uint8Array([0xfe]),
            utf8.encode("2"),
          ]]),
        );
        assert.equal(
          (await Array.fromAsync(redis.binary.hscan("raw"))).length,
          2,
        );
      });
    },
  );

  await t.step(
    "fireAndForget views issue hash commands in order and return nothing",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(redis.fireAndForget.hset("h", { a: "1" }), undefined);
        assert.equal(redis.fireAndForget.hincrby("h", "a", 2), undefined);
        assert.equal(await redis.hget("h", "a"), "3");
      });
    },
  );

  await t.step(
    "hash commands reject WRONGTYPE with the command's name",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.set("s", "x");
        await assertWrongType(redis.hget("s", "a"), "HGET");
        await assertWrongType(redis.hset("s", { a: "1" }), "HSET");
        await assertWrongType(redis.hgetall("s"), "HGETALL");
        await assertWrongType(redis.hincrby("s", "a", 1), "HINCRBY");
        await assertWrongType(redis.hscan("s").next(), "HSCAN");
        // The connection stays usable after the error replies.
        assert.equal(await redis.get("s"), "x");
      });
    },
  );

  await t.step(
    "hrandfield() with a count returns distinct or repeated fields, and [field, value] pairs withValues",
    async () => {
      await eachProtocol(port, async (redis) => {
        const fields = { a: "1", b: "2", c: "3" };
        await redis.hset("h", fields);
        const distinct: string[] = await redis.hrandfield("h", 10);
        assert.deepStrictEqual([...distinct].sort(), ["a", "b", "c"]);
        assert.equal((await redis.hrandfield("h", 2)).length, 2);
        const repeated = await redis.hrandfield("h", -5);
        assert.equal(repeated.length, 5);
        for (const field of repeated) assert.ok(field in fields);
        const pairs: [string, string][] = await redis.hrandfield("h", 3, {
          withValues: true,
        });
        assert.deepStrictEqual(
          [...pairs].sort(([x], [y]) => x.localeCompare(y)),
          [["a", "1"], ["b", "2"], ["c", "3"]],
        );
        // A negative count may repeat a field, so the reply is pairs, not a record.
        const repeatedPairs = await redis.hrandfield("h", -6, {
          withValues: true,
        });
        assert.equal(repeatedPairs.length, 6);
        for (const [field, value] of repeatedPairs) {
          assert.equal(value, fields[field as keyof typeof fields]);
        }
        const plain: string[] = await redis.hrandfield("h", 1, {
          withValues: false,
        });
        assert.equal(plain.length, 1);
        assert.deepStrictEqual(await redis.hrandfield("h", 0), []);
        assert.deepStrictEqual(await redis.hrandfield("no-such-hash", 3), []);
        assert.deepStrictEqual(
          await redis.hrandfield("no-such-hash", -3, { withValues: true }),
          [],
        );
      });
    },
  );

  await t.step(
    "hmset() sets several fields and replies OK",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(await redis.hmset("h", { a: "1", b: 2 }), "OK");
        assert.equal(await redis.hmset("h", [["b", "two"], ["c", 3n]]), "OK");
        assert.deepStrictEqual(
          await redis.hgetall("h"),
          bare([["a", "1"], ["b", "two"], ["c", "3"]]),
        );
        await redis.set("s", "x");
        await assertWrongType(redis.hmset("s", { a: "1" }), "HMSET");
        await assertWrongType(redis.hrandfield("s", 1), "HRANDFIELD");
      });
    },
  );

  await t.step(
    "multi(), pipeline() and binary views carry hmset() and hrandfield()",
    async () => {
      await eachProtocol(port, async (redis) => {
        const [ok, field, pairs] = succeeded(
          await redis.multi()
            .hmset("h", { only: "v" })
            .hrandfield("h")
            .hrandfield("h", 1, { withValues: true })
            .exec(),
        );
        assert.equal(ok, "OK");
        assert.equal(field, "only");
        const typed: [string, string][] = pairs;
        assert.deepStrictEqual(typed, [["only", "v"]]);
        const [fields] = await redis.pipeline().hrandfield("h", 5).exec();
        assert.deepStrictEqual(fields, ["only"]);
        const blob = new Uint8Array([0, 0xff, 13, 10]);
        await redis.hmset("bin", [[blob, blob]]);
        const binaryPairs: [Uint8Array, Uint8Array][] = await redis.binary
          .hrandfield("bin", 1, { withValues: true });
        assert.deepStrictEqual(binaryPairs, [[blob, blob]]);
        assert.deepStrictEqual(await redis.binary.hrandfield("bin"), blob);
        assert.deepStrictEqual(await redis.binary.hrandfield("bin", -2), [
          blob,
          blob,
        ]);
      });
    },
  );
});
