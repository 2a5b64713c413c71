// The cluster client under a live resharding and a graceful failover, each
// while 100 callers write with a ledger: 1,000 slots holding about 100 keys
// each move with redis-cli while the callers run, then a replica takes over
// its master with CLUSTER FAILOVER. Nothing acknowledged may be lost, no
// caller may see an error, every promise settles, no reply goes astray; the
// MOVED/ASK/TRYAGAIN counts are printed.

import assert from "node:assert/strict";
import { connectCluster, type RedisErrorEvent } from "../../mod.ts";
import { keySlot } from "../../lib/cluster/slot.ts";
import {
  currentTopology,
  failover,
  reshard,
  startRedisCluster,
  verifyLedgerOnCluster,
} from "../_support/cluster.ts";
import { Ledger, runKeyValueWriters, Tally } from "../_support/workload.ts";

const SLOTS_MOVED = 1_000;
const KEYS_PER_SLOT = 100;
const WRITERS = 100;

/** One hash tag per slot of `slots` (`{tag}` keys hash to that slot). */
function tagsFor(slots: Set<number>): Map<number, string> {
  const tags = new Map<number, string>();
  for (let i = 0; tags.size < slots.size; i++) {
    const tag = `t${i}`;
    const slot = keySlot(tag);
    if (slots.has(slot) && !tags.has(slot)) tags.set(slot, tag);
  }
  return tags;
}

Deno.test("cluster under load: a live resharding of 1,000 slots, then a graceful failover", async (t) => {
  await using c = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
  await using cluster = await connectCluster(c.masters.map((m) => m.url));

  await t.step(
    "resharding: 0 acknowledged writes lost, 0 caller errors",
    async () => {
      const from = c.masters[0]!;
      const to = c.masters[1]!;
      // The slots redis-cli moves: the source's lowest ones.
      const moving = new Set<number>();
      for (const [start, end] of from.slots) {
        for (let s = start; s <= end && moving.size < SLOTS_MOVED; s++) {
          moving.add(s);
        }
      }
      const tags = tagsFor(moving);
      const preload: Record<string, string> = {};
      let loaded = 0;
      for (const tag of tags.values()) {
        for (let k = 0; k < KEYS_PER_SLOT; k++) {
          preload[`{${tag}}:${k}`] = tag;
          if (++loaded % 5_000 === 0) {
            await cluster.mset(preload);
            for (const key in preload) delete preload[key];
          }
        }
      }
      if (Object.keys(preload).length > 0) await cluster.mset(preload);
      assert.equal(await cluster.dbsize(), SLOTS_MOVED * KEYS_PER_SLOT);

      const before = cluster.counters;
      const tally = new Tally();
      const ledger = new Ledger();
      const stop = new AbortController();
      const writers = runKeyValueWriters(cluster, WRITERS, {
        stop: stop.signal,
        tally,
        ledger,
        prefix: "reshard",
      });
      // Readers of whole moving slots: an MGET of a slot half migrated gets
      // TRYAGAIN, then must read every key.
      const tagList = [...tags.values()];
      const reads = { sent: 0, wrong: 0, failed: 0 };
      const readers = Array.from({ length: 3 }, async (_, r) => {
        for (let i = r; !stop.signal.aborted; i += 3) {
          const tag = tagList[i % tagList.length]!;
          const keys = Array.from(
            { length: KEYS_PER_SLOT },
            (_, k) => `{${tag}}:${k}`,
          );
          reads.sent++;
          try {
            const values = await cluster.mget(...keys);
            if (values.some((v) => v !== tag)) reads.wrong++;
          } catch {
            reads.failed++;
          }
          // Not so many that the migration itself slows down.
          await new Promise((r) => setTimeout(r, 5));
        }
      });
      // Fire-and-forget writers on lists in moving slots: no connection is
      // lost here, so each write must land exactly once, whatever MOVED or
      // ASK it met (they take the connection's fast path, retaken on
      // refusal), and none may be reported as failed.
      const voidFailures: string[] = [];
      const onError = (event: RedisErrorEvent) =>
        voidFailures.push(`${event.command}: ${event.error.message}`);
      cluster.addEventListener("error", onError);
      const voidLists = tagList.slice(0, 40).map((tag) => `{${tag}}:ff`);
      const voidSent = new Map<string, string[]>(
        voidLists.map((key) => [key, []]),
      );
      const voidWriters = Array.from({ length: 4 }, async (_, w) => {
        for (let i = 0; !stop.signal.aborted; i++) {
          const key = voidLists[(w * 13 + i) % voidLists.length]!;
          voidSent.get(key)!.push(`${w}:${i}`);
          cluster.fireAndForget.rpush(key, `${w}:${i}`);
          if (i % 20 === 19) await new Promise((r) => setTimeout(r, 2));
        }
      });
      let ms: number;
      try {
        await new Promise((r) => setTimeout(r, 200));
        ms = await reshard(c, { from, to, slots: SLOTS_MOVED });
        await new Promise((r) => setTimeout(r, 200));
      } finally {
        stop.abort();
        await Promise.all([writers, ...readers, ...voidWriters]);
      }
      const after = cluster.counters;
      const check = await verifyLedgerOnCluster(c, ledger);
      const topology = await currentTopology(c);
      // deno-lint-ignore no-console
      console.log(
        `${reads.sent} MGETs of ${KEYS_PER_SLOT} keys of a moving slot: ${reads.wrong} wrong, ${reads.failed} failed`,
      );
      assert.equal(reads.wrong + reads.failed, 0);
      // deno-lint-ignore no-console
      console.log(
        `resharding ${SLOTS_MOVED} slots (${
          SLOTS_MOVED * KEYS_PER_SLOT
        } keys) took ${
          Math.round(ms)
        } ms under ${WRITERS} writers: ${tally.summary()}; MOVED ${
          after.moved - before.moved
        }, ASK ${after.ask - before.ask}, TRYAGAIN ${
          after.tryAgain - before.tryAgain
        }, CLUSTERDOWN ${
          after.clusterDown - before.clusterDown
        }; topology queries ${after.topologyQueries - before.topologyQueries}`,
      );
      assert.equal(
        topology.slotCount(to),
        to.slots.reduce((n, [a, b]) => n + b - a + 1, 0) + SLOTS_MOVED,
      );
      assert.equal(tally.rejectedTotal, 0, tally.summary());
      assert.equal(tally.misrouted, 0, tally.samples.join("; "));
      assert.equal(tally.sent, tally.acknowledged, "every promise settled");
      // The fire-and-forget writes still being retried land within seconds.
      const lengths = () =>
        Promise.all(voidLists.map((key) => cluster.llen(key)));
      const expected = voidLists.map((key) => voidSent.get(key)!.length);
      for (let i = 0; i < 100; i++) {
        const now = await lengths();
        if (now.every((n, k) => n >= expected[k]!)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      let voidWrites = 0;
      for (const key of voidLists) {
        const sent = voidSent.get(key)!;
        voidWrites += sent.length;
        const landed = await cluster.lrange(key, 0, -1);
        assert.equal(landed.length, sent.length, `${key}: each write once`);
        assert.deepEqual([...landed].sort(), [...sent].sort(), key);
      }
      cluster.removeEventListener("error", onError);
      assert.deepEqual(voidFailures, []);
      // deno-lint-ignore no-console
      console.log(
        `${voidWrites} fire-and-forget RPUSHes to ${voidLists.length} lists of moving slots: each landed once`,
      );
      assert.equal(check.lost, 0, check.samples.join("; "));
      assert.equal(check.misrouted, 0, check.samples.join("; "));
      assert.ok(
        after.moved + after.ask > before.moved + before.ask,
        "redirects were followed",
      );
      // Every preloaded key moved with its slot and still reads back.
      const sample = [...tags.values()].slice(0, 50).map((tag) => `{${tag}}:7`);
      assert.deepEqual(
        await cluster.mget(...sample),
        sample.map((k) => k.slice(1, k.indexOf("}"))),
      );
    },
  );

  await t.step(
    "graceful failover: 0 acknowledged writes lost, 0 caller errors",
    async () => {
      const topology = await currentTopology(c);
      const shard = topology.shards.find((s) =>
        s.replicas.length > 0 && s.slots.length > 0
      )!;
      const replica = shard.replicas[0]!;
      const before = cluster.counters;
      const tally = new Tally();
      const ledger = new Ledger();
      const stop = new AbortController();
      const writers = runKeyValueWriters(cluster, WRITERS, {
        stop: stop.signal,
        tally,
        ledger,
        prefix: "failover",
      });
      let ms: number;
      try {
        await new Promise((r) => setTimeout(r, 200));
        ms = await failover(c, replica);
        await new Promise((r) => setTimeout(r, 500));
      } finally {
        stop.abort();
        await writers;
      }
      const after = cluster.counters;
      const check = await verifyLedgerOnCluster(c, ledger);
      // deno-lint-ignore no-console
      console.log(
        `graceful failover to ${replica.port} took ${
          Math.round(ms)
        } ms under ${WRITERS} writers: ${tally.summary()}; MOVED ${
          after.moved - before.moved
        }, READONLY/MASTERDOWN/LOADING ${
          after.otherRefusals - before.otherRefusals
        }, CLUSTERDOWN ${after.clusterDown - before.clusterDown}`,
      );
      assert.equal(tally.rejectedTotal, 0, tally.summary());
      assert.equal(tally.misrouted, 0, tally.samples.join("; "));
      assert.equal(check.lost, 0, check.samples.join("; "));
      assert.equal(check.misrouted, 0, check.samples.join("; "));
      assert.ok(
        cluster.masters.includes(`127.0.0.1:${replica.port}`),
        "the client follows the new master",
      );
    },
  );
});
