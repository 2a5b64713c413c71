// The cache across lost connections, on a real server under the race load
// (_race.ts): CLIENT KILL of the tracking connection, CLIENT KILL of the
// RESP2 redirect connection, the chaos proxy's reset, a server restart. Each
// flushes the whole cache before it serves again, the load's rules hold
// throughout, and caching resumes once tracking is back on.

import assert from "node:assert/strict";
import { connect, type Redis } from "../../mod.ts";
import { startChaosProxy } from "../_support/chaos_proxy.ts";
import { PROTOCOLS } from "../_support/protocols.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { connectRecorded, type RecordingStore } from "./_recording.ts";
import { race, type RaceReport } from "./_race.ts";

const sleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, what: string): Promise<void> {
  const end = performance.now() + 10_000;
  while (!check()) {
    if (performance.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/**
 * Runs the load on `reader` with `fault` in its middle; checks the flush,
 * the load's rules, and that hits resumed after it.
 */
async function underLoad(
  reader: Redis,
  store: RecordingStore,
  writer: Redis,
  fault: () => Promise<void>,
): Promise<RaceReport> {
  let faultAt = 0;
  let hitsAfter = 0;
  const report = await race({
    reader,
    store,
    writer,
    keys: 100,
    readers: 10,
    writers: 10,
    ms: 600,
    during: async () => {
      await sleep(400);
      assert.ok(store.live);
      const flushes = store.flushedAt.length;
      faultAt = performance.now();
      await fault();
      await until(() => store.flushedAt.length > flushes, "the flush");
      await until(() => store.live, "tracking back on");
      hitsAfter = store.hits;
      await sleep(1200);
    },
  });
  assert.deepEqual(report.samples, []);
  assert.equal(report.staleMisses, 0);
  assert.equal(report.staleHitsAfterInvalidation, 0);
  assert.equal(report.staleBeyondBound, 0);
  assert.equal(report.fromTheFuture, 0);
  assert.ok(store.flushedAt.some((t) => t >= faultAt));
  assert.ok(store.hits > hitsAfter, "no hit after the fault");
  return report;
}

Deno.test("CLIENT KILL of the tracking connection flushes the cache; caching resumes after the reconnection", async (t) => {
  await using server = await startRedisServer();
  await using admin = await connect({ port: server.port });
  for (const protocol of PROTOCOLS) {
    await t.step(`RESP${protocol}`, async () => {
      await using writer = await connect({ port: server.port });
      const { redis, store, close } = await connectRecorded({
        port: server.port,
        protocol,
      });
      try {
        await underLoad(redis, store, writer, async () => {
          const id = await redis.uncached.send("CLIENT", "ID");
          await admin.send("CLIENT", "KILL", "ID", String(id));
        });
      } finally {
        await close();
      }
    });
  }
});

Deno.test("RESP2: CLIENT KILL of the redirect connection flushes the cache; tracking is redirected to its new socket", async () => {
  await using server = await startRedisServer();
  await using admin = await connect({ port: server.port });
  await using writer = await connect({ port: server.port });
  const { redis, store, close } = await connectRecorded({
    port: server.port,
    protocol: 2,
  });
  try {
    const before = await redis.send("CLIENT", "GETREDIR");
    await underLoad(redis, store, writer, async () => {
      await admin.send("CLIENT", "KILL", "ID", String(before));
    });
    const after = await redis.send("CLIENT", "GETREDIR");
    assert.equal(typeof after, "number");
    assert.notEqual(after, before);
    assert.notEqual(after, -1);
  } finally {
    await close();
  }
});

Deno.test("the chaos proxy's reset of every connection flushes the cache", async (t) => {
  await using server = await startRedisServer();
  for (const protocol of PROTOCOLS) {
    await t.step(`RESP${protocol}`, async () => {
      await using proxy = startChaosProxy({ port: server.port });
      await using writer = await connect({ port: server.port });
      const { redis, store, close } = await connectRecorded({
        port: proxy.port,
        protocol,
      });
      try {
        await underLoad(redis, store, writer, () => {
          proxy.reset();
          return Promise.resolve();
        });
      } finally {
        await close();
      }
    });
  }
});

Deno.test("a server restart flushes the cache; the rules hold across it", async (t) => {
  await using server = await startRedisServer({ appendOnly: true });
  for (const protocol of PROTOCOLS) {
    await t.step(`RESP${protocol}`, async () => {
      await using writer = await connect({ port: server.port });
      const { redis, store, close } = await connectRecorded({
        port: server.port,
        protocol,
      });
      try {
        const report = await underLoad(
          redis,
          store,
          writer,
          () => server.restart(),
        );
        assert.ok(report.failedReads + report.failedWrites > 0);
      } finally {
        await close();
      }
    });
  }
});
