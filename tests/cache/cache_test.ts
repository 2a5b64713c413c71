// Client-side caching on a real server, under both protocols: reads served
// from memory until their key changes, the change seen as soon as its
// invalidation arrives (timed), which commands and views use the cache, the
// client's own writes, copies, ttl and LRU bounds, flushes (FLUSHDB, the
// RESP3 null a RESP2 redirect connection receives on Redis 7.0.15), BCAST,
// and a server that refuses tracking.

import assert from "node:assert/strict";
import {
  connect,
  ConnectionError,
  type Redis,
  type RedisErrorEvent,
} from "../../mod.ts";
import { commandCalls, resetCommandStats } from "../_support/commandstats.ts";
import { PROTOCOLS } from "../_support/protocols.ts";
import { RawConnection } from "../_support/raw_connection.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { connectRecorded } from "./_recording.ts";

/** Waits until `check()` holds, polling every millisecond, for up to `ms`. */
async function until(
  check: () => boolean,
  what: string,
  ms = 5_000,
): Promise<void> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Calls of `command` (lower case) the server counted since the last reset. */
async function calls(admin: Redis, command: string): Promise<number> {
  return (await commandCalls(admin))[command] ?? 0;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

Deno.test("a cached read is served from memory until its key changes; the new value once the invalidation arrives", async (t) => {
  await using server = await startRedisServer();
  await using writer = await connect({ port: server.port });
  for (const protocol of PROTOCOLS) {
    await t.step(`RESP${protocol}`, async () => {
      await writer.flushall();
      const { redis, store, close } = await connectRecorded({
        port: server.port,
        protocol,
      });
      try {
        await writer.set("k", "v0");
        await resetCommandStats(writer);
        assert.equal(await redis.get("k"), "v0");
        assert.equal(await redis.get("k"), "v0");
        assert.equal(await redis.get("k"), "v0");
        assert.equal(await calls(writer, "get"), 1);
        let stats = redis.stats().cache;
        assert.equal(stats.hits, 2);
        assert.equal(stats.misses, 1);
        assert.equal(stats.entries, 1);

        // Each write: the reader sees the old value until the invalidation
        // is processed, and never again after it.
        const latencies: number[] = [];
        for (let i = 1; i <= 200; i++) {
          const seen = store.invalidatedAt.get("k")?.length ?? 0;
          const issued = performance.now();
          await writer.set("k", `v${i}`);
          await until(
            () => (store.invalidatedAt.get("k")?.length ?? 0) > seen,
            `the invalidation of write ${i}`,
          );
          latencies.push(store.invalidatedAt.get("k")!.at(-1)! - issued);
          assert.equal(await redis.get("k"), `v${i}`);
          assert.equal(await redis.get("k"), `v${i}`);
        }
        stats = redis.stats().cache;
        assert.equal(stats.hits, 2 + 200);
        assert.equal(stats.misses, 1 + 200);
        assert.equal(stats.invalidations, 200);
        assert.equal(stats.invalidated, 200);
        latencies.sort((a, b) => a - b);
        // deno-lint-ignore no-console
        console.log(
          `RESP${protocol}: invalidation processed ${
            percentile(latencies, 0.5).toFixed(3)
          } ms (median), ${percentile(latencies, 0.99).toFixed(3)} ms (p99), ${
            latencies.at(-1)!.toFixed(3)
          } ms (max) after the write was issued`,
        );
      } finally {
        await close();
      }
    });
  }
});

Deno.test("the cache answers read-only commands whose reply depends only on their keys", async (t) => {
  await using server = await startRedisServer();
  for (const protocol of PROTOCOLS) {
    await t.step(`RESP${protocol}`, async () => {
      await using admin = await connect({ port: server.port });
      await admin.flushall();
      await using redis = await connect({
        port: server.port,
        protocol,
        cache: true,
      });
      await admin.mset({ s: "text", t: "other" });
      await admin.hset("h", { a: "1", b: "2" });
      await admin.sadd("set", "x", "y");
      await admin.zadd("z", { one: 1, two: 2 });
      await admin.rpush("l", "a", "b", "c");
      await resetCommandStats(admin);
      const cached: [string, () => Promise<unknown>][] = [
        ["get", () => redis.get("s")],
        ["mget", () => redis.mget("s", "t", "missing")],
        ["strlen", () => redis.strlen("s")],
        ["getrange", () => redis.getrange("s", 0, 1)],
        ["exists", () => redis.exists("s", "t")],
        ["type", () => redis.type("h")],
        ["hget", () => redis.hget("h", "a")],
        ["hgetall", () => redis.hgetall("h")],
        ["hmget", () => redis.hmget("h", "a", "b")],
        ["smembers", () => redis.smembers("set")],
        ["sismember", () => redis.sismember("set", "x")],
        ["zrange", () => redis.zrange("z", 0, -1)],
        ["zscore", () => redis.zscore("z", "two")],
        ["lrange", () => redis.lrange("l", 0, -1)],
        ["llen", () => redis.llen("l")],
      ];
      for (const [name, read] of cached) {
        const first = await read();
        assert.deepEqual(await read(), first, name);
        assert.deepEqual(await read(), first, name);
      }
      const counted = await commandCalls(admin);
      for (const [name] of cached) assert.equal(counted[name], 1, name);

      // Random, time-dependent or uncacheable: every call reaches the server.
      await resetCommandStats(admin);
      await admin.expire("s", 1000);
      const uncached: [string, () => Promise<unknown>][] = [
        ["srandmember", () => redis.srandmember("set")],
        ["ttl", () => redis.ttl("s")],
        ["pttl", () => redis.pttl("s")],
        ["randomkey", () => redis.randomkey()],
        ["hrandfield", () => redis.hrandfield("h")],
        ["object|encoding", () => redis.objectEncoding("s")],
      ];
      for (const [, read] of uncached) {
        await read();
        await read();
      }
      const sent = await commandCalls(admin);
      for (const [name] of uncached) assert.equal(sent[name], 2, name);
    });
  }
});

Deno.test("MGET is served key by key: only the keys not held are sent", async (t) => {
  await using server = await startRedisServer();
  for (const protocol of PROTOCOLS) {
    await t.step(`RESP${protocol}`, async () => {
      await using admin = await connect({ port: server.port });
      await admin.flushall();
      await admin.mset({ a: "1", b: "2", c: "3" });
      await using redis = await connect({
        port: server.port,
        protocol,
        cache: true,
      });
      await using monitor = await admin.monitor();
      assert.deepEqual(await redis.mget("a", "b"), ["1", "2"]);
      assert.deepEqual(await redis.mget("b", "a", "b"), ["2", "1", "2"]);
      assert.deepEqual(await redis.mget("b", "c", "missing"), [
        "2",
        "3",
        null,
      ]);
      assert.deepEqual(await redis.mget("c"), ["3"]);
      await admin.set("b", "two");
      await until(() => redis.stats().cache.entries === 3, "invalidation");
      assert.deepEqual(await redis.mget("a", "b", "c"), ["1", "two", "3"]);
      await redis.uncached.ping();
      const sent: string[][] = [];
      for await (const line of monitor) {
        if (line.command === "PING") break;
        if (line.command === "MGET") sent.push(line.args);
      }
      assert.deepEqual(sent, [["a", "b"], ["c", "missing"], ["b"]]);
      const stats = redis.stats().cache;
      assert.equal(stats.hits, 2);
      assert.equal(stats.misses, 3);
    });
  }
});

Deno.test("views: uncached, fireAndForget, batches and blocking never use the cache; db, binary and prefix are cached apart", async () => {
  await using server = await startRedisServer();
  await using admin = await connect({ port: server.port });
  await using redis = await connect({ port: server.port, cache: true });
  await admin.set("k", "zero");
  await admin.db(1).set("k", "one");
  await admin.set("p:k", "prefixed");
  await resetCommandStats(admin);

  assert.equal(await redis.get("k"), "zero");
  assert.equal(await redis.db(1).get("k"), "one");
  assert.deepEqual(
    await redis.binary.get("k"),
    new TextEncoder().encode("zero"),
  );
  assert.equal(await redis.prefix("p:").get("k"), "prefixed");
  // The same command on the wire: the same entry.
  assert.equal(await redis.get("p:k"), "prefixed");
  assert.equal(await calls(admin, "get"), 4);
  // All held now, each under its own view.
  assert.equal(await redis.get("k"), "zero");
  assert.equal(await redis.db(1).get("k"), "one");
  assert.deepEqual(
    await redis.binary.get("k"),
    new TextEncoder().encode("zero"),
  );
  assert.equal(await redis.prefix("p:").get("k"), "prefixed");
  assert.equal(await redis.bigint.get("k"), "zero");
  assert.equal(await calls(admin, "get"), 4);

  // Views that bypass it.
  await resetCommandStats(admin);
  assert.equal(await redis.uncached.get("k"), "zero");
  assert.equal(await redis.db(1).uncached.get("k"), "one");
  assert.deepEqual(await redis.pipeline().get("k").exec(), ["zero"]);
  assert.deepEqual(await redis.multi().get("k").exec(), ["zero"]);
  redis.fireAndForget.get("k");
  assert.equal(await redis.uncached.get("k"), "zero");
  assert.deepEqual(await redis.blpop(["empty"], 0.01), null);
  assert.equal(await calls(admin, "get"), 6);
  assert.equal(redis.stats().cache.entries, 4);

  // An invalidation drops every entry of its key, whatever the view (and
  // whatever the database: invalidations name no database).
  await admin.set("k", "changed");
  await until(() => redis.stats().cache.entries === 1, "the invalidation");
  assert.equal(await redis.get("k"), "changed");
  assert.equal(await redis.db(1).get("k"), "one");
});

Deno.test("keys of bytes that are not UTF-8, and strings with lone surrogates, are invalidated like any other", async (t) => {
  await using server = await startRedisServer();
  for (const protocol of PROTOCOLS) {
    await t.step(`RESP${protocol}`, async () => {
      await using other = await connect({ port: server.port });
      await using redis = await connect({
        port: server.port,
        protocol,
        cache: true,
      });
      const bytes = new Uint8Array([0x6b, 0xff, 0xfe]);
      const lone = "k\uD800";
      await other.set(bytes, "1");
      await other.set(lone, "1");
      assert.equal(await redis.get(bytes), "1");
      assert.equal(await redis.get(lone), "1");
      assert.equal(redis.stats().cache.entries, 2);
      await other.set(bytes, "2");
      await other.set(lone, "2");
      await until(() => redis.stats().cache.entries === 0, "invalidations");
      assert.equal(await redis.get(bytes), "2");
      assert.equal(await redis.get(lone), "2");
    });
  }
});

Deno.test("the client's own writes drop its cached replies as they are sent", async (t) => {
  await using server = await startRedisServer();
  for (const protocol of PROTOCOLS) {
    await t.step(`RESP${protocol}`, async () => {
      await using redis = await connect({
        port: server.port,
        protocol,
        cache: true,
      });
      await redis.set("mine", "old");
      await redis.hset("hash", { f: "old" });
      assert.equal(await redis.get("mine"), "old");
      assert.equal(await redis.hget("hash", "f"), "old");
      // Not awaited: the reads are issued behind the writes, before any
      // invalidation from the server can have arrived.
      const writes = [
        redis.set("mine", "new"),
        redis.hset("hash", { f: "new" }),
      ];
      assert.equal(await redis.get("mine"), "new");
      assert.equal(await redis.hget("hash", "f"), "new");
      await Promise.all(writes);
      redis.fireAndForget.set("mine", "void");
      assert.equal(await redis.get("mine"), "void");
      const tx = redis.multi().set("mine", "tx").exec();
      assert.equal(await redis.get("mine"), "tx");
      await tx;
      await redis.send("SET", "mine", "sent");
      assert.equal(await redis.get("mine"), "sent");
      await redis.prefix("x:").set("mine", "prefixed");
      assert.equal(await redis.get("x:mine"), "prefixed");
      redis.prefix("x:").fireAndForget.set("mine", "again");
      assert.equal(await redis.get("x:mine"), "again");
      // A watch() transaction runs on a lease of its own: its writes drop
      // the entries too, and its reads are never served from the cache.
      assert.equal(await redis.get("mine"), "sent");
      await redis.watch(["mine"], async (tx) => {
        assert.equal(await tx.get("mine"), "sent");
        const held = redis.stats().cache.entries;
        const exec = tx.multi().set("mine", "watched").exec();
        // Dropped as the transaction is sent, not when the server's
        // invalidation arrives.
        assert.equal(redis.stats().cache.entries, held - 1);
        await exec;
        assert.equal(await redis.get("mine"), "watched");
      });
    });
  }
});

Deno.test("cached replies are copies: a caller changing one changes no other", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port, cache: true });
  await redis.rpush("list", "a", "b");
  await redis.hset("hash", { f: "v" });
  await redis.set("bytes", new Uint8Array([1, 2, 3]));
  const list = await redis.lrange("list", 0, -1);
  list.push("mutated");
  assert.deepEqual(await redis.lrange("list", 0, -1), ["a", "b"]);
  const again = await redis.lrange("list", 0, -1);
  again[0] = "changed";
  assert.deepEqual(await redis.lrange("list", 0, -1), ["a", "b"]);
  const hash = await redis.hgetall("hash");
  hash.f = "mutated";
  assert.equal((await redis.hgetall("hash")).f, "v");
  const bytes = (await redis.binary.get("bytes"))!;
  bytes[0] = 99;
  assert.deepEqual(await redis.binary.get("bytes"), new Uint8Array([1, 2, 3]));
  assert.ok(redis.stats().cache.hits >= 4);
});

Deno.test("bounds: least recently used entries are evicted, ttl expires entries, counts add up", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({
    port: server.port,
    cache: { maxEntries: 3, ttl: 200 },
  });
  await redis.mset({ a: "1", b: "2", c: "3", d: "4" });
  await redis.get("a");
  await redis.get("b");
  await redis.get("c");
  await redis.get("a"); // a is now the most recent: b is the oldest
  await redis.get("d"); // evicts b
  let stats = redis.stats().cache;
  assert.equal(stats.entries, 3);
  assert.equal(stats.evictions, 1);
  await redis.get("a");
  await redis.get("c");
  await redis.get("d");
  assert.equal(redis.stats().cache.hits, 1 + 3);
  await redis.get("b"); // a miss: evicts a (the oldest)
  stats = redis.stats().cache;
  assert.equal(stats.misses, 5);
  assert.equal(stats.evictions, 2);
  await new Promise((resolve) => setTimeout(resolve, 250));
  await redis.get("b"); // expired: a miss
  stats = redis.stats().cache;
  assert.equal(stats.expired, 1);
  assert.equal(stats.misses, 6);
  assert.equal(
    stats.stored,
    stats.entries + stats.evictions + stats.expired + stats.invalidated +
      stats.flushed,
  );

  // maxBytes: a few replies of 1 KiB in a cache of 4 KiB.
  await using small = await connect({
    port: server.port,
    cache: { maxBytes: 4096 },
  });
  const big = "x".repeat(1000);
  for (let i = 0; i < 10; i++) await small.set(`big${i}`, big);
  for (let i = 0; i < 10; i++) await small.get(`big${i}`);
  const bounded = small.stats().cache;
  assert.ok(bounded.bytes <= 4096, `${bounded.bytes} bytes held`);
  assert.ok(bounded.entries < 10 && bounded.entries > 0);
  assert.equal(bounded.stored, bounded.entries + bounded.evictions);
});

Deno.test("FLUSHDB and FLUSHALL (null invalidations) flush the whole cache", async (t) => {
  await using server = await startRedisServer();
  for (const protocol of PROTOCOLS) {
    await t.step(`RESP${protocol}`, async () => {
      await using other = await connect({ port: server.port, protocol });
      await using redis = await connect({
        port: server.port,
        protocol,
        cache: true,
      });
      await other.mset({ a: "1", b: "2" });
      await redis.get("a");
      await redis.get("b");
      assert.equal(redis.stats().cache.entries, 2);
      const flushes = redis.stats().cache.flushes;
      await other.flushdb();
      await until(
        () => redis.stats().cache.flushes === flushes + 1,
        "the flush",
      );
      assert.equal(redis.stats().cache.entries, 0);
      assert.equal(await redis.get("a"), null);
      await other.set("a", "back");
      await until(() => redis.stats().cache.entries === 0, "invalidation");
      assert.equal(await redis.get("a"), "back");
      await other.flushall();
      await until(
        () => redis.stats().cache.flushes === flushes + 2,
        "the second flush",
      );
      assert.equal(await redis.get("a"), null);
    });
  }
});

Deno.test("Redis 7.0.15 writes a flush's null in the tracked client's protocol: a RESP2 redirect connection takes a RESP3 null", async () => {
  await using server = await startRedisServer();
  await using admin = await connect({ port: server.port, protocol: 2 });

  // The quirk itself, on raw sockets: a RESP3 client tracking with REDIRECT
  // to a RESP2 subscriber; a flush (by a RESP2 client) sends the RESP2
  // subscriber a RESP3 null (`_`) inside its RESP2 message.
  using target = await RawConnection.connect({ port: server.port });
  using tracked = await RawConnection.connect({ port: server.port });
  const id = (await target.command(["CLIENT", "ID"]))!;
  assert.match(id, /^:\d+\r\n$/);
  await target.command(["SUBSCRIBE", "__redis__:invalidate"]);
  await tracked.command(["HELLO", "3"]);
  const on = ["CLIENT", "TRACKING", "on", "REDIRECT", id.slice(1, -2)];
  assert.equal(await tracked.command(on), "+OK\r\n");
  await tracked.command(["GET", "key"]);
  await admin.flushdb();
  assert.equal(
    await target.readReply(),
    "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n_\r\n",
  );

  // sleeve's RESP2 redirect connection receives the same frame from a
  // RESP3 client redirecting to it: the cache is flushed, no connection is
  // torn down, and caching goes on.
  await using redis = await connect({
    port: server.port,
    protocol: 2,
    cache: true,
  });
  const events: string[] = [];
  for (const type of ["error", "disconnect"] as const) {
    redis.addEventListener(type, () => events.push(type));
  }
  const redirect = await redis.send("CLIENT", "GETREDIR");
  assert.equal(typeof redirect, "number");
  using intruder = await RawConnection.connect({ port: server.port });
  await intruder.command(["HELLO", "3"]);
  assert.equal(
    await intruder.command([
      "CLIENT",
      "TRACKING",
      "on",
      "REDIRECT",
      String(redirect),
    ]),
    "+OK\r\n",
  );
  await intruder.command(["GET", "a"]);
  await admin.set("a", "1");
  assert.equal(await redis.get("a"), "1");
  assert.equal(await redis.get("a"), "1");
  const flushes = redis.stats().cache.flushes;
  await admin.flushdb();
  await until(() => redis.stats().cache.flushes > flushes, "the flush");
  assert.equal(redis.stats().cache.entries, 0);
  await admin.set("a", "2");
  assert.equal(await redis.get("a"), "2");
  assert.equal(await redis.get("a"), "2");
  await admin.set("a", "3");
  await until(() => redis.stats().cache.entries === 0, "the invalidation");
  assert.equal(await redis.get("a"), "3");
  assert.deepEqual(events, []);
  assert.equal(await redis.send("CLIENT", "GETREDIR"), redirect);
  assert.ok(redis.ready);
});

Deno.test("BCAST: only keys under the prefixes are cached, and every change under them invalidates", async (t) => {
  await using server = await startRedisServer();
  for (const protocol of PROTOCOLS) {
    await t.step(`RESP${protocol}`, async () => {
      await using admin = await connect({ port: server.port });
      await admin.flushall();
      await using redis = await connect({
        port: server.port,
        protocol,
        cache: { bcast: ["user:"] },
      });
      await admin.mset({ "user:1": "ann", "other:1": "x" });
      await resetCommandStats(admin);
      assert.equal(await redis.get("user:1"), "ann");
      assert.equal(await redis.get("user:1"), "ann");
      assert.equal(await redis.get("other:1"), "x");
      assert.equal(await redis.get("other:1"), "x");
      assert.equal(await calls(admin, "get"), 3);
      await admin.set("user:1", "bob");
      await until(() => redis.stats().cache.entries === 0, "invalidation");
      assert.equal(await redis.get("user:1"), "bob");
      // A key never read is invalidated too (broadcast).
      const before = redis.stats().cache.invalidations;
      await admin.set("user:2", "new");
      await until(
        () => redis.stats().cache.invalidations > before,
        "the broadcast",
      );

      // bcast: true: every key.
      await using all = await connect({
        port: server.port,
        protocol,
        cache: { bcast: true },
      });
      assert.equal(await all.get("other:1"), "x");
      assert.equal(await all.get("other:1"), "x");
      assert.equal(all.stats().cache.hits, 1);
      await admin.set("other:1", "y");
      await until(() => all.stats().cache.entries === 0, "invalidation");
      assert.equal(await all.get("other:1"), "y");
    });
  }
});

Deno.test("a server that refuses CLIENT TRACKING fails connect() with the cache on", async (t) => {
  await using server = await startRedisServer();
  await using admin = await connect({ port: server.port });
  await admin.send(
    "ACL",
    "SETUSER",
    "notrack",
    "on",
    "nopass",
    "+@all",
    "-client|tracking",
    "~*",
    "&*",
  );
  for (const protocol of PROTOCOLS) {
    await t.step(`RESP${protocol}`, async () => {
      await assert.rejects(
        connect({
          port: server.port,
          protocol,
          username: "notrack",
          cache: true,
        }),
        (error) => {
          assert.ok(error instanceof ConnectionError);
          assert.match(
            error.message,
            /^Cannot cache reads: the server refused CLIENT TRACKING: NOPERM/,
          );
          return true;
        },
      );
      // Without the cache it connects.
      await using plain = await connect({
        port: server.port,
        protocol,
        username: "notrack",
      });
      assert.equal(plain.stats().cache.enabled, false);
      assert.equal(plain.stats().cache.hits, 0);
    });
  }
});

Deno.test("a refused re-enable after a reconnection is an error event, and the cache stays off", async () => {
  await using server = await startRedisServer();
  await using admin = await connect({ port: server.port });
  await admin.send(
    "ACL",
    "SETUSER",
    "flip",
    "on",
    "nopass",
    "+@all",
    "~*",
    "&*",
  );
  await using redis = await connect({
    port: server.port,
    username: "flip",
    name: "flipper",
    cache: true,
  });
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  await redis.get("k");
  await admin.send("ACL", "SETUSER", "flip", "-client|tracking");
  const ready = new Promise((resolve) =>
    redis.addEventListener("ready", resolve, { once: true })
  );
  await admin.send("CLIENT", "KILL", "USER", "flip");
  await ready;
  await until(() => errors.length > 0, "the refusal");
  assert.equal(errors[0]!.command, "CLIENT TRACKING");
  assert.ok(errors[0]!.error instanceof ConnectionError);
  // Reads go to the server; nothing is held.
  await redis.get("k");
  await redis.get("k");
  const stats = redis.stats().cache;
  assert.equal(stats.entries, 0);
  assert.equal(stats.hits, 0);
});
