// Generates invocations of a command from its COMMAND DOCS argument grammar,
// with a seeded PRNG, for comparing keyIndexes() with COMMAND GETKEYS. Values
// are varied on purpose: keyword look-alikes, binary and numeric keys.

import type { RedisArg } from "../../lib/resp/encoder.ts";
import type { RespValue } from "../../lib/resp/types.ts";

/** One COMMAND DOCS argument, reduced to what generation needs. */
export interface DocArg {
  name: string;
  type: string;
  token: string | undefined;
  optional: boolean;
  multiple: boolean;
  multipleToken: boolean;
  arguments: DocArg[];
}

/** Reads a COMMAND DOCS `arguments` list (RESP3 maps). */
export function docArgs(value: RespValue | undefined): DocArg[] {
  if (!Array.isArray(value)) return [];
  return value.map((item) => {
    if (!(item instanceof Map)) {
      throw new Error("COMMAND DOCS argument is not a map");
    }
    const flags = item.get("flags");
    const has = (flag: string) =>
      flags instanceof Set
        ? flags.has(flag)
        : Array.isArray(flags) && flags.includes(flag);
    const token = item.get("token");
    return {
      name: String(item.get("name")),
      type: String(item.get("type")),
      token: typeof token === "string" ? token : undefined,
      optional: has("optional"),
      multiple: has("multiple"),
      multipleToken: has("multiple_token"),
      arguments: docArgs(item.get("arguments")),
    };
  });
}

/** Keywords the server's key finding looks for, whatever the command. */
const KEYWORDS = [
  "STREAMS",
  "KEYS",
  "STORE",
  "STOREDIST",
  "BY",
  "GET",
  "LIMIT",
  "AUTH",
  "AUTH2",
  "COPY",
  "REPLACE",
  "BLOCK",
  "COUNT",
  "GROUP",
  "NOACK",
];

/** How an invocation's key count was made, for reporting. */
export interface Invocation {
  args: RedisArg[];
}

/**
 * Builds invocations of one command. Every argument of an invocation is
 * distinct as bytes (tokens get distinct letter cases), so the keys COMMAND
 * GETKEYS returns identify their positions.
 */
export class InvocationGenerator {
  #random: () => number;
  #grammar: DocArg[];
  /** The command's own tokens, favoured over the shared KEYWORDS. */
  #ownKeywords: string[];
  #serial = 0;
  #emptyUsed = false;

  constructor(random: () => number, grammar: DocArg[]) {
    this.#random = random;
    this.#grammar = grammar;
    const tokens = new Set<string>();
    const collect = (args: DocArg[]) => {
      for (const arg of args) {
        if (arg.token) tokens.add(arg.token.toUpperCase());
        collect(arg.arguments);
      }
    };
    collect(grammar);
    this.#ownKeywords = [...tokens].sort();
  }

  /** One invocation (arguments after the name tokens), or undefined when no distinct one was found. */
  next(): RedisArg[] | undefined {
    for (let attempt = 0; attempt < 20; attempt++) {
      this.#serial = Math.floor(this.#random() * 1000) * 1000;
      this.#emptyUsed = false;
      const out: RedisArg[] = [];
      this.#list(this.#grammar, out);
      if (distinct(out)) return out;
    }
    return undefined;
  }

  #chance(p: number): boolean {
    return this.#random() < p;
  }

  #pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#random() * items.length)]!;
  }

  #count(): number {
    return this.#chance(0.1)
      ? 1 + Math.floor(this.#random() * 12)
      : 1 + Math.floor(this.#random() * 4);
  }

  /**
   * Siblings in order, except that optional clauses are sometimes shuffled
   * (servers accept SORT's, MIGRATE's, GEORADIUS's options in any order). A
   * "numkeys" integer is filled with the count of the key argument after it.
   */
  #list(args: DocArg[], out: RedisArg[], shared?: number): void {
    const chunks: RedisArg[][] = [];
    let numkeys: RedisArg[] | undefined;
    let filled = false;
    for (const arg of args) {
      const chunk: RedisArg[] = [];
      chunks.push(chunk);
      if (arg.type === "integer" && arg.name === "numkeys") {
        numkeys = chunk;
        chunk.push(0);
        continue;
      }
      const emitted = this.#arg(arg, chunk, shared);
      if (numkeys !== undefined && !filled && arg.type === "key") {
        numkeys[0] = this.#keyCount(emitted);
        filled = true;
      }
    }
    if (numkeys !== undefined && !filled) numkeys[0] = this.#keyCount(0);
    if (this.#chance(0.3)) {
      const optional = args.flatMap((arg, i) => (arg.optional ? [i] : []));
      const moved = optional.map((i) => chunks[i]!);
      for (let i = moved.length - 1; i > 0; i--) {
        const j = Math.floor(this.#random() * (i + 1));
        [moved[i], moved[j]] = [moved[j]!, moved[i]!];
      }
      optional.forEach((at, i) => (chunks[at] = moved[i]!));
    }
    for (const chunk of chunks) out.push(...chunk);
  }

  /** The key count, in any argument type; rarely wrong on purpose. */
  #keyCount(count: number): RedisArg {
    let value = count;
    if (this.#chance(0.02)) value = this.#pick([count + 50, -1, 0]);
    switch (Math.floor(this.#random() * 4)) {
      case 0:
        return value;
      case 1:
        return String(value);
      case 2:
        return new TextEncoder().encode(String(value));
      default:
        return BigInt(value);
    }
  }

  /** Emits one argument; returns how many values (repetitions) it produced. */
  #arg(arg: DocArg, out: RedisArg[], shared?: number): number {
    if (arg.optional && this.#chance(0.5)) return 0;
    const times = arg.multiple ? (shared ?? this.#count()) : 1;
    for (let i = 0; i < times; i++) {
      if (arg.token !== undefined && (i === 0 || arg.multipleToken)) {
        out.push(this.#token(arg.token));
      }
      this.#value(arg, out);
    }
    return times;
  }

  #value(arg: DocArg, out: RedisArg[]): void {
    switch (arg.type) {
      case "pure-token":
        return;
      case "oneof":
        if (arg.arguments.length > 0) this.#arg(this.#pick(arg.arguments), out);
        return;
      case "block": {
        // Multiple children of a block (XREAD's keys and IDs) pair up, so
        // they share one count; rarely one is short, as a client might send.
        const count = this.#count();
        this.#list(arg.arguments, out, count);
        if (this.#chance(0.03) && out.length > 0) out.pop();
        return;
      }
      case "key":
        out.push(this.#key());
        return;
      case "integer":
      case "unix-time":
        out.push(this.#integer());
        return;
      default:
        out.push(this.#string());
    }
  }

  #next(): number {
    return ++this.#serial;
  }

  /** A token in a random letter case, rarely with a NUL tail ("" stays ""). */
  #token(token: string): RedisArg {
    const text = this.#case(token);
    // strcasecmp() stops at NUL: the server reads "STORE\0..." as STORE.
    if (token === "" || !this.#chance(0.05)) return text;
    return this.#nulTail(text);
  }

  #nulTail(word: string): RedisArg {
    const text = `${word}\0${this.#next()}`;
    return this.#chance(0.5) ? text : new TextEncoder().encode(text);
  }

  /** Each letter upper or lower case at random. */
  #case(token: string): string {
    let text = "";
    for (const c of token) {
      text += this.#chance(0.5) ? c.toLowerCase() : c.toUpperCase();
    }
    return text;
  }

  /** A keyword look-alike, sometimes followed by a NUL and more bytes (strcasecmp stops there). */
  #keyword(): RedisArg {
    const own = this.#ownKeywords.length > 0 && this.#chance(0.6);
    const word = this.#case(this.#pick(own ? this.#ownKeywords : KEYWORDS));
    return word !== "" && this.#chance(0.3) ? this.#nulTail(word) : word;
  }

  #key(): RedisArg {
    const r = this.#random();
    if (r < 0.4) return `k${this.#next()}`;
    if (r < 0.6) return this.#keyword();
    if (r < 0.72) return this.#binary();
    if (r < 0.8) return 1_000_000 + this.#next();
    if (r < 0.84) return 2n ** 62n + BigInt(this.#next());
    if (r < 0.9) return `ключ-${this.#next()}`;
    if (r < 0.95) return String(this.#next() % 10);
    if (!this.#emptyUsed) {
      this.#emptyUsed = true;
      return "";
    }
    return `k${this.#next()}`;
  }

  #string(): RedisArg {
    const r = this.#random();
    if (r < 0.5) return `v${this.#next()}`;
    if (r < 0.85) return this.#keyword();
    return this.#binary();
  }

  #integer(): RedisArg {
    const r = this.#random();
    if (r < 0.6) return 100 + this.#next();
    if (r < 0.8) return String(100 + this.#next());
    if (r < 0.9) return this.#keyword();
    return -(100 + this.#next());
  }

  /** Random bytes (NUL, CR, LF, 0xff likely) with a distinct tail. */
  #binary(): Uint8Array {
    const length = Math.floor(this.#random() * 8);
    const tail = new TextEncoder().encode(`#${this.#next()}`);
    const bytes = new Uint8Array(length + tail.length);
    for (let i = 0; i < length; i++) {
      bytes[i] = this.#chance(0.4)
        ? this.#pick([0x00, 0x0d, 0x0a, 0xff, 0x20])
        : Math.floor(this.#random() * 256);
    }
    bytes.set(tail, length);
    return bytes;
  }
}

/** An argument's bytes as the client sends them. */
export function argBytes(arg: RedisArg): Uint8Array {
  if (arg instanceof Uint8Array) return arg;
  if (typeof arg === "string") return new TextEncoder().encode(arg);
  if (arg === Infinity) return new TextEncoder().encode("inf");
  if (arg === -Infinity) return new TextEncoder().encode("-inf");
  return new TextEncoder().encode(String(arg));
}

/** Hex of an argument's bytes, for comparing and printing. */
export function argHex(arg: RedisArg): string {
  let hex = "";
  for (const byte of argBytes(arg)) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

function distinct(args: RedisArg[]): boolean {
  const seen = new Set<string>();
  for (const arg of args) {
    const hex = argHex(arg);
    if (seen.has(hex)) return false;
    seen.add(hex);
  }
  return true;
}
