// ServerCommands against a real redis-server, under RESP2 and RESP3, plus
// the argument builders and reply decoders without a server.

import assert from "node:assert/strict";
import { connect, ReplyError, type RespValue } from "../../mod.ts";
import { namedReplyError } from "../../lib/connection/_util.ts";
import {
  commandListArgs,
  configSetArgs,
  memoryUsageArgs,
} from "../../lib/commands/server_options.ts";
import { aclLogEntries } from "../../lib/commands/acl_replies.ts";
import { infoSections, role } from "../../lib/commands/server_replies.ts";
import { memoryStats } from "../../lib/commands/server_introspection_replies.ts";
import { nextEvent, until } from "../_support/events.ts";
import { eachProtocol, PROTOCOLS } from "../_support/protocols.ts";
import { succeeded } from "../_support/results.ts";
import { startRedisServer } from "../_support/redis_server.ts";

const utf8 = new TextEncoder();

/** An object with no prototype holding `entries`, as the record decoders build it. */
function bare<V>(entries: [string, V][]): Record<string, V> {
  const out: Record<string, V> = Object.create(null);
  for (const [key, value] of entries) out[key] = value;
  return out;
}

Deno.test("server option builders turn options into arguments", () => {
  assert.deepStrictEqual(
    configSetArgs({ maxmemory: "1mb", "maxmemory-samples": 7 }),
    ["maxmemory", "1mb", "maxmemory-samples", 7],
  );
  assert.deepStrictEqual(configSetArgs({}), []);
  assert.deepStrictEqual(memoryUsageArgs("k", undefined), ["k"]);
  assert.deepStrictEqual(memoryUsageArgs("k", { samples: 0 }), [
    "k",
    "SAMPLES",
    0,
  ]);
  assert.deepStrictEqual(commandListArgs(undefined), []);
  assert.deepStrictEqual(commandListArgs({}), []);
  assert.deepStrictEqual(commandListArgs({ filterBy: { module: "m" } }), [
    "FILTERBY",
    "MODULE",
    "m",
  ]);
  assert.deepStrictEqual(commandListArgs({ filterBy: { aclcat: "geo" } }), [
    "FILTERBY",
    "ACLCAT",
    "geo",
  ]);
  assert.deepStrictEqual(commandListArgs({ filterBy: { pattern: "x*" } }), [
    "FILTERBY",
    "PATTERN",
    "x*",
  ]);
});

Deno.test("infoSections() splits at the first colon and keys sections in lower case", () => {
  const text = [
    "# Server",
    "redis_version:7.0.15",
    "config_file:",
    "",
    "# Replication",
    "role:master",
    "slave0:ip=::1,port=6380,state=online,offset=0,lag=0",
    "",
    "# Keyspace",
    "",
  ].join("\n");
  const expected = bare([
    ["server", bare([["redis_version", "7.0.15"], ["config_file", ""]])],
    [
      "replication",
      bare([
        ["role", "master"],
        ["slave0", "ip=::1,port=6380,state=online,offset=0,lag=0"],
      ]),
    ],
    ["keyspace", bare<string>([])],
  ]);
  assert.deepStrictEqual(infoSections(text), expected);
  assert.deepStrictEqual(
    infoSections(utf8.encode(text.replaceAll("\n", "\r\n"))),
    expected,
  );
  assert.throws(() => infoSections(1), TypeError);
});

Deno.test("role() decodes every role and refuses anything else", () => {
  assert.deepStrictEqual(role(["sentinel", ["a", "b"]]), {
    role: "sentinel",
    masterNames: ["a", "b"],
  });
  assert.deepStrictEqual(role(["slave", "10.0.0.1", 6379, "sync", -1]), {
    role: "replica",
    masterHost: "10.0.0.1",
    masterPort: 6379,
    state: "sync",
    replicationOffset: -1,
  });
  assert.equal(
    (role(["slave", "h", 1, "some-new-state", 0]) as { state: string }).state,
    "unknown",
  );
  assert.deepStrictEqual(role(["master", 10, [["h", "1", "9"]]]), {
    role: "master",
    replicationOffset: 10,
    replicas: [{ host: "h", port: 1, replicationOffset: 9 }],
  });
  assert.throws(() => role(["primary", 0, []]), TypeError);
  assert.throws(() => role(["master", "x", []]), TypeError);
  assert.throws(() => role("master"), TypeError);
});

Deno.test("memoryStats() and aclLogEntries() decode RESP2 and RESP3 alike", () => {
  const resp2 = [
    "peak.allocated",
    100,
    "db.0",
    ["overhead.hashtable.main", 72],
    "dataset.percentage",
    "99.5",
  ];
  const resp3 = new Map<RespValue, RespValue>([
    ["peak.allocated", 100],
    ["db.0", new Map<RespValue, RespValue>([["overhead.hashtable.main", 72]])],
    ["dataset.percentage", 99.5],
  ]);
  assert.deepStrictEqual(memoryStats(resp2), memoryStats(resp3));
  assert.equal(memoryStats(resp2)["dataset.percentage"], 99.5);
  assert.throws(() => memoryStats(["peak.allocated", "lots"]), TypeError);
  // Redis 7.2 adds three fields; 7.0 sends the first seven.
  const entry = [
    "count",
    1,
    "reason",
    "auth",
    "context",
    "toplevel",
    "object",
    "AUTH",
    "username",
    "u",
    "age-seconds",
    "0.5",
    "client-info",
    "id=1",
    "entry-id",
    3,
    "timestamp-created",
    1700000000000,
    "timestamp-last-updated",
    1700000000001,
  ];
  assert.deepStrictEqual(aclLogEntries([entry]), [{
    count: 1,
    reason: "auth",
    context: "toplevel",
    object: "AUTH",
    username: "u",
    ageSeconds: 0.5,
    clientInfo: "id=1",
    entryId: 3,
    timestampCreated: 1700000000000,
    timestampLastUpdated: 1700000000001,
  }]);
  assert.throws(() => aclLogEntries([["count", 1]]), TypeError);
});

Deno.test("namedReplyError() cuts the quoted rule out of ACL SETUSER errors only", () => {
  const refused = new ReplyError(
    "ERR Error in ACL SETUSER modifier '<hunter2': The password you are trying to remove from the user does not exist",
  );
  const named = namedReplyError("ACL SETUSER", refused);
  assert.equal(
    named.message,
    "ERR Error in ACL SETUSER modifier '…': The password you are trying to remove from the user does not exist",
  );
  assert.equal(named.code, "ERR");
  assert.equal(named.command, "ACL SETUSER");
  assert.doesNotMatch(named.stack ?? "", /hunter2/);
  assert.equal(named.cause, undefined);
  // A quote inside the rule, and an error with no explanation after it.
  assert.equal(
    namedReplyError(
      "ACL SETUSER",
      new ReplyError(
        "ERR Unmatched parenthesis in acl selector starting at '(>it's': x'.",
      ),
    ).message,
    "ERR Unmatched parenthesis in acl selector starting at '…': x'.",
  );
  assert.equal(
    namedReplyError(
      "ACL SETUSER",
      new ReplyError(
        "ERR Unmatched parenthesis in acl selector starting at '(>pw +get'.",
      ),
    ).message,
    "ERR Unmatched parenthesis in acl selector starting at '…'",
  );
  const other = new ReplyError("ERR Error in modifier 'x': y");
  assert.equal(namedReplyError("CONFIG SET", other), other);
  assert.equal(other.command, "CONFIG SET");
});

Deno.test("ServerCommands return the same values under RESP2 and RESP3", async (t) => {
  // ACL SAVE/LOAD need an ACL file, which must exist before the server starts.
  const aclDir = await Deno.makeTempDir({ prefix: "sleeve-acl-" });
  const aclfile = `${aclDir}/users.acl`;
  await Deno.writeTextFile(aclfile, "");
  await using _aclDir = {
    [Symbol.asyncDispose]: () => Deno.remove(aclDir, { recursive: true }),
  };
  await using server = await startRedisServer({ args: ["--aclfile", aclfile] });
  const { port } = server;

  await t.step("dbsize() counts the keys of each db view", async () => {
    await eachProtocol(port, async (redis) => {
      assert.equal(await redis.dbsize(), 0);
      await redis.db(3).mset({ a: "1", b: "2" });
      await redis.set("zero", "0");
      assert.equal(await redis.db(3).dbsize(), 2);
      assert.equal(await redis.dbsize(), 1);
      assert.equal(await redis.db(0).dbsize(), 1);
      assert.equal(await redis.db(4).dbsize(), 0);
      assert.equal(await redis.binary.db(3).dbsize(), 2);
    });
  });

  await t.step("flushdb() empties only the view's database", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.set("a", "1");
      await redis.db(3).set("b", "2");
      assert.equal(await redis.db(3).flushdb(), "OK");
      assert.equal(await redis.db(3).dbsize(), 0);
      assert.equal(await redis.dbsize(), 1);
      assert.equal(await redis.flushdb("SYNC"), "OK");
      assert.equal(await redis.dbsize(), 0);
      await redis.set("c", "3");
      assert.equal(await redis.flushdb("ASYNC"), "OK");
      assert.equal(await redis.dbsize(), 0);
    });
  });

  await t.step("flushall() empties every database", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.set("a", "1");
      await redis.db(5).set("b", "2");
      assert.equal(await redis.flushall("SYNC"), "OK");
      assert.equal(await redis.dbsize(), 0);
      assert.equal(await redis.db(5).dbsize(), 0);
      await redis.set("a", "1");
      assert.equal(await redis.db(2).flushall("ASYNC"), "OK");
      assert.equal(await redis.dbsize(), 0);
    });
  });

  await t.step(
    "info() parses sections by lower-case name, also on binary views",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.set("a", "1");
        const all = await redis.info();
        assert.equal(Object.getPrototypeOf(all), null);
        for (
          const section of [
            "server",
            "clients",
            "memory",
            "persistence",
            "stats",
            "replication",
            "cpu",
            "keyspace",
          ]
        ) {
          assert.ok(section in all, section);
        }
        assert.match(all.server!.redis_version!, /^\d+\.\d+\.\d+$/);
        assert.equal(all.server!.tcp_port, String(port));
        // Values keep everything after the first colon, empty ones included.
        assert.match(all.server!.executable!, /redis-server/);
        assert.equal(all.server!.config_file, "");
        assert.match(all.keyspace!.db0!, /^keys=1,expires=0,/);
        const two = await redis.info("server", "clients");
        assert.deepStrictEqual(Object.keys(two), ["server", "clients"]);
        const stats = await redis.info("commandstats");
        assert.match(stats.commandstats!.cmdstat_set!, /^calls=\d+,usec=/);
        const binary = await redis.binary.info("server");
        assert.equal(binary.server!.tcp_port, String(port));
      });
    },
  );

  await t.step("time() returns seconds and microseconds", async () => {
    await eachProtocol(port, async (redis) => {
      const before = Math.floor(Date.now() / 1000);
      const { seconds, microseconds } = await redis.time();
      const after = Math.ceil(Date.now() / 1000);
      assert.ok(seconds >= before - 1 && seconds <= after + 1, `${seconds}`);
      assert.ok(
        Number.isInteger(microseconds) && microseconds >= 0 &&
          microseconds < 1_000_000,
        `${microseconds}`,
      );
      assert.deepStrictEqual(
        Object.keys(await redis.binary.time()),
        ["seconds", "microseconds"],
      );
    });
  });

  await t.step(
    "configGet() reads back what configSet() set, as a record",
    async () => {
      await eachProtocol(port, async (redis) => {
        const saved = await redis.configGet(
          "maxmemory-samples",
          "slowlog-max-len",
        );
        assert.deepStrictEqual(
          saved,
          bare([["maxmemory-samples", "5"], ["slowlog-max-len", "128"]]),
        );
        assert.equal(
          await redis.configSet({
            "maxmemory-samples": 7,
            "slowlog-max-len": "200",
          }),
          "OK",
        );
        assert.deepStrictEqual(
          await redis.binary.configGet("maxmemory-samples", "slowlog-max-len"),
          bare([["maxmemory-samples", "7"], ["slowlog-max-len", "200"]]),
        );
        const matched = await redis.configGet("maxmemory-*");
        assert.equal(matched["maxmemory-samples"], "7");
        assert.equal(matched["maxmemory-policy"], "noeviction");
        assert.deepStrictEqual(await redis.configGet("no-such-*"), bare([]));
        // All or nothing: one invalid value leaves every parameter as it was.
        await assert.rejects(
          redis.configSet({ "maxmemory-samples": 9, maxmemory: "lots" }),
          (error) => {
            assert.ok(error instanceof ReplyError);
            assert.equal(error.command, "CONFIG SET");
            assert.doesNotMatch(error.message, /lots/);
            return true;
          },
        );
        assert.equal(
          (await redis.configGet("maxmemory-samples"))["maxmemory-samples"],
          "7",
        );
        assert.equal(await redis.configSet(saved), "OK");
        assert.deepStrictEqual(
          await redis.configGet("maxmemory-samples", "slowlog-max-len"),
          saved,
        );
      });
    },
  );

  await t.step(
    "configResetstat() clears the statistics, configRewrite() needs a config file",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.set("a", "1");
        assert.ok(
          "cmdstat_set" in (await redis.info("commandstats")).commandstats!,
        );
        assert.equal(await redis.configResetstat(), "OK");
        assert.ok(
          !("cmdstat_set" in (await redis.info("commandstats")).commandstats!),
        );
        // The server was started without a config file: the reply shows
        // the command reached it as CONFIG REWRITE.
        await assert.rejects(redis.configRewrite(), (error) => {
          assert.ok(error instanceof ReplyError);
          assert.equal(error.command, "CONFIG REWRITE");
          assert.match(error.message, /without a config file/);
          return true;
        });
      });
    },
  );

  await t.step("the HELP subcommands return their lines", async () => {
    await eachProtocol(port, async (redis) => {
      const helps: [string, Promise<string[]>][] = [
        ["CONFIG", redis.configHelp()],
        ["MEMORY", redis.memoryHelp()],
        ["SLOWLOG", redis.slowlogHelp()],
        ["LATENCY", redis.latencyHelp()],
        ["COMMAND", redis.commandHelp()],
        ["ACL", redis.aclHelp()],
      ];
      for (const [name, help] of helps) {
        const lines = await help;
        assert.ok(lines.length > 3, name);
        assert.ok(lines[0]!.startsWith(`${name} <subcommand>`), lines[0]);
        assert.ok(lines.every((line) => typeof line === "string"));
      }
      assert.deepStrictEqual(
        await redis.binary.configHelp(),
        await redis.configHelp(),
      );
    });
  });

  await t.step(
    "save(), bgsave(), bgrewriteaof() and lastsave() persist the data set",
    async () => {
      await eachProtocol(port, async (redis) => {
        const idle = async () => {
          const { persistence } = await redis.info("persistence");
          return persistence!.rdb_bgsave_in_progress === "0" &&
            persistence!.aof_rewrite_in_progress === "0" &&
            persistence!.aof_rewrite_scheduled === "0";
        };
        await until(idle, "no save in progress");
        const before = Math.floor(Date.now() / 1000);
        await redis.set("a", "1");
        assert.equal(await redis.save(), "OK");
        const saved = await redis.lastsave();
        assert.ok(saved >= before - 1, `${saved}`);
        assert.equal(typeof await redis.bigint.lastsave(), "bigint");
        assert.equal(
          (await redis.info("persistence")).persistence!
            .rdb_changes_since_last_save,
          "0",
        );
        // Sent in one batch: the rewrite is still running when BGSAVE
        // arrives, so the save is scheduled rather than refused.
        const [rewrite, scheduled] = await Promise.all([
          redis.bgrewriteaof(),
          redis.bgsave({ schedule: true }),
        ]);
        assert.match(rewrite, /^Background append only file rewriting/);
        assert.equal(scheduled, "Background saving scheduled");
        await until(idle, "the rewrite and the scheduled save");
        await redis.set("b", "2");
        assert.equal(await redis.bgsave(), "Background saving started");
        await until(idle, "the background save");
        assert.equal(
          (await redis.info("persistence")).persistence!.rdb_last_bgsave_status,
          "ok",
        );
      });
    },
  );

  await t.step("role() describes a master and its replica", async () => {
    await eachProtocol(port, async (redis) => {
      assert.deepStrictEqual(await redis.role(), {
        role: "master",
        replicationOffset: 0,
        replicas: [],
      });
    });
    // Without the default 5 s wait for more replicas before a diskless sync.
    await using admin = await connect({ port });
    await admin.configSet({ "repl-diskless-sync-delay": 0 });
    await using replica = await startRedisServer({
      args: ["--replicaof", "127.0.0.1", String(port)],
    });
    for (const protocol of PROTOCOLS) {
      await using master = await connect({ port, protocol });
      await using follower = await connect({ port: replica.port, protocol });
      await until(async () => {
        const role = await follower.role();
        return role.role === "replica" && role.state === "connected";
      }, "the replica's sync");
      const role = await follower.role();
      assert.ok(role.role === "replica");
      assert.deepStrictEqual(role, {
        role: "replica",
        masterHost: "127.0.0.1",
        masterPort: port,
        state: "connected",
        replicationOffset: role.replicationOffset,
      });
      assert.ok(role.replicationOffset >= 0);
      await until(async () => {
        const role = await master.role();
        return role.role === "master" && role.replicas.length === 1;
      }, "the master to list its replica");
      const mine = await master.binary.role();
      assert.ok(mine.role === "master");
      assert.equal(mine.replicas[0]!.host, "127.0.0.1");
      assert.equal(mine.replicas[0]!.port, replica.port);
      assert.equal(typeof mine.replicas[0]!.replicationOffset, "number");
      assert.equal(typeof mine.replicationOffset, "number");
    }
  });

  await t.step("lolwut() returns art that names the version", async () => {
    await eachProtocol(port, async (redis) => {
      const version = (await redis.info("server")).server!.redis_version!;
      assert.ok((await redis.lolwut()).includes(`Redis ver. ${version}`));
      const art = await redis.binary.lolwut({ version: 5 });
      assert.ok(art.includes(`Redis ver. ${version}`));
      assert.ok(art.split("\n").length > 10);
    });
  });

  await t.step(
    "memoryStats() returns numbers, and per-database records",
    async () => {
      let first: string[] | undefined;
      await eachProtocol(port, async (redis) => {
        await redis.set("a", "1");
        const stats = await redis.memoryStats();
        assert.equal(Object.getPrototypeOf(stats), null);
        assert.ok(stats["total.allocated"] > 0);
        assert.equal(stats["keys.count"], 1);
        // A double: RESP3 sends it as one, RESP2 as text.
        assert.equal(typeof stats["dataset.percentage"], "number");
        assert.equal(typeof stats.fragmentation, "number");
        const db0 = stats["db.0"];
        assert.equal(typeof db0["overhead.hashtable.main"], "number");
        const names = Object.keys(stats);
        if (first === undefined) first = names;
        else assert.deepStrictEqual(names, first);
      });
    },
  );

  await t.step(
    "memoryUsage() sizes a key, null when missing; the reports are text",
    async () => {
      await eachProtocol(port, async (redis) => {
        const key = new Uint8Array([0xff, 0x00]);
        await redis.set(key, "x".repeat(1000));
        const size = await redis.memoryUsage(key);
        assert.ok(size !== null && size > 1000, `${size}`);
        assert.equal(await redis.memoryUsage(key, { samples: 0 }), size);
        assert.equal(await redis.memoryUsage("missing"), null);
        assert.equal(await redis.bigint.memoryUsage(key), BigInt(size));
        assert.equal(typeof await redis.memoryDoctor(), "string");
        assert.match(await redis.memoryMallocStats(), /\S/);
        assert.equal(await redis.memoryPurge(), "OK");
      });
    },
  );

  await t.step(
    "slowlogGet() returns typed entries; slowlogLen() and slowlogReset() agree",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.configSet({ "slowlog-log-slower-than": 0 });
        try {
          assert.equal(await redis.slowlogReset(), "OK");
          await redis.set("slow", "value");
          const entries = await redis.slowlogGet(-1);
          const entry = entries.find((e) => e.args[0] === "SET");
          assert.ok(entry !== undefined);
          assert.deepStrictEqual(entry.args, ["SET", "slow", "value"]);
          assert.ok(Number.isInteger(entry.id));
          assert.ok(entry.duration >= 0);
          assert.ok(Math.abs(entry.timestamp - Date.now() / 1000) < 60);
          assert.match(entry.clientAddress, /^127\.0\.0\.1:\d+$/);
          assert.equal(entry.clientName, "");
          assert.ok(
            entries.every((e, i) => i === 0 || e.id < entries[i - 1]!.id),
          );
          assert.equal((await redis.slowlogGet(1)).length, 1);
          const [binary] = (await redis.binary.slowlogGet(-1)).filter((e) =>
            e.args.length === 3 && e.args[1]![0] === 0x73 // "s"
          );
          assert.deepStrictEqual(binary!.args[2], utf8.encode("value"));
          const length = await redis.slowlogLen();
          assert.ok(length >= entries.length, `${length}`);
          assert.equal(typeof await redis.bigint.slowlogLen(), "bigint");
        } finally {
          await redis.configSet({ "slowlog-log-slower-than": 10000 });
        }
      });
    },
  );

  await t.step(
    "the LATENCY subcommands report a spike and its history",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.configSet({ "latency-monitor-threshold": 1 });
        try {
          await redis.latencyReset();
          await redis.send("DEBUG", "SLEEP", "0.02");
          const latest = await redis.latencyLatest();
          const command = latest.find((e) => e.event === "command");
          assert.ok(command !== undefined, JSON.stringify(latest));
          assert.ok(command.latest >= 20 && command.max >= command.latest);
          assert.ok(Math.abs(command.timestamp - Date.now() / 1000) < 60);
          const history = await redis.latencyHistory("command");
          assert.equal(history.length, 1);
          assert.deepStrictEqual(Object.keys(history[0]!), [
            "timestamp",
            "latency",
          ]);
          assert.ok(history[0]!.latency >= 20);
          assert.match(await redis.latencyGraph("command"), /^command - high/);
          assert.equal(typeof await redis.latencyDoctor(), "string");
          assert.equal(await redis.latencyReset("no-such-event"), 0);
          assert.equal(await redis.latencyReset("command"), 1);
          assert.deepStrictEqual(await redis.latencyHistory("command"), []);
        } finally {
          await redis.configSet({ "latency-monitor-threshold": 0 });
        }
        await redis.configResetstat();
        await redis.set("a", "1");
        await redis.set("b", "2");
        const { set, ...others } = await redis.latencyHistogram("set", "get");
        assert.deepStrictEqual(others, {}, "get never ran");
        assert.ok(set !== undefined);
        assert.equal(set.calls, 2);
        const buckets = Object.entries(set.histogramUsec);
        assert.ok(buckets.length >= 1);
        for (const [bound, calls] of buckets) {
          assert.equal(Math.log2(Number(bound)) % 1, 0, bound);
          assert.ok(calls >= 1 && calls <= 2);
        }
        assert.ok("set" in await redis.latencyHistogram());
      });
    },
  );

  await t.step(
    "commandInfo() and commandDocs() are typed objects, identical under RESP2 and RESP3",
    async () => {
      const seen: unknown[] = [];
      await eachProtocol(port, async (redis) => {
        const [get, config, unknown] = await redis.commandInfo(
          "get",
          "config",
          "no-such-command",
        );
        assert.deepStrictEqual(get, {
          name: "get",
          arity: 2,
          flags: ["readonly", "fast"],
          firstKey: 1,
          lastKey: 1,
          step: 1,
          aclCategories: ["@read", "@string", "@fast"],
          tips: [],
          keySpecs: [{
            flags: ["RO", "access"],
            beginSearch: { type: "index", index: 1 },
            findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 },
          }],
          subcommands: [],
        });
        assert.equal(unknown, null);
        const set = config!.subcommands.find((c) => c.name === "config|set");
        assert.deepStrictEqual(set?.tips, [
          "request_policy:all_nodes",
          "response_policy:all_succeeded",
        ]);
        const [xread] = await redis.commandInfo("xread");
        assert.deepStrictEqual(xread!.keySpecs[0]!.beginSearch, {
          type: "keyword",
          keyword: "STREAMS",
          startFrom: 1,
        });
        const [zunion] = await redis.commandInfo("zunionstore");
        assert.deepStrictEqual(zunion!.keySpecs[1]!.findKeys, {
          type: "keynum",
          keyNumIndex: 0,
          firstKey: 1,
          keyStep: 1,
        });
        const all = await redis.commandInfo();
        assert.equal(all.length, await redis.commandCount());

        const docs = await redis.commandDocs("set", "georadius", "config");
        assert.equal(Object.getPrototypeOf(docs), null);
        assert.deepStrictEqual(Object.keys(docs).sort(), [
          "config",
          "georadius",
          "set",
        ]);
        assert.equal(docs.set!.group, "string");
        assert.equal(docs.set!.since, "1.0.0");
        assert.deepStrictEqual(docs.set!.arguments[0], {
          name: "key",
          type: "key",
          keySpecIndex: 0,
          flags: [],
          arguments: [],
        });
        const condition = docs.set!.arguments.find((a) =>
          a.name === "condition"
        );
        assert.deepStrictEqual(condition?.flags, ["optional"]);
        assert.deepStrictEqual(
          condition?.arguments.map((a) => a.token),
          ["NX", "XX"],
        );
        assert.deepStrictEqual(docs.set!.history[0], {
          version: "2.6.12",
          description: "Added the `EX`, `PX`, `NX` and `XX` options.",
        });
        assert.deepStrictEqual(docs.georadius!.docFlags, ["deprecated"]);
        assert.equal(docs.georadius!.deprecatedSince, "6.2.0");
        assert.match(docs.georadius!.replacedBy!, /GEOSEARCH/);
        assert.ok("config|get" in docs.config!.subcommands);
        assert.deepStrictEqual(docs.config!.arguments, []);
        assert.deepStrictEqual(
          await redis.commandDocs("no-such-command"),
          bare([]),
        );
        seen.push([all, await redis.commandDocs()]);
      });
      // Every command's description and documentation, compared whole.
      assert.deepStrictEqual(seen[0], seen[1]);
    },
  );

  await t.step(
    "commandGetkeys(), commandGetkeysandflags() and commandList() find keys and names",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.deepStrictEqual(
          await redis.commandGetkeys("MSET", "a", "1", "b", "2"),
          ["a", "b"],
        );
        assert.deepStrictEqual(
          await redis.commandGetkeys("OBJECT", "ENCODING", "k"),
          ["k"],
        );
        assert.deepStrictEqual(
          await redis.binary.commandGetkeys("GET", new Uint8Array([0xff])),
          [new Uint8Array([0xff])],
        );
        await assert.rejects(redis.commandGetkeys("PING"), ReplyError);
        assert.deepStrictEqual(
          await redis.commandGetkeysandflags(
            "LMOVE",
            "a",
            "b",
            "LEFT",
            "RIGHT",
          ),
          [
            { key: "a", flags: ["RW", "access", "delete"] },
            { key: "b", flags: ["RW", "insert"] },
          ],
        );
        const names = await redis.commandList();
        assert.ok(names.includes("get") && names.includes("config|get"));
        assert.deepStrictEqual(
          (await redis.commandList({ filterBy: { pattern: "xinfo*" } })).sort(),
          [
            "xinfo",
            "xinfo|consumers",
            "xinfo|groups",
            "xinfo|help",
            "xinfo|stream",
          ],
        );
        const hll = await redis.commandList({
          filterBy: { aclcat: "hyperloglog" },
        });
        assert.deepStrictEqual(hll.sort(), [
          "pfadd",
          "pfcount",
          "pfdebug",
          "pfmerge",
          "pfselftest",
        ]);
        assert.deepStrictEqual(
          await redis.commandList({ filterBy: { module: "no-such-module" } }),
          [],
        );
        assert.equal(typeof await redis.bigint.commandCount(), "bigint");
      });
    },
  );

  await t.step(
    "aclSetuser() creates a user that aclGetuser(), aclList() and aclDryrun() describe",
    async () => {
      const hash = Array.from(
        new Uint8Array(
          await crypto.subtle.digest("SHA-256", utf8.encode("s3cret")),
        ),
        (b) => b.toString(16).padStart(2, "0"),
      ).join("");
      await eachProtocol(port, async (redis) => {
        try {
          assert.equal(
            await redis.aclSetuser("alice", "on", ">s3cret", "~a*", "+get"),
            "OK",
          );
          assert.deepStrictEqual(await redis.aclGetuser("alice"), {
            flags: ["on"],
            passwords: [hash],
            commands: "-@all +get",
            keys: "~a*",
            channels: "",
            selectors: [],
          });
          await redis.aclSetuser("alice", "(~b* +set)");
          assert.deepStrictEqual(
            (await redis.binary.aclGetuser("alice"))?.selectors,
            [{ commands: "-@all +set", keys: "~b*", channels: "" }],
          );
          assert.equal(await redis.aclGetuser("nobody"), null);
          assert.deepStrictEqual(await redis.aclUsers(), ["alice", "default"]);
          const list = await redis.aclList();
          assert.equal(list.length, 2);
          assert.ok(list[0]!.startsWith("user alice on #"), list[0]);
          assert.ok(list[0]!.includes(hash));
          assert.equal(await redis.aclWhoami(), "default");
          assert.equal(await redis.aclDryrun("alice", "get", "a1"), "OK");
          assert.equal(await redis.aclDryrun("alice", "set", "b1", "x"), "OK");
          assert.match(
            await redis.aclDryrun("alice", "set", "a1", "x"),
            /no permissions/,
          );
          await assert.rejects(
            redis.aclDryrun("nobody", "get", "a"),
            ReplyError,
          );
          const cats = await redis.aclCat();
          assert.ok(cats.includes("geo") && cats.includes("dangerous"));
          assert.ok((await redis.aclCat("geo")).includes("geoadd"));
          assert.match(await redis.aclGenpass(), /^[0-9a-f]{64}$/);
          assert.match(await redis.aclGenpass(30), /^[0-9a-f]{8}$/);
        } finally {
          assert.equal(await redis.aclDeluser("alice", "nobody"), 1);
        }
        assert.equal(await redis.aclDeluser("alice"), 0);
        assert.equal(typeof await redis.bigint.aclDeluser("alice"), "bigint");
      });
    },
  );

  await t.step(
    "aclSetuser()'s errors never carry the rule, which may hold a password",
    async () => {
      await eachProtocol(port, async (redis) => {
        const hidden = (error: unknown) => {
          assert.ok(error instanceof ReplyError, String(error));
          assert.equal(error.command, "ACL SETUSER");
          assert.equal(error.code, "ERR");
          assert.doesNotMatch(error.message, /hunter2/);
          assert.doesNotMatch(error.stack ?? "", /hunter2/);
          assert.match(error.message, /'…'/);
          return true;
        };
        await assert.rejects(redis.aclSetuser("eve", "<hunter2"), hidden);
        await assert.rejects(redis.aclSetuser("eve", "(>hunter2 +get"), hidden);
        await assert.rejects(
          redis.send("ACL", "SETUSER", "eve", "<hunter2"),
          hidden,
        );
        const [piped] = await redis.pipeline().aclSetuser("eve", "<hunter2")
          .exec();
        hidden(piped);
        // Refused when it runs, inside EXEC's reply.
        const [queued] = await redis.multi().aclSetuser("eve", "<hunter2")
          .exec();
        hidden(queued);
        const event = nextEvent(redis, "error");
        redis.fireAndForget.aclSetuser("eve", "<hunter2");
        hidden((await event).error);
        assert.equal(await redis.aclGetuser("eve"), null);
      });
    },
  );

  await t.step(
    "aclLog() lists denials and aclLog({ reset: true }) empties it",
    async () => {
      await eachProtocol(port, async (redis, protocol) => {
        await redis.aclLog({ reset: true });
        await redis.aclSetuser(
          "bob",
          "on",
          ">pw",
          "~a*",
          "+get",
          // What connect() sends: HELLO, PING, CONFIG GET.
          "+@connection",
          "+config|get",
        );
        try {
          await using bob = await connect({
            port,
            protocol,
            username: "bob",
            password: "pw",
          });
          await assert.rejects(bob.set("a", "1"), ReplyError);
          await assert.rejects(bob.get("b"), ReplyError);
          const entries = await redis.aclLog();
          assert.equal(entries.length, 2);
          const [key, command] = entries;
          assert.deepStrictEqual(
            { ...key!, ageSeconds: 0, clientInfo: "" },
            {
              count: 1,
              reason: "key",
              context: "toplevel",
              object: "b",
              username: "bob",
              ageSeconds: 0,
              clientInfo: "",
            },
          );
          assert.equal(command!.reason, "command");
          assert.equal(command!.object, "set");
          assert.ok(key!.ageSeconds >= 0 && key!.ageSeconds < 60);
          assert.match(key!.clientInfo, /user=bob/);
          assert.equal((await redis.aclLog({ count: 1 })).length, 1);
          assert.equal(await redis.aclLog({ reset: true }), "OK");
          assert.deepStrictEqual(await redis.aclLog(), []);
        } finally {
          await redis.aclDeluser("bob");
        }
      });
    },
  );

  await t.step(
    "aclSave() writes the ACL file and aclLoad() reads it back",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.aclSetuser("carol", "on", "nopass", "+ping");
        assert.equal(await redis.aclSave(), "OK");
        assert.match(
          await Deno.readTextFile(aclfile),
          /^user carol on nopass/m,
        );
        await redis.aclDeluser("carol");
        assert.equal(await redis.aclGetuser("carol"), null);
        assert.equal(await redis.aclLoad(), "OK");
        assert.deepStrictEqual(
          (await redis.aclGetuser("carol"))?.commands,
          "-@all +ping",
        );
        await redis.aclDeluser("carol");
        await redis.aclSave();
      });
    },
  );

  await t.step(
    "server commands queue typed results in multi() and pipeline()",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.set("a", "1");
        const [set, config, size, time, info] = succeeded(
          await redis.multi()
            .configSet({ "maxmemory-samples": 6 })
            .configGet("maxmemory-samples")
            .dbsize()
            .time()
            .info("keyspace")
            .exec(),
        );
        assert.equal(set, "OK");
        assert.deepStrictEqual(config, bare([["maxmemory-samples", "6"]]));
        assert.equal(size, 1);
        assert.equal(typeof time.seconds, "number");
        assert.match(info.keyspace!.db0!, /^keys=1,/);
        const [role, count, user, keys, reset] = succeeded(
          await redis.pipeline()
            .role()
            .commandCount()
            .aclWhoami()
            .commandGetkeys("SET", "k", "v")
            .configSet({ "maxmemory-samples": 5 })
            .exec(),
        );
        assert.equal(role.role, "master");
        assert.ok(count > 200);
        assert.equal(user, "default");
        assert.deepStrictEqual(keys, ["k"]);
        assert.equal(reset, "OK");
        assert.equal(
          redis.fireAndForget.configSet({ "maxmemory-samples": 8 }),
          undefined,
        );
        assert.equal(
          (await redis.configGet("maxmemory-samples"))["maxmemory-samples"],
          "8",
        );
        await redis.configSet({ "maxmemory-samples": 5 });
      });
    },
  );

  await t.step(
    "fireAndForget server commands return nothing and keep their order",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.set("a", "1");
        assert.equal(redis.fireAndForget.flushdb(), undefined);
        assert.equal(redis.fireAndForget.ping(), undefined);
        assert.equal(await redis.dbsize(), 0);
      });
    },
  );
});
