// kill -9 of a master while 100 callers write: commands for the dead
// shard wait and are retried within their deadline, and writes resume within
// 2 s of the replica's promotion; commands for the healthy shards never wait
// on the dead node (their latency during the outage is printed); no reply
// goes astray, and no write that was never sent is applied. Acknowledged
// writes the server itself lost are printed: Redis replicates
// asynchronously, so the last writes a master acknowledged before it died
// may not have reached its replica.

import assert from "node:assert/strict";
import { connectCluster, ConnectionError } from "../../mod.ts";
import { keySlot } from "../../lib/cluster/slot.ts";
import {
  currentTopology,
  killMaster,
  startRedisCluster,
  verifyLedgerOnCluster,
  waitForPromotion,
} from "../_support/cluster.ts";
import { Ledger, Tally } from "../_support/workload.ts";

const WRITERS = 100;

interface Sample {
  issued: number;
  done: number;
  dead: boolean;
  ok: boolean;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

Deno.test("cluster under load: kill -9 of a master", async () => {
  await using c = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
  await using cluster = await connectCluster({
    nodes: c.masters.map((m) => m.url),
    commandTimeout: 10_000,
  });
  const victim = c.masters[0]!;
  const before = await currentTopology(c);
  const deadSlots = new Set<number>();
  for (const [a, b] of before.shards.find((s) => s.master === victim)!.slots) {
    for (let s = a; s <= b; s++) deadSlots.add(s);
  }
  const tally = new Tally();
  const ledger = new Ledger();
  const samples: Sample[] = [];
  const stop = new AbortController();
  const writer = async (id: number) => {
    // The last ten writers keep to the healthy shards, to show they go on.
    const healthyOnly = id >= WRITERS - 10;
    for (let round = 0; !stop.signal.aborted; round++) {
      const key = `kill:w${id}:${round}`;
      if (healthyOnly && deadSlots.has(keySlot(key))) continue;
      const value = `${key}:${crypto.randomUUID()}`;
      const issued = performance.now();
      tally.sent++;
      try {
        const got = await cluster.set(key, value);
        ledger.record(0, key, value);
        tally.check(`${key} SET`, got, "OK");
        samples.push({
          issued,
          done: performance.now(),
          dead: deadSlots.has(keySlot(key)),
          ok: true,
        });
      } catch (error) {
        tally.reject(error);
        ledger.record(0, key, value, error);
        samples.push({
          issued,
          done: performance.now(),
          dead: deadSlots.has(keySlot(key)),
          ok: false,
        });
        // A write lost with its socket may have run: never sent again.
        assert.ok(
          error instanceof ConnectionError && error.mayHaveExecuted,
          `unexpected ${error}`,
        );
      }
    }
  };
  const writers = Array.from({ length: WRITERS }, (_, i) => writer(i));
  let killedAt = 0;
  let promotedAt = 0;
  try {
    await new Promise((r) => setTimeout(r, 300));
    killedAt = await killMaster(c, victim);
    const promotion = await waitForPromotion(c, victim.id);
    promotedAt = promotion.at;
    await new Promise((r) => setTimeout(r, 2_500));
  } finally {
    stop.abort();
    await Promise.all(writers);
  }
  const firstDeadAck = samples
    .filter((s) => s.dead && s.ok && s.done > promotedAt)
    .reduce((min, s) => Math.min(min, s.done), Infinity);
  const healthy = samples.filter((s) =>
    !s.dead && s.issued >= killedAt && s.issued < promotedAt
  ).map((s) => s.done - s.issued);
  const deadWaits = samples.filter((s) =>
    s.dead && s.ok && s.issued >= killedAt && s.issued < promotedAt
  ).map((s) => s.done - s.issued);
  const check = await verifyLedgerOnCluster(c, ledger);
  const counters = cluster.counters;
  // deno-lint-ignore no-console
  console.log(
    [
      `promotion ${
        Math.round(promotedAt - killedAt)
      } ms after kill -9; ${tally.summary()}`,
      `dead shard: first write acknowledged ${
        Math.round(firstDeadAck - promotedAt)
      } ms after the promotion; ${deadWaits.length} writes issued during the outage waited p50 ${
        Math.round(percentile(deadWaits, 0.5))
      } ms, max ${Math.round(percentile(deadWaits, 1))} ms, and succeeded`,
      `healthy shards during the outage: ${healthy.length} writes, p50 ${
        percentile(healthy, 0.5).toFixed(1)
      } ms, p99 ${percentile(healthy, 0.99).toFixed(1)} ms, max ${
        percentile(healthy, 1).toFixed(1)
      } ms`,
      `ledger: ${check.keys} keys, acknowledged but lost ${check.lost} (replication is asynchronous: writes the master acknowledged just before SIGKILL had not reached its replica), ambiguous applied ${check.ambiguousApplied}, never sent but applied ${check.phantom}, misrouted ${check.misrouted}`,
      `retries: CLUSTERDOWN ${counters.clusterDown}, connection ${counters.connectionRetries}, MOVED ${counters.moved}, topology queries ${counters.topologyQueries}`,
    ].join("\n"),
  );
  assert.equal(tally.misrouted, 0, tally.samples.join("; "));
  assert.equal(check.misrouted, 0, check.samples.join("; "));
  assert.equal(check.phantom, 0, check.samples.join("; "));
  assert.ok(
    firstDeadAck - promotedAt < 2_000,
    `the dead shard resumed ${
      firstDeadAck - promotedAt
    } ms after the promotion`,
  );
  assert.ok(
    deadWaits.length > 0,
    "writes to the dead shard waited and succeeded",
  );
  // Healthy shards are not held by the dead node: most writes are quick
  // (the cluster answers CLUSTERDOWN everywhere for about a second while
  // it fails over; those are retried).
  assert.ok(
    percentile(healthy, 0.5) < 100,
    `healthy p50 ${percentile(healthy, 0.5)} ms`,
  );
  assert.ok(
    percentile(healthy, 1) < promotedAt - killedAt,
    "no healthy-shard write waited for the promotion",
  );
  // Only writes in flight to the dead master when it died may fail.
  assert.ok(tally.rejectedTotal <= WRITERS, tally.summary());
});
