// The cache under races, on a real server: 20 writers and 20 cached readers
// on 100 keys (30 s in all by default; SLEEVE_CACHE_RACE_SECONDS sets the
// seconds per protocol), every read checked against the ledger of
// acknowledged writes and the times invalidations were processed (see
// _race.ts), and 1,000,000 distinct keys read through a cache of 10,000
// entries: memory stays bounded and the counts add up.

import assert from "node:assert/strict";
import { connect } from "../../mod.ts";
import { PROTOCOLS } from "../_support/protocols.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { connectRecorded } from "./_recording.ts";
import { race } from "./_race.ts";

const seconds = Number(Deno.env.get("SLEEVE_CACHE_RACE_SECONDS") ?? "15");
const gc = (globalThis as { gc?: () => void }).gc;

Deno.test("20 writers and 20 cached readers on 100 keys: no read older than a processed invalidation", async (t) => {
  await using server = await startRedisServer();
  for (const protocol of PROTOCOLS) {
    await t.step(`RESP${protocol}, ${seconds} s`, async () => {
      await using writer = await connect({ port: server.port });
      const { redis, store, close } = await connectRecorded({
        port: server.port,
        protocol,
      });
      try {
        const report = await race({
          reader: redis,
          store,
          writer,
          keys: 100,
          readers: 20,
          writers: 20,
          ms: seconds * 1000,
        });
        const stats = redis.stats().cache;
        // deno-lint-ignore no-console
        console.log(
          `RESP${protocol}: ${report.reads} reads (${
            (100 * report.hits / report.reads).toFixed(1)
          }% hits), ${report.writes} writes, ${stats.invalidations} invalidations, ${stats.discarded} replies not stored; ${report.boundedStaleHits} hits behind an invalidation still on its way (at most ${
            report.maxStaleness.toFixed(2)
          } ms after the write's acknowledgement)`,
        );
        assert.deepEqual(report.samples, []);
        assert.equal(report.staleMisses, 0);
        assert.equal(report.staleHitsAfterInvalidation, 0);
        assert.equal(report.staleBeyondBound, 0);
        assert.equal(report.fromTheFuture, 0);
        assert.equal(report.failedReads + report.failedWrites, 0);
        assert.ok(report.hits > 0 && report.hits < report.reads);
        assert.ok(report.writes > 100);
        assert.equal(stats.hits + stats.misses, report.reads);
      } finally {
        await close();
      }
    });
  }
});

Deno.test("1,000,000 distinct keys through a cache of 10,000 entries: bounded memory, counts that add up", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({
    port: server.port,
    cache: { maxEntries: 10_000 },
  });
  const total = 1_000_000;
  const batch = 2_000;
  gc?.();
  const before = Deno.memoryUsage().heapUsed;
  let peak = 0;
  for (let start = 0; start < total; start += batch) {
    const reads: Promise<string | null>[] = [];
    for (let i = start; i < start + batch; i++) reads.push(redis.get(`k:${i}`));
    await Promise.all(reads);
    if (start % 100_000 === 0) {
      gc?.();
      peak = Math.max(peak, Deno.memoryUsage().heapUsed - before);
    }
  }
  const stats = redis.stats().cache;
  assert.equal(stats.misses, total);
  assert.equal(stats.hits, 0);
  assert.equal(stats.entries, 10_000);
  assert.equal(stats.evictions, total - 10_000);
  assert.equal(
    stats.stored,
    stats.entries + stats.evictions + stats.expired + stats.invalidated +
      stats.flushed,
  );
  assert.ok(stats.bytes > 0 && stats.bytes < 10_000 * 300, `${stats.bytes}`);
  // 10,000 entries of a few hundred bytes each, whatever the keys read.
  assert.ok(peak < 32 * 1024 * 1024, `heap grew by ${peak} bytes`);
  // The last 10,000 keys are held.
  await redis.get(`k:${total - 1}`);
  assert.equal(redis.stats().cache.hits, 1);
});
