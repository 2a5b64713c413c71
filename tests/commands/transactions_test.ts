// multi() and pipeline() against a real server, under both protocols: typed
// tuple results decoded exactly as the single methods decode them, failures
// in place, EXECABORT, refusals before anything is sent, one run per
// builder, fire-and-forget builders, limits over the whole batch, and
// transactions interleaved with 1,000 single commands on one connection.

import assert from "node:assert/strict";
import {
  type CommandFailure,
  connect,
  ConnectionError,
  IntegerRangeError,
  type Redis,
  type RedisErrorEvent,
  type RedisView,
  ReplyError,
  TimeoutError,
} from "../../mod.ts";
import { commandCalls, resetCommandStats } from "../_support/commandstats.ts";
import { until } from "../_support/events.ts";
import { eachProtocol } from "../_support/protocols.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { uniform } from "../resp/_vectors.ts";

/** True when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends
  (<T>() => T extends B ? 1 : 2) ? true : false;

/** Compiles only when `T` is `true`. */
function assertType<T extends true>(_: T): void {}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Fills the keys the read-only checks below read. */
async function fill(
  redis: RedisView<"promise", string, number>,
): Promise<void> {
  await redis.set("s", "text");
  await redis.set("n", 41);
  await redis.hset("h", { a: "1", b: "2" });
  await redis.rpush("l", "x", "y", "z");
  await redis.sadd("set", "m");
  await redis.zadd("z", { ann: 1.5, bob: 2 });
}

Deno.test("multi() and pipeline() results are typed as tuples of each command's result or its failure (checked by the compiler)", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  const tx = redis.multi().set("a", "1").get("a").incr("n").hgetall("h");
  const results = await tx.exec();
  assertType<
    Equal<
      typeof results,
      [
        "OK" | null | CommandFailure,
        string | null | CommandFailure,
        number | CommandFailure,
        Record<string, string> | CommandFailure,
      ]
    >
  >(true);
  const binary = await redis.binary.pipeline().get("a").hgetall("h").exec();
  assertType<
    Equal<
      typeof binary,
      [
        Uint8Array | null | CommandFailure,
        Map<Uint8Array, Uint8Array> | CommandFailure,
      ]
    >
  >(true);
  const big = await redis.bigint.db(1).multi().incr("n").strlen("a").exec();
  assertType<
    Equal<typeof big, [bigint | CommandFailure, bigint | CommandFailure]>
  >(true);
  const empty = await redis.multi().exec();
  assertType<Equal<typeof empty, []>>(true);
  const dropped = redis.fireAndForget.multi().incr("n").exec();
  assertType<Equal<typeof dropped, void>>(true);
  const [, , n] = results;
  // @ts-expect-error: a command's slot may hold its failure, not only its value.
  const wrong: number = n + 1;
  if (n instanceof Error) throw n;
  const right: number = n + 1;
  assert.deepEqual([wrong, right], [2, 2]);
  assert.deepEqual(results.slice(0, 3), ["OK", "1", 1]);
  assert.deepEqual(big, [1n, 0n]);
  assert.deepEqual(empty, []);
});

Deno.test("multi() and pipeline() decode every result exactly as the single methods, in every view", async () => {
  await using server = await startRedisServer();
  await eachProtocol(server.port, async (redis, protocol) => {
    for (const view of [redis, redis.db(2)]) {
      await fill(view);
      const singles = await Promise.all([
        view.get("s"),
        view.get("missing"),
        view.hgetall("h"),
        view.lrange("l", 0, -1),
        view.smembers("set"),
        view.zscore("z", "ann"),
        view.zmscore("z", "bob", "nobody"),
        view.exists("s", "h", "missing"),
        view.type("h"),
        view.strlen("s"),
      ]);
      for (const builder of [view.multi(), view.pipeline()]) {
        const results = await builder
          .get("s")
          .get("missing")
          .hgetall("h")
          .lrange("l", 0, -1)
          .smembers("set")
          .zscore("z", "ann")
          .zmscore("z", "bob", "nobody")
          .exists("s", "h", "missing")
          .type("h")
          .strlen("s")
          .exec();
        assert.deepEqual(results, singles, `RESP${protocol}`);
        assert.equal(Object.getPrototypeOf(results[2]), null);
      }
    }
    // The database of the view: its keys, not database 0's.
    assert.deepEqual(
      await redis.db(5).multi().set("k", "five").get("k").exec(),
      ["OK", "five"],
    );
    assert.equal(await redis.get("k"), null);
    assert.equal(await redis.db(5).get("k"), "five");
    // Binary: bulk strings as bytes, statuses and records as the view has them.
    const bytes = new Uint8Array([0, 255, 13, 10]);
    const binary = await redis.binary.multi()
      .set("b", bytes)
      .get("b")
      .hgetall("h")
      .type("b")
      .exec();
    assert.deepEqual(binary, [
      "OK",
      bytes,
      await redis.binary.hgetall("h"),
      "string",
    ]);
    assert.ok(binary[1] instanceof Uint8Array);
    // Bigint: every integer reply as a bigint, as on the single methods.
    await redis.set("big", "9007199254740993");
    assert.deepEqual(
      await redis.bigint.pipeline().incr("big").strlen("big").exec(),
      [9007199254740994n, 16n],
    );
    assert.deepEqual(
      await redis.bigint.multi().decr("big").exists("big").exec(),
      [9007199254740993n, 1n],
    );
  });
});

Deno.test("multi() and pipeline() leave a command's failure in its place while the others run", async () => {
  await using server = await startRedisServer();
  await eachProtocol(server.port, async (redis, protocol) => {
    for (const builder of [redis.multi(), redis.pipeline()]) {
      await redis.del("s", "h", "after");
      const results = await builder
        .set("s", "text")
        .incr("s")
        .hgetall("s")
        .set("after", "yes")
        .get("after")
        .exec();
      const context = `RESP${protocol}`;
      assert.equal(results[0], "OK", context);
      assert.ok(results[1] instanceof ReplyError, context);
      assert.equal(results[1].code, "ERR");
      assert.equal(results[1].command, "INCR");
      assert.ok(results[2] instanceof ReplyError, context);
      assert.equal(results[2].code, "WRONGTYPE");
      assert.equal(results[2].command, "HGETALL");
      assert.deepEqual(results.slice(3), ["OK", "yes"], context);
      assert.equal(await redis.get("after"), "yes");
    }
    // An integer beyond 2^53 - 1 stays an IntegerRangeError in its place,
    // holding the exact value: the command ran.
    await redis.set("big", "9007199254740993");
    for (const builder of [redis.multi(), redis.pipeline()]) {
      const [incr, get] = await builder.incr("big").get("big").exec();
      assert.ok(incr instanceof IntegerRangeError, `RESP${protocol}`);
      assert.equal(incr.command, "INCR");
      assert.ok(
        incr.value === 9007199254740994n ||
          incr.value === 9007199254740995n,
      );
      assert.equal(get, String(incr.value));
    }
  });
});

Deno.test("multi() rejects with EXECABORT naming the refused command and its position, and nothing runs", async () => {
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
  for (const protocol of [2, 3] as const) {
    await admin.flushall();
    await using redis = await connect({
      port: server.port,
      protocol,
      username: "noset",
      password: "any",
    });
    await assert.rejects(
      redis.multi().incr("n").set("k", "v").incr("n").exec(),
      (error) => {
        assert.ok(error instanceof ReplyError);
        assert.equal(error.code, "EXECABORT");
        assert.equal(error.command, "EXEC");
        assert.match(error.message, /SET \(command 2 of 3\) was refused/);
        assert.match(error.message, /nothing ran/);
        assert.ok(error.cause instanceof ReplyError);
        assert.equal(error.cause.code, "NOPERM");
        assert.equal(error.cause.command, "SET");
        return true;
      },
    );
    assert.equal(await admin.get("n"), null, `RESP${protocol}: INCR ran`);
    // The connection is in step: the next transaction runs.
    assert.deepEqual(await redis.multi().incr("n").get("n").exec(), [1, "1"]);
  }
});

Deno.test("multi() says when the server refused MULTI itself: the commands ran one by one", async () => {
  await using server = await startRedisServer();
  await using admin = await connect({ port: server.port });
  await admin.send(
    "ACL",
    "SETUSER",
    "nomulti",
    "on",
    "nopass",
    "~*",
    "&*",
    "+@all",
    "-multi",
  );
  await using redis = await connect({
    port: server.port,
    username: "nomulti",
    password: "any",
  });
  await assert.rejects(
    redis.multi().incr("n").incr("n").exec(),
    (error) => {
      assert.ok(error instanceof ReplyError);
      assert.equal(error.code, "NOPERM");
      assert.equal(error.command, "MULTI");
      assert.match(error.message, /its 2 commands ran one by one/);
      return true;
    },
  );
  assert.equal(await admin.get("n"), "2");
  // A pipeline needs no MULTI.
  assert.deepEqual(await redis.pipeline().incr("n").get("n").exec(), [3, "3"]);
});

Deno.test("multi() in a database whose SELECT is refused never says its commands ran one by one", async () => {
  await using server = await startRedisServer();
  await using admin = await connect({ port: server.port });
  await admin.aclSetuser("nosel", "on", "nopass", "~*", "&*", "+@all");
  await eachProtocol(server.port, async (_, protocol) => {
    await admin.aclSetuser("nosel", "+select");
    await using redis = await connect({
      port: server.port,
      protocol,
      username: "nosel",
      password: "any",
    });
    await redis.db(4).set("seen", "1");
    await admin.aclSetuser("nosel", "-select");
    // Database 5 was never selected: the connection asks first, and sends
    // nothing of the batch when refused.
    await assert.rejects(
      redis.db(5).multi().incr("n").incr("n").exec(),
      (error) => {
        assert.ok(error instanceof ReplyError);
        assert.equal(error.code, "NOPERM");
        assert.doesNotMatch(error.message, /ran one by one/);
        assert.match(error.message, /not sent/);
        return true;
      },
    );
    for (const db of [0, 4, 5]) {
      assert.equal(await admin.db(db).get("n"), null, `db ${db}`);
    }
    // The connection stayed in database 4; database 0 (the handshake's) is
    // known: SELECT goes ahead of the batch, and is refused, so the
    // transaction runs where the connection stayed.
    await assert.rejects(
      redis.db(0).multi().incr("n").incr("n").exec(),
      (error) => {
        assert.ok(error instanceof ReplyError);
        assert.doesNotMatch(error.message, /ran one by one/);
        assert.match(error.message, /ran in database 4/);
        return true;
      },
    );
    assert.equal(await admin.db(4).get("n"), "2");
    assert.equal(await admin.db(0).get("n"), null);
    await admin.db(4).del("n");
  });
});

Deno.test("exec() rejects an argument the encoder refuses before anything of the batch is sent", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  await resetCommandStats(redis);
  await assert.rejects(
    redis.multi().set("a", "1").incrby("n", NaN).exec(),
    TypeError,
  );
  await assert.rejects(
    redis.pipeline().set("a", "1").incrby("n", NaN).exec(),
    TypeError,
  );
  const calls = await commandCalls(redis);
  assert.equal(calls.multi, undefined);
  assert.equal(calls.set, undefined);
  assert.equal(calls.exec, undefined);
  assert.equal(await redis.get("a"), null);
  // The connection is in step.
  assert.deepEqual(await redis.multi().set("a", "2").get("a").exec(), [
    "OK",
    "2",
  ]);
});

Deno.test("discard() sends nothing, and a builder runs once", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  await resetCommandStats(redis);
  const discarded = redis.multi().set("a", "1").incr("n");
  assert.equal(discarded.length, 2);
  discarded.discard();
  assert.equal(discarded.length, 0);
  assert.throws(() => discarded.get("a"), TypeError);
  await assert.rejects(discarded.exec(), /already run or was discarded/);
  const pipeline = redis.pipeline().set("p", "1");
  pipeline.discard();
  await assert.rejects(pipeline.exec(), TypeError);
  assert.equal(await redis.get("a"), null);
  const calls = await commandCalls(redis);
  assert.deepEqual(
    [calls.multi, calls.set, calls.incr, calls.exec],
    [undefined, undefined, undefined, undefined],
  );
  for (const builder of [redis.multi(), redis.pipeline()]) {
    const once = builder.incr("once");
    const first = once.exec();
    // Queueing after exec() throws; nothing joins the batch on its way.
    assert.throws(() => once.incr("once"), /Cannot queue INCR/);
    await assert.rejects(once.exec(), /already run/);
    assert.equal((await first).length, 1);
  }
  assert.equal(await redis.get("once"), "2");
});

Deno.test("multi() and pipeline() with nothing queued", async () => {
  await using server = await startRedisServer();
  await eachProtocol(server.port, async (redis) => {
    await resetCommandStats(redis);
    assert.deepEqual(await redis.pipeline().exec(), []);
    assert.deepEqual(await redis.multi().exec(), []);
    const calls = await commandCalls(redis);
    // An empty pipeline sends nothing; an empty transaction MULTI and EXEC.
    assert.equal(calls.multi, 1);
    assert.equal(calls.exec, 1);
  });
});

Deno.test("a fireAndForget view's builder returns nothing and reports each failure as an error event", async () => {
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
  await using redis = await connect({ port: server.port });
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  await redis.set("s", "text");
  const ff = redis.fireAndForget;
  assert.equal(ff.multi().incr("n").incr("s").incr("n").exec(), undefined);
  assert.equal(ff.pipeline().incr("m").hgetall("s").exec(), undefined);
  const once = ff.pipeline().incr("m");
  once.exec();
  once.exec();
  await until(() => errors.length >= 3, "three error events");
  assert.equal(await redis.get("n"), "2");
  assert.equal(await redis.get("m"), "2");
  assert.deepEqual(
    errors.map((e) => `${e.command} ${e.error.constructor.name}`).sort(),
    ["HGETALL ReplyError", "INCR ReplyError", "undefined TypeError"],
  );
  // EXECABORT on a fire-and-forget transaction: one event, naming EXEC.
  await using limited = await connect({
    port: server.port,
    username: "noset",
    password: "any",
  });
  const refused: RedisErrorEvent[] = [];
  limited.addEventListener("error", (event) => refused.push(event));
  limited.fireAndForget.multi().incr("x").set("y", "1").exec();
  await until(() => refused.length >= 1, "an EXECABORT event");
  assert.equal(refused.length, 1);
  assert.equal(refused[0]!.command, "EXEC");
  assert.ok(refused[0]!.error instanceof ReplyError);
  assert.equal(refused[0]!.error.code, "EXECABORT");
  assert.equal(await redis.get("x"), null);
});

Deno.test("a with({ timeout }) view's transaction times out as a whole, and says it may have run", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  await using other = await connect({ port: server.port });
  for (const transaction of [true, false]) {
    await redis.del("t", "tn");
    // The server is busy for 500 ms: the batch is written, its replies late.
    const busy = other.send("DEBUG", "SLEEP", "0.5");
    await sleep(20);
    const view = redis.with({ timeout: 100 });
    const builder = transaction ? view.multi() : view.pipeline();
    const started = performance.now();
    await assert.rejects(
      builder.set("t", "1").incr("tn").exec(),
      (error) => {
        assert.ok(error instanceof TimeoutError);
        assert.equal(error.mayHaveExecuted, true);
        assert.match(
          error.message,
          transaction ? /EXEC was sent, so it may have run/ : /may have run/,
        );
        return true;
      },
    );
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 90 && elapsed < 450, `${elapsed} ms`);
    await busy;
    // It did run, once; its late replies were dropped, and the next
    // command gets its own.
    assert.equal(await redis.get("tn"), "1");
    assert.equal(await redis.get("t"), "1");
  }
  // The client-wide commandTimeout covers builders too.
  await using timed = await connect({ port: server.port, commandTimeout: 50 });
  const busy = other.send("DEBUG", "SLEEP", "0.2");
  await sleep(20);
  await assert.rejects(timed.multi().incr("c").exec(), TimeoutError);
  await busy;
  // An aborted signal keeps the batch off the wire.
  await resetCommandStats(redis);
  const aborted = AbortSignal.abort(new Error("stop"));
  await assert.rejects(
    redis.with({ signal: aborted }).multi().incr("never").exec(),
    /stop/,
  );
  assert.equal((await commandCalls(redis)).multi, undefined);
  assert.equal(await redis.get("never"), null);
});

Deno.test("exec() on a closed client rejects: EXEC was not sent, so nothing ran", async () => {
  await using server = await startRedisServer();
  const redis = await connect({ port: server.port });
  await redis.close();
  await assert.rejects(redis.multi().incr("n").exec(), (error) => {
    assert.ok(error instanceof ConnectionError);
    assert.equal(error.mayHaveExecuted, false);
    assert.match(error.message, /EXEC was not sent, so nothing of it ran/);
    return true;
  });
  await assert.rejects(redis.pipeline().incr("n").exec(), (error) => {
    assert.ok(error instanceof ConnectionError);
    assert.equal(error.mayHaveExecuted, false);
    return true;
  });
});

/**
 * 1,000 single commands from concurrent callers and 50 transactions, issued
 * interleaved on one client (the same tick and across ticks, in several
 * databases): every caller gets its own reply, no QUEUED reaches anyone, and
 * every counter is exact.
 */
async function interleaved(
  redis: Redis,
  label: string,
): Promise<void> {
  const seed = crypto.getRandomValues(new Uint32Array(1))[0]!;
  const random = uniform(seed);
  const context = `${label}, seed ${seed}`;
  const SINGLES = 1_000;
  const TRANSACTIONS = 50;
  for (let i = 0; i < SINGLES; i++) {
    if (i % 4 === 1) await redis.set(`own:${i}`, `value:${i}`);
  }
  const order = [
    ...Array.from({ length: SINGLES }, (_, i) => ({ single: i })),
    ...Array.from({ length: TRANSACTIONS }, (_, t) => ({ tx: t })),
  ];
  // Interleaved at random, in bursts of up to 40 per tick.
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const singles: Promise<unknown>[] = new Array(SINGLES);
  const transactions: Promise<unknown[]>[] = new Array(TRANSACTIONS);
  let burst = 0;
  for (const item of order) {
    if ("single" in item) {
      const i = item.single;
      switch (i % 4) {
        case 0:
          singles[i] = redis.incr("counter");
          break;
        case 1:
          singles[i] = redis.get(`own:${i}`);
          break;
        case 2:
          singles[i] = redis.db(3).incr(`db3:${i % 5}`);
          break;
        default:
          singles[i] = redis.echo(`echo:${i}`);
      }
    } else {
      const t = item.tx;
      const view = t % 2 === 0 ? redis : redis.db(3);
      transactions[t] = view.multi()
        .incr("counter")
        .incr("counter")
        .set(`tx:${t}`, `t${t}`)
        .get(`tx:${t}`)
        .incr(`txcount:${t}`)
        .exec();
    }
    if (++burst >= 1 + Math.floor(random() * 40)) {
      burst = 0;
      await Promise.resolve();
      if (random() < 0.1) await sleep(0);
    }
  }
  const singleReplies = await Promise.all(singles);
  const txReplies = await Promise.all(transactions);
  // The counter of database 0 (singles, even transactions) and of database 3
  // (odd transactions): every INCR got its own value, none twice.
  const seen = [new Set<number>(), new Set<number>()];
  const db3 = new Map<number, number>();
  for (let i = 0; i < SINGLES; i++) {
    const reply = singleReplies[i];
    assert.notEqual(reply, "QUEUED", context);
    switch (i % 4) {
      case 0:
        assert.equal(typeof reply, "number", context);
        seen[0]!.add(reply as number);
        break;
      case 1:
        assert.equal(reply, `value:${i}`, context);
        break;
      case 2:
        assert.equal(typeof reply, "number", context);
        db3.set(i % 5, Math.max(db3.get(i % 5) ?? 0, reply as number));
        break;
      default:
        assert.equal(reply, `echo:${i}`, context);
    }
  }
  for (let t = 0; t < TRANSACTIONS; t++) {
    const [a, b, ok, value, count] = txReplies[t]!;
    assert.ok(!txReplies[t]!.includes("QUEUED"), context);
    // Nothing lands inside a transaction: its two INCRs are consecutive.
    assert.equal(typeof a, "number", context);
    assert.equal(b, (a as number) + 1, context);
    seen[t % 2]!.add(a as number).add(b as number);
    assert.deepEqual([ok, value, count], ["OK", `t${t}`, 1], context);
  }
  const totals = [SINGLES / 4 + TRANSACTIONS, TRANSACTIONS];
  for (const [k, view] of [redis, redis.db(3)].entries()) {
    const set = seen[k]!;
    assert.equal(set.size, totals[k], context);
    assert.equal(Math.min(...set), 1, context);
    assert.equal(Math.max(...set), totals[k], context);
    assert.equal(await view.get("counter"), String(totals[k]), context);
  }
  for (let k = 0; k < 5; k++) {
    const expected = Array.from({ length: SINGLES }, (_, i) => i)
      .filter((i) => i % 4 === 2 && i % 5 === k).length;
    assert.equal(db3.get(k), expected, context);
    assert.equal(await redis.db(3).get(`db3:${k}`), String(expected), context);
  }
}

Deno.test("1,000 single commands interleaved with 50 transactions on one connection each get their own reply, counters exact", async () => {
  await using server = await startRedisServer();
  await eachProtocol(server.port, async (redis, protocol) => {
    await resetCommandStats(redis);
    await interleaved(redis, `RESP${protocol}`);
    const calls = await commandCalls(redis);
    assert.equal(calls.multi, 50);
    assert.equal(calls.exec, 50);
  });
});
