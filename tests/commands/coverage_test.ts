// Every Redis command has a typed method: asks the running server for COMMAND
// DOCS and fails when a command or subcommand outside the written exclusion
// list has no method named by the rule (camelCase, subcommands joined:
// "client|setname" → clientSetname, "georadius_ro" → georadiusRo), and when
// an excluded command has one after all. Prints the coverage.

import assert from "node:assert/strict";
import { connect, Redis, RedisView } from "../../mod.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { EXCLUDED, methodName, PENDING } from "./_exclusions.ts";

export { EXCLUDED, methodName, PENDING };

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
