// The key prefix of prefix() views: which arguments of an invocation name keys
// (the spec table's answer, plus the patterns it does not describe), what
// they become, and how keys in replies lose the prefix again. Pure: no I/O,
// and nothing is kept but the prefix itself.

import type { Command } from "./commands/_command.ts";
import type { Decode } from "./commands/_executor.ts";
import { isToken, keyIndexes } from "./commands/_key_positions.ts";
import type { RedisArg } from "./resp/encoder.ts";
import type { RespValue } from "./resp/types.ts";

const utf8 = new TextEncoder();
// ignoreBOM: a leading U+FEFF is part of the prefix (and of keys in replies).
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lossyUtf8 = new TextDecoder("utf-8", { ignoreBOM: true });

const STAR = 0x2a;
const NUL = 0x00;
/** Bytes a glob pattern gives a meaning to: `*`, `?`, `[`, `]`, `\`. */
const GLOB = new Set([0x2a, 0x3f, 0x5b, 0x5d, 0x5c]);
const BACKSLASH = 0x5c;

/**
 * How the keys of one reply lose the prefix. A value of an unexpected shape
 * is returned as it is, for the method's decoder to reject.
 */
type Strip = (prefix: KeyPrefix, value: RespValue) => RespValue;

/**
 * A key prefix: its bytes, with the string and glob-pattern forms computed
 * once. Immutable.
 */
export class KeyPrefix {
  /** The prefix as sent. Do not modify. */
  readonly bytes: Uint8Array;
  /** The bytes as a Latin-1 string: equal prefixes have equal ids. */
  readonly id: string;
  /** The prefix as a string, when its bytes are UTF-8 (string keys are joined as strings). */
  readonly #text: string | undefined;
  /** How a string view decodes the prefix at the start of a key. */
  readonly #replyText: string;
  /** The prefix with glob characters escaped, for SCAN's and KEYS' patterns. */
  readonly #glob: Uint8Array;
  readonly #globText: string | undefined;
  /** Whether SORT's patterns cannot be prefixed (a `*` or NUL in it). */
  readonly #breaksSortPatterns: boolean;

  /**
   * Constructs a new instance.
   *
   * @param bytes The prefix (kept, not copied).
   */
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    let breaks = false;
    const glob: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i]!;
      if (byte === STAR || byte === NUL) breaks = true;
      if (GLOB.has(byte)) glob.push(BACKSLASH);
      glob.push(byte);
    }
    this.id = prefixId(bytes);
    this.#breaksSortPatterns = breaks;
    this.#text = utf8Text(bytes);
    this.#replyText = lossyUtf8.decode(bytes);
    this.#glob = new Uint8Array(glob);
    this.#globText = utf8Text(this.#glob);
  }

  /**
   * The bytes of this prefix followed by `more`: `prefix("a:").prefix("b:")`
   * is `"a:b:"`.
   *
   * @param more What to append.
   * @returns The longer prefix's bytes.
   */
  append(more: string | Uint8Array): Uint8Array {
    return concat(
      this.bytes,
      typeof more === "string" ? utf8.encode(more) : more,
    );
  }

  /**
   * The arguments of an invocation with the prefix in front of every key,
   * and of every pattern that names keys (SCAN's MATCH, which a missing one
   * becomes `prefix*`; KEYS' pattern; SORT's BY and GET patterns), or the
   * reason it cannot be prefixed. Always a new array.
   *
   * @param command The command.
   * @param args Its arguments after the name tokens.
   * @returns The new arguments, or a `TypeError` to report.
   */
  args(command: Command, args: readonly RedisArg[]): RedisArg[] | TypeError {
    if (!command.known) {
      return new TypeError(
        `Cannot send ${command.name} through a prefix() view: the command table does not say which of its arguments are keys`,
      );
    }
    const out = args.slice();
    const keys = keyIndexes(command, args);
    for (let k = 0; k < keys.length; k++) {
      const i = keys[k]!;
      out[i] = this.key(args[i]!);
    }
    switch (command.name) {
      case "SCAN":
        this.#scanMatch(args, out);
        break;
      case "KEYS":
        if (args.length > 0) out[0] = this.pattern(args[0]!);
        break;
      case "SORT":
      case "SORT_RO":
        return this.#sortPatterns(command.name, args, out);
      case "CLUSTER KEYSLOT":
        // The slot of the key the view would use, which its specs do not name.
        if (args.length > 0) out[0] = this.key(args[0]!);
        break;
    }
    return out;
  }

  /**
   * A decoder that strips the prefix from the keys in the reply of
   * `command` (KEYS, SCAN, RANDOMKEY, the pops that name their key, XREAD's
   * streams) before `decode` sees it; `decode` itself for other commands.
   *
   * @param command The command.
   * @param decode The method's decoder.
   * @returns The decoder to use.
   */
  decoder<T>(command: Command, decode: Decode<T>): Decode<T> {
    const strip = STRIP.get(command.name);
    if (strip === undefined) return decode;
    return (value, bigint) => decode(strip(this, value), bigint);
  }

  /**
   * One key with the prefix in front. Strings join as strings when the
   * prefix is UTF-8; numbers as the encoder writes them; otherwise bytes.
   *
   * @param key The key.
   * @returns The prefixed key.
   */
  key(key: RedisArg): RedisArg {
    return join(this.bytes, this.#text, key);
  }

  /**
   * A glob pattern matching `pattern` under the prefix: the prefix's own
   * glob characters escaped.
   *
   * @param pattern The pattern.
   * @returns The prefixed pattern.
   */
  pattern(pattern: RedisArg): RedisArg {
    return join(this.#glob, this.#globText, pattern);
  }

  /**
   * A key of a reply without the prefix, or `undefined` when it does not
   * start with it. On string views a prefix that is not UTF-8 is compared
   * as it decodes (with U+FFFD for what is not).
   *
   * @param key A key from a reply.
   * @returns The key without the prefix, or `undefined`.
   */
  strip(key: RespValue): RespValue | undefined {
    if (typeof key === "string") {
      const text = this.#replyText;
      return key.startsWith(text) ? key.slice(text.length) : undefined;
    }
    if (key instanceof Uint8Array) {
      const bytes = this.bytes;
      if (key.length < bytes.length) return undefined;
      for (let i = 0; i < bytes.length; i++) {
        if (key[i] !== bytes[i]) return undefined;
      }
      return key.subarray(bytes.length);
    }
    return undefined;
  }

  /** Prefixes every MATCH of SCAN's options; adds `MATCH prefix*` when none. */
  #scanMatch(args: readonly RedisArg[], out: RedisArg[]): void {
    // The server's option loop: pairs after the cursor.
    let matched = false;
    for (let i = 1; i + 1 < args.length; i += 2) {
      const option = args[i];
      if (isToken(option, "MATCH")) {
        out[i + 1] = this.pattern(args[i + 1]!);
        matched = true;
      } else if (!isToken(option, "COUNT") && !isToken(option, "TYPE")) {
        return; // The server rejects the options.
      }
    }
    if (!matched) out.push("MATCH", this.pattern("*"));
  }

  /**
   * Prefixes SORT's BY and GET patterns that name keys (those with a `*`
   * before any NUL byte, as the server reads them; `#`, `nosort` and the
   * like name none), following the server's option loop.
   */
  #sortPatterns(
    name: string,
    args: readonly RedisArg[],
    out: RedisArg[],
  ): RedisArg[] | TypeError {
    const store = name === "SORT";
    for (let i = 1; i < args.length; i++) {
      const option = args[i];
      const left = args.length - i - 1;
      if (
        isToken(option, "ASC") || isToken(option, "DESC") ||
        isToken(option, "ALPHA")
      ) continue;
      if (isToken(option, "LIMIT") && left >= 2) {
        i += 2;
      } else if (store && isToken(option, "STORE") && left >= 1) {
        i += 1;
      } else if (
        (isToken(option, "BY") || isToken(option, "GET")) && left >= 1
      ) {
        i += 1;
        const pattern = args[i]!;
        if (!namesKeys(pattern)) continue;
        if (this.#breaksSortPatterns) {
          return new TypeError(
            `Cannot send ${name} through a prefix() view: a prefix holding "*" or a NUL byte cannot prefix BY and GET patterns`,
          );
        }
        out[i] = this.key(pattern);
      } else {
        break; // The server rejects the options.
      }
    }
    return out;
  }
}

/**
 * The id of a prefix's bytes: one Latin-1 character per byte, so equal
 * bytes, and only they, have equal ids.
 *
 * @param bytes The prefix.
 * @returns Its id.
 */
export function prefixId(bytes: Uint8Array): string {
  let id = "";
  for (let i = 0; i < bytes.length; i++) id += String.fromCharCode(bytes[i]!);
  return id;
}

/** `bytes` (whose UTF-8 text is `text`, if any) followed by `arg`. */
function join(
  bytes: Uint8Array,
  text: string | undefined,
  arg: RedisArg,
): RedisArg {
  if (arg instanceof Uint8Array) return concat(bytes, arg);
  let tail: string;
  if (typeof arg === "string") {
    tail = arg;
  } else if (typeof arg === "bigint") {
    tail = arg.toString();
  } else if (Number.isNaN(arg)) {
    return arg; // The encoder rejects it, with its own message.
  } else {
    tail = arg === Infinity ? "inf" : arg === -Infinity ? "-inf" : String(arg);
  }
  return text !== undefined ? text + tail : concat(bytes, utf8.encode(tail));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** The bytes as a string when they are UTF-8 (and so round-trip). */
function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Whether a SORT pattern names keys: a `*` before any NUL (C string rules). */
function namesKeys(pattern: RedisArg): boolean {
  if (typeof pattern === "string") {
    const nul = pattern.indexOf("\0");
    const star = pattern.indexOf("*");
    return star >= 0 && (nul < 0 || star < nul);
  }
  if (pattern instanceof Uint8Array) {
    for (let i = 0; i < pattern.length; i++) {
      if (pattern[i] === NUL) return false;
      if (pattern[i] === STAR) return true;
    }
  }
  return false;
}

/** Every key of a list (KEYS). */
function stripList(prefix: KeyPrefix, value: RespValue): RespValue {
  if (!Array.isArray(value)) return value;
  return value.map((key) => prefix.strip(key) ?? key);
}

/** SCAN's `[cursor, keys]`. */
function stripScan(prefix: KeyPrefix, value: RespValue): RespValue {
  if (!Array.isArray(value) || value.length !== 2) return value;
  return [value[0]!, stripList(prefix, value[1]!)];
}

/**
 * RANDOMKEY picks among every key of the database: one outside the prefix
 * is no key of the view, and rejects the call.
 */
function stripRandom(prefix: KeyPrefix, value: RespValue): RespValue {
  if (value === null) return null;
  const key = prefix.strip(value);
  if (key === undefined) {
    throw new TypeError(
      "expected a key under the view's prefix, received a key outside it (RANDOMKEY picks among every key of the database)",
    );
  }
  return key;
}

/** `[key, ...]` or null: BLPOP, BZPOPMIN, LMPOP, ZMPOP and their kin. */
function stripFirst(prefix: KeyPrefix, value: RespValue): RespValue {
  if (!Array.isArray(value) || value.length === 0) return value;
  const out = value.slice();
  out[0] = prefix.strip(value[0]!) ?? value[0]!;
  return out;
}

/** XREAD's streams: a RESP3 map by name, or RESP2 `[name, entries]` pairs. */
function stripStreams(prefix: KeyPrefix, value: RespValue): RespValue {
  if (value instanceof Map) {
    const out = new Map<RespValue, RespValue>();
    for (const [name, entries] of value) {
      out.set(prefix.strip(name) ?? name, entries);
    }
    return out;
  }
  if (!Array.isArray(value)) return value;
  return value.map((stream) => stripFirst(prefix, stream));
}

/** Commands whose replies name keys. */
const STRIP: ReadonlyMap<string, Strip> = new Map([
  ["KEYS", stripList],
  ["SCAN", stripScan],
  ["RANDOMKEY", stripRandom],
  ["BLPOP", stripFirst],
  ["BRPOP", stripFirst],
  ["BZPOPMIN", stripFirst],
  ["BZPOPMAX", stripFirst],
  ["LMPOP", stripFirst],
  ["BLMPOP", stripFirst],
  ["ZMPOP", stripFirst],
  ["BZMPOP", stripFirst],
  ["XREAD", stripStreams],
  ["XREADGROUP", stripStreams],
]);
