// ConnectionCommands (PING, ECHO, CLIENT *) against a real redis-server, under
// RESP2 and RESP3, with raw connections as the other clients.

import assert from "node:assert/strict";
import { connect, ReplyError } from "../../mod.ts";
import type { ClientInfo, Redis } from "../../mod.ts";
import {
  clientKillArgs,
  clientListArgs,
} from "../../lib/commands/connection_options.ts";
import { parseClientLine } from "../../lib/commands/connection_replies.ts";
import { eachProtocol, PROTOCOLS } from "../_support/protocols.ts";
import { encodeCommand, RawConnection } from "../_support/raw_connection.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { succeeded } from "../_support/results.ts";

const utf8 = new TextEncoder();

/** A raw connection and the id the server gave it. */
async function rawClient(
  port: number,
): Promise<{ raw: RawConnection; id: number }> {
  const raw = await RawConnection.connect({ port });
  const reply = await raw.command(["CLIENT", "ID"]);
  assert.match(reply ?? "", /^:\d+\r\n$/);
  return { raw, id: Number(reply!.slice(1)) };
}

/** The description of one connection, by id (undefined once it is gone). */
async function describe(
  redis: Redis,
  id: number,
): Promise<ClientInfo | undefined> {
  const [info] = await redis.clientList({ ids: [id] });
  return info;
}

/** Asks until `check` holds: each try is a round trip, never a sleep. */
async function until(
  what: string,
  check: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!await check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
  }
}

Deno.test("clientListArgs selects by type or ids", () => {
  assert.deepStrictEqual(clientListArgs(undefined), []);
  assert.deepStrictEqual(clientListArgs({}), []);
  assert.deepStrictEqual(clientListArgs({ type: "PUBSUB" }), [
    "TYPE",
    "PUBSUB",
  ]);
  assert.deepStrictEqual(clientListArgs({ ids: [7, 9n] }), ["ID", 7, 9n]);
});

Deno.test("clientKillArgs turns each filter into a NAME value pair", () => {
  assert.deepStrictEqual(clientKillArgs({}), []);
  assert.deepStrictEqual(
    clientKillArgs({
      id: 7,
      type: "NORMAL",
      user: "ann",
      addr: "10.0.0.1:5000",
      laddr: "10.0.0.2:6379",
      skipme: false,
      maxage: 60,
    }),
    [
      "ID",
      7,
      "TYPE",
      "NORMAL",
      "USER",
      "ann",
      "ADDR",
      "10.0.0.1:5000",
      "LADDR",
      "10.0.0.2:6379",
      "SKIPME",
      "no",
      "MAXAGE",
      60,
    ],
  );
  assert.deepStrictEqual(clientKillArgs({ skipme: true }), ["SKIPME", "yes"]);
});

const LINE = "id=3 addr=127.0.0.1:42652 laddr=127.0.0.1:16394 fd=8 name= " +
  "age=1 idle=0 flags=N db=2 sub=0 psub=0 ssub=0 multi=-1 qbuf=26 " +
  "qbuf-free=20448 argv-mem=10 multi-mem=0 rbs=16384 rbp=16384 obl=0 oll=0 " +
  "omem=0 tot-mem=37658 events=r cmd=client|info user=default redir=-1 " +
  "resp=3";

Deno.test("parseClientLine types the fields and keeps unknown ones as text", () => {
  const info = parseClientLine(
    `${LINE} lib-name=sleeve lib-ver=1.0 __proto__=x io-thread=0`,
  );
  assert.equal(info.id, 3);
  assert.equal(info.addr, "127.0.0.1:42652");
  assert.equal(info.name, "");
  assert.equal(info.db, 2);
  assert.equal(info.multi, -1);
  assert.equal(info.qbufFree, 20448);
  assert.equal(info.totMem, 37658);
  assert.equal(info.cmd, "client|info");
  assert.equal(info.redir, -1);
  assert.equal(info.resp, 3);
  assert.equal(info.libName, "sleeve");
  assert.equal(info.libVer, "1.0");
  const extra = info as unknown as Record<string, unknown>;
  assert.equal(extra.ioThread, "0");
  // A field named __proto__ is a plain field, not the prototype.
  assert.ok(Object.hasOwn(info, "__proto__"));
  assert.equal(Object.getPrototypeOf(info), Object.prototype);
});

Deno.test("parseClientLine rejects a line that is not CLIENT INFO's", () => {
  assert.throws(() => parseClientLine("hello"), TypeError);
  assert.throws(() => parseClientLine(LINE.replace("id=3 ", "")), /id field/);
  assert.throws(
    () => parseClientLine(LINE.replace("db=2", "db=two")),
    /integer db/,
  );
});

Deno.test("ConnectionCommands return the same values under RESP2 and RESP3", async (t) => {
  await using server = await startRedisServer();
  const { port } = server;

  await t.step(
    "ping() answers PONG or the message, also on binary views",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(await redis.ping(), "PONG");
        assert.equal(await redis.ping("hi"), "hi");
        // PONG is a status reply, so it stays text; a message is a bulk string.
        assert.equal(await redis.binary.ping(), "PONG");
        assert.deepStrictEqual(
          await redis.binary.ping(new Uint8Array([0, 0xff])),
          new Uint8Array([0, 0xff]),
        );
      });
    },
  );

  await t.step("echo() returns the message", async () => {
    await eachProtocol(port, async (redis) => {
      assert.equal(await redis.echo("héllo"), "héllo");
      assert.equal(await redis.echo(""), "");
      assert.deepStrictEqual(await redis.binary.echo("x"), utf8.encode("x"));
    });
  });

  await t.step(
    "clientId() and clientInfo() describe this client's connection",
    async () => {
      await eachProtocol(port, async (redis, protocol) => {
        const id = await redis.clientId();
        assert.equal(typeof id, "number");
        assert.equal(await redis.bigint.clientId(), BigInt(id));
        const info = await redis.clientInfo();
        assert.equal(info.id, id);
        assert.equal(info.resp, protocol);
        assert.equal(info.db, 0);
        assert.equal(info.user, "default");
        assert.equal(info.cmd, "client|info");
        assert.equal(info.multi, -1);
        assert.match(info.addr, /^127\.0\.0\.1:\d+$/);
        assert.equal(info.laddr, `127.0.0.1:${port}`);
        for (
          const field of ["fd", "age", "idle", "qbufFree", "totMem"] as const
        ) {
          assert.ok(Number.isInteger(info[field]), field);
        }
        // The view's database is selected before the command runs.
        assert.equal((await redis.db(3).clientInfo()).db, 3);
        // Text on binary views too.
        assert.equal((await redis.binary.clientInfo()).id, id);
      });
    },
  );

  await t.step(
    "clientList() lists every connection, by type or by ids",
    async () => {
      await eachProtocol(port, async (redis) => {
        const id = await redis.clientId();
        const other = await rawClient(port);
        using _raw = other.raw;
        const all = await redis.clientList();
        assert.ok(all.some((c) => c.id === id));
        assert.ok(all.some((c) => c.id === other.id));
        const mine = await redis.clientList({ ids: [id] });
        assert.deepStrictEqual(mine.map((c) => c.id), [id]);
        assert.equal(mine[0]!.cmd, "client|list");
        const both = await redis.clientList({ ids: [id, other.id] });
        assert.deepStrictEqual(
          both.map((c) => c.id).sort((a, b) => a - b),
          [id, other.id].sort((a, b) => a - b),
        );
        assert.deepStrictEqual(await redis.clientList({ ids: [1e9] }), []);
        assert.deepStrictEqual(await redis.clientList({ type: "PUBSUB" }), []);
        await other.raw.command(["SUBSCRIBE", "news"]);
        const pubsub = await redis.clientList({ type: "PUBSUB" });
        assert.deepStrictEqual(pubsub.map((c) => [c.id, c.sub]), [
          [other.id, 1],
        ]);
        const normal = await redis.clientList({ type: "NORMAL" });
        assert.ok(normal.some((c) => c.id === id));
        assert.ok(!normal.some((c) => c.id === other.id));
        await assert.rejects(
          redis.clientList({ type: "NORMAL", ids: [id] }),
          ReplyError,
        );
      });
    },
  );

  await t.step(
    "clientSetname() names the connection until a reconnection, which restores connect()'s name",
    async () => {
      for (const protocol of PROTOCOLS) {
        await using redis = await connect({ port, protocol, name: "h4-test" });
        assert.equal(await redis.clientGetname(), "h4-test");
        assert.equal(await redis.clientSetname("reporting"), "OK");
        assert.equal(await redis.clientGetname(), "reporting");
        assert.equal((await redis.clientInfo()).name, "reporting");
        assert.equal(await redis.binary.clientGetname(), "reporting");
        await assert.rejects(redis.clientSetname("two words"), ReplyError);
        // The server closes its own connection after the reply: the
        // client reconnects and names the new one as connect() said.
        const ready = new Promise((resolve) =>
          redis.addEventListener("ready", resolve, { once: true })
        );
        const id = await redis.clientId();
        assert.equal(await redis.clientKill({ id, skipme: false }), 1);
        await ready;
        assert.notEqual(await redis.clientId(), id);
        assert.equal(await redis.clientGetname(), "h4-test");
        assert.equal(await redis.clientSetname(""), "OK");
        assert.equal(await redis.clientGetname(), null);
      }
      await eachProtocol(port, async (redis) => {
        assert.equal(await redis.clientGetname(), null);
      });
    },
  );

  await t.step(
    "clientKill() closes the connections its filters match, sparing its own",
    async () => {
      await eachProtocol(port, async (redis) => {
        const a = await rawClient(port);
        using _a = a.raw;
        const b = await rawClient(port);
        using _b = b.raw;
        const c = await rawClient(port);
        using _c = c.raw;
        assert.equal(await redis.clientKill({ id: 1e9 }), 0);
        assert.equal(await redis.clientKill({ id: a.id }), 1);
        assert.equal(await a.raw.readReply(), null);
        assert.equal(await describe(redis, a.id), undefined);
        const bInfo = (await describe(redis, b.id))!;
        assert.equal(
          await redis.clientKill({ addr: bInfo.addr, laddr: bInfo.laddr }),
          1,
        );
        assert.equal(await b.raw.readReply(), null);
        // Every other normal connection of the default user: not this one.
        assert.equal(
          await redis.clientKill({ user: "default", type: "NORMAL" }),
          1,
        );
        assert.equal(await c.raw.readReply(), null);
        assert.equal(await redis.ping(), "PONG");
        await assert.rejects(redis.clientKill({ user: "nobody" }), ReplyError);
        // MAXAGE is Redis 7.4's: 7.0 refuses it, which shows it was sent.
        await assert.rejects(redis.clientKill({ maxage: 100 }), /syntax/);
        assert.equal(await redis.bigint.clientKill({ id: 1e9 }), 0n);
      });
    },
  );

  await t.step(
    "clientKill(addr) closes one connection, the form before filters",
    async () => {
      await eachProtocol(port, async (redis) => {
        const other = await rawClient(port);
        using _raw = other.raw;
        const { addr } = (await describe(redis, other.id))!;
        assert.equal(await redis.clientKill(addr), "OK");
        assert.equal(await other.raw.readReply(), null);
        await assert.rejects(redis.clientKill(addr), (error) => {
          assert.ok(error instanceof ReplyError);
          assert.equal(error.command, "CLIENT KILL");
          return true;
        });
      });
    },
  );

  await t.step(
    "clientPause() holds writes until clientUnpause(); reads go on",
    async () => {
      await eachProtocol(port, async (redis) => {
        const other = await rawClient(port);
        using _raw = other.raw;
        assert.equal(await redis.clientPause(30_000, "WRITE"), "OK");
        await other.raw.write(encodeCommand(["SET", "paused", "1"]));
        await until("the SET to be held", async () => {
          const info = await describe(redis, other.id);
          return info?.cmd === "set" && info.flags.includes("b");
        });
        assert.equal(await redis.get("paused"), null);
        assert.equal(await redis.clientUnpause(), "OK");
        assert.equal(await other.raw.readReply(), "+OK\r\n");
        assert.equal(await redis.get("paused"), "1");
        // ALL holds reads too; a short pause ends on its own.
        assert.equal(await redis.clientPause(20), "OK");
        assert.equal(await other.raw.command(["GET", "paused"]), "$1\r\n1\r\n");
        assert.equal(await redis.clientUnpause(), "OK");
      });
    },
  );

  await t.step(
    "clientNoEvict() sets and clears the connection's e flag",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.ok(!(await redis.clientInfo()).flags.includes("e"));
        assert.equal(await redis.clientNoEvict(true), "OK");
        assert.ok((await redis.clientInfo()).flags.includes("e"));
        assert.equal(await redis.clientNoEvict(false), "OK");
        assert.ok(!(await redis.clientInfo()).flags.includes("e"));
      });
    },
  );

  await t.step(
    "clientUnblock() wakes a blocked connection as a timeout or an error",
    async () => {
      await eachProtocol(port, async (redis) => {
        const other = await rawClient(port);
        using _raw = other.raw;
        assert.equal(await redis.clientUnblock(other.id), false);
        const blocked = async () => {
          const info = await describe(redis, other.id);
          return info?.cmd === "blpop" && info.flags.includes("b");
        };
        await other.raw.write(encodeCommand(["BLPOP", "nothing", "0"]));
        await until("BLPOP to block", blocked);
        assert.equal(await redis.clientUnblock(other.id), true);
        assert.equal(await other.raw.readReply(), "*-1\r\n");
        await other.raw.write(encodeCommand(["BLPOP", "nothing", "0"]));
        await until("BLPOP to block", blocked);
        assert.equal(await redis.clientUnblock(other.id, "ERROR"), true);
        assert.match((await other.raw.readReply())!, /^-UNBLOCKED /);
        await other.raw.write(encodeCommand(["BLPOP", "nothing", "0"]));
        await until("BLPOP to block", blocked);
        assert.equal(
          await redis.bigint.clientUnblock(BigInt(other.id), "TIMEOUT"),
          true,
        );
        assert.equal(await other.raw.readReply(), "*-1\r\n");
      });
    },
  );

  await t.step("clientHelp() returns lines of text", async () => {
    await eachProtocol(port, async (redis) => {
      const lines = await redis.clientHelp();
      assert.ok(lines.some((line) => line.startsWith("KILL")));
      assert.deepStrictEqual(await redis.binary.clientHelp(), lines);
    });
  });

  await t.step(
    "CLIENT methods queue in multi() and pipeline() with typed results",
    async () => {
      await eachProtocol(port, async (redis) => {
        const id = await redis.clientId();
        const [set, name, sameId, info, pong] = succeeded(
          await redis.multi()
            .clientSetname("in-tx")
            .clientGetname()
            .clientId()
            .clientInfo()
            .ping()
            .exec(),
        );
        assert.equal(set, "OK");
        assert.equal(name, "in-tx");
        assert.equal(sameId, id);
        assert.equal(info.name, "in-tx");
        // Run by EXEC: the connection still holds the five queued commands.
        assert.equal(info.multi, 5);
        assert.equal(pong, "PONG");
        const [list, echoed, unblocked] = succeeded(
          await redis.pipeline()
            .clientList({ ids: [id] })
            .echo("hi")
            .clientUnblock(id)
            .exec(),
        );
        assert.deepStrictEqual(list.map((c) => c.name), ["in-tx"]);
        assert.equal(echoed, "hi");
        assert.equal(unblocked, false);
        assert.equal(await redis.clientSetname(""), "OK");
      });
    },
  );

  await t.step(
    "fireAndForget CLIENT methods return nothing and keep their order",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(redis.fireAndForget.clientSetname("quiet"), undefined);
        assert.equal(redis.fireAndForget.ping(), undefined);
        assert.equal(await redis.clientGetname(), "quiet");
        assert.equal(await redis.clientSetname(""), "OK");
      });
    },
  );
});
