// Owns the command table's decoded view: the Command records and their lookup
// by name or argv (ad-hoc ones for unknown names). Reads only the generated
// _specs.ts; key positions and blocking live in _key_positions.ts.

import type { RedisArg } from "../resp/encoder.ts";
import {
  BLOCKING,
  COMMAND_FLAGS,
  KEY_FLAGS,
  REQUEST_POLICIES,
  type RequestPolicy,
  RESPONSE_POLICIES,
  type ResponsePolicy,
  ROUTE_BLOCKING,
} from "./_flags.ts";
import { SERVER_VERSION, SPECS } from "./_specs.ts";

export * from "./_flags.ts";
export { isBlocking, keyIndexes } from "./_key_positions.ts";
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
  /** As COMMAND INFO gives it: counts the name tokens; negative means at least -arity (0 when unknown). */
  readonly arity: number;
  /** Bits of `WRITE`, `READONLY`, `BLOCKING`, ... (0 when unknown). */
  readonly flags: number;
  /**
   * Bits of `ROUTE_BLOCKING`: which connection the router may send it to
   * (0, the shared one, for nearly every command). Tested per request, so
   * kept apart from `flags`, which are exactly the server's.
   */
  readonly route: number;
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
const utf8Decoder = new TextDecoder("utf-8", { ignoreBOM: true });
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
  const commandFlags = bits(flags, COMMAND_FLAGS, record);
  const fullName = tokens.join(" ");
  return Object.freeze({
    name: fullName,
    head: encodeHead(tokens.map((token) => utf8.encode(token))),
    tokens: tokens.length === 2 ? 2 : 1,
    arity: Number(arity),
    flags: commandFlags,
    route: routeOf(fullName, commandFlags),
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

/**
 * The routing bits of a command: `ROUTE_BLOCKING` for the `blocking` flag
 * and for WAIT and WAITAOF, which hold the client without it.
 */
function routeOf(name: string, flags: number): number {
  return (flags & BLOCKING) !== 0 || name === "WAIT" || name === "WAITAOF"
    ? ROUTE_BLOCKING
    : 0;
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
    // WAITAOF (Redis 7.2) is not in the table, but blocks where it runs.
    route: routeOf(name, 0),
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
