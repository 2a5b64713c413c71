// URL and option parsing. Nothing here opens
// a socket; every rejection must happen inside resolveOptions().

import assert from "node:assert/strict";
import type { ConnectOptions } from "../lib/options.ts";
import {
  type ResolvedOptions,
  resolveOptions,
} from "../lib/resolve_options.ts";
import { parseRedisUrl } from "../lib/_url.ts";

const CANARY = "S3CRET-canary";

type ErrorClass = TypeErrorConstructor | RangeErrorConstructor;

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof Error, `threw a non-Error: ${String(error)}`);
    return error;
  }
  assert.fail("expected a throw");
}

function assertRejects(
  target: unknown,
  errorClass: ErrorClass,
  message: string,
): void {
  const error = thrown(() => resolveOptions(target as ConnectOptions));
  assert.equal(error.message, message);
  assert.equal(error.constructor, errorClass);
}

/** Resolved options for a TCP target, with defaults for everything not given. */
function tcp(
  hostname: string,
  port: number,
  more: Partial<ResolvedOptions> = {},
): ResolvedOptions {
  return {
    transport: { kind: "tcp", hostname, port, tls: null },
    address: hostname.includes(":")
      ? `[${hostname}]:${port}`
      : `${hostname}:${port}`,
    username: undefined,
    password: undefined,
    db: 0,
    name: undefined,
    protocol: 3,
    connectTimeout: 10_000,
    maxBulkLength: 536_870_912,
    maxBufferedBytes: 67_108_864,
    reconnect: { maxAttempts: Infinity, minDelay: 50, maxDelay: 500 },
    maxQueued: 100_000,
    maxInFlight: 1_000_000,
    queueTimeout: 10_000,
    commandTimeout: undefined,
    pingInterval: undefined,
    maxBlockingConnections: 16,
    blockingIdleTimeout: 30_000,
    captureCallSites: false,
    cache: undefined,
    ...more,
  };
}

function unix(path: string, more: Partial<ResolvedOptions> = {}) {
  return {
    ...tcp("", 0, more),
    transport: { kind: "unix", path },
    address: path,
  };
}

Deno.test("resolveOptions() defaults to 127.0.0.1:6379, db 0 and RESP3", () => {
  const expected = tcp("127.0.0.1", 6379);
  assert.deepEqual(resolveOptions(), expected);
  assert.deepEqual(resolveOptions({}), expected);
  assert.deepEqual(resolveOptions("redis://127.0.0.1:6379"), expected);
});

Deno.test("resolveOptions() reads host, port and db from a redis: URL", () => {
  const cases: [string, ResolvedOptions][] = [
    // N1: default port.
    ["redis://localhost", tcp("localhost", 6379)],
    // N1: explicit port.
    ["redis://127.0.0.1:6380", tcp("127.0.0.1", 6380)],
    // N1: db 0 in the path.
    ["redis://h/0", tcp("h", 6379)],
    // N1: a two-digit db.
    ["redis://h/15", tcp("h", 6379, { db: 15 })],
    // N10: trailing slash means db 0.
    ["redis://h/", tcp("h", 6379)],
    // N10: scheme and host are case-insensitive.
    ["REDIS://H", tcp("h", 6379)],
    // Port range ends.
    ["redis://h:1", tcp("h", 1)],
    ["redis://h:65535/3", tcp("h", 65535, { db: 3 })],
    // A db as large as a safe integer goes through (the server decides).
    ["redis://h/9007199254740991", tcp("h", 6379, { db: 2 ** 53 - 1 })],
    // Surrounding whitespace, as from an environment file, is ignored.
    [" redis://h:7000\n", tcp("h", 7000)],
    // Empty query pieces are ignored.
    ["redis://h/?&", tcp("h", 6379)],
    // IPv4 and names with dashes and underscores.
    ["redis://10.0.0.5:6380", tcp("10.0.0.5", 6380)],
    ["redis://redis_cache-1.internal", tcp("redis_cache-1.internal", 6379)],
  ];
  for (const [url, expected] of cases) {
    assert.deepEqual(resolveOptions(url), expected, url);
  }
});

Deno.test("resolveOptions() percent-decodes the URL user and password", () => {
  const cases: [string, string | undefined, string | undefined][] = [
    // N2: encoded "@" and ":" in the password (WHATWG URL leaves them encoded).
    ["redis://user:p%40ss%3Aw0rd@h", "user", "p@ss:w0rd"],
    // N2: empty user means the default user: no user name sent.
    ["redis://:pw@h", undefined, "pw"],
    // N2: user without password.
    ["redis://user@h", "user", undefined],
    // N2: encoded "/" and space.
    ["redis://us%2Fer:pa%20ss@h", "us/er", "pa ss"],
    // Split at the first ":": the rest belongs to the password.
    ["redis://user:a:b@h", "user", "a:b"],
    // The last "@" ends the user info, as in WHATWG URL.
    ["redis://user:p@ss@h", "user", "p@ss"],
    // Empty user and password: no credentials at all.
    ["redis://:@h", undefined, undefined],
    // UTF-8 escapes.
    ["redis://%C3%BCser:%E2%82%AC@h", "üser", "€"],
  ];
  for (const [url, username, password] of cases) {
    const options = resolveOptions(url);
    assert.deepEqual(options, tcp("h", 6379, { username, password }), url);
    assert.ok(
      password === undefined || !options.address.includes(password),
      url,
    );
  }
});

Deno.test("resolveOptions() rejects malformed percent-encoding without echoing it", () => {
  const cases: [string, string][] = [
    // N3: bad escape in the password.
    ["redis://user:%ZZ@h", "password"],
    // N3: truncated escape in the password.
    ["redis://user:abc%4@h", "password"],
    // N3: bad escape in the user.
    ["redis://%ZZ:pw@h", "user"],
    // Invalid UTF-8 after decoding.
    ["redis://user:%C3@h", "password"],
    // Bad escape in ?password=.
    ["redis://h?password=%ZZ", "password"],
    // Bad escape in the socket path.
    ["redis+unix:///tmp/%ZZ.sock", "socket path"],
  ];
  for (const [url, part] of cases) {
    assertRejects(
      url,
      TypeError,
      `Cannot parse Redis URL: ${part} has a malformed percent-encoding`,
    );
  }
});

Deno.test("resolveOptions() strips IPv6 brackets for connecting and keeps them in the address", () => {
  const cases: [string | ConnectOptions, ResolvedOptions][] = [
    // N4: with port and db.
    ["redis://[::1]:6379/5", tcp("::1", 6379, { db: 5 })],
    // N4: default port.
    ["redis://[::1]", tcp("::1", 6379)],
    // IPv4-mapped address.
    ["redis://[::FFFF:127.0.0.1]:7000", tcp("::ffff:127.0.0.1", 7000)],
    // Explicit hostname, with or without brackets.
    [{ hostname: "::1" }, tcp("::1", 6379)],
    [{ hostname: "[::1]", port: 7000 }, tcp("::1", 7000)],
  ];
  for (const [target, expected] of cases) {
    const options = resolveOptions(target);
    assert.deepEqual(options, expected, String(target));
  }
  assert.equal(resolveOptions("redis://[::1]:6380").address, "[::1]:6380");
});

Deno.test("resolveOptions() turns TLS on for rediss: and takes TlsOptions", () => {
  const ca = "-----BEGIN CERTIFICATE-----\n...";
  const cases: [string | ConnectOptions, ResolvedOptions["transport"]][] = [
    // N5: rediss: means TLS with system roots and the host's name.
    ["rediss://h", { kind: "tcp", hostname: "h", port: 6379, tls: {} }],
    // N5: scheme case.
    ["REDISS://h:6380", { kind: "tcp", hostname: "h", port: 6380, tls: {} }],
    // tls: true without URL.
    [{ tls: true }, {
      kind: "tcp",
      hostname: "127.0.0.1",
      port: 6379,
      tls: {},
    }],
    // TlsOptions refine a rediss: URL.
    [
      { url: "rediss://10.0.0.5", tls: { caCerts: [ca], serverName: "redis" } },
      {
        kind: "tcp",
        hostname: "10.0.0.5",
        port: 6379,
        tls: { caCerts: [ca], serverName: "redis" },
      },
    ],
    // tls agreeing with the scheme is fine.
    [{ url: "rediss://h", tls: true }, {
      kind: "tcp",
      hostname: "h",
      port: 6379,
      tls: {},
    }],
    [{ url: "redis://h", tls: false }, {
      kind: "tcp",
      hostname: "h",
      port: 6379,
      tls: null,
    }],
    // A client certificate and its key, for mutual TLS.
    [
      { url: "rediss://h", tls: { cert: "CERT", key: "KEY" } },
      {
        kind: "tcp",
        hostname: "h",
        port: 6379,
        tls: { cert: "CERT", key: "KEY" },
      },
    ],
  ];
  for (const [target, transport] of cases) {
    assert.deepEqual(resolveOptions(target).transport, transport);
  }
  // The CA list is copied, so later changes by the caller do not leak in.
  const caCerts = [ca];
  const options = resolveOptions({ tls: { caCerts } });
  caCerts.push("other");
  assert.deepEqual(options.transport, {
    kind: "tcp",
    hostname: "127.0.0.1",
    port: 6379,
    tls: { caCerts: [ca] },
  });
});

Deno.test("resolveOptions() rejects tls that contradicts the URL scheme", () => {
  const cases: [ConnectOptions, string][] = [
    // N5: tls: false with rediss:.
    [{ url: "rediss://h", tls: false }, "tls: false contradicts a rediss: URL"],
    // N5: tls: true with redis:.
    [
      { url: "redis://h", tls: true },
      "tls is set but the URL is redis:, not rediss:",
    ],
    // N5: TlsOptions with redis:.
    [
      { url: "redis://h", tls: { serverName: "x" } },
      "tls is set but the URL is redis:, not rediss:",
    ],
  ];
  for (const [target, detail] of cases) {
    assertRejects(target, TypeError, `Invalid connect options: ${detail}`);
  }
});

Deno.test("resolveOptions() connects to a unix socket from a redis+unix: URL", () => {
  const cases: [string | ConnectOptions, unknown][] = [
    // N6: path and ?db=.
    [
      "redis+unix:///path/to/redis.sock?db=2",
      unix("/path/to/redis.sock", { db: 2 }),
    ],
    // N6: the path is percent-decoded.
    ["redis+unix:///tmp/my%20redis%2B1.sock", unix("/tmp/my redis+1.sock")],
    // User info before the empty host.
    [
      "redis+unix://user:p%40ss@/run/redis.sock",
      unix("/run/redis.sock", { username: "user", password: "p@ss" }),
    ],
    // Scheme case.
    ["Redis+Unix:///run/redis.sock", unix("/run/redis.sock")],
    // Explicit path, with and without a unix URL (the explicit one wins).
    [{ path: "/run/a.sock", db: 1 }, unix("/run/a.sock", { db: 1 })],
    [
      { url: "redis+unix:///run/a.sock", path: "/run/b.sock" },
      unix("/run/b.sock"),
    ],
  ];
  for (const [target, expected] of cases) {
    assert.deepEqual(resolveOptions(target), expected, String(target));
  }
});

Deno.test("resolveOptions() rejects a redis+unix: URL without a usable socket path", () => {
  const cases: [string, string][] = [
    // N6: missing path.
    ["redis+unix://", "missing socket path"],
    // N6: empty path.
    ["redis+unix:///", "missing socket path"],
    // N6: only a query.
    ["redis+unix://?db=2", "missing socket path"],
    // User info but no path.
    ["redis+unix://user:pw@", "missing socket path"],
    // A host is not a path.
    [
      "redis+unix://localhost/run/redis.sock",
      "a redis+unix: URL takes no host",
    ],
    // The path must not smuggle a NUL into the system call.
    ["redis+unix:///tmp/a%00b", "socket path contains NUL"],
    // The db only goes in the query: the path is the socket.
    [
      "redis+unix:///run/redis.sock?db=01",
      `parameter "db" must be a database number without sign or leading zeros`,
    ],
  ];
  for (const [url, detail] of cases) {
    assertRejects(url, TypeError, `Cannot parse Redis URL: ${detail}`);
  }
});

Deno.test("resolveOptions() rejects a db that is not a plain decimal number", () => {
  const path = "path must be a database number without sign or leading zeros";
  const query =
    `parameter "db" must be a database number without sign or leading zeros`;
  const cases: [string, string][] = [
    // N7: leading zero.
    ["redis://h/01", path],
    // N7: sign.
    ["redis://h/-1", path],
    ["redis://h/+1", path],
    // N7: not a number.
    ["redis://h/abc", path],
    // N7: more path after the db.
    ["redis://h/3/extra", path],
    // N7: db both in the path and the query ("not well-defined").
    ["redis://h/3?db=4", `db is given in both the path and "?db="`],
    ["redis://h/0?db=0", `db is given in both the path and "?db="`],
    // N7: not a number in the query.
    ["redis://h?db=x", query],
    ["redis://h?db=", query],
    ["redis://h?db", query],
    ["redis://h?db=1.5", query],
    // Decimal digits only; no escapes, no exponent, no whitespace.
    ["redis://h/%31", path],
    ["redis://h/1e3", path],
    ["redis://h/1%20", path],
    // Larger than a safe integer.
    ["redis://h/99999999999999999", path],
  ];
  for (const [url, detail] of cases) {
    assertRejects(url, TypeError, `Cannot parse Redis URL: ${detail}`);
  }
});

Deno.test("resolveOptions() rejects bad ports, empty hosts, other schemes and fragments", () => {
  const port = "port must be an integer from 1 to 65535";
  const cases: [string, string][] = [
    // N8: port 0 (WHATWG URL accepts it).
    ["redis://h:0", port],
    // N8: port over 65535.
    ["redis://h:99999", port],
    ["redis://h:65536", port],
    // N8: signed port.
    ["redis://h:+1", port],
    // N8: colon with no port.
    ["redis://h:", port],
    // Port that is not decimal.
    ["redis://h:0x10", port],
    ["redis://[::1]:", port],
    // N8: empty host (WHATWG URL accepts it).
    ["redis://", "missing host"],
    ["redis://:6379", "missing host"],
    ["redis://user:pw@", "missing host"],
    ["redis:///0", "missing host"],
    // N8: no "//" after the scheme.
    ["redis:/h", `"//" must follow "redis:"`],
    ["redis:h", `"//" must follow "redis:"`],
    ["rediss:h", `"//" must follow "rediss:"`],
    // N8: other schemes.
    ["http://h", `unsupported scheme "http:"`],
    ["unix:///tmp/redis.sock", `unsupported scheme "unix:"`],
    ["valkey://h", `unsupported scheme "valkey:"`],
    // "host:port" without a scheme reads as the scheme "host:".
    ["localhost:6379", `unsupported scheme "localhost:"`],
    // No scheme at all.
    ["localhost", "expected a redis://, rediss:// or redis+unix:// URL"],
    ["", "expected a redis://, rediss:// or redis+unix:// URL"],
    ["//h:6379", "expected a redis://, rediss:// or redis+unix:// URL"],
    // N8: fragments.
    ["redis://h#fragment", "a fragment (#) is not allowed"],
    ["redis://h/0#", "a fragment (#) is not allowed"],
    // M4: a space in the host.
    ["redis://ex ample", "invalid host"],
    // Characters no host name has.
    ["redis://h%41", "invalid host"],
    ["redis://h!", "invalid host"],
    // Malformed IPv6.
    ["redis://[::1", "invalid IPv6 address"],
    ["redis://[zz]", "invalid IPv6 address"],
    ["redis://[]", "invalid IPv6 address"],
    ["redis://[127.0.0.1]", "invalid IPv6 address"],
    ["redis://[::1]x", "invalid host"],
  ];
  for (const [url, detail] of cases) {
    assertRejects(url, TypeError, `Cannot parse Redis URL: ${detail}`);
  }
});

Deno.test("resolveOptions() reads db, password, name and protocol from the URL query", () => {
  const cases: [string, ResolvedOptions][] = [
    // All four at once; the password is percent-decoded.
    [
      "redis://h?db=3&password=p%26w&name=worker-1&protocol=2",
      tcp("h", 6379, { db: 3, password: "p&w", name: "worker-1", protocol: 2 }),
    ],
    // "+" is a literal plus, not a space.
    ["redis://h/?password=a+b", tcp("h", 6379, { password: "a+b" })],
    // A raw "@" in a query value belongs to the value.
    ["redis://h?password=a@b", tcp("h", 6379, { password: "a@b" })],
    // A user from the URL and the password from the query.
    [
      "redis://user@h?password=pw",
      tcp("h", 6379, { username: "user", password: "pw" }),
    ],
    // An empty ?password= sets nothing.
    ["redis://h?password=", tcp("h", 6379)],
    // protocol=3 spelled out.
    ["redis://h?protocol=3", tcp("h", 6379)],
  ];
  for (const [url, expected] of cases) {
    assert.deepEqual(resolveOptions(url), expected, url);
  }
});

Deno.test("resolveOptions() rejects unknown, repeated and conflicting query parameters", () => {
  const cases: [string, string][] = [
    // N9: password both in the user info and the query.
    [
      "redis://user:pw@h/?password=x",
      `password is given before "@" and as "?password="`,
    ],
    [
      "redis://:pw@h?password=",
      `password is given before "@" and as "?password="`,
    ],
    // Unknown parameters are named.
    ["redis://h?timeout=5", `unknown parameter "timeout"`],
    ["redis://h?username=u", `unknown parameter "username"`],
    ["redis://h?DB=1", `unknown parameter "DB"`],
    // A name that is not identifier-shaped is not echoed.
    ["redis://h?a%20b=1", "unknown parameter"],
    ["redis://h?=1", "unknown parameter"],
    // Repeated parameters.
    ["redis://h?db=1&db=2", `parameter "db" is given twice`],
    ["redis://h?name=a&name=b", `parameter "name" is given twice`],
    // protocol other than 2 or 3.
    ["redis://h?protocol=4", `parameter "protocol" must be 2 or 3`],
    ["redis://h?protocol=", `parameter "protocol" must be 2 or 3`],
    // Names Redis's CLIENT SETNAME refuses.
    [
      "redis://h?name=a%20b",
      `parameter "name" must be non-empty printable ASCII without spaces`,
    ],
    [
      "redis://h?name=",
      `parameter "name" must be non-empty printable ASCII without spaces`,
    ],
    [
      "redis://h?name=a%0Ab",
      `parameter "name" must be non-empty printable ASCII without spaces`,
    ],
  ];
  for (const [url, detail] of cases) {
    assertRejects(url, TypeError, `Cannot parse Redis URL: ${detail}`);
  }
});

Deno.test("resolveOptions() lets explicit options override the parts the URL gives", () => {
  const options = resolveOptions({
    url: "redis://user:pw@h:6380/2?name=from-url&protocol=2",
    hostname: "other",
    db: 5,
    password: "pw2",
    name: "explicit",
    // Explicitly undefined fields fall back to the URL.
    protocol: undefined,
    connectTimeout: 250,
    maxBulkLength: 1024,
    maxBufferedBytes: 4096,
  });
  assert.deepEqual(
    options,
    tcp("other", 6380, {
      username: "user",
      password: "pw2",
      db: 5,
      name: "explicit",
      protocol: 2,
      connectTimeout: 250,
      maxBulkLength: 1024,
      maxBufferedBytes: 4096,
    }),
  );
  // An explicit username replaces the URL's; the URL's password stays.
  assert.deepEqual(
    resolveOptions({ url: "redis://u:pw@h", username: "v", port: 7000 }),
    tcp("h", 7000, { username: "v", password: "pw" }),
  );
  // An empty explicit username means the default user, as in the URL.
  assert.equal(resolveOptions({ username: "" }).username, undefined);
});

Deno.test("resolveOptions() rejects a socket path combined with hostname, port or tls", () => {
  const withPath =
    "path cannot be combined with hostname, port, tls or a redis: or rediss: URL";
  const withUnixUrl =
    "hostname, port and tls cannot be combined with a redis+unix: URL";
  const cases: [ConnectOptions, string][] = [
    [{ path: "/s", hostname: "h" }, withPath],
    [{ path: "/s", port: 6380 }, withPath],
    [{ path: "/s", tls: false }, withPath],
    [{ path: "/s", tls: true }, withPath],
    [{ url: "redis://h", path: "/s" }, withPath],
    [{ url: "rediss://h", path: "/s" }, withPath],
    [{ url: "redis+unix:///s", hostname: "h" }, withUnixUrl],
    [{ url: "redis+unix:///s", port: 6380 }, withUnixUrl],
    [{ url: "redis+unix:///s", tls: true }, withUnixUrl],
  ];
  for (const [target, detail] of cases) {
    assertRejects(target, TypeError, `Invalid connect options: ${detail}`);
  }
});

Deno.test("resolveOptions() validates option types and ranges before connecting", () => {
  const cases: [unknown, ErrorClass, string][] = [
    // N11: negative db.
    [{ db: -1 }, RangeError, "db must be a non-negative integer, received -1"],
    // N11: fractional db.
    [
      { db: 1.5 },
      RangeError,
      "db must be a non-negative integer, received 1.5",
    ],
    [
      { db: NaN },
      RangeError,
      "db must be a non-negative integer, received NaN",
    ],
    [
      { db: 2 ** 53 },
      RangeError,
      "db must be a non-negative integer, received 9007199254740992",
    ],
    [{ db: "1" }, TypeError, "db must be a number, received string"],
    // N11: port out of range.
    [
      { port: 70000 },
      RangeError,
      "port must be an integer from 1 to 65535, received 70000",
    ],
    [
      { port: 0 },
      RangeError,
      "port must be an integer from 1 to 65535, received 0",
    ],
    [
      { port: 63.5 },
      RangeError,
      "port must be an integer from 1 to 65535, received 63.5",
    ],
    [{ port: "6379" }, TypeError, "port must be a number, received string"],
    // N11: protocol other than 2 or 3.
    [{ protocol: 4 }, RangeError, "protocol must be 2 or 3, received 4"],
    [{ protocol: "3" }, TypeError, "protocol must be 2 or 3, received string"],
    // N11: zero maxBulkLength, and one over 4 GiB.
    [
      { maxBulkLength: 0 },
      RangeError,
      "maxBulkLength must be an integer from 1 to 4294967296, received 0",
    ],
    [
      { maxBulkLength: 2 ** 32 + 1 },
      RangeError,
      "maxBulkLength must be an integer from 1 to 4294967296, received 4294967297",
    ],
    [
      { maxBufferedBytes: 1023 },
      RangeError,
      "maxBufferedBytes must be an integer of at least 1024, received 1023",
    ],
    [
      { maxBufferedBytes: Infinity },
      RangeError,
      "maxBufferedBytes must be an integer of at least 1024, received Infinity",
    ],
    [
      { maxInFlight: 0 },
      RangeError,
      "maxInFlight must be an integer of at least 1, received 0",
    ],
    [
      { maxQueued: 1.5 },
      RangeError,
      "maxQueued must be a non-negative integer, received 1.5",
    ],
    // connectTimeout: positive, finite, and within what setTimeout honours.
    ...[0, -1, NaN, Infinity, 2 ** 31].map((
      ms,
    ): [unknown, ErrorClass, string] => [
      { connectTimeout: ms },
      RangeError,
      `connectTimeout must be a positive number of milliseconds up to 2147483647, received ${ms}`,
    ]),
    [
      { connectTimeout: "1000" },
      TypeError,
      "connectTimeout must be a number, received string",
    ],
    // Strings that must not be empty.
    [
      { hostname: "" },
      TypeError,
      `hostname must be a non-empty string, received ""`,
    ],
    [
      { hostname: 1 },
      TypeError,
      "hostname must be a non-empty string, received number",
    ],
    [{ path: "" }, TypeError, `path must be a non-empty string, received ""`],
    [{ path: "/tmp/a\0b" }, TypeError, "path contains NUL"],
    // Names Redis's CLIENT SETNAME refuses.
    ...["", "my name", "a\nb", "naïve"].map((
      name,
    ): [unknown, ErrorClass, string] => [
      { name },
      TypeError,
      "name must be non-empty printable ASCII without spaces",
    ]),
    [
      { name: 7 },
      TypeError,
      "name must be non-empty printable ASCII without spaces",
    ],
    // Credentials of the wrong type (only the type is named).
    [{ username: 1 }, TypeError, "username must be a string, received number"],
    [{ password: 1 }, TypeError, "password must be a string, received number"],
    // tls shapes.
    [
      { tls: "yes" },
      TypeError,
      "tls must be a boolean or TlsOptions, received string",
    ],
    [
      { tls: null },
      TypeError,
      "tls must be a boolean or TlsOptions, received null",
    ],
    [
      { tls: { caCerts: "PEM" } },
      TypeError,
      "tls.caCerts must be an array of PEM strings, received string",
    ],
    [
      { tls: { caCerts: [1] } },
      TypeError,
      "tls.caCerts must be an array of PEM strings, received array",
    ],
    [
      { tls: { serverName: "" } },
      TypeError,
      `tls.serverName must be a non-empty string, received ""`,
    ],
    // A client certificate comes with its key; neither is ever echoed.
    [
      { tls: { cert: "-----BEGIN CERTIFICATE-----" } },
      TypeError,
      "tls.cert needs tls.key (its private key)",
    ],
    [
      { tls: { key: "-----BEGIN PRIVATE KEY-----secret" } },
      TypeError,
      "tls.key needs tls.cert (the client certificate)",
    ],
    [
      { tls: { cert: "PEM", key: 42 } },
      TypeError,
      "tls.key must be a non-empty string, received number",
    ],
    [
      { tls: { cert: "", key: "PEM" } },
      TypeError,
      `tls.cert must be a non-empty string, received ""`,
    ],
    // The target itself.
    [
      42,
      TypeError,
      "expected a URL string or an options object, received number",
    ],
    [
      null,
      TypeError,
      "expected a URL string or an options object, received null",
    ],
    [
      [],
      TypeError,
      "expected a URL string or an options object, received array",
    ],
    [{ url: 42 }, TypeError, "url must be a string, received number"],
    [
      { captureCallSites: "yes" },
      TypeError,
      "captureCallSites must be a boolean, received string",
    ],
  ];
  for (const [target, errorClass, detail] of cases) {
    assertRejects(target, errorClass, `Invalid connect options: ${detail}`);
  }
});

Deno.test("resolveOptions() accepts the boundary values of every option", () => {
  const options = resolveOptions({
    hostname: "h",
    port: 65535,
    db: Number.MAX_SAFE_INTEGER,
    name: "!~",
    protocol: 2,
    connectTimeout: 0.5,
    maxBulkLength: 2 ** 32,
    maxBufferedBytes: 1024,
  });
  assert.deepEqual(
    options,
    tcp("h", 65535, {
      db: Number.MAX_SAFE_INTEGER,
      name: "!~",
      protocol: 2,
      connectTimeout: 0.5,
      maxBulkLength: 2 ** 32,
      maxBufferedBytes: 1024,
    }),
  );
  const low = resolveOptions({ port: 1, db: 0, maxBulkLength: 1 });
  assert.deepEqual(low, tcp("127.0.0.1", 1, { maxBulkLength: 1 }));
  assert.equal(
    resolveOptions({ connectTimeout: 2 ** 31 - 1 }).connectTimeout,
    2 ** 31 - 1,
  );
});

Deno.test("parseRedisUrl() returns only the parts the URL gives", () => {
  const cases: [string, ConnectOptions][] = [
    ["redis://h", { hostname: "h", tls: false }],
    ["rediss://h:6380/1", { hostname: "h", port: 6380, tls: true, db: 1 }],
    ["redis+unix:///s?protocol=2", { path: "/s", protocol: 2 }],
    [
      "redis://u:p@h?name=n",
      { username: "u", password: "p", hostname: "h", tls: false, name: "n" },
    ],
  ];
  for (const [url, expected] of cases) {
    assert.deepEqual(parseRedisUrl(url), expected, url);
  }
});

Deno.test("resolveOptions() never puts the password in an error", () => {
  const cases: unknown[] = [
    // M4: the WHATWG URL error would quote the whole URL.
    `redis://user:${CANARY}@h:99999`,
    `redis://user:${CANARY}@ex ample`,
    // N3 with the canary before the bad escape.
    `redis://user:${CANARY}%ZZ@h`,
    `redis://h?password=${CANARY}%ZZ`,
    // Every other URL failure while a password is present.
    `redis://user:${CANARY}@h:0`,
    `redis://user:${CANARY}@h:+1`,
    `redis://user:${CANARY}@`,
    `redis://:${CANARY}@h/01`,
    `redis://:${CANARY}@h/3/extra`,
    `redis://:${CANARY}@h/3?db=4`,
    `redis://:${CANARY}@h?db=x`,
    `redis://:${CANARY}@h?password=${CANARY}`,
    `redis://:${CANARY}@h?nope=1`,
    `redis://:${CANARY}@h#fragment`,
    `redis://:${CANARY}@[::1`,
    `redis:user:${CANARY}@h`,
    `http://user:${CANARY}@h`,
    `redis+unix://user:${CANARY}@`,
    `redis+unix://user:${CANARY}@host/s`,
    // Unencoded "/", "?" or "#" inside the password cut the URL short.
    `redis://user:${CANARY}/x@h`,
    `redis://user:ab/${CANARY}@h`,
    `redis://user:ab?${CANARY}=1@h`,
    `redis://:ab?${CANARY}@h`,
    `redis://user:ab#${CANARY}@h`,
    `redis+unix://user:ab/${CANARY}@/s`,
    // Option failures next to a password, in options or in the URL.
    { password: CANARY, db: -1 },
    { password: CANARY, name: "bad name" },
    { password: CANARY, path: "/s", hostname: "h" },
    { url: `redis://:${CANARY}@h`, tls: true },
    { url: `rediss://:${CANARY}@h`, tls: false },
    { url: `redis://:${CANARY}@h`, path: "/s" },
    { url: `redis://:${CANARY}@h`, port: 70000 },
    { url: `redis://:${CANARY}@h`, connectTimeout: -1 },
    { url: `redis://:${CANARY}@h`, maxBulkLength: 0 },
    { url: `redis://:${CANARY}@h`, protocol: 4 },
  ];
  for (const target of cases) {
    const error = thrown(() => resolveOptions(target as ConnectOptions));
    const views = [
      error.message,
      String(error),
      error.stack ?? "",
      Deno.inspect(error),
      JSON.stringify(error),
    ];
    for (const view of views) {
      assert.ok(!view.includes(CANARY), `leaked in: ${view}`);
    }
    assert.equal(error.cause, undefined);
  }
  // Nor in the address, which messages quote.
  const options = resolveOptions(`redis://user:${CANARY}@h`);
  assert.equal(options.address, "h:6379");
  assert.equal(options.password, CANARY);
});

Deno.test("resolveOptions() resolves cache: true, bounds, ttl and bcast", () => {
  const defaults = {
    maxEntries: 10_000,
    maxBytes: 64 * 1024 * 1024,
    ttl: Infinity,
    bcast: undefined,
  };
  assert.deepEqual(resolveOptions({ cache: true }).cache, defaults);
  assert.equal(resolveOptions({ cache: false }).cache, undefined);
  assert.deepEqual(
    resolveOptions({
      cache: { maxEntries: 5, maxBytes: 4096, ttl: 100, bcast: ["user:"] },
    }).cache,
    { maxEntries: 5, maxBytes: 4096, ttl: 100, bcast: ["user:"] },
  );
  assert.deepEqual(resolveOptions({ cache: { bcast: true } }).cache, {
    ...defaults,
    bcast: [],
  });
});

Deno.test("resolveOptions() refuses malformed cache options", () => {
  assertRejects(
    { cache: "yes" },
    TypeError,
    "Invalid connect options: cache must be a boolean or CacheOptions, received string",
  );
  assertRejects(
    { cache: { maxEntries: 0 } },
    RangeError,
    "Invalid connect options: cache.maxEntries must be an integer of at least 1, received 0",
  );
  assertRejects(
    { cache: { maxBytes: 1.5 } },
    RangeError,
    "Invalid connect options: cache.maxBytes must be an integer of at least 1, received 1.5",
  );
  assertRejects(
    { cache: { ttl: -1 } },
    RangeError,
    "Invalid connect options: cache.ttl must be a positive number of milliseconds up to 2147483647, received -1",
  );
  assertRejects(
    { cache: { bcast: ["ok", ""] } },
    TypeError,
    "Invalid connect options: cache.bcast must be true or an array of non-empty prefix strings, received array",
  );
});
