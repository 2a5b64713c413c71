// Reconnection:
// commands written before a socket died are rejected, flagged as possibly
// executed, and never re-sent; commands issued while disconnected wait in
// order, bounded in number and time, and go out after the new handshake; the
// database is re-selected; backoff, give-up and close() during a reconnection
// settle everything and leave no timer behind.

import assert from "node:assert/strict";
import {
  connect,
  ConnectionError,
  type Redis,
  type RedisErrorEvent,
  type RedisReconnectingEvent,
  ReplyError,
} from "../../mod.ts";
import {
  nextEvent,
  outcome,
  recordEvents,
  TimerTracker,
  until,
} from "../_support/events.ts";
import { startChaosProxy } from "../_support/chaos_proxy.ts";
import {
  answerHandshake,
  type FakeConnection,
  type FakeServer,
  startFakeServer,
} from "../_support/fake_server.ts";
import { startRedisServer } from "../_support/redis_server.ts";

const CANARY = "Canary-Pw-5e1c0a";

/** The id of the client connection named `name`, from an admin connection. */
async function clientId(admin: Redis, name: string): Promise<string> {
  const list = await admin.send("CLIENT", "LIST") as string;
  const id = list.match(new RegExp(`id=(\\d+) [^\\n]* name=${name} `))?.[1];
  assert.ok(id, list);
  return id;
}

Deno.test("Redis reconnects after CLIENT KILL: written commands reject as maybe-executed, none is re-sent, the database is re-selected", async () => {
  await using server = await startRedisServer();
  await using admin = await connect({ port: server.port, reconnect: false });
  await using redis = await connect({ port: server.port, name: "victim" });
  const events = recordEvents(redis, [
    "disconnect",
    "reconnecting",
    "connect",
    "ready",
    "close",
  ]);
  await redis.db(3).set("before", "3");
  // Database 5 is confirmed too, so that the SET below is pipelined behind
  // the INCR rather than held for its first SELECT's answer.
  await redis.db(5).ping();
  // Hold every write from now on, so which commands ran is known.
  assert.equal(await admin.send("CLIENT", "PAUSE", "5000", "WRITE"), "OK");
  const held = [
    outcome(redis.db(3).incr("counter")),
    outcome(redis.db(5).set("held", "x")),
    outcome(redis.get("after-held")),
  ];
  await until(
    async () => /cmd=incr/.test(await admin.send("CLIENT", "LIST") as string),
    "the INCR to be blocked by the pause",
  );
  assert.equal(
    await admin.send("CLIENT", "KILL", "ID", await clientId(admin, "victim")),
    1,
  );
  for (const result of await Promise.all(held)) {
    assert.ok("error" in result, "a held command was answered");
    assert.ok(result.error instanceof ConnectionError);
    assert.equal(result.error.mayHaveExecuted, true);
  }
  assert.equal(await admin.send("CLIENT", "UNPAUSE"), "OK");
  await until(() => redis.ready, "the client to be ready again");
  // After the reconnection: the same name and protocol, the right database,
  // and no replay of the INCR.
  assert.equal(await redis.send("CLIENT", "GETNAME"), "victim");
  assert.match(await redis.send("CLIENT", "INFO") as string, / resp=3\b/);
  assert.equal(await redis.db(3).get("before"), "3");
  assert.equal(await redis.db(3).get("counter"), null);
  assert.equal(await redis.db(5).exists("held"), 0);
  assert.equal(await redis.db(3).incr("counter"), 1);
  assert.deepEqual(events.map((e) => e.type), [
    "disconnect",
    "reconnecting",
    "connect",
    "ready",
  ]);
  assert.equal((events[1] as RedisReconnectingEvent).attempt, 1);
  assert.equal(redis.closed, false);
});

Deno.test("Redis queues commands issued while the server is down and writes them in order after it returns (AOF restart)", async () => {
  await using server = await startRedisServer({ appendOnly: true });
  await using redis = await connect({
    port: server.port,
    reconnect: { minDelay: 20, maxDelay: 100 },
  });
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  await redis.db(9).set("acked", "yes");
  const disconnected = nextEvent(redis, "disconnect");
  server.kill("SIGKILL");
  await disconnected;
  assert.equal(redis.ready, false);
  // 10 callers, 100 INCRs each, on their own database, while down.
  const callers = Array.from({ length: 10 }, (_, c) => {
    const view = redis.db(c + 1);
    return Array.from({ length: 100 }, () => view.incr("n"));
  });
  view9FireAndForget(redis);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const returned = performance.now();
  await server.restart();
  for (const [c, replies] of callers.entries()) {
    assert.deepEqual(
      await Promise.all(replies),
      Array.from({ length: 100 }, (_, i) => i + 1),
      `caller ${c} saw its INCRs out of order`,
    );
  }
  const servedAfter = performance.now() - returned;
  assert.equal(
    await redis.db(9).get("acked"),
    "yes",
    "acknowledged write lost",
  );
  assert.equal(await redis.db(9).get("ff"), "50");
  assert.ok(errors.every((e) => e.command === undefined), Deno.inspect(errors));
  // The restart itself takes part of this; the client must not add seconds.
  assert.ok(servedAfter < 3_000, `served again after ${servedAfter} ms`);
});

function view9FireAndForget(redis: Redis): void {
  for (let i = 0; i < 50; i++) redis.db(9).fireAndForget.incr("ff");
}

Deno.test("Redis bounds the offline queue by maxQueued and queueTimeout, and says what it dropped", async (t) => {
  await using server = await startRedisServer();
  await using redis = await connect({
    port: server.port,
    maxQueued: 5,
    queueTimeout: 300,
    reconnect: { minDelay: 50, maxDelay: 100 },
  });
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => {
    if (!(event.error instanceof ConnectionError) || event.command) return;
    if (/Dropped/.test(event.error.message)) errors.push(event);
  });
  const disconnected = nextEvent(redis, "disconnect");
  await server.stop();
  await disconnected;

  await t.step(
    "past maxQueued: promises reject, fire-and-forget is counted",
    async () => {
      const queued = Array.from(
        { length: 5 },
        (_, i) => outcome(redis.get(`k${i}`)),
      );
      const over = await outcome(redis.get("over"));
      assert.ok("error" in over && over.error instanceof ConnectionError);
      assert.match((over.error as Error).message, /maxQueued/);
      assert.equal((over.error as ConnectionError).mayHaveExecuted, false);
      for (let i = 0; i < 7; i++) {
        redis.fireAndForget.incr("dropped");
      }
      await until(() => errors.length === 1, "one error event for the drops");
      assert.match(
        errors[0]!.error.message,
        /Dropped 7 fire-and-forget commands/,
      );

      // queueTimeout: the five queued commands give up, typed, never sent.
      const started = performance.now();
      for (const result of await Promise.all(queued)) {
        assert.ok("error" in result && result.error instanceof ConnectionError);
        assert.match((result.error as Error).message, /queueTimeout/);
        assert.equal((result.error as ConnectionError).mayHaveExecuted, false);
      }
      assert.ok(performance.now() - started < 2_000);
    },
  );

  await t.step(
    "a queued fire-and-forget command that times out is reported",
    async () => {
      redis.fireAndForget.set("late", "1");
      await until(() => errors.length === 2, "an error event for the expiry");
      assert.match(
        errors[1]!.error.message,
        /Dropped 1 fire-and-forget command: .*queueTimeout/,
      );
    },
  );
});

Deno.test("Redis gives up after maxAttempts, rejecting waiting commands, and stays closed", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({
    port: server.port,
    reconnect: { maxAttempts: 3, minDelay: 10, maxDelay: 20 },
  });
  const attempts: RedisReconnectingEvent[] = [];
  redis.addEventListener("reconnecting", (event) => attempts.push(event));
  const closed = nextEvent(redis, "close");
  await server.stop();
  const waiting = outcome(redis.get("k"));
  const event = await closed;
  assert.ok(event.error instanceof ConnectionError);
  assert.match(event.error.message, /Gave up reconnecting .* after 3 attempts/);
  assert.deepEqual(attempts.map((a) => a.attempt), [1, 2, 3]);
  assert.equal(attempts[0]!.delay, 0);
  for (const a of attempts.slice(1)) assert.ok(a.delay <= 20, `${a.delay}`);
  const result = await waiting;
  assert.ok("error" in result && result.error instanceof ConnectionError);
  assert.equal(redis.closed, true);
  await assert.rejects(redis.ping(), ConnectionError);
});

Deno.test("Redis.close() during a reconnection stops it at once and leaves no timer", async () => {
  using timers = new TimerTracker();
  await using server = await startRedisServer();
  const redis = await connect({
    port: server.port,
    reconnect: { minDelay: 5_000, maxDelay: 5_000 },
    pingInterval: 1_000,
  });
  const secondAttempt = new Promise<void>((resolve) =>
    redis.addEventListener("reconnecting", (event) => {
      if (event.attempt === 2) resolve();
    })
  );
  await server.stop();
  await secondAttempt; // now sleeping 2.5-5 s before attempt 2
  const waiting = outcome(redis.set("k", "v"));
  redis.fireAndForget.set("k2", "v");
  const started = performance.now();
  await redis.close();
  assert.ok(
    performance.now() - started < 500,
    "close() waited for the backoff",
  );
  const result = await waiting;
  assert.ok("error" in result && result.error instanceof ConnectionError);
  assert.equal(result.error.mayHaveExecuted, false);
  assert.equal(timers.live, 0, "a timer outlived close()");
});

Deno.test("Redis makes one reconnection for 1,000 commands failing at once", async () => {
  await using server = await startRedisServer();
  await using admin = await connect({ port: server.port, reconnect: false });
  await using redis = await connect({ port: server.port, name: "many" });
  let connects = 0;
  redis.addEventListener("connect", () => connects++);
  assert.equal(await admin.send("CLIENT", "PAUSE", "5000", "WRITE"), "OK");
  const pending = Array.from(
    { length: 1_000 },
    (_, i) => outcome(redis.set(`k${i}`, i)),
  );
  await until(
    async () => /cmd=set/.test(await admin.send("CLIENT", "LIST") as string),
    "the SETs to be held",
  );
  await admin.send("CLIENT", "KILL", "ID", await clientId(admin, "many"));
  const results = await Promise.all(pending);
  assert.ok(
    results.every((r) => "error" in r && r.error instanceof ConnectionError),
  );
  await admin.send("CLIENT", "UNPAUSE");
  await until(() => redis.ready, "the reconnection");
  assert.equal(await redis.dbsize(), 0, "a held SET ran or was replayed");
  assert.equal(connects, 1);
});

Deno.test("Redis reconnects transparently after the server closes an idle connection", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  await redis.send("CONFIG", "SET", "timeout", "1");
  const disconnected = nextEvent(redis, "disconnect");
  const event = await disconnected; // the server's idle timeout (~1-2 s)
  assert.match(event.error.message, /closed by the server/);
  await redis.send("CONFIG", "SET", "timeout", "0");
  assert.equal(await redis.ping(), "PONG");
  assert.deepEqual(errors, [], "an idle close is not an error");
});

Deno.test("Redis keeps retrying, with backoff and without the password in any message, when the server changed its password", async () => {
  await using server = await startRedisServer({ password: CANARY });
  await using redis = await connect({
    url: `redis://:${CANARY}@127.0.0.1:${server.port}`,
    name: "pw",
    reconnect: { minDelay: 50, maxDelay: 400 },
  });
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  await redis.send("CONFIG", "SET", "requirepass", "new-password");
  {
    await using admin = await connect({
      port: server.port,
      password: "new-password",
      reconnect: false,
    });
    await admin.send("CLIENT", "KILL", "ID", await clientId(admin, "pw"));
  }
  await until(() => errors.length >= 3, "three failed attempts");
  const windowStart = errors.length;
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const perSecond = errors.length - windowStart;
  assert.ok(perSecond <= 6, `${perSecond} attempts in one second: no backoff`);
  for (const event of errors) {
    assert.ok(event.error instanceof ReplyError, Deno.inspect(event.error));
    assert.equal(event.error.code, "WRONGPASS");
    assert.ok(!Deno.inspect(event.error).includes(CANARY));
    assert.ok(!JSON.stringify({ m: event.error.message }).includes(CANARY));
  }
  const queued = await outcome(redis.with({ timeout: 200 }).get("k"));
  assert.ok("error" in queued);
  assert.ok(!Deno.inspect(queued.error).includes(CANARY));
  assert.equal(redis.closed, false);
});

Deno.test("Redis redoes the TLS handshake, verifying the server, when it reconnects", async () => {
  await using server = await startRedisServer({ tls: true });
  await using redis = await connect({
    url: server.tlsUrl,
    tls: { caCerts: [server.certs!.caCert] },
    name: "tls-victim",
  });
  await redis.set("k", "v");
  await using admin = await connect({ port: server.port, reconnect: false });
  const ready = nextEvent(redis, "ready");
  await admin.send("CLIENT", "KILL", "ID", await clientId(admin, "tls-victim"));
  await ready;
  assert.equal(await redis.get("k"), "v");
});

Deno.test("Redis retries a handshake that dies midway and never hands its replies to a queued command", async () => {
  await using fake = await startFakeServer();
  const first = fake.accept();
  const connecting = connect({
    port: fake.port,
    db: 2,
    reconnect: { minDelay: 10, maxDelay: 20 },
  });
  await answerHandshake(await first);
  await using redis = await connecting;
  const disconnected = nextEvent(redis, "disconnect");
  const second = fake.accept();
  (await first).close();
  await disconnected;
  const queued = redis.get("key");
  // Second socket: dies after reading HELLO, before answering anything.
  const conn2 = await second;
  const third = fake.accept();
  assert.deepEqual((await conn2.readCommand())?.[0], "HELLO");
  conn2.close();
  // Third socket: the handshake is answered slowly, one reply at a time;
  // only then does the queued GET arrive, in database 2.
  const conn3 = await third;
  const seen = await answerHandshake(conn3);
  assert.deepEqual(seen.at(-2), ["SELECT", "2"]);
  assert.deepEqual(await conn3.readCommand(), ["GET", "key"]);
  await conn3.write("$5\r\nvalue\r\n");
  assert.equal(await queued, "value");
  const closing = redis.close();
  conn3.close();
  await closing;
});

const LOADING = "-LOADING Redis is loading the dataset in memory\r\n";

/**
 * A client of `fake` whose first socket the fake has just closed: it is
 * reconnecting, and `next` is the fake's accept of its new socket.
 */
async function droppedByFake(
  fake: FakeServer,
): Promise<{ redis: Redis; next: Promise<FakeConnection> }> {
  const first = fake.accept();
  const connecting = connect({
    port: fake.port,
    reconnect: { minDelay: 10, maxDelay: 20 },
  });
  await answerHandshake(await first);
  const redis = await connecting;
  const next = fake.accept();
  const disconnected = nextEvent(redis, "disconnect");
  (await first).close();
  await disconnected;
  return { redis, next };
}

Deno.test("connect() waits while the server answers LOADING, writing no command before it is ready", async () => {
  await using fake = await startFakeServer();
  const accepted = fake.accept();
  let ready = false;
  const connecting = connect({ port: fake.port, connectTimeout: 150 }).then(
    (redis) => {
      ready = true;
      return redis;
    },
  );
  const conn = await accepted;
  await answerHandshake(conn, {
    reply: (command) => command[0] === "PING" ? LOADING : undefined,
  });
  // Three more PINGs 100 ms apart answer LOADING: 400 ms in all, longer
  // than connectTimeout, which bounds each silence, not the loading.
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(await conn.readCommand(), ["PING"]);
    assert.equal(ready, false);
    await conn.write(LOADING);
  }
  assert.deepEqual(await conn.readCommand(), ["PING"]);
  await conn.write("+PONG\r\n");
  const redis = await connecting;
  const get = redis.get("k");
  assert.deepEqual(await conn.readCommand(), ["GET", "k"]);
  await conn.write("$1\r\nv\r\n");
  assert.equal(await get, "v");
  const closing = redis.close();
  conn.close();
  await closing;
});

Deno.test("Redis holds queued commands while a restarted server is loading, then writes them", async () => {
  await using fake = await startFakeServer();
  const dropped = await droppedByFake(fake);
  await using redis = dropped.redis;
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  const queued = redis.get("key");
  redis.fireAndForget.incr("hits");
  const conn = await dropped.next;
  await answerHandshake(conn, {
    reply: (command) => command[0] === "PING" ? LOADING : undefined,
  });
  assert.deepEqual(await conn.readCommand(), ["PING"]);
  await conn.write("+PONG\r\n");
  assert.deepEqual(await conn.readCommand(), ["GET", "key"]);
  assert.deepEqual(await conn.readCommand(), ["INCR", "hits"]);
  await conn.write("$5\r\nvalue\r\n:1\r\n");
  assert.equal(await queued, "value");
  assert.deepEqual(errors, []);
  const closing = redis.close();
  conn.close();
  await closing;
});

Deno.test("Redis.close() while the server is loading stops the wait at once", async () => {
  await using fake = await startFakeServer();
  const { redis, next } = await droppedByFake(fake);
  const queued = outcome(redis.get("key"));
  const conn = await next;
  using timers = new TimerTracker();
  await answerHandshake(conn, {
    reply: (command) => command[0] === "PING" ? LOADING : undefined,
  });
  // The poll's pause (the connect timer is off during it).
  await until(() => timers.live >= 1, "the client to wait for the loading");
  const started = performance.now();
  await redis.close();
  assert.ok(performance.now() - started < 50, "close() waited for the poll");
  const result = await queued;
  assert.ok("error" in result && result.error instanceof ConnectionError);
  assert.equal(result.error.mayHaveExecuted, false);
  assert.equal(timers.live, 0);
  conn.close();
});

Deno.test("Redis.close() from a connect or reconnecting listener ends the reconnection at once", async (t) => {
  for (const type of ["connect", "reconnecting"] as const) {
    await t.step(type, async () => {
      await using server = await startRedisServer();
      const redis = await connect({
        port: server.port,
        name: `closer-${type}`,
        connectTimeout: 2_000,
        reconnect: { minDelay: 1_000, maxDelay: 1_000 },
      });
      let closing: Promise<void> | undefined;
      let queued: Promise<{ value: unknown } | { error: unknown }> | undefined;
      redis.addEventListener("disconnect", () => {
        queued = outcome(redis.get("k"));
      });
      redis.addEventListener(type, () => closing ??= redis.close());
      {
        await using admin = await connect({
          port: server.port,
          reconnect: false,
        });
        await admin.send(
          "CLIENT",
          "KILL",
          "ID",
          await clientId(admin, `closer-${type}`),
        );
      }
      await until(() => closing !== undefined, `a ${type} event`);
      const started = performance.now();
      await closing;
      assert.ok(performance.now() - started < 200, "close() waited");
      assert.equal(redis.closed, true);
      const result = await queued!;
      assert.ok("error" in result && result.error instanceof ConnectionError);
      assert.equal(result.error.mayHaveExecuted, false);
    });
  }
});

Deno.test("Redis reports fire-and-forget commands lost with a socket in one error event, with their count", async () => {
  await using server = await startRedisServer();
  await using admin = await connect({ port: server.port, reconnect: false });
  await using redis = await connect({ port: server.port, name: "ff-victim" });
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  assert.equal(await admin.send("CLIENT", "PAUSE", "5000", "WRITE"), "OK");
  for (let i = 0; i < 1_000; i++) redis.fireAndForget.incr("n");
  const awaited = outcome(redis.incr("m"));
  await until(
    async () => /cmd=incr/.test(await admin.send("CLIENT", "LIST") as string),
    "the INCRs to be held by the pause",
  );
  const ready = nextEvent(redis, "ready");
  await admin.send("CLIENT", "KILL", "ID", await clientId(admin, "ff-victim"));
  await ready;
  assert.equal(await admin.send("CLIENT", "UNPAUSE"), "OK");
  assert.ok("error" in await awaited);
  assert.equal(errors.length, 1, Deno.inspect(errors));
  const [event] = errors;
  assert.equal(event!.command, undefined);
  assert.ok(event!.error instanceof ConnectionError);
  assert.equal(event!.error.mayHaveExecuted, true);
  assert.match(
    event!.error.message,
    /^Lost 1000 fire-and-forget commands in flight \(they may have run\)/,
  );
});

Deno.test("Redis queues a command issued from an error listener while a socket is torn down, and gives it its own reply", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  await using redis = await connect({
    port: proxy.port,
    reconnect: { minDelay: 10, maxDelay: 20 },
  });
  await redis.set("k", "v");
  let fromListener: Promise<unknown> | undefined;
  redis.addEventListener("error", () => fromListener ??= redis.get("k"));
  // A fire-and-forget command lost with the socket: its loss is reported
  // as the socket is torn down.
  proxy.stall();
  redis.fireAndForget.set("ff", "1");
  await until(() => proxy.bytesUp > 0, "the SET to reach the proxy");
  proxy.reset();
  proxy.resume();
  await until(() => fromListener !== undefined, "the loss to be reported");
  assert.equal(await fromListener, "v");
  assert.equal(await redis.get("k"), "v");
});

Deno.test("connect() waits out LOADING even with a connectTimeout shorter than the poll interval", async () => {
  await using fake = await startFakeServer();
  const accepted = fake.accept();
  const connecting = connect({ port: fake.port, connectTimeout: 80 });
  const conn = await accepted;
  await answerHandshake(conn, {
    reply: (command) => command[0] === "PING" ? LOADING : undefined,
  });
  assert.deepEqual(await conn.readCommand(), ["PING"]);
  // Answered 60 ms after the poll's PING: within connectTimeout of it.
  await new Promise((resolve) => setTimeout(resolve, 60));
  await conn.write("+PONG\r\n");
  const redis = await connecting;
  const closing = redis.close();
  conn.close();
  await closing;
});

Deno.test("Redis keeps each waiting command's own argument, though one-argument commands reuse an argument array", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  await using redis = await connect({
    port: proxy.port,
    reconnect: { minDelay: 5, maxDelay: 20 },
  });
  const disconnected = nextEvent(redis, "disconnect");
  proxy.down();
  await disconnected;
  // Issued while down: each waits, and must keep its own key.
  const counts = Array.from({ length: 50 }, (_, i) => redis.incr(`k${i}`));
  for (let i = 0; i < 50; i++) redis.fireAndForget.incr(`f${i}`);
  const values = Array.from({ length: 50 }, (_, i) => redis.get(`k${i}`));
  proxy.up();
  assert.deepEqual(await Promise.all(counts), Array(50).fill(1));
  assert.deepEqual(await Promise.all(values), Array(50).fill("1"));
  for (let i = 0; i < 50; i++) assert.equal(await redis.get(`f${i}`), "1");
});
