// prefix() views: the pure rewriting of lib/prefix.ts (which arguments get
// the prefix, which reply keys lose it), then every key-bearing command of
// the server sent through a prefixed view (COMMAND GETKEYS of what is sent,
// and KEYS * of what was created), then typed methods reading back what they
// wrote under both protocols, with text and binary prefixes.

import assert from "node:assert/strict";
import {
  connect,
  type Redis,
  type RedisErrorEvent,
  type RedisView,
  ReplyError,
  UnexpectedReplyError,
} from "../../mod.ts";
import {
  command,
  isBlocking,
  MOVABLE_KEYS,
} from "../../lib/commands/_command.ts";
import { EXEC } from "../../lib/commands/_executor.ts";
import { KeyPrefix } from "../../lib/prefix.ts";
import { PREFIX_CACHE_SIZE } from "../../lib/core.ts";
import type { RedisArg } from "../../lib/resp/encoder.ts";
import type { RespValue } from "../../lib/resp/types.ts";
import {
  argHex,
  docArgs,
  InvocationGenerator,
} from "../_support/invocations.ts";
import { isNotKey, serverCommands } from "../_support/command_info.ts";
import { eachProtocol } from "../_support/protocols.ts";
import { succeeded } from "../_support/results.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { uniform } from "../resp/_vectors.ts";

const utf8 = new TextEncoder();
const SEED = 20240917;

function prefixOf(value: string | Uint8Array): KeyPrefix {
  return new KeyPrefix(typeof value === "string" ? utf8.encode(value) : value);
}

/** `prefix.args()` that must not refuse. */
function rewrite(
  prefix: KeyPrefix,
  name: string,
  args: RedisArg[],
): RedisArg[] {
  const out = prefix.args(command(name), args);
  if (out instanceof Error) throw out;
  return out;
}

function startsWith(bytes: Uint8Array, head: Uint8Array): boolean {
  if (bytes.length < head.length) return false;
  for (let i = 0; i < head.length; i++) {
    if (bytes[i] !== head[i]) return false;
  }
  return true;
}

function bytesOf(...parts: (string | number[])[]): Uint8Array {
  const chunks = parts.map((p) =>
    typeof p === "string" ? utf8.encode(p) : new Uint8Array(p)
  );
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

// ---------------------------------------------------------------------------
// lib/prefix.ts without a server

Deno.test("KeyPrefix.args() prefixes exactly the keys the command table names", () => {
  const p = prefixOf("t:");
  assert.deepStrictEqual(rewrite(p, "GET", ["k"]), ["t:k"]);
  assert.deepStrictEqual(rewrite(p, "SET", ["k", "v", "EX", 5]), [
    "t:k",
    "v",
    "EX",
    5,
  ]);
  assert.deepStrictEqual(rewrite(p, "MSET", ["a", "1", "b", "2"]), [
    "t:a",
    "1",
    "t:b",
    "2",
  ]);
  assert.deepStrictEqual(
    rewrite(p, "EVAL", ["return 1", 2, "a", "b", "arg"]),
    ["return 1", 2, "t:a", "t:b", "arg"],
  );
  assert.deepStrictEqual(
    rewrite(p, "ZUNIONSTORE", ["d", "2", "a", "b", "WEIGHTS", 1, 2]),
    ["t:d", "2", "t:a", "t:b", "WEIGHTS", 1, 2],
  );
  assert.deepStrictEqual(rewrite(p, "LMPOP", [2, "a", "b", "LEFT"]), [
    2,
    "t:a",
    "t:b",
    "LEFT",
  ]);
  assert.deepStrictEqual(
    rewrite(p, "XREAD", ["COUNT", 2, "STREAMS", "s1", "s2", "0", "$"]),
    ["COUNT", 2, "STREAMS", "t:s1", "t:s2", "0", "$"],
  );
  assert.deepStrictEqual(rewrite(p, "OBJECT ENCODING", ["k"]), ["t:k"]);
  assert.deepStrictEqual(
    rewrite(p, "MIGRATE", ["h", 1, "", 0, 10, "KEYS", "a", "b"]),
    ["h", 1, "", 0, 10, "KEYS", "t:a", "t:b"],
  );
  assert.deepStrictEqual(rewrite(p, "CLUSTER KEYSLOT", ["k"]), ["t:k"]);
  // Not keys: channels, values, fields.
  assert.deepStrictEqual(rewrite(p, "SPUBLISH", ["ch", "m"]), ["ch", "m"]);
  assert.deepStrictEqual(rewrite(p, "PUBLISH", ["ch", "m"]), ["ch", "m"]);
  assert.deepStrictEqual(rewrite(p, "HSET", ["h", "f", "v"]), [
    "t:h",
    "f",
    "v",
  ]);
});

Deno.test("KeyPrefix.args() returns a new array and leaves the caller's alone", () => {
  const p = prefixOf("t:");
  const args: RedisArg[] = ["k"];
  const out = rewrite(p, "GET", args);
  assert.notEqual(out, args);
  assert.deepStrictEqual(args, ["k"]);
  const ping: RedisArg[] = [];
  assert.notEqual(rewrite(p, "PING", ping), ping);
});

Deno.test("KeyPrefix.key() joins strings as strings, numbers as the encoder writes them, bytes as bytes", () => {
  const p = prefixOf("t:");
  assert.equal(p.key("k"), "t:k");
  assert.equal(p.key(42), "t:42");
  assert.equal(p.key(-1.5), "t:-1.5");
  assert.equal(p.key(Infinity), "t:inf");
  assert.equal(p.key(2n ** 64n), "t:18446744073709551616");
  assert.ok(Number.isNaN(p.key(NaN)), "NaN is left for the encoder to refuse");
  assert.deepStrictEqual(
    p.key(new Uint8Array([0, 255])),
    bytesOf("t:", [0, 255]),
  );
  // A prefix that is not UTF-8 joins everything as bytes.
  const raw = prefixOf(new Uint8Array([0xff, 0x3a]));
  assert.deepStrictEqual(raw.key("é"), bytesOf([0xff, 0x3a], "é"));
  assert.deepStrictEqual(raw.key(7), bytesOf([0xff, 0x3a], "7"));
  assert.deepStrictEqual(
    raw.key(new Uint8Array([1])),
    new Uint8Array([0xff, 0x3a, 1]),
  );
  // Multi-byte text stays text.
  assert.equal(prefixOf("ключ:").key("k"), "ключ:k");
});

Deno.test("KeyPrefix.args() prefixes SCAN's MATCH, and adds one matching the view's keys when there is none", () => {
  const p = prefixOf("t:");
  assert.deepStrictEqual(rewrite(p, "SCAN", ["0"]), ["0", "MATCH", "t:*"]);
  assert.deepStrictEqual(
    rewrite(p, "SCAN", ["0", "COUNT", 10, "TYPE", "hash"]),
    ["0", "COUNT", 10, "TYPE", "hash", "MATCH", "t:*"],
  );
  assert.deepStrictEqual(rewrite(p, "SCAN", ["7", "match", "u*"]), [
    "7",
    "match",
    "t:u*",
  ]);
  // The server uses the last MATCH: every one is prefixed.
  assert.deepStrictEqual(
    rewrite(p, "SCAN", ["0", "MATCH", "a", "MATCH", "b"]),
    ["0", "MATCH", "t:a", "MATCH", "t:b"],
  );
  // Options the server rejects are left for it to reject.
  assert.deepStrictEqual(rewrite(p, "SCAN", ["0", "BOGUS", "x"]), [
    "0",
    "BOGUS",
    "x",
  ]);
  assert.deepStrictEqual(rewrite(p, "KEYS", ["u:*"]), ["t:u:*"]);
  // HSCAN's MATCH is over fields: only its key is prefixed.
  assert.deepStrictEqual(rewrite(p, "HSCAN", ["h", "0", "MATCH", "f*"]), [
    "t:h",
    "0",
    "MATCH",
    "f*",
  ]);
});

Deno.test("KeyPrefix keeps a leading U+FEFF: in keys sent, and when stripping keys of replies", () => {
  const prefix = prefixOf("\uFEFFt:");
  assert.equal(prefix.key("a"), "\uFEFFt:a");
  assert.deepStrictEqual(rewrite(prefix, "GET", ["a"]), ["\uFEFFt:a"]);
  assert.equal(prefix.strip("\uFEFFt:a"), "a");
  assert.equal(prefix.strip("t:a"), undefined);
  assert.notEqual(prefix.id, prefixOf("t:").id);
});

Deno.test("KeyPrefix.pattern() escapes the prefix's glob characters", () => {
  const p = prefixOf("a*b?[c]\\:");
  assert.equal(p.pattern("*"), "a\\*b\\?\\[c\\]\\\\:*");
  assert.deepStrictEqual(rewrite(p, "KEYS", ["x?"]), [
    "a\\*b\\?\\[c\\]\\\\:x?",
  ]);
  const raw = prefixOf(new Uint8Array([0xff, 0x2a]));
  assert.deepStrictEqual(
    raw.pattern("*"),
    new Uint8Array([0xff, 0x5c, 0x2a, 0x2a]),
  );
  assert.deepStrictEqual(
    raw.pattern(new Uint8Array([0x3f])),
    new Uint8Array([0xff, 0x5c, 0x2a, 0x3f]),
  );
});

Deno.test("KeyPrefix.args() prefixes SORT's BY and GET patterns that name keys, and its STORE key", () => {
  const p = prefixOf("t:");
  assert.deepStrictEqual(
    rewrite(p, "SORT", [
      "l",
      "BY",
      "w_*",
      "LIMIT",
      0,
      5,
      "GET",
      "#",
      "GET",
      "h_*->f",
      "ALPHA",
      "DESC",
      "STORE",
      "dst",
    ]),
    [
      "t:l",
      "BY",
      "t:w_*",
      "LIMIT",
      0,
      5,
      "GET",
      "#",
      "GET",
      "t:h_*->f",
      "ALPHA",
      "DESC",
      "STORE",
      "t:dst",
    ],
  );
  // BY without "*" only turns sorting off, and GET without it names no key.
  assert.deepStrictEqual(
    rewrite(p, "SORT", ["l", "by", "nosort", "get", "x"]),
    [
      "t:l",
      "by",
      "nosort",
      "get",
      "x",
    ],
  );
  // The server reads patterns as C strings: a "*" after a NUL does not count.
  assert.deepStrictEqual(rewrite(p, "SORT_RO", ["l", "GET", "a\0*"]), [
    "t:l",
    "GET",
    "a\0*",
  ]);
  assert.deepStrictEqual(
    rewrite(p, "SORT_RO", ["l", "GET", new Uint8Array([0x2a])]),
    ["t:l", "GET", bytesOf("t:", "*")],
  );
  // SORT_RO has no STORE: the server rejects it, and nothing after it is a pattern.
  assert.deepStrictEqual(
    rewrite(p, "SORT_RO", ["l", "STORE", "d", "GET", "*"]),
    [
      "t:l",
      "STORE",
      "d",
      "GET",
      "*",
    ],
  );
});

Deno.test("KeyPrefix.args() refuses SORT patterns under a prefix holding * or NUL, and unknown commands", () => {
  for (const bad of ["a*", "a\0"]) {
    const p = prefixOf(bad);
    const refused = p.args(command("SORT"), ["l", "BY", "w_*"]);
    assert.ok(refused instanceof TypeError);
    assert.match(
      refused.message,
      /^Cannot send SORT through a prefix\(\) view/,
    );
    assert.ok(!refused.message.includes("w_*"), "no argument in the message");
    // Patterns that name no key are fine, and so is the rest of the table.
    assert.ok(Array.isArray(p.args(command("SORT"), ["l", "BY", "nosort"])));
    assert.ok(Array.isArray(p.args(command("GET"), ["k"])));
  }
  const unknown = {
    ...command("GET"),
    name: "JSON.GET",
    known: false,
    keySpecs: [],
  };
  const refused = prefixOf("t:").args(unknown, ["k"]);
  assert.ok(refused instanceof TypeError);
  assert.match(refused.message, /command table does not say which/);
});

Deno.test("KeyPrefix.decoder() strips the prefix from keys in both protocols' reply shapes", () => {
  const p = prefixOf("t:");
  const raw = (value: RespValue) => value;
  const strip = (name: string, value: RespValue) =>
    p.decoder(command(name), raw)(value, false);
  assert.equal(
    p.decoder(command("GET"), raw),
    raw,
    "no wrapper when nothing names a key",
  );
  assert.deepStrictEqual(strip("KEYS", ["t:a", "t:b"]), ["a", "b"]);
  assert.deepStrictEqual(strip("SCAN", ["17", ["t:a"]]), ["17", ["a"]]);
  assert.equal(strip("RANDOMKEY", "t:a"), "a");
  assert.equal(strip("RANDOMKEY", null), null);
  assert.deepStrictEqual(strip("BLPOP", ["t:l", "x"]), ["l", "x"]);
  assert.equal(strip("BLPOP", null), null);
  assert.deepStrictEqual(strip("BZPOPMIN", ["t:z", "m", "1"]), ["z", "m", "1"]);
  assert.deepStrictEqual(strip("LMPOP", ["t:l", ["x"]]), ["l", ["x"]]);
  assert.deepStrictEqual(strip("ZMPOP", ["t:z", [["m", 1]]]), ["z", [[
    "m",
    1,
  ]]]);
  assert.deepStrictEqual(strip("BZMPOP", ["t:z", [["m", "1"]]]), [
    "z",
    [["m", "1"]],
  ]);
  const entries: RespValue = [["1-0", ["f", "v"]]];
  // RESP2: [[name, entries], ...]; RESP3: a map by name.
  assert.deepStrictEqual(strip("XREAD", [["t:s", entries]]), [["s", entries]]);
  assert.deepStrictEqual(
    strip("XREADGROUP", new Map<RespValue, RespValue>([["t:s", entries]])),
    new Map([["s", entries]]),
  );
  assert.equal(strip("XREAD", null), null);
  // Binary views: keys are bytes.
  assert.deepStrictEqual(strip("KEYS", [bytesOf("t:", [0])]), [
    new Uint8Array([0]),
  ]);
  // Shapes the method's decoder must reject are passed on as they are.
  assert.equal(strip("SCAN", "odd"), "odd");
  assert.deepStrictEqual(strip("BLPOP", []), []);
});

Deno.test("KeyPrefix.decoder() rejects a RANDOMKEY outside the prefix", () => {
  const decode = prefixOf("t:").decoder(command("RANDOMKEY"), (v) => v);
  assert.throws(() => decode("other", false), (error) => {
    assert.ok(error instanceof TypeError);
    assert.match(error.message, /^expected a key under the view's prefix/);
    assert.ok(!error.message.includes("other"));
    return true;
  });
});

Deno.test("KeyPrefix.strip() compares bytes on binary views and decoded text on string views", () => {
  const raw = prefixOf(new Uint8Array([0xff, 0x3a]));
  assert.deepStrictEqual(
    raw.strip(new Uint8Array([0xff, 0x3a, 0x61])),
    new Uint8Array([0x61]),
  );
  assert.equal(raw.strip(new Uint8Array([0xfe, 0x3a, 0x61])), undefined);
  assert.equal(raw.strip("\uFFFD:a"), "a");
  assert.equal(raw.strip("x:a"), undefined);
  assert.equal(raw.strip(5), undefined);
});

// ---------------------------------------------------------------------------
// Every key-bearing command, generated from the server's COMMAND DOCS

interface Generated {
  name: string;
  invocations: RedisArg[][];
}

/** Seeded invocations of every key-bearing command (not_key specs aside). */
async function generated(
  redis: Redis,
  perCommand: number,
  perMovable: number,
): Promise<Generated[]> {
  const [info, docs] = await Promise.all([
    redis.send("COMMAND", "INFO"),
    redis.send("COMMAND", "DOCS"),
  ]);
  assert.ok(docs instanceof Map);
  const random = uniform(SEED);
  const out: Generated[] = [];
  const commands = serverCommands(info)
    .filter((cmd) => cmd.keySpecs.some((spec) => !isNotKey(spec)))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const cmd of commands) {
    const bar = cmd.name.indexOf("|");
    let doc = docs.get(bar < 0 ? cmd.name : cmd.name.slice(0, bar));
    if (bar >= 0 && doc instanceof Map) {
      const subcommands = doc.get("subcommands");
      doc = subcommands instanceof Map ? subcommands.get(cmd.name) : undefined;
    }
    const grammar = doc instanceof Map ? doc.get("arguments") : undefined;
    const generator = new InvocationGenerator(random, docArgs(grammar));
    const table = command(cmd.name);
    const count = (table.flags & MOVABLE_KEYS) !== 0 ? perMovable : perCommand;
    const invocations: RedisArg[][] = [];
    for (let i = 0; i < count; i++) {
      const args = generator.next();
      if (args !== undefined) invocations.push(args);
    }
    out.push({ name: table.name, invocations });
  }
  return out;
}

/** Hex of the keys COMMAND GETKEYS finds, or null when it finds none (an error). */
async function getkeys(
  redis: RedisView<"promise", Uint8Array>,
  name: string,
  args: RedisArg[],
): Promise<string[] | null> {
  try {
    const keys = await redis.send(
      "COMMAND",
      "GETKEYS",
      ...name.split(" "),
      ...args,
    );
    assert.ok(Array.isArray(keys));
    return keys.map((key) => argHex(key as Uint8Array));
  } catch (error) {
    if (error instanceof ReplyError) return null;
    throw error;
  }
}

Deno.test("a prefix() view sends every key-bearing command with the server's keys, and only them, prefixed (COMMAND GETKEYS)", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port, protocol: 3 });
  const commands = await generated(redis, 100, 600);
  assert.ok(commands.length > 150, `${commands.length} key-bearing commands`);
  const binary = redis.binary;
  for (const text of ["t[1]?\\:", new Uint8Array([0xfe, 0x00, 0x3a])]) {
    const prefix = prefixOf(text);
    let compared = 0;
    const prefixHex = argHex(prefix.bytes);
    let refused = 0;
    let keywordKeys = 0;
    for (const { name, invocations } of commands) {
      const cmd = command(name);
      const pending = invocations.map(async (args) => {
        const sent = prefix.args(cmd, args);
        if (sent instanceof TypeError) {
          // Only SORT's key patterns under a NUL prefix are refused.
          assert.ok(name.startsWith("SORT") && prefix.bytes.includes(0), name);
          refused++;
          return;
        }
        const [before, after] = await Promise.all([
          getkeys(binary, name, args),
          getkeys(binary, name, sent),
        ]);
        if (before === null) return;
        compared++;
        const expected = before.map((hex) => argHex(prefix.key(hexBytes(hex))));
        const found = after ?? [];
        // Every key of what is sent is under the prefix.
        const outside = found.filter((hex) => !hex.startsWith(prefixHex));
        assert.deepStrictEqual(outside, [], `${name} ${args.map(argHex)}`);
        if (JSON.stringify(found) === JSON.stringify(expected)) return;
        // The one allowed difference: a key that looks like one of the
        // command's keywords (GEORADIUS k ... STORE storedist x) made the
        // server count the argument after it as a key too; prefixed, it is
        // no keyword, and that argument (prefixed all the same) is no key.
        assert.ok(isSubsequence(found, expected), name);
        keywordKeys++;
      });
      await Promise.all(pending);
    }
    // deno-lint-ignore no-console
    console.log(
      `prefix ${prefixHex}: ${compared} invocations compared with COMMAND GETKEYS, ${keywordKeys} with a keyword-like key, ${refused} refused`,
    );
    assert.ok(compared > 10_000, `only ${compared} invocations compared`);
    assert.ok(keywordKeys < compared / 1000, `${keywordKeys} differ`);
    if (typeof text === "string") assert.equal(refused, 0);
  }
});

/** Whether `part` is `whole` with some elements left out. */
function isSubsequence(part: string[], whole: string[]): boolean {
  let at = 0;
  for (const item of whole) if (at < part.length && part[at] === item) at++;
  return at === part.length;
}

/** Bytes of a hex string. */
function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  }
  return out;
}

Deno.test("a prefix() view's send() of every key-bearing command creates keys only under its prefix (KEYS *)", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port, protocol: 3 });
  const commands = await generated(redis, 40, 200);
  for (const text of ["app:{1}*", new Uint8Array([0xff, 0x3a])]) {
    await redis.flushall();
    const bytes = typeof text === "string" ? utf8.encode(text) : text;
    const view = redis.prefix(text);
    let sent = 0;
    for (const { name, invocations } of commands) {
      // MIGRATE would connect to the generated host names.
      if (name === "MIGRATE") continue;
      // Blocking invocations would wait out their generated timeouts on
      // dedicated connections; their keys are those of the same invocation
      // without BLOCK (XREAD) or of the pops, and the comparison with
      // COMMAND GETKEYS above covers them.
      const cmd = command(name);
      const replies = invocations
        .filter((args) => !isBlocking(cmd, args))
        .map((args) => view.send(...(name.split(" ") as [string]), ...args));
      const settled = await Promise.allSettled(replies);
      for (const result of settled) {
        if (result.status === "fulfilled") {
          sent++;
          continue;
        }
        const error = result.reason;
        // Refused before sending (SORT patterns under a "*" prefix) or
        // refused by the server: both are fine here.
        if (error instanceof TypeError || error instanceof ReplyError) continue;
        throw error;
      }
    }
    // deno-lint-ignore no-console
    console.log(`${sent} invocations succeeded`);
    assert.ok(sent > 2_000, `only ${sent} invocations succeeded`);
    let created = 0;
    for (let db = 0; db < 16; db++) {
      const keys = await redis.binary.db(db).keys("*");
      created += keys.length;
      const outside = keys.filter((key) => !startsWith(key, bytes));
      assert.deepStrictEqual(outside.map(argHex), [], `database ${db}`);
    }
    // deno-lint-ignore no-console
    console.log(`${created} keys created, all under the prefix`);
    assert.ok(created > 500, `only ${created} keys were created`);
  }
});

// ---------------------------------------------------------------------------
// Typed methods through prefixed views

Deno.test("prefix() views read back what they wrote and strip replies, under RESP2 and RESP3", async (t) => {
  await using server = await startRedisServer();
  const { port } = server;

  await t.step(
    "strings, keys and sets: prefixed on the server, plain in the view",
    async () => {
      await eachProtocol(port, async (redis) => {
        const app = redis.prefix("app:");
        assert.equal(await app.set("a", "1"), "OK");
        assert.equal(await app.mset({ b: "2", c: "3" }), "OK");
        assert.deepStrictEqual(await app.mget("a", "b", "c", "d"), [
          "1",
          "2",
          "3",
          null,
        ]);
        assert.deepStrictEqual((await redis.keys("*")).sort(), [
          "app:a",
          "app:b",
          "app:c",
        ]);
        assert.equal(await redis.get("app:a"), "1");
        assert.equal(await redis.get("a"), null);
        assert.equal(await app.exists("a", "b", "nope"), 2);
        assert.equal(await app.rename("a", "z"), "OK");
        assert.deepStrictEqual((await app.keys("*")).sort(), ["b", "c", "z"]);
        assert.deepStrictEqual(await app.keys("z"), ["z"]);
        assert.equal(await app.randomkey() !== null, true);
        assert.ok(["b", "c", "z"].includes((await app.randomkey())!));
        await app.sadd("s1", "x", "y");
        await app.sadd("s2", "y");
        assert.equal(await app.sinterstore("s3", "s1", "s2"), 1);
        assert.deepStrictEqual(await app.smembers("s3"), ["y"]);
        assert.deepStrictEqual(await redis.smembers("app:s3"), ["y"]);
        await app.rpush("l", "a", "b");
        assert.equal(await app.lmove("l", "l2", "LEFT", "RIGHT"), "a");
        assert.deepStrictEqual(await redis.lrange("app:l2", 0, -1), ["a"]);
        assert.equal(await app.copy("b", "b2"), true);
        assert.equal(await redis.get("app:b2"), "2");
        assert.equal(await app.del("b", "b2", "c", "z"), 4);
        assert.deepStrictEqual((await redis.keys("*")).sort(), [
          "app:l",
          "app:l2",
          "app:s1",
          "app:s2",
          "app:s3",
        ]);
      });
    },
  );

  await t.step(
    "a prefix starting with U+FEFF keeps it: its keys are its own, not those of the prefix without it",
    async () => {
      await eachProtocol(port, async (redis) => {
        const bom = redis.prefix("\uFEFFt:");
        const plain = redis.prefix("t:");
        await bom.set("a", "bom");
        await plain.set("a", "plain");
        await bom.binary.set(utf8.encode("b"), "bytes");
        assert.deepStrictEqual(
          (await redis.binary.keys("*")).map((key) => [...key]).sort(),
          [
            [0x74, 0x3a, 0x61],
            [0xef, 0xbb, 0xbf, 0x74, 0x3a, 0x61],
            [0xef, 0xbb, 0xbf, 0x74, 0x3a, 0x62],
          ],
        );
        assert.equal(await bom.get("a"), "bom");
        assert.equal(await plain.get("a"), "plain");
        assert.deepStrictEqual((await bom.keys("*")).sort(), ["a", "b"]);
        assert.deepStrictEqual((await Array.fromAsync(bom.scan())).sort(), [
          "a",
          "b",
        ]);
        assert.deepStrictEqual(await plain.keys("*"), ["a"]);
      });
    },
  );

  await t.step(
    "keys of other prefixes and of the whole database stay out of sight",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.set("a", "root");
        await redis.set("other:a", "other");
        await redis.set("app*:a", "star");
        const app = redis.prefix("app:");
        await app.set("a", "mine");
        assert.deepStrictEqual(await app.keys("*"), ["a"]);
        assert.equal(await app.get("a"), "mine");
        // A prefix with glob characters matches only itself in patterns.
        const star = redis.prefix("app*:");
        assert.deepStrictEqual(await star.keys("*"), ["a"]);
        assert.equal(await star.get("a"), "star");
        const seen: string[] = [];
        for await (const key of star.scan()) seen.push(key);
        assert.deepStrictEqual(seen, ["a"]);
        // RANDOMKEY picks among every key: outside the prefix it rejects.
        const outside = redis.prefix("empty:");
        await assert.rejects(outside.randomkey(), (error) => {
          assert.ok(error instanceof UnexpectedReplyError);
          assert.equal(error.command, "RANDOMKEY");
          return true;
        });
      });
    },
  );

  await t.step(
    "send() prefixes keys and strips LMPOP's, ZMPOP's, XREAD's and SCAN's",
    async () => {
      await eachProtocol(port, async (redis) => {
        const app = redis.prefix("app:");
        await app.rpush("l", "x", "y");
        assert.deepStrictEqual(
          await app.send("LMPOP", 2, "none", "l", "LEFT"),
          ["l", ["x"]],
        );
        await app.zadd("z", { m: 1.5 });
        const zmpop = await app.send("ZMPOP", 1, "z", "MIN");
        assert.ok(Array.isArray(zmpop));
        assert.equal(zmpop[0], "z");
        const id = await app.send("XADD", "s", "*", "f", "v");
        assert.equal(typeof id, "string");
        const read = await app.send("XREAD", "COUNT", 5, "STREAMS", "s", "0");
        const names = read instanceof Map
          ? [...read.keys()]
          : (read as RespValue[][]).map((stream) => stream[0]);
        assert.deepStrictEqual(names, ["s"]);
        await app.send("XGROUP", "CREATE", "s", "g", "0");
        const group = await app.send(
          "XREADGROUP",
          "GROUP",
          "g",
          "c",
          "STREAMS",
          "s",
          ">",
        );
        const groupNames = group instanceof Map
          ? [...group.keys()]
          : (group as RespValue[][]).map((stream) => stream[0]);
        assert.deepStrictEqual(groupNames, ["s"]);
        const [cursor, page] = await app.send("SCAN", 0, "COUNT", 100) as [
          string,
          string[],
        ];
        assert.equal(cursor, "0");
        assert.deepStrictEqual(page.sort(), ["l", "s"]);
        assert.deepStrictEqual((await redis.keys("*")).sort(), [
          "app:l",
          "app:s",
        ]);
        assert.equal(
          await app.send(
            "EVAL",
            "return redis.call('SET', KEYS[1], ARGV[1])",
            1,
            "e",
            "v",
          ),
          "OK",
        );
        assert.equal(await redis.get("app:e"), "v");
      });
    },
  );

  await t.step(
    "typed methods strip LMPOP's, ZMPOP's and XREAD's keys, and prefix scripts' KEYS",
    async () => {
      await eachProtocol(port, async (redis) => {
        const app = redis.prefix("app:");
        await app.rpush("l", "x", "y");
        assert.deepStrictEqual(await app.lmpop(["none", "l"], "LEFT"), {
          key: "l",
          elements: ["x"],
        });
        await app.zadd("z", { m: 1.5 });
        assert.deepStrictEqual(await app.zmpop(["z"], "MIN"), {
          key: "z",
          members: [{ member: "m", score: 1.5 }],
        });
        const id = await app.xadd("s", { f: "v" });
        const read = await app.xread({ s: "0" }, { count: 5 });
        assert.deepStrictEqual(read?.map((stream) => stream.key), ["s"]);
        assert.equal(read?.[0]?.entries[0]?.id, id);
        assert.equal(await app.xgroupCreate("s", "g", "0"), "OK");
        const group = await app.xreadgroup("g", "c", [["s", ">"]]);
        assert.deepStrictEqual(group?.map((stream) => stream.key), ["s"]);
        const binaryRead = await app.binary.xread([["s", "0"]]);
        assert.deepStrictEqual(binaryRead?.[0]?.key, utf8.encode("s"));

        // Script.run (EVALSHA with its EVAL fallback), evalScript in a
        // builder, eval and fcall: KEYS get the prefix, ARGV does not.
        const setKey = app.script("return redis.call('SET', KEYS[1], ARGV[1])");
        assert.equal(await setKey.run(["run"], ["1"]), "OK");
        assert.equal(await setKey.run(["run2"], ["2"]), "OK");
        await redis.send("SCRIPT", "FLUSH");
        assert.equal(await setKey.run(["run3"], ["3"]), "OK");
        app.fireAndForget.script(setKey.source).run(["ff"], ["4"]);
        const [queued] = await app.multi().evalScript(setKey, ["tx"], ["5"])
          .exec();
        assert.equal(queued, "OK");
        assert.equal(
          await app.eval("return KEYS[1] .. ARGV[1]", ["k"], [":a"]),
          "app:k:a",
        );
        await redis.functionLoad(
          "#!lua name=lib\nredis.register_function('getkey', function(keys) return redis.call('GET', keys[1]) end)",
          { replace: true },
        );
        assert.equal(await app.fcall("getkey", ["run"]), "1");
        for (
          const [key, value] of [
            ["run", "1"],
            ["run2", "2"],
            ["run3", "3"],
            ["ff", "4"],
            ["tx", "5"],
          ]
        ) {
          assert.equal(await redis.get(`app:${key}`), value);
        }

        // DUMP's bytes (callBytes) on text views and in builders.
        const dumped = await app.dump("run");
        assert.ok(dumped instanceof Uint8Array);
        assert.equal(await app.restore("copied", 0, dumped), "OK");
        assert.equal(await redis.get("app:copied"), "1");
        const [inTx] = await app.multi().dump("run").exec();
        assert.deepStrictEqual(inTx, dumped);
        const outside = (await redis.keys("*")).filter((k) =>
          !k.startsWith("app:")
        );
        assert.deepStrictEqual(outside, []);
      });
    },
  );

  await t.step(
    "SORT's BY and GET patterns and STORE key are prefixed",
    async () => {
      await eachProtocol(port, async (redis) => {
        const app = redis.prefix("app:");
        await app.rpush("ids", "1", "2", "3");
        await app.mset({
          w_1: "30",
          w_2: "10",
          w_3: "20",
          n_1: "one",
          n_2: "two",
          n_3: "three",
        });
        await app.hset("h_2", { f: "hash-two" });
        assert.deepStrictEqual(
          await app.send(
            "SORT",
            "ids",
            "BY",
            "w_*",
            "GET",
            "#",
            "GET",
            "n_*",
            "GET",
            "h_*->f",
          ),
          [
            "2",
            "two",
            "hash-two",
            "3",
            "three",
            null,
            "1",
            "one",
            null,
          ],
        );
        assert.deepStrictEqual(
          await app.send("SORT_RO", "ids", "BY", "nosort", "GET", "n_*"),
          ["one", "two", "three"],
        );
        assert.equal(
          await app.send("SORT", "ids", "BY", "w_*", "STORE", "sorted"),
          3,
        );
        assert.deepStrictEqual(await redis.lrange("app:sorted", 0, -1), [
          "2",
          "3",
          "1",
        ]);
        assert.deepStrictEqual(
          await app.sort("ids", { by: "w_*", get: ["#", "n_*"] }),
          ["2", "two", "3", "three", "1", "one"],
        );
        assert.deepStrictEqual(
          await app.sortRo("ids", { by: "nosort", get: "n_*" }),
          ["one", "two", "three"],
        );
        assert.equal(await app.sort("ids", { by: "w_*", store: "typed" }), 3);
        assert.deepStrictEqual(await redis.lrange("app:typed", 0, -1), [
          "2",
          "3",
          "1",
        ]);
        await assert.rejects(
          redis.prefix("a*").send("SORT", "ids", "BY", "w_*"),
          TypeError,
        );
        await assert.rejects(
          redis.prefix("a\0").sort("ids", { get: "n_*" }),
          TypeError,
        );
      });
    },
  );

  await t.step(
    "binary prefixes and binary keys, on binary and string views",
    async () => {
      await eachProtocol(port, async (redis) => {
        const prefix = new Uint8Array([0xff, 0x00, 0x3a]);
        const view = redis.binary.prefix(prefix);
        const key = new Uint8Array([0x00, 0xfe]);
        await view.set(key, "bytes");
        await view.set("text", "t");
        assert.deepStrictEqual(await view.get(key), utf8.encode("bytes"));
        const stored = await redis.binary.keys("*");
        assert.ok(stored.every((k) => startsWith(k, prefix)));
        assert.equal(stored.length, 2);
        const keys = await view.keys("*");
        assert.deepStrictEqual(
          keys.map(argHex).sort(),
          [key, utf8.encode("text")].map(argHex).sort(),
        );
        const scanned: Uint8Array[] = [];
        for await (const k of view.scan()) scanned.push(k);
        assert.deepStrictEqual(
          scanned.map(argHex).sort(),
          keys.map(argHex).sort(),
        );
        // Text keys under a text prefix come back as text from string views.
        await redis.prefix(utf8.encode("ü:")).set("k", "v");
        assert.deepStrictEqual(await redis.prefix("ü:").keys("*"), ["k"]);
      });
    },
  );

  await t.step(
    "multi() and pipeline() of a prefixed view prefix every queued command",
    async () => {
      await eachProtocol(port, async (redis) => {
        const app = redis.prefix("app:");
        const results = succeeded(
          await app.multi().set("a", "1").incr("n").get("a").keys("*").exec(),
        );
        assert.deepStrictEqual([results[0], results[1], results[2]], [
          "OK",
          1,
          "1",
        ]);
        assert.deepStrictEqual(results[3].sort(), ["a", "n"]);
        const piped = succeeded(
          await app.pipeline().rpush("l", "x").lrange("l", 0, -1).randomkey()
            .exec(),
        );
        assert.deepStrictEqual(piped.slice(0, 2), [1, ["x"]]);
        assert.ok(["a", "n", "l"].includes(piped[2]!));
        assert.deepStrictEqual((await redis.keys("*")).sort(), [
          "app:a",
          "app:l",
          "app:n",
        ]);
        // A command the prefix cannot take makes the builder's exec() reject
        // with its TypeError, and nothing is sent.
        const tx = redis.prefix("x*").multi().set("a", "1");
        tx[EXEC].call(command("SORT"), ["l", "BY", "w_*"], (v) => v);
        await assert.rejects(tx.exec(), (error) => {
          assert.ok(error instanceof TypeError);
          assert.match(
            error.message,
            /^Cannot send SORT through a prefix\(\) view/,
          );
          return true;
        });
        assert.equal(await redis.exists("x*a"), 0);
      });
    },
  );

  await t.step(
    "prefix() composes with db(), bigint, fireAndForget and with()",
    async () => {
      await eachProtocol(port, async (redis) => {
        const app = redis.prefix("app:");
        await app.db(3).set("k", "three");
        assert.equal(await redis.db(3).get("app:k"), "three");
        assert.equal(await redis.db(3).prefix("app:").get("k"), "three");
        assert.equal(await app.bigint.incrby("n", 5), 5n);
        assert.equal(await redis.get("app:n"), "5");
        app.fireAndForget.set("ff", "1");
        app.fireAndForget.incr("n");
        assert.equal(await redis.get("app:ff"), "1");
        assert.equal(await redis.get("app:n"), "6");
        assert.equal(await app.with({ timeout: 1_000 }).get("ff"), "1");
        assert.equal(
          await app.with({ timeout: 1_000 }).prefix("x:").set("y", "1"),
          "OK",
        );
        assert.equal(await redis.get("app:x:y"), "1");
        assert.deepStrictEqual((await redis.keys("*")).sort(), [
          "app:ff",
          "app:n",
          "app:x:y",
        ]);
        // Refusals: a rejected promise, or an "error" event when fire-and-forget.
        await assert.rejects(app.send("NOSUCHCMD", "k"), (error) => {
          assert.ok(error instanceof TypeError);
          assert.match(
            error.message,
            /^Cannot send NOSUCHCMD through a prefix/,
          );
          return true;
        });
        const events: RedisErrorEvent[] = [];
        const listener = (event: RedisErrorEvent) => events.push(event);
        redis.addEventListener("error", listener);
        redis.prefix("x*").fireAndForget.send("SORT", "l", "BY", "w_*");
        redis.removeEventListener("error", listener);
        assert.equal(events.length, 1);
        assert.equal(events[0]!.command, "SORT");
        assert.ok(events[0]!.error instanceof TypeError);
      });
    },
  );
});

Deno.test("prefix() views are cached, grow by appending, and check their argument", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  assert.equal(redis.prefix("a:"), redis.prefix("a:"));
  assert.equal(redis.prefix("a:").prefix("b:"), redis.prefix("a:b:"));
  assert.equal(redis.prefix(utf8.encode("a:")), redis.prefix("a:"));
  assert.equal(redis.prefix(""), redis);
  assert.equal(
    redis.prefix("a:").db(2).binary,
    redis.binary.db(2).prefix("a:"),
  );
  assert.equal(
    redis.prefix("a:").fireAndForget,
    redis.fireAndForget.prefix("a:"),
  );
  assert.notEqual(redis.prefix("a:"), redis);
  assert.notEqual(redis.prefix("a:"), redis.prefix("b:"));
  // The caller's bytes are copied.
  const bytes = utf8.encode("c:");
  const view = redis.prefix(bytes);
  bytes[0] = 0x64;
  await view.set("k", "v");
  assert.equal(await redis.get("c:k"), "v");
  for (const bad of [undefined, 1, null, ["a"]]) {
    assert.throws(
      () => redis.prefix(bad as unknown as string),
      (error) =>
        error instanceof TypeError &&
        /^Cannot make a prefixed view/.test(error.message),
    );
  }
  // Beyond the cache size the least recently used prefix is dropped; its
  // views keep working.
  const first = redis.prefix("p0:");
  for (let i = 1; i <= PREFIX_CACHE_SIZE; i++) redis.prefix(`p${i}:`);
  assert.notEqual(redis.prefix("p0:"), first);
  assert.equal(await first.set("k", "1"), "OK");
  assert.equal(await redis.prefix("p0:").get("k"), "1");
  const recent = redis.prefix(`p${PREFIX_CACHE_SIZE}:`);
  assert.equal(redis.prefix(`p${PREFIX_CACHE_SIZE}:`), recent);
});
