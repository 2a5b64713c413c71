// The connection dies with 1,000 commands in flight across 16 databases: the
// server is SIGKILLed, or an admin CLIENT KILLs our connection. An admin
// CLIENT PAUSE ... WRITE holds everything from the first write on, so which
// commands were answered is known. Every unanswered
// command must reject with ConnectionError, nothing may hang, the failure is
// an "error" event, and later commands are refused.

import assert from "node:assert/strict";
import {
  connect,
  ConnectionError,
  type Redis,
  type RedisCloseEvent,
  type RedisErrorEvent,
} from "../../mod.ts";
import { RawConnection } from "../_support/raw_connection.ts";
import { startRedisServer } from "../_support/redis_server.ts";

/** Bounds how long settlement may take; only a hang ever reaches it. */
const WATCHDOG_MS = 10_000;

type Outcome = { value: unknown } | { error: unknown };

/**
 * Issues 1,000 commands over db(0..15): first a GET in database 0 (a read
 * the pause lets through), then SET/INCR/GET/EXISTS/LPUSH round-robin.
 */
function thousandMixed(redis: Redis): Promise<Outcome>[] {
  const pending: Promise<unknown>[] = [redis.get("first")];
  for (let i = 1; i < 1_000; i++) {
    const view = redis.db(i % 16);
    switch (i % 5) {
      case 0:
        pending.push(view.get(`key:${i}`));
        break;
      case 1:
        pending.push(view.set(`key:${i}`, i));
        break;
      case 2:
        pending.push(view.incr(`counter:${i % 16}`));
        break;
      case 3:
        pending.push(view.exists(`key:${i}`));
        break;
      default:
        pending.push(view.lpush(`list:${i % 16}`, i));
    }
  }
  return pending.map((reply) =>
    reply.then((value) => ({ value }), (error: unknown) => ({ error }))
  );
}

/** Resolves with every outcome, or fails naming how many never settled. */
async function allSettleWithin(
  pending: Promise<Outcome>[],
): Promise<Outcome[]> {
  let settled = 0;
  for (const reply of pending) void reply.then(() => settled++);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watchdog = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `${
              pending.length - settled
            } of ${pending.length} commands never settled`,
          ),
        ),
      WATCHDOG_MS,
    );
  });
  try {
    return await Promise.race([Promise.all(pending), watchdog]);
  } finally {
    clearTimeout(timer);
  }
}

/** The first answered (GET of a missing key), every other a ConnectionError. */
function assertOnlyFirstAnswered(outcomes: Outcome[]): void {
  assert.deepEqual(outcomes[0], { value: null });
  const rejected = outcomes.slice(1).filter((outcome) =>
    "error" in outcome && outcome.error instanceof ConnectionError
  );
  assert.equal(
    rejected.length,
    999,
    Deno.inspect(outcomes.find((o, i) => i > 0 && !rejected.includes(o))),
  );
}

/** Listens for the connection's failure: its error event and its close event. */
function failureEvents(redis: Redis) {
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  const closed = new Promise<RedisCloseEvent>((resolve) =>
    redis.addEventListener("close", resolve, { once: true })
  );
  return { errors, closed };
}

async function pause(admin: RawConnection): Promise<void> {
  assert.equal(
    await admin.command(["CLIENT", "PAUSE", "5000", "WRITE"]),
    "+OK\r\n",
  );
}

Deno.test("Redis rejects 1,000 commands in flight with ConnectionError when the server is SIGKILLed", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port, reconnect: false });
  const { errors, closed } = failureEvents(redis);
  {
    using admin = await RawConnection.connect({ port: server.port });
    await pause(admin);
  }
  const pending = thousandMixed(redis);
  // The first GET is answered before the first held write: once it is, the
  // whole batch has been written and the rest is held by the pause.
  assert.deepEqual(await pending[0], { value: null });
  server.kill("SIGKILL");
  const outcomes = await allSettleWithin(pending);
  assertOnlyFirstAnswered(outcomes);
  const close = await closed;
  assert.ok(close.error instanceof ConnectionError);
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.command, undefined);
  assert.ok(errors[0]!.error instanceof ConnectionError);
  assert.equal(redis.closed, true);
  await assert.rejects(redis.get("later"), ConnectionError);
  await assert.rejects(redis.db(7).set("later", 1), (error: unknown) => {
    assert.ok(error instanceof ConnectionError);
    assert.ok(
      error.cause instanceof ConnectionError,
      "the failure is the cause",
    );
    return true;
  });
});

Deno.test("Redis rejects 1,000 commands in flight with ConnectionError when an admin CLIENT KILLs it", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({
    port: server.port,
    name: "victim",
    reconnect: false,
  });
  const { errors, closed } = failureEvents(redis);
  using admin = await RawConnection.connect({ port: server.port });
  const list = await admin.command(["CLIENT", "LIST"]) ?? "";
  const id = list.match(/id=(\d+) [^\n]* name=victim /)?.[1];
  assert.ok(id, list);
  await pause(admin);
  const pending = thousandMixed(redis);
  assert.deepEqual(await pending[0], { value: null });
  assert.equal(await admin.command(["CLIENT", "KILL", "ID", id]), ":1\r\n");
  const outcomes = await allSettleWithin(pending);
  assertOnlyFirstAnswered(outcomes);
  assert.ok((await closed).error instanceof ConnectionError);
  assert.equal(errors.length, 1);
  assert.ok(errors[0]!.error instanceof ConnectionError);
  await assert.rejects(redis.ping(), ConnectionError);
  // The held writes died with the connection: none of them ran.
  assert.equal(await admin.command(["CLIENT", "UNPAUSE"]), "+OK\r\n");
  const keyspace = await admin.command(["INFO", "keyspace"]) ?? "";
  assert.doesNotMatch(keyspace, /^db\d+:/m, keyspace);
});
