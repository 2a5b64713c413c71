// Faults between the client and a real redis-server, injected by the chaos
// proxy: sliced byte streams, replies cut
// at every offset, resets under load, stalls longer than a timeout, and
// half-open sockets found by the health check. Every promise settles, with its
// own reply or a typed error; nothing acknowledged is lost.

import assert from "node:assert/strict";
import {
  connect,
  ConnectionError,
  type RedisErrorEvent,
  TimeoutError,
} from "../../mod.ts";
import { startChaosProxy } from "../_support/chaos_proxy.ts";
import { nextEvent, outcome, recordEvents, until } from "../_support/events.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { Ledger, runWriters, Tally } from "../_support/workload.ts";

const FAST_RECONNECT = { minDelay: 5, maxDelay: 20 };

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

Deno.test("Redis matches every reply when the server's bytes arrive in 1..5-byte segments", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  await using redis = await connect({ port: proxy.port });
  proxy.slice(5);
  const tally = new Tally();
  const ledger = new Ledger();
  const stop = new AbortController();
  const load = runWriters(redis, 20, {
    stop: stop.signal,
    tally,
    ledger,
    dbs: [0, 1, 2, 3],
  });
  await until(() => tally.sent >= 2_000, "2,000 commands through the slicer");
  stop.abort();
  await load;
  const context = `seed ${proxy.seed}: ${tally.summary()} ${tally.samples}`;
  assert.equal(tally.misrouted, 0, context);
  assert.equal(tally.rejectedTotal, 0, context);
  assert.equal(tally.acknowledged, tally.sent, context);
});

Deno.test("Redis rejects exactly the commands whose replies a cut interrupts, at every offset, then serves again", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  await using redis = await connect({
    port: proxy.port,
    reconnect: FAST_RECONNECT,
  });
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  const value = "v".repeat(20);
  await redis.set("a", value);
  // Replies: $20 + 20 bytes + CRLF (27), :1 (4), +PONG (7).
  const sizes = [27, 4, 7];
  const total = sizes.reduce((a, b) => a + b);
  for (let cut = 0; cut < total; cut++) {
    await until(() => redis.ready, "the client to be ready");
    proxy.cutAfter(cut);
    const results = await Promise.all([
      outcome(redis.get("a")),
      outcome(redis.incr(`c${cut}`)),
      outcome(redis.ping()),
    ]);
    let end = 0;
    results.forEach((result, i) => {
      end += sizes[i]!;
      if (end <= cut) {
        assert.ok("value" in result, `cut ${cut}: reply ${i} lost`);
        assert.deepEqual(result.value, [value, 1, "PONG"][i]);
      } else {
        assert.ok("error" in result, `cut ${cut}: reply ${i} resolved`);
        assert.ok(result.error instanceof ConnectionError);
        assert.equal(result.error.mayHaveExecuted, true);
      }
    });
  }
  await until(() => redis.ready, "the client to be ready");
  assert.equal(await redis.get("a"), value);
  // Every INCR ran exactly once on the server, none was re-sent.
  const counters = await redis.mget(
    ...Array.from({ length: total }, (_, cut) => `c${cut}`),
  );
  assert.deepEqual(counters, Array.from({ length: total }, () => "1"));
  assert.deepEqual(errors, [], "a reconnection attempt failed");
});

Deno.test("Redis settles everything across connection resets under load with latency, losing no acknowledged write", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  await using redis = await connect({
    port: proxy.port,
    reconnect: FAST_RECONNECT,
  });
  const events = recordEvents(redis, ["disconnect", "ready"]);
  proxy.latency(2, 8);
  const tally = new Tally();
  const ledger = new Ledger();
  const stop = new AbortController();
  const load = runWriters(redis, 50, {
    stop: stop.signal,
    tally,
    ledger,
    dbs: [0, 3, 7, 11, 15],
  });
  for (let i = 0; i < 4; i++) {
    await sleep(150);
    proxy.reset();
    await until(() => redis.ready, "the client to be ready");
  }
  await sleep(150);
  stop.abort();
  await load;
  proxy.clear();
  await using check = await connect({ port: server.port });
  const { lost, phantom } = await ledger.verify(check);
  const context = `seed ${proxy.seed}: ${tally.summary()} ${tally.samples}`;
  assert.equal(tally.misrouted, 0, context);
  assert.equal(tally.unexplained(), 0, context);
  assert.ok(tally.rejectedTotal > 0, `no reset hit a command: ${context}`);
  assert.equal(lost, 0, `acknowledged writes lost: ${context}`);
  assert.equal(phantom, 0, `never-sent writes applied: ${context}`);
  assert.equal(events.filter((e) => e.type === "disconnect").length, 4);
  assert.equal(events.filter((e) => e.type === "ready").length, 4);
});

Deno.test("Redis times out commands on a stalled connection without dropping it, then drops every late reply", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  await using redis = await connect({ port: proxy.port, commandTimeout: 100 });
  const events = recordEvents(redis, ["disconnect", "error"]);
  await redis.set("k", "before");
  proxy.stall();
  const started = performance.now();
  const stalled = await Promise.all(
    Array.from({ length: 100 }, (_, i) => outcome(redis.echo(`stalled${i}`))),
  );
  const elapsed = performance.now() - started;
  for (const result of stalled) {
    assert.ok("error" in result && result.error instanceof TimeoutError);
    assert.match(String(result.error), /it was sent and may still run/);
  }
  assert.ok(elapsed < 1_000, `timed out after ${elapsed} ms`);
  proxy.resume();
  // 100 late replies arrive first and are dropped; then these get their own.
  const after = await Promise.all(
    Array.from({ length: 100 }, (_, i) => redis.echo(`after${i}`)),
  );
  assert.deepEqual(after, Array.from({ length: 100 }, (_, i) => `after${i}`));
  assert.equal(await redis.get("k"), "before");
  assert.deepEqual(events, [], "the stall cost the connection");
});

Deno.test("Redis declares a stalled socket dead after two silent pingIntervals, then reconnects", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  await using redis = await connect({
    port: proxy.port,
    pingInterval: 100,
    connectTimeout: 300,
    reconnect: FAST_RECONNECT,
  });
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  await redis.set("k", "v");
  proxy.stall();
  const started = performance.now();
  const disconnected = nextEvent(redis, "disconnect");
  const result = await outcome(redis.get("k"));
  const detected = performance.now() - started;
  assert.ok("error" in result && result.error instanceof ConnectionError);
  assert.equal(result.error.mayHaveExecuted, true);
  assert.match(result.error.message, /not responding/);
  assert.ok(detected >= 150 && detected < 1_000, `${detected} ms`);
  await disconnected;
  // New sockets are stalled too: their handshakes time out until resume().
  await until(() => errors.length >= 1, "a handshake to time out");
  assert.ok(errors.every((e) => e.error instanceof TimeoutError));
  proxy.resume();
  await until(() => redis.ready, "the client to be ready again");
  assert.equal(await redis.get("k"), "v");
});

Deno.test("Redis finds a half-open idle socket with its health-check PING", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  await using redis = await connect({
    port: proxy.port,
    pingInterval: 100,
    reconnect: FAST_RECONNECT,
  });
  assert.equal(await redis.ping(), "PONG");
  // Nothing is issued: the idle PING is what finds the silence.
  proxy.stall();
  const started = performance.now();
  const event = await nextEvent(redis, "disconnect", 2_000);
  const detected = performance.now() - started;
  assert.match(event.error.message, /not responding/);
  assert.ok(detected < 1_000, `${detected} ms`);
  proxy.resume();
  await until(() => redis.ready, "the client to be ready again");
  assert.equal(await redis.ping(), "PONG");
});

Deno.test("Redis queues commands while the proxy refuses connections and writes them in order when it returns", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  await using redis = await connect({
    port: proxy.port,
    reconnect: { minDelay: 10, maxDelay: 50 },
  });
  await redis.set("n", 0);
  const disconnected = nextEvent(redis, "disconnect");
  proxy.down();
  await disconnected;
  const queued = Array.from({ length: 500 }, () => redis.incr("n"));
  await sleep(300);
  assert.equal(redis.ready, false);
  proxy.up();
  assert.deepEqual(
    await Promise.all(queued),
    Array.from({ length: 500 }, (_, i) => i + 1),
  );
});
