// What a real server cannot show: malformed or unmatched replies, a socket
// dying mid-frame, handshakes that fail or never finish. A fake server on
// Deno.listen plays the server; every case checks that each pending command
// settles with the right typed error and nothing hangs.

import assert from "node:assert/strict";
import {
  connect,
  ConnectionError,
  ProtocolError,
  type Redis,
  TimeoutError,
  UnexpectedReplyError,
} from "../../mod.ts";
import {
  connectToFake,
  type FakeConnection,
  type FakeServer,
  startFakeServer,
} from "../_support/fake_server.ts";
import { countUnhandled } from "../_support/events.ts";
import { startRedisServer } from "../_support/redis_server.ts";

/** Connects a client to the fake server and answers its handshake. */
function connected(
  fake: FakeServer,
  options: { protocol?: 2 | 3; helloReply?: string } = {},
): Promise<{ redis: Redis; conn: FakeConnection }> {
  // These tests pin what a failure does to the connection it happens on.
  return connectToFake(
    fake,
    { protocol: options.protocol ?? 3, reconnect: false },
    options,
  );
}

/** Issues three GETs and waits until the fake server has read them. */
async function threePending(redis: Redis, conn: FakeConnection) {
  const pending = [redis.get("a"), redis.get("b"), redis.get("c")].map((p) =>
    p.then((value) => ({ value }), (error: unknown) => ({ error }))
  );
  for (let i = 0; i < 3; i++) assert.ok(await conn.readCommand());
  return pending;
}

const MALFORMED: [string, string][] = [
  ["unknown type byte", "@foo\r\n"],
  ["unknown type byte (ampersand)", "&\r\n"],
  ["NUL type byte", "\x00\r\n"],
  ["bad bulk length", "$abc\r\n"],
  ["bulk length with a plus sign", "$+5\r\nhello\r\n"],
  ["bulk length with leading zeros", "$0005\r\nhello\r\n"],
  ["negative bulk length other than -1", "$-2\r\n"],
  ["negative array length other than -1", "*-2\r\n"],
  ["bulk length overflow", "$18446744073709551616\r\n"],
  ["bulk over maxBulkLength", "$536870913\r\n"],
  ["bulk without its CRLF", "$3\r\nabcXY"],
  ["line ending in LF only", "+OK\n"],
  ["CR not followed by LF", "+OK\rX"],
  ["malformed integer", ":12a\r\n"],
  ["integer over 64 bits", ":9223372036854775808\r\n"],
  ["malformed double", ",1.2.3\r\n"],
  ["malformed big number", "(12.5\r\n"],
  ["malformed boolean", "#x\r\n"],
  ["null with content", "_nil\r\n"],
  ["verbatim without a format", "=3\r\ntxt\r\n"],
  ["streamed part outside a streamed string", ";3\r\nabc\r\n"],
  ["end marker outside a streamed aggregate", ".\r\n"],
  ["push inside an array", "*2\r\n:1\r\n>1\r\n+x\r\n"],
  ["nesting deeper than maxDepth", "*1\r\n".repeat(1025) + ":1\r\n"],
];

Deno.test("Redis rejects every pending command with ProtocolError on each malformed reply kind", async (t) => {
  await using fake = await startFakeServer();
  for (const [name, bytes] of MALFORMED) {
    await t.step(name, async () => {
      const { redis, conn } = await connected(fake);
      const pending = await threePending(redis, conn);
      await conn.write(bytes);
      const results = await Promise.all(pending);
      for (const result of results) {
        assert.ok(
          "error" in result && result.error instanceof ProtocolError,
          `${name}: ${Deno.inspect(result)}`,
        );
      }
      assert.equal(redis.closed, true);
      await assert.rejects(redis.get("after"), ConnectionError);
      await redis.close();
      conn.close();
    });
  }
});

Deno.test("Redis delivers a valid reply before garbage in the same chunk, then rejects the rest", async () => {
  await using fake = await startFakeServer();
  const { redis, conn } = await connected(fake);
  const [first, second, third] = await threePending(redis, conn);
  await conn.write("$2\r\nok\r\n@@@");
  assert.deepEqual(await first, { value: "ok" });
  assert.ok(
    (await second as { error: unknown }).error instanceof ProtocolError,
  );
  assert.ok((await third as { error: unknown }).error instanceof ProtocolError);
  await redis.close();
  conn.close();
});

Deno.test("Redis treats a reply with no command waiting as a desync", async () => {
  await using fake = await startFakeServer();
  const { redis, conn } = await connected(fake, { protocol: 2 });
  const closed = new Promise<Event>((resolve) =>
    redis.addEventListener("close", resolve)
  );
  const got = redis.get("a");
  await conn.readCommand();
  // One reply too many: the second cannot be matched.
  await conn.write("$1\r\nx\r\n+OK\r\n");
  assert.equal(await got, "x");
  const event = await closed;
  assert.ok(
    (event as unknown as { error: unknown }).error instanceof ProtocolError,
  );
  await assert.rejects(redis.get("b"), ConnectionError);
  await redis.close();
  conn.close();
});

Deno.test("Redis fails only the caller whose complete reply has the wrong shape", async () => {
  await using fake = await startFakeServer();
  const { redis, conn } = await connected(fake);
  const [first, second, third] = await threePending(redis, conn);
  // GET cannot answer with an integer, but the frame is complete: the stream
  // is in step, so only that caller fails.
  await conn.write(":1\r\n$2\r\nhi\r\n$3\r\nyou\r\n");
  const error = (await first as { error: unknown }).error;
  assert.ok(error instanceof UnexpectedReplyError, String(error));
  assert.equal(error.command, "GET");
  assert.equal(
    error.message,
    "Cannot decode reply to GET: expected a string, received number",
  );
  assert.deepEqual(await second, { value: "hi" });
  assert.deepEqual(await third, { value: "you" });
  assert.equal(redis.closed, false);
  const next = redis.get("d");
  await conn.readCommand();
  await conn.write("$1\r\nz\r\n");
  assert.equal(await next, "z");
  await redis.close();
  conn.close();
});

Deno.test("Redis fails only the commands for a database whose first SELECT is not answered OK", async () => {
  await using fake = await startFakeServer();
  const { redis, conn } = await connected(fake);
  const pending = redis.db(2).get("a").then(() => "resolved", (error) => error);
  // The first SELECT to a database is a probe: nothing follows it until it
  // is answered.
  assert.deepEqual(await conn.readCommand(), ["SELECT", "2"]);
  await conn.write(":1\r\n");
  const error = await pending;
  assert.ok(error instanceof UnexpectedReplyError, String(error));
  assert.match(error.message, /^Cannot select database 2: .*GET was not sent/);
  assert.equal(redis.closed, false);
  // The socket carries on in database 0.
  const next = redis.get("b");
  assert.deepEqual(await conn.readCommand(), ["GET", "b"]);
  await conn.write("$1\r\ny\r\n");
  assert.equal(await next, "y");
  await redis.close();
  conn.close();
});

Deno.test("Redis routes RESP3 push frames to the push event, never to a caller", async () => {
  await using fake = await startFakeServer();
  const { redis, conn } = await connected(fake);
  const pushes: unknown[] = [];
  redis.addEventListener("push", (event) => pushes.push(event.data));
  const got = redis.get("a");
  await conn.readCommand();
  await conn.write(
    ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\na\r\n$5\r\nvalue\r\n>1\r\n+late\r\n",
  );
  assert.equal(await got, "value");
  // Both pushes came in the same chunk as the reply, so both are dispatched.
  assert.deepEqual(pushes, [["invalidate", ["a"]], ["late"]]);
  await redis.close();
  conn.close();
});

Deno.test("Redis rejects every pending command with ConnectionError when the server closes mid-reply", async () => {
  await using fake = await startFakeServer();
  const { redis, conn } = await connected(fake);
  const pending = await threePending(redis, conn);
  await conn.write("$5\r\nhel");
  conn.close();
  for (const result of await Promise.all(pending)) {
    assert.ok(
      "error" in result && result.error instanceof ConnectionError,
      Deno.inspect(result),
    );
  }
  await redis.close();
});

Deno.test("Redis rejects pending commands with ConnectionError when the server closes with data unread", async () => {
  await using fake = await startFakeServer();
  const { redis, conn } = await connected(fake);
  const pending = [redis.get("a"), redis.get("b")].map((p) =>
    p.catch((error) => error)
  );
  // Close without reading what the client sent (the peer sees a reset).
  conn.close();
  for (const error of await Promise.all(pending)) {
    assert.ok(error instanceof ConnectionError, Deno.inspect(error));
  }
  await redis.close();
});

Deno.test("connect() falls back to RESP2 when the server has no HELLO", async () => {
  await using fake = await startFakeServer();
  const { redis, conn } = await connected(fake, {
    helloReply: "-ERR unknown command 'HELLO'\r\n",
  });
  assert.equal(redis.protocol, 2);
  const got = redis.get("a");
  await conn.readCommand();
  await conn.write("$-1\r\n");
  assert.equal(await got, null);
  await redis.close();
  conn.close();
});

Deno.test("connect() falls back to RESP2 on NOPROTO", async () => {
  await using fake = await startFakeServer();
  const { redis, conn } = await connected(fake, {
    helloReply: "-NOPROTO unsupported protocol version\r\n",
  });
  assert.equal(redis.protocol, 2);
  await redis.close();
  conn.close();
});

Deno.test("connect() writes the whole handshake in one write before any reply", async () => {
  await using fake = await startFakeServer();
  const accepted = fake.accept();
  const connecting = connect({
    port: fake.port,
    password: "pw",
    username: "ann",
    name: "app",
    db: 3,
  });
  const conn = await accepted;
  // Read every handshake command before answering any of them.
  const seen: string[][] = [];
  for (let i = 0; i < 8; i++) seen.push((await conn.readCommand())!);
  assert.deepEqual(seen.map((c) => c.slice(0, 2).join(" ")), [
    "AUTH ann",
    "HELLO 3",
    "CLIENT SETNAME",
    "CLIENT SETINFO",
    "CLIENT SETINFO",
    "CONFIG GET",
    "SELECT 3",
    "PING",
  ]);
  const hello = "%1\r\n$5\r\nproto\r\n:3\r\n";
  await conn.write(
    `+OK\r\n${hello}+OK\r\n+OK\r\n+OK\r\n%1\r\n$9\r\ndatabases\r\n$2\r\n16\r\n+OK\r\n+PONG\r\n`,
  );
  const redis = await connecting;
  assert.equal(redis.protocol, 3);
  assert.equal(redis.database, 3);
  await redis.close();
  conn.close();
});

Deno.test("connect() fails with ConnectionError when the server closes during the handshake", async () => {
  await using fake = await startFakeServer();
  const accepted = fake.accept();
  const connecting = connect({ port: fake.port });
  const conn = await accepted;
  await conn.readCommand();
  conn.close();
  await assert.rejects(connecting, ConnectionError);
});

Deno.test("connect() fails with TimeoutError when the server never answers the handshake", async () => {
  await using fake = await startFakeServer();
  const accepted = fake.accept();
  const started = performance.now();
  const connecting = connect({ port: fake.port, connectTimeout: 200 });
  const conn = await accepted;
  await assert.rejects(connecting, (error: unknown) => {
    assert.ok(error instanceof TimeoutError);
    assert.match(error.message, /connectTimeout 200 ms/);
    return true;
  });
  assert.ok(performance.now() - started < 5_000);
  conn.close();
});

Deno.test("connect() fails with ConnectionError naming the address when nothing listens", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  await assert.rejects(connect({ port }), (error: unknown) => {
    assert.ok(error instanceof ConnectionError);
    assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.ok(error.cause instanceof Error);
    return true;
  });
});

Deno.test("connect() fails cleanly, with no unhandled rejection, when a handshake argument cannot be encoded", async () => {
  await using server = await startRedisServer();
  const unhandled = await countUnhandled(async () => {
    // "LIB-NAME" (CLIENT SETINFO) is 8 bytes: over a 7-byte limit.
    await assert.rejects(
      connect({ port: server.port, maxBulkLength: 7 }),
      /maxBulkLength 7/,
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
  });
  assert.equal(unhandled, 0);
});

Deno.test("Redis still writes the SELECT queued before an argument it refuses, so the health check stays quiet", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({
    port: server.port,
    maxBulkLength: 64,
    pingInterval: 50,
  });
  const disconnects: Event[] = [];
  redis.addEventListener("disconnect", (event) => disconnects.push(event));
  await assert.rejects(
    redis.db(1).set("k", "x".repeat(100)),
    /exceed maxBulkLength 64/,
  );
  // Four health checks: a stranded SELECT would leave a reply due forever.
  await new Promise((resolve) => setTimeout(resolve, 250));
  assert.deepEqual(disconnects, []);
  assert.equal(await redis.db(1).set("k", "v"), "OK");
  assert.equal(await redis.db(1).get("k"), "v");
  assert.equal(await redis.get("k"), null);
});
