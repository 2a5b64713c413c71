// Many callers, many databases, one connection: every caller gets its own
// reply, in order, and SELECT is written only when the database changes.

import assert from "node:assert/strict";
import { connect, ReplyError } from "../../mod.ts";
import { RawConnection } from "../_support/raw_connection.ts";
import { startRedisServer } from "../_support/redis_server.ts";

/** Calls of `command` since the last CONFIG RESETSTAT, from INFO commandstats. */
async function commandCalls(port: number, command: string): Promise<number> {
  using admin = await RawConnection.connect({ port });
  const info = await admin.command(["INFO", "commandstats"]) ?? "";
  const match = info.match(new RegExp(`cmdstat_${command}:calls=(\\d+)`));
  return match === null ? 0 : Number(match[1]);
}

async function resetStats(port: number): Promise<void> {
  using admin = await RawConnection.connect({ port });
  await admin.command(["CONFIG", "RESETSTAT"]);
}

/** Number of SELECTs a client starting in `start` needs for this sequence of databases. */
function switches(dbs: number[], start = 0): number {
  let current = start;
  let count = 0;
  for (const db of dbs) {
    if (db !== current) count++;
    current = db;
  }
  return count;
}

Deno.test("Redis.db() writes SELECT only when the database changes", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  const dbs = [0, 0, 1, 1, 1, 2, 0, 0, 5, 5, 5, 5, 1, 2, 3, 3, 0];
  await resetStats(server.port);
  const replies = await Promise.all(
    dbs.map((db, i) => redis.db(db).set(`k${i}`, db)),
  );
  assert.equal(replies.length, dbs.length);
  assert.equal(await commandCalls(server.port, "select"), switches(dbs));
  for (const db of [0, 1, 2, 3, 5]) {
    const expected = dbs.map((d, i) => [d, i]).filter(([d]) => d === db).length;
    assert.equal(await redis.db(db).dbsize(), expected, `database ${db}`);
  }
});

Deno.test("Redis.db() gives 10,000 concurrent callers across 16 databases their own replies", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  await resetStats(server.port);
  const nonce = crypto.randomUUID();
  const issued: number[] = [];
  let misrouted = 0;
  const caller = async (i: number) => {
    const db = i % 16;
    const view = redis.db(db);
    const value = `v:${i}:${nonce}`;
    issued.push(db);
    const set = view.set(`key:${i}`, value);
    issued.push(db);
    const incr = view.incrby(`counter:${i}`, i);
    assert.equal(await set, "OK");
    if (await incr !== i) misrouted++;
    issued.push(db);
    if (await view.get(`key:${i}`) !== value) misrouted++;
    issued.push(db);
    if (await view.exists(`key:${i}`, `counter:${i}`, "missing") !== 2) {
      misrouted++;
    }
  };
  await Promise.all(Array.from({ length: 10_000 }, (_, i) => caller(i)));
  assert.equal(misrouted, 0);
  // One SELECT per change of database in issue order (which is write order).
  const stats = await commandCalls(server.port, "select");
  assert.equal(stats, switches(issued));
  let keys = 0;
  for (let db = 0; db < 16; db++) keys += await redis.db(db).dbsize();
  assert.equal(keys, 20_000);
});

Deno.test("Redis runs the BookSleeve workload with exact counters and 500 SELECTs", async (t) => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  // 5,000 INCR over 5 databases, round-robin in batches of 10.
  const plan: number[] = [];
  for (let round = 0; round < 100; round++) {
    for (let db = 0; db < 5; db++) for (let k = 0; k < 10; k++) plan.push(db);
  }
  const check = async (key: string, expectedSelects: number) => {
    assert.equal(await commandCalls(server.port, "select"), expectedSelects);
    // Reading the counters visits databases 0..4 and ends in 4 again.
    for (let db = 0; db < 5; db++) {
      assert.equal(await redis.db(db).get(key), "1000", `database ${db}`);
    }
  };
  // The client starts in database 0, so the first batch needs no SELECT;
  // every later batch does. Each variant ends in database 4, so the next
  // variant's first batch (database 0) adds one: 500 in all from the second on.
  await t.step("sequential", async () => {
    await resetStats(server.port);
    for (const db of plan) await redis.db(db).incr("sequential");
    await check("sequential", 499);
  });
  await t.step("multiplexed through db() handles", async () => {
    const views = [0, 1, 2, 3, 4].map((db) => redis.db(db));
    await resetStats(server.port);
    await Promise.all(plan.map((db) => views[db]!.incr("multiplexed")));
    await check("multiplexed", 500);
  });
  await t.step("fire-and-forget", async () => {
    const views = [0, 1, 2, 3, 4].map((db) => redis.db(db).fireAndForget);
    await resetStats(server.port);
    for (const db of plan) views[db]!.incr("forgotten");
    // Fire-and-forget keeps its place: a later awaited command drains it.
    await redis.db(4).ping();
    await check("forgotten", 500);
  });
});

Deno.test("Redis keeps one caller's 10,000 unawaited INCRs in order", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  const replies = await Promise.all(
    Array.from({ length: 10_000 }, () => redis.incr("ordered")),
  );
  assert.deepEqual(replies, Array.from({ length: 10_000 }, (_, i) => i + 1));
});

Deno.test("Redis matches mixed reply types to their callers", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  await redis.set("str", "text");
  await redis.send("RPUSH", "list", "a", "b", "c");
  await redis.send("HSET", "hash", "f", "v");
  await redis.send("ZADD", "zset", "1.5", "m");
  const rounds = 2_000;
  const work: Promise<void>[] = [];
  for (let i = 0; i < rounds; i++) {
    work.push(redis.get("str").then((v) => assert.equal(v, "text")));
    work.push(redis.exists("str", "list").then((v) => assert.equal(v, 2)));
    work.push(
      redis.send("LRANGE", "list", 0, -1).then((v) =>
        assert.deepEqual(v, ["a", "b", "c"])
      ),
    );
    work.push(
      redis.send("HGETALL", "hash").then((v) =>
        assert.deepEqual(v, new Map([["f", "v"]]))
      ),
    );
    work.push(
      redis.send("ZSCORE", "zset", "m").then((v) => assert.equal(v, 1.5)),
    );
    work.push(redis.type("list").then((v) => assert.equal(v, "list")));
  }
  await Promise.all(work);
});

Deno.test("Redis rejects only the commands that fail among interleaved callers", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  await redis.send("RPUSH", "a-list", "x");
  const results = await Promise.allSettled(
    Array.from(
      { length: 1_000 },
      (_, i) => i % 10 === 0 ? redis.incr("a-list") : redis.incr(`n:${i}`),
    ),
  );
  results.forEach((result, i) => {
    if (i % 10 === 0) {
      assert.equal(result.status, "rejected");
      const error = (result as PromiseRejectedResult).reason;
      assert.ok(error instanceof ReplyError);
      assert.equal(error.code, "WRONGTYPE");
      assert.equal(error.command, "INCR");
    } else {
      assert.deepEqual(result, { status: "fulfilled", value: 1 });
    }
  });
});

Deno.test("Redis sends every command issued in one tick in one write", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  // Keep the server from reading so the only thing that matters is how many
  // writes the client made: compare the server's count of read events
  // before and after (INFO stats total_reads_processed, Redis 7).
  const reads = async () => {
    using admin = await RawConnection.connect({ port: server.port });
    const info = await admin.command(["INFO", "stats"]) ?? "";
    return Number(info.match(/total_reads_processed:(\d+)/)?.[1]);
  };
  const before = await reads();
  const replies = await Promise.all(
    Array.from({ length: 200 }, (_, i) => redis.echo(`m${i}`)),
  );
  const after = await reads();
  assert.equal(replies[199], "m199");
  // One read for our batch, plus the admin connection's own command reads
  // (its INFO), which count once each; a client writing per command would
  // cause up to 200 reads.
  assert.ok(after - before <= 3, `server processed ${after - before} reads`);
});
