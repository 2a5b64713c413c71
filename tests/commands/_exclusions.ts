// The commands without a typed method, each with its reason, and the rule
// that names a command's method: read by tests/commands/coverage_test.ts and
// by tools/gen_commands.ts (docs/COMMANDS.md).

const UNSUBSCRIBE = "a Subscription's unsubscribe()";
const OWNED = "the client owns it: set through connect() options";
const BUILDER = "sent by multi()/pipeline() builders and watch(), not alone";
const REPLICATION =
  "replication-internal: spoken between servers, not by clients";
const CLUSTER_INTERNAL =
  "cluster-internal or cluster administration: spoken by redis-cli --cluster and between nodes";
const TRACKING = "client-side caching owns it: connect({ cache })";

/**
 * Commands with no method, each with its reason: only what the client must
 * own or route elsewhere.
 */
export const EXCLUDED: ReadonlyMap<string, string> = new Map([
  ["auth", OWNED],
  ["hello", OWNED],
  ["select", "a view: redis.db(index)"],
  ["quit", "ends the shared connection: use close()"],
  ["reset", "would reset the shared connection's state behind the client"],
  ["unsubscribe", UNSUBSCRIBE],
  ["punsubscribe", UNSUBSCRIBE],
  ["sunsubscribe", UNSUBSCRIBE],
  [
    "waitaof",
    'Redis 7.2, not in the 7.0 command table: send("WAITAOF", ...) runs it on a dedicated connection, as wait()',
  ],
  ["exec", BUILDER],
  ["discard", BUILDER],
  ["unwatch", BUILDER],
  ["client|reply", "turning replies off would break reply matching"],
  ["client|tracking", TRACKING],
  ["client|caching", TRACKING],
  ["client|getredir", TRACKING],
  ["client|trackinginfo", TRACKING],
  ["sync", REPLICATION],
  ["psync", REPLICATION],
  ["replconf", REPLICATION],
  ["replicaof", REPLICATION],
  ["slaveof", REPLICATION],
  ["failover", REPLICATION],
  ["asking", CLUSTER_INTERNAL],
  ["readonly", CLUSTER_INTERNAL],
  ["readwrite", CLUSTER_INTERNAL],
  ["restore-asking", CLUSTER_INTERNAL],
  ["shutdown", "stops the server: an operator's action, not a client's"],
  ["module", "loading server code is an operator's action (every subcommand)"],
  ["script|debug", "switches its connection into the Lua debugger"],
  ["debug", "a server developer's tool; may crash the server"],
  ["pfdebug", "a server developer's tool"],
  ["pfselftest", "a server developer's tool"],
]);

/**
 * Commands whose methods are still being written (issue 9). The test fails
 * when one gets its method and stays listed: the list only shrinks, and is
 * empty when the command table is complete.
 */
export const PENDING: ReadonlySet<string> = new Set([]);

/** The method name the rule gives a command or subcommand. */
export function methodName(command: string): string {
  const words = command.toLowerCase().split(/[|_\-]/);
  return words[0]! +
    words.slice(1).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
}
