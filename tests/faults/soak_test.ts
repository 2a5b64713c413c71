// A bounded soak: mixed load over db(), binary, with()
// and fireAndForget views through the chaos proxy, with a fault every few
// seconds drawn from every kind the suite knows. Prints its figures; fails on
// a misrouted reply, a lost acknowledged write, an applied never-sent write,
// an unexplained rejection, an unhandled rejection or a promise left pending.
//
// SLEEVE_SOAK_SECONDS=<s> sets the duration (default 60); <s>:<seed> also
// pins the seed of the fault schedule and of the proxy.

import assert from "node:assert/strict";
import { connect, type RedisErrorEvent } from "../../mod.ts";
import { startChaosProxy } from "../_support/chaos_proxy.ts";
import { until } from "../_support/events.ts";
import { RawConnection } from "../_support/raw_connection.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { kindOf, Ledger, runWriters, Tally } from "../_support/workload.ts";
import { below, mulberry32 } from "../resp/_vectors.ts";

function settings(): { seconds: number; seed: number } {
  const raw = Deno.env.get("SLEEVE_SOAK_SECONDS");
  const random = crypto.getRandomValues(new Uint32Array(1))[0]!;
  if (raw === undefined || raw === "") return { seconds: 60, seed: random };
  const match = raw.match(/^(\d+(?:\.\d+)?)(?::(\d+))?$/);
  if (!match) {
    throw new TypeError(
      `SLEEVE_SOAK_SECONDS must be <s> or <s>:<seed>, got ${raw}`,
    );
  }
  return {
    seconds: Number(match[1]),
    seed: match[2] === undefined ? random : Number(match[2]) >>> 0,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function mib(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

Deno.test("Redis under a one-minute soak with a fault every few seconds: nothing misrouted, lost or left pending", async () => {
  const { seconds, seed } = settings();
  const random = mulberry32(seed);
  await using server = await startRedisServer({ appendOnly: true });
  await using proxy = startChaosProxy({ port: server.port, seed });
  await using redis = await connect({
    port: proxy.port,
    pingInterval: 250,
    connectTimeout: 1_000,
    // Shorter than the longer outages, so some commands expire unsent (and
    // the ledger checks that none of those ever ran).
    queueTimeout: 1_000,
    reconnect: { minDelay: 10, maxDelay: 200 },
  });
  const admin = async (...args: string[]) => {
    using conn = await RawConnection.connect({ port: server.port });
    return await conn.command(args);
  };

  let unhandled = 0;
  const onUnhandled = (event: PromiseRejectionEvent) => {
    unhandled++;
    event.preventDefault();
  };
  globalThis.addEventListener("unhandledrejection", onUnhandled);
  const events = new Map<string, number>();
  for (const type of ["disconnect", "ready"] as const) {
    redis.addEventListener(type, () => {
      events.set(type, (events.get(type) ?? 0) + 1);
    });
  }
  redis.addEventListener("error", (event: RedisErrorEvent) => {
    const kind = `error ${kindOf(event.error)}${event.command ? " (F+F)" : ""}`;
    events.set(kind, (events.get(kind) ?? 0) + 1);
  });

  const tally = new Tally();
  const ledger = new Ledger();
  const ff = { issued: 0 };
  const stop = new AbortController();
  const baseline = Deno.memoryUsage();
  let peakRss = baseline.rss;
  let peakHeap = baseline.heapUsed;
  const sampler = setInterval(() => {
    const now = Deno.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  }, 250);
  const load = Promise.all([
    runWriters(redis, 16, {
      stop: stop.signal,
      tally,
      ledger,
      dbs: [0, 1, 2, 3, 4, 5, 6, 7],
      pauseMs: 5,
    }),
    runWriters(redis, 8, {
      stop: stop.signal,
      tally,
      ledger,
      dbs: [8, 9, 10, 11],
      timeout: 400,
      abortEvery: 3,
      fireAndForget: ff,
      pauseMs: 5,
    }),
  ]);

  // Each fault ends in the state it started from (toxics cleared, server up).
  const faults: Record<string, () => unknown> = {
    "proxy reset": () => proxy.reset(),
    "reply cut mid-frame": () => proxy.cutAfter(below(random, 4_000)),
    "stall past the timeouts": async () => {
      proxy.stall();
      await sleep(700);
      proxy.resume();
    },
    "latency with jitter": async () => {
      proxy.latency(5, 20);
      await sleep(1_500);
      proxy.clear();
    },
    "byte stream sliced": async () => {
      proxy.slice(16);
      await sleep(1_000);
      proxy.clear();
    },
    "proxy down": async () => {
      proxy.down();
      await sleep(500);
      proxy.up();
    },
    "CLIENT KILL": () => admin("CLIENT", "KILL", "TYPE", "normal"),
    "CLIENT PAUSE WRITE": () => admin("CLIENT", "PAUSE", "500", "WRITE"),
    "DEBUG SLEEP": () => admin("DEBUG", "SLEEP", "0.3"),
    "SIGSTOP/SIGCONT": async () => {
      server.kill("SIGSTOP");
      await sleep(800);
      server.kill("SIGCONT");
    },
    "kill -9 and restart": async () => {
      server.kill("SIGKILL");
      await sleep(300);
      await server.restart();
    },
  };
  // Shuffled rounds of every kind, so a minute sees each at least once.
  const names = Object.keys(faults);
  const schedule: string[] = [];
  const injected = new Map<string, number>();
  const started = performance.now();
  while (performance.now() - started < seconds * 1_000) {
    await sleep(1_500 + below(random, 2_000));
    if (schedule.length === 0) {
      schedule.push(...names);
      for (let i = schedule.length - 1; i > 0; i--) {
        const j = below(random, i + 1);
        [schedule[i], schedule[j]] = [schedule[j]!, schedule[i]!];
      }
    }
    const name = schedule.pop()!;
    injected.set(name, (injected.get(name) ?? 0) + 1);
    await faults[name]!();
  }
  stop.abort();
  const settled = await Promise.race([
    load.then(() => true),
    sleep(30_000).then(() => false),
  ]);
  clearInterval(sampler);
  globalThis.removeEventListener("unhandledrejection", onUnhandled);
  const elapsed = (performance.now() - started) / 1_000;
  const end = Deno.memoryUsage();

  await until(() => redis.ready, "the client to be ready after the soak");
  await using check = await connect({ port: server.port });
  const { lost, phantom } = await ledger.verify(check);
  let ffApplied = 0;
  for (let id = 0; id < 8; id++) {
    ffApplied += Number(await check.db(8 + id % 4).get(`ff:${id}`) ?? 0);
  }
  const fates = ledger.counts();
  const faultsLine = [...injected].map(([k, v]) => `${k} ${v}`).join(", ");
  const eventsLine = [...events].map(([k, v]) => `${k} ${v}`).join(", ");
  // deno-lint-ignore no-console
  console.log(
    `soak: ${elapsed.toFixed(1)} s, seed ${seed}, Deno ${Deno.version.deno}\n` +
      `  commands: ${tally.summary()}\n` +
      `  writes in ledger: ${ledger.writes.size} (acknowledged ${fates.acknowledged}, ambiguous ${fates.ambiguous}, never sent ${fates.unsent}); lost acknowledged ${lost}; never-sent applied ${phantom}\n` +
      `  fire-and-forget: issued ${ff.issued}, applied ${ffApplied}\n` +
      `  faults: ${
        [...injected.values()].reduce((a, b) => a + b, 0)
      } (${faultsLine})\n` +
      `  events: ${eventsLine}\n` +
      `  unhandled rejections ${unhandled}; all settled: ${settled}\n` +
      `  memory (MiB): RSS (the whole test process, other files included) start ${
        mib(baseline.rss)
      }, peak ${mib(peakRss)}, end ${mib(end.rss)}; heap start ${
        mib(baseline.heapUsed)
      }, peak ${mib(peakHeap)}, end ${mib(end.heapUsed)}`,
  );
  const context = `seed ${seed}: ${tally.summary()} ${tally.samples}`;
  assert.ok(settled, `promises still pending 30 s after the load stopped`);
  assert.equal(tally.misrouted, 0, context);
  assert.equal(tally.unexplained(), 0, context);
  assert.equal(lost, 0, `acknowledged writes lost: ${context}`);
  assert.equal(phantom, 0, `never-sent writes applied: ${context}`);
  assert.equal(unhandled, 0);
  assert.ok(ffApplied <= ff.issued);
  assert.ok(tally.acknowledged > 0 && tally.rejectedTotal > 0, context);
});
