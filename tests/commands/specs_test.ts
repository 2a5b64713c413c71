// The command table (lib/commands/_command.ts over the generated _specs.ts):
// lookup, decoding checked against the server's COMMAND INFO, key positions
// of hand-picked cases, isBlocking(), and the generator's --check guard.

import assert from "node:assert/strict";
import { connect } from "../../mod.ts";
import {
  ALLOW_BUSY,
  BLOCKING,
  type Command,
  command,
  COMMAND_FLAGS,
  DENYOOM,
  FAST,
  isBlocking,
  KEY_ACCESS,
  KEY_FLAGS,
  KEY_INCOMPLETE,
  KEY_NOT_KEY,
  KEY_RO,
  keyIndexes,
  LOADING,
  MOVABLE_KEYS,
  NO_MULTI,
  NOSCRIPT,
  PUBSUB,
  READONLY,
  resolve,
  SERVER_VERSION,
  STALE,
  WRITE,
} from "../../lib/commands/_command.ts";
import type { RedisArg } from "../../lib/resp/encoder.ts";
import type { RespValue } from "../../lib/resp/types.ts";
import { items, serverCommands } from "../_support/command_info.ts";
import { redisForTest } from "../_support/redis_server.ts";

const utf8 = new TextEncoder();
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const ROOT = new URL("../../", import.meta.url);
const SPECS_FILE = new URL("lib/commands/_specs.ts", ROOT);

// ---------------------------------------------------------------------------
// command() and resolve()

Deno.test("command() finds a command in any case and encodes its name", () => {
  const get = command("GET");
  assert.equal(command("get"), get);
  assert.equal(command("gEt"), get);
  assert.equal(get.name, "GET");
  assert.equal(get.tokens, 1);
  assert.equal(get.arity, 2);
  assert.equal(get.known, true);
  assert.equal(text(get.head), "$3\r\nGET\r\n");
});

Deno.test("command() finds a subcommand by 'CONTAINER SUB' or 'container|sub'", () => {
  const configGet = command("CONFIG GET");
  assert.equal(command("config|get"), configGet);
  assert.equal(command("Config Get"), configGet);
  assert.equal(configGet.name, "CONFIG GET");
  assert.equal(configGet.tokens, 2);
  assert.equal(configGet.arity, -3);
  assert.equal(text(configGet.head), "$6\r\nCONFIG\r\n$3\r\nGET\r\n");
  assert.equal(command("CONFIG").name, "CONFIG");
  assert.equal(command("CONFIG").tokens, 1);
});

Deno.test("command() throws a TypeError for a name the table does not know", () => {
  assert.throws(() => command("NOPE"), {
    name: "TypeError",
    message:
      `Cannot find command "NOPE": the Redis ${SERVER_VERSION} command table has no such command`,
  });
  assert.throws(() => command("CONFIG NOPE"), TypeError);
  assert.throws(() => command("GET NOPE"), TypeError);
  assert.throws(() => command(""), TypeError);
});

Deno.test("resolve() reads the name from strings or bytes, in any case", () => {
  const get = command("GET");
  assert.equal(resolve(["GET", "k"]), get);
  assert.equal(resolve(["get", "k"]), get);
  assert.equal(resolve(["gEt", "k"]), get);
  assert.equal(resolve([utf8.encode("GeT"), "k"]), get);
  // A non-container takes no second token, whatever it is.
  assert.equal(resolve(["GET", "CONFIG"]), get);
});

Deno.test("resolve() takes a container's subcommand from argv[1]", () => {
  const encoding = command("OBJECT ENCODING");
  assert.equal(resolve(["OBJECT", "ENCODING", "k"]), encoding);
  assert.equal(resolve(["object", "encoding", "k"]), encoding);
  assert.equal(
    resolve([utf8.encode("Object"), utf8.encode("eNcOdInG")]),
    encoding,
  );
  assert.equal(resolve(["XINFO", "STREAM", "s"]), command("XINFO STREAM"));
  // Alone, the container itself (the server answers with an arity error).
  assert.equal(resolve(["CONFIG"]), command("CONFIG"));
});

Deno.test("resolve() makes an ad-hoc command for an unknown name, encoding it as given", () => {
  const unknown = resolve(["myModule.Cmd", "k"]);
  assert.equal(unknown.known, false);
  assert.equal(unknown.name, "MYMODULE.CMD");
  assert.equal(unknown.tokens, 1);
  assert.equal(unknown.flags, 0);
  assert.deepStrictEqual(unknown.keySpecs, []);
  assert.equal(text(unknown.head), "$12\r\nmyModule.Cmd\r\n");
  assert.deepStrictEqual(keyIndexes(unknown, ["k"]), []);
  const bytes = resolve([new Uint8Array([0x66, 0xff, 0x00])]);
  assert.deepStrictEqual([...bytes.head], [
    ...utf8.encode("$3\r\n"),
    0x66,
    0xff,
    0x00,
    ...utf8.encode("\r\n"),
  ]);
  assert.equal(text(resolve([42]).head), "$2\r\n42\r\n");
});

Deno.test("resolve() makes a two-token ad-hoc command for a container's unknown subcommand", () => {
  const unknown = resolve(["config", "Frobnicate", "x"]);
  assert.equal(unknown.known, false);
  assert.equal(unknown.tokens, 2);
  assert.equal(unknown.name, "CONFIG FROBNICATE");
  assert.equal(text(unknown.head), "$6\r\nconfig\r\n$10\r\nFrobnicate\r\n");
  assert.equal(resolve(["CLIENT", 7]).name, "CLIENT 7");
});

Deno.test("resolve() caches ad-hoc commands in a bounded map", () => {
  const first = resolve(["NOT-A-COMMAND"]);
  assert.equal(resolve(["NOT-A-COMMAND"]), first);
  // Same letters, other case or type: another command (heads differ).
  assert.notEqual(resolve(["not-a-command"]), first);
  assert.notEqual(resolve([utf8.encode("NOT-A-COMMAND")]), first);
  for (let i = 0; i < 100; i++) resolve([`UNKNOWN-${i}`]);
  const again = resolve(["NOT-A-COMMAND"]);
  assert.notEqual(again, first, "the oldest entry was evicted");
  assert.deepStrictEqual(again, first);
  // Too long to cache: still answered.
  const long = "X".repeat(1000);
  assert.equal(resolve([long]).known, false);
  assert.notEqual(resolve([long]), resolve([long]));
  assert.equal(resolve([long]).name.length, 65);
});

Deno.test("resolve() throws a TypeError for an empty argument list", () => {
  assert.throws(() => resolve([]), {
    name: "TypeError",
    message: "Cannot resolve a command: the argument list is empty",
  });
});

// ---------------------------------------------------------------------------
// Decoded fields

Deno.test("command() flags match what Redis 7.0 says of well-known commands", () => {
  const has = (name: string, bits: number) => {
    assert.equal(command(name).flags & bits, bits, name);
  };
  has("GET", READONLY | FAST);
  assert.equal(command("GET").flags & WRITE, 0);
  has("SET", WRITE | DENYOOM);
  has("BLPOP", WRITE | BLOCKING | NOSCRIPT);
  has("SUBSCRIBE", PUBSUB | NOSCRIPT | LOADING | STALE);
  has("SPUBLISH", PUBSUB | FAST);
  // MULTI carries no no_multi flag in 7.0: nesting is refused by its code.
  has("MULTI", NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY);
  assert.equal(command("MULTI").flags & NO_MULTI, 0);
  has("SAVE", NO_MULTI);
  has("EVAL", MOVABLE_KEYS);
  assert.equal(command("WAIT").flags & BLOCKING, 0);
});

Deno.test("command() decodes key specs, policies and docs", () => {
  const xread = command("XREAD").keySpecs;
  assert.equal(xread.length, 1);
  assert.equal(xread[0]!.flags, KEY_RO | KEY_ACCESS);
  assert.equal(xread[0]!.beginSearch, "keyword");
  assert.equal(xread[0]!.keyword, "STREAMS");
  assert.equal(xread[0]!.startFrom, 1);
  assert.equal(xread[0]!.findKeys, "range");
  assert.equal(xread[0]!.lastKey, -1);
  assert.equal(xread[0]!.limit, 2);
  const evalSpec = command("EVAL").keySpecs[0]!;
  assert.equal(evalSpec.beginSearch, "index");
  assert.equal(evalSpec.index, 2);
  assert.equal(evalSpec.findKeys, "keynum");
  assert.deepStrictEqual(
    [evalSpec.keyNumIndex, evalSpec.firstKey, evalSpec.keyStep],
    [0, 1, 1],
  );
  assert.equal(
    command("MIGRATE").keySpecs[1]!.flags & KEY_INCOMPLETE,
    KEY_INCOMPLETE,
  );
  assert.equal(command("SORT").keySpecs[2]!.beginSearch, "unknown");
  assert.equal(command("SPUBLISH").keySpecs[0]!.flags, KEY_NOT_KEY);
  const del = command("DEL");
  assert.equal(del.requestPolicy, "multi_shard");
  assert.equal(del.responsePolicy, "agg_sum");
  assert.equal(command("KEYS").requestPolicy, "all_shards");
  assert.equal(command("KEYS").responsePolicy, null);
  assert.deepStrictEqual(command("TIME").tips, ["nondeterministic_output"]);
  assert.equal(command("GET").group, "string");
  assert.equal(command("GET").since, "1.0.0");
  assert.equal(command("GEORADIUS").deprecated, true);
  assert.equal(command("GEOSEARCH").deprecated, false);
});

Deno.test("command() decodes every command as the server's COMMAND INFO gives it", async () => {
  await using server = await redisForTest();
  await using redis = await connect({
    hostname: server.hostname,
    port: server.port,
    protocol: 3,
  });
  const commands = serverCommands(await redis.send("COMMAND", "INFO"));
  assert.ok(commands.length > 300);
  const bits = (names: RespValue[], table: Readonly<Record<string, number>>) =>
    names.reduce<number>((value, name) => value | table[String(name)]!, 0);
  for (const expected of commands) {
    const actual: Command = command(expected.name);
    const what = expected.name;
    assert.equal(
      actual.name,
      expected.name.toUpperCase().replace("|", " "),
      what,
    );
    assert.equal(actual.tokens, expected.name.includes("|") ? 2 : 1, what);
    assert.equal(actual.arity, expected.arity, what);
    assert.equal(actual.flags, bits(expected.flags, COMMAND_FLAGS), what);
    assert.deepStrictEqual(actual.tips, expected.tips, what);
    assert.equal(actual.keySpecs.length, expected.keySpecs.length, what);
    expected.keySpecs.forEach((spec, i) => {
      const ours = actual.keySpecs[i]!;
      const begin = spec.get("begin_search") as Map<RespValue, RespValue>;
      const find = spec.get("find_keys") as Map<RespValue, RespValue>;
      const beginSpec = begin.get("spec") as Map<RespValue, RespValue>;
      const findSpec = find.get("spec") as Map<RespValue, RespValue>;
      assert.equal(ours.flags, bits(items(spec.get("flags")), KEY_FLAGS), what);
      assert.equal(ours.beginSearch, begin.get("type"), what);
      assert.equal(ours.index, beginSpec.get("index") ?? 0, what);
      assert.equal(ours.keyword, beginSpec.get("keyword") ?? "", what);
      assert.equal(ours.startFrom, beginSpec.get("startfrom") ?? 0, what);
      assert.equal(ours.findKeys, find.get("type"), what);
      assert.equal(ours.lastKey, findSpec.get("lastkey") ?? 0, what);
      assert.equal(ours.keyStep, findSpec.get("keystep") ?? 0, what);
      assert.equal(ours.limit, findSpec.get("limit") ?? 0, what);
      assert.equal(ours.keyNumIndex, findSpec.get("keynumidx") ?? 0, what);
      assert.equal(ours.firstKey, findSpec.get("firstkey") ?? 0, what);
    });
  }
});

// ---------------------------------------------------------------------------
// keyIndexes()

/** [command, args, expected key indexes into args, what the row covers] */
const KEY_CASES: [string, RedisArg[], number[], string][] = [
  ["GET", ["k"], [0], "one key"],
  ["GET", [1], [0], "a number as a key"],
  ["GET", [], [], "wrong arity: no keys"],
  ["MSET", ["a", 1, "b", 2], [0, 2], "keystep 2"],
  ["DEL", ["a", "b", "c"], [0, 1, 2], "lastkey -1"],
  ["BLPOP", ["a", "b", 0], [0, 1], "lastkey -2"],
  ["OBJECT ENCODING", ["k"], [0], "a subcommand: index after two tokens"],
  ["EVAL", ["s", 2, "a", "b", "x"], [2, 3], "keynum"],
  ["EVAL", ["s", "0", "x"], [], "keynum 0"],
  ["EVAL", ["s", 5n, "a"], [], "keynum past the end"],
  ["EVAL", ["s", utf8.encode("1"), "a"], [2], "keynum as bytes"],
  ["ZUNIONSTORE", ["d", 2, "a", "b", "WEIGHTS", 1, 2], [0, 2, 3], "two specs"],
  ["LMPOP", [2, "a", "b", "LEFT"], [1, 2], "keynum at args[0]"],
  [
    "XREAD",
    ["COUNT", 1, "STREAMS", "a", "b", 0, 0],
    [3, 4],
    "STREAMS, limit 2",
  ],
  ["XREAD", ["streams", "STREAMS", 0], [1], "a key named STREAMS"],
  ["XREAD", [utf8.encode("sTrEaMs"), "k", 0], [1], "the keyword as bytes"],
  [
    "XREAD",
    ["STREAMS\0x", "k", 0],
    [1],
    "strcasecmp stops at NUL, as the server",
  ],
  ["XREADGROUP", ["GROUP", "g", "c", "STREAMS", "k", ">"], [4], "startfrom 4"],
  [
    "GEORADIUS",
    ["k", 0, 0, 1, "m", "STOREDIST", "d", "STORE", "s"],
    [0, 8, 6],
    "spec order",
  ],
  [
    "GEORADIUS",
    ["k", 0, 0, 1, "m", "STOREDIST", "store"],
    [0, 6],
    "the last argument is never a keyword",
  ],
  [
    "SORT",
    ["k", "BY", "w_*", "STORE", "d"],
    [0, 4],
    "SORT's STORE (unknown spec)",
  ],
  [
    "SORT",
    ["k", "LIMIT", "store", "x", "GET", "store"],
    [0],
    "values of LIMIT and GET skipped",
  ],
  [
    "SORT",
    ["k", "STORE", "store", "ASC"],
    [0, 3],
    "the server's quirk: the STORE key is read as an option",
  ],
  ["SORT_RO", ["k", "BY", "w_*"], [0], "SORT_RO"],
  ["MIGRATE", ["h", 6379, "k", 0, 5000], [2], "MIGRATE's key"],
  [
    "MIGRATE",
    ["h", 6379, "", 0, 5000, "COPY", "KEYS", "a", "b"],
    [7, 8],
    "MIGRATE KEYS (incomplete spec)",
  ],
  [
    "MIGRATE",
    ["h", 6379, "", 0, 5000, "AUTH", "keys", "KEYS", "a"],
    [8],
    "AUTH's password skipped",
  ],
  [
    "MIGRATE",
    ["h", 6379, "k", 0, 5000, "KEYS", "a"],
    [],
    "KEYS with a key: the server finds none",
  ],
  ["SET", ["k", "v", "GET"], [0], "variable_flags"],
  ["SPUBLISH", ["ch", "msg"], [], "a shard channel is not a key"],
  ["PING", [], [], "no key specs"],
  // Key counts the command itself rejects: the server's COMMAND GETKEYS
  // falls back to atoi() and lists keys; keyIndexes() reads them as the
  // command does (strictly) and finds none.
  ["EVAL", ["s", "01", "a"], [], "leading zero"],
  ["EVAL", ["s", "1abc", "a"], [], "trailing junk"],
  ["EVAL", ["s", 1.5, "a"], [], "not an integer"],
];

Deno.test("keyIndexes() finds the keys of hand-picked invocations", () => {
  for (const [name, args, expected, what] of KEY_CASES) {
    assert.deepStrictEqual(
      keyIndexes(command(name), args),
      expected,
      `${name}: ${what}`,
    );
  }
});

Deno.test("keyIndexes() counts shard channels as keys only when asked", () => {
  assert.deepStrictEqual(keyIndexes(command("SPUBLISH"), ["ch", "m"], true), [
    0,
  ]);
  assert.deepStrictEqual(keyIndexes(command("SSUBSCRIBE"), ["a", "b"], true), [
    0,
    1,
  ]);
  assert.deepStrictEqual(keyIndexes(command("SUNSUBSCRIBE"), [], true), []);
  assert.deepStrictEqual(keyIndexes(command("SUBSCRIBE"), ["a"], true), []);
  assert.deepStrictEqual(keyIndexes(command("GET"), ["k"], true), [0]);
});

Deno.test("keyIndexes() takes the arguments after the name tokens of resolve()", () => {
  const argv: RedisArg[] = ["xinfo", "stream", "s", "FULL"];
  const cmd = resolve(argv);
  const args = argv.slice(cmd.tokens);
  assert.deepStrictEqual(keyIndexes(cmd, args).map((i) => args[i]), ["s"]);
});

// ---------------------------------------------------------------------------
// isBlocking()

/** [command, args, blocks, what the row covers] */
const BLOCKING_CASES: [string, RedisArg[], boolean, string][] = [
  ["BLPOP", ["k", 0], true, "blocking flag"],
  ["BZMPOP", [1, 1, "k", "MIN"], true, "blocking flag, with a timeout"],
  ["GET", ["k"], false, "no flag"],
  ["XREAD", ["STREAMS", "k", 0], false, "XREAD without BLOCK"],
  ["XREAD", ["BLOCK", 0, "STREAMS", "k", 0], true, "XREAD BLOCK"],
  [
    "XREAD",
    ["count", 5, "block", 100, "streams", "k", 0],
    true,
    "options in any case",
  ],
  ["XREAD", ["STREAMS", "block", 0], false, "a key named block"],
  [
    "XREAD",
    ["COUNT", "BLOCK", "STREAMS", "k", 0],
    false,
    "COUNT's value named BLOCK",
  ],
  ["XREAD", ["BLOCK"], false, "BLOCK without a value: a syntax error"],
  [
    "XREAD",
    ["BLOCK", 0, "GROUP", "g", "c", "STREAMS", "k", 0],
    false,
    "XREAD refuses GROUP",
  ],
  [
    "XREADGROUP",
    ["GROUP", "block", "c", "STREAMS", "k", ">"],
    false,
    "a group named block",
  ],
  [
    "XREADGROUP",
    ["GROUP", "g", "c", "NOACK", "BLOCK", 0, "STREAMS", "k", ">"],
    true,
    "XREADGROUP BLOCK",
  ],
  ["WAIT", [1, 0], true, "WAIT has no blocking flag but waits for replicas"],
  ["CLIENT PAUSE", [100], false, "CLIENT PAUSE answers at once"],
];

Deno.test("isBlocking() refines the blocking flag by the arguments", () => {
  for (const [name, args, expected, what] of BLOCKING_CASES) {
    assert.equal(isBlocking(command(name), args), expected, `${name}: ${what}`);
  }
  assert.equal(
    isBlocking(resolve(["WAITAOF", 1, 1, 0]), [1, 1, 0]),
    true,
    "WAITAOF (7.2)",
  );
  assert.equal(isBlocking(resolve(["NOPE"]), []), false);
});

// ---------------------------------------------------------------------------
// The generated file and its CI guard

Deno.test("the generated table is small and names its generator and server", async () => {
  const source = await Deno.readTextFile(SPECS_FILE);
  assert.ok(source.length < 100_000, `${source.length} bytes`);
  assert.match(
    source,
    new RegExp(
      `^// Generated by tools/gen_specs\\.ts from redis-server ${
        SERVER_VERSION.replaceAll(".", "\\.")
      } `,
    ),
  );
});

/** Runs `deno task specs:check --file=<file>` against `server`. */
async function specsCheck(
  file: string,
  redisUrl: string,
): Promise<Deno.CommandOutput> {
  return await new Deno.Command("deno", {
    args: ["task", "-q", "specs:check", `--file=${file}`],
    cwd: ROOT,
    env: { REDIS_URL: redisUrl, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
}

Deno.test("deno task specs:check passes on the committed table and fails on a one-byte change", async () => {
  await using server = await redisForTest();
  const dir = await Deno.makeTempDir({ prefix: "sleeve-specs-" });
  try {
    const copy = `${dir}/_specs.ts`;
    const original = await Deno.readFile(SPECS_FILE);
    await Deno.writeFile(copy, original);
    const same = await specsCheck(copy, server.url);
    assert.equal(same.code, 0, text(same.stderr));
    assert.match(text(same.stdout), /matches redis-server /);

    // One byte of one record changed: "get 2 ..." becomes "get 3 ...".
    const at = text(original).indexOf('"get 2 ');
    assert.ok(at > 0);
    const changed = original.slice();
    changed[at + 5] = 0x33;
    await Deno.writeFile(copy, changed);
    const differs = await specsCheck(copy, server.url);
    assert.equal(differs.code, 1);
    const message = text(differs.stderr).trim();
    assert.equal(message.split("\n").length, 1, message);
    assert.match(
      message,
      /_specs\.ts differs from redis-server .* at line \d+ .*run `deno task specs`/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
