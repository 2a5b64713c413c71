// Blocking commands (BLPOP, BLMOVE, BZMPOP, XREAD with BLOCK, WAIT...) run on
// dedicated connections of the router's pool, never on the shared one: typed
// methods and send(), in every view, cancelled with CLIENT UNBLOCK, never
// re-sent after a disconnect, waiting in order when the pool is exhausted.

import assert from "node:assert/strict";
import {
  connect,
  ConnectionError,
  type Redis,
  type RedisErrorEvent,
  ReplyError,
  TimeoutError,
} from "../../mod.ts";
import {
  command,
  isBlocking,
  resolve,
  ROUTE_BLOCKING,
} from "../../lib/commands/_command.ts";
import { assertWrongType, eachProtocol } from "../_support/protocols.ts";
import { until } from "../_support/events.ts";
import { startRedisServer } from "../_support/redis_server.ts";

const utf8 = new TextEncoder();

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** How many clients the server has blocked now. */
async function blocked(redis: Redis): Promise<number> {
  const info = await redis.info("clients");
  return Number(info.clients!.blocked_clients);
}

/** Waits until the server has `count` blocked clients. */
function untilBlocked(redis: Redis, count: number): Promise<void> {
  return until(
    async () => await blocked(redis) === count,
    `${count} blocked clients`,
  );
}

/** The server's connections named `name`. */
async function named(redis: Redis, name: string): Promise<number> {
  return (await redis.clientList()).filter((c) => c.name === name).length;
}

/** Settles `promise` into a value or an error, for assertions. */
function settle<T>(
  promise: Promise<T>,
): Promise<{ value: T } | { error: unknown }> {
  return promise.then((value) => ({ value }), (error) => ({ error }));
}

// ---------------------------------------------------------------------------
// Routing bits

Deno.test("command().route marks the commands that may block, and isBlocking() refines it", () => {
  for (
    const name of [
      "BLPOP",
      "BRPOP",
      "BLMOVE",
      "BLMPOP",
      "BRPOPLPUSH",
      "BZPOPMIN",
      "BZPOPMAX",
      "BZMPOP",
      "XREAD",
      "XREADGROUP",
      "WAIT",
    ]
  ) {
    assert.equal(command(name).route & ROUTE_BLOCKING, ROUTE_BLOCKING, name);
  }
  for (const name of ["GET", "LPOP", "LMOVE", "XADD", "CLIENT UNBLOCK"]) {
    assert.equal(command(name).route, 0, name);
  }
  // WAITAOF (Redis 7.2) is not in the 7.0 table: an ad-hoc command, routed.
  const waitaof = resolve(["waitaof", 1, 0, 0]);
  assert.equal(waitaof.known, false);
  assert.equal(waitaof.route, ROUTE_BLOCKING);
  assert.equal(resolve(["NOSUCH"]).route, 0);
  // XREAD carries the bit but blocks only with BLOCK.
  assert.equal(isBlocking(command("XREAD"), ["STREAMS", "s", "0"]), false);
  assert.equal(
    isBlocking(command("XREAD"), ["BLOCK", 0, "STREAMS", "s", "0"]),
    true,
  );
});

// ---------------------------------------------------------------------------
// Typed methods

Deno.test("blocking methods return the same values under RESP2 and RESP3", async (t) => {
  await using server = await startRedisServer();
  const { port } = server;

  await t.step("blpop() and brpop(): [key, element], or null", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.rpush("jobs", "a", "b", "c");
      assert.deepStrictEqual(await redis.blpop(["none", "jobs"], 1), [
        "jobs",
        "a",
      ]);
      assert.deepStrictEqual(await redis.brpop(["jobs"], 1), ["jobs", "c"]);
      assert.equal(await redis.blpop(["none"], 0.05), null);
      assert.equal(await redis.brpop(["none"], 0.05), null);
      // A push wakes a waiting pop.
      const waiting = redis.blpop(["later"], 0);
      await untilBlocked(redis, 1);
      await redis.rpush("later", "x");
      assert.deepStrictEqual(await waiting, ["later", "x"]);
      await redis.set("s", "v");
      await assertWrongType(redis.blpop(["s"], 1), "BLPOP");
    });
  });

  await t.step(
    "blmove() and brpoplpush(): the element moved, or null",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.rpush("todo", "a", "b");
        assert.equal(
          await redis.blmove("todo", "doing", "LEFT", "RIGHT", 1),
          "a",
        );
        assert.equal(await redis.brpoplpush("todo", "doing", 1), "b");
        assert.deepStrictEqual(await redis.lrange("doing", 0, -1), ["b", "a"]);
        assert.equal(
          await redis.blmove("todo", "doing", "LEFT", "RIGHT", 0.05),
          null,
        );
        assert.equal(await redis.brpoplpush("todo", "doing", 0.05), null);
        const waiting = redis.blmove("todo", "doing", "RIGHT", "LEFT", 0);
        await untilBlocked(redis, 1);
        await redis.lpush("todo", "c");
        assert.equal(await waiting, "c");
        assert.deepStrictEqual(await redis.lrange("doing", 0, 0), ["c"]);
      });
    },
  );

  await t.step("blmpop(): { key, elements }, or null", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.rpush("jobs", "a", "b", "c");
      assert.deepStrictEqual(
        await redis.blmpop(1, ["none", "jobs"], "LEFT", { count: 2 }),
        { key: "jobs", elements: ["a", "b"] },
      );
      assert.deepStrictEqual(await redis.blmpop(1, ["jobs"], "RIGHT"), {
        key: "jobs",
        elements: ["c"],
      });
      assert.equal(await redis.blmpop(0.05, ["jobs"], "LEFT"), null);
    });
  });

  await t.step(
    "bzpopmin() and bzpopmax(): { key, member, score }, or null",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.zadd("z", { a: 1.5, b: 2, c: Infinity });
        assert.deepStrictEqual(await redis.bzpopmin(["none", "z"], 1), {
          key: "z",
          member: "a",
          score: 1.5,
        });
        assert.deepStrictEqual(await redis.bzpopmax(["z"], 1), {
          key: "z",
          member: "c",
          score: Infinity,
        });
        assert.equal(await redis.bzpopmin(["none"], 0.05), null);
        assert.equal(await redis.bzpopmax(["none"], 0.05), null);
      });
    },
  );

  await t.step("bzmpop(): { key, members }, or null", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.zadd("z", { a: 1, b: 2, c: 3 });
      assert.deepStrictEqual(
        await redis.bzmpop(1, ["none", "z"], "MAX", { count: 2 }),
        {
          key: "z",
          members: [{ member: "c", score: 3 }, { member: "b", score: 2 }],
        },
      );
      assert.deepStrictEqual(await redis.bzmpop(1, ["z"], "MIN"), {
        key: "z",
        members: [{ member: "a", score: 1 }],
      });
      assert.equal(await redis.bzmpop(0.05, ["z"], "MIN"), null);
    });
  });

  await t.step(
    "xread() and xreadgroup() with block wait for entries",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(await redis.xread({ s: "$" }, { block: 50 }), null);
        const read = redis.xread({ s: "$" }, { block: 0, count: 10 });
        await untilBlocked(redis, 1);
        const id = await redis.xadd("s", { n: "1" });
        assert.deepStrictEqual(
          JSON.stringify(await read),
          JSON.stringify([{ key: "s", entries: [{ id, fields: { n: "1" } }] }]),
        );
        await redis.xgroupCreate("jobs", "g", "$", { mkstream: true });
        const group = redis.xreadgroup("g", "c1", { jobs: ">" }, {
          block: 0,
          count: 1,
        });
        await untilBlocked(redis, 1);
        const job = await redis.xadd("jobs", { task: "t" });
        const delivered = await group;
        assert.equal(delivered?.[0]?.key, "jobs");
        assert.equal(delivered?.[0]?.entries[0]?.id, job);
        assert.equal((await redis.xpending("jobs", "g")).count, 1);
        assert.equal(
          await redis.xreadgroup("g", "c1", { jobs: ">" }, { block: 50 }),
          null,
        );
      });
    },
  );

  await t.step(
    "wait(): the number of replicas, as the view's integer",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.set("k", "v");
        assert.equal(await redis.wait(0, 0), 0);
        const start = performance.now();
        assert.equal(await redis.wait(1, 100), 0);
        assert.ok(performance.now() - start >= 90);
        assert.equal(await redis.bigint.wait(0, 0), 0n);
      });
    },
  );

  await t.step("binary views return keys and elements as bytes", async () => {
    await eachProtocol(port, async (redis) => {
      const key = new Uint8Array([0xff, 0x00, 0x3a]);
      await redis.rpush(key, new Uint8Array([1, 2, 255]));
      assert.deepStrictEqual(await redis.binary.blpop([key], 1), [
        key,
        new Uint8Array([1, 2, 255]),
      ]);
      await redis.zadd("z", { m: 2 });
      assert.deepStrictEqual(await redis.binary.bzpopmax(["z"], 1), {
        key: utf8.encode("z"),
        member: utf8.encode("m"),
        score: 2,
      });
    });
  });

  await t.step(
    "in multi() they do not block; pipeline() refuses them",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.deepStrictEqual(
          await redis.multi().rpush("m", "a").blpop(["m"], 0).blpop(["m"], 0)
            .exec(),
          [1, ["m", "a"], null],
        );
        await assert.rejects(
          redis.pipeline().get("k").blmove("a", "b", "LEFT", "LEFT", 0).exec(),
          (error: unknown) => {
            assert.ok(error instanceof TypeError);
            assert.match(
              error.message,
              /^Cannot queue BLMOVE in a pipeline\(\)/,
            );
            return true;
          },
        );
        // XREAD without BLOCK is not blocking, and may be pipelined.
        assert.deepStrictEqual(
          await redis.pipeline().xread({ s: "0" }).exec(),
          [null],
        );
        assert.equal(await blocked(redis), 0);
      });
    },
  );
});

// ---------------------------------------------------------------------------
// Routing: never the shared connection

Deno.test("the shared connection is never blocked: a GET answers while 50 BLPOPs wait, and each gets its element", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({
    port: server.port,
    maxBlockingConnections: 50,
  });
  await redis.set("k", "v");
  let done = 0;
  const pops = Array.from(
    { length: 50 },
    () => redis.blpop(["jobs"], 0).finally(() => done++),
  );
  await untilBlocked(redis, 50);
  const start = performance.now();
  assert.equal(await redis.get("k"), "v");
  const elapsed = performance.now() - start;
  assert.equal(done, 0);
  assert.ok(elapsed < 1_000, `GET took ${elapsed} ms`);
  const values = Array.from({ length: 50 }, (_, i) => `job-${i}`);
  await redis.rpush("jobs", ...values);
  const popped = await Promise.all(pops);
  assert.deepStrictEqual(
    popped.map((pair) => pair![1]).sort(),
    [...values].sort(),
  );
  assert.equal(await redis.llen("jobs"), 0);
});

Deno.test("send() runs blocking commands on a dedicated connection, in any view", async (t) => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port, name: "router" });
  const shared = await redis.clientId();

  await t.step("BLPOP through send() blocks another connection", async () => {
    const reply = redis.send("BLPOP", "q", 0);
    await untilBlocked(redis, 1);
    const clients = await redis.clientList();
    const blocker = clients.find((c) => c.cmd === "blpop")!;
    assert.notEqual(blocker.id, shared);
    assert.equal(blocker.name, "router");
    await redis.rpush("q", "x");
    assert.deepStrictEqual(await reply, ["q", "x"]);
  });

  await t.step("every blocking command of the table is accepted", async () => {
    const replies = await Promise.all([
      redis.send("BRPOP", "q", 0.01),
      redis.send("BLMOVE", "q", "r", "LEFT", "LEFT", 0.01),
      redis.send("BLMPOP", 0.01, 1, "q", "LEFT"),
      redis.send("BRPOPLPUSH", "q", "r", 0.01),
      redis.send("BZPOPMIN", "z", 0.01),
      redis.send("BZPOPMAX", "z", 0.01),
      redis.send("BZMPOP", 0.01, 1, "z", "MIN"),
      redis.send("XREAD", "BLOCK", 10, "STREAMS", "s", "$"),
      redis.send("WAIT", 0, 10),
    ]);
    assert.deepStrictEqual(replies, [
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      0,
    ]);
  });

  await t.step("db(n) selects on the dedicated connection", async () => {
    const reply = redis.db(3).blpop(["q"], 0);
    await untilBlocked(redis, 1);
    // The same key in database 0 does not wake it.
    await redis.rpush("q", "zero");
    await sleep(20);
    assert.equal(await redis.llen("q"), 1);
    await redis.db(3).rpush("q", "three");
    assert.deepStrictEqual(await reply, ["q", "three"]);
    assert.equal(await redis.lpop("q"), "zero");
    const clients = await redis.clientList();
    assert.ok(clients.some((c) => c.id !== shared && c.db === 3));
    assert.equal(clients.find((c) => c.id === shared)?.db, 0);
  });

  await t.step(
    "prefix() prefixes the keys and strips the reply's",
    async () => {
      const app = redis.prefix("app:");
      const reply = app.send("BLPOP", "q", 0);
      const typed = app.bzpopmin(["z"], 0);
      await untilBlocked(redis, 2);
      await redis.rpush("app:q", "x");
      await redis.zadd("app:z", { m: 1 });
      assert.deepStrictEqual(await reply, ["q", "x"]);
      assert.deepStrictEqual(await typed, { key: "z", member: "m", score: 1 });
    },
  );

  await t.step(
    "fireAndForget moves the element; failures are events",
    async () => {
      const errors: RedisErrorEvent[] = [];
      const listener = (event: RedisErrorEvent) => errors.push(event);
      redis.addEventListener("error", listener);
      try {
        assert.equal(
          redis.fireAndForget.blmove("src", "dst", "LEFT", "RIGHT", 0),
          undefined,
        );
        await untilBlocked(redis, 1);
        await redis.rpush("src", "job");
        await until(
          async () => (await redis.lrange("dst", 0, -1)).length === 1,
          "the move",
        );
        assert.deepStrictEqual(await redis.lrange("dst", 0, -1), ["job"]);
        await redis.set("str", "v");
        redis.fireAndForget.blpop(["str"], 0);
        await until(() => errors.length === 1, "the error event");
        assert.ok(errors[0]!.error instanceof ReplyError);
        assert.equal(errors[0]!.command, "BLPOP");
      } finally {
        redis.removeEventListener("error", listener);
      }
    },
  );
});

// ---------------------------------------------------------------------------
// Cancellation

Deno.test("an aborted blocking call rejects at once with the reason, and its connection comes back clean", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port, name: "cancel" });
  const controller = new AbortController();
  const reason = new Error("user stopped waiting");
  const call = redis.with({ signal: controller.signal }).blpop(["q"], 0);
  await untilBlocked(redis, 1);
  const start = performance.now();
  controller.abort(reason);
  await assert.rejects(call, (error) => error === reason);
  const elapsed = performance.now() - start;
  assert.ok(elapsed < 500, `rejected after ${elapsed} ms`);
  assert.equal(await blocked(redis), 0);
  // Nothing is waiting any more: an element pushed now stays.
  await redis.rpush("q", "kept");
  await sleep(20);
  assert.deepStrictEqual(await redis.lrange("q", 0, -1), ["kept"]);
  // The same dedicated connection serves the next call (two connections).
  assert.equal(await named(redis, "cancel"), 2);
  assert.deepStrictEqual(await redis.blpop(["q"], 1), ["q", "kept"]);
  assert.equal(await named(redis, "cancel"), 2);
});

Deno.test("a blocking call's with({ timeout }) unblocks it: TimeoutError, nothing taken", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  const start = performance.now();
  await assert.rejects(
    redis.with({ timeout: 100 }).bzpopmin(["z"], 0),
    (error: unknown) => {
      assert.ok(error instanceof TimeoutError);
      assert.equal(error.mayHaveExecuted, false);
      assert.match(
        error.message,
        /^Command BZPOPMIN timed out after 100 ms: it was unblocked \(CLIENT UNBLOCK\) having taken nothing$/,
      );
      return true;
    },
  );
  assert.ok(performance.now() - start < 1_000);
  assert.equal(await blocked(redis), 0);
  // An answer within the timeout is the answer.
  await redis.zadd("z", { m: 1 });
  assert.deepStrictEqual(
    await redis.with({ timeout: 1_000 }).bzpopmin(["z"], 0),
    { key: "z", member: "m", score: 1 },
  );
  // The client-wide commandTimeout applies to blocking calls too.
  await using timed = await connect({
    port: server.port,
    commandTimeout: 100,
  });
  await assert.rejects(timed.blpop(["q"], 0), TimeoutError);
  assert.equal(await blocked(redis), 0);
});

Deno.test("a blocking call aborted before it was sent never reaches the server", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  const before = (await redis.info("commandstats")).commandstats
    ?.cmdstat_blpop;
  assert.equal(before, undefined);
  // Already aborted.
  const reason = new Error("already");
  await assert.rejects(
    redis.with({ signal: AbortSignal.abort(reason) }).blpop(["q"], 0),
    (error) => error === reason,
  );
  // Aborted in the same tick as the call, before a connection was ready.
  const controller = new AbortController();
  const call = redis.with({ signal: controller.signal }).blpop(["q"], 0);
  controller.abort(reason);
  await assert.rejects(call, (error) => error === reason);
  await redis.rpush("q", "kept");
  await sleep(20);
  assert.equal(await redis.llen("q"), 1);
  assert.equal(
    (await redis.info("commandstats")).commandstats?.cmdstat_blpop,
    undefined,
  );
});

Deno.test("an element popped in the race with an abort is never lost: the caller gets it, or it stays in the list (360 tries)", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  await using other = await connect({ port: server.port });
  const reason = new Error("stop");
  let delivered = 0;
  let aborted = 0;
  const TRIES = 360;
  const byMode = Array.from(
    { length: 6 },
    () => ({ delivered: 0, aborted: 0 }),
  );
  for (let i = 0; i < TRIES; i++) {
    const key = `race:${i}`;
    const controller = new AbortController();
    const view = redis.with({ signal: controller.signal });
    const call: Promise<{ value: unknown } | { error: unknown }> = i % 2 === 0
      ? settle(view.blpop([key], 0))
      : settle(view.blmove(key, `${key}:to`, "LEFT", "LEFT", 0));
    const mode = i % 6;
    let push: Promise<unknown>;
    if (mode === 0) {
      // The push first, the UNBLOCK behind it on the same connection:
      // the pop wins.
      await untilBlocked(redis, 1);
      push = redis.rpush(key, "v");
      controller.abort(reason);
    } else if (mode === 1) {
      // The abort first, the push well after the UNBLOCK: nothing taken.
      await untilBlocked(redis, 1);
      controller.abort(reason);
      await sleep(5);
      push = redis.rpush(key, "v");
    } else if (mode === 4) {
      // The abort before the command is even sent.
      controller.abort(reason);
      push = other.rpush(key, "v");
    } else if (mode === 5) {
      // The abort as the command is being written, before it blocks:
      // CLIENT UNBLOCK may find it not blocked yet, and is sent again.
      for (let k = 0; k < i % 20; k++) await Promise.resolve();
      controller.abort(reason);
      push = sleep(Math.random() * 3).then(() => other.rpush(key, "v"));
    } else {
      // A push from another connection and the abort, each 0 to 3 ms from
      // now, in either order when they fall on the same millisecond.
      await untilBlocked(redis, 1);
      const pushAt = Math.floor(Math.random() * 4);
      const abortAt = Math.floor(Math.random() * 4);
      const abortFirst = Math.random() < 0.5;
      if (abortFirst) setTimeout(() => controller.abort(reason), abortAt);
      push = sleep(pushAt).then(() => other.rpush(key, "v"));
      if (!abortFirst) setTimeout(() => controller.abort(reason), abortAt);
    }
    const outcome = await call;
    await push;
    byMode[mode]!["value" in outcome ? "delivered" : "aborted"]++;
    const left = await redis.lrange(key, 0, -1);
    const moved = await redis.lrange(`${key}:to`, 0, -1);
    if ("value" in outcome) {
      delivered++;
      assert.deepStrictEqual(
        outcome.value,
        i % 2 === 0 ? [key, "v"] : "v",
        `try ${i}`,
      );
      assert.deepStrictEqual(left, [], `try ${i}: popped and still there`);
    } else {
      aborted++;
      assert.equal(outcome.error, reason, `try ${i}`);
      assert.deepStrictEqual(left, ["v"], `try ${i}: the element vanished`);
      assert.deepStrictEqual(moved, [], `try ${i}: moved though aborted`);
    }
  }
  // deno-lint-ignore no-console
  console.log(
    `${delivered} delivered, ${aborted} aborted with the element kept; by mode (delivered/aborted): ${
      byMode.map((m, i) => `${i}: ${m.delivered}/${m.aborted}`).join(", ")
    }`,
  );
  assert.equal(delivered + aborted, TRIES);
  assert.ok(delivered >= TRIES / 5, `only ${delivered} delivered`);
  assert.ok(aborted >= TRIES / 5, `only ${aborted} aborted`);
  assert.equal(await blocked(redis), 0);
});

Deno.test("a blocked command whose UNBLOCK cannot be confirmed has its connection closed, so it takes nothing", async () => {
  await using server = await startRedisServer();
  await using admin = await connect({ port: server.port });
  // A user who may do everything but CLIENT UNBLOCK.
  await admin.aclSetuser(
    "nounblock",
    "on",
    "nopass",
    "+@all",
    "-client|unblock",
    "~*",
    "&*",
  );
  await using redis = await connect({
    port: server.port,
    username: "nounblock",
    name: "refused",
  });
  const controller = new AbortController();
  const reason = new Error("stop");
  const call = redis.with({ signal: controller.signal }).blpop(["q"], 0);
  await untilBlocked(admin, 1);
  assert.equal(await named(admin, "refused"), 2);
  controller.abort(reason);
  await assert.rejects(call, (error) => error === reason);
  await until(async () => await named(admin, "refused") === 1, "the close");
  assert.equal(await blocked(admin), 0);
  await admin.rpush("q", "kept");
  await sleep(20);
  assert.deepStrictEqual(await admin.lrange("q", 0, -1), ["kept"]);
  // A timeout says the command may have taken something.
  await assert.rejects(
    redis.with({ timeout: 50 }).blpop(["none"], 0),
    (error: unknown) => {
      assert.ok(error instanceof TimeoutError);
      assert.equal(error.mayHaveExecuted, true);
      assert.match(error.message, /CLIENT UNBLOCK could not be confirmed/);
      return true;
    },
  );
  // New calls open a new connection and work.
  assert.deepStrictEqual(await redis.blpop(["q"], 1), ["q", "kept"]);
});

Deno.test("close() unblocks waiting calls: they reject with a ConnectionError and take nothing", async () => {
  await using server = await startRedisServer();
  await using other = await connect({ port: server.port });
  const redis = await connect({ port: server.port });
  const calls = [
    settle(redis.blpop(["q"], 0)),
    settle(redis.xread({ s: "$" }, { block: 0 })),
  ];
  await untilBlocked(other, 2);
  const start = performance.now();
  await redis.close();
  assert.ok(performance.now() - start < 1_000);
  for (const outcome of await Promise.all(calls)) {
    assert.ok("error" in outcome);
    assert.ok(outcome.error instanceof ConnectionError);
    assert.equal(outcome.error.mayHaveExecuted, false);
    assert.match(outcome.error.message, /the client was closed/);
  }
  await other.rpush("q", "kept");
  await sleep(20);
  assert.equal(await other.llen("q"), 1);
  await assert.rejects(redis.blpop(["q"], 0), ConnectionError);
});

// ---------------------------------------------------------------------------
// Disconnects

Deno.test("a blocking command whose connection is lost rejects with ConnectionError (mayHaveExecuted) and is never re-sent", async (t) => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port, name: "lost" });
  const shared = await redis.clientId();

  await t.step("its connection killed", async () => {
    // Settled as it comes: it may reject before the kill is answered.
    const call = settle(redis.blpop(["q"], 0));
    await untilBlocked(redis, 1);
    const id = (await redis.clientList()).find((c) => c.cmd === "blpop")!.id;
    assert.notEqual(id, shared);
    await redis.clientKill({ id });
    const outcome = await call;
    assert.ok("error" in outcome);
    assert.ok(outcome.error instanceof ConnectionError);
    assert.equal(outcome.error.mayHaveExecuted, true);
    await redis.rpush("q", "kept");
    await sleep(50);
    assert.equal(await redis.llen("q"), 1);
    // The next call opens a new connection.
    assert.deepStrictEqual(await redis.blpop(["q"], 1), ["q", "kept"]);
  });

  await t.step("the server restarted", async () => {
    const call = settle(redis.blmove("src", "dst", "LEFT", "LEFT", 0));
    await untilBlocked(redis, 1);
    server.kill("SIGKILL");
    const outcome = await call;
    assert.ok("error" in outcome);
    assert.ok(outcome.error instanceof ConnectionError);
    assert.equal(outcome.error.mayHaveExecuted, true);
    await server.restart();
    await until(() => redis.ready, "the shared connection back");
    await redis.rpush("src", "kept");
    await sleep(50);
    assert.deepStrictEqual(await redis.lrange("src", 0, -1), ["kept"]);
    assert.equal(await blocked(redis), 0);
  });
});

// ---------------------------------------------------------------------------
// The pool

Deno.test("calls beyond maxBlockingConnections wait in order for a connection", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({
    port: server.port,
    maxBlockingConnections: 2,
    name: "pool",
  });
  // a, then b, blocked on the server in that order; c and d wait for a
  // connection, in that order.
  const calls = [redis.blpop(["q"], 0)];
  await untilBlocked(redis, 1);
  calls.push(redis.blpop(["q"], 0));
  await untilBlocked(redis, 2);
  calls.push(redis.blpop(["q"], 0), redis.blpop(["q"], 0));
  await sleep(20);
  assert.equal(await blocked(redis), 2);
  assert.equal(await named(redis, "pool"), 3);
  // Each push wakes the oldest call blocked, whose connection then goes
  // to the oldest call still waiting for one (which blocks in its turn).
  for (const value of ["x", "y"]) {
    await redis.rpush("q", value);
    await until(async () => await redis.llen("q") === 0, "the pop");
    await untilBlocked(redis, 2);
  }
  for (const value of ["z", "w"]) {
    await redis.rpush("q", value);
    await until(async () => await redis.llen("q") === 0, "the pop");
  }
  assert.deepStrictEqual(await Promise.all(calls), [
    ["q", "x"],
    ["q", "y"],
    ["q", "z"],
    ["q", "w"],
  ]);
  assert.equal(await named(redis, "pool"), 3);
});

Deno.test("calls waiting for a blocking connection are bounded by maxQueued and queueTimeout, and say so", async (t) => {
  await using server = await startRedisServer();

  await t.step("maxQueued", async () => {
    await using redis = await connect({
      port: server.port,
      maxBlockingConnections: 1,
      maxQueued: 1,
    });
    const first = redis.blpop(["q"], 0);
    const second = redis.blpop(["q"], 0);
    await assert.rejects(redis.blpop(["q"], 0), (error: unknown) => {
      assert.ok(error instanceof ConnectionError);
      assert.equal(error.mayHaveExecuted, false);
      assert.match(
        error.message,
        /^Cannot queue BLPOP: 1 commands are already waiting \(maxQueued\) for one of the 1 blocking connections \(maxBlockingConnections\), all in use$/,
      );
      return true;
    });
    await redis.rpush("q", "1", "2");
    assert.deepStrictEqual(await first, ["q", "1"]);
    assert.deepStrictEqual(await second, ["q", "2"]);
  });

  await t.step("queueTimeout", async () => {
    await using redis = await connect({
      port: server.port,
      maxBlockingConnections: 1,
      queueTimeout: 100,
    });
    const first = redis.blpop(["q"], 0);
    const start = performance.now();
    await assert.rejects(redis.brpop(["q"], 0), (error: unknown) => {
      assert.ok(error instanceof TimeoutError);
      assert.equal(error.mayHaveExecuted, false);
      assert.match(
        error.message,
        /^Cannot send BRPOP: it waited 100 ms \(queueTimeout\) for one of the 1 blocking connections \(maxBlockingConnections\), all in use$/,
      );
      return true;
    });
    assert.ok(performance.now() - start >= 90);
    await redis.rpush("q", "1", "2");
    assert.deepStrictEqual(await first, ["q", "1"]);
    await sleep(20);
    assert.deepStrictEqual(await redis.lrange("q", 0, -1), ["2"]);
  });

  await t.step("a signal stops the wait", async () => {
    await using redis = await connect({
      port: server.port,
      maxBlockingConnections: 1,
    });
    await redis.del("q");
    const first = redis.blpop(["q"], 0);
    await untilBlocked(redis, 1);
    const reason = new Error("no longer");
    const controller = new AbortController();
    const waiting = redis.with({ signal: controller.signal }).blpop(["q"], 0);
    await sleep(10);
    controller.abort(reason);
    await assert.rejects(waiting, (error) => error === reason);
    await redis.rpush("q", "1", "2");
    assert.deepStrictEqual(await first, ["q", "1"]);
    await sleep(20);
    assert.deepStrictEqual(await redis.lrange("q", 0, -1), ["2"]);
  });
});

Deno.test("idle blocking connections are closed after blockingIdleTimeout", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({
    port: server.port,
    blockingIdleTimeout: 1_000,
    name: "idle",
  });
  await redis.rpush("q", "a", "b");
  assert.deepStrictEqual(await redis.blpop(["q"], 1), ["q", "a"]);
  // Kept for the next call...
  assert.equal(await named(redis, "idle"), 2);
  assert.deepStrictEqual(await redis.blpop(["q"], 1), ["q", "b"]);
  assert.equal(await named(redis, "idle"), 2);
  // ... then closed once idle long enough.
  await until(async () => await named(redis, "idle") === 1, "the idle close");
  // And opened again when needed.
  assert.equal(await redis.blpop(["q"], 0.01), null);
  assert.equal(await named(redis, "idle"), 2);
});

// ---------------------------------------------------------------------------
// WAIT with a replica

Deno.test("wait() counts the replicas that acknowledged the shared connection's writes, without blocking it", async () => {
  // No 5 s wait for more replicas before the first sync.
  await using master = await startRedisServer({
    args: ["--repl-diskless-sync-delay", "0"],
  });
  await using replica = await startRedisServer({
    args: ["--replicaof", "127.0.0.1", String(master.port)],
  });
  await using redis = await connect({ port: master.port });
  await until(
    async () =>
      (await redis.info("replication")).replication?.slave0?.includes(
        "state=online",
      ) === true,
    "the replica online",
  );
  await redis.set("k", "1");
  assert.equal(await redis.wait(1, 5_000), 1);
  replica.kill("SIGSTOP");
  try {
    // A write not even awaited, issued just before: WAIT still counts it.
    redis.fireAndForget.set("k", "2");
    const start = performance.now();
    let waitDone = false;
    const waited = redis.wait(1, 300).finally(() => waitDone = true);
    assert.equal(await redis.get("k"), "2");
    assert.equal(waitDone, false, "the GET waited for WAIT");
    assert.equal(await waited, 0);
    assert.ok(performance.now() - start >= 250);
    // A wait without end is cancelled like a blocking pop.
    const controller = new AbortController();
    const reason = new Error("enough");
    const forever = redis.with({ signal: controller.signal }).wait(1, 0);
    await sleep(50);
    controller.abort(reason);
    await assert.rejects(forever, (error) => error === reason);
  } finally {
    replica.kill("SIGCONT");
  }
  assert.equal(await redis.wait(1, 5_000), 1);
});

Deno.test("a watch() callback refuses blocking commands outside tx.multi()", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  await redis.rpush("q", "a");
  await assert.rejects(
    redis.watch(["k"], (tx) => tx.blpop(["q"], 0)),
    (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, /^Cannot send BLPOP in a watch\(\) callback/);
      return true;
    },
  );
  await assert.rejects(
    redis.watch(["k"], (tx) => tx.send("BLMOVE", "q", "r", "LEFT", "LEFT", 0)),
    TypeError,
  );
  // In its transaction it does not block, and runs.
  const [popped] = await redis.watch(
    ["k"],
    (tx) => tx.multi().blpop(["q"], 0).exec(),
  );
  assert.deepStrictEqual(popped, ["q", "a"]);
});
