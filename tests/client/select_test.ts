// A command meant for database N never runs in another database: every way a
// server can refuse SELECT (an index out of range while the database count is
// unknown, an ACL user without `select`, a server in cluster mode, a proxy
// that does not know SELECT, an ACL changed after the database was first
// used) fails only the commands for that database, with an error naming it,
// keeps the connection, and moves or empties no data. Real servers throughout;
// the refusing proxy forwards everything else to one.

import assert from "node:assert/strict";
import {
  connect,
  type Redis,
  type RedisErrorEvent,
  ReplyError,
} from "../../mod.ts";
import { recordEvents } from "../_support/events.ts";
import {
  answerHandshake,
  type FakeConnection,
  startFakeServer,
} from "../_support/fake_server.ts";
import { RawConnection } from "../_support/raw_connection.ts";
import { startRedisServer } from "../_support/redis_server.ts";

/** Issues work on database 0 around `refused`, all in one tick, and checks it. */
async function aroundRefusal(
  redis: Redis,
  refused: () => Promise<unknown>,
): Promise<unknown> {
  const before = redis.incr("counter");
  const outcome = refused().then(() => undefined, (error: unknown) => error);
  const after = redis.get("keep");
  const later = redis.incr("counter");
  assert.equal(await before, 1);
  assert.equal(await after, "precious");
  assert.equal(await later, 2);
  return await outcome;
}

/** The refusal every case expects: a ReplyError naming the database and the command. */
function assertRefused(
  error: unknown,
  db: number,
  command: string,
  code: string,
  reason: RegExp,
): void {
  assert.ok(error instanceof ReplyError, String(error));
  assert.equal(error.code, code);
  assert.equal(error.command, command);
  assert.match(
    error.message,
    new RegExp(`^Cannot select database ${db}: `),
  );
  assert.match(error.message, reason);
  assert.match(error.message, new RegExp(`${command} was not sent\\)$`));
}

Deno.test("Redis refuses db(6) on a server with 4 databases and an ACL user without CONFIG, and database 0 keeps its data", async () => {
  await using server = await startRedisServer({ args: ["--databases", "4"] });
  using admin = await RawConnection.connect({ port: server.port });
  assert.equal(
    await admin.command([
      "ACL",
      "SETUSER",
      "app",
      "on",
      ">pw",
      "~*",
      "+@all",
      "-config",
    ]),
    "+OK\r\n",
  );
  await using redis = await connect({
    port: server.port,
    username: "app",
    password: "pw",
  });
  // CONFIG is denied: the client cannot know the database count.
  assert.equal(redis.db(6).database, 6);
  const events = recordEvents(redis, ["disconnect", "close", "error"]);
  await redis.set("keep", "precious");
  const error = await aroundRefusal(redis, () => redis.db(6).flushdb());
  assertRefused(error, 6, "FLUSHDB", "ERR", /DB index is out of range/);
  // Fire-and-forget: the same refusal, as an event.
  redis.fireAndForget.db(6).set("x", "y");
  assert.equal(await redis.get("keep"), "precious");
  assert.equal(events.length, 1);
  const event = events[0] as RedisErrorEvent;
  assertRefused(event.error, 6, "SET", "ERR", /out of range/);
  assert.equal(redis.closed, false);
  assert.equal(await admin.command(["DBSIZE"]), ":2\r\n");
  // Database 3 exists: the probe succeeds and the command runs there.
  assert.equal(await redis.db(3).set("three", "3"), "OK");
  assert.equal(await admin.command(["SELECT", "3"]), "+OK\r\n");
  assert.equal(await admin.command(["GET", "three"]), "$1\r\n3\r\n");
});

Deno.test("Redis refuses db(n) for an ACL user without +select (NOPERM), and no data moves", async () => {
  await using server = await startRedisServer();
  using admin = await RawConnection.connect({ port: server.port });
  assert.equal(
    await admin.command([
      "ACL",
      "SETUSER",
      "nosel",
      "on",
      ">pw",
      "~*",
      "+@all",
      "-select",
    ]),
    "+OK\r\n",
  );
  await using redis = await connect({
    port: server.port,
    username: "nosel",
    password: "pw",
  });
  await redis.set("keep", "precious");
  const error = await aroundRefusal(
    redis,
    () => redis.db(1).set("keep", "overwritten"),
  );
  assertRefused(error, 1, "SET", "NOPERM", /select/);
  assert.equal(await redis.get("keep"), "precious");
  assert.equal(await admin.command(["SELECT", "1"]), "+OK\r\n");
  assert.equal(await admin.command(["DBSIZE"]), ":0\r\n");
  assert.equal(redis.closed, false);
});

Deno.test("Redis refuses db(n) on a server in cluster mode and keeps serving database 0", async () => {
  await using server = await startRedisServer({
    args: ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"],
  });
  using admin = await RawConnection.connect({ port: server.port });
  assert.equal(
    await admin.command(["CLUSTER", "ADDSLOTSRANGE", "0", "16383"]),
    "+OK\r\n",
  );
  await using redis = await connect({ port: server.port });
  // The node needs a moment to consider its slots served.
  for (let i = 0; i < 100; i++) {
    const state = await redis.send("CLUSTER", "INFO") as string;
    if (/cluster_state:ok/.test(state)) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await redis.set("keep", "precious");
  const error = await aroundRefusal(redis, () => redis.db(2).flushdb());
  assertRefused(error, 2, "FLUSHDB", "ERR", /not allowed in cluster mode/);
  assert.equal(await redis.dbsize(), 2);
  assert.equal(redis.closed, false);
});

/**
 * A proxy in front of a real server that answers SELECT with an error itself
 * (as proxies without database support do) and forwards every other command,
 * one at a time, in order.
 */
async function refusingProxy(
  port: number,
  client: FakeConnection,
  selects: string[][],
): Promise<void> {
  using upstream = await RawConnection.connect({ port });
  for (;;) {
    const command = await client.readRawCommand();
    if (command === null) return;
    const words = command.map((arg) => new TextDecoder().decode(arg));
    if (words[0]!.toUpperCase() === "SELECT") {
      selects.push(words);
      await client.write(
        "-ERR unknown command 'SELECT', with args beginning with: \r\n",
      );
      continue;
    }
    const reply = await upstream.command(command);
    if (reply === null) return;
    await client.write(reply);
  }
}

Deno.test("Redis refuses db(n) behind a proxy that does not know SELECT, and the proxy sees nothing behind the SELECT", async () => {
  await using server = await startRedisServer();
  await using fake = await startFakeServer();
  const selects: string[][] = [];
  const accepted = fake.accept();
  const connecting = connect({ port: fake.port });
  const client = await accepted;
  const proxying = refusingProxy(server.port, client, selects);
  const redis = await connecting;
  await redis.set("keep", "precious");
  const error = await aroundRefusal(redis, () => redis.db(5).flushdb());
  assertRefused(error, 5, "FLUSHDB", "ERR", /unknown command 'SELECT'/);
  // A second use probes again (nothing is remembered as refused) and fails
  // the same way; database 0 is untouched.
  const again = await redis.db(5).del("keep").catch((e: unknown) => e);
  assertRefused(again, 5, "DEL", "ERR", /unknown command/);
  assert.deepEqual(selects, [["SELECT", "5"], ["SELECT", "5"]]);
  assert.equal(await redis.get("keep"), "precious");
  assert.equal(redis.closed, false);
  await redis.close();
  client.close();
  await proxying.catch(() => {});
});

Deno.test("Redis tells the commands behind a SELECT refused after an ACL change where they ran, and keeps the connection", async () => {
  await using server = await startRedisServer();
  using admin = await RawConnection.connect({ port: server.port });
  assert.equal(
    await admin.command(["ACL", "SETUSER", "app", "on", ">pw", "~*", "+@all"]),
    "+OK\r\n",
  );
  await using redis = await connect({
    port: server.port,
    username: "app",
    password: "pw",
  });
  // Database 4 is confirmed: from now on SELECT 4 is pipelined inline.
  assert.equal(await redis.db(4).set("four", "4"), "OK");
  assert.equal(await redis.set("keep", "precious"), "OK");
  assert.equal(
    await admin.command(["ACL", "SETUSER", "app", "-select"]),
    "+OK\r\n",
  );
  const [stray, zero] = await Promise.all([
    redis.db(4).get("keep").catch((e: unknown) => e),
    redis.get("keep"),
  ]);
  // The GET ran in database 0 (where the server stayed), and says so.
  assert.ok(stray instanceof ReplyError, String(stray));
  assert.equal(stray.code, "NOPERM");
  assert.equal(stray.command, "GET");
  assert.match(
    stray.message,
    /^Cannot run GET in database 4: SELECT was refused \(NOPERM.*\), so it ran in database 0$/,
  );
  assert.equal(zero, "precious");
  // Database 4 is no longer confirmed: the next use probes, and is refused.
  const probed = await redis.db(4).get("four").catch((e: unknown) => e);
  assertRefused(probed, 4, "GET", "NOPERM", /select/);
  assert.equal(redis.closed, false);
  assert.equal(await redis.ping(), "PONG");
});

Deno.test("Redis writes the first SELECT to a database alone and pipelines it inline once confirmed", async () => {
  await using fake = await startFakeServer();
  const accepted = fake.accept();
  const connecting = connect({ port: fake.port, protocol: 2 });
  const conn = await accepted;
  await answerHandshake(conn);
  const redis = await connecting;
  const first = redis.db(7).get("a");
  const behind = redis.get("b");
  assert.deepEqual(await conn.readCommand(), ["SELECT", "7"]);
  // Nothing follows the probe until it is answered.
  const next = conn.readCommand();
  const early = await Promise.race([
    next,
    new Promise((resolve) => setTimeout(() => resolve("nothing"), 50)),
  ]);
  assert.equal(early, "nothing");
  await conn.write("+OK\r\n");
  assert.deepEqual(await next, ["GET", "a"]);
  assert.deepEqual(await conn.readCommand(), ["SELECT", "0"]);
  assert.deepEqual(await conn.readCommand(), ["GET", "b"]);
  await conn.write("$1\r\nA\r\n+OK\r\n$1\r\nB\r\n");
  assert.equal(await first, "A");
  assert.equal(await behind, "B");
  // Confirmed: SELECT 7 now goes inline, in the same write as its command.
  const again = redis.db(7).get("c");
  assert.deepEqual(await conn.readCommand(), ["SELECT", "7"]);
  assert.deepEqual(await conn.readCommand(), ["GET", "c"]);
  await conn.write("+OK\r\n$1\r\nC\r\n");
  assert.equal(await again, "C");
  const closing = redis.close();
  conn.close();
  await closing;
});
