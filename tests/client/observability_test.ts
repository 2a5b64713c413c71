// Per-command hooks on real servers: what commandStart/commandEnd (and the
// batch hooks) deliver on success, on a ReplyError, on a timeout, on a lost
// connection, for fire-and-forget, pipelines, transactions, blocking commands
// and cluster nodes; that nothing secret is delivered by default; logEvents().

import assert from "node:assert/strict";
import {
  type BatchEvent,
  type CommandEvent,
  type CommandHooks,
  connect,
  connectCluster,
  ConnectionError,
  logEvents,
  type RedisErrorEvent,
  ReplyError,
  TimeoutError,
} from "../../mod.ts";
import { keySlot } from "../../lib/cluster/slot.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { startRedisCluster } from "../_support/cluster.ts";
import { MASTER_NAME, startSentinelSet } from "../_support/sentinel.ts";

/** Resolves once the client has reconnected (a command sent before might go on the dying socket). */
function readyAgain(redis: EventTarget): Promise<unknown> {
  return new Promise((ready) =>
    redis.addEventListener("ready", ready, { once: true })
  );
}

/** Hooks that record what they are given. */
function recorder(extra: Partial<CommandHooks> = {}) {
  const started: CommandEvent[] = [];
  const ended: CommandEvent[] = [];
  const batches: BatchEvent[] = [];
  const batchesStarted: BatchEvent[] = [];
  let n = 0;
  const hooks: CommandHooks = {
    commandStart(command) {
      started.push(command);
      return `span ${++n}`;
    },
    commandEnd(command) {
      ended.push(command);
    },
    batchStart(batch) {
      batchesStarted.push(batch);
      return "batch span";
    },
    batchEnd(batch) {
      batches.push(batch);
    },
    ...extra,
  };
  const named = (name: string) => ended.filter((e) => e.name === name);
  return { hooks, started, ended, batches, batchesStarted, named };
}

Deno.test("hooks: a command that succeeds", async () => {
  await using server = await startRedisServer();
  const r = recorder();
  await using redis = await connect({ port: server.port, hooks: r.hooks });
  const before = performance.now();
  assert.equal(await redis.db(1).set("k", "välue"), "OK");
  const after = performance.now();
  const [set] = r.named("SET");
  assert.ok(set !== undefined);
  assert.equal(r.started.filter((e) => e.name === "SET").length, 1);
  assert.equal(set.name, "SET");
  assert.equal(set.db, 1);
  assert.equal(set.argCount, 2);
  assert.equal(set.argBytes, 1 + 6); // "k", "välue" (ä is 2 bytes)
  assert.equal(set.args, undefined);
  assert.equal(set.address, `127.0.0.1:${server.port}`);
  assert.equal(set.serverAddress, "127.0.0.1");
  assert.equal(set.serverPort, server.port);
  assert.equal(set.role, "shared");
  assert.equal(set.fireAndForget, false);
  assert.equal(set.batch, undefined);
  assert.equal(set.ok, true);
  assert.equal(set.errorType, undefined);
  assert.equal(set.error, undefined);
  assert.match(String(set.context), /^span \d+$/);
  assert.ok(before <= set.startTime && set.startTime <= set.endTime);
  assert.ok(set.endTime <= after);
  // The handshake (HELLO, CLIENT SETINFO...) and SELECT are not reported.
  assert.deepEqual(r.ended.map((e) => e.name), ["SET"]);
});

Deno.test("hooks: an error reply", async () => {
  await using server = await startRedisServer();
  const r = recorder();
  await using redis = await connect({ port: server.port, hooks: r.hooks });
  await redis.set("text", "not a number");
  await assert.rejects(redis.incr("text"), ReplyError);
  await assert.rejects(redis.lpush("text", "x"), ReplyError);
  const [incr] = r.named("INCR");
  const [lpush] = r.named("LPUSH");
  assert.equal(incr!.ok, false);
  assert.equal(incr!.errorType, "ERR");
  assert.ok(incr!.error instanceof ReplyError);
  assert.equal(lpush!.errorType, "WRONGTYPE");
  assert.ok(incr!.endTime >= incr!.startTime);
});

Deno.test("hooks: a timeout (with()), reported once though the reply comes later", async () => {
  await using server = await startRedisServer();
  const r = recorder();
  await using redis = await connect({ port: server.port, hooks: r.hooks });
  await using admin = await connect({ port: server.port });
  // The server answers nothing for 300 ms.
  await admin.send("CLIENT", "PAUSE", "300", "ALL");
  await assert.rejects(redis.with({ timeout: 50 }).get("k"), TimeoutError);
  const [get] = r.named("GET");
  assert.equal(get!.ok, false);
  assert.equal(get!.errorType, "TimeoutError");
  assert.ok(get!.endTime - get!.startTime >= 45);
  // The late reply is read and dropped: no second end.
  assert.equal(await redis.ping(), "PONG");
  assert.equal(r.named("GET").length, 1);
});

Deno.test("hooks: a lost connection (CLIENT KILL) fails the commands in flight, on the blocking pool too", async () => {
  await using server = await startRedisServer();
  const r = recorder();
  await using redis = await connect({ port: server.port, hooks: r.hooks });
  await using admin = await connect({ port: server.port });
  redis.addEventListener("error", () => {});
  const popped = redis.blpop(["queue"], 0);
  // Handled from now: it may reject before the KILL's own reply is read.
  const lost = assert.rejects(popped, ConnectionError);
  // The blocking connection is open and its BLPOP written.
  for (let i = 0; i < 100; i++) {
    const clients = await admin.send("CLIENT", "LIST");
    if (String(clients).includes("cmd=blpop")) break;
    await new Promise((wake) => setTimeout(wake, 10));
  }
  const ready = readyAgain(redis);
  await admin.send("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
  await lost;
  await ready;
  const [blpop] = r.named("BLPOP");
  assert.equal(blpop!.role, "blocking");
  assert.equal(blpop!.ok, false);
  assert.equal(blpop!.errorType, "ConnectionError");
  assert.equal(blpop!.address, `127.0.0.1:${server.port}`);
  // The shared connection reconnects; its commands are reported as before.
  assert.equal(await redis.ping(), "PONG");
  assert.equal(r.named("PING").at(-1)!.ok, true);
});

Deno.test("hooks: fire-and-forget commands", async () => {
  await using server = await startRedisServer();
  const r = recorder();
  await using redis = await connect({ port: server.port, hooks: r.hooks });
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  await redis.set("text", "x");
  redis.fireAndForget.incr("text");
  redis.fireAndForget.incr("counter");
  assert.equal(await redis.get("counter"), "1");
  const incrs = r.named("INCR");
  assert.equal(incrs.length, 2);
  assert.ok(incrs.every((e) => e.fireAndForget));
  assert.equal(incrs[0]!.errorType, "ERR");
  assert.equal(incrs[1]!.ok, true);
  // The failure is still an error event, once.
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.command, "INCR");
});

Deno.test("hooks: a pipeline and a transaction, per command and as a batch", async () => {
  await using server = await startRedisServer();
  const r = recorder();
  await using redis = await connect({ port: server.port, hooks: r.hooks });
  await redis.pipeline().set("a", "1").get("a").incr("a").exec();
  assert.equal(r.batches.length, 1);
  const pipeline = r.batches[0]!;
  assert.equal(pipeline.size, 3);
  assert.equal(pipeline.errors, 0);
  assert.equal(pipeline.context, "batch span");
  assert.equal(pipeline.address, `127.0.0.1:${server.port}`);
  assert.ok(pipeline.endTime >= pipeline.startTime);
  const inPipeline = r.ended.filter((e) => e.batch === pipeline);
  assert.deepEqual(inPipeline.map((e) => e.name), ["SET", "GET", "INCR"]);

  await redis.set("text", "x");
  // INCR fails inside EXEC (its result is the error).
  await redis.multi().set("b", "2").incr("text").exec().catch(() => {});
  assert.equal(r.batches.length, 2);
  const transaction = r.batches[1]!;
  const inTransaction = r.ended.filter((e) => e.batch === transaction);
  assert.deepEqual(inTransaction.map((e) => e.name), [
    "MULTI",
    "SET",
    "INCR",
    "EXEC",
  ]);
  assert.equal(transaction.size, 4);
  // INCR is QUEUED: the error is in EXEC's reply.
  assert.ok(inTransaction.every((e) => e.ok));
  assert.equal(transaction.errors, 0);

  // A batch's failures are counted.
  await redis.pipeline().incr("text").get("a").exec();
  assert.equal(r.batches[2]!.errors, 1);
});

Deno.test("hooks: nothing secret by default; includeArgs delivers the arguments", async () => {
  await using server = await startRedisServer({ password: "hunter2-password" });
  const r = recorder();
  await using redis = await connect({
    port: server.port,
    password: "hunter2-password",
    hooks: r.hooks,
  });
  await redis.set("user:secret-key", "secret-value");
  await redis.get("user:secret-key");
  const seen = JSON.stringify(
    r.ended.map(({ batch: _, error: __, ...rest }) => rest),
  );
  assert.doesNotMatch(seen, /secret|hunter2/);
  assert.deepEqual(r.ended.map((e) => e.name), ["SET", "GET"]);

  const withArgs = recorder({ includeArgs: true });
  await using open = await connect({
    port: server.port,
    password: "hunter2-password",
    hooks: withArgs.hooks,
  });
  await open.set("user:secret-key", "secret-value");
  assert.deepEqual(withArgs.named("SET")[0]!.args, [
    "user:secret-key",
    "secret-value",
  ]);
  assert.equal(withArgs.named("SET")[0]!.keys, undefined);

  const withKeys = recorder({ includeKeys: true });
  await using keyed = await connect({
    port: server.port,
    password: "hunter2-password",
    hooks: withKeys.hooks,
  });
  await keyed.mset({ "user:1": "secret-a", "user:2": "secret-b" });
  await keyed.ping();
  const [mset] = withKeys.named("MSET");
  assert.deepEqual(mset!.keys, ["user:1", "user:2"]);
  assert.equal(mset!.args, undefined);
  assert.deepEqual(withKeys.named("PING")[0]!.keys, []);
});

Deno.test("hooks: one that throws does not break the command", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({
    port: server.port,
    hooks: {
      commandStart() {
        throw new Error("start");
      },
      commandEnd() {
        throw new Error("end");
      },
    },
  });
  assert.equal(await redis.set("k", "v"), "OK");
  assert.equal(await redis.get("k"), "v");
});

Deno.test("hooks: invalid hooks are refused", async () => {
  await assert.rejects(
    // @ts-expect-error: not a function
    connect({ port: 1, hooks: { commandEnd: 3 } }),
    TypeError,
  );
  await assert.rejects(
    // @ts-expect-error: not an object
    connect({ port: 1, hooks: "yes" }),
    TypeError,
  );
});

Deno.test("hooks: on a cluster each command names the node that served it", async () => {
  await using c = await startRedisCluster({ masters: 3 });
  const r = recorder();
  await using cluster = await connectCluster({
    nodes: c.masters.map((m) => m.url),
    hooks: r.hooks,
    maxBulkLength: 1_000,
  });
  const keys = ["a", "b", "c", "d", "e", "f"];
  for (const key of keys) await cluster.set(key, "1");
  const sets = r.named("SET");
  assert.equal(sets.length, keys.length);
  for (let i = 0; i < keys.length; i++) {
    const owner = c.ownerOf(keySlot(keys[i]!));
    assert.equal(sets[i]!.address, `127.0.0.1:${owner.port}`);
    assert.equal(sets[i]!.serverPort, owner.port);
    assert.equal(sets[i]!.db, 0);
    assert.equal(sets[i]!.ok, true);
  }
  assert.ok(new Set(sets.map((e) => e.address)).size > 1);

  // Refused before it is written (too long an argument): one end, and the
  // caller rejected once.
  await assert.rejects(cluster.set("a", "x".repeat(2_000)), RangeError);
  const refused = r.named("SET").slice(keys.length);
  assert.equal(refused.length, 1);
  assert.equal(refused[0]!.ok, false);
  assert.equal(refused[0]!.errorType, "RangeError");
  assert.equal(await cluster.get("a"), "1");

  // logEvents works on a cluster client too.
  const lines: string[] = [];
  const log = (...data: unknown[]) => lines.push(data.join(" "));
  const stop = logEvents(cluster, { info: log, warn: log, error: log }, "c");
  await cluster.close();
  stop();
  assert.deepEqual(lines, ["c: close"]);
});

Deno.test("hooks, stats and logEvents through Sentinel name the master", async () => {
  await using set = await startSentinelSet({ sentinels: 1 });
  const r = recorder();
  const redis = await connect({
    sentinels: set.urls,
    masterName: MASTER_NAME,
    hooks: r.hooks,
  });
  const lines: string[] = [];
  const log = (...data: unknown[]) => lines.push(data.join(" "));
  const stop = logEvents(redis, { info: log, warn: log, error: log });
  try {
    await redis.set("k", "v");
    const [setEvent] = r.named("SET");
    assert.equal(setEvent!.address, `127.0.0.1:${set.master.port}`);
    assert.equal(setEvent!.serverPort, set.master.port);
    const shared = redis.stats().connections.find((c) => c.role === "shared");
    assert.equal(shared!.address, `127.0.0.1:${set.master.port}`);
  } finally {
    await redis.close();
    stop();
  }
  assert.deepEqual(lines, ["redis: close"]);
});

Deno.test("logEvents logs the lifecycle in one line", async () => {
  await using server = await startRedisServer();
  const lines: string[] = [];
  const log = (...data: unknown[]) => lines.push(data.join(" "));
  const redis = await connect({ port: server.port });
  const stop = logEvents(redis, { info: log, warn: log, error: log }, "cache");
  await using admin = await connect({ port: server.port });
  const ready = readyAgain(redis);
  await admin.send("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
  await ready;
  assert.equal(await redis.ping(), "PONG");
  await redis.close();
  stop();
  const text = lines.join("\n");
  assert.match(text, /^cache: disconnect: /m);
  assert.match(text, /^cache: reconnecting \(attempt 1 in \d+ ms\)$/m);
  assert.match(text, /^cache: connect$/m);
  assert.match(text, /^cache: ready$/m);
  assert.match(text, /^cache: close$/m);
});
