// Closing: close() and `await using` wait for every command already issued,
// later commands are refused, close() is idempotent, "close" is dispatched
// once, and a socket that dies during close() still settles everything.

import assert from "node:assert/strict";
import {
  connect,
  ConnectionError,
  type Redis,
  type RedisCloseEvent,
  type RedisErrorEvent,
} from "../../mod.ts";
import { startChaosProxy } from "../_support/chaos_proxy.ts";
import { connectToFake, startFakeServer } from "../_support/fake_server.ts";
import { startRedisServer } from "../_support/redis_server.ts";

/** Issues 1,000 commands of three kinds whose replies are known in advance. */
function thousandPending(redis: Redis, settled: { count: number }) {
  const expected: unknown[] = [];
  const pending: Promise<unknown>[] = [];
  let counter = 0;
  for (let i = 0; i < 1_000; i++) {
    let reply: Promise<unknown>;
    if (i % 3 === 0) {
      reply = redis.incr("counter");
      expected.push(++counter);
    } else if (i % 3 === 1) {
      reply = redis.echo(`echo:${i}`);
      expected.push(`echo:${i}`);
    } else {
      reply = redis.db(i % 16).set(`key:${i}`, i);
      expected.push("OK");
    }
    pending.push(reply.finally(() => settled.count++));
  }
  return { pending, expected };
}

function closedError(error: unknown): true {
  assert.ok(error instanceof ConnectionError, Deno.inspect(error));
  assert.match(error.message, /closed/);
  return true;
}

Deno.test("Redis.close() resolves only after 1,000 pending commands resolved with their own replies", async () => {
  await using server = await startRedisServer();
  const redis = await connect({ port: server.port });
  const settled = { count: 0 };
  const { pending, expected } = thousandPending(redis, settled);
  await redis.close();
  assert.equal(settled.count, 1_000);
  assert.deepEqual(await Promise.all(pending), expected);
  assert.equal(redis.closed, true);
});

Deno.test("Redis.close() applies fire-and-forget commands issued before it", async () => {
  await using server = await startRedisServer();
  const redis = await connect({ port: server.port });
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  for (let i = 0; i < 10_000; i++) redis.fireAndForget.set(`ff:${i}`, i);
  await redis.close();
  assert.deepEqual(errors, []);
  await using check = await connect({ port: server.port });
  assert.equal(await check.dbsize(), 10_000);
  assert.equal(await check.get("ff:9999"), "9999");
});

Deno.test("Redis rejects commands issued during and after close() with ConnectionError", async () => {
  await using server = await startRedisServer();
  const redis = await connect({ port: server.port });
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  const before = redis.set("before", "1");
  const closing = redis.close();
  assert.equal(redis.closed, true);
  // Issued while close() waits for "before": refused, never sent.
  await assert.rejects(redis.set("during", "1"), closedError);
  redis.fireAndForget.set("during-ff", "1");
  assert.equal(await before, "OK");
  await closing;
  await assert.rejects(redis.get("before"), closedError);
  await assert.rejects(redis.db(3).binary.get("before"), closedError);
  redis.fireAndForget.incr("after-ff");
  assert.deepEqual(errors.map((event) => event.command), ["SET", "INCR"]);
  for (const event of errors) closedError(event.error);
  await using check = await connect({ port: server.port });
  assert.equal(await check.exists("before", "during", "during-ff"), 1);
});

Deno.test("Redis.close() is safe to call twice and dispatches one close event", async () => {
  await using server = await startRedisServer();
  const redis = await connect({ port: server.port });
  const closes: RedisCloseEvent[] = [];
  redis.addEventListener("close", (event) => closes.push(event));
  const pending = redis.echo("still answered");
  await Promise.all([redis.close(), redis.close()]);
  await redis.close();
  await redis[Symbol.asyncDispose]();
  assert.equal(await pending, "still answered");
  assert.equal(closes.length, 1);
  assert.equal(closes[0]!.error, undefined);
});

Deno.test("await using drains pending commands when the scope ends", async () => {
  await using server = await startRedisServer();
  const settled = { count: 0 };
  let outside: Redis;
  let work: ReturnType<typeof thousandPending>;
  {
    await using redis = await connect({ port: server.port });
    outside = redis;
    work = thousandPending(redis, settled);
  }
  assert.equal(settled.count, 1_000);
  assert.deepEqual(await Promise.all(work.pending), work.expected);
  assert.equal(outside.closed, true);
  await assert.rejects(outside.ping(), closedError);
});

Deno.test("Redis.close() still resolves when the socket dies during it, rejecting what was pending", async () => {
  await using fake = await startFakeServer();
  const { redis, conn } = await connectToFake(fake);
  const errors: RedisErrorEvent[] = [];
  const closes: RedisCloseEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  redis.addEventListener("close", (event) => closes.push(event));

  const pending = [redis.get("a"), redis.incr("b"), redis.echo("c")].map((
    reply,
  ) => reply.then((value) => ({ value }), (error: unknown) => ({ error })));
  const closing = redis.close();
  // The server reads all three commands, then closes without answering.
  for (let i = 0; i < 3; i++) assert.ok(await conn.readCommand());
  conn.close();

  for (const result of await Promise.all(pending)) {
    assert.ok(
      "error" in result && result.error instanceof ConnectionError,
      Deno.inspect(result),
    );
  }
  await closing;
  await redis.close();
  assert.equal(closes.length, 1);
  assert.ok(closes[0]!.error instanceof ConnectionError);
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.command, undefined);
  assert.ok(errors[0]!.error instanceof ConnectionError);
  await assert.rejects(redis.get("later"), ConnectionError);
});

Deno.test("Redis.close() gives up on a server that sends nothing for connectTimeout, rejecting what was pending", async () => {
  await using server = await startRedisServer();
  const redis = await connect({ port: server.port, connectTimeout: 300 });
  await redis.set("k", "v");
  server.kill("SIGSTOP");
  const pending = Array.from({ length: 100 }, () => redis.incr("n"));
  const settled = Promise.allSettled(pending);
  const started = performance.now();
  await redis.close();
  const elapsed = performance.now() - started;
  server.kill("SIGCONT");
  assert.ok(elapsed >= 250 && elapsed < 2_000, `close() took ${elapsed} ms`);
  for (const result of await settled) {
    assert.equal(result.status, "rejected");
    const error = result.reason;
    assert.ok(error instanceof ConnectionError, Deno.inspect(error));
    assert.equal(error.mayHaveExecuted, true);
    assert.match(error.message, /not responding.*while closing/);
  }
  assert.equal(redis.closed, true);
});

Deno.test("Redis.close() keeps draining a slow server that still answers", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  const redis = await connect({ port: proxy.port, connectTimeout: 300 });
  const value = "v".repeat(128 * 1024);
  await redis.set("big", value);
  // 128 KiB in 1 KiB slices 5 ms apart: over 600 ms of reply, never 300 ms
  // of silence.
  proxy.slice(1024, 5);
  const big = redis.get("big");
  const started = performance.now();
  await redis.close();
  assert.ok(performance.now() - started > 300, "the reply was not slow");
  assert.equal(await big, value);
});
