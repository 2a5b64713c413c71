// Authentication against a real server with requirepass and ACL users, and
// the secrets contract: a password never shows up in a message, stack,
// cause, event, JSON or inspection.

import assert from "node:assert/strict";
import {
  connect,
  ConnectionError,
  type Redis,
  type RedisCloseEvent,
  type RedisErrorEvent,
  ReplyError,
} from "../../mod.ts";
import { RawConnection } from "../_support/raw_connection.ts";
import { startRedisServer } from "../_support/redis_server.ts";

const PASSWORD = "p@ss";
const CANARY = "S3CRET-canary-123";

/** Runs one admin command, authenticated, and returns the raw reply. */
async function admin(
  port: number,
  password: string,
  args: string[],
): Promise<string | null> {
  using conn = await RawConnection.connect({ port });
  assert.equal(await conn.command(["AUTH", password]), "+OK\r\n");
  return await conn.command(args);
}

/** The CLIENT INFO line the server keeps for this client. */
async function clientInfo(redis: Redis): Promise<string> {
  const info = await redis.send("CLIENT", "INFO");
  assert.equal(typeof info, "string");
  return info as string;
}

/** Every rendering of `value` a log line or a crash report could contain. */
function renderings(value: unknown, seen = new Set<unknown>()): string[] {
  if (seen.has(value)) return [];
  seen.add(value);
  const out = [
    Deno.inspect(value, { depth: Infinity, showHidden: true }),
    String(value),
  ];
  try {
    out.push(JSON.stringify(value) ?? "");
  } catch {
    // Cyclic or bigint: the other renderings cover it.
  }
  if (value instanceof Error) {
    out.push(value.message, value.stack ?? "", value.name);
    out.push(...Object.values(value).map((field) => String(field)));
    if (value.cause !== undefined) out.push(...renderings(value.cause, seen));
  }
  if (value instanceof Event) {
    const fields = value as unknown as Record<string, unknown>;
    for (const key of ["error", "command", "data"]) {
      if (fields[key] !== undefined) out.push(...renderings(fields[key], seen));
    }
  }
  return out;
}

function assertNoCanary(what: string, value: unknown): void {
  for (const text of renderings(value)) {
    assert.ok(!text.includes(CANARY), `${what} leaks the password: ${text}`);
  }
}

/** Asserts the error is the server's WRONGPASS answer to AUTH, without the password. */
function wrongPass(error: unknown): true {
  assert.ok(error instanceof ReplyError, Deno.inspect(error));
  assert.equal(error.code, "WRONGPASS");
  assert.equal(error.command, "AUTH");
  assertNoCanary("WRONGPASS error", error);
  return true;
}

Deno.test("connect() authenticates with the password from options or a percent-encoded URL", async (t) => {
  await using server = await startRedisServer({ password: PASSWORD });
  for (const protocol of [3, 2] as const) {
    await t.step(`options, RESP${protocol}`, async () => {
      await using redis = await connect({
        port: server.port,
        password: PASSWORD,
        protocol,
      });
      assert.equal(redis.protocol, protocol);
      assert.equal(await redis.send("ACL", "WHOAMI"), "default");
      assert.equal(await redis.set("k", "v"), "OK");
    });
    await t.step(`URL with p%40ss, RESP${protocol}`, async () => {
      await using redis = await connect(
        `redis://:p%40ss@127.0.0.1:${server.port}?protocol=${protocol}`,
      );
      assert.equal(redis.protocol, protocol);
      assert.equal(await redis.get("k"), "v");
    });
  }
  await t.step("URL ?password= query parameter", async () => {
    await using redis = await connect(
      `redis://127.0.0.1:${server.port}/?password=p%40ss`,
    );
    assert.equal(await redis.get("k"), "v");
  });
});

Deno.test("connect() rejects a wrong password with ReplyError WRONGPASS from AUTH", async (t) => {
  await using server = await startRedisServer({ password: PASSWORD });
  const url = `redis://:${CANARY}@127.0.0.1:${server.port}`;
  for (const protocol of [3, 2] as const) {
    await t.step(`options, RESP${protocol}`, async () => {
      await assert.rejects(
        connect({ port: server.port, password: CANARY, protocol }),
        wrongPass,
      );
    });
    await t.step(`URL, RESP${protocol}`, async () => {
      await assert.rejects(
        connect(`${url}?protocol=${protocol}`),
        wrongPass,
      );
    });
  }
  await t.step("URL with a user name", async () => {
    await assert.rejects(
      connect(`redis://default:${CANARY}@127.0.0.1:${server.port}`),
      wrongPass,
    );
  });
  await t.step("URL ?password=", async () => {
    await assert.rejects(
      connect(`redis://127.0.0.1:${server.port}?password=${CANARY}`),
      wrongPass,
    );
  });
});

Deno.test("connect() rejects a missing password with ReplyError NOAUTH", async (t) => {
  await using server = await startRedisServer({ password: PASSWORD });
  const noAuth = (error: unknown) => {
    assert.ok(error instanceof ReplyError, Deno.inspect(error));
    assert.equal(error.code, "NOAUTH");
    return true;
  };
  await t.step("RESP3: HELLO is refused", async () => {
    await assert.rejects(connect({ port: server.port, protocol: 3 }), noAuth);
  });
  await t.step(
    "RESP2: connect() fails too, not the first command",
    async () => {
      // A client that cannot run a single command must not be handed out.
      let redis: Redis;
      try {
        redis = await connect({ port: server.port, protocol: 2 });
      } catch (error) {
        noAuth(error);
        return;
      }
      try {
        const first = await redis.ping().catch((error: unknown) => error);
        assert.fail(
          `connect() resolved although the server refuses every command; ` +
            `the first command got ${Deno.inspect(first)}`,
        );
      } finally {
        await redis.close();
      }
    },
  );
});

Deno.test("connect() logs in as an ACL user from the URL", async (t) => {
  await using server = await startRedisServer({ password: PASSWORD });
  assert.equal(
    await admin(server.port, PASSWORD, [
      "ACL",
      "SETUSER",
      "ann",
      "on",
      ">pw",
      "~*",
      "+@all",
    ]),
    "+OK\r\n",
  );
  assert.equal(
    await admin(server.port, PASSWORD, [
      "ACL",
      "SETUSER",
      "limited",
      "on",
      ">pw",
      "~*",
      "+@all",
      "-flushall",
      "-select",
    ]),
    "+OK\r\n",
  );

  await t.step("URL user and password", async () => {
    await using redis = await connect(
      `redis://ann:pw@127.0.0.1:${server.port}`,
    );
    assert.equal(await redis.send("ACL", "WHOAMI"), "ann");
    assert.equal(await redis.db(1).set("ann", "1"), "OK");
  });

  await t.step("username and password options", async () => {
    await using redis = await connect({
      port: server.port,
      username: "ann",
      password: "pw",
    });
    assert.equal(await redis.send("ACL", "WHOAMI"), "ann");
  });

  await t.step("a wrong password for the user is WRONGPASS", async () => {
    await assert.rejects(
      connect(`redis://ann:${CANARY}@127.0.0.1:${server.port}`),
      wrongPass,
    );
  });

  await t.step(
    "a command the user may not run is ReplyError NOPERM",
    async () => {
      await using redis = await connect(
        `redis://limited:pw@127.0.0.1:${server.port}`,
      );
      await assert.rejects(redis.send("FLUSHALL"), (error: unknown) => {
        assert.ok(error instanceof ReplyError);
        assert.equal(error.code, "NOPERM");
        assert.equal(error.command, "FLUSHALL");
        return true;
      });
      assert.equal(await redis.send("ACL", "WHOAMI"), "limited");
    },
  );

  await t.step(
    "a database the user may not select fails connect() with NOPERM",
    async () => {
      await assert.rejects(
        connect(`redis://limited:pw@127.0.0.1:${server.port}/1`),
        (error: unknown) => {
          assert.ok(error instanceof ReplyError, Deno.inspect(error));
          assert.equal(error.code, "NOPERM");
          assert.equal(error.command, "SELECT");
          return true;
        },
      );
    },
  );
});

Deno.test("connect() never silently logs in as default when given a user name without a password", async () => {
  // No requirepass: the default user needs nothing, so ignoring the user
  // name would go unnoticed.
  await using server = await startRedisServer();
  {
    using conn = await RawConnection.connect({ port: server.port });
    assert.equal(
      await conn.command([
        "ACL",
        "SETUSER",
        "bob",
        "on",
        "nopass",
        "~*",
        "+@all",
      ]),
      "+OK\r\n",
    );
  }
  // Either log in as bob (a nopass user takes any password) or refuse the
  // options; carrying on as "default" is neither.
  let redis: Redis;
  try {
    redis = await connect(`redis://bob@127.0.0.1:${server.port}`);
  } catch (error) {
    assert.ok(error instanceof TypeError, Deno.inspect(error));
    return;
  }
  await using _ = redis;
  assert.equal(await redis.send("ACL", "WHOAMI"), "bob");
});

Deno.test("connect() sends the name option as CLIENT SETNAME", async (t) => {
  await using server = await startRedisServer({ password: PASSWORD });
  await t.step("name option", async () => {
    await using redis = await connect({
      port: server.port,
      password: PASSWORD,
      name: "app-1",
    });
    assert.match(await clientInfo(redis), / name=app-1 /);
  });
  await t.step("?name= in the URL", async () => {
    await using redis = await connect(
      `redis://:p%40ss@127.0.0.1:${server.port}?name=app-1`,
    );
    assert.match(await clientInfo(redis), / name=app-1 /);
  });
});

Deno.test("Redis.send() refuses AUTH and HELLO with a TypeError that quotes no argument", async () => {
  await using server = await startRedisServer({ password: CANARY });
  await using redis = await connect({ port: server.port, password: CANARY });
  const errors: RedisErrorEvent[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  const refused = (error: unknown) => {
    assert.ok(error instanceof TypeError, Deno.inspect(error));
    assert.match(error.message, /AUTH|HELLO/);
    assertNoCanary("refusal", error);
    assert.ok(!error.message.includes("default"), error.message);
    return true;
  };
  await assert.rejects(redis.send("AUTH", CANARY), refused);
  await assert.rejects(redis.send("auth", "default", CANARY), refused);
  await assert.rejects(redis.send("HELLO"), refused);
  await assert.rejects(
    redis.send("HELLO", "3", "AUTH", "default", CANARY),
    refused,
  );
  await assert.rejects(redis.db(2).binary.send("Auth", CANARY), refused);
  redis.fireAndForget.send("AUTH", CANARY);
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.command, "AUTH");
  refused(errors[0]!.error);
  assertNoCanary("error event", errors[0]);
  // Nothing was sent, so the connection is as it was.
  assert.equal(await redis.send("ACL", "WHOAMI"), "default");
});

Deno.test("Redis never shows the password in errors, events or its inspection", async (t) => {
  await using server = await startRedisServer({ password: CANARY });
  const errors: RedisErrorEvent[] = [];
  const closes: RedisCloseEvent[] = [];
  await using redis = await connect({
    url: `redis://default:${CANARY}@127.0.0.1:${server.port}/3`,
    name: "canary-client",
    reconnect: false,
  });
  redis.addEventListener("error", (event) => errors.push(event));
  redis.addEventListener("close", (event) => closes.push(event));

  await t.step("Deno.inspect of the client and its views", () => {
    const text = Deno.inspect(redis);
    assert.match(text, new RegExp(`127\\.0\\.0\\.1:${server.port}`));
    assertNoCanary("Deno.inspect(redis)", redis);
    assertNoCanary("a view", redis.db(1).binary.fireAndForget);
    assert.ok(!String(redis).includes(CANARY));
  });

  await t.step("reply errors of commands that carry secrets", async () => {
    await redis.set("migrating", "x");
    // Each with the command name its error carries (subcommands included).
    const failing: [string, string, ...string[]][] = [
      ["CONFIG SET", "CONFIG", "SET", "requirepass", CANARY, "masterauth"],
      ["ACL SETUSER", "ACL", "SETUSER", "bob", `>${CANARY}`, "no-such-rule"],
      // Port 1 refuses: MIGRATE fails after reading its AUTH argument.
      [
        "MIGRATE",
        "MIGRATE",
        "127.0.0.1",
        "1",
        "migrating",
        "0",
        "1000",
        "AUTH",
        CANARY,
      ],
    ];
    for (const [name, command, ...args] of failing) {
      await assert.rejects(redis.send(command, ...args), (error: unknown) => {
        assert.ok(error instanceof ReplyError, Deno.inspect(error));
        assert.equal(error.command, name);
        assertNoCanary(command, error);
        return true;
      });
    }
    redis.fireAndForget.send("ACL", "SETUSER", "bob", `>${CANARY}`, "bad");
    assert.equal(await redis.ping(), "PONG");
    assert.equal(errors.length, 1);
    assertNoCanary("error event", errors[0]);
  });

  await t.step(
    "the connection failure, its events and later rejections",
    async () => {
      const failed = new Promise<RedisErrorEvent>((resolve) =>
        redis.addEventListener("error", (event) => {
          if (event.command === undefined) resolve(event);
        })
      );
      const list = await admin(server.port, CANARY, ["CLIENT", "LIST"]) ?? "";
      const id = list.match(/id=(\d+) [^\n]* name=canary-client /)?.[1];
      assert.ok(id, list);
      assert.equal(
        await admin(server.port, CANARY, ["CLIENT", "KILL", "ID", id]),
        ":1\r\n",
      );
      const event = await failed;
      assert.ok(event.error instanceof ConnectionError);
      assertNoCanary("connection error event", event);
      const later = await redis.get("k").catch((error: unknown) => error);
      assert.ok(later instanceof ConnectionError);
      assertNoCanary("later rejection", later);
      await redis.close();
      assert.equal(closes.length, 1);
      assertNoCanary("close event", closes[0]);
      assertNoCanary("Deno.inspect(closed redis)", redis);
      for (const event of errors) assertNoCanary("error event", event);
    },
  );
});

Deno.test("connect() errors before and around the socket never show the password", async (t) => {
  await t.step("malformed URL", async () => {
    await assert.rejects(
      connect(`redis://user:${CANARY}@127.0.0.1:99999`),
      (error: unknown) => {
        assert.ok(error instanceof TypeError);
        assertNoCanary("URL error", error);
        return true;
      },
    );
  });
  await t.step("nothing listening", async () => {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = listener.addr.port;
    listener.close();
    await assert.rejects(
      connect(`redis://user:${CANARY}@127.0.0.1:${port}`),
      (error: unknown) => {
        assert.ok(error instanceof ConnectionError);
        assertNoCanary("connection refused", error);
        return true;
      },
    );
  });
});
