// Which commands the client-side cache may answer: read-only commands of the
// command table whose reply depends only on the values of the keys they
// name (so an invalidation of those keys is all that can change it), and
// the identities the cache gives an invocation and its keys.

import {
  BLOCKING,
  type Command,
  KEY_INCOMPLETE,
  KEY_RO,
  keyIndexes,
  READONLY,
  WRITE,
} from "../commands/_command.ts";
import type { RedisArg } from "../resp/encoder.ts";

/**
 * Read-only commands with keys that pass the table's test but are not
 * cached, checked by hand: replies that depend on the clock (the expiry
 * family), on more than their named keys (SORT_RO's BY and GET patterns
 * read other keys; scripts may read anything, TIME included), or that have
 * a side effect a cached answer would skip (TOUCH), or report the server's
 * bookkeeping rather than a value (XINFO, MEMORY USAGE).
 */
const NOT_CACHED: ReadonlySet<string> = new Set([
  "EXPIRETIME",
  "PEXPIRETIME",
  "TTL",
  "PTTL",
  "SORT_RO",
  "TOUCH",
  "EVAL_RO",
  "EVALSHA_RO",
  "FCALL_RO",
  "XINFO STREAM",
  "XINFO GROUPS",
  "XINFO CONSUMERS",
  "MEMORY USAGE",
  "OBJECT ENCODING",
  "OBJECT FREQ",
  "OBJECT IDLETIME",
  "OBJECT REFCOUNT",
  "DUMP",
  "PFCOUNT",
]);

/** What the cache does with a command: serve it, invalidate for it, or pass it. */
export const PASS = 0;
/** A read it may answer from memory. */
export const CACHED = 1;
/** A write: its keys are invalidated locally as it is sent. */
export const WRITES = 2;

/**
 * What the cache does with `command` (a Command of the table, or an
 * internal one without flags): {@linkcode CACHED}, {@linkcode WRITES} or
 * {@linkcode PASS}. Each store keeps the answer per command.
 */
export function cacheKind(given: object): number {
  const command = given as Partial<Command>;
  const flags = command.flags;
  if (flags === undefined || command.known !== true) return PASS;
  if ((flags & WRITE) !== 0) return WRITES;
  if ((flags & READONLY) === 0 || (flags & BLOCKING) !== 0) return PASS;
  if (command.tips!.includes("nondeterministic_output")) return PASS;
  if (NOT_CACHED.has(command.name!)) return PASS;
  const specs = command.keySpecs!;
  if (specs.length === 0) return PASS;
  for (const spec of specs) {
    if ((spec.flags & KEY_RO) === 0 || (spec.flags & KEY_INCOMPLETE) !== 0) {
      return PASS;
    }
  }
  return CACHED;
}

// ignoreBOM: a leading U+FEFF is part of a key, as the decoder keeps it.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * The identity of a key, as invalidation messages name it: its text. Bytes
 * that are not UTF-8 decode with replacement characters, so two such keys
 * may share an identity: an invalidation of one then drops the other's
 * entries too, never fewer.
 */
export function keyIdentity(key: RedisArg | unknown): string {
  // A lone surrogate goes on the wire as U+FFFD, as invalidations name it.
  if (typeof key === "string") {
    return key.isWellFormed() ? key : key.toWellFormed();
  }
  if (key instanceof Uint8Array) return utf8.decode(key);
  // As the encoder writes numbers.
  if (key === Infinity) return "inf";
  if (key === -Infinity) return "-inf";
  return String(key);
}

/**
 * The identities of the keys an invocation names, or undefined when it
 * names none the table can find (it is then not cached).
 */
export function keysOf(
  command: Command,
  args: readonly RedisArg[],
): string[] | undefined {
  const at = keyIndexes(command, args);
  if (at.length === 0) return undefined;
  const keys: string[] = new Array(at.length);
  for (let i = 0; i < at.length; i++) keys[i] = keyIdentity(args[at[i]!]);
  return keys;
}

/**
 * The id of an invocation's arguments within its command's table (which
 * stands for the command and the view): every argument with its length, so
 * that no two argument lists share one.
 */
export function argsId(args: readonly RedisArg[]): string {
  let id = "";
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (typeof arg === "string") id += `${arg.length}:${arg}|`;
    else if (arg instanceof Uint8Array) id += `${arg.length}#${latin1(arg)}|`;
    else {
      // Numbers and bigints: their text (one text per value).
      const text = String(arg);
      id += `${text.length}:${text}|`;
    }
  }
  return id;
}

/** One character per byte. */
function latin1(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 4096) {
    text += String.fromCharCode(...bytes.subarray(i, i + 4096));
  }
  return text;
}
