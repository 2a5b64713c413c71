// Owns the command table's decoded view: command lookup by name or argv, the
// key positions of an invocation (as the server's COMMAND GETKEYS finds them)
// and whether it blocks. Reads only the generated _specs.ts; never sends.

import type { RedisArg } from "../resp/encoder.ts";
import {
  BLOCKING,
  COMMAND_FLAGS,
  KEY_FLAGS,
  KEY_INCOMPLETE,
  KEY_NOT_KEY,
  REQUEST_POLICIES,
  type RequestPolicy,
  RESPONSE_POLICIES,
  type ResponsePolicy,
} from "./_flags.ts";
import { SERVER_VERSION, SPECS } from "./_specs.ts";

export * from "./_flags.ts";
export { SERVER_VERSION };

/**
 * One key spec of a command, as COMMAND INFO describes it. Positions count
 * the command's name tokens (`GET` is 0, its key 1; `OBJECT ENCODING key`
 * has its key at 2). Fields that do not apply to the spec's kinds are 0 or
 * `""`.
 */
export interface KeySpec {
  /** Bits of `KEY_RO`, `KEY_RW`, `KEY_ACCESS`, ... `KEY_NOT_KEY`, `KEY_INCOMPLETE`. */
  readonly flags: number;
  /** How the first key is found: at a fixed index, after a keyword, or unknown. */
  readonly beginSearch: "index" | "keyword" | "unknown";
  /** `"index"`: the first key's position. */
  readonly index: number;
  /** `"keyword"`: the keyword (upper case), matched case-insensitively. */
  readonly keyword: string;
  /** `"keyword"`: where the search starts; negative counts back from the end. */
  readonly startFrom: number;
  /** How the keys after the first are found: a range, a key count, or unknown. */
  readonly findKeys: "range" | "keynum" | "unknown";
  /** `"range"`: the last key relative to the first; negative counts from the end. */
  readonly lastKey: number;
  /** `"range"` and `"keynum"`: the distance between keys. */
  readonly keyStep: number;
  /** `"range"` with `lastKey` -1: only 1/limit of the remaining arguments are keys. */
  readonly limit: number;
  /** `"keynum"`: the key count's position relative to the begin-search result. */
  readonly keyNumIndex: number;
  /** `"keynum"`: the first key's position relative to the begin-search result. */
  readonly firstKey: number;
}

/** A command or subcommand of the table, or an ad-hoc one for an unknown name. */
export interface Command {
  /** Upper-case name tokens joined by a space, for messages: `"GET"`, `"CONFIG GET"`. */
  readonly name: string;
  /** The RESP bulk strings of the name tokens: `$3\r\nGET\r\n`. Do not modify. */
  readonly head: Uint8Array;
  /** How many name tokens `head` holds. */
  readonly tokens: 1 | 2;
  /** As COMMAND INFO gives it: counts the name tokens; negative means at least -arity. */
  readonly arity: number;
  /** Bits of `WRITE`, `READONLY`, `BLOCKING`, ... (0 when unknown). */
  readonly flags: number;
  /** The key specs, in the server's order (none when unknown). */
  readonly keySpecs: readonly KeySpec[];
  /** Tip `request_policy:*`, or null. */
  readonly requestPolicy: RequestPolicy | null;
  /** Tip `response_policy:*`, or null. */
  readonly responsePolicy: ResponsePolicy | null;
  /** Every tip, as the server spells them (`nondeterministic_output`, ...). */
  readonly tips: readonly string[];
  /** The COMMAND DOCS group (`"string"`, `"sorted-set"`...), `""` when unknown. */
  readonly group: string;
  /** The Redis version that introduced it, `""` when unknown. */
  readonly since: string;
  /** Whether COMMAND DOCS marks it deprecated. */
  readonly deprecated: boolean;
  /** False for an ad-hoc command made for a name the table does not know. */
  readonly known: boolean;
}

interface Entry {
  readonly row: number;
  command: Command | undefined;
  /** Subcommands by lower- and upper-case name, for containers. */
  subcommands: Map<string, Entry> | undefined;
}

/** Top-level commands by lower- and upper-case name; built on first use. */
let table: Map<string, Entry> | undefined;
/** The longest name token in the table: longer arguments are not looked up. */
let longestToken = 0;

const AD_HOC_CACHE_SIZE = 64;
const AD_HOC_KEY_LENGTH = 64;
const AD_HOC_NAME_LENGTH = 64;
const adHocCache = new Map<string, Command>();
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();
const NO_SPECS: readonly KeySpec[] = Object.freeze([]);
const NO_TIPS: readonly string[] = Object.freeze([]);

/**
 * The command or subcommand of the table with this name, in any case:
 * `"GET"`, `"get"`, `"CONFIG GET"`, `"config|get"`.
 *
 * @param name The name tokens, separated by a space or `|`.
 * @returns The command.
 * @throws {TypeError} When the table has no such command.
 */
export function command(name: string): Command {
  const entries = getTable();
  let cut = name.indexOf(" ");
  if (cut < 0) cut = name.indexOf("|");
  const top = lookup(entries, cut < 0 ? name : name.slice(0, cut));
  if (top !== undefined) {
    if (cut < 0) return commandOf(top);
    const sub = top.subcommands === undefined
      ? undefined
      : lookup(top.subcommands, name.slice(cut + 1));
    if (sub !== undefined) return commandOf(sub);
  }
  throw new TypeError(
    `Cannot find command "${name}": the Redis ${SERVER_VERSION} command table has no such command`,
  );
}

/**
 * The command an argument vector invokes: `argv[0]` (a string or bytes, in
 * any case) and, for container commands (`CONFIG`, `CLIENT`, `OBJECT`,
 * `XINFO`...), `argv[1]`. A name or subcommand the table does not know gives
 * an ad-hoc command (`known` false, no flags, no key specs) whose `head`
 * encodes the given token(s).
 *
 * @param argv The command's name token(s) followed by its arguments.
 * @returns The command; its `tokens` say where the arguments start.
 * @throws {TypeError} When `argv` is empty.
 */
export function resolve(argv: readonly RedisArg[]): Command {
  const first = argv[0];
  if (first === undefined) {
    throw new TypeError("Cannot resolve a command: the argument list is empty");
  }
  const top = lookup(getTable(), first);
  if (top === undefined) return adHoc(first, undefined);
  const subcommands = top.subcommands;
  const second = argv[1];
  if (subcommands === undefined || second === undefined) return commandOf(top);
  const sub = lookup(subcommands, second);
  return sub === undefined ? adHoc(first, second) : commandOf(sub);
}

/**
 * Which arguments of this invocation are keys: indices into `args`, the
 * arguments after the command's name tokens (`GET k` → `args` `["k"]`,
 * result `[0]`). The answer is the server's own, as `COMMAND GETKEYS` gives
 * it, in its order (key spec by key spec): the key specs first, then, where
 * they cannot answer (unknown or incomplete specs, bad key counts), what the
 * server's per-command key functions answer. An invocation whose keys the
 * server cannot find (wrong arity, bad key count) has none.
 *
 * @param command The command, from {@linkcode command} or {@linkcode resolve}.
 * @param args The arguments after the name tokens.
 * @param channels Also count shard channels (key specs flagged `not_key`:
 *   `SPUBLISH`, `SSUBSCRIBE`, `SUNSUBSCRIBE`), which a cluster routes by
 *   slot like keys. COMMAND GETKEYS never lists them.
 * @returns Ascending positions within each key spec, in key-spec order.
 */
export function keyIndexes(
  command: Command,
  args: readonly RedisArg[],
  channels = false,
): number[] {
  const specs = command.keySpecs;
  const tokens = command.tokens;
  const argc = tokens + args.length;
  const arity = command.arity;
  if (specs.length === 0 || (arity >= 0 ? argc !== arity : argc < -arity)) {
    return [];
  }
  const keys: number[] = [];
  // SET and BITFIELD (variable_flags) make the server skip the specs for
  // its key function, which answers the specs' position: no special case.
  for (let s = 0; s < specs.length; s++) {
    const spec = specs[s]!;
    if ((spec.flags & KEY_NOT_KEY) !== 0 && !channels) continue;
    let first = 0;
    if (spec.beginSearch === "index") {
      first = spec.index;
    } else if (spec.beginSearch === "keyword") {
      // The server's loop, including its bounds: a forward search never
      // reads the last argument, a backward one stops before index 1.
      const from = spec.startFrom;
      const start = from > 0 ? from : argc + from;
      const end = from > 0 ? argc - 1 : 1;
      const step = start <= end ? 1 : -1;
      for (let i = start; i !== end; i += step) {
        if (i >= argc || i < 1) break;
        if (isToken(args[i - tokens], spec.keyword)) {
          first = i + 1;
          break;
        }
      }
      if (first === 0) continue;
    } else {
      return keyFunction(command, args);
    }
    let last: number;
    let step: number;
    if (spec.findKeys === "range") {
      step = spec.keyStep;
      if (spec.lastKey >= 0) {
        last = first + spec.lastKey;
      } else if (spec.limit === 0) {
        last = argc + spec.lastKey;
      } else {
        // Only 1/limit of what follows are keys (XREAD: keys, then IDs).
        const rest = Math.trunc((argc - first) / spec.limit);
        last = first + rest + spec.lastKey;
      }
    } else if (spec.findKeys === "keynum") {
      step = spec.keyStep;
      const at = first + spec.keyNumIndex;
      if (spec.keyNumIndex >= argc || at >= argc) {
        return keyFunction(command, args);
      }
      const count = parseCount(args[at - tokens]);
      if (count < 0) return keyFunction(command, args);
      first += spec.firstKey;
      last = first + count - 1;
    } else {
      return keyFunction(command, args);
    }
    if (last >= argc || last < first || first >= argc) {
      return keyFunction(command, args);
    }
    for (let i = first; i <= last; i += step) keys.push(i - tokens);
    if ((spec.flags & KEY_INCOMPLETE) !== 0) return keyFunction(command, args);
  }
  return keys;
}

/**
 * Whether this invocation blocks the connection until data arrives or a
 * timeout passes.
 *
 * - Commands flagged `blocking` (BLPOP, BLMOVE, BZMPOP...) block, except
 *   XREAD and XREADGROUP, which carry the flag unconditionally but only
 *   block with a `BLOCK` option in a valid option list.
 * - WAIT (and WAITAOF, Redis 7.2, unknown to this table) carry no
 *   `blocking` flag, since that flag marks commands that wait for keys, but
 *   hold the client until replicas acknowledge or the timeout passes.
 * - CLIENT PAUSE is not blocking: it answers at once (and delays later
 *   commands of every client, which is a policy question for `send()`).
 *
 * @param command The command, from {@linkcode command} or {@linkcode resolve}.
 * @param args The arguments after the name tokens.
 * @returns Whether it blocks.
 */
export function isBlocking(
  command: Command,
  args: readonly RedisArg[],
): boolean {
  if ((command.flags & BLOCKING) !== 0) {
    const name = command.name;
    if (name === "XREAD") return streamReadBlocks(args, false);
    if (name === "XREADGROUP") return streamReadBlocks(args, true);
    return true;
  }
  return command.name === "WAIT" || command.name === "WAITAOF";
}

/**
 * The server's option loop of XREAD/XREADGROUP up to STREAMS: a count, a
 * group or a key named "block" is skipped as a value, and an option list
 * the server rejects does not block.
 */
function streamReadBlocks(args: readonly RedisArg[], group: boolean): boolean {
  let block = false;
  for (let i = 0; i < args.length; i++) {
    const more = args.length - i - 1;
    const arg = args[i];
    if (isToken(arg, "BLOCK") && more > 0) {
      block = true;
      i++;
    } else if (isToken(arg, "COUNT") && more > 0) {
      i++;
    } else if (isToken(arg, "STREAMS") && more > 0) {
      return block;
    } else if (group && isToken(arg, "GROUP") && more >= 2) {
      i += 2;
    } else if (!(group && isToken(arg, "NOACK"))) {
      return false;
    }
  }
  return false;
}

/**
 * What the server's key function answers when the key specs cannot: only
 * SORT, SORT_RO and MIGRATE answer keys for an invocation the command
 * accepts. For the other commands with a key function (EVAL, FCALL,
 * ZUNIONSTORE, LMPOP, XREAD...) the specs fail only on a key count or
 * argument list the command rejects, where those functions answer no keys.
 */
function keyFunction(command: Command, args: readonly RedisArg[]): number[] {
  switch (command.name) {
    case "SORT":
      return sortKeys(args);
    case "SORT_RO":
      return [0];
    case "MIGRATE":
      return migrateKeys(args);
    default:
      return [];
  }
}

/**
 * SORT's BY/GET patterns and its STORE key have unknown specs. The server
 * scans the options, skipping LIMIT's two values and BY's and GET's one, and
 * takes the argument after the last STORE. Like the server, it does not skip
 * the STORE key itself, so a key named "limit" there hides what follows.
 */
function sortKeys(args: readonly RedisArg[]): number[] {
  let store = -1;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i];
    if (isToken(arg, "LIMIT")) i += 2;
    else if (isToken(arg, "STORE") && i + 1 < args.length) store = i + 1;
    else if (isToken(arg, "GET") || isToken(arg, "BY")) i += 1;
  }
  return store < 0 ? [0] : [0, store];
}

/**
 * MIGRATE's KEYS spec is incomplete. The server takes the key argument
 * unless, after the fixed arguments, a KEYS option follows (skipping AUTH's
 * password and AUTH2's user and password): then the arguments after KEYS,
 * or none when the key argument is not empty.
 */
function migrateKeys(args: readonly RedisArg[]): number[] {
  // args: host port key db timeout [options]; key is args[2].
  for (let i = 5; i < args.length; i++) {
    const arg = args[i];
    if (isToken(arg, "KEYS")) {
      if (!isEmpty(args[2])) return [];
      const keys: number[] = [];
      for (let k = i + 1; k < args.length; k++) keys.push(k);
      return keys;
    }
    if (isToken(arg, "AUTH")) i += 1;
    else if (isToken(arg, "AUTH2")) i += 2;
  }
  return [2];
}

function isEmpty(arg: RedisArg | undefined): boolean {
  return (typeof arg === "string" || arg instanceof Uint8Array) &&
    arg.length === 0;
}

/**
 * Whether `arg` is `word` (upper-case ASCII) as the server's strcasecmp()
 * sees it: case-insensitive, and ending at the first NUL byte, so
 * `"KEYS\0x"` is the keyword too. Numbers are never keywords.
 */
function isToken(arg: RedisArg | undefined, word: string): boolean {
  const n = word.length;
  if (typeof arg === "string") {
    if (arg.length < n || (arg.length > n && arg.charCodeAt(n) !== 0)) {
      return false;
    }
    for (let i = 0; i < n; i++) {
      let c = arg.charCodeAt(i);
      if (c >= 0x61 && c <= 0x7a) c -= 0x20;
      if (c !== word.charCodeAt(i)) return false;
    }
    return true;
  }
  if (arg instanceof Uint8Array) {
    if (arg.length < n || (arg.length > n && arg[n] !== 0)) return false;
    for (let i = 0; i < n; i++) {
      let c = arg[i]!;
      if (c >= 0x61 && c <= 0x7a) c -= 0x20;
      if (c !== word.charCodeAt(i)) return false;
    }
    return true;
  }
  return false;
}

/**
 * A key count as the server's string2ll() reads it (decimal, no sign, no
 * leading zero, no spaces), or -1 when it is not one or is negative.
 */
function parseCount(arg: RedisArg | undefined): number {
  if (typeof arg === "number") {
    return Number.isSafeInteger(arg) && arg >= 0 ? arg : -1;
  }
  if (typeof arg === "bigint") {
    if (arg < 0n) return -1;
    return arg > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(arg);
  }
  if (typeof arg === "string") {
    const n = arg.length;
    if (n === 0 || n > 20) return -1;
    let value = 0;
    for (let i = 0; i < n; i++) {
      const d = arg.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9 || (d === 0 && i === 0 && n > 1)) return -1;
      value = value * 10 + d;
    }
    return value;
  }
  if (arg instanceof Uint8Array) {
    const n = arg.length;
    if (n === 0 || n > 20) return -1;
    let value = 0;
    for (let i = 0; i < n; i++) {
      const d = arg[i]! - 0x30;
      if (d < 0 || d > 9 || (d === 0 && i === 0 && n > 1)) return -1;
      value = value * 10 + d;
    }
    return value;
  }
  return -1;
}

function getTable(): Map<string, Entry> {
  if (table !== undefined) return table;
  const entries = new Map<string, Entry>();
  for (let row = 0; row < SPECS.length; row++) {
    const record = SPECS[row]!;
    const name = record.slice(0, record.indexOf(" "));
    const bar = name.indexOf("|");
    const entry: Entry = { row, command: undefined, subcommands: undefined };
    const token = bar < 0 ? name : name.slice(bar + 1);
    let into = entries;
    if (bar >= 0) {
      // Sorted by name, so a container precedes its subcommands.
      const parent = entries.get(name.slice(0, bar));
      if (parent === undefined) throw corrupt(record, "no container");
      into = parent.subcommands ??= new Map();
    }
    into.set(token, entry);
    into.set(token.toUpperCase(), entry);
    if (token.length > longestToken) longestToken = token.length;
  }
  table = entries;
  return entries;
}

/** The entry a name token names, in any case; numbers name nothing. */
function lookup(
  entries: Map<string, Entry>,
  token: RedisArg,
): Entry | undefined {
  if (typeof token === "string") {
    const exact = entries.get(token);
    if (exact !== undefined || token.length > longestToken) return exact;
    return entries.get(token.toLowerCase());
  }
  if (token instanceof Uint8Array && token.length <= longestToken) {
    let name = "";
    for (let i = 0; i < token.length; i++) {
      const c = token[i]!;
      name += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c + 0x20 : c);
    }
    return entries.get(name);
  }
  return undefined;
}

function commandOf(entry: Entry): Command {
  return entry.command ??= decode(SPECS[entry.row]!);
}

/** Decodes one record of _specs.ts (its header comment gives the format). */
function decode(record: string): Command {
  const fields = record.split(" ");
  if (fields.length < 7) throw corrupt(record, "too few fields");
  const [name, arity, flags, group, since, docFlags, tips] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const tokens = name.split("|").map((token) => token.toUpperCase());
  const tipList = tips === "-" ? NO_TIPS : Object.freeze(tips.split(","));
  let requestPolicy: RequestPolicy | null = null;
  let responsePolicy: ResponsePolicy | null = null;
  for (const tip of tipList) {
    const value = tip.slice(tip.indexOf(":") + 1);
    if (tip.startsWith("request_policy:")) {
      requestPolicy = REQUEST_POLICIES.find((p) => p === value) ?? null;
    } else if (tip.startsWith("response_policy:")) {
      responsePolicy = RESPONSE_POLICIES.find((p) => p === value) ?? null;
    }
  }
  const specs = fields.slice(7).map((text) => decodeKeySpec(text, record));
  return Object.freeze({
    name: tokens.join(" "),
    head: encodeHead(tokens.map((token) => utf8.encode(token))),
    tokens: tokens.length === 2 ? 2 : 1,
    arity: Number(arity),
    flags: bits(flags, COMMAND_FLAGS, record),
    keySpecs: specs.length === 0 ? NO_SPECS : Object.freeze(specs),
    requestPolicy,
    responsePolicy,
    tips: tipList,
    group: group === "-" ? "" : group,
    since: since === "-" ? "" : since,
    deprecated: docFlags.split(",").includes("deprecated"),
    known: true,
  });
}

function decodeKeySpec(text: string, record: string): KeySpec {
  const [flags, begin, find] = text.split("/");
  if (find === undefined) throw corrupt(record, `key spec "${text}"`);
  const spec = {
    flags: bits(flags!, KEY_FLAGS, record),
    beginSearch: "unknown" as KeySpec["beginSearch"],
    index: 0,
    keyword: "",
    startFrom: 0,
    findKeys: "unknown" as KeySpec["findKeys"],
    lastKey: 0,
    keyStep: 0,
    limit: 0,
    keyNumIndex: 0,
    firstKey: 0,
  };
  if (begin!.startsWith("i")) {
    spec.beginSearch = "index";
    spec.index = Number(begin!.slice(1));
  } else if (begin!.startsWith("k")) {
    const comma = begin!.lastIndexOf(",");
    spec.beginSearch = "keyword";
    spec.keyword = begin!.slice(1, comma).toUpperCase();
    spec.startFrom = Number(begin!.slice(comma + 1));
  }
  const numbers = find.slice(1).split(",").map(Number);
  if (find.startsWith("r")) {
    spec.findKeys = "range";
    [spec.lastKey, spec.keyStep, spec.limit] = numbers as [
      number,
      number,
      number,
    ];
  } else if (find.startsWith("n")) {
    spec.findKeys = "keynum";
    [spec.keyNumIndex, spec.firstKey, spec.keyStep] = numbers as [
      number,
      number,
      number,
    ];
  }
  return Object.freeze(spec);
}

function bits(
  list: string,
  names: Readonly<Record<string, number>>,
  record: string,
): number {
  if (list === "-") return 0;
  let value = 0;
  for (const name of list.split(",")) {
    const bit = names[name];
    if (bit === undefined) throw corrupt(record, `unknown flag "${name}"`);
    value |= bit;
  }
  return value;
}

function corrupt(record: string, detail: string): Error {
  return new Error(
    `Cannot decode the command table: ${detail} in "${record}"; run \`deno task specs\``,
  );
}

/** An ad-hoc command for an unknown name, or a container's unknown subcommand. */
function adHoc(first: RedisArg, second: RedisArg | undefined): Command {
  const key = cacheKey(first, second);
  if (key !== undefined) {
    const cached = adHocCache.get(key);
    if (cached !== undefined) return cached;
  }
  const given = second === undefined ? [first] : [first, second];
  let name = given.map((token) => text(token).toUpperCase()).join(" ");
  if (name.length > AD_HOC_NAME_LENGTH) {
    name = `${name.slice(0, AD_HOC_NAME_LENGTH)}…`;
  }
  const command: Command = Object.freeze({
    name,
    head: encodeHead(given.map(bytes)),
    tokens: second === undefined ? 1 : 2,
    arity: 0,
    flags: 0,
    keySpecs: NO_SPECS,
    requestPolicy: null,
    responsePolicy: null,
    tips: NO_TIPS,
    group: "",
    since: "",
    deprecated: false,
    known: false,
  });
  if (key !== undefined) {
    if (adHocCache.size >= AD_HOC_CACHE_SIZE) {
      // Oldest first: a Map iterates in insertion order.
      adHocCache.delete(adHocCache.keys().next().value!);
    }
    adHocCache.set(key, command);
  }
  return command;
}

/** A cache key telling apart the tokens' types and boundaries, or undefined when too long. */
function cacheKey(
  first: RedisArg,
  second: RedisArg | undefined,
): string | undefined {
  const a = tokenKey(first);
  if (a === undefined) return undefined;
  if (second === undefined) return a;
  const b = tokenKey(second);
  return b === undefined || a.length + b.length > AD_HOC_KEY_LENGTH
    ? undefined
    : a + b;
}

function tokenKey(token: RedisArg): string | undefined {
  if (token instanceof Uint8Array) {
    if (token.length > AD_HOC_KEY_LENGTH) return undefined;
    let key = `b${token.length}:`;
    for (let i = 0; i < token.length; i++) {
      key += String.fromCharCode(token[i]!);
    }
    return key;
  }
  const value = text(token);
  return value.length > AD_HOC_KEY_LENGTH
    ? undefined
    : `${typeof token === "string" ? "s" : "n"}${value.length}:${value}`;
}

/** A token as text, as the encoder would send it (bytes decoded as UTF-8). */
function text(token: RedisArg): string {
  if (typeof token === "string") return token;
  if (token instanceof Uint8Array) return utf8Decoder.decode(token);
  if (token === Infinity) return "inf";
  if (token === -Infinity) return "-inf";
  return String(token);
}

function bytes(token: RedisArg): Uint8Array {
  return token instanceof Uint8Array ? token.slice() : utf8.encode(text(token));
}

/** `$<length>\r\n<token>\r\n` for each token. */
function encodeHead(tokens: readonly Uint8Array[]): Uint8Array {
  const parts = tokens.map((token) => utf8.encode(`$${token.length}\r\n`));
  let size = 0;
  for (let i = 0; i < tokens.length; i++) {
    size += parts[i]!.length + tokens[i]!.length + 2;
  }
  const head = new Uint8Array(size);
  let at = 0;
  for (let i = 0; i < tokens.length; i++) {
    head.set(parts[i]!, at);
    at += parts[i]!.length;
    head.set(tokens[i]!, at);
    at += tokens[i]!.length;
    head[at++] = 0x0d;
    head[at++] = 0x0a;
  }
  return head;
}
