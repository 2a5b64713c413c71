// Proves the test harness in tests/_support works before anything relies on it.

import assert from "node:assert/strict";
import {
  assertRedisInstalled,
  isRedisInstalled,
  redisForTest,
  startRedisServer,
} from "./_support/redis_server.ts";
import { RawConnection, replyEnd } from "./_support/raw_connection.ts";
import {
  answerHandshake,
  parseCommand,
  startFakeServer,
} from "./_support/fake_server.ts";
import { makeTlsCerts } from "./_support/tls_certs.ts";

const encoder = new TextEncoder();

function portIsFree(port: number): boolean {
  try {
    Deno.listen({ hostname: "127.0.0.1", port }).close();
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) return false;
    throw error;
  }
}

Deno.test("isRedisInstalled finds the Debian redis-server", () => {
  assert.equal(isRedisInstalled(), true);
  assertRedisInstalled();
});

Deno.test("startRedisServer answers PING, and stop() frees its port", async () => {
  const started = performance.now();
  await using server = await startRedisServer();
  const startMs = performance.now() - started;
  assert.ok(startMs < 2_000, `took ${startMs} ms to start`);
  assert.equal(server.url, `redis://127.0.0.1:${server.port}`);
  {
    using conn = await RawConnection.connect(server);
    assert.equal(await conn.command(["PING"]), "+PONG\r\n");
    // Started with --enable-debug-command local.
    assert.equal(await conn.command(["HELLO", "3"]) !== null, true);
    assert.equal(await conn.command(["DEBUG", "PROTOCOL", "true"]), "#t\r\n");
  }
  await server.stop();
  assert.equal((await server.exited).success, true);
  assert.equal(portIsFree(server.port), true);
});

Deno.test("RedisServer.restart() keeps the port and, with appendOnly, the data", async () => {
  await using server = await startRedisServer({ appendOnly: true });
  {
    using conn = await RawConnection.connect(server);
    assert.equal(await conn.command(["SET", "k", "survives"]), "+OK\r\n");
  }
  const port = server.port;
  server.kill("SIGKILL");
  assert.equal((await server.exited).signal, "SIGKILL");
  await server.restart();
  assert.equal(server.port, port);
  using conn = await RawConnection.connect(server);
  assert.equal(await conn.command(["GET", "k"]), "$8\r\nsurvives\r\n");
});

Deno.test("RedisServer.stop() ends a SIGSTOPped server", async () => {
  await using server = await startRedisServer();
  server.kill("SIGSTOP");
  {
    using conn = await RawConnection.connect(server);
    await assert.rejects(
      conn.command(["PING"], { timeoutMs: 100 }),
      Deno.errors.TimedOut,
    );
  }
  await server.stop();
  assert.equal((await server.exited).signal, null);
});

Deno.test("startRedisServer({ unixSocket }) listens on <dir>/redis.sock", async (t) => {
  await using server = await startRedisServer({ unixSocket: true });
  const path = server.socketPath!;
  assert.equal(path, `${server.dir}/redis.sock`);
  assert.equal((await Deno.lstat(path)).isSocket, true);
  {
    using admin = await RawConnection.connect(server);
    assert.equal(
      await admin.command(["CONFIG", "GET", "unixsocket"]),
      `*2\r\n$10\r\nunixsocket\r\n$${path.length}\r\n${path}\r\n`,
    );
  }
  // Deno scopes unix sockets by exact path: the temp path is only reachable
  // when the run has plain `net` permission.
  const granted = Deno.permissions.querySync({
    name: "net",
    host: `unix:${path}`,
  });
  await t.step({
    name: "answers PING over the socket (needs net permission for unix:<path>)",
    ignore: granted.state !== "granted",
    fn: async () => {
      using conn = await RawConnection.connect({ path });
      assert.equal(await conn.command(["PING"]), "+PONG\r\n");
    },
  });
});

Deno.test("startRedisServer({ tls }) verifies with caCert and is rejected with wrongCaCert", async () => {
  await using server = await startRedisServer({ tls: true });
  const certs = server.certs!;
  {
    using conn = new RawConnection(
      await Deno.connectTls({
        hostname: "127.0.0.1",
        port: server.tlsPort!,
        caCerts: [certs.caCert],
      }),
    );
    assert.equal(await conn.command(["PING"]), "+PONG\r\n");
  }
  {
    using conn = new RawConnection(
      await Deno.connectTls({
        hostname: "localhost",
        port: server.tlsPort!,
        caCerts: [certs.caCert],
      }),
    );
    assert.equal(await conn.command(["PING"]), "+PONG\r\n");
  }
  // The handshake (and its failure) happens on first use.
  const wrong = await Deno.connectTls({
    hostname: "127.0.0.1",
    port: server.tlsPort!,
    caCerts: [certs.wrongCaCert],
  });
  try {
    await assert.rejects(wrong.handshake(), /UnknownIssuer/);
  } finally {
    wrong.close();
  }
});

Deno.test("makeTlsCerts' otherName cert is rejected for 127.0.0.1", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const certs = await makeTlsCerts(dir);
    assert.equal(await Deno.readTextFile(certs.caCertPath), certs.caCert);
    using listener = Deno.listenTls({
      hostname: "127.0.0.1",
      port: 0,
      cert: certs.otherNameCert,
      key: certs.otherNameKey,
    });
    const accepted = listener.accept().then(async (conn) => {
      try {
        await conn.handshake();
      } catch {
        // The client aborts the handshake: expected.
      } finally {
        conn.close();
      }
    });
    const client = await Deno.connectTls({
      hostname: "127.0.0.1",
      port: listener.addr.port,
      caCerts: [certs.caCert],
    });
    try {
      await assert.rejects(
        client.handshake(),
        /not valid for name "127\.0\.0\.1"/,
      );
    } finally {
      client.close();
    }
    await accepted;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("startRedisServer({ password }) answers -NOAUTH until AUTH", async () => {
  await using server = await startRedisServer({ password: "s3cret" });
  using conn = await RawConnection.connect(server);
  assert.match((await conn.command(["PING"]))!, /^-NOAUTH /);
  assert.equal(await conn.command(["AUTH", "s3cret"]), "+OK\r\n");
  assert.equal(await conn.command(["PING"]), "+PONG\r\n");
});

Deno.test("startRedisServer passes args through and reports config errors", async (t) => {
  await t.step("args reach the server", async () => {
    await using server = await startRedisServer({
      args: ["--proto-max-bulk-len", "1mb"],
    });
    using conn = await RawConnection.connect(server);
    assert.equal(
      await conn.command(["CONFIG", "GET", "proto-max-bulk-len"]),
      "*2\r\n$18\r\nproto-max-bulk-len\r\n$7\r\n1048576\r\n",
    );
  });
  await t.step(
    "a bad directive fails fast with the server's message",
    async () => {
      await assert.rejects(
        startRedisServer({ args: ["--no-such-directive", "1"] }),
        /Bad directive/,
      );
    },
  );
});

Deno.test("redisForTest gives a reachable Redis", async () => {
  await using redis = await redisForTest();
  using conn = await RawConnection.connect(redis);
  // REDIS_URL may carry credentials.
  const { username, password } = new URL(redis.url);
  if (password) {
    const user = username ? [decodeURIComponent(username)] : [];
    assert.equal(
      await conn.command(["AUTH", ...user, decodeURIComponent(password)]),
      "+OK\r\n",
    );
  }
  assert.equal(await conn.command(["PING"]), "+PONG\r\n");
});

Deno.test("parseCommand is binary-safe and waits for whole commands", () => {
  const wire = encoder.encode(
    "*2\r\n$3\r\nSET\r\n$8\r\né\r\n€x\r\n*1\r\n$4\r\nPING\r\n",
  );
  const first = parseCommand(wire)!;
  assert.deepEqual(first.args.map((a) => new TextDecoder().decode(a)), [
    "SET",
    "é\r\n€x",
  ]);
  assert.deepEqual(parseCommand(wire.subarray(first.end))!.args.length, 1);
  for (let cut = 0; cut < first.end; cut++) {
    assert.equal(
      parseCommand(wire.subarray(0, cut)),
      undefined,
      `cut at ${cut}`,
    );
  }
  assert.throws(
    () => parseCommand(encoder.encode("*1\r\n:3\r\n")),
    /expected '\$'/,
  );
});

Deno.test("FakeServer parses a command split byte by byte, and several in one read", async () => {
  await using fake = await startFakeServer();
  using client = await RawConnection.connect(fake);
  const accepted = await fake.accept();
  const wire = encoder.encode("*2\r\n$4\r\nECHO\r\n$4\r\na\r\nb\r\n");
  const reading = accepted.readCommand();
  for (const byte of wire) await client.write(Uint8Array.of(byte));
  assert.deepEqual(await reading, ["ECHO", "a\r\nb"]);

  await client.write("*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
  assert.deepEqual(await accepted.readCommand(), ["PING"]);
  assert.deepEqual(await accepted.readCommand(), ["GET", "k"]);
  await accepted.write("+PONG\r\n$-1\r\n");
  assert.equal(await client.readReply(), "+PONG\r\n");
  assert.equal(await client.readReply(), "$-1\r\n");

  client.close();
  assert.equal(await accepted.readCommand(), null);
  accepted.close();
  assert.equal(accepted.closed, true);
});

Deno.test("answerHandshake answers HELLO 3, SETINFO, CONFIG GET and SELECT like Redis 7", async () => {
  await using fake = await startFakeServer();
  using client = await RawConnection.connect(fake);
  const accepted = await fake.accept();
  await client.write(
    [
      "*3\r\n$4\r\nAUTH\r\n$4\r\nuser\r\n$2\r\npw\r\n",
      "*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n",
      "*4\r\n$6\r\nCLIENT\r\n$7\r\nSETINFO\r\n$8\r\nLIB-NAME\r\n$6\r\nsleeve\r\n",
      "*4\r\n$6\r\nCLIENT\r\n$7\r\nSETINFO\r\n$7\r\nLIB-VER\r\n$5\r\n0.1.0\r\n",
      "*3\r\n$6\r\nCONFIG\r\n$3\r\nGET\r\n$9\r\ndatabases\r\n",
      "*2\r\n$6\r\nSELECT\r\n$1\r\n2\r\n",
      "*1\r\n$4\r\nPING\r\n",
    ].join(""),
  );
  const seen = await answerHandshake(accepted, { protocol: 3 });
  assert.deepEqual(seen.map((c) => c[0]), [
    "AUTH",
    "HELLO",
    "CLIENT",
    "CLIENT",
    "CONFIG",
    "SELECT",
    "PING",
  ]);
  assert.equal(await client.readReply(), "+OK\r\n");
  const hello = (await client.readReply())!;
  assert.match(hello, /^%7\r\n\$6\r\nserver\r\n\$5\r\nredis\r\n/);
  assert.match(hello, /\$5\r\nproto\r\n:3\r\n/);
  assert.equal(
    replyEnd(encoder.encode(hello), 0),
    encoder.encode(hello).length,
  );
  for (let i = 0; i < 2; i++) assert.equal(await client.readReply(), "+OK\r\n");
  assert.equal(
    await client.readReply(),
    "%1\r\n$9\r\ndatabases\r\n$2\r\n16\r\n",
  );
  assert.equal(await client.readReply(), "+OK\r\n");
  assert.equal(await client.readReply(), "+PONG\r\n");

  // helloReply overrides the HELLO answer.
  using client2 = await RawConnection.connect(fake);
  const second = await fake.accept();
  await client2.write(
    "*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n" +
      "*4\r\n$6\r\nCLIENT\r\n$7\r\nSETINFO\r\n$7\r\nLIB-VER\r\n$5\r\n0.1.0\r\n" +
      "*3\r\n$6\r\nCONFIG\r\n$3\r\nGET\r\n$9\r\ndatabases\r\n" +
      "*1\r\n$4\r\nPING\r\n",
  );
  const seen2 = await answerHandshake(second, {
    helloReply: "-ERR unknown command 'HELLO'\r\n",
  });
  assert.equal(seen2.length, 4);
  assert.equal(await client2.readReply(), "-ERR unknown command 'HELLO'\r\n");
  assert.equal(await client2.readReply(), "+OK\r\n");
  // After a failed HELLO the connection speaks RESP2.
  assert.equal(
    await client2.readReply(),
    "*2\r\n$9\r\ndatabases\r\n$2\r\n16\r\n",
  );
});
