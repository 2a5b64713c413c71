// Views of one client: db(), binary and fireAndForget compose in any order
// and are cached; db() checks its index synchronously; send() refuses the
// commands that would break the shared connection; listeners
// on a view are the client's; the client inspects without secrets.

import assert from "node:assert/strict";
import { connect, type RedisErrorEvent, type RedisView } from "../../mod.ts";
import { RawConnection } from "../_support/raw_connection.ts";
import { startRedisServer } from "../_support/redis_server.ts";

const utf8 = new TextEncoder();

/** The `db=` field of CLIENT INFO sent through `view`. */
async function serverSideDb(
  view: RedisView<"promise", string>,
): Promise<number> {
  const info = await view.send("CLIENT", "INFO");
  const match = String(info).match(/ db=(\d+) /);
  assert.ok(match, String(info));
  return Number(match[1]);
}

/** Calls of `command` since the server started, from INFO commandstats. */
async function commandCalls(port: number, command: string): Promise<number> {
  using admin = await RawConnection.connect({ port });
  const info = await admin.command(["INFO", "commandstats"]) ?? "";
  const name = command.replace("|", "\\|");
  const match = info.match(new RegExp(`cmdstat_${name}:calls=(\\d+)`));
  return match === null ? 0 : Number(match[1]);
}

/** 100 concurrent GETs of distinct keys, each checked against its own value. */
async function hundredGets(
  redis: RedisView<"promise", string>,
): Promise<void> {
  const nonce = crypto.randomUUID();
  await redis.mset(
    Array.from({ length: 100 }, (_, i): [string, string] => [
      `get:${i}`,
      `${nonce}:${i}`,
    ]),
  );
  const values = await Promise.all(
    Array.from({ length: 100 }, (_, i) => redis.get(`get:${i}`)),
  );
  assert.deepEqual(
    values,
    Array.from({ length: 100 }, (_, i) => `${nonce}:${i}`),
  );
}

Deno.test("Redis.db() of a view replaces its database: db(2).db(5) is database 5", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  const view = redis.db(2).db(5);
  assert.equal(view.database, 5);
  assert.equal(await serverSideDb(view), 5);
  await view.set("where", "five");
  assert.equal(await redis.db(5).get("where"), "five");
  assert.equal(await redis.db(2).get("where"), null);
  assert.equal(await redis.get("where"), null);
  assert.equal(redis.fireAndForget.db(9).binary.db(2).database, 2);
});

Deno.test("Redis views are cached and compose in any order", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  assert.equal(redis.db(3), redis.db(3));
  assert.equal(redis.db(0), redis);
  assert.equal(redis.db(4).db(0), redis);
  assert.equal(redis.binary, redis.binary);
  assert.equal(redis.db(2).binary, redis.binary.db(2));
  assert.equal(
    redis.db(3).fireAndForget.binary,
    redis.binary.fireAndForget.db(3),
  );
  assert.equal(
    redis.fireAndForget.db(7).binary,
    redis.db(7).binary.fireAndForget,
  );
  assert.notEqual(redis.db(3), redis.db(3).binary);
  assert.notEqual(redis.db(3), redis.db(3).fireAndForget);
  assert.equal(redis.db(3).binary.database, 3);
});

Deno.test("Redis.db() throws RangeError synchronously for an index the server does not have", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  for (const index of [-1, 1.5, 16, NaN, Infinity, 2 ** 53]) {
    assert.throws(() => redis.db(index), RangeError, `db(${index})`);
    assert.throws(() => redis.fireAndForget.db(index), RangeError);
    assert.throws(() => redis.binary.db(index), RangeError);
  }
  // The server has 16 databases (CONFIG GET databases in the handshake).
  assert.throws(() => redis.db(16), /from 0 to 15/);
  assert.equal(redis.db(15).database, 15);
});

const REFUSED: [string, ...(string | number)[]][] = [
  ["SELECT", 1],
  ["select", 2],
  ["MULTI"],
  ["EXEC"],
  ["DISCARD"],
  ["WATCH", "k"],
  ["UNWATCH"],
  ["SUBSCRIBE", "ch"],
  ["PSUBSCRIBE", "p*"],
  ["MONITOR"],
  ["CLIENT", "REPLY", "OFF"],
  ["client", "reply", "skip"],
  ["QUIT"],
  ["RESET"],
  ["HELLO", 3],
  ["AUTH", "pw"],
  // No reply at all from a client that is not a replica: every later reply
  // would go to the caller before.
  ["REPLCONF", "ACK", 0],
  ["replconf", "getack", "*"],
  // The Lua debugger answers later commands with its own replies.
  ["SCRIPT", "DEBUG", "SYNC"],
  ["script", "debug", "yes"],
];

Deno.test("Redis.send() refuses commands that would break the shared connection", async (t) => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  const selectsBefore = await commandCalls(server.port, "select");

  for (const [command, ...args] of REFUSED) {
    await t.step(`${command} ${args.join(" ")}`, async () => {
      // A promise view returns a rejected promise; it never throws.
      let reply: Promise<unknown> | undefined;
      assert.doesNotThrow(() => {
        reply = redis.send(command, ...args);
      });
      // Raced with a deadline: a command that was sent may never be answered.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error("sent, and still unanswered after 2 s")),
          2_000,
        );
      });
      await assert.rejects(
        Promise.race([reply!, deadline]),
        (error: unknown) => {
          clearTimeout(timer);
          assert.ok(error instanceof TypeError, Deno.inspect(error));
          assert.match(error.message, new RegExp(command, "i"));
          return true;
        },
      );
      // A fire-and-forget view dispatches the refusal as an error event.
      const count = errors.length;
      assert.equal(redis.fireAndForget.send(command, ...args), undefined);
      assert.equal(errors.length, count + 1);
      assert.ok(errors[count]!.error instanceof TypeError);
      // Named with its subcommand where it has one ("CLIENT REPLY").
      const name = ["CLIENT", "SCRIPT"].includes(command.toUpperCase())
        ? `${command.toUpperCase()} ${String(args[0]).toUpperCase()}`
        : command.toUpperCase();
      assert.equal(errors[count]!.command, name);
    });
  }

  await t.step("afterwards 100 concurrent GETs are still correct", async () => {
    await hundredGets(redis);
    await hundredGets(redis.db(4));
  });
  await t.step("nothing refused reached the server", async () => {
    // Only the one SELECT that db(4) needed, and the handshake's HELLO.
    assert.equal(await commandCalls(server.port, "select"), selectsBefore + 1);
    assert.equal(await commandCalls(server.port, "hello"), 1);
    for (
      const command of [
        "multi",
        "exec",
        "watch",
        "subscribe",
        "monitor",
        "client|reply",
        "reset",
        "quit",
        "auth",
        "replconf",
        "script|debug",
      ]
    ) {
      assert.equal(await commandCalls(server.port, command), 0, command);
    }
  });
});

Deno.test("Redis.send() recognises a refused command however its name and keyword are given, and only then", async (t) => {
  await using server = await startRedisServer();
  // Each step has its own client: a command that slips through leaves its
  // connection in a state the next step must not inherit.
  const client = () => connect({ port: server.port, name: "bytes-keyword" });

  await t.step(
    "XREAD with BLOCK as a Uint8Array waits on a dedicated connection",
    async () => {
      await using redis = await client();
      // Were it sent on the shared connection, the XADD below would wait
      // behind it for the 5 s.
      const reply = redis.send(
        "XREAD",
        utf8.encode("BLOCK"),
        5_000,
        "STREAMS",
        "stream",
        "$",
      );
      let answered = false;
      void reply.finally(() => answered = true);
      // Let it block, then add what it waits for from the shared connection.
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(await redis.send("PING"), "PONG");
      assert.equal(answered, false);
      const id = await redis.send("XADD", "stream", "*", "f", "v");
      assert.deepEqual(await reply, new Map([["stream", [[id, ["f", "v"]]]]]));
    },
  );

  await t.step(
    "SELECT as a Uint8Array command name (untyped callers)",
    async () => {
      await using redis = await client();
      const command = utf8.encode("SELECT") as unknown as string;
      const outcome = await redis.send(command, 3).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      assert.ok(
        "error" in outcome && outcome.error instanceof TypeError,
        `SELECT was sent and answered ${Deno.inspect(outcome)}; the server ` +
          `now runs database-0 commands in ${
            String(await redis.send("CLIENT", "INFO")).match(/ db=\d+/)
          }`,
      );
    },
  );

  await t.step(
    "XREAD of a stream named block is not blocking and is sent",
    async () => {
      await using redis = await client();
      assert.equal(
        await redis.send("XADD", "block", "1-1", "field", "value"),
        "1-1",
      );
      assert.deepEqual(
        await redis.send("XREAD", "COUNT", 1, "STREAMS", "block", "0"),
        new Map([["block", [["1-1", ["field", "value"]]]]]),
      );
    },
  );

  await t.step("CLIENT with REPLY as a Uint8Array", async () => {
    await using redis = await client();
    const id = await redis.send("CLIENT", "ID");
    const settle = (reply: Promise<unknown>) =>
      reply.then((value) => ({ value }), (error: unknown) => ({ error }));
    // SKIP rather than OFF: if it slips through, CLIENT gets no reply and the
    // first ECHO's is skipped, so the second ECHO's reply settles CLIENT.
    const skip = settle(redis.send("CLIENT", utf8.encode("REPLY"), "SKIP"));
    const first = settle(redis.echo("first"));
    const second = settle(redis.echo("second"));
    const outcome = await skip;
    if ("error" in outcome) {
      assert.ok(outcome.error instanceof TypeError, Deno.inspect(outcome));
      assert.deepEqual(await first, { value: "first" });
      assert.deepEqual(await second, { value: "second" });
      return;
    }
    // It was sent and the connection is out of step: kill it so the ECHOs
    // settle, then fail.
    using admin = await RawConnection.connect({ port: server.port });
    await admin.command(["CLIENT", "KILL", "ID", String(id)]);
    assert.fail(
      `CLIENT REPLY SKIP was sent: CLIENT was answered ${
        Deno.inspect(outcome)
      }, the ECHOs ${Deno.inspect(await first)} and ${
        Deno.inspect(await second)
      }`,
    );
  });
});

Deno.test("Redis view listeners receive the client's events", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  const seen: string[] = [];
  const onError = (event: RedisErrorEvent) =>
    seen.push(`error:${event.command}`);
  redis.db(3).addEventListener("error", onError);
  redis.binary.fireAndForget.addEventListener("push", (event) => {
    seen.push(`push:${event.data[0]}`);
  });
  redis.db(5).binary.addEventListener("close", () => seen.push("close"));

  await redis.set("text", "not a number");
  redis.fireAndForget.incr("text");
  assert.equal(
    await redis.send("DEBUG", "PROTOCOL", "push"),
    "Some real reply following the push reply",
  );
  // Removed through another view than the one it was added on.
  redis.db(9).removeEventListener("error", onError);
  redis.fireAndForget.incr("text");
  await redis.ping();
  await redis.close();
  assert.deepEqual(seen, ["error:INCR", "push:server-cpu-usage", "close"]);
});

Deno.test("Redis.binary.get returns bytes where Redis.get returns text for the same key", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  await redis.set("same", "héllo");
  const text = await redis.get("same");
  const bytes = await redis.binary.get("same");
  assert.equal(text, "héllo");
  assert.ok(bytes instanceof Uint8Array);
  assert.deepEqual(bytes, utf8.encode("héllo"));
  assert.deepEqual(await redis.db(0).binary.mget("same", "nosuch"), [
    utf8.encode("héllo"),
    null,
  ]);
  // Non-bulk replies are the same on both views.
  assert.equal(await redis.binary.strlen("same"), 6);
});

Deno.test("Deno.inspect(redis) shows the address, database and protocol", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ url: `${server.url}/4`, protocol: 2 });
  const text = Deno.inspect(redis);
  assert.match(text, new RegExp(`address: "127\\.0\\.0\\.1:${server.port}"`));
  assert.match(text, /db: 4/);
  assert.match(text, /protocol: 2/);
  assert.match(text, /closed: false/);
  await redis.close();
  assert.match(Deno.inspect(redis), /closed: true/);
});
