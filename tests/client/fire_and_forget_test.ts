// Fire-and-forget: no promise, the command keeps its place in the order, its
// reply is read and dropped, and every failure is an "error" event.

import assert from "node:assert/strict";
import {
  connect,
  ConnectionError,
  type RedisErrorEvent,
  ReplyError,
} from "../../mod.ts";
import { countUnhandled } from "../_support/events.ts";
import { startRedisServer } from "../_support/redis_server.ts";

Deno.test("fireAndForget returns nothing and keeps the command's place in the order", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  const ff = redis.fireAndForget;
  const awaited: Promise<string | null>[] = [];
  for (let i = 1; i <= 1_000; i++) {
    assert.equal(ff.incr("counter"), undefined);
    if (i % 100 === 0) awaited.push(redis.get("counter"));
  }
  assert.deepEqual(
    await Promise.all(awaited),
    Array.from({ length: 10 }, (_, k) => String((k + 1) * 100)),
  );
});

Deno.test("fireAndForget applies 100,000 INCRs before a later awaited GET", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  for (let i = 0; i < 100_000; i++) redis.fireAndForget.incr("hits");
  assert.equal(await redis.get("hits"), "100000");
});

Deno.test("fireAndForget dispatches an error event and never rejects", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  await redis.set("text", "not a number");
  const events: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => events.push(event));
  const unhandled = await countUnhandled(async () => {
    redis.fireAndForget.incr("text");
    redis.fireAndForget.incr("fine");
    redis.db(2).fireAndForget.send("NOSUCHCOMMAND", "x");
    assert.equal(await redis.get("fine"), "1");
  });
  assert.equal(unhandled, 0);
  assert.equal(events.length, 2);
  assert.equal(events[0]!.command, "INCR");
  assert.ok(events[0]!.error instanceof ReplyError);
  assert.equal((events[0]!.error as ReplyError).code, "ERR");
  assert.equal(events[1]!.command, "NOSUCHCOMMAND");
  assert.ok(events[1]!.error instanceof ReplyError);
});

Deno.test("fireAndForget reports a bad argument and a closed client as error events", async () => {
  await using server = await startRedisServer();
  const redis = await connect({ port: server.port });
  const events: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => events.push(event));
  // @ts-expect-error: an object is not a valid argument
  redis.fireAndForget.set("k", { not: "encodable" });
  redis.fireAndForget.send("SUBSCRIBE", "channel");
  assert.equal(events.length, 2);
  assert.ok(events[0]!.error instanceof TypeError);
  assert.equal(events[0]!.command, "SET");
  assert.ok(events[1]!.error instanceof TypeError);
  assert.equal(events[1]!.command, "SUBSCRIBE");
  await redis.close();
  redis.fireAndForget.set("k", "v");
  assert.equal(events.length, 3);
  assert.ok(events[2]!.error instanceof ConnectionError);
  assert.equal(events[2]!.command, "SET");
});

Deno.test("Redis.close() drains 10,000 fire-and-forget SETs before closing", async () => {
  await using server = await startRedisServer();
  const redis = await connect({ port: server.port });
  for (let i = 0; i < 10_000; i++) redis.db(1).fireAndForget.set(`k${i}`, i);
  await redis.close();
  await using check = await connect({ port: server.port, db: 1 });
  assert.equal(await check.dbsize(), 10_000);
});

Deno.test("fireAndForget views compose with db() and binary in any order", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  assert.equal(redis.db(3).fireAndForget, redis.fireAndForget.db(3));
  assert.equal(
    redis.db(3).binary.fireAndForget,
    redis.fireAndForget.binary.db(3),
  );
  redis.fireAndForget.db(3).set("where", "three");
  assert.equal(await redis.db(3).get("where"), "three");
  assert.equal(await redis.get("where"), null);
});
