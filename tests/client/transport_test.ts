// The transports a client can use: TLS (certificate and server-name checks),
// unix sockets, and the database chosen in the URL. Every mismatch fails
// connect() with a typed error instead of hanging.

import assert from "node:assert/strict";
import {
  connect,
  ConnectionError,
  type Redis,
  TimeoutError,
} from "../../mod.ts";
import { startFakeServer } from "../_support/fake_server.ts";
import { startRedisServer } from "../_support/redis_server.ts";

/** The `db=` field of CLIENT INFO: the database the server says we are in. */
async function serverSideDb(redis: Redis): Promise<number> {
  const info = await redis.send("CLIENT", "INFO");
  assert.equal(typeof info, "string");
  const match = (info as string).match(/ db=(\d+) /);
  assert.ok(match, `no db= in ${info}`);
  return Number(match[1]);
}

/** Sets, reads back and deletes a binary value and a pipelined batch: the transport carries real traffic. */
async function roundTrip(redis: Redis): Promise<void> {
  const bytes = new Uint8Array(256 * 1024);
  for (let i = 0; i < bytes.length; i++) bytes[i] = i % 256;
  assert.equal(await redis.set("transport:bytes", bytes), "OK");
  assert.deepEqual(await redis.binary.get("transport:bytes"), bytes);
  const replies = await Promise.all(
    Array.from({ length: 500 }, (_, i) => redis.echo(`m${i}`)),
  );
  assert.deepEqual(replies, Array.from({ length: 500 }, (_, i) => `m${i}`));
  assert.equal(await redis.del("transport:bytes"), 1);
}

/** Asserts a connect() failure is a ConnectionError whose cause names a certificate problem. */
function certificateRejected(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof ConnectionError, Deno.inspect(error));
    assert.ok(error.cause instanceof Error, "the system error is the cause");
    assert.match(error.cause.message, /certificate/i);
    assert.match(error.cause.message, pattern);
    return true;
  };
}

Deno.test("connect() speaks TLS to a rediss: URL or tls options, verifying the server", async (t) => {
  await using server = await startRedisServer({ tls: true });
  const certs = server.certs!;
  const tls = { caCerts: [certs.caCert] };

  await t.step("rediss: URL plus caCerts", async () => {
    await using redis = await connect({ url: server.tlsUrl, tls });
    await roundTrip(redis);
  });

  await t.step("options only: port and tls", async () => {
    await using redis = await connect({ port: server.tlsPort, tls });
    await roundTrip(redis);
  });

  await t.step(
    "serverName localhost for 127.0.0.1 (the cert names both)",
    async () => {
      await using redis = await connect({
        port: server.tlsPort,
        tls: { ...tls, serverName: "localhost" },
      });
      assert.equal(await redis.ping(), "PONG");
    },
  );

  await t.step("an unknown CA is rejected with ConnectionError", async () => {
    await assert.rejects(
      connect({ url: server.tlsUrl, tls: { caCerts: [certs.wrongCaCert] } }),
      certificateRejected(/UnknownIssuer/),
    );
  });

  await t.step(
    "the system store alone does not trust the test CA",
    async () => {
      await assert.rejects(
        connect({ url: server.tlsUrl }),
        certificateRejected(/UnknownIssuer/),
      );
    },
  );

  await t.step(
    "a serverName the certificate does not name is rejected",
    async () => {
      await assert.rejects(
        connect({
          url: server.tlsUrl,
          tls: { ...tls, serverName: "other.example" },
        }),
        certificateRejected(/other\.example|not valid for name/),
      );
    },
  );
});

Deno.test("connect() accepts a certificate for another name only with that serverName", async (t) => {
  await using server = await startRedisServer({ tls: true });
  const certs = server.certs!;
  // A second TLS server serving the cert valid only for DNS:other.example.
  // Its files live in the first server's dir, which outlives it.
  await using other = await startRedisServer({
    tls: true,
    args: [
      "--tls-cert-file",
      certs.otherNameCertPath,
      "--tls-key-file",
      certs.otherNameKeyPath,
    ],
  });
  const caCerts = [certs.caCert];

  await t.step("rejected for 127.0.0.1", async () => {
    await assert.rejects(
      connect({ url: other.tlsUrl, tls: { caCerts } }),
      certificateRejected(/other\.example|not valid for name/),
    );
  });

  await t.step("rejected for localhost", async () => {
    await assert.rejects(
      connect({
        port: other.tlsPort,
        tls: { caCerts, serverName: "localhost" },
      }),
      certificateRejected(/other\.example|not valid for name/),
    );
  });

  await t.step("accepted with serverName other.example", async () => {
    await using redis = await connect({
      url: other.tlsUrl,
      tls: { caCerts, serverName: "other.example" },
    });
    await roundTrip(redis);
  });
});

/**
 * Asserts a connect() failure is a ConnectionError naming `port`, whose
 * message matches `hint`, that claims no command may have run and came
 * within `ms`.
 */
async function mismatch(
  attempt: Promise<unknown>,
  port: number,
  hint: RegExp,
  ms = 2_000,
): Promise<void> {
  const started = performance.now();
  await assert.rejects(attempt, (error: unknown) => {
    assert.ok(error instanceof ConnectionError, Deno.inspect(error));
    assert.match(
      error.message,
      new RegExp(`^Cannot connect to 127\\.0\\.0\\.1:${port}: `),
    );
    assert.match(error.message, hint);
    assert.doesNotMatch(error.message, /may have/);
    assert.equal(error.mayHaveExecuted, false);
    return true;
  });
  const elapsed = performance.now() - started;
  assert.ok(elapsed < ms, `failed after ${Math.round(elapsed)} ms`);
}

const PLAINTEXT =
  /answers in plaintext on this port, not in TLS: use a redis:\/\/ URL/;
const TLS_PORT = /a TLS port\? then use a rediss:\/\/ URL or tls: true/;

Deno.test("connect() fails fast with a hint when the scheme does not match the port", async (t) => {
  await using server = await startRedisServer({ tls: true });
  const certs = server.certs!;
  const caCerts = [certs.caCert];

  await t.step(
    "rediss: to the plain port: within ~0.5 s, not the 10 s connectTimeout",
    async () => {
      // Redis reads the ClientHello as the start of an inline command and
      // waits for its end: a plaintext PING on a second socket tells why.
      await mismatch(
        connect({ url: `rediss://127.0.0.1:${server.port}`, tls: { caCerts } }),
        server.port,
        PLAINTEXT,
      );
    },
  );

  await t.step("the same with a client certificate", async () => {
    await mismatch(
      connect({
        url: `rediss://127.0.0.1:${server.port}`,
        tls: { caCerts, cert: certs.clientCert, key: certs.clientKey },
      }),
      server.port,
      PLAINTEXT,
    );
  });

  await t.step("redis: to the TLS port", async () => {
    // The TLS listener drops a connection that does not start a handshake.
    await mismatch(
      connect(`redis://127.0.0.1:${server.tlsPort}`),
      server.tlsPort!,
      TLS_PORT,
    );
    await mismatch(
      connect({ url: `redis://127.0.0.1:${server.tlsPort}`, protocol: 2 }),
      server.tlsPort!,
      TLS_PORT,
    );
  });

  await t.step("both ports still work", async () => {
    await using plain = await connect(server.url);
    assert.equal(await plain.ping(), "PONG");
    await using tls = await connect({ url: server.tlsUrl, tls: { caCerts } });
    assert.equal(await tls.ping(), "PONG");
  });
});

Deno.test("connect() tells a plaintext port that wants a password from a TLS one", async () => {
  await using server = await startRedisServer({ password: "pw" });
  // It answers the probe's PING with -NOAUTH: still plaintext.
  await mismatch(
    connect({ url: `rediss://:pw@127.0.0.1:${server.port}` }),
    server.port,
    PLAINTEXT,
  );
});

Deno.test("connect() names TLS when a plaintext client gets a TLS record back", async () => {
  await using fake = await startFakeServer();
  const served = (async () => {
    const conn = await fake.accept();
    await conn.conn.read(new Uint8Array(4096));
    // A TLS 1.2 fatal alert record: protocol_version (70).
    await conn.write(
      new Uint8Array([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46]),
    );
    conn.close();
  })();
  await mismatch(
    connect(fake.url),
    fake.port,
    /answers in TLS on this port: use a rediss:\/\/ URL/,
  );
  await served;
});

Deno.test("connect() names plaintext when a TLS client gets a RESP error back", async () => {
  await using fake = await startFakeServer();
  const served = (async () => {
    const conn = await fake.accept();
    await conn.conn.read(new Uint8Array(4096));
    // What Redis answers when the ClientHello holds a line feed.
    await conn.write("-ERR unknown command\r\n");
    await conn.readCommand().catch(() => null);
    conn.close();
  })();
  await mismatch(
    connect({ url: `rediss://127.0.0.1:${fake.port}` }),
    fake.port,
    /did not answer in TLS \(a plaintext port\? then use a redis:\/\/ URL/,
  );
  await served;
});

Deno.test("connect() over TLS to a port that answers nothing waits out connectTimeout", async () => {
  // Never accepted: both the handshake and the probe's PING go unanswered,
  // which proves nothing, so the probe does not end the attempt.
  await using fake = await startFakeServer();
  const started = performance.now();
  await assert.rejects(
    connect({ url: `rediss://127.0.0.1:${fake.port}`, connectTimeout: 1_200 }),
    TimeoutError,
  );
  assert.ok(performance.now() - started >= 1_100);
});

Deno.test("connect() uses a unix socket from a redis+unix: URL or the path option", async (t) => {
  await using server = await startRedisServer({ unixSocket: true });
  const path = server.socketPath!;

  await t.step("redis+unix: URL", async () => {
    await using redis = await connect(`redis+unix://${path}`);
    await roundTrip(redis);
    assert.equal(await serverSideDb(redis), 0);
    // The server sees a unix-socket client: no TCP address.
    const info = await redis.send("CLIENT", "INFO") as string;
    assert.match(info, /laddr=\S*redis\.sock/);
  });

  await t.step("redis+unix: URL with ?db=2", async () => {
    await using redis = await connect(`redis+unix://${path}?db=2`);
    assert.equal(redis.database, 2);
    assert.equal(await serverSideDb(redis), 2);
    await redis.set("unix:db2", "here");
    await using tcp = await connect({ port: server.port, db: 2 });
    assert.equal(await tcp.get("unix:db2"), "here");
  });

  await t.step("path option", async () => {
    await using redis = await connect({ path, db: 3 });
    await roundTrip(redis);
    assert.equal(await serverSideDb(redis), 3);
  });

  await t.step("a missing socket path is a ConnectionError", async () => {
    await assert.rejects(
      connect({ path: `${server.dir}/missing.sock` }),
      (error: unknown) => {
        assert.ok(error instanceof ConnectionError);
        assert.match(error.message, /missing\.sock/);
        return true;
      },
    );
  });
});

Deno.test("connect() selects the database given in the URL path", async () => {
  await using server = await startRedisServer();
  await using redis = await connect(`${server.url}/5`);
  assert.equal(redis.database, 5);
  assert.equal(await serverSideDb(redis), 5);
  await redis.set("in-five", "yes");
  await using other = await connect({ port: server.port });
  assert.equal(await other.get("in-five"), null);
  assert.equal(await other.db(5).get("in-five"), "yes");
});
