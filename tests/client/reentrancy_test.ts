// Listeners that act on the client while it is in the middle of something:
// closing it from a push, error or sweep, or
// issuing commands from there. Events stay in order ("close" is last), no
// timer outlives close(), nothing arrives after "close", and the errors say
// the client was closed rather than that the connection failed.

import assert from "node:assert/strict";
import { connect, ConnectionError, type RedisPushEvent } from "../../mod.ts";
import { startChaosProxy } from "../_support/chaos_proxy.ts";
import {
  EVENT_TYPES,
  outcome,
  TimerTracker,
  until,
} from "../_support/events.ts";
import {
  answerHandshake,
  connectToFake,
  type FakeConnection,
  startFakeServer,
} from "../_support/fake_server.ts";
import { startRedisServer } from "../_support/redis_server.ts";

const push = (key: string) =>
  `>2\r\n$10\r\ninvalidate\r\n*1\r\n$${key.length}\r\n${key}\r\n`;

Deno.test("Redis dispatches nothing after close() from a push listener, even the next push of the same chunk", async () => {
  await using fake = await startFakeServer();
  const { redis, conn } = await connectToFake(fake);
  const seen: string[] = [];
  for (const type of EVENT_TYPES) {
    redis.addEventListener(type, () => seen.push(type));
  }
  let closing: Promise<void> | undefined;
  redis.addEventListener("push", () => closing ??= redis.close());
  await conn.write(push("a") + push("b"));
  await until(() => closing !== undefined, "the first push");
  await closing;
  assert.deepEqual(seen, ["push", "close"]);
  conn.close();
});

Deno.test("Redis decodes push frames as text, even when a binary command waits for its reply", async () => {
  await using fake = await startFakeServer();
  const connected = await connectToFake(fake);
  await using redis = connected.redis;
  const conn = connected.conn;
  const pushes: unknown[] = [];
  redis.addEventListener("push", (event: RedisPushEvent) => {
    pushes.push(event.data);
  });
  const bytes = redis.binary.get("k");
  await conn.readCommand();
  // A push right before the binary reply, then one with nothing pending.
  await conn.write(`${push("key")}$1\r\nv\r\n`);
  assert.deepEqual(await bytes, new Uint8Array([0x76]));
  await conn.write(push("other"));
  await until(() => pushes.length === 2, "two pushes");
  assert.deepEqual(pushes, [
    ["invalidate", ["key"]],
    ["invalidate", ["other"]],
  ]);
  const closing = redis.close();
  conn.close();
  await closing;
});

Deno.test("Redis dispatches no disconnect after close() from the listener of a fire-and-forget loss", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  const redis = await connect({ port: proxy.port });
  const seen: string[] = [];
  for (const type of EVENT_TYPES) {
    redis.addEventListener(type, () => seen.push(type));
  }
  let closing: Promise<void> | undefined;
  redis.addEventListener("error", () => closing ??= redis.close());
  proxy.stall();
  redis.fireAndForget.set("k", "v");
  await until(() => proxy.bytesUp > 0, "the SET to reach the proxy");
  proxy.reset();
  await until(() => closing !== undefined, "the loss to be reported");
  await closing;
  assert.deepEqual(seen, ["error", "close"]);
});

/** A client of `fake` that lost its first socket and is stuck in the handshake of the second. */
async function stuckInHandshake(
  options: { queueTimeout?: number; maxQueued?: number } = {},
): Promise<
  {
    fake: Awaited<ReturnType<typeof startFakeServer>>;
    redis: Awaited<ReturnType<typeof connect>>;
    second: FakeConnection;
  }
> {
  const fake = await startFakeServer();
  const first = fake.accept();
  const connecting = connect({ port: fake.port, ...options });
  await answerHandshake(await first);
  const redis = await connecting;
  const next = fake.accept();
  const connected = new Promise((resolve) =>
    redis.addEventListener("connect", resolve, { once: true })
  );
  (await first).close();
  await connected;
  const second = await next;
  // Its handshake is out; it is never answered.
  await second.readCommand();
  return { fake, redis, second };
}

Deno.test("Redis.close() during a reconnection's handshake rejects with 'the client is closed', not a failure", async () => {
  const { fake, redis } = await stuckInHandshake();
  await using _ = fake;
  using timers = new TimerTracker();
  const waiting = outcome(redis.get("waiting"));
  await redis.close();
  for (const result of [await waiting, await outcome(redis.get("after"))]) {
    assert.ok("error" in result && result.error instanceof ConnectionError);
    assert.equal(
      result.error.message,
      "Cannot send command: the client is closed",
    );
  }
  assert.equal(timers.live, 0);
});

Deno.test("Redis leaves no timer after close() when a sweep's listener queued a command", async () => {
  const { fake, redis } = await stuckInHandshake({ queueTimeout: 100 });
  await using _ = fake;
  using timers = new TimerTracker();
  let reissued: Promise<unknown> | undefined;
  redis.addEventListener("error", (event) => {
    if (/^Dropped/.test(event.error.message)) {
      reissued ??= outcome(redis.get("from-listener"));
    }
  });
  redis.fireAndForget.set("k", "v");
  await until(() => reissued !== undefined, "the drop to be reported");
  await redis.close();
  await reissued;
  assert.equal(timers.live, 0);
});

Deno.test("Redis counts an aborted with() command out of maxQueued at once", async () => {
  const { fake, redis } = await stuckInHandshake({
    queueTimeout: 300,
    maxQueued: 3,
  });
  await using _ = fake;
  const controller = new AbortController();
  const view = redis.with({ signal: controller.signal });
  const aborted = Array.from(
    { length: 3 },
    (_, i) => outcome(view.get(`${i}`)),
  );
  controller.abort(new Error("gave up"));
  await Promise.all(aborted);
  // Nothing is really waiting: the plain command is queued (and times out
  // by queueTimeout), not refused by maxQueued.
  const plain = await outcome(redis.get("d"));
  assert.ok("error" in plain && plain.error instanceof ConnectionError);
  assert.match(plain.error.message, /queueTimeout/);
  await redis.close();
});

Deno.test("Redis reports fire-and-forget drops of the same tick before 'close'", async () => {
  const { fake, redis } = await stuckInHandshake({ maxQueued: 1 });
  await using _ = fake;
  const seen: string[] = [];
  for (const type of EVENT_TYPES) {
    redis.addEventListener(type, () => seen.push(type));
  }
  redis.fireAndForget.set("a", "1"); // waits
  redis.fireAndForget.set("b", "2"); // dropped by maxQueued
  await redis.close();
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(seen.at(-1), "close", seen.join(", "));
  assert.equal(seen.filter((type) => type === "close").length, 1);
  assert.ok(seen.includes("error"));
});
