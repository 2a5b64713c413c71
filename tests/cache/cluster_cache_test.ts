// The client-side cache on Redis Cluster, on one local cluster of 3 masters
// with a replica each: cached reads on every master (one tracking per node
// connection), a plain cluster client's writes invalidating (latency
// printed), a node's connection lost (flush, then hits again), replica reads,
// MGET across slots served key by key, `uncached`, RESP2 redirect connections
// per node, MIGRATE invalidating on the source, slots migrated and a
// coordinated failover under the race load (_race.ts), a frozen master failed
// over (the next slot map drops the cache), and a kill -9 of a master under
// cached readers (flush, no stale read after it, reads resume from the
// promoted replica).

import assert from "node:assert/strict";
import { connect, connectCluster, type RedisCluster } from "../../mod.ts";
import { openCluster } from "../../lib/cluster/client.ts";
import { keySlot } from "../../lib/cluster/slot.ts";
import {
  currentTopology,
  failover,
  keysServedBy,
  killMaster,
  migrateSlot,
  type RedisCluster as TestCluster,
  resumeNode,
  slotTag,
  startRedisCluster,
  stopNode,
  waitForPromotion,
} from "../_support/cluster.ts";
import { RecordingStore } from "./_recording.ts";
import { race } from "./_race.ts";

const sleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  ms = 10_000,
): Promise<void> {
  const end = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** A cached cluster client around a RecordingStore. */
async function cachedCluster(
  c: TestCluster,
  protocol: 2 | 3 = 3,
): Promise<{ redis: RedisCluster; store: RecordingStore }> {
  let store: RecordingStore | undefined;
  const redis = await openCluster({
    nodes: c.masters.map((m) => m.url),
    protocol,
    cache: true,
    commandTimeout: 20_000,
  }, (bounds) => store = new RecordingStore(bounds));
  return { redis, store: store! };
}

/** Whether `port`'s server lists a client with tracking on (flag `t`). */
async function tracks(port: number): Promise<number> {
  await using admin = await connect({ port });
  const list = await admin.send("CLIENT", "LIST") as string;
  return list.split("\n").filter((line) => / flags=\S*t/.test(line)).length;
}

Deno.test("client-side cache on a 3-master cluster", async (t) => {
  await using c = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
  await using writer = await connectCluster({
    nodes: c.masters.map((m) => m.url),
    commandTimeout: 20_000,
  });
  const topology = await currentTopology(c);
  const perMaster = c.masters.map((m) => keysServedBy(topology, m, 5, "cc"));

  await t.step("cached reads on keys of every master", async () => {
    const { redis, store } = await cachedCluster(c);
    try {
      const keys = perMaster.flat();
      await writer.mset(Object.fromEntries(keys.map((k) => [k, `v:${k}`])));
      for (const key of keys) assert.equal(await redis.get(key), `v:${key}`);
      const after = redis.stats().cache;
      assert.equal(after.misses, keys.length);
      assert.equal(after.entries, keys.length);
      for (const key of keys) assert.equal(await redis.get(key), `v:${key}`);
      assert.equal(redis.stats().cache.hits, keys.length);
      assert.ok(store.live);
      // One tracking connection per master.
      for (const m of c.masters) assert.equal(await tracks(m.port), 1);
      // The uncached view goes to the server.
      const hits = redis.stats().cache.hits;
      assert.equal(await redis.uncached.get(keys[0]!), `v:${keys[0]}`);
      assert.equal(redis.stats().cache.hits, hits);
      assert.equal(redis.stats().cache.enabled, true);
      assert.equal(writer.stats().cache.enabled, false);
      // Its own write invalidates at once, wherever the key lives.
      for (const key of perMaster.map((list) => list[0]!)) {
        await redis.set(key, "own");
        assert.equal(await redis.get(key), "own");
      }
    } finally {
      await redis.close();
    }
    // Closed: no tracking connection left.
    for (const m of c.masters) {
      await until(async () => await tracks(m.port) === 0, "untracked");
    }
  });

  for (const protocol of [3, 2] as const) {
    await t.step(
      `RESP${protocol}: a plain client's writes invalidate on every master (latency)`,
      async () => {
        const { redis, store } = await cachedCluster(c, protocol);
        try {
          const latencies: number[] = [];
          /** Keys read since their last invalidation: the server tracks them. */
          const read = new Set<string>();
          /** Writes `value` and waits for its invalidation (if tracked). */
          const write = async (key: string, value: string) => {
            const tracked = read.delete(key);
            const seen = store.invalidatedAt.get(key)?.length ?? 0;
            const start = performance.now();
            await writer.set(key, value);
            if (!tracked) return;
            await until(
              () => (store.invalidatedAt.get(key)?.length ?? 0) > seen,
              `the invalidation of ${key}`,
            );
            latencies.push(performance.now() - start);
          };
          for (let round = 0; round < 20; round++) {
            for (const list of perMaster) {
              const key = list[round % list.length]!;
              await write(key, `r${round}`);
              assert.equal(await redis.get(key), `r${round}`);
              assert.equal(await redis.get(key), `r${round}`); // a hit
              read.add(key);
              await write(key, `r${round}b`);
              assert.equal(await redis.get(key), `r${round}b`);
              read.add(key);
            }
          }
          const stats = redis.stats().cache;
          // deno-lint-ignore no-console
          console.log(
            `RESP${protocol}: write sent → invalidation processed: p50 ${
              percentile(latencies, 0.5).toFixed(2)
            } ms, p99 ${percentile(latencies, 0.99).toFixed(2)} ms, max ${
              Math.max(...latencies).toFixed(2)
            } ms over ${latencies.length} writes on 3 masters`,
          );
          assert.equal(stats.hits, 60);
          // Opening a node's connection flushes nothing.
          assert.equal(stats.flushes, 0);
          assert.ok(stats.invalidations >= 60);
          if (protocol === 2) {
            // A redirect connection per master, subscribed.
            for (const m of c.masters) {
              await using admin = await connect({ port: m.port });
              const list = await admin.send("CLIENT", "LIST") as string;
              assert.match(list, /sub=1/);
            }
          }
        } finally {
          await redis.close();
        }
      },
    );
  }

  await t.step(
    "CLIENT KILL of one node's tracked connection (RESP3) or of its redirect connection (RESP2): the whole cache is flushed, then hits resume",
    async () => {
      for (const protocol of [3, 2] as const) {
        const { redis, store } = await cachedCluster(c, protocol);
        try {
          const keys = perMaster.flat();
          for (const key of keys) await redis.get(key);
          assert.equal(redis.stats().cache.entries, keys.length);
          const victim = c.masters[1]!;
          await using admin = await connect({ port: victim.port });
          const list = await admin.send("CLIENT", "LIST") as string;
          // RESP3: the tracked connection; RESP2: the subscriber.
          const pattern = protocol === 3 ? / flags=\S*t/ : /sub=1/;
          const line = list.split("\n").find((l) => pattern.test(l))!;
          const id = /id=(\d+)/.exec(line)![1]!;
          const flushes = store.flushedAt.length;
          await admin.send("CLIENT", "KILL", "ID", id);
          await until(() => store.flushedAt.length > flushes, "the flush");
          assert.equal(redis.stats().cache.entries, 0);
          // Served again once every node's tracking is up (the lost node's
          // connection reopens on its next read).
          for (const key of keys) await redis.get(key);
          await until(() => store.live, "tracking back on");
          for (const key of keys) await redis.get(key);
          const hits = redis.stats().cache.hits;
          for (const key of keys) {
            assert.equal(await redis.get(key), await writer.get(key));
          }
          assert.equal(redis.stats().cache.hits, hits + keys.length);
          assert.equal(await tracks(victim.port), 1);
        } finally {
          await redis.close();
        }
      }
    },
  );

  await t.step(
    'replicaReads: "prefer": reads cached from replicas, invalidated as they replicate writes',
    async () => {
      let store: RecordingStore | undefined;
      const keys = perMaster.map((list) => list[2]!);
      for (const key of keys) await writer.set(key, "one");
      // A replica that has had no write yet reports itself "loading" in
      // CLUSTER SHARDS and is left out of the slot map until a refresh:
      // connect once every replica reports online.
      await until(async () => {
        const shards = Deno.inspect(await writer.send("CLUSTER", "SHARDS"), {
          depth: 9,
        });
        return !shards.includes('"loading"');
      }, "every replica online");
      const redis = await openCluster({
        nodes: c.masters.map((m) => m.url),
        cache: true,
        replicaReads: "prefer",
      }, (bounds) => store = new RecordingStore(bounds));
      try {
        // Replicas lag: wait until each read returns what was written.
        for (const key of keys) {
          await until(async () => await redis.uncached.get(key) === "one", key);
          await redis.get(key);
        }
        const hits = redis.stats().cache.hits;
        for (const key of keys) assert.equal(await redis.get(key), "one");
        assert.equal(redis.stats().cache.hits, hits + keys.length);
        for (const key of keys) {
          const seen = store!.invalidatedAt.get(key)?.length ?? 0;
          await writer.set(key, "two");
          await until(
            () => (store!.invalidatedAt.get(key)?.length ?? 0) > seen,
            `the replica's invalidation of ${key}`,
          );
          // The replica invalidates once it applied the write.
          assert.equal(await redis.get(key), "two");
        }
        // Replicas that were reachable and in sync track (a replica still
        // reported loading is passed over for its master until a refresh).
        let tracking = 0;
        for (const r of c.replicas) tracking += await tracks(r.port);
        assert.ok(tracking >= 1, `${tracking} replicas track`);
      } finally {
        await redis.close();
      }
    },
  );

  await t.step(
    "bcast: every master broadcasts changes under the prefixes",
    async () => {
      let store: RecordingStore | undefined;
      const redis = await openCluster({
        nodes: c.masters.map((m) => m.url),
        cache: { bcast: ["cc:"] },
      }, (bounds) => store = new RecordingStore(bounds));
      try {
        const keys = perMaster.map((list) => list[3]!);
        for (const key of keys) await writer.set(key, "one");
        for (const key of keys) await redis.get(key);
        for (const key of keys) assert.equal(await redis.get(key), "one");
        assert.equal(redis.stats().cache.hits, keys.length);
        for (const key of keys) {
          const seen = store!.invalidatedAt.get(key)?.length ?? 0;
          await writer.set(key, "two");
          await until(
            () => (store!.invalidatedAt.get(key)?.length ?? 0) > seen,
            `the broadcast of ${key}`,
          );
          assert.equal(await redis.get(key), "two");
        }
        // Keys outside the prefixes are not cached.
        await redis.get("other");
        await redis.get("other");
        assert.equal(redis.stats().cache.hits, keys.length);
      } finally {
        await redis.close();
      }
    },
  );

  await t.step("MGET across slots is served key by key", async () => {
    const { redis } = await cachedCluster(c);
    try {
      const keys = perMaster.map((list) => list[1]!);
      await writer.mset(Object.fromEntries(keys.map((k) => [k, `m:${k}`])));
      const expected = keys.map((k) => `m:${k}`);
      assert.deepEqual(await redis.mget(...keys), expected);
      assert.equal(redis.stats().cache.entries, 3);
      assert.deepEqual(await redis.mget(...keys), expected);
      assert.equal(redis.stats().cache.hits, 1);
      // One key changes on one master: only it is asked again.
      await writer.set(keys[1]!, "changed");
      await until(() => redis.stats().cache.entries === 2, "invalidation");
      assert.deepEqual(await redis.mget(...keys), [
        expected[0],
        "changed",
        expected[2],
      ]);
      // Key by key: an MGET of some of them is served too.
      assert.deepEqual(await redis.mget(keys[2]!, keys[0]!), [
        expected[2],
        expected[0],
      ]);
      assert.equal(redis.stats().cache.hits, 2);
    } finally {
      await redis.close();
    }
  });

  await t.step(
    "MIGRATE invalidates what the source tracked; the destination tracks it from the next read",
    async () => {
      const { redis, store } = await cachedCluster(c);
      try {
        const from = c.masters[2]!;
        const to = c.masters[0]!;
        const now = await currentTopology(c);
        const slot = now.shards.find((s) => s.master === from)!.slots[0]![0];
        const key = `{${slotTag(slot)}}:moving`;
        await writer.set(key, "before");
        assert.equal(await redis.get(key), "before");
        assert.equal(await redis.get(key), "before");
        assert.equal(redis.stats().cache.hits, 1);
        const seen = store.invalidatedAt.get(key)?.length ?? 0;
        // No write: the source's DEL of the migrated key is what invalidates.
        await migrateSlot(c, slot, from, to);
        await until(
          () => (store.invalidatedAt.get(key)?.length ?? 0) > seen,
          "the source's invalidation",
        );
        assert.equal(store.flushedAt.length, 0);
        assert.equal(await redis.get(key), "before"); // MOVED, then a miss
        assert.equal(await redis.get(key), "before");
        assert.equal(redis.stats().cache.hits, 2);
        assert.ok(redis.counters.moved > 0);
        const invalidations = redis.stats().cache.invalidations;
        await writer.set(key, "after"); // on the destination
        await until(
          () => redis.stats().cache.invalidations > invalidations,
          "the destination's invalidation",
        );
        assert.equal(await redis.get(key), "after");
        // Back where it was, for the next steps.
        await migrateSlot(c, slot, to, from);
      } finally {
        await redis.close();
      }
    },
  );

  await t.step(
    "slots migrated (MIGRATE) under 20 cached readers and 10 writers: no read older than a processed invalidation",
    async () => {
      const { redis, store } = await cachedCluster(c);
      try {
        // The slots of race()'s keys that master 0 serves go to master 1.
        const from = c.masters[0]!;
        const to = c.masters[1]!;
        const now = await currentTopology(c);
        const slots = [
          ...new Set(
            Array.from({ length: 100 }, (_, i) => keySlot(`race:${i}`))
              .filter((s) => now.ownerOf(s) === from),
          ),
        ];
        assert.ok(slots.length > 10);
        let migratedAt = 0;
        const report = await race({
          reader: redis,
          store,
          writer,
          keys: 100,
          readers: 20,
          writers: 10,
          ms: 8_000,
          during: async () => {
            await sleep(1_000);
            for (const slot of slots) {
              await migrateSlot(c, slot, from, to, { batch: 1 });
            }
            migratedAt = performance.now();
          },
        });
        const stats = redis.stats().cache;
        const counters = redis.counters;
        // deno-lint-ignore no-console
        console.log(
          `migrated ${slots.length} slots: ${report.reads} reads (${
            (100 * report.hits / report.reads).toFixed(1)
          }% hits), ${report.writes} writes, ${stats.invalidations} invalidations, ${stats.discarded} replies not stored, ${counters.moved} MOVED, ${counters.ask} ASK; ${report.boundedStaleHits} hits behind an invalidation on its way (at most ${
            report.maxStaleness.toFixed(2)
          } ms)`,
        );
        assert.ok(migratedAt > 0);
        assert.deepEqual(report.samples, []);
        assert.equal(report.staleMisses, 0);
        assert.equal(report.staleHitsAfterInvalidation, 0);
        assert.equal(report.staleBeyondBound, 0);
        assert.equal(report.fromTheFuture, 0);
        assert.equal(report.failedReads + report.failedWrites, 0);
        assert.ok(report.hits > 0);
        assert.ok(counters.moved + counters.ask > 0);
        // Hits on the moved keys after the migration: tracked on the new owner.
        const moved = Array.from({ length: 100 }, (_, i) => `race:${i}`)
          .filter((key) => slots.includes(keySlot(key)));
        for (const key of moved) await redis.get(key);
        const hits = redis.stats().cache.hits;
        for (const key of moved) await redis.get(key);
        assert.equal(redis.stats().cache.hits, hits + moved.length);
        const seen = store.invalidatedAt.get(moved[0]!)?.length ?? 0;
        await writer.incr(moved[0]!);
        await until(
          () => (store.invalidatedAt.get(moved[0]!)?.length ?? 0) > seen,
          "the new owner's invalidation",
        );
        assert.equal(
          await redis.get(moved[0]!),
          await writer.get(moved[0]!),
        );
      } finally {
        await redis.close();
      }
    },
  );

  await t.step(
    "CLUSTER FAILOVER (coordinated) under 20 cached readers and 10 writers: the old master, now a replica, still invalidates",
    async () => {
      const { redis, store } = await cachedCluster(c);
      try {
        const shard = (await currentTopology(c)).shards.find((s) =>
          s.slots.length > 0 && s.replicas.length > 0
        )!;
        let ms = 0;
        const report = await race({
          reader: redis,
          store,
          writer,
          keys: 100,
          readers: 20,
          writers: 10,
          ms: 4_000,
          during: async () => {
            await sleep(1_000);
            ms = await failover(c, shard.replicas[0]!);
          },
        });
        const stats = redis.stats().cache;
        // deno-lint-ignore no-console
        console.log(
          `failover in ${ms.toFixed(0)} ms: ${report.reads} reads (${
            (100 * report.hits / report.reads).toFixed(1)
          }% hits), ${report.writes} writes, ${stats.flushes} flushes, ${report.failedReads} failed reads, ${report.failedWrites} failed writes; ${report.boundedStaleHits} hits behind an invalidation on its way (at most ${
            report.maxStaleness.toFixed(2)
          } ms)`,
        );
        assert.deepEqual(report.samples, []);
        assert.equal(report.staleMisses, 0);
        assert.equal(report.staleHitsAfterInvalidation, 0);
        assert.equal(report.staleBeyondBound, 0);
        assert.equal(report.fromTheFuture, 0);
        assert.ok(report.hits > 0);
      } finally {
        await redis.close();
      }
    },
  );

  await t.step(
    "a master frozen (SIGSTOP: its connection stays open) and failed over: the next slot map drops the cache, so its old values stop being served",
    async () => {
      const now = await currentTopology(c);
      const shard = now.shards.find((s) =>
        s.slots.length > 0 && s.replicas.length > 0
      )!;
      const frozen = shard.master;
      const slot = shard.slots[0]![0];
      const keys = keysServedBy(now, frozen, 10, "frozen");
      await writer.mset(Object.fromEntries(keys.map((k) => [k, "v1"])));
      {
        await using direct = await connect({ port: shard.replicas[0]!.port });
        await direct.send("READONLY");
        await until(async () => {
          const values = await Promise.all(keys.map((k) => direct.get(k)));
          return values.every((v) => v === "v1");
        }, "the replica to have v1");
      }
      let store: RecordingStore | undefined;
      const redis = await openCluster({
        nodes: c.masters.map((m) => m.url),
        cache: true,
        commandTimeout: 20_000,
        topologyRefreshInterval: 1_000,
      }, (bounds) => store = new RecordingStore(bounds));
      let resumed = false;
      try {
        for (const key of keys) await redis.get(key);
        const flushes = store!.flushedAt.length;
        stopNode(frozen);
        const stoppedAt = performance.now();
        // Hits go on: the frozen master's connection is not lost.
        for (const key of keys) assert.equal(await redis.get(key), "v1");
        await until(
          async () => (await currentTopology(c)).ownerOf(slot) !== frozen,
          "the promotion",
          30_000,
        );
        const promotedAt = performance.now();
        // A writer that never knew the frozen master.
        await using late = await connectCluster({
          nodes: c.masters.filter((m) => m !== frozen).map((m) => m.url),
        });
        await late.mset(Object.fromEntries(keys.map((k) => [k, "v2"])));
        const ackedAt = performance.now();
        const served = new Set<string | null>();
        await until(
          async () => {
            const value = await redis.get(keys[0]!);
            served.add(value);
            return value === "v2";
          },
          "v2 to be read",
          10_000,
        );
        const freshAt = performance.now();
        // deno-lint-ignore no-console
        console.log(
          `frozen master: promoted ${
            (promotedAt - stoppedAt).toFixed(0)
          } ms after SIGSTOP; v2 read ${
            (freshAt - ackedAt).toFixed(0)
          } ms after its acknowledgement (slot-map refresh every 1 s)`,
        );
        assert.ok(store!.flushedAt.length > flushes);
        assert.ok(store!.flushedAt.at(-1)! > stoppedAt);
        assert.deepEqual(
          [...served].filter((v) => v !== "v1" && v !== "v2"),
          [],
        );
        for (const key of keys) assert.equal(await redis.get(key), "v2");
        resumeNode(frozen);
        resumed = true;
      } finally {
        if (!resumed) resumeNode(frozen);
        await redis.close();
      }
    },
  );

  await t.step(
    "kill -9 of a master under cached readers: flushed, nothing stale after the flush, reads resume on the promoted replica",
    async () => {
      const { redis, store } = await cachedCluster(c);
      const victim = (await currentTopology(c)).shards.find((s) =>
        s.slots.length > 0 && s.replicas.length > 0
      )!;
      const now = await currentTopology(c);
      const dead = keysServedBy(now, victim.master, 20, "kill");
      const healthy = c.masters
        .filter((m) => m !== victim.master && now.slotCount(m) > 0)
        .flatMap((m) => keysServedBy(now, m, 10, "kill"));
      const keys = [...dead, ...healthy];
      try {
        await writer.mset(Object.fromEntries(keys.map((k) => [k, "v1"])));
        // Replicated before the kill: no acknowledged write is lost to it.
        const replica = victim.replicas[0]!;
        {
          await using direct = await connect({ port: replica.port });
          await direct.send("READONLY");
          await until(async () => {
            const values = await Promise.all(dead.map((k) => direct.get(k)));
            return values.every((v) => v === "v1");
          }, "the replica to have v1");
        }
        for (const key of keys) await redis.get(key);
        assert.equal(redis.stats().cache.entries, keys.length);
        // Cached readers until told to stop; every read recorded.
        const reads: {
          key: string;
          issued: number;
          done: number;
          value: string | null;
          hit: boolean;
        }[] = [];
        let failed = 0;
        let running = true;
        const reader = async () => {
          let n = 0;
          while (running) {
            const key = keys[Math.floor(Math.random() * keys.length)]!;
            const issued = performance.now();
            const before = store.hits;
            try {
              const reply = redis.get(key);
              const hit = store.hits > before;
              const value = await reply;
              reads.push({ key, issued, done: performance.now(), value, hit });
            } catch {
              failed++;
              await sleep(5);
            }
            if (++n % 16 === 0) await sleep(0);
          }
        };
        const loops = Array.from({ length: 10 }, reader);
        await sleep(300);
        const flushes = store.flushedAt.length;
        const killedAt = await killMaster(c, victim.master);
        await until(
          () => store.flushedAt.some((t) => t >= killedAt - 5),
          "the flush",
        );
        const flushedAt = store.flushedAt.find((t) => t >= killedAt - 5)!;
        assert.ok(store.flushedAt.length > flushes);
        const promotion = await waitForPromotion(c, victim.master.id);
        // Writes on the new master (and the healthy ones).
        const acked = new Map<string, number>();
        await Promise.all(keys.map(async (key) => {
          await writer.set(key, "v2");
          acked.set(key, performance.now());
        }));
        await until(
          () => keys.every((k) => store.invalidatedBetween(k, 0, Infinity)),
          "invalidations of v2",
        ).catch(() => {});
        await sleep(1_000);
        running = false;
        await Promise.all(loops);
        const stats = redis.stats().cache;
        // No read issued after an invalidation (or flush) processed after
        // v2's acknowledgement returns v1; no hit issued after the flush
        // that may have come from before it (dead keys read v1 only from
        // the server, or from an entry stored after the flush).
        let stale = 0;
        let hitsAfter = 0;
        const samples: string[] = [];
        for (const read of reads) {
          const ack = acked.get(read.key)!;
          if (
            read.value === "v1" && read.issued > ack &&
            store.invalidatedBetween(read.key, ack, read.issued)
          ) {
            stale++;
            if (samples.length < 5) {
              samples.push(`${read.key} read v1 after v2 and its invalidation`);
            }
          }
          if (read.hit && read.issued > promotion.agreedAt) hitsAfter++;
        }
        // Dead keys: after the flush, nothing is served until a reply
        // from the promoted replica was stored.
        const deadReadsAfter = reads.filter((r) =>
          dead.includes(r.key) && r.issued > flushedAt
        );
        const refilled = Math.min(
          ...deadReadsAfter.filter((r) => !r.hit).map((r) => r.done),
        );
        const servedInGap = deadReadsAfter.filter((r) =>
          r.hit && r.issued < refilled
        ).length;
        // deno-lint-ignore no-console
        console.log(
          `kill -9: flushed ${
            (flushedAt - killedAt).toFixed(1)
          } ms after the kill; promoted after ${
            (promotion.agreedAt - killedAt).toFixed(0)
          } ms; ${reads.length} reads (${failed} failed), ${hitsAfter} hits after the promotion; ${stats.flushes} flushes`,
        );
        assert.deepEqual(samples, []);
        assert.equal(stale, 0);
        assert.ok(deadReadsAfter.length > 0);
        assert.equal(servedInGap, 0);
        assert.ok(refilled > promotion.at - 5);
        assert.ok(hitsAfter > 0, "no hit after the promotion");
        // The promoted replica tracks this client's reads.
        assert.ok(store.live);
        assert.equal(await tracks(promotion.master.port), 1);
        for (const key of dead) assert.equal(await redis.get(key), "v2");
      } finally {
        await redis.close();
      }
    },
  );
});
