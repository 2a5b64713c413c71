// Timeouts and cancellation: a command
// hit by its limit before it is written is never written; after the write its
// caller is rejected at once, its slot stays in the reply FIFO, the late reply
// is read and dropped, and every later caller still gets its own reply. No
// timer or abort listener outlives a command.

import assert from "node:assert/strict";
import {
  connect,
  type Redis,
  type RedisErrorEvent,
  TimeoutError,
} from "../../mod.ts";
import { startChaosProxy } from "../_support/chaos_proxy.ts";
import { nextEvent, outcome, TimerTracker, until } from "../_support/events.ts";
import { RawConnection } from "../_support/raw_connection.ts";
import { startRedisServer } from "../_support/redis_server.ts";

/** Calls of `command` in INFO commandstats. */
async function calls(redis: Redis, command: string): Promise<number> {
  const { commandstats } = await redis.info("commandstats");
  const stats = commandstats?.[`cmdstat_${command}`] ?? "";
  return Number(stats.match(/^calls=(\d+)/)?.[1] ?? 0);
}

Deno.test("Redis.with({ signal }) never writes a command aborted before its write", async (t) => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });

  await t.step("signal already aborted", async () => {
    const reason = new Error("gone");
    await assert.rejects(
      redis.with({ signal: AbortSignal.abort(reason) }).append("a", "x"),
      (error: unknown) => error === reason,
    );
  });

  await t.step(
    "aborted in the same tick, before the coalesced write",
    async () => {
      const controller = new AbortController();
      const before = redis.echo("before");
      const aborted = redis.with({ signal: controller.signal }).append(
        "b",
        "x",
      );
      const after = redis.echo("after");
      controller.abort();
      await assert.rejects(aborted, (error: unknown) => {
        assert.ok(error instanceof DOMException);
        assert.equal(error.name, "AbortError");
        return true;
      });
      assert.deepEqual(await Promise.all([before, after]), ["before", "after"]);
    },
  );

  await t.step(
    "a fire-and-forget command aborted before its write",
    async () => {
      // Reported as an error event, not sent.
      const errors: RedisErrorEvent[] = [];
      redis.addEventListener("error", (event) => errors.push(event));
      const controller = new AbortController();
      redis.with({ signal: controller.signal }).fireAndForget.append("c", "x");
      controller.abort(new Error("stop"));
      await redis.ping();
      assert.equal(errors.length, 1);
      assert.equal(errors[0]!.command, "APPEND");
      assert.equal(errors[0]!.error.message, "stop");
    },
  );

  assert.equal(await calls(redis, "append"), 0, "an aborted APPEND was sent");
  assert.equal(await redis.exists("a", "b", "c"), 0);
});

Deno.test("Redis.with({ signal }) rejects a written command at once and keeps every later reply in place", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  using admin = await RawConnection.connect({ port: server.port });
  assert.equal(
    await admin.command(["CLIENT", "PAUSE", "2000", "WRITE"]),
    "+OK\r\n",
  );
  const controller = new AbortController();
  const started = performance.now();
  const aborted = outcome(
    redis.with({ signal: controller.signal }).set("k", "from-aborted"),
  );
  const later = [redis.set("j", "mine"), redis.get("j"), redis.incr("n")];
  setTimeout(() => controller.abort(new Error("caller gave up")), 50);
  const result = await aborted;
  assert.ok(performance.now() - started < 1_000, "not rejected promptly");
  assert.ok("error" in result);
  assert.equal((result.error as Error).message, "caller gave up");
  assert.equal(await admin.command(["CLIENT", "UNPAUSE"]), "+OK\r\n");
  // The SET's late "OK" is dropped; each later caller gets its own reply.
  assert.deepEqual(await Promise.all(later), ["OK", "mine", 1]);
  // It was written, so the server ran it (documented: abort is not undo).
  assert.equal(await redis.get("k"), "from-aborted");
});

Deno.test("Redis.with({ timeout }) gives TimeoutError and drops the late reply; the next GET is correct", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  await redis.set("slow", "s");
  await redis.set("next", "n");
  using admin = await RawConnection.connect({ port: server.port });
  // DEBUG SLEEP blocks the whole server, so the GET's reply comes late.
  await admin.write("*3\r\n$5\r\nDEBUG\r\n$5\r\nSLEEP\r\n$3\r\n0.5\r\n");
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = performance.now();
  const timedOut = outcome(redis.with({ timeout: 100 }).get("slow"));
  const next = redis.get("next");
  const result = await timedOut;
  const elapsed = performance.now() - started;
  assert.ok("error" in result && result.error instanceof TimeoutError);
  assert.match(
    (result.error as Error).message,
    /GET timed out after 100 ms: it was sent and may still run/,
  );
  assert.ok(elapsed >= 95 && elapsed < 450, `${elapsed} ms`);
  assert.equal(await next, "n");
  assert.equal(await admin.readReply(), "+OK\r\n");
  assert.equal(await redis.get("slow"), "s");
});

Deno.test("TimeoutError.mayHaveExecuted says whether the command was written", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  await using redis = await connect({
    port: proxy.port,
    reconnect: { minDelay: 5, maxDelay: 20 },
  });
  await redis.set("k", "v");
  // Written, then no reply in time: it may run.
  proxy.stall();
  const written = await outcome(redis.with({ timeout: 50 }).get("k"));
  assert.ok("error" in written && written.error instanceof TimeoutError);
  assert.equal(written.error.mayHaveExecuted, true);
  assert.match(written.error.message, /it was sent and may still run/);
  // No connection: it waits, times out, and was never sent.
  const disconnected = nextEvent(redis, "disconnect");
  proxy.down();
  await disconnected;
  const unsent = await outcome(redis.with({ timeout: 50 }).set("k", "never"));
  assert.ok("error" in unsent && unsent.error instanceof TimeoutError);
  assert.equal(unsent.error.mayHaveExecuted, false);
  assert.match(unsent.error.message, /it was never sent/);
  proxy.clear();
  proxy.up();
  await until(() => redis.ready, "the client to be ready again");
  assert.equal(await redis.get("k"), "v");
});

Deno.test("connect({ commandTimeout }) times out every promise command; fire-and-forget is not affected", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port, commandTimeout: 150 });
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  using admin = await RawConnection.connect({ port: server.port });
  assert.equal(
    await admin.command(["CLIENT", "PAUSE", "600", "WRITE"]),
    "+OK\r\n",
  );
  const timedOut = outcome(redis.db(2).binary.set("k", "v"));
  redis.fireAndForget.set("ff", "1");
  const result = await timedOut;
  assert.ok("error" in result && result.error instanceof TimeoutError);
  // with() on top replaces the client-wide timeout.
  assert.equal(await redis.with({ timeout: 5_000 }).get("ff"), "1");
  assert.equal(await redis.db(2).get("k"), "v");
  assert.deepEqual(errors, []);
});

Deno.test("Redis.with() limits leave no timer or abort listener behind, over 10,000 commands", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  using timers = new TimerTracker();
  const controller = new AbortController();
  let listeners = 0;
  const signal = controller.signal;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = (...args: Parameters<typeof add>) => {
    listeners++;
    add(...args);
  };
  signal.removeEventListener = (...args: Parameters<typeof remove>) => {
    listeners--;
    remove(...args);
  };
  const limited = redis.with({ timeout: 10_000, signal });
  const replies = await Promise.all(
    Array.from({ length: 10_000 }, (_, i) => limited.echo(`m${i}`)),
  );
  assert.deepEqual(replies, Array.from({ length: 10_000 }, (_, i) => `m${i}`));
  for (let i = 0; i < 100; i++) limited.fireAndForget.incr("ff");
  assert.equal(await redis.get("ff"), "100");
  assert.equal(listeners, 0, "abort listeners left");
  assert.equal(timers.live, 0, "timers left");
});

Deno.test("Redis times out 20,000 commands under CLIENT PAUSE, then answers normally", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  using admin = await RawConnection.connect({ port: server.port });
  assert.equal(
    await admin.command(["CLIENT", "PAUSE", "10000", "WRITE"]),
    "+OK\r\n",
  );
  const limited = redis.with({ timeout: 200 });
  const results = await Promise.all(
    Array.from({ length: 20_000 }, (_, i) => outcome(limited.set(`k${i}`, i))),
  );
  assert.ok(
    results.every((r) => "error" in r && r.error instanceof TimeoutError),
  );
  assert.equal(await admin.command(["CLIENT", "UNPAUSE"]), "+OK\r\n");
  await until(async () => await redis.dbsize() === 20_000, "the late SETs");
  assert.equal(await redis.get("k19999"), "19999");
});

Deno.test("Redis.with() composes with db(), binary and fireAndForget, and validates its limits", async (t) => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });

  await t.step("bad limits are refused before anything is sent", () => {
    assert.throws(() => redis.with({ timeout: -1 }), RangeError);
    assert.throws(() => redis.with({ timeout: 0 }), RangeError);
    assert.throws(() => redis.with({ timeout: Number.NaN }), RangeError);
    assert.throws(
      // @ts-expect-error: a string is not a timeout
      () => redis.with({ timeout: "5" }),
      TypeError,
    );
    assert.throws(
      // @ts-expect-error: not an AbortSignal
      () => redis.with({ signal: {} }),
      TypeError,
    );
    // @ts-expect-error: limits must be an object
    assert.throws(() => redis.with(null), TypeError);
  });

  await t.step("db(), binary and fireAndForget keep the limits", async () => {
    const limited = redis.with({ timeout: 5_000 });
    await limited.db(4).set("k", "four");
    assert.equal(await redis.db(4).get("k"), "four");
    assert.equal(await redis.get("k"), null);
    assert.deepEqual(
      await redis.db(4).with({ timeout: 5_000 }).binary.get("k"),
      new TextEncoder().encode("four"),
    );
    limited.db(5).fireAndForget.incr("n");
    assert.equal(await redis.db(5).get("n"), "1");
  });

  await t.step(
    "an outer signal still counts under an inner with()",
    async () => {
      const outer = new AbortController();
      const inner = new AbortController();
      const view = redis.with({ signal: outer.signal }).db(6).with({
        signal: inner.signal,
      });
      outer.abort(new Error("outer"));
      await assert.rejects(view.set("x", "1"), /outer/);
      const view2 = redis.with({ signal: new AbortController().signal }).with({
        signal: AbortSignal.abort(new Error("inner")),
      });
      await assert.rejects(view2.set("x", "1"), /inner/);
      assert.equal(await redis.db(6).exists("x"), 0);
    },
  );

  await t.step("the inner timeout replaces the outer one", async () => {
    using admin = await RawConnection.connect({ port: server.port });
    assert.equal(
      await admin.command(["CLIENT", "PAUSE", "400", "WRITE"]),
      "+OK\r\n",
    );
    const started = performance.now();
    const result = await outcome(
      redis.with({ timeout: 60_000 }).with({ timeout: 100 }).set("y", "1"),
    );
    assert.ok("error" in result && result.error instanceof TimeoutError);
    assert.ok(performance.now() - started < 350, "outer timeout was used");
    assert.equal(await redis.with({ timeout: 5_000 }).get("y"), "1");
  });
});

Deno.test("Redis never refuses with() or commandTimeout commands by maxQueued while the connection is ready", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({
    port: server.port,
    maxQueued: 10,
    commandTimeout: 5_000,
  });
  const replies = await Promise.all(
    Array.from({ length: 1_000 }, (_, i) => redis.echo(`m${i}`)),
  );
  assert.deepEqual(replies, Array.from({ length: 1_000 }, (_, i) => `m${i}`));
  const limited = redis.with({ signal: new AbortController().signal });
  assert.equal(
    (await Promise.all(Array.from({ length: 100 }, () => limited.incr("n"))))
      .at(-1),
    100,
  );
});

Deno.test("Redis expires mixed timeouts each at its own deadline and drops late error replies silently", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  await redis.set("text", "not a number");
  // Database 3 confirmed first: its SET is then pipelined, not held for the
  // first SELECT's answer behind the pause.
  await redis.db(3).ping();
  using admin = await RawConnection.connect({ port: server.port });
  assert.equal(
    await admin.command(["CLIENT", "PAUSE", "800", "WRITE"]),
    "+OK\r\n",
  );
  const started = performance.now();
  const at = (p: Promise<unknown>) =>
    p.then(
      () => ({ ms: performance.now() - started, error: undefined }),
      (error: unknown) => ({ ms: performance.now() - started, error }),
    );
  const long = at(redis.with({ timeout: 400 }).set("a", "1"));
  const short = at(redis.with({ timeout: 100 }).incr("text"));
  const none = at(redis.set("b", "2"));
  const short2 = at(redis.db(3).with({ timeout: 100 }).set("c", "3"));
  const [s, s2, l] = await Promise.all([short, short2, long]);
  for (const r of [s, s2]) {
    assert.ok(r.error instanceof TimeoutError, Deno.inspect(r.error));
    assert.ok(r.ms >= 95 && r.ms < 350, `short timeout after ${r.ms} ms`);
  }
  assert.ok(l.error instanceof TimeoutError);
  assert.ok(l.ms >= 395 && l.ms < 750, `long timeout after ${l.ms} ms`);
  // The command without a timeout waits for the pause to end.
  const n = await none;
  assert.equal(n.error, undefined);
  assert.ok(n.ms >= 700, `answered after ${n.ms} ms`);
  // The INCR's late ERR reply was dropped: no event, no caller.
  assert.deepEqual(errors, []);
  assert.deepEqual(
    await Promise.all([redis.get("a"), redis.get("b"), redis.db(3).get("c")]),
    ["1", "2", "3"],
  );
});

Deno.test("Redis counts a timeout from the command's own call, even late in a long synchronous run", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  await using redis = await connect({ port: proxy.port });
  proxy.latency(100); // ~200 ms round trips
  const first = outcome(redis.with({ timeout: 500 }).get("a"));
  // 400 ms of synchronous work in the same tick, then another command.
  const busyUntil = performance.now() + 400;
  while (performance.now() < busyUntil) { /* busy */ }
  const issued = performance.now();
  const late = await outcome(redis.with({ timeout: 500 }).get("b"));
  const elapsed = performance.now() - issued;
  assert.ok("value" in late, `timed out after ${elapsed} ms`);
  assert.equal(late.value, null);
  assert.ok("value" in await first);
});

Deno.test("Redis honours many distinct timeouts at once, each at its own deadline", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  using admin = await RawConnection.connect({ port: server.port });
  assert.equal(
    await admin.command(["CLIENT", "PAUSE", "1000", "WRITE"]),
    "+OK\r\n",
  );
  const started = performance.now();
  // 40 distinct timeouts: more than get a lane of their own.
  const results = await Promise.all(
    Array.from({ length: 40 }, (_, i) => {
      const timeout = 100 + 10 * i;
      return redis.with({ timeout }).set(`k${i}`, i).then(
        () => ({ timeout, ms: -1 }),
        (error) => {
          assert.ok(error instanceof TimeoutError, Deno.inspect(error));
          return { timeout, ms: performance.now() - started };
        },
      );
    }),
  );
  for (const { timeout, ms } of results) {
    assert.ok(ms >= timeout - 2, `${timeout} ms timeout fired at ${ms}`);
    assert.ok(ms < timeout + 250, `${timeout} ms timeout fired at ${ms}`);
  }
  assert.equal(await admin.command(["CLIENT", "UNPAUSE"]), "+OK\r\n");
  assert.equal(await redis.get("k39"), "39");
});

Deno.test("connect({ commandTimeout }) still applies on a with({ signal }) view", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port, commandTimeout: 100 });
  using admin = await RawConnection.connect({ port: server.port });
  assert.equal(
    await admin.command(["CLIENT", "PAUSE", "600", "WRITE"]),
    "+OK\r\n",
  );
  const view = redis.with({ signal: new AbortController().signal });
  const started = performance.now();
  const result = await outcome(view.db(2).set("k", "v"));
  const elapsed = performance.now() - started;
  assert.ok("error" in result && result.error instanceof TimeoutError);
  assert.ok(elapsed < 450, `timed out after ${elapsed} ms`);
  // An explicit timeout still wins over commandTimeout.
  assert.equal(await view.with({ timeout: 5_000 }).db(2).get("k"), "v");
});
