// Transactions, pipelines and watch() when the connection fails, through the
// chaos proxy in front of a real server: a transaction cut after its EXEC was
// written is reported "may have executed", one never written "nothing ran",
// and neither is ever sent again. The server behind the proxy is the judge:
// its EXEC count and per-transaction markers.

import assert from "node:assert/strict";
import {
  connect,
  ConnectionError,
  TimeoutError,
  WatchError,
} from "../../mod.ts";
import { startChaosProxy } from "../_support/chaos_proxy.ts";
import { commandCalls, resetCommandStats } from "../_support/commandstats.ts";
import { nextEvent, outcome, until } from "../_support/events.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { uniform } from "../resp/_vectors.ts";

const FAST_RECONNECT = { minDelay: 5, maxDelay: 20 };

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether `error` is a lost connection's or a timeout's, and may have run. */
function lostMayHaveRun(error: unknown): boolean {
  assert.ok(
    error instanceof ConnectionError || error instanceof TimeoutError,
    `unexpected failure: ${error}`,
  );
  return error.mayHaveExecuted;
}

Deno.test("a transaction cut after its EXEC was written is reported as may have run, ran once, and is never sent again", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  await using direct = await connect({ port: server.port });
  await using redis = await connect({
    port: proxy.port,
    reconnect: FAST_RECONNECT,
  });
  await resetCommandStats(direct);
  for (const transaction of [true, false]) {
    await until(() => redis.ready, "the client to be ready");
    // The batch reaches the server; the pair closes before any reply.
    proxy.cutAfter(0);
    const builder = transaction ? redis.multi() : redis.pipeline();
    await assert.rejects(
      builder.incr("n").incr("m").exec(),
      (error) => {
        assert.ok(error instanceof ConnectionError);
        assert.equal(error.mayHaveExecuted, true);
        assert.match(
          error.message,
          transaction
            ? /^Cannot finish the transaction \(EXEC was sent, so it may have run\)/
            : /^Cannot finish the pipeline \(some of its commands were sent and may have run\)/,
        );
        return true;
      },
    );
  }
  await until(() => redis.ready, "the client to be ready");
  assert.deepEqual(await redis.mget("n", "m"), ["2", "2"]);
  await sleep(50);
  // Each ran exactly once: nothing was sent again after the reconnection.
  assert.deepEqual(await redis.mget("n", "m"), ["2", "2"]);
  assert.equal((await commandCalls(direct)).exec, 1);
});

Deno.test("a transaction never written times out or fails as not sent, and does not run once the connection is back", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  await using direct = await connect({ port: server.port });
  await using redis = await connect({
    port: proxy.port,
    reconnect: { minDelay: 10, maxDelay: 50 },
  });
  await resetCommandStats(direct);
  const disconnected = nextEvent(redis, "disconnect");
  proxy.down();
  await disconnected;
  await assert.rejects(
    redis.with({ timeout: 100 }).multi().incr("x").exec(),
    (error) => {
      assert.ok(error instanceof TimeoutError);
      assert.equal(error.mayHaveExecuted, false);
      assert.match(error.message, /EXEC was not sent, so nothing of it ran/);
      return true;
    },
  );
  await assert.rejects(
    redis.with({ timeout: 100 }).pipeline().incr("x").exec(),
    (error) => error instanceof TimeoutError && !error.mayHaveExecuted,
  );
  proxy.up();
  await until(() => redis.ready, "the client to be ready");
  assert.equal(await redis.get("x"), null);
  assert.equal((await commandCalls(direct)).exec, undefined);
});

Deno.test("1,000 single commands and 50 transactions per round across connection resets: own replies, no QUEUED, every cut transaction told apart", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  await using direct = await connect({ port: server.port });
  await using redis = await connect({
    port: proxy.port,
    reconnect: FAST_RECONNECT,
  });
  const seed = proxy.seed;
  const random = uniform(seed);
  await resetCommandStats(direct);
  proxy.latency(1, 4);
  const SINGLES = 1_000;
  const TRANSACTIONS = 50;
  let ackedIncr = 0;
  let maybeIncr = 0;
  const cut: {
    marker: string;
    result: Awaited<ReturnType<typeof outcome<unknown[]>>>;
  }[] = [];
  for (let round = 0; round < 30; round++) {
    const context = `seed ${seed}, round ${round}`;
    await until(() => redis.ready, "the client to be ready");
    // Settled into records at once: a reset may reject any before it is awaited.
    const singles: ReturnType<typeof outcome<unknown>>[] = [];
    const transactions: ReturnType<typeof outcome<unknown[]>>[] = [];
    let t = 0;
    for (let i = 0; i < SINGLES; i++) {
      singles.push(outcome<unknown>(
        i % 2 === 0 ? redis.incr("counter") : redis.echo(`r${round}:${i}`),
      ));
      if (i % (SINGLES / TRANSACTIONS) === 7) {
        transactions.push(outcome<unknown[]>(
          redis.multi()
            .incr("counter")
            .incr("counter")
            .echo(`r${round}:t${t}`)
            .incr(`ran:${round}:${t++}`)
            .exec(),
        ));
      }
      if (random() < 0.05) await Promise.resolve();
    }
    // Cut somewhere in the round's traffic (or, now and then, not at all).
    await sleep(Math.floor(random() * 12));
    if (round % 5 !== 4) proxy.reset();
    const singleOutcomes = await Promise.all(singles);
    const txOutcomes = await Promise.all(transactions);
    singleOutcomes.forEach((result, i) => {
      if ("error" in result) {
        const maybe = lostMayHaveRun(result.error);
        if (i % 2 === 0 && maybe) maybeIncr++;
        return;
      }
      assert.notEqual(result.value, "QUEUED", context);
      if (i % 2 === 0) {
        assert.equal(typeof result.value, "number", context);
        ackedIncr++;
      } else {
        assert.equal(result.value, `r${round}:${i}`, context);
      }
    });
    txOutcomes.forEach((result, t) => {
      if ("value" in result) {
        const [a, b, echo, count] = result.value;
        assert.ok(!result.value.includes("QUEUED"), context);
        assert.equal(b, (a as number) + 1, context);
        assert.deepEqual([echo, count], [`r${round}:t${t}`, 1], context);
      } else {
        assert.ok(!(result.error instanceof WatchError), context);
      }
      cut.push({ marker: `ran:${round}:${t}`, result });
    });
    await sleep(Math.floor(random() * 5));
  }
  proxy.clear();
  // Bytes the server had received before a reset may still be executing.
  await sleep(100);
  // The server's word: each transaction's marker, set by its EXEC.
  const ran = await direct.mget(...cut.map((c) => c.marker));
  let committed = 0;
  let cutRan = 0;
  let cutNotRun = 0;
  let notSent = 0;
  let txRan = 0;
  cut.forEach(({ marker, result }, k) => {
    const context = `seed ${seed}, ${marker}`;
    // At most once: never sent again after a reconnection.
    assert.ok(ran[k] === null || ran[k] === "1", `${context}: ${ran[k]}`);
    const didRun = ran[k] === "1";
    if (didRun) txRan++;
    if ("value" in result) {
      assert.ok(didRun, context);
      committed++;
    } else if (lostMayHaveRun(result.error)) {
      assert.match(String(result.error), /EXEC was sent, so it may have run/);
      if (didRun) cutRan++;
      else cutNotRun++;
    } else {
      assert.match(
        String(result.error),
        /EXEC was not sent, so nothing of it ran/,
      );
      assert.ok(!didRun, `${context}: an unsent transaction ran`);
      notSent++;
    }
  });
  const summary =
    `seed ${seed}: ${committed} committed, ${cutRan} cut and ran, ${cutNotRun} cut and did not run, ${notSent} not sent`;
  // Every EXEC the server saw is a transaction whose marker it set: none ran
  // twice, none that was "not sent".
  assert.equal((await commandCalls(direct)).exec, txRan, summary);
  const counter = Number(await direct.get("counter"));
  const singlesRan = counter - 2 * txRan;
  assert.ok(
    singlesRan >= ackedIncr && singlesRan <= ackedIncr + maybeIncr,
    `${summary}: counter ${counter}, ${ackedIncr} acknowledged INCRs, ${maybeIncr} maybe`,
  );
  // deno-lint-ignore no-console
  console.log(summary);
  assert.ok(committed > 0, summary);
  assert.ok(cutRan > 0, `no reset cut a transaction that ran: ${summary}`);
});

Deno.test("watch() callbacks cut by a reset fail without running again; each transaction ran at most once", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  await using direct = await connect({ port: server.port });
  await using redis = await connect({
    port: proxy.port,
    reconnect: FAST_RECONNECT,
  });
  proxy.latency(1, 3);
  const WATCHERS = 16;
  const attempts = new Array(WATCHERS).fill(0);
  const results = await Promise.all(
    Array.from(
      { length: WATCHERS },
      (_, w) =>
        outcome(redis.watch([`w${w}`], async (tx) => {
          attempts[w]++;
          await tx.get(`w${w}`);
          if (w === 0) proxy.reset();
          return await tx.multi().incr(`w${w}`).exec();
        })),
    ),
  );
  proxy.clear();
  const marks = await direct.mget(
    ...Array.from({ length: WATCHERS }, (_, w) => `w${w}`),
  );
  let failed = 0;
  results.forEach((result, w) => {
    // No watched key changed: a cut never makes a callback run again (or at
    // all, when it cut the WATCH or the lease's handshake).
    assert.ok(attempts[w] <= 1, `${attempts[w]} attempts`);
    if (attempts[w] === 0) assert.equal(marks[w], null);
    assert.ok(marks[w] === null || marks[w] === "1");
    if ("value" in result) {
      assert.deepEqual(result.value, [1]);
      assert.equal(marks[w], "1");
      return;
    }
    failed++;
    if (!lostMayHaveRun(result.error)) assert.equal(marks[w], null);
  });
  assert.ok(failed > 0, "the reset cut no watch() callback");
  // The shared connection reconnected; new leases are opened as needed.
  await until(() => redis.ready, "the client to be ready");
  assert.deepEqual(
    await redis.watch(["w0"], (tx) => tx.multi().set("w0", "after").exec()),
    ["OK"],
  );
});
