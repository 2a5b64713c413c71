// Owns what an invocation's arguments say beyond its name: which of them are
// keys (as the server's COMMAND GETKEYS finds them) and whether it blocks.
// Reads a Command's key specs; allocates only the result, decodes nothing.

import type { RedisArg } from "../resp/encoder.ts";
import type { Command } from "./_command.ts";
import { BLOCKING, KEY_INCOMPLETE, KEY_NOT_KEY } from "./_flags.ts";

/**
 * Which arguments of this invocation are keys: indices into `args`, the
 * arguments after the command's name tokens (`GET k` → `args` `["k"]`,
 * result `[0]`). The answer is the server's own, as `COMMAND GETKEYS` gives
 * it, in its order (key spec by key spec): the key specs first, then, where
 * they cannot answer (unknown or incomplete specs, bad key counts), what the
 * server's per-command key functions answer. An invocation whose keys the
 * server cannot find (wrong arity, bad key count) has none.
 *
 * One deliberate difference: a key count the command itself rejects
 * (`"01"`, `"1abc"`, `1.5`, 2^32 + 1) is no count here, so such an
 * invocation has no keys, while COMMAND GETKEYS falls back to `atoi()` (or
 * truncates to 32 bits) and lists some.
 *
 * @param command The command, from `command()` or `resolve()` of _command.ts.
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
 * @param command The command, from `command()` or `resolve()` of _command.ts.
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
export function isToken(arg: RedisArg | undefined, word: string): boolean {
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
