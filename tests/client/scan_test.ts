// The SCAN family as async iterators of views (lib/scan.ts): every key of a
// large database is seen, the cursor stays inside, `break` sends nothing
// more, pages decode the same under RESP2 and RESP3, and the iterators
// follow their view (db(), binary, prefix(), fireAndForget, with()).

import assert from "node:assert/strict";
import { connect, type Redis, ReplyError } from "../../mod.ts";
import { eachProtocol } from "../_support/protocols.ts";
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

/** `count` string keys `key:<i>`, written with pipelined MSETs. */
async function fill(redis: Redis, count: number): Promise<void> {
  const writes: Promise<unknown>[] = [];
  for (let start = 0; start < count; start += 1000) {
    const pairs: [string, string][] = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      pairs.push([`key:${i}`, String(i)]);
    }
    writes.push(redis.mset(pairs));
  }
  await Promise.all(writes);
}

Deno.test("scan() yields every one of 100,000 keys, under RESP2 and RESP3", async () => {
  await using server = await startRedisServer();
  await eachProtocol(server.port, async (redis) => {
    const total = 100_000;
    await fill(redis, total);
    assert.equal(await redis.dbsize(), total);
    const seen = new Set<string>();
    let yielded = 0;
    for await (const key of redis.scan({ count: 1000 })) {
      seen.add(key);
      yielded++;
    }
    assert.equal(seen.size, total);
    for (let i = 0; i < total; i++) {
      assert.ok(seen.has(`key:${i}`), `key:${i} was not seen`);
    }
    // SCAN may return a key twice; it never invents one.
    assert.ok(yielded >= total);
  });
});

Deno.test("scan() filters by match and type, and a pattern matching nothing yields nothing", async () => {
  await using server = await startRedisServer();
  await eachProtocol(server.port, async (redis) => {
    await fill(redis, 2_000);
    await redis.hset("user:1", { name: "ann" });
    await redis.hset("user:2", { name: "bob" });
    await redis.set("user:3", "not a hash");
    const hashes = await Array.fromAsync(
      redis.scan({ match: "user:*", count: 500, type: "hash" }),
    );
    assert.deepStrictEqual(hashes.sort(), ["user:1", "user:2"]);
    const matched = new Set(
      await Array.fromAsync(redis.scan({ match: "key:1??", count: 100 })),
    );
    assert.equal(matched.size, 100);
    assert.ok(matched.has("key:100") && matched.has("key:199"));
    assert.deepStrictEqual(
      await Array.fromAsync(redis.scan({ match: "none:*", count: 10 })),
      [],
    );
    await redis.flushdb();
    assert.deepStrictEqual(await Array.fromAsync(redis.scan()), []);
  });
});

Deno.test("scan() sends one SCAN per page asked for: nothing before the loop starts, nothing after break", async () => {
  await using server = await startRedisServer();
  const { port } = server;
  await using redis = await connect({ port });
  await fill(redis, 5_000);
  const before = await commandCalls(port, "scan");
  const iterator = redis.scan({ count: 10 });
  assert.equal(await commandCalls(port, "scan"), before, "lazy");
  let taken = 0;
  for await (const _ of iterator) {
    if (++taken === 25) break;
  }
  const after = await commandCalls(port, "scan");
  // About 10 keys per page: 25 keys took a few pages, not the 500 of all.
  assert.ok(after - before >= 2 && after - before <= 5, `${after - before}`);
  assert.deepStrictEqual(await iterator.next(), {
    done: true,
    value: undefined,
  });
  assert.equal(await commandCalls(port, "scan"), after, "nothing after break");
  // A full iteration, for comparison.
  let all = 0;
  for await (const _ of redis.scan({ count: 10 })) all++;
  assert.ok(all >= 5_000);
  assert.ok(await commandCalls(port, "scan") - after > 100);
});

Deno.test("hscan(), sscan() and zscan() yield pairs, members and scored members, under RESP2 and RESP3", async () => {
  await using server = await startRedisServer();
  await eachProtocol(server.port, async (redis) => {
    // Small (listpack/intset) and large (hashtable/skiplist) encodings.
    for (const size of [5, 1_000]) {
      await redis.flushall();
      const fields: Record<string, string> = {};
      const members: string[] = [];
      const scores: Record<string, number> = {};
      for (let i = 0; i < size; i++) {
        fields[`f${i}`] = `v${i}`;
        members.push(`m${i}`);
        scores[`m${i}`] = i / 4 - 10;
      }
      scores["m0"] = -Infinity;
      scores[`m${size - 1}`] = Infinity;
      await redis.hset("h", fields);
      await redis.sadd("s", ...members);
      await redis.zadd("z", scores);

      const pairs = await Array.fromAsync(redis.hscan("h", { count: 100 }));
      assert.deepStrictEqual(Object.fromEntries(pairs), fields);
      assert.ok(pairs.every(([f, v]) => fields[f] === v));

      const seen = await Array.fromAsync(redis.sscan("s", { count: 100 }));
      assert.deepStrictEqual(new Set(seen), new Set(members));

      const scored = await Array.fromAsync(redis.zscan("z", { count: 100 }));
      const byMember: Record<string, number> = {};
      for (const entry of scored) {
        assert.deepStrictEqual(Object.keys(entry).sort(), ["member", "score"]);
        assert.equal(typeof entry.score, "number");
        byMember[entry.member] = entry.score;
      }
      assert.deepStrictEqual(byMember, scores);

      const some = await Array.fromAsync(
        redis.zscan("z", { match: "m1?", count: 1_000 }),
      );
      assert.deepStrictEqual(
        some.map((e) => e.member).sort(),
        members.filter((m) => /^m1.$/.test(m)).sort(),
      );
    }
    for (const missing of ["no-h", "no-s", "no-z"]) {
      assert.deepStrictEqual(await Array.fromAsync(redis.hscan(missing)), []);
      assert.deepStrictEqual(await Array.fromAsync(redis.sscan(missing)), []);
      assert.deepStrictEqual(await Array.fromAsync(redis.zscan(missing)), []);
    }
  });
});

Deno.test("the iterators reject with the failing page's ReplyError", async () => {
  await using server = await startRedisServer();
  await eachProtocol(server.port, async (redis) => {
    await redis.set("str", "x");
    for (
      const [name, iterator] of [
        ["HSCAN", redis.hscan("str")],
        ["SSCAN", redis.sscan("str")],
        ["ZSCAN", redis.zscan("str")],
        ["SCAN", redis.scan({ count: 0 })],
      ] as const
    ) {
      await assert.rejects(
        Array.fromAsync(iterator as AsyncIterable<unknown>),
        (error) => {
          assert.ok(error instanceof ReplyError);
          assert.equal(error.command, name);
          return true;
        },
      );
    }
    assert.equal(await redis.get("str"), "x");
  });
});

Deno.test("the iterators follow their view: binary, db(), prefix(), fireAndForget and with()", async (t) => {
  await using server = await startRedisServer();
  const { port } = server;

  await t.step("binary views yield bytes", async () => {
    await eachProtocol(port, async (redis) => {
      const key = new Uint8Array([0xff, 0x00, 0x0d, 0x0a]);
      const field = new Uint8Array([0x80]);
      const value = new Uint8Array([0, 1, 2]);
      await redis.hset(key, [[field, value]]);
      await redis.sadd("s", value);
      await redis.zadd("z", [[2.5, value]]);
      const binary = redis.binary;
      assert.deepStrictEqual(
        (await Array.fromAsync(binary.scan())).length,
        3,
      );
      assert.deepStrictEqual(
        await Array.fromAsync(binary.scan({ match: key })),
        [key],
      );
      assert.deepStrictEqual(await Array.fromAsync(binary.hscan(key)), [[
        field,
        value,
      ]]);
      assert.deepStrictEqual(
        await Array.fromAsync(binary.hscan(key, { match: field })),
        [[field, value]],
      );
      assert.deepStrictEqual(await Array.fromAsync(binary.sscan("s")), [
        value,
      ]);
      assert.deepStrictEqual(await Array.fromAsync(binary.zscan("z")), [
        { member: value, score: 2.5 },
      ]);
    });
  });

  await t.step("db() views scan their database", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.set("zero", "0");
      await redis.db(4).set("four", "4");
      assert.deepStrictEqual(await Array.fromAsync(redis.scan()), ["zero"]);
      assert.deepStrictEqual(await Array.fromAsync(redis.db(4).scan()), [
        "four",
      ]);
    });
  });

  await t.step(
    "prefix() views yield their keys without the prefix, matched without it",
    async () => {
      await eachProtocol(port, async (redis) => {
        await fill(redis, 1_000);
        const tenant = redis.prefix("t*1:");
        for (let i = 0; i < 300; i++) await tenant.set(`user:${i}`, "u");
        await tenant.hset("user:h", { a: "1" });
        await redis.set("t*1:x", "x");
        await redis.set("tx1:user:no", "not the prefix: * is escaped");
        const keys = new Set(
          await Array.fromAsync(tenant.scan({ match: "user:*", count: 100 })),
        );
        assert.equal(keys.size, 301);
        assert.ok(keys.has("user:0") && keys.has("user:h"));
        assert.ok([...keys].every((k) => k.startsWith("user:")));
        const all = new Set(await Array.fromAsync(tenant.scan({ count: 50 })));
        assert.equal(all.size, 302);
        assert.deepStrictEqual(
          await Array.fromAsync(tenant.scan({ type: "hash" })),
          ["user:h"],
        );
        // HSCAN's key is prefixed; its fields are not.
        assert.deepStrictEqual(await Array.fromAsync(tenant.hscan("user:h")), [
          ["a", "1"],
        ]);
        const binary = new Set(
          (await Array.fromAsync(tenant.binary.scan({ match: "user:1??" })))
            .map((k) => new TextDecoder().decode(k)),
        );
        assert.equal(binary.size, 100);
        assert.ok(binary.has("user:100"));
        assert.ok(
          (await Array.fromAsync(
            redis.binary.prefix(utf8.encode("t*1:")).scan(),
          ))
            .every((k) => k instanceof Uint8Array),
        );
      });
    },
  );

  await t.step(
    "fireAndForget views iterate with promises all the same",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.sadd("s", "a", "b");
        await redis.set("k", "v");
        const ff = redis.fireAndForget;
        assert.deepStrictEqual(
          (await Array.fromAsync(ff.scan())).sort(),
          ["k", "s"],
        );
        assert.deepStrictEqual(
          (await Array.fromAsync(ff.sscan("s"))).sort(),
          ["a", "b"],
        );
        assert.deepStrictEqual(
          await Array.fromAsync(ff.prefix("s").scan()),
          [""],
        );
      });
    },
  );

  await t.step("with() views apply their signal to each page", async () => {
    await eachProtocol(port, async (redis) => {
      await fill(redis, 1_000);
      const controller = new AbortController();
      const reason = new Error("stop");
      let taken = 0;
      await assert.rejects(
        (async () => {
          for await (
            const _ of redis.with({ signal: controller.signal }).scan({
              count: 10,
            })
          ) {
            if (++taken === 5) controller.abort(reason);
          }
        })(),
        (error) => error === reason,
      );
      assert.ok(taken >= 5 && taken < 1_000);
    });
  });
});
