// Which commands `send()` refuses on the shared connection, and why: those that
// would change its state behind the client's back, end or take it over, or
// stall every other caller. Decided from the command (and, for XREAD, its
// arguments), before anything is written.

import type { RedisArg } from "../resp/encoder.ts";
import type { Command } from "./_command.ts";

const TRANSACTION =
  "transactions would interleave with other callers on the shared connection";
const SUBSCRIBE = "subscribing would take over the shared connection";
const TAKEOVER = "it would take over or end the shared connection";
const BLOCKING =
  "a blocking command would stall every caller of the shared connection";

/** Refused commands by name (subcommands as `"CLIENT REPLY"`). */
const REFUSED: ReadonlyMap<string, string> = new Map([
  ["SELECT", "use redis.db(index) to run commands in another database"],
  ["MULTI", TRANSACTION],
  ["EXEC", TRANSACTION],
  ["DISCARD", TRANSACTION],
  ["WATCH", TRANSACTION],
  ["UNWATCH", TRANSACTION],
  ["SUBSCRIBE", SUBSCRIBE],
  ["PSUBSCRIBE", SUBSCRIBE],
  ["SSUBSCRIBE", SUBSCRIBE],
  ["UNSUBSCRIBE", SUBSCRIBE],
  ["PUNSUBSCRIBE", SUBSCRIBE],
  ["SUNSUBSCRIBE", SUBSCRIBE],
  ["MONITOR", TAKEOVER],
  ["SYNC", TAKEOVER],
  ["PSYNC", TAKEOVER],
  ["QUIT", TAKEOVER],
  ["RESET", TAKEOVER],
  ["HELLO", "credentials and protocol are set by connect()"],
  ["AUTH", "credentials and protocol are set by connect()"],
  ["CLIENT REPLY", "turning replies off would break reply matching"],
  ["BLPOP", BLOCKING],
  ["BRPOP", BLOCKING],
  ["BRPOPLPUSH", BLOCKING],
  ["BLMOVE", BLOCKING],
  ["BLMPOP", BLOCKING],
  ["BZPOPMIN", BLOCKING],
  ["BZPOPMAX", BLOCKING],
  ["BZMPOP", BLOCKING],
  ["WAIT", BLOCKING],
  ["WAITAOF", BLOCKING],
]);

/** An argument as an upper-case keyword (text or bytes), if it can be one. */
function keyword(arg: unknown): string | undefined {
  if (typeof arg === "string") {
    return arg.length <= 32 ? arg.toUpperCase() : undefined;
  }
  if (arg instanceof Uint8Array && arg.length <= 32) {
    return new TextDecoder().decode(arg).toUpperCase();
  }
  return undefined;
}

/**
 * Whether XREAD/XREADGROUP arguments ask to block. Options come before
 * STREAMS; values (counts, group and consumer names) are skipped, so a key
 * or group named "block" is not mistaken for the option.
 */
function streamReadBlocks(args: readonly RedisArg[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const option = keyword(args[i]);
    if (option === "STREAMS") return false;
    if (option === "BLOCK") return true;
    if (option === "COUNT") i += 1;
    else if (option === "GROUP") i += 2;
  }
  return false;
}

/**
 * Why `send()` refuses `command` with `args` (its arguments after the name),
 * or `undefined` when it may go on the shared connection.
 */
export function refusal(
  command: Command,
  args: readonly RedisArg[],
): string | undefined {
  const reason = REFUSED.get(command.name);
  if (reason !== undefined) return reason;
  if (
    (command.name === "XREAD" || command.name === "XREADGROUP") &&
    streamReadBlocks(args)
  ) {
    return BLOCKING;
  }
  return undefined;
}
