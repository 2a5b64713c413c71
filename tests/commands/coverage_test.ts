// Every Redis command has a typed method: asks the running server for COMMAND
// DOCS and fails when a command or subcommand outside the written exclusion
// list has no method named by the rule (camelCase, subcommands joined:
// "client|setname" → clientSetname, "georadius_ro" → georadiusRo), and when
// an excluded command has one after all. Prints the coverage.

import assert from "node:assert/strict";
import { connect, Redis, RedisView } from "../../mod.ts";
import { startRedisServer } from "../_support/redis_server.ts";

const UNSUBSCRIBE = "a Subscription's unsubscribe()";
const OWNED = "the client owns it: set through connect() options";
const BUILDER = "sent by multi()/pipeline() builders and watch(), not alone";
const REPLICATION =
  "replication-internal: spoken between servers, not by clients";
const CLUSTER_INTERNAL =
  "cluster-internal or cluster administration: spoken by redis-cli --cluster and between nodes";
const TRACKING = "client-side caching owns it (the client-side caching issue)";

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

/** Every command and subcommand the server documents, without containers. */
async function documented(redis: Redis): Promise<string[]> {
  const docs = await redis.send("COMMAND", "DOCS");
  const names: string[] = [];
  const visit = (name: string, doc: unknown) => {
    const fields = doc instanceof Map ? doc : new Map(pairs(doc as unknown[]));
    const subs = fields.get("subcommands");
    const subNames = subs instanceof Map
      ? [...subs]
      : Array.isArray(subs)
      ? pairs(subs)
      : [];
    if (subNames.length === 0) names.push(name);
    for (const [sub, subDoc] of subNames) visit(String(sub), subDoc);
  };
  const top = docs instanceof Map ? [...docs] : pairs(docs as unknown[]);
  for (const [name, doc] of top) visit(String(name), doc);
  return names.sort();
}

function pairs(items: unknown[]): [unknown, unknown][] {
  const out: [unknown, unknown][] = [];
  for (let i = 0; i < items.length; i += 2) out.push([items[i], items[i + 1]]);
  return out;
}

/** Whether a command, or its whole container, is excluded. */
function excluded(name: string): boolean {
  return EXCLUDED.has(name) || EXCLUDED.has(name.split("|")[0]!);
}

function hasMethod(name: string): boolean {
  const view = RedisView.prototype as unknown as Record<string, unknown>;
  const client = Redis.prototype as unknown as Record<string, unknown>;
  return typeof view[name] === "function" || typeof client[name] === "function";
}

Deno.test("every documented command has a typed method, outside a justified list", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  const names = await documented(redis);
  assert.ok(names.length > 300, `only ${names.length} commands documented`);
  const missing: string[] = [];
  const unexpected: string[] = [];
  const stalePending: string[] = [];
  let covered = 0;
  for (const name of names) {
    const method = methodName(name);
    const has = hasMethod(method);
    if (excluded(name)) {
      if (has && !["multi", "watch"].includes(method)) unexpected.push(name);
      continue;
    }
    if (has) covered++;
    if (PENDING.has(name)) {
      if (has) stalePending.push(name);
      continue;
    }
    if (!has) missing.push(`${name} → ${method}()`);
  }
  const eligible = names.length - names.filter(excluded).length;
  // deno-lint-ignore no-console
  console.log(
    `coverage: ${covered} of ${eligible} commands outside the exclusion list have a method (${
      (100 * covered / eligible).toFixed(1)
    }%), ${EXCLUDED.size} excluded, ${PENDING.size} pending`,
  );
  assert.deepEqual(missing, [], "commands without a method");
  assert.deepEqual(unexpected, [], "excluded commands that have a method");
  assert.deepEqual(stalePending, [], "pending commands that now have a method");
  for (const name of EXCLUDED.keys()) {
    assert.ok(
      names.some((n) => n === name || n.startsWith(`${name}|`)) ||
        name === "waitaof", // Redis 7.2
      `excluded ${name} is not a command`,
    );
  }
});

Deno.test("methodName follows the rule", () => {
  assert.equal(methodName("get"), "get");
  assert.equal(methodName("client|setname"), "clientSetname");
  assert.equal(methodName("object|encoding"), "objectEncoding");
  assert.equal(methodName("xinfo|stream"), "xinfoStream");
  assert.equal(methodName("georadius_ro"), "georadiusRo");
  assert.equal(methodName("client|no-evict"), "clientNoEvict");
});
