// Faults of the server process itself
// : SIGKILL and restart with AOF under 100 writers, SIGSTOP/SIGCONT with
// and without the health check, and a restart with another password. Every
// acknowledged write survives; every other write was rejected with a typed
// error; memory stays bounded while the server takes nothing.

import assert from "node:assert/strict";
import {
  connect,
  ConnectionError,
  type RedisErrorEvent,
  ReplyError,
  TimeoutError,
} from "../../mod.ts";
import { nextEvent, outcome, until } from "../_support/events.ts";
import { RawConnection } from "../_support/raw_connection.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { Ledger, runWriters, Tally } from "../_support/workload.ts";

/** A full garbage collection: `deno task test` runs with --expose-gc. */
function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) {
    throw new Error("Run with --v8-flags=--expose-gc (deno task test does)");
  }
  collect();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

Deno.test("Redis keeps every acknowledged write of 100 writers across kill -9 and an AOF restart, and serves within a second", async () => {
  await using server = await startRedisServer({ appendOnly: true });
  // Default reconnect policy: the "within a second" is the user's default.
  await using redis = await connect({ port: server.port });
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  const tally = new Tally();
  const ledger = new Ledger();
  const stop = new AbortController();
  const load = runWriters(redis, 100, {
    stop: stop.signal,
    tally,
    ledger,
    dbs: [0, 1, 2, 5, 8, 13],
  });
  await until(() => ledger.writes.size >= 500, "500 writes before the kill");
  const disconnected = nextEvent(redis, "disconnect");
  // Freeze it first: Redis answers a round in well under a millisecond, so
  // a bare SIGKILL often finds every reply already sent. Frozen, the round
  // the writers send next is never answered, and the kill lands on it.
  server.kill("SIGSTOP");
  await sleep(50);
  server.kill("SIGKILL");
  await disconnected;
  // Long enough for the backoff to reach its cap (maxDelay, 500 ms).
  await sleep(1_500);
  const sentBeforeRestart = tally.sent;
  let readyAt: number | undefined;
  redis.addEventListener("ready", () => readyAt ??= performance.now());
  await server.restart();
  // restart() resolves once the server answers a probe; the client may
  // even be ready before that.
  const back = performance.now();
  await until(() => readyAt !== undefined, "ready after the restart", 5_000);
  const servedAfter = Math.max(0, readyAt! - back);
  await until(() => tally.sent > sentBeforeRestart + 2_000, "load after it");
  stop.abort();
  await load;
  await using check = await connect({ port: server.port });
  const { lost, phantom } = await ledger.verify(check);
  const counts = ledger.counts();
  const context = `${tally.summary()} ${tally.samples}; ledger ${
    JSON.stringify(counts)
  }`;
  // deno-lint-ignore no-console
  console.log(
    `kill -9 under 100 writers: ${tally.summary()}; ledger ${
      JSON.stringify(counts)
    }, lost ${lost}, never-sent applied ${phantom}; ready ${
      servedAfter.toFixed(0)
    } ms after the server answered again`,
  );
  assert.equal(tally.misrouted, 0, context);
  assert.equal(tally.unexplained(), 0, context);
  assert.equal(lost, 0, `acknowledged writes lost: ${context}`);
  assert.equal(phantom, 0, `never-sent writes applied: ${context}`);
  assert.ok(
    counts.ambiguous > 0,
    `the kill hit no write in flight: ${context}`,
  );
  assert.ok(servedAfter < 1_000, `served again after ${servedAfter} ms`);
  // Failed reconnection attempts are reported, and nothing else is.
  assert.ok(errors.every((e) => e.command === undefined));
  assert.ok(errors.every((e) => e.error instanceof ConnectionError));
});

Deno.test("Redis declares a SIGSTOPped server dead with pingInterval, ignores its late replies, and recovers after SIGCONT", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({
    port: server.port,
    pingInterval: 100,
    connectTimeout: 300,
    reconnect: { minDelay: 10, maxDelay: 100 },
  });
  await redis.set("n", 0);
  server.kill("SIGSTOP");
  const started = performance.now();
  const pending = Array.from({ length: 1_000 }, () => outcome(redis.incr("n")));
  const results = await Promise.all(pending);
  const detected = performance.now() - started;
  for (const result of results) {
    assert.ok("error" in result && result.error instanceof ConnectionError);
    assert.equal(result.error.mayHaveExecuted, true);
  }
  // deno-lint-ignore no-console
  console.log(
    `SIGSTOP: 1,000 pending rejected ${detected.toFixed(0)} ms after the stop`,
  );
  assert.ok(detected < 1_500, `pending rejected after ${detected} ms`);
  // While stopped, handshakes time out; commands issued now wait.
  const queued = outcome(redis.get("n"));
  await sleep(700);
  assert.equal(redis.ready, false);
  server.kill("SIGCONT");
  // The old socket's INCRs were in the server's buffer: they may run (they
  // were reported as such). The queued GET comes after all of them.
  const late = await queued;
  assert.ok("value" in late, Deno.inspect(late));
  const value = Number(late.value);
  assert.ok(value >= 0 && value <= 1_000, `n = ${value}`);
  assert.equal(Number(await redis.get("n")), value);
});

Deno.test("Redis bounds its memory while the server is stopped, rejects past maxQueued, counts every dropped fire-and-forget command, and drains in order after SIGCONT", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({
    port: server.port,
    maxBufferedBytes: 4 * 1024 * 1024,
    maxQueued: 2_000,
    queueTimeout: 60_000,
  });
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  await redis.set("ff", 0);
  server.kill("SIGSTOP");
  const before = Deno.memoryUsage().rss;
  let peak = before;
  const chunk = 32 * 1024;
  const offered = 8_000;
  const accepted: Promise<unknown>[] = [];
  let refused = 0;
  let ffIssued = 0;
  for (let i = 0; i < offered; i++) {
    // A fresh 32 KiB value each time: 250 MiB offered in all.
    const value = String(i).padStart(chunk, "x");
    accepted.push(
      redis.set(`k${i % 100}`, value).catch((error) => {
        assert.ok(error instanceof ConnectionError, Deno.inspect(error));
        assert.match(error.message, /maxQueued/);
        refused++;
        return "refused";
      }),
    );
    redis.fireAndForget.incr("ff");
    ffIssued++;
    if (i % 500 === 0) {
      await sleep(0);
      peak = Math.max(peak, Deno.memoryUsage().rss);
    }
  }
  await sleep(10);
  peak = Math.max(peak, Deno.memoryUsage().rss);
  const growth = (peak - before) / (1024 * 1024);
  assert.ok(refused > 0, "nothing was refused");
  // 4 MiB buffered + ~4 MiB in the kernel + 2,000 waiting values (62 MiB),
  // against 250 MiB offered.
  assert.ok(growth < 160, `RSS grew ${growth.toFixed(1)} MiB`);
  server.kill("SIGCONT");
  const outcomes = await Promise.all(accepted);
  const written = outcomes.filter((o) => o === "OK").length;
  assert.equal(written + refused, offered);
  // Every dropped fire-and-forget INCR was counted in an error event.
  let dropped = 0;
  for (const event of errors) {
    const match = event.error.message.match(/^Dropped (\d+) fire-and-forget/);
    assert.ok(match, event.error.message);
    dropped += Number(match[1]);
  }
  assert.ok(dropped > 0);
  assert.equal(Number(await redis.get("ff")), ffIssued - dropped);
  // Drained in order: each key holds the last accepted value written to it.
  for (let k = 0; k < 100; k += 33) {
    let last = -1;
    outcomes.forEach((o, i) => {
      if (o === "OK" && i % 100 === k) last = i;
    });
    const got = await redis.get(`k${k}`);
    assert.equal(got?.replace(/^x+/, ""), String(last));
  }
});

Deno.test("Redis bounds what it holds while CLIENT PAUSE reads commands but answers none, by maxInFlight and maxQueued", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({
    port: server.port,
    maxInFlight: 10_000,
    maxQueued: 10_000,
  });
  using admin = await RawConnection.connect({ port: server.port });
  assert.equal(
    await admin.command(["CLIENT", "PAUSE", "10000", "WRITE"]),
    "+OK\r\n",
  );
  gc();
  const before = Deno.memoryUsage().heapUsed;
  const offered = 300_000;
  let ok = 0;
  let refused = 0;
  const settled: Promise<void>[] = [];
  for (let i = 0; i < offered; i++) {
    const reply = redis.set(`k${i}`, i);
    // Keep only the accepted ones: a refusal is synchronous bookkeeping.
    if (i < 20_000) settled.push(reply.then(() => void ok++));
    else {
      reply.catch((error) => {
        assert.match(error.message, /maxQueued/);
        refused++;
      });
    }
    if (i % 50_000 === 0) await sleep(0);
  }
  await sleep(50);
  gc();
  const growth = (Deno.memoryUsage().heapUsed - before) / (1024 * 1024);
  // 10,000 written, 10,000 waiting, the rest refused at once.
  assert.equal(refused, offered - 20_000);
  // What the client still holds; without the bound the reply queue alone
  // would hold 300,000 entries (about 60 MiB with their promises).
  assert.ok(growth < 20, `heap grew ${growth.toFixed(1)} MiB`);
  assert.equal(await admin.command(["CLIENT", "UNPAUSE"]), "+OK\r\n");
  await Promise.all(settled);
  assert.equal(ok, 20_000);
  assert.equal(await redis.dbsize(), 20_000);
  assert.equal(await redis.get("k19999"), "19999");
});

Deno.test("Redis retries a server restarted with another password, reporting WRONGPASS without the password, and recovers when it is back", async () => {
  const password = "canary-Pa55-word";
  await using server = await startRedisServer({ password });
  await using redis = await connect({
    url: `redis://:${password}@127.0.0.1:${server.port}`,
    reconnect: { minDelay: 20, maxDelay: 100 },
    queueTimeout: 300,
  });
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  await redis.set("k", "v");
  await server.restart(["--requirepass", "another-password"]);
  const refused = () =>
    errors.filter((e) =>
      e.error instanceof ReplyError && e.error.code === "WRONGPASS"
    ).length;
  await until(() => refused() >= 2, "two refused reconnections");
  for (const event of errors) {
    // Connection refused while it restarted, then WRONGPASS.
    assert.ok(
      event.error instanceof ReplyError ||
        event.error instanceof ConnectionError,
      Deno.inspect(event.error),
    );
    assert.ok(!Deno.inspect(event.error).includes(password));
  }
  const waited = await outcome(redis.get("k"));
  assert.ok("error" in waited && waited.error instanceof ConnectionError);
  assert.equal(waited.error.mayHaveExecuted, false);
  assert.match(waited.error.message, /queueTimeout/);
  assert.ok(!Deno.inspect(waited.error).includes(password));
  await server.restart(["--requirepass", password]);
  await until(() => redis.ready, "the client to log in again");
  assert.equal(await redis.get("k"), null, "no AOF: the restart lost k");
  assert.equal(await redis.set("k", "again"), "OK");
});

Deno.test("Redis with a commandTimeout rejects commands to a stopped server with TimeoutError and keeps the socket", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port, commandTimeout: 100 });
  const disconnects: Event[] = [];
  redis.addEventListener("disconnect", (event) => disconnects.push(event));
  server.kill("SIGSTOP");
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, i) => outcome(redis.echo(`m${i}`))),
  );
  assert.ok(
    results.every((r) => "error" in r && r.error instanceof TimeoutError),
  );
  server.kill("SIGCONT");
  assert.deepEqual(
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => redis.echo(`n${i}`)),
    ),
    Array.from({ length: 50 }, (_, i) => `n${i}`),
  );
  assert.deepEqual(disconnects, []);
});

Deno.test("Redis refuses to reconnect to a TLS server restarted with a certificate for another name, and recovers when the right one is back", async () => {
  await using server = await startRedisServer({ tls: true });
  const certs = server.certs!;
  await using redis = await connect({
    url: server.tlsUrl,
    tls: { caCerts: [certs.caCert] },
    reconnect: { minDelay: 20, maxDelay: 100 },
    queueTimeout: 300,
  });
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  await redis.set("k", "v");
  await server.restart([
    "--tls-cert-file",
    certs.otherNameCertPath,
    "--tls-key-file",
    certs.otherNameKeyPath,
  ]);
  const refused = () =>
    errors.filter((e) => /certificate/.test(e.error.message)).length;
  await until(() => refused() >= 2, "two refused TLS handshakes");
  const waited = await outcome(redis.get("k"));
  assert.ok("error" in waited && waited.error instanceof ConnectionError);
  assert.equal(waited.error.mayHaveExecuted, false);
  assert.equal(redis.ready, false);
  await server.restart([
    "--tls-cert-file",
    certs.serverCertPath,
    "--tls-key-file",
    certs.serverKeyPath,
  ]);
  await until(() => redis.ready, "the client to reconnect to the real server");
  assert.equal(await redis.set("k", "again"), "OK");
  for (const event of errors) {
    assert.ok(
      event.error instanceof ConnectionError,
      Deno.inspect(event.error),
    );
  }
});
