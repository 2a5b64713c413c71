// Script objects (redis.script(lua)) and evalScript() against a real
// redis-server under RESP2 and RESP3: EVALSHA with the EVAL fallback (after
// SCRIPT FLUSH, with 100 runs in flight), EVAL inside multi()/pipeline(),
// the views (db, binary, bigint, with, fireAndForget), script errors; and
// the synchronous SHA-1 against crypto.subtle on many inputs.

import assert from "node:assert/strict";
import {
  type Redis,
  RedisErrorEvent,
  ReplyError,
  type RespValue,
  Script,
} from "../mod.ts";
import { sha1Hex } from "../lib/_sha1.ts";
import { command, keyIndexes } from "../lib/commands/_command.ts";
import { mulberry32 } from "./resp/_vectors.ts";
import { nextEvent, until } from "./_support/events.ts";
import { eachProtocol } from "./_support/protocols.ts";
import { startRedisServer } from "./_support/redis_server.ts";

const utf8 = new TextEncoder();

async function subtleHex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Calls and failed calls of a command, from INFO commandstats. */
async function stats(
  redis: Redis,
  name: string,
): Promise<{ calls: number; failed: number }> {
  const info = String(await redis.send("INFO", "commandstats"));
  const line = info.split("\r\n").find((l) => l.startsWith(`cmdstat_${name}:`));
  if (line === undefined) return { calls: 0, failed: 0 };
  const field = (key: string) =>
    Number(line.match(new RegExp(`${key}=(\\d+)`))![1]);
  return { calls: field("calls"), failed: field("failed_calls") };
}

/** How many NOSCRIPT errors the server sent, from INFO errorstats. */
async function noscripts(redis: Redis): Promise<number> {
  const info = String(await redis.send("INFO", "errorstats"));
  const match = info.match(/errorstat_NOSCRIPT:count=(\d+)/);
  return match === null ? 0 : Number(match[1]);
}

/** Forgets every script and zeroes the statistics: a fresh server's state. */
async function fresh(redis: Redis): Promise<void> {
  await redis.send("SCRIPT", "FLUSH");
  await redis.send("CONFIG", "RESETSTAT");
}

const INCR = "return redis.call('INCR', KEYS[1])";

Deno.test("sha1Hex matches crypto.subtle on random bytes and edge lengths", async () => {
  const next = mulberry32(0x5ca1ab1e);
  const lengths: number[] = [];
  for (let n = 0; n <= 200; n++) lengths.push(n);
  lengths.push(447, 448, 511, 512, 513, 1000, 4095, 4096, 65_537);
  for (let i = 0; i < 300; i++) lengths.push(next() % 10_000);
  for (const length of lengths) {
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i++) bytes[i] = next() & 0xff;
    assert.equal(sha1Hex(bytes), await subtleHex(bytes), `length ${length}`);
  }
  // Known answers (FIPS 180 examples).
  assert.equal(sha1Hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  assert.equal(sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  assert.equal(
    sha1Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
    "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
  );
});

Deno.test("sha1Hex hashes text as its UTF-8 bytes (multi-byte characters)", async () => {
  const next = mulberry32(0xc0ffee);
  // ASCII, 2-byte, 3-byte and 4-byte (surrogate pair) characters.
  const ranges: [number, number][] = [
    [0x20, 0x7e],
    [0xa0, 0x7ff],
    [0x800, 0xd7ff],
    [0xe000, 0xffff],
    [0x10000, 0x10ffff],
  ];
  const samples = ["", "é", "ключ", "日本語", "🌍", "a🌍b\u0000c"];
  for (let i = 0; i < 300; i++) {
    let text = "";
    const count = next() % 80;
    for (let j = 0; j < count; j++) {
      const [low, high] = ranges[next() % ranges.length]!;
      text += String.fromCodePoint(low + next() % (high - low + 1));
    }
    samples.push(text);
  }
  // Text whose UTF-8 form ends right at or around a block's padding limit.
  for (const length of [54, 55, 56, 57, 63, 64, 65]) {
    samples.push("é".repeat(length >> 1) + "x".repeat(length & 1));
    samples.push("🌍".repeat(length >> 2) + "x".repeat(length & 3));
  }
  for (const text of samples) {
    assert.equal(sha1Hex(text), await subtleHex(utf8.encode(text)), text);
  }
});

Deno.test("EVALSHA's keys are keys in the spec table (prefix() views find them)", () => {
  const sha = sha1Hex(INCR);
  assert.deepEqual(
    keyIndexes(command("EVALSHA"), [sha, 2, "a", "b", "arg"]),
    [2, 3],
  );
  assert.deepEqual(keyIndexes(command("EVAL"), [INCR, 1, "a", "arg"]), [2]);
});

Deno.test("Script.run sends EVALSHA and falls back to EVAL, under both protocols", async (t) => {
  await using server = await startRedisServer();

  await t.step(
    "sha is the server's hash; replies are the script's value",
    async () => {
      await eachProtocol(server.port, async (redis) => {
        const source = "return {KEYS[1], ARGV[1], 42, 'héllo 🌍', {1, 2}, nil}";
        const script = redis.script(source);
        assert.ok(script instanceof Script);
        assert.equal(script.source, source);
        assert.match(script.sha, /^[0-9a-f]{40}$/);
        assert.equal(await redis.send("SCRIPT", "LOAD", source), script.sha);
        const reply: RespValue = await script.run(["k"], ["v"]);
        assert.deepEqual(reply, ["k", "v", 42, "héllo 🌍", [1, 2]]);
        assert.equal(await redis.script("return nil").run(), null);
        assert.equal(await redis.script("return true").run(), 1);
        assert.equal(await redis.script("return false").run(), null);
        assert.equal(await redis.script("return 3.9").run(), 3);
        assert.equal(await redis.script("return 'OK'").run(), "OK");
        assert.equal(
          await redis.script("return redis.status_reply('FINE')").run(),
          "FINE",
        );
        assert.equal(await redis.script("return #KEYS + #ARGV").run(), 0);
      });
    },
  );

  await t.step(
    "the first run on a client sends EVAL, later runs EVALSHA",
    async () => {
      await eachProtocol(server.port, async (redis) => {
        await fresh(redis);
        const script = redis.script(INCR);
        assert.equal(await script.run(["n"]), 1);
        assert.equal(await script.run(["n"]), 2);
        // Another Script object with the same source: the client knows it.
        assert.equal(await redis.script(INCR).run(["n"]), 3);
        assert.deepEqual(await stats(redis, "eval"), { calls: 1, failed: 0 });
        assert.deepEqual(await stats(redis, "evalsha"), {
          calls: 2,
          failed: 0,
        });
      });
    },
  );

  await t.step(
    "after SCRIPT FLUSH a run falls back to EVAL; NOSCRIPT never reaches the caller",
    async () => {
      await eachProtocol(server.port, async (redis) => {
        const script = redis.script(INCR);
        assert.equal(await script.run(["n"]), 1);
        await fresh(redis);
        assert.equal(await script.run(["n"]), 2);
        assert.deepEqual(await stats(redis, "evalsha"), {
          calls: 1,
          failed: 1,
        });
        assert.deepEqual(await stats(redis, "eval"), { calls: 1, failed: 0 });
        assert.equal(await noscripts(redis), 1);
        // The fallback loaded it again: the next run is one EVALSHA.
        assert.equal(await script.run(["n"]), 3);
        assert.deepEqual(await stats(redis, "evalsha"), {
          calls: 2,
          failed: 1,
        });
        assert.equal(
          (await redis.send("SCRIPT", "EXISTS", script.sha) as number[])[0],
          1,
        );
      });
    },
  );

  await t.step(
    "100 runs in flight in one tick on a fresh server all succeed, in order",
    async () => {
      await eachProtocol(server.port, async (redis) => {
        await fresh(redis);
        const script = redis.script(INCR);
        const runs: Promise<RespValue>[] = [];
        for (let i = 0; i < 100; i++) runs.push(script.run(["n"]));
        const results = await Promise.all(runs);
        assert.deepEqual(results, Array.from({ length: 100 }, (_, i) => i + 1));
        // One EVAL loads it; the 99 EVALSHAs behind it find it.
        assert.deepEqual(await stats(redis, "eval"), { calls: 1, failed: 0 });
        assert.deepEqual(await stats(redis, "evalsha"), {
          calls: 99,
          failed: 0,
        });
        assert.equal(await noscripts(redis), 0);
      });
    },
  );

  await t.step(
    "100 runs in flight across a SCRIPT FLUSH in the same tick all succeed",
    async () => {
      await eachProtocol(server.port, async (redis) => {
        const script = redis.script(INCR);
        await script.run(["warm"]);
        await redis.send("CONFIG", "RESETSTAT");
        // A known script: every run sends EVALSHA; the 50 issued after the
        // flush meet NOSCRIPT and are sent again as EVAL.
        const runs: Promise<RespValue>[] = [];
        for (let i = 0; i < 50; i++) runs.push(script.run(["n"]));
        const flush = redis.send("SCRIPT", "FLUSH");
        for (let i = 0; i < 50; i++) runs.push(script.run(["n"]));
        assert.equal(await flush, "OK");
        const results = await Promise.all(runs);
        assert.deepEqual(results, Array.from({ length: 100 }, (_, i) => i + 1));
        assert.deepEqual(await stats(redis, "evalsha"), {
          calls: 100,
          failed: 50,
        });
        assert.deepEqual(await stats(redis, "eval"), { calls: 50, failed: 0 });
        assert.equal(await noscripts(redis), 50);
      });
    },
  );

  await t.step(
    "100 runs in flight after a SCRIPT FLUSH the client did not see",
    async () => {
      await eachProtocol(server.port, async (redis) => {
        const script = redis.script(INCR);
        await script.run(["warm"]);
        await fresh(redis);
        const results = await Promise.all(
          Array.from({ length: 100 }, () => script.run(["n"])),
        );
        assert.deepEqual(results, Array.from({ length: 100 }, (_, i) => i + 1));
        assert.deepEqual(await stats(redis, "evalsha"), {
          calls: 100,
          failed: 100,
        });
        assert.deepEqual(await stats(redis, "eval"), { calls: 100, failed: 0 });
      });
    },
  );

  await t.step(
    "errors from the script reject with its message, never NOSCRIPT",
    async () => {
      await eachProtocol(server.port, async (redis) => {
        const failing = redis.script(
          "return redis.error_reply('LIMIT too many calls')",
        );
        const raising = redis.script("error('boom')");
        const broken = redis.script("return (");
        const check = async (script: Script, code: string, text: string) => {
          await assert.rejects(script.run(), (error) => {
            assert.ok(error instanceof ReplyError);
            assert.notEqual(error.code, "NOSCRIPT");
            assert.equal(error.code, code);
            assert.ok(error.message.includes(text), error.message);
            assert.ok(["EVAL", "EVALSHA"].includes(error.command!));
            return true;
          });
        };
        for (let round = 0; round < 2; round++) {
          // Round 0: the first run (EVAL) and a second (EVALSHA) each; round 1:
          // the same after a flush (EVALSHA, NOSCRIPT, then EVAL).
          for (let i = 0; i < 2; i++) {
            await check(failing, "LIMIT", "too many calls");
            await check(raising, "ERR", "boom");
            await check(broken, "ERR", "Error compiling script");
          }
          await redis.send("SCRIPT", "FLUSH");
        }
        // A failed run does not upset the others.
        assert.equal(await redis.script("return 1").run(), 1);
      });
    },
  );

  await t.step(
    "a script's keys and arguments may be bytes; a binary view returns bytes",
    async () => {
      await eachProtocol(server.port, async (redis) => {
        const key = new Uint8Array([0xff, 0x00, 0x6b]);
        const value = new Uint8Array([0, 255, 13, 10, 0x80]);
        const setGet = redis.binary.script(
          "redis.call('SET', KEYS[1], ARGV[1]) return {redis.call('GET', KEYS[1]), KEYS[1], 7}",
        );
        assert.deepEqual(await setGet.run([key], [value]), [value, key, 7]);
        assert.deepEqual(await redis.binary.get(key), value);
        await redis.send("SCRIPT", "FLUSH");
        // The fallback keeps the view's types.
        assert.deepEqual(await setGet.run([key], [value]), [value, key, 7]);
        // The same script on a text view returns text.
        assert.deepEqual(
          await redis.evalScript(setGet, ["t"], ["text"]),
          ["text", "t", 7],
        );
      });
    },
  );

  await t.step("a bigint view returns every integer as a bigint", async () => {
    await eachProtocol(server.port, async (redis) => {
      const nested = redis.bigint.script("return {1, {2, 'x'}, -3}");
      assert.deepEqual(await nested.run(), [1n, [2n, "x"], -3n]);
      // Lua numbers are doubles: 2^53 is the largest exact integer a
      // script can return, and it is beyond a number view's safe range.
      await redis.mset({ big: "9007199254740991", big2: "9007199254740991" });
      const incr = redis.bigint.script(INCR);
      assert.equal(await incr.run(["big"]), 9007199254740992n);
      // On a number view such a value is a bigint still, exact.
      assert.equal(await redis.script(INCR).run(["big2"]), 9007199254740992n);
      assert.equal(await redis.script(INCR).run(["small"]), 1);
    });
  });

  await t.step(
    "a db(n) view's script runs in database n, also after a fallback",
    async () => {
      await eachProtocol(server.port, async (redis) => {
        const tenant = redis.db(3);
        const script = tenant.script(
          "redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])",
        );
        assert.equal(await script.run(["k"], ["three"]), "three");
        assert.equal(await tenant.get("k"), "three");
        assert.equal(await redis.get("k"), null);
        await redis.send("SCRIPT", "FLUSH");
        assert.equal(await script.run(["k2"], ["again"]), "again");
        assert.equal(await tenant.get("k2"), "again");
        assert.equal(await redis.get("k2"), null);
        // evalScript runs in the calling view's database, whatever the script's.
        assert.equal(
          await redis.db(4).evalScript(script, ["k"], ["four"]),
          "four",
        );
        assert.equal(await redis.db(4).get("k"), "four");
        assert.equal(await tenant.get("k"), "three");
      });
    },
  );

  await t.step("with() limits apply to runs", async () => {
    await eachProtocol(server.port, async (redis) => {
      const script = redis.with({ timeout: 5_000 }).script(INCR);
      assert.equal(await script.run(["n"]), 1);
      const aborted = AbortSignal.abort(new Error("stop"));
      const stopped = redis.with({ signal: aborted }).script(INCR);
      await assert.rejects(stopped.run(["n"]), /stop/);
      await redis.send("SCRIPT", "FLUSH");
      await assert.rejects(stopped.run(["n"]), /stop/);
      assert.equal(await redis.get("n"), "1");
    });
  });

  await t.step(
    "scripts run inside multi() and pipeline() as EVAL",
    async () => {
      await eachProtocol(server.port, async (redis) => {
        const script = redis.script(INCR);
        await fresh(redis);
        const [a, set, b, value] = await redis.multi()
          .evalScript(script, ["n"])
          .set("other", "x")
          .evalScript(script, ["n"])
          .get("n")
          .exec();
        assert.equal(a, 1);
        assert.equal(set, "OK");
        assert.equal(b, 2);
        assert.equal(value, "2");
        const piped = await redis.pipeline()
          .evalScript(script, ["n"])
          .evalScript(redis.script("return ARGV[1]"), [], ["arg"])
          .get("n")
          .exec();
        assert.deepEqual(piped, [3, "arg", "3"]);
        assert.deepEqual(await stats(redis, "eval"), { calls: 4, failed: 0 });
        assert.equal((await stats(redis, "evalsha")).calls, 0);
        // After a flush, a transaction still runs: EVAL cannot meet NOSCRIPT.
        await redis.send("SCRIPT", "FLUSH");
        assert.deepEqual(
          await redis.multi().evalScript(script, ["n"]).get("n").exec(),
          [4, "4"],
        );
        assert.equal(await noscripts(redis), 0);
        // A builder on a binary db(n) view keeps its types and database.
        const [bytes] = await redis.db(2).binary.multi()
          .evalScript(script, ["m"])
          .evalScript(redis.script("return KEYS[1]"), ["key"])
          .exec();
        assert.equal(bytes, 1);
        assert.equal(await redis.db(2).get("m"), "1");
        assert.deepEqual(
          await redis.binary.pipeline().evalScript(
            redis.script("return KEYS[1]"),
            ["key"],
          ).exec(),
          [utf8.encode("key")],
        );
      });
    },
  );

  await t.step(
    "a script error in a transaction takes its place; the rest runs",
    async () => {
      await eachProtocol(server.port, async (redis) => {
        const failing = redis.script("return redis.error_reply('BAD no luck')");
        const results = await redis.multi()
          .set("a", "1")
          .evalScript(failing)
          .incr("a")
          .exec();
        assert.equal(results[0], "OK");
        assert.ok(results[1] instanceof ReplyError);
        assert.equal(results[1].code, "BAD");
        assert.equal(results[1].command, "EVAL");
        assert.equal(results[2], 2);
        const piped = await redis.pipeline().evalScript(failing).get("a")
          .exec();
        assert.ok(piped[0] instanceof ReplyError);
        assert.equal(piped[1], "2");
      });
    },
  );

  await t.step(
    "fireAndForget runs return nothing; failures are error events",
    async () => {
      await eachProtocol(server.port, async (redis) => {
        const setter = redis.fireAndForget.script(
          "redis.call('SET', KEYS[1], ARGV[1]) return 1",
        );
        assert.equal(setter.run(["f"], ["first"]), undefined);
        // The first run is EVAL, in the order of issue.
        assert.equal(await redis.get("f"), "first");
        assert.equal(
          redis.fireAndForget.evalScript(setter, ["g"], ["x"]),
          undefined,
        );
        await redis.send("SCRIPT", "FLUSH");
        setter.run(["f"], ["second"]);
        await until(
          async () => await redis.get("f") === "second",
          "fallback run",
        );
        const failing = redis.fireAndForget.script("error('fire failed')");
        let event = nextEvent(redis, "error");
        failing.run();
        let error = (await event).error;
        assert.ok(error instanceof ReplyError);
        assert.ok(error.message.includes("fire failed"));
        await redis.send("SCRIPT", "FLUSH");
        event = nextEvent(redis, "error");
        failing.run();
        const seen = await event;
        assert.ok(seen instanceof RedisErrorEvent);
        error = seen.error;
        assert.ok(error instanceof ReplyError);
        assert.notEqual(error.code, "NOSCRIPT");
        assert.ok(error.message.includes("fire failed"));
        assert.equal(seen.command, "EVAL");
        // Bad arguments are events too, never thrown.
        event = nextEvent(redis, "error");
        setter.run("f" as unknown as string[]);
        assert.ok((await event).error instanceof TypeError);
        // A fireAndForget builder sends EVAL.
        redis.fireAndForget.multi().evalScript(setter, ["h"], ["tx"]).exec();
        assert.equal(await redis.get("h"), "tx");
      });
    },
  );

  await t.step(
    "bad arguments are refused before anything is sent",
    async () => {
      await eachProtocol(server.port, async (redis) => {
        assert.throws(
          () => redis.script(42 as unknown as string),
          TypeError,
        );
        const script = redis.script(INCR);
        await assert.rejects(script.run("n" as unknown as string[]), TypeError);
        await assert.rejects(
          script.run([], "x" as unknown as string[]),
          TypeError,
        );
        await assert.rejects(
          redis.evalScript(
            { source: INCR, sha: script.sha } as unknown as Script,
            ["n"],
          ),
          TypeError,
        );
        await assert.rejects(
          redis.multi().evalScript(null as unknown as Script).exec(),
          TypeError,
        );
        assert.equal(await redis.get("n"), null);
      });
    },
  );
});
