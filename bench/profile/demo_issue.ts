// deno-lint-ignore-file no-console -- prints its figures.
// Why `deno task demo` printed ~4 ms to issue 5,000 fire-and-forget INCRs
// when bench/booksleeve_bench.ts measures ~1 ms: times every pass of the
// demo's issue loop (5,000 INCR over 5 databases, round-robin in batches of
// 10), each followed by a PING like the demo's, in a fresh process.
//
//   deno run -A bench/profile/demo_issue.ts [--passes=40] [--after-demo]
//
// --after-demo runs the demo's earlier workloads first (20,000 × SET+GET in
// three shapes, BookSleeve sequential and multiplexed), as the demo does.
// Each pass also reports, from the main thread's /proc schedstat, the time
// it waited on the run queue (descheduled: the machine's two cores are
// shared) and whether the heap shrank (a garbage collection ran in it).

import { connect } from "../../mod.ts";
import { flag, median, startRedisServer } from "./_common.ts";

const PASSES = Number(flag("passes", "40"));
const AFTER_DEMO = Deno.args.includes("--after-demo");

await using server = await startRedisServer();
await using redis = await connect({ port: server.port });

const plan: number[] = [];
for (let round = 0; round < 100; round++) {
  for (let db = 0; db < 5; db++) for (let k = 0; k < 10; k++) plan.push(db);
}
const views = [0, 1, 2, 3, 4].map((db) => redis.db(db));
const forget = views.map((view) => view.fireAndForget);

if (AFTER_DEMO) {
  const value = (i: number) => `value-${i}`;
  for (let i = 0; i < 20_000; i++) {
    await redis.set(`seq:${i}`, value(i));
    await redis.get(`seq:${i}`);
  }
  for (let start = 0; start < 20_000; start += 100) {
    const batch: Promise<unknown>[] = [];
    for (let i = start; i < start + 100; i++) {
      batch.push(redis.set(`pipe:${i}`, value(i)), redis.get(`pipe:${i}`));
    }
    await Promise.all(batch);
  }
  await Promise.all(Array.from({ length: 100 }, async (_, c) => {
    for (let i = c; i < 20_000; i += 100) {
      await redis.set(`conc:${i}`, value(i));
      await redis.get(`conc:${i}`);
    }
  }));
  for (const db of plan) await views[db]!.incr("booksleeve:sequential");
  await Promise.all(
    plan.map((db) => views[db]!.incr("booksleeve:multiplexed")),
  );
}

/** The main thread's [ms on a CPU, ms waiting for one] (Linux schedstat). */
function schedstat(): [number, number] {
  try {
    const [run, wait] = Deno.readTextFileSync("/proc/thread-self/schedstat")
      .split(" ").map(Number);
    return [run! / 1e6, wait! / 1e6];
  } catch {
    return [NaN, NaN];
  }
}

const issue: number[] = [];
const ran: number[] = [];
const notes: string[] = [];
for (let pass = 0; pass < PASSES; pass++) {
  const heap = Deno.memoryUsage().heapUsed;
  const [run, wait] = schedstat();
  const started = performance.now();
  for (const db of plan) forget[db]!.incr("booksleeve:forgotten");
  const ms = performance.now() - started;
  const [runAfter, waitAfter] = schedstat();
  const waited = waitAfter - wait;
  const collected = Deno.memoryUsage().heapUsed < heap;
  issue.push(ms);
  notes.push(
    `${ms.toFixed(2)}${collected ? "g" : ""}${
      waited > 0.1 ? `(waited ${waited.toFixed(2)})` : ""
    }`,
  );
  ran.push(runAfter - run);
  await redis.ping();
}
console.log(
  `issue ms per pass (g: a GC ran in it; (waited x): ms descheduled): ${
    notes.join(" ")
  }`,
);
console.log(
  `first pass ${issue[0]!.toFixed(2)} ms; passes 2-6 median ${
    median(issue.slice(1, 6)).toFixed(2)
  } ms; pass 6 ${issue[5]!.toFixed(2)} ms; passes 11-${PASSES} median ${
    median(issue.slice(10)).toFixed(2)
  } ms, min ${Math.min(...issue.slice(10)).toFixed(2)}, max ${
    Math.max(...issue.slice(10)).toFixed(2)
  } ms; main thread on a CPU, passes 11-${PASSES}: median ${
    median(ran.slice(10)).toFixed(2)
  } ms`,
);
