// watch(): optimistic locking on a connection leased to one caller, against a
// real server. Commits, retries on a changed key up to maxAttempts, UNWATCH
// when no transaction ran, refusals, a lost lease, the pool's bounds, and 50
// competing writers on one key.

import assert from "node:assert/strict";
import {
  connect,
  ConnectionError,
  type Redis,
  type RedisErrorEvent,
  type RedisView,
  ReplyError,
  TimeoutError,
  WatchError,
} from "../../mod.ts";
import { MAX_IDLE_LEASES, MAX_LEASES } from "../../lib/routing/router.ts";
import { commandCalls, resetCommandStats } from "../_support/commandstats.ts";
import { until } from "../_support/events.ts";
import { eachProtocol } from "../_support/protocols.ts";
import { startRedisServer } from "../_support/redis_server.ts";

type Tx = RedisView<"promise", string, number>;

/** The server's id of the connection a view's commands run on. */
async function clientId(view: Tx): Promise<number> {
  return Number(await view.send("CLIENT", "ID"));
}

/** Connections open on the server, this one included. */
async function connections(redis: Redis): Promise<number> {
  const list = String(await redis.send("CLIENT", "LIST"));
  return list.trim().split("\n").length;
}

/** Reads `key` as a number through `tx` and commits it plus one. */
function increment(key: string) {
  return async (tx: Tx) => {
    const value = Number(await tx.get(key) ?? 0);
    return await tx.multi().set(key, value + 1).get(key).exec();
  };
}

Deno.test("watch() runs its callback on a leased connection and resolves to what it returned", async () => {
  await using server = await startRedisServer();
  await eachProtocol(server.port, async (redis, protocol) => {
    await redis.set("balance", 10);
    const shared = await clientId(redis);
    let leased = 0;
    const result = await redis.watch(["balance"], async (tx) => {
      leased = await clientId(tx);
      const balance = Number(await tx.get("balance"));
      const [ok, value] = await tx.multi()
        .set("balance", balance + 5)
        .get("balance")
        .exec();
      return { ok, value };
    });
    assert.deepEqual(result, { ok: "OK", value: "15" });
    assert.notEqual(leased, shared, `RESP${protocol}: ran on the shared one`);
    assert.equal(await redis.get("balance"), "15");
    // The next caller gets the same connection back from the idle pool.
    assert.equal(await redis.watch(["balance"], clientId), leased);
    // A callback may return anything, and need not be async.
    assert.equal(await redis.watch(["k"], () => 42), 42);
  });
});

Deno.test("watch() runs the callback again when a watched key changed before EXEC, and its exec() rejects", async () => {
  await using server = await startRedisServer();
  await eachProtocol(server.port, async (redis) => {
    await redis.set("k", 1);
    const seen: unknown[] = [];
    let attempts = 0;
    const result = await redis.watch(["other", "k"], async (tx) => {
      attempts++;
      const value = Number(await tx.get("k"));
      // Another client (here, the shared connection) writes in between.
      if (attempts === 1) await redis.set("k", 100);
      try {
        return await tx.multi().set("k", value + 1).incr("commits").exec();
      } catch (error) {
        seen.push(error);
        throw error;
      }
    });
    assert.equal(attempts, 2);
    assert.deepEqual(result, ["OK", 1]);
    assert.equal(seen.length, 1);
    assert.ok(seen[0] instanceof WatchError);
    assert.match((seen[0] as Error).message, /a watched key changed/);
    assert.equal(await redis.get("k"), "101");
    assert.equal(await redis.get("commits"), "1");
  });
});

Deno.test("watch() rejects with a WatchError after maxAttempts (default 10) attempts, nothing of them run", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  for (const maxAttempts of [1, 3, undefined]) {
    let attempts = 0;
    const options = maxAttempts === undefined ? undefined : { maxAttempts };
    await assert.rejects(
      redis.watch(["k"], async (tx) => {
        attempts++;
        await tx.get("k");
        await redis.incr("k");
        return await tx.multi().set("k", "mine").incr("commits").exec();
      }, options),
      (error) => {
        assert.ok(error instanceof WatchError);
        assert.match(
          error.message,
          new RegExp(`in each of ${maxAttempts ?? 10} attempts?`),
        );
        assert.ok(error.cause instanceof WatchError);
        return true;
      },
    );
    assert.equal(attempts, maxAttempts ?? 10);
  }
  assert.equal(await redis.get("commits"), null);
  assert.equal(await redis.get("k"), "14");
});

Deno.test("watch() sends UNWATCH when the callback ends without EXEC, and the lease comes back clean", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  await resetCommandStats(redis);
  const id = await redis.watch(["a"], clientId);
  // Had the WATCH on "a" stayed, this change would fail the next EXEC.
  await redis.set("a", "changed");
  let attempts = 0;
  assert.equal(
    await redis.watch(["b"], async (tx) => {
      attempts++;
      assert.equal(await clientId(tx), id);
      return (await tx.multi().incr("b").exec())[0];
    }),
    1,
  );
  assert.equal(attempts, 1);
  // A callback that throws: UNWATCH too, the lease returned, the error passed on.
  const failure = new Error("the caller's own failure");
  await assert.rejects(
    redis.watch(["a"], async (tx) => {
      await tx.get("a");
      throw failure;
    }),
    (error) => error === failure,
  );
  await redis.set("a", "changed again");
  assert.equal(
    await redis.watch(["c"], async (tx) => {
      assert.equal(await clientId(tx), id);
      return (await tx.multi().incr("c").exec())[0];
    }),
    1,
  );
  const calls = await commandCalls(redis);
  assert.equal(calls.watch, 4);
  assert.equal(calls.unwatch, 2);
  assert.equal(calls.exec, 2);
});

Deno.test("watch() refuses a second transaction in one callback, and tx once the callback has ended", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  let kept: Tx | undefined;
  await redis.watch(["k"], async (tx) => {
    kept = tx;
    assert.deepEqual(await tx.multi().incr("k").exec(), [1]);
    await assert.rejects(
      tx.multi().incr("k").exec(),
      /runs one transaction \(its EXEC ended the WATCH\)/,
    );
    // Reads after the EXEC still work.
    assert.equal(await tx.get("k"), "1");
  });
  assert.equal(await redis.get("k"), "1");
  await assert.rejects(
    kept!.get("k"),
    /the watch\(\) callback it was given to has ended/,
  );
  await assert.rejects(kept!.multi().incr("k").exec(), TypeError);
  kept!.fireAndForget.incr("k");
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.command, "INCR");
  assert.ok(errors[0]!.error instanceof TypeError);
  assert.equal(await redis.get("k"), "1");
});

Deno.test("watch() checks its arguments, does not nest, and WATCH/MULTI stay refused through send()", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  await assert.rejects(
    redis.watch([], () => 1),
    /keys must be a non-empty array/,
  );
  await assert.rejects(
    redis.watch("k" as unknown as string[], () => 1),
    TypeError,
  );
  for (const maxAttempts of [0, 1.5, -1, NaN]) {
    await assert.rejects(
      redis.watch(["k"], () => 1, { maxAttempts }),
      RangeError,
    );
  }
  await assert.rejects(
    redis.watch(["k"], (tx) => tx.watch(["j"], () => 1)),
    /callbacks do not nest/,
  );
  for (const name of ["WATCH", "UNWATCH", "MULTI", "EXEC", "DISCARD"]) {
    await assert.rejects(redis.send(name, "k"), (error) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, new RegExp(`Cannot send ${name}`));
      assert.match(
        error.message,
        name.endsWith("WATCH")
          ? /use redis\.watch\(keys, callback\)/
          : /use redis\.multi\(\)/,
      );
      return true;
    });
  }
  // Not inside a callback either.
  await redis.watch(["k"], async (tx) => {
    await assert.rejects(tx.send("MULTI"), TypeError);
  });
});

Deno.test("watch() works in the view's database with its reply types", async () => {
  await using server = await startRedisServer();
  await eachProtocol(server.port, async (redis) => {
    await redis.db(2).set("k", "two");
    await redis.set("k", "zero");
    let attempts = 0;
    const [, value] = await redis.db(2).watch(["k"], async (tx) => {
      attempts++;
      assert.equal(tx.database, 2);
      const before = await tx.get("k");
      // A change in database 0 is another key: it does not abort.
      await redis.set("k", "zero again");
      if (attempts === 1) assert.equal(before, "two");
      // A change in database 2 does.
      if (attempts === 1) await redis.db(2).set("k", "changed");
      return await tx.multi().append("k", "!").get("k").exec();
    });
    assert.equal(attempts, 2);
    assert.equal(value, "changed!");
    const bytes = await redis.binary.watch(["k"], (tx) => tx.get("k"));
    assert.deepEqual(bytes, new TextEncoder().encode("zero again"));
    await redis.set("big", "9007199254740993");
    const [big] = await redis.bigint.watch(
      ["big"],
      (tx) => tx.multi().incr("big").exec(),
    );
    assert.equal(big, 9007199254740994n);
  });
});

Deno.test("watch() fails, without running again, when its leased connection is lost; the next caller gets a new one", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  let attempts = 0;
  let lost = 0;
  await assert.rejects(
    redis.watch(["k"], async (tx) => {
      attempts++;
      lost = await clientId(tx);
      await redis.send("CLIENT", "KILL", "ID", String(lost));
      return await tx.get("k");
    }),
    (error) => {
      assert.ok(error instanceof ConnectionError);
      return true;
    },
  );
  assert.equal(attempts, 1);
  const next = await redis.watch(["k"], clientId);
  assert.notEqual(next, lost);
  // The shared connection was never touched, and the lease's loss is the
  // watch() caller's failure, not a client event.
  assert.equal(await redis.incr("n"), 1);
  assert.deepEqual(errors, []);
});

Deno.test("watch() keeps at most 16 leased connections open and 4 idle, and close() closes them", async () => {
  await using server = await startRedisServer();
  await using observer = await connect({ port: server.port });
  const redis = await connect({ port: server.port });
  let running = 0;
  let most = 0;
  const ids = new Set<number>();
  await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      redis.watch([`k${i}`], async (tx) => {
        running++;
        most = Math.max(most, running);
        ids.add(await clientId(tx));
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
      })),
  );
  assert.equal(most, MAX_LEASES);
  assert.equal(ids.size, MAX_LEASES);
  // The observer, the client's shared connection and the idle leases (the
  // others close once their last replies are in).
  await until(
    async () => await connections(observer) === 2 + MAX_IDLE_LEASES,
    "the leases beyond the idle pool to close",
  );
  await redis.close();
  await until(
    async () => await connections(observer) === 1,
    "every connection of the client to close",
  );
  await assert.rejects(redis.watch(["k"], () => 1), ConnectionError);
});

Deno.test("watch() under 50 competing writers on one key: every increment lands exactly once", async () => {
  await using server = await startRedisServer();
  await eachProtocol(server.port, async (redis, protocol) => {
    await resetCommandStats(redis);
    const WRITERS = 50;
    const ROUNDS = 4;
    let attempts = 0;
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        for (let round = 0; round < ROUNDS; round++) {
          await redis.watch(["counter"], async (tx) => {
            attempts++;
            return await increment("counter")(tx);
          }, { maxAttempts: Infinity });
        }
      }),
    );
    const total = WRITERS * ROUNDS;
    assert.equal(await redis.get("counter"), String(total), `RESP${protocol}`);
    const calls = await commandCalls(redis);
    // Every attempt sent one EXEC; the ones over `total` found the key changed.
    assert.equal(calls.exec, attempts);
    assert.ok(attempts > total, `no writer ever had to retry (${attempts})`);
  });
});

Deno.test("watch() passes on an EXECABORT and keeps the lease; a lease whose EXEC went unanswered is closed, not reused", async () => {
  await using server = await startRedisServer();
  await using admin = await connect({ port: server.port });
  await admin.send(
    "ACL",
    "SETUSER",
    "noset",
    "on",
    "nopass",
    "~*",
    "&*",
    "+@all",
    "-set",
  );
  await using redis = await connect({
    port: server.port,
    username: "noset",
    password: "any",
  });
  let id = 0;
  let attempts = 0;
  await assert.rejects(
    redis.watch(["k"], async (tx) => {
      attempts++;
      id = await clientId(tx);
      return await tx.multi().incr("k").set("j", "1").exec();
    }),
    (error) => error instanceof ReplyError && error.code === "EXECABORT",
  );
  assert.equal(attempts, 1);
  assert.equal(await admin.get("k"), null);
  // EXEC ended the WATCH: the connection is clean, and reused.
  assert.equal(await redis.watch(["k"], clientId), id);
  let busy: Promise<unknown> = Promise.resolve();
  await assert.rejects(
    redis.with({ timeout: 100 }).watch(["k"], async (tx) => {
      await tx.get("k");
      // The server is busy past the view's timeout: EXEC is written, unanswered.
      busy = admin.send("DEBUG", "SLEEP", "0.4");
      await new Promise((resolve) => setTimeout(resolve, 20));
      return await tx.multi().incr("k").exec();
    }),
    (error) => error instanceof TimeoutError && error.mayHaveExecuted,
  );
  await busy;
  assert.equal(await admin.get("k"), "1");
  assert.notEqual(await redis.watch(["k"], clientId), id);
});

Deno.test("watch() rejects when no leased connection can be opened, and the places it held are freed", async () => {
  await using server = await startRedisServer({ args: ["--maxclients", "1"] });
  await using redis = await connect({ port: server.port });
  // More callers than MAX_LEASES: those waiting get the places freed by failures.
  const results = await Promise.allSettled(
    Array.from({ length: MAX_LEASES + 4 }, () => redis.watch(["k"], () => 1)),
  );
  for (const result of results) {
    assert.equal(result.status, "rejected");
    assert.match(String(result.reason), /max number of clients/);
  }
  await redis.send("CONFIG", "SET", "maxclients", "100");
  assert.deepEqual(
    await Promise.all(
      Array.from(
        { length: MAX_LEASES + 4 },
        (_, i) =>
          redis.watch([`k${i}`], (tx) => tx.multi().incr(`k${i}`).exec()),
      ),
    ),
    Array.from({ length: MAX_LEASES + 4 }, () => [1]),
  );
});

Deno.test("watch() on a prefix() view watches and writes the prefixed keys", async () => {
  await using server = await startRedisServer();
  await eachProtocol(server.port, async (redis) => {
    const tenant = redis.prefix("t1:");
    await redis.set("t1:n", "1");
    let attempts = 0;
    const results = await tenant.watch(["n"], async (tx) => {
      attempts++;
      const value = Number(await tx.get("n"));
      // The first attempt's read is overtaken by a write to the prefixed
      // key: only a WATCH on "t1:n" (not on "n") notices it.
      if (attempts === 1) await redis.set("t1:n", "10");
      return await tx.multi().set("n", value + 1).get("n").exec();
    });
    assert.equal(attempts, 2);
    assert.deepEqual(results, ["OK", "11"]);
    assert.equal(await redis.get("t1:n"), "11");
    assert.equal(await redis.exists("n"), 0);
  });
});

Deno.test("watch() waiting for a lease gives up at the view's timeout or signal, without running the callback, and loses no place", async () => {
  await using server = await startRedisServer();
  /** How `promise` settles within 5 s: its error, its value, or "waiting". */
  const outcome = async (promise: Promise<unknown>) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waiting = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve("still waiting after 5 s"), 5_000);
    });
    try {
      return await Promise.race([promise.catch((error) => error), waiting]);
    } finally {
      clearTimeout(timer);
    }
  };
  await eachProtocol(server.port, async (redis) => {
    const gate = Promise.withResolvers<void>();
    let running = 0;
    const held = Array.from(
      { length: MAX_LEASES },
      (_, i) =>
        redis.watch([`k${i}`], async () => {
          running++;
          await gate.promise;
          running--;
          return i;
        }),
    );
    await until(() => running === MAX_LEASES, "every lease to be taken");
    let ran = false;
    const callback = () => {
      ran = true;
    };
    const late: Promise<unknown>[] = [];
    try {
      const timedOut = redis.with({ timeout: 100 }).watch(["k"], callback);
      late.push(timedOut);
      const error = await outcome(timedOut);
      assert.ok(error instanceof TimeoutError, String(error));
      assert.equal(error.mayHaveExecuted, false);
      const controller = new AbortController();
      const aborted = redis.with({ signal: controller.signal }).watch(
        ["k"],
        callback,
      );
      late.push(aborted);
      controller.abort(new Error("stop waiting"));
      assert.match(String(await outcome(aborted)), /stop waiting/);
      const already = AbortSignal.abort(new Error("aborted before"));
      assert.match(
        String(
          await outcome(redis.with({ signal: already }).watch(["k"], callback)),
        ),
        /aborted before/,
      );
    } finally {
      gate.resolve();
      await Promise.allSettled(late);
    }
    assert.deepStrictEqual(
      await Promise.all(held),
      Array.from({ length: MAX_LEASES }, (_, i) => i),
    );
    assert.equal(ran, false);
    // Every place is free again: as many callers lease at once.
    let most = 0;
    const again = Promise.withResolvers<void>();
    const wave = Array.from(
      { length: MAX_LEASES },
      () =>
        redis.watch(["k"], async (tx) => {
          running++;
          most = Math.max(most, running);
          if (running === MAX_LEASES) again.resolve();
          await again.promise;
          running--;
          return await tx.multi().incr("n").exec();
        }),
    );
    await Promise.all(wave);
    assert.equal(most, MAX_LEASES);
    assert.equal(await redis.get("n"), String(MAX_LEASES));
  });
});
