// ScriptingCommands (EVAL*, SCRIPT *) and FunctionCommands (FCALL*,
// FUNCTION *) against a real redis-server, under RESP2 and RESP3.

import assert from "node:assert/strict";
import { ReplyError } from "../../mod.ts";
import type { FunctionLibrary, Redis } from "../../mod.ts";
import {
  functionListArgs,
  functionLoadArgs,
  scriptArgs,
} from "../../lib/commands/scripting_options.ts";
import { eachProtocol } from "../_support/protocols.ts";
import { encodeCommand, RawConnection } from "../_support/raw_connection.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { succeeded } from "../_support/results.ts";

const utf8 = new TextEncoder();

const LIBRARY = "#!lua name=mylib\n" +
  "redis.register_function('bump', function(keys, args) " +
  "return redis.call('INCRBY', keys[1], args[1]) end)\n" +
  "redis.register_function{function_name='peek', flags={'no-writes'}, " +
  "description='reads a key', " +
  "callback=function(keys) return redis.call('GET', keys[1]) end}";

const SPIN = "#!lua name=spinlib\n" +
  "redis.register_function{function_name='spin', flags={'no-writes'}, " +
  "callback=function() while true do end end}";

/** What FUNCTION LIST says of LIBRARY, under either protocol. */
const MYLIB: FunctionLibrary = {
  libraryName: "mylib",
  engine: "LUA",
  functions: [
    { name: "bump", description: null, flags: [] },
    { name: "peek", description: "reads a key", flags: ["no-writes"] },
  ],
};

async function sha1(script: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", utf8.encode(script));
  return [...new Uint8Array(digest)]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

/** FUNCTION LIST with its functions in name order (the server's is not fixed). */
async function libraries(redis: Redis): Promise<FunctionLibrary[]> {
  return (await redis.functionList()).map((library) => ({
    ...library,
    functions: library.functions.sort((a, b) => a.name.localeCompare(b.name)),
  }));
}

/** Retries `kill` until a script is running (NOTBUSY before it starts). */
async function killWhenBusy(kill: () => Promise<"OK">): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      assert.equal(await kill(), "OK");
      return;
    } catch (error) {
      if (!(error instanceof ReplyError && error.code === "NOTBUSY")) {
        throw error;
      }
      if (Date.now() > deadline) throw error;
    }
  }
}

Deno.test("scriptArgs counts the keys before them and the arguments", () => {
  assert.deepStrictEqual(scriptArgs("return 1", undefined, undefined), [
    "return 1",
    0,
  ]);
  assert.deepStrictEqual(scriptArgs("s", [], ["a"]), ["s", 0, "a"]);
  const key = new Uint8Array([0xff]);
  assert.deepStrictEqual(scriptArgs("s", ["k1", key], [1, 2n]), [
    "s",
    2,
    "k1",
    key,
    1,
    2n,
  ]);
});

Deno.test("functionLoadArgs and functionListArgs add their clauses", () => {
  assert.deepStrictEqual(functionLoadArgs("code", undefined), ["code"]);
  assert.deepStrictEqual(functionLoadArgs("code", { replace: false }), [
    "code",
  ]);
  assert.deepStrictEqual(functionLoadArgs("code", { replace: true }), [
    "REPLACE",
    "code",
  ]);
  assert.deepStrictEqual(functionListArgs(undefined), []);
  assert.deepStrictEqual(functionListArgs({ withCode: false }), []);
  assert.deepStrictEqual(
    functionListArgs({ libraryName: "my*", withCode: true }),
    ["LIBRARYNAME", "my*", "WITHCODE"],
  );
});

Deno.test("ScriptingCommands return the same values under RESP2 and RESP3", async (t) => {
  // Scripts past 20 ms let the server answer SCRIPT KILL and FUNCTION STATS.
  await using server = await startRedisServer({
    args: ["--busy-reply-threshold", "20"],
  });
  const { port } = server;

  await t.step(
    "eval() passes keys and arguments and returns the raw reply",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(
          await redis.eval(
            "return redis.call('SET', KEYS[1], ARGV[1])",
            ["k"],
            ["v"],
          ),
          "OK",
        );
        assert.equal(await redis.get("k"), "v");
        assert.equal(await redis.eval("return 1 + 1"), 2);
        assert.deepStrictEqual(
          await redis.eval("return {KEYS[1], KEYS[2], ARGV[1], #ARGV}", [
            "a",
            "b",
          ], ["x", 7]),
          ["a", "b", "x", 2],
        );
        const reply = await redis.eval(
          "return {1, 'two', false, {ok='fine'}, {err='BAD thing'}}",
        );
        assert.ok(Array.isArray(reply));
        assert.deepStrictEqual(reply.slice(0, 4), [1, "two", null, "fine"]);
        assert.ok(reply[4] instanceof ReplyError);
        assert.equal(reply[4].code, "BAD");
        assert.equal(await redis.eval("return nil"), null);
        // Integers a script passes through are never rounded.
        await redis.set("big", "9007199254740993");
        assert.equal(
          await redis.eval("return redis.call('INCR', KEYS[1])", ["big"]),
          9007199254740994n,
        );
        // Bulk strings follow the view.
        assert.deepStrictEqual(
          await redis.binary.eval("return ARGV[1]", [], [
            new Uint8Array([0, 0xff]),
          ]),
          new Uint8Array([0, 0xff]),
        );
        await assert.rejects(
          redis.eval("return redis.error_reply('NOPE not today')"),
          (error) => {
            assert.ok(error instanceof ReplyError);
            assert.equal(error.code, "NOPE");
            assert.equal(error.command, "EVAL");
            return true;
          },
        );
        await assert.rejects(redis.eval("this is not lua"), ReplyError);
      });
    },
  );

  await t.step("evalRo() reads and refuses writes", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.set("k", "v");
      assert.equal(
        await redis.evalRo("return redis.call('GET', KEYS[1])", ["k"]),
        "v",
      );
      await assert.rejects(
        redis.evalRo("return redis.call('SET', KEYS[1], 'w')", ["k"]),
        ReplyError,
      );
      assert.equal(await redis.get("k"), "v");
    });
  });

  await t.step(
    "scriptLoad(), scriptExists(), evalsha() and scriptFlush() share the cache",
    async () => {
      await eachProtocol(port, async (redis) => {
        const script = "return redis.call('INCRBY', KEYS[1], ARGV[1])";
        const digest = await redis.scriptLoad(script);
        assert.equal(digest, await sha1(script));
        assert.equal(await redis.binary.scriptLoad(script), digest);
        assert.deepStrictEqual(
          await redis.scriptExists(digest, "0".repeat(40)),
          [true, false],
        );
        assert.equal(await redis.evalsha(digest, ["n"], [5]), 5);
        assert.equal(await redis.evalsha(digest.toUpperCase(), ["n"], [1]), 6);
        const read = await redis.scriptLoad(
          "return redis.call('GET', KEYS[1])",
        );
        assert.equal(await redis.evalshaRo(read, ["n"]), "6");
        await assert.rejects(redis.evalshaRo(digest, ["n"], [1]), ReplyError);
        assert.equal(await redis.scriptFlush("SYNC"), "OK");
        assert.deepStrictEqual(await redis.scriptExists(digest, read), [
          false,
          false,
        ]);
        await assert.rejects(redis.evalsha(digest, ["n"], [1]), (error) => {
          assert.ok(error instanceof ReplyError);
          assert.equal(error.code, "NOSCRIPT");
          return true;
        });
        await redis.scriptLoad(script);
        assert.equal(await redis.scriptFlush("ASYNC"), "OK");
        await redis.scriptLoad(script);
        assert.equal(await redis.scriptFlush(), "OK");
        assert.deepStrictEqual(await redis.scriptExists(digest), [false]);
        await assert.rejects(redis.scriptLoad("not lua ("), ReplyError);
      });
    },
  );

  await t.step(
    "scriptKill() stops a running script; NOTBUSY when none runs",
    async () => {
      await eachProtocol(port, async (redis) => {
        await assert.rejects(redis.scriptKill(), (error) => {
          assert.ok(error instanceof ReplyError);
          assert.equal(error.code, "NOTBUSY");
          return true;
        });
        using raw = await RawConnection.connect({ port });
        await raw.write(encodeCommand(["EVAL", "while true do end", "0"]));
        await killWhenBusy(() => redis.scriptKill());
        assert.match((await raw.readReply())!, /^-.*killed/i);
        assert.equal(await redis.ping(), "PONG");
      });
    },
  );

  await t.step("scriptHelp() returns lines of text", async () => {
    await eachProtocol(port, async (redis) => {
      const lines = await redis.scriptHelp();
      assert.ok(lines.some((line) => line.startsWith("LOAD")));
      assert.deepStrictEqual(await redis.binary.scriptHelp(), lines);
    });
  });

  await t.step(
    "functionLoad(), fcall() and fcallRo() run a library's functions",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.functionFlush();
        assert.equal(await redis.functionLoad(LIBRARY), "mylib");
        await assert.rejects(redis.functionLoad(LIBRARY), ReplyError);
        assert.equal(
          await redis.functionLoad(LIBRARY, { replace: true }),
          "mylib",
        );
        assert.equal(
          await redis.binary.functionLoad(utf8.encode(LIBRARY), {
            replace: true,
          }),
          "mylib",
        );
        assert.equal(await redis.fcall("bump", ["n"], [5]), 5);
        assert.equal(await redis.fcall("bump", ["n"], [2n]), 7);
        assert.equal(await redis.fcallRo("peek", ["n"]), "7");
        assert.equal(await redis.fcall("peek", ["none"]), null);
        assert.deepStrictEqual(
          await redis.binary.fcallRo("peek", ["n"]),
          utf8.encode("7"),
        );
        await assert.rejects(redis.fcallRo("bump", ["n"], [1]), ReplyError);
        await assert.rejects(redis.fcall("missing"), (error) => {
          assert.ok(error instanceof ReplyError);
          assert.equal(error.command, "FCALL");
          return true;
        });
        assert.equal(await redis.get("n"), "7");
      });
    },
  );

  await t.step(
    "functionList() describes libraries, with code on request",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.functionFlush();
        assert.deepStrictEqual(await redis.functionList(), []);
        await redis.functionLoad(LIBRARY);
        await redis.functionLoad(SPIN);
        const all = await libraries(redis);
        assert.deepStrictEqual(
          all.map((library) => library.libraryName).sort(),
          ["mylib", "spinlib"],
        );
        assert.deepStrictEqual(
          all.find((library) => library.libraryName === "mylib"),
          MYLIB,
        );
        const [mine] = await redis.functionList({ libraryName: "my*" });
        assert.equal(mine?.libraryName, "mylib");
        assert.equal("libraryCode" in mine!, false);
        const [coded] = await redis.functionList({
          libraryName: "mylib",
          withCode: true,
        });
        assert.equal(coded?.libraryCode, LIBRARY);
        // Names and code are text on binary views too.
        const [binary] = await redis.binary.functionList({
          libraryName: "spin*",
          withCode: true,
        });
        assert.equal(binary?.libraryName, "spinlib");
        assert.equal(binary?.libraryCode, SPIN);
        assert.deepStrictEqual(
          await redis.functionList({ libraryName: "nothing*" }),
          [],
        );
      });
    },
  );

  await t.step(
    "functionStats() reports the engines and the running function; functionKill() stops it",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.functionFlush();
        await redis.functionLoad(LIBRARY);
        await redis.functionLoad(SPIN);
        const idle = await redis.functionStats();
        assert.equal(idle.runningScript, null);
        assert.deepStrictEqual({ ...idle.engines }, {
          LUA: { librariesCount: 2, functionsCount: 3 },
        });
        assert.equal(Object.getPrototypeOf(idle.engines), null);
        await assert.rejects(redis.functionKill(), (error) => {
          assert.ok(error instanceof ReplyError);
          assert.equal(error.code, "NOTBUSY");
          return true;
        });
        using raw = await RawConnection.connect({ port });
        await raw.write(encodeCommand(["FCALL", "spin", "1", "key", "arg"]));
        let stats = await redis.functionStats();
        const deadline = Date.now() + 5_000;
        while (stats.runningScript === null && Date.now() < deadline) {
          stats = await redis.functionStats();
        }
        const running = stats.runningScript;
        assert.ok(running !== null);
        assert.equal(running.name, "spin");
        assert.deepStrictEqual(running.command, [
          "FCALL",
          "spin",
          "1",
          "key",
          "arg",
        ]);
        assert.ok(Number.isInteger(running.durationMs));
        // The command's arguments follow the view.
        const binary = await redis.binary.functionStats();
        assert.deepStrictEqual(
          binary.runningScript?.command[0],
          utf8.encode("FCALL"),
        );
        await killWhenBusy(() => redis.functionKill());
        assert.match((await raw.readReply())!, /^-.*killed/i);
        assert.equal((await redis.functionStats()).runningScript, null);
      });
    },
  );

  await t.step(
    "functionDump() returns bytes on every view; functionRestore() loads them",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.functionFlush();
        await redis.functionLoad(LIBRARY);
        const payload = await redis.functionDump();
        assert.ok(payload instanceof Uint8Array);
        assert.deepStrictEqual(await redis.binary.functionDump(), payload);
        // The payload ends in a checksum: bytes beyond ASCII survive.
        assert.equal(await redis.functionFlush("SYNC"), "OK");
        assert.deepStrictEqual(await redis.functionList(), []);
        assert.equal(await redis.functionRestore(payload), "OK");
        assert.deepStrictEqual(await libraries(redis), [MYLIB]);
        await assert.rejects(
          redis.functionRestore(payload, "APPEND"),
          ReplyError,
        );
        assert.equal(await redis.functionRestore(payload, "REPLACE"), "OK");
        await redis.functionLoad(SPIN);
        assert.equal(await redis.functionRestore(payload, "FLUSH"), "OK");
        assert.deepStrictEqual(await libraries(redis), [MYLIB]);
        await assert.rejects(
          redis.functionRestore(new Uint8Array([1, 2, 3])),
          ReplyError,
        );
      });
    },
  );

  await t.step(
    "functionDelete() and functionFlush() remove libraries",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.functionFlush();
        await redis.functionLoad(LIBRARY);
        await redis.functionLoad(SPIN);
        assert.equal(await redis.functionDelete("spinlib"), "OK");
        assert.deepStrictEqual(await libraries(redis), [MYLIB]);
        await assert.rejects(redis.functionDelete("spinlib"), ReplyError);
        assert.equal(await redis.functionFlush("ASYNC"), "OK");
        assert.deepStrictEqual(await redis.functionList(), []);
        await redis.functionLoad(LIBRARY);
        assert.equal(await redis.functionFlush(), "OK");
        assert.deepStrictEqual(await redis.functionList(), []);
      });
    },
  );

  await t.step("functionHelp() returns lines of text", async () => {
    await eachProtocol(port, async (redis) => {
      const lines = await redis.functionHelp();
      assert.ok(lines.some((line) => line.startsWith("LOAD")));
      assert.deepStrictEqual(await redis.binary.functionHelp(), lines);
    });
  });

  await t.step(
    "scripting methods queue in multi() and pipeline(); dumps stay bytes among text",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.functionFlush();
        await redis.functionLoad(LIBRARY);
        const [set, loaded, exists, bumped, dump, peeked, list] = succeeded(
          await redis
            .multi()
            .set("n", "1")
            .scriptLoad("return ARGV[1]")
            .scriptExists("0".repeat(40))
            .fcall("bump", ["n"], [2])
            .functionDump()
            .eval("return redis.call('GET', KEYS[1])", ["n"])
            .functionList({ withCode: true })
            .exec(),
        );
        assert.equal(set, "OK");
        assert.equal(loaded, await sha1("return ARGV[1]"));
        assert.deepStrictEqual(exists, [false]);
        assert.equal(bumped, 3);
        assert.ok(dump instanceof Uint8Array);
        assert.deepStrictEqual(dump, await redis.functionDump());
        // Decoded as bytes for the dump, the other results are text again.
        assert.equal(peeked, "3");
        assert.equal(list[0]?.libraryCode, LIBRARY);
        const [binaryDump, binaryValue] = await redis.binary.multi()
          .functionDump()
          .eval("return 'x'")
          .exec();
        assert.deepStrictEqual(binaryDump, dump);
        assert.deepStrictEqual(binaryValue, utf8.encode("x"));
        const [evaluated, shaReply, pipedDump, stats] = succeeded(
          await redis.pipeline()
            .eval("return ARGV[1]", [], ["piped"])
            .evalsha(loaded, [], ["sha"])
            .functionDump()
            .functionStats()
            .exec(),
        );
        assert.equal(evaluated, "piped");
        assert.equal(shaReply, "sha");
        assert.deepStrictEqual(pipedDump, dump);
        assert.equal(stats.engines.LUA?.librariesCount, 1);
      });
    },
  );

  await t.step(
    "fireAndForget scripting methods return nothing and keep their order",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(
          redis.fireAndForget.eval("redis.call('SET', KEYS[1], 'x')", ["k"]),
          undefined,
        );
        assert.equal(redis.fireAndForget.functionDump(), undefined);
        assert.equal(await redis.get("k"), "x");
      });
    },
  );
});
