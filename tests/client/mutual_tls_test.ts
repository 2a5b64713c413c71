// Mutual TLS against real servers that require client certificates
// (tls-auth-clients yes), and the server certificate's validity dates: each
// refusal is a ConnectionError that says what is wrong, never a hang.

import assert from "node:assert/strict";
import { connect, ConnectionError, type TlsOptions } from "../../mod.ts";
import {
  type RedisServer,
  startRedisServer,
} from "../_support/redis_server.ts";

/** A server on TLS that refuses clients without a certificate from its CA. */
function requireClientCerts(): Promise<RedisServer> {
  return startRedisServer({ tls: true, args: ["--tls-auth-clients", "yes"] });
}

/**
 * Asserts a connect() failure is a ConnectionError whose message says
 * `hint`, whose cause is the TLS error matching `cause`, that claims no
 * command may have run, and that came within 2 s (connectTimeout is 10 s).
 */
async function refused(
  attempt: Promise<unknown>,
  hint: RegExp,
  cause: RegExp,
): Promise<void> {
  const started = performance.now();
  await assert.rejects(attempt, (error: unknown) => {
    assert.ok(error instanceof ConnectionError, Deno.inspect(error));
    assert.match(error.message, /^Cannot connect to 127\.0\.0\.1:\d+: /);
    assert.match(error.message, hint);
    assert.ok(error.cause instanceof Error, "the TLS error is the cause");
    assert.match(error.cause.message, cause);
    assert.equal(error.mayHaveExecuted, false);
    return true;
  });
  assert.ok(performance.now() - started < 2_000, "refused at once");
}

Deno.test("connect() with tls.cert and tls.key passes a server that requires client certificates", async (t) => {
  await using server = await requireClientCerts();
  const certs = server.certs!;
  const tls: TlsOptions = {
    caCerts: [certs.caCert],
    cert: certs.clientCert,
    key: certs.clientKey,
  };

  await t.step("a rediss: URL plus the client certificate", async () => {
    await using redis = await connect({ url: server.tlsUrl, tls });
    assert.equal(await redis.set("mtls", "yes"), "OK");
    assert.equal(await redis.get("mtls"), "yes");
    // Many replies over one TLS session.
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) => redis.echo(`m${i}`)),
    );
    assert.deepEqual(replies, Array.from({ length: 200 }, (_, i) => `m${i}`));
  });

  await t.step("options only, over RESP2", async () => {
    await using redis = await connect({
      port: server.tlsPort,
      tls,
      protocol: 2,
    });
    assert.equal(redis.protocol, 2);
    assert.equal(await redis.get("mtls"), "yes");
  });

  await t.step(
    "serverName still picks the name verified in the server certificate",
    async () => {
      await using redis = await connect({
        port: server.tlsPort,
        tls: { ...tls, serverName: "localhost" },
      });
      assert.equal(await redis.ping(), "PONG");
      await refused(
        connect({
          port: server.tlsPort,
          tls: { ...tls, serverName: "other.example" },
        }),
        /does not name this host/,
        /other\.example/,
      );
    },
  );

  await t.step("the server certificate is still verified", async () => {
    await refused(
      connect({
        url: server.tlsUrl,
        tls: { ...tls, caCerts: [certs.wrongCaCert] },
      }),
      /not signed by a trusted CA/,
      /UnknownIssuer/,
    );
  });

  await t.step(
    "a client that reconnects sends its certificate again",
    async () => {
      await using redis = await connect({ url: server.tlsUrl, tls });
      const name = "mtls-reconnect";
      await redis.send("CLIENT", "SETNAME", name);
      await using admin = await connect({ url: server.tlsUrl, tls });
      assert.equal(await admin.send("CLIENT", "KILL", "SKIPME", "yes"), 1);
      // The next command waits for the new connection.
      assert.equal(await redis.get("mtls"), "yes");
    },
  );
});

Deno.test("connect() to a server that requires client certificates is refused with a hint without the right one", async (t) => {
  await using server = await requireClientCerts();
  const certs = server.certs!;
  const caCerts = [certs.caCert];

  await t.step("no client certificate", async () => {
    await refused(
      connect({ url: server.tlsUrl, tls: { caCerts } }),
      /the server requires a client certificate: give tls\.cert and tls\.key/,
      /CertificateRequired/,
    );
  });

  await t.step("no client certificate, over RESP2", async () => {
    await refused(
      connect({ url: server.tlsUrl, tls: { caCerts }, protocol: 2 }),
      /requires a client certificate/,
      /CertificateRequired/,
    );
  });

  await t.step("a client certificate from another CA", async () => {
    await refused(
      connect({
        url: server.tlsUrl,
        tls: {
          caCerts,
          cert: certs.wrongCaClientCert,
          key: certs.wrongCaClientKey,
        },
      }),
      /the server does not trust the client certificate/,
      /UnknownCA/,
    );
  });

  await t.step(
    "a key that is not PEM: a ConnectionError that does not echo it",
    async () => {
      const key = "not a key: s3cr3t";
      await assert.rejects(
        connect({
          url: server.tlsUrl,
          tls: { caCerts, cert: certs.clientCert, key },
        }),
        (error: unknown) => {
          assert.ok(error instanceof ConnectionError, Deno.inspect(error));
          assert.match(error.message, /tls\.key holds no PEM private key/);
          assert.doesNotMatch(error.message, /s3cr3t/);
          return true;
        },
      );
    },
  );

  await t.step("a failed attempt leaves the server usable", async () => {
    await using redis = await connect({
      url: server.tlsUrl,
      tls: { caCerts, cert: certs.clientCert, key: certs.clientKey },
    });
    assert.equal(await redis.ping(), "PONG");
  });
});

Deno.test("connect() refuses an expired server certificate with a ConnectionError saying so", async (t) => {
  await using server = await startRedisServer({ tls: true });
  const certs = server.certs!;
  // Its files live in the first server's dir, which outlives it.
  await using expired = await startRedisServer({
    tls: true,
    args: [
      "--tls-cert-file",
      certs.expiredCertPath,
      "--tls-key-file",
      certs.expiredKeyPath,
    ],
  });
  const caCerts = [certs.caCert];

  await t.step("through Deno.startTls (no client certificate)", async () => {
    await refused(
      connect({ url: expired.tlsUrl, tls: { caCerts } }),
      /the server's certificate has expired/,
      /expired/i,
    );
  });

  await t.step(
    "through Deno.connectTls (with a client certificate)",
    async () => {
      await refused(
        connect({
          url: expired.tlsUrl,
          tls: { caCerts, cert: certs.clientCert, key: certs.clientKey },
        }),
        /the server's certificate has expired/,
        /expired/i,
      );
    },
  );

  await t.step("the same CA's valid certificate is accepted", async () => {
    await using redis = await connect({ url: server.tlsUrl, tls: { caCerts } });
    assert.equal(await redis.ping(), "PONG");
  });
});
