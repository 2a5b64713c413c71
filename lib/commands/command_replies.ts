// The shapes of the COMMAND replies (COMMAND INFO, DOCS, GETKEYSANDFLAGS:
// the server's command table) and their decoders, RESP2 and RESP3 alike. The
// other introspection replies are in server_introspection_replies.ts.

import type { RespValue } from "../resp/types.ts";
import type { Bulk } from "./_executor.ts";
import { array, bulk, text } from "./_reply.ts";
import { field, fields, integerValue, textArray } from "./server_replies.ts";

/**
 * A command's description in COMMAND INFO's reply.
 *
 * @example Usage
 * ```ts
 * import { connect, type CommandInfo } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const [get]: (CommandInfo | null)[] = await redis.commandInfo("get");
 * console.log(get?.arity, get?.flags, get?.keySpecs[0]?.beginSearch);
 * ```
 */
export interface CommandInfo {
  /** The name in lower case; a subcommand's is `container|sub`. */
  readonly name: string;
  /** The argument count, name included; negative means at least that many. */
  readonly arity: number;
  /** The command's flags, such as `"readonly"` and `"fast"`. */
  readonly flags: readonly string[];
  /** The position of the first key (0 when none). */
  readonly firstKey: number;
  /** The position of the last key (negative counts from the end). */
  readonly lastKey: number;
  /** The distance between keys. */
  readonly step: number;
  /** The ACL categories, such as `"@read"`. */
  readonly aclCategories: readonly string[];
  /** Hints for clients, such as `"nondeterministic_output"`. */
  readonly tips: readonly string[];
  /** Where its keys are, one spec per kind of key. */
  readonly keySpecs: readonly CommandKeySpec[];
  /** A container's subcommands. */
  readonly subcommands: readonly CommandInfo[];
}

/**
 * A key specification in {@linkcode CommandInfo}: how to find a kind of key
 * in a command's arguments, and what the command does with it.
 *
 * @example Usage
 * ```ts
 * import type { CommandKeySpec } from "@sleeve/redis";
 *
 * const spec: CommandKeySpec = {
 *   flags: ["RO", "access"],
 *   beginSearch: { type: "index", index: 1 },
 *   findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 },
 * };
 * console.log(spec);
 * ```
 */
export interface CommandKeySpec {
  /** Notes on the spec, when the server gives some. */
  readonly notes?: string;
  /** The key flags, such as `"RW"`, `"access"`, `"insert"`. */
  readonly flags: readonly string[];
  /** Where the search for the first key begins. */
  readonly beginSearch: KeySearchBegin;
  /** How the keys after the first are found. */
  readonly findKeys: KeySearchFind;
}

/**
 * Where a {@linkcode CommandKeySpec}'s first key is: at a fixed index, after
 * a keyword (searching from `startFrom`, negative from the end), or unknown.
 *
 * @example Usage
 * ```ts
 * import type { KeySearchBegin } from "@sleeve/redis";
 *
 * const begin: KeySearchBegin = { type: "keyword", keyword: "STREAMS", startFrom: 1 };
 * console.log(begin);
 * ```
 */
export type KeySearchBegin =
  | { readonly type: "index"; readonly index: number }
  | {
    readonly type: "keyword";
    readonly keyword: string;
    readonly startFrom: number;
  }
  | { readonly type: "unknown" };

/**
 * How a {@linkcode CommandKeySpec}'s keys after the first are found: a range
 * (`lastKey` relative to the first key, negative from the end), a key count
 * at `keyNumIndex`, or unknown.
 *
 * @example Usage
 * ```ts
 * import type { KeySearchFind } from "@sleeve/redis";
 *
 * const find: KeySearchFind = { type: "keynum", keyNumIndex: 0, firstKey: 1, keyStep: 1 };
 * console.log(find);
 * ```
 */
export type KeySearchFind =
  | {
    readonly type: "range";
    readonly lastKey: number;
    readonly keyStep: number;
    readonly limit: number;
  }
  | {
    readonly type: "keynum";
    readonly keyNumIndex: number;
    readonly firstKey: number;
    readonly keyStep: number;
  }
  | { readonly type: "unknown" };

/**
 * A command's documentation in COMMAND DOCS's reply. Text the server leaves
 * out is `undefined` (the lists are then empty).
 *
 * @example Usage
 * ```ts
 * import { connect, type CommandDocs } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const { set }: Record<string, CommandDocs> = await redis.commandDocs("set");
 * console.log(set?.summary, set?.arguments.map((argument) => argument.name));
 * ```
 */
export interface CommandDocs {
  /** A one-line summary. */
  readonly summary?: string;
  /** The Redis version that added it. */
  readonly since?: string;
  /** Its group, such as `"string"` or `"server"`. */
  readonly group?: string;
  /** Its time complexity. */
  readonly complexity?: string;
  /** The module that adds it, for a module's command. */
  readonly module?: string;
  /** Documentation flags, such as `"deprecated"` or `"syscmd"`. */
  readonly docFlags: readonly string[];
  /** The version that deprecated it. */
  readonly deprecatedSince?: string;
  /** What replaces it, when deprecated. */
  readonly replacedBy?: string;
  /** Its changes, oldest first. */
  readonly history: readonly CommandChange[];
  /** Its arguments. */
  readonly arguments: readonly CommandArgument[];
  /** A container's subcommands, by name (`container|sub`). */
  readonly subcommands: Readonly<Record<string, CommandDocs>>;
}

/**
 * A change in a command's history, in {@linkcode CommandDocs}.
 *
 * @example Usage
 * ```ts
 * import type { CommandChange } from "@sleeve/redis";
 *
 * const change: CommandChange = { version: "6.2.0", description: "Added the GET option." };
 * console.log(change);
 * ```
 */
export interface CommandChange {
  /** The Redis version of the change. */
  readonly version: string;
  /** What changed. */
  readonly description: string;
}

/**
 * An argument in {@linkcode CommandDocs}. `"oneof"` and `"block"` arguments
 * nest their parts in `arguments`.
 *
 * @example Usage
 * ```ts
 * import type { CommandArgument } from "@sleeve/redis";
 *
 * const argument: CommandArgument = { name: "key", type: "key", keySpecIndex: 0, flags: [], arguments: [] };
 * console.log(argument);
 * ```
 */
export interface CommandArgument {
  /** The argument's name. */
  readonly name: string;
  /** Its type: `"string"`, `"integer"`, `"double"`, `"key"`, `"pattern"`, `"unix-time"`, `"pure-token"`, `"oneof"` or `"block"`. */
  readonly type: string;
  /** The name shown in syntax help, when it differs. */
  readonly displayText?: string;
  /** For a key, the index of its spec in {@linkcode CommandInfo.keySpecs}. */
  readonly keySpecIndex?: number;
  /** The keyword that precedes it, such as `"EX"`. */
  readonly token?: string;
  /** A short description. */
  readonly summary?: string;
  /** The version that added it. */
  readonly since?: string;
  /** The version that deprecated it. */
  readonly deprecatedSince?: string;
  /** Its flags: `"optional"`, `"multiple"`, `"multiple_token"`. */
  readonly flags: readonly string[];
  /** Its value's name in syntax help. */
  readonly value?: string;
  /** The parts of a `"oneof"` or `"block"` argument. */
  readonly arguments: readonly CommandArgument[];
}

/**
 * A key found in a command's arguments, with what the command does to it
 * (COMMAND GETKEYSANDFLAGS).
 *
 * @typeParam B The key's type: `string`, or `Uint8Array` on `binary` views.
 *
 * @example Usage
 * ```ts
 * import { connect, type KeyFlags } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const keys: KeyFlags[] = await redis.commandGetkeysandflags("LMOVE", "a", "b", "LEFT", "RIGHT");
 * console.log(keys); // → [{ key: "a", flags: ["RW", "access", "delete"] }, { key: "b", flags: ["RW", "insert"] }]
 * ```
 */
export interface KeyFlags<B extends Bulk = string> {
  /** The key. */
  readonly key: B;
  /** Its flags, such as `"RW"` and `"insert"`. */
  readonly flags: readonly string[];
}

function keySearchBegin(value: RespValue): KeySearchBegin {
  const map = fields(value);
  const type = text(field(map, "type"));
  const spec = fields(map.get("spec") ?? []);
  if (type === "index") {
    return { type, index: integerValue(field(spec, "index")) };
  }
  if (type === "keyword") {
    return {
      type,
      keyword: text(field(spec, "keyword")),
      startFrom: integerValue(field(spec, "startfrom")),
    };
  }
  return { type: "unknown" };
}

function keySearchFind(value: RespValue): KeySearchFind {
  const map = fields(value);
  const type = text(field(map, "type"));
  const spec = fields(map.get("spec") ?? []);
  if (type === "range") {
    return {
      type,
      lastKey: integerValue(field(spec, "lastkey")),
      keyStep: integerValue(field(spec, "keystep")),
      limit: integerValue(field(spec, "limit")),
    };
  }
  if (type === "keynum") {
    return {
      type,
      keyNumIndex: integerValue(field(spec, "keynumidx")),
      firstKey: integerValue(field(spec, "firstkey")),
      keyStep: integerValue(field(spec, "keystep")),
    };
  }
  return { type: "unknown" };
}

function keySpec(value: RespValue): CommandKeySpec {
  const map = fields(value);
  const notes = map.get("notes");
  const spec = {
    flags: textArray(map.get("flags") ?? []),
    beginSearch: keySearchBegin(field(map, "begin_search")),
    findKeys: keySearchFind(field(map, "find_keys")),
  };
  return notes === undefined ? spec : { notes: text(notes), ...spec };
}

function commandInfo(value: RespValue): CommandInfo {
  const parts = array(value);
  if (parts.length < 6) throw new TypeError("expected a command description");
  return {
    name: text(parts[0]!),
    arity: integerValue(parts[1]!),
    flags: textArray(parts[2]!),
    firstKey: integerValue(parts[3]!),
    lastKey: integerValue(parts[4]!),
    step: integerValue(parts[5]!),
    aclCategories: textArray(parts[6] ?? []),
    tips: textArray(parts[7] ?? []),
    keySpecs: array(parts[8] ?? []).map(keySpec),
    subcommands: array(parts[9] ?? []).map(commandInfo),
  };
}

/** COMMAND INFO's reply: a description, or null for an unknown name. */
export function commandInfos(value: RespValue): (CommandInfo | null)[] {
  return array(value).map((item) => item === null ? null : commandInfo(item));
}

/** Copies the optional text fields `names` (server name → ours) present in `map`. */
function optionalText(
  out: Record<string, unknown>,
  map: Map<string, RespValue>,
  names: Readonly<Record<string, string>>,
): void {
  for (const name of Object.keys(names)) {
    const value = map.get(name);
    if (value !== undefined && value !== null) out[names[name]!] = text(value);
  }
}

const ARGUMENT_TEXT = {
  display_text: "displayText",
  token: "token",
  summary: "summary",
  since: "since",
  deprecated_since: "deprecatedSince",
  value: "value",
} as const;

function commandArgument(value: RespValue): CommandArgument {
  const map = fields(value);
  const out: Record<string, unknown> = {
    name: text(field(map, "name")),
    type: text(field(map, "type")),
  };
  const index = map.get("key_spec_index");
  if (index !== undefined) out.keySpecIndex = integerValue(index);
  optionalText(out, map, ARGUMENT_TEXT);
  out.flags = textArray(map.get("flags") ?? []);
  out.arguments = array(map.get("arguments") ?? []).map(commandArgument);
  return out as unknown as CommandArgument;
}

const DOCS_TEXT = {
  summary: "summary",
  since: "since",
  group: "group",
  complexity: "complexity",
  module: "module",
  deprecated_since: "deprecatedSince",
  replaced_by: "replacedBy",
} as const;

function commandDoc(value: RespValue): CommandDocs {
  const map = fields(value);
  const out: Record<string, unknown> = {};
  optionalText(out, map, DOCS_TEXT);
  out.docFlags = textArray(map.get("doc_flags") ?? []);
  out.history = array(map.get("history") ?? []).map((entry) => {
    const parts = array(entry);
    if (parts.length < 2) throw new TypeError("expected a history entry");
    return { version: text(parts[0]!), description: text(parts[1]!) };
  });
  out.arguments = array(map.get("arguments") ?? []).map(commandArgument);
  out.subcommands = commandDocs(map.get("subcommands") ?? []);
  return out as unknown as CommandDocs;
}

/** COMMAND DOCS's reply: each command's documentation by name. */
export function commandDocs(value: RespValue): Record<string, CommandDocs> {
  const out: Record<string, CommandDocs> = Object.create(null);
  for (const [name, doc] of fields(value)) out[name] = commandDoc(doc);
  return out;
}

/** COMMAND GETKEYSANDFLAGS's `[key, flags]` pairs. */
export function keysAndFlags<B extends Bulk>(value: RespValue): KeyFlags<B>[] {
  return array(value).map((entry) => {
    const parts = array(entry);
    if (parts.length !== 2) throw new TypeError("expected a key and flags");
    return { key: bulk<B>(parts[0]!), flags: textArray(parts[1]!) };
  });
}
