// Which commands `send()` refuses on the shared connection, and why: those that
// would change its state behind the client's back or end or take it over (a
// short list: no spec flag says so). Blocking commands are not refused: the
// router sends them to a dedicated connection (lib/routing/blocking.ts).
// Decided before anything is written.

import type { RedisArg } from "../resp/encoder.ts";
import type { Command } from "./_command.ts";

const TRANSACTION =
  "transactions would interleave with other callers on the shared connection: use redis.multi() (or redis.watch() for optimistic locking)";
const WATCH =
  "WATCH on the shared connection would watch for every caller: use redis.watch(keys, callback), which leases a connection";
/** Where `send()` sends subscribers instead. */
const subscribing = (method: string, names: string) =>
  `subscribing would take over the shared connection: use redis.${method}(...${names}), which returns a Subscription on a subscriber connection`;
const UNSUBSCRIBE =
  "there is no subscription on the shared connection: use a Subscription's unsubscribe() (or break out of its for await loop)";
const TAKEOVER = "it would take over or end the shared connection";

/** Refused commands by name (subcommands as `"CLIENT REPLY"`). */
const REFUSED: ReadonlyMap<string, string> = new Map([
  ["SELECT", "use redis.db(index) to run commands in another database"],
  ["MULTI", TRANSACTION],
  ["EXEC", TRANSACTION],
  ["DISCARD", TRANSACTION],
  ["WATCH", WATCH],
  ["UNWATCH", WATCH],
  ["SUBSCRIBE", subscribing("subscribe", "channels")],
  ["PSUBSCRIBE", subscribing("psubscribe", "patterns")],
  ["SSUBSCRIBE", subscribing("ssubscribe", "shardChannels")],
  ["UNSUBSCRIBE", UNSUBSCRIBE],
  ["PUNSUBSCRIBE", UNSUBSCRIBE],
  ["SUNSUBSCRIBE", UNSUBSCRIBE],
  [
    "MONITOR",
    "it would take over the shared connection: use redis.monitor(), which opens a connection of its own",
  ],
  ["SYNC", TAKEOVER],
  ["PSYNC", TAKEOVER],
  ["QUIT", "it would end the shared connection: use redis.close()"],
  ["RESET", TAKEOVER],
  ["HELLO", "credentials and protocol are set by connect()"],
  ["AUTH", "credentials and protocol are set by connect()"],
  ["CLIENT REPLY", "turning replies off would break reply matching"],
  [
    "REPLCONF",
    "it is spoken between servers: from a client, REPLCONF ACK and GETACK get no reply, which would break reply matching",
  ],
  [
    "SCRIPT DEBUG",
    "the Lua debugger would answer the shared connection's later commands with its own replies",
  ],
]);

/**
 * Why `send()` refuses `command` with `args` (its arguments after the name),
 * or `undefined` when it may go on the shared connection.
 */
export function refusal(
  command: Command,
  _args: readonly RedisArg[],
): string | undefined {
  return REFUSED.get(command.name);
}
