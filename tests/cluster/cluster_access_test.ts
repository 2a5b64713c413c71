// connectCluster() on a cluster whose every node requires an ACL user
// (replicas authenticate with masteruser/masterauth): credentials from the
// seed URL apply to every master; wrong or missing ones give a typed error;
// the password shows in no message, stack, cause or inspection. Then, on
// the same cluster, an address map (record and function) sending every
// connection through a proxy per master, MOVED targets included.

import assert from "node:assert/strict";
import {
  connect,
  connectCluster,
  ConnectionError,
  type Redis,
  type RedisCluster as Client,
  ReplyError,
  TimeoutError,
} from "../../mod.ts";
import { type ChaosProxy, startChaosProxy } from "../_support/chaos_proxy.ts";
import {
  type RedisClusterNode,
  slotTag,
  startRedisCluster,
} from "../_support/cluster.ts";

const USER = "sleeve-app";
const PASSWORD = "S3CRET-canary-acl/pw";
const WRONG = "Wr0ng-canary-pw";

/** `redis://user:password@127.0.0.1:port`, percent-encoded. */
function withCredentials(port: number, password = PASSWORD): string {
  return `redis://${encodeURIComponent(USER)}:${
    encodeURIComponent(password)
  }@127.0.0.1:${port}`;
}

/** Every rendering of `value` a log line or a crash report could contain. */
function renderings(value: unknown, seen = new Set<unknown>()): string[] {
  if (seen.has(value)) return [];
  seen.add(value);
  const out = [
    Deno.inspect(value, { depth: Infinity, showHidden: true }),
    String(value),
  ];
  try {
    out.push(JSON.stringify(value) ?? "");
  } catch {
    // Cyclic or bigint: the other renderings cover it.
  }
  if (value instanceof Error) {
    out.push(value.message, value.stack ?? "", value.name);
    out.push(...Object.values(value).map((field) => String(field)));
    if (value.cause !== undefined) out.push(...renderings(value.cause, seen));
  }
  return out;
}

function assertNoPassword(what: string, value: unknown): void {
  for (const text of renderings(value)) {
    for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), WRONG]) {
      assert.ok(!text.includes(secret), `${what} leaks a password: ${text}`);
    }
  }
}

/** The CLIENT LIST lines of the connections named `name`. */
async function clientsNamed(admin: Redis, name: string): Promise<string[]> {
  const list = String(await admin.send("CLIENT", "LIST"));
  return list.split("\n").filter((line) => line.includes(` name=${name} `));
}

/** A key in the first slot `master` served when the cluster formed. */
function keyOn(master: RedisClusterNode, suffix: string): string {
  return `{${slotTag(master.slots[0]![0])}}${suffix}`;
}

/** Whether `proxy` forwarded bytes containing `text` to its server. */
function forwarded(proxy: ChaosProxy, text: string): boolean {
  const decoder = new TextDecoder();
  return proxy.upstream().some((bytes) => decoder.decode(bytes).includes(text));
}

Deno.test("connectCluster with ACL credentials on every node, and an address map", async (t) => {
  await using c = await startRedisCluster({
    masters: 3,
    replicasPerMaster: 1,
    auth: { username: USER, password: PASSWORD },
  });
  const admins = new Map<RedisClusterNode, Redis>();
  for (const node of c.nodes) {
    admins.set(
      node,
      await connect({ port: node.port, username: USER, password: PASSWORD }),
    );
  }
  const admin = (node: RedisClusterNode) => admins.get(node)!;
  try {
    await t.step(
      "every node requires the user; replicas synced with masteruser",
      async () => {
        await assert.rejects(
          connect({ port: c.masters[0]!.port, reconnect: false }),
          (error: unknown) =>
            error instanceof ReplyError && error.code === "NOAUTH",
        );
        for (const replica of c.replicas) {
          const info = String(await admin(replica).send("INFO", "replication"));
          assert.match(info, /master_link_status:up/, `${replica.port}`);
        }
      },
    );

    await t.step(
      "credentials in the seed URL apply to every master (cross-slot MSET/MGET)",
      async () => {
        await using cluster = await connectCluster({
          nodes: [withCredentials(c.masters[0]!.port)],
          name: "acl",
        });
        const keys = c.masters.flatMap((m) => [keyOn(m, "a"), keyOn(m, "b")]);
        const values = Object.fromEntries(keys.map((k) => [k, `v:${k}`]));
        assert.equal(await cluster.mset(values), "OK");
        assert.deepEqual(
          await cluster.mget(...keys),
          keys.map((k) => `v:${k}`),
        );
        for (const m of c.masters) {
          assert.equal(await admin(m).get(keyOn(m, "a")), `v:${keyOn(m, "a")}`);
          const lines = await clientsNamed(admin(m), "acl");
          assert.ok(lines.length >= 1, `connected to ${m.port}`);
          for (const line of lines) assert.match(line, / user=sleeve-app /);
        }
        assert.equal(await cluster.del(...keys), keys.length);
        assertNoPassword("the client's inspection", cluster);
        const refused = await cluster.send("ACL", "SETUSER", "x").catch((e) =>
          e
        );
        assertNoPassword("a command's error", refused);
      },
    );

    await t.step(
      "a wrong password is WRONGPASS from AUTH for each seed, naming no password",
      async () => {
        const nodes = c.masters.map((m) => withCredentials(m.port, WRONG));
        const error = await connectCluster({ nodes }).then(
          () => assert.fail("connected with a wrong password"),
          (e: unknown) => e,
        );
        assertNoPassword("the wrong-password error", error);
        assert.ok(error instanceof ConnectionError, Deno.inspect(error));
        assert.match(error.message, /^Cannot connect to the cluster: /);
        for (const m of c.masters) {
          assert.match(error.message, new RegExp(`:${m.port}: WRONGPASS`));
        }
        assert.ok(error.cause instanceof ReplyError, Deno.inspect(error.cause));
        assert.equal(error.cause.code, "WRONGPASS");
      },
    );

    await t.step("no credentials is NOAUTH, naming no password", async () => {
      const error = await connectCluster(c.masters.map((m) => m.url)).then(
        () => assert.fail("connected without credentials"),
        (e: unknown) => e,
      );
      assertNoPassword("the no-credentials error", error);
      assert.ok(error instanceof ConnectionError, Deno.inspect(error));
      assert.match(error.message, /NOAUTH/);
      assert.ok(error.cause instanceof ReplyError);
      assert.equal(error.cause.code, "NOAUTH");
    });

    // --- the address map: one proxy per master ------------------------------
    const proxies = new Map<RedisClusterNode, ChaosProxy>();
    for (const m of c.masters) {
      proxies.set(m, startChaosProxy({ port: m.port, recordUpstream: true }));
    }
    const proxyOf = (m: RedisClusterNode) => proxies.get(m)!;
    const table: Record<string, string> = {};
    for (const m of c.masters) {
      table[`127.0.0.1:${m.port}`] = `127.0.0.1:${proxyOf(m).port}`;
    }
    const proxied = c.masters.map((m) => `127.0.0.1:${proxyOf(m).port}`);

    /**
     * Every connection a master has from `names` came through its proxy: as
     * many as the proxy has open (a direct one would be one more).
     */
    const onlyThroughProxies = async (...names: string[]) => {
      for (const m of c.masters) {
        let count = 0;
        for (const name of names) {
          count += (await clientsNamed(admin(m), name)).length;
        }
        assert.equal(
          count,
          proxyOf(m).connections,
          `${m.port}: ${count} connections of ${names}, ${
            proxyOf(m).connections
          } through its proxy`,
        );
      }
    };

    /** Writes a key per master; each went through that master's proxy. */
    const writeThroughEach = async (cluster: Client, tag: string) => {
      const keys = c.masters.map((m) => keyOn(m, tag));
      const before = c.masters.map((m) => proxyOf(m).bytesUp);
      assert.equal(
        await cluster.mset(Object.fromEntries(keys.map((k) => [k, tag]))),
        "OK",
      );
      assert.deepEqual(await cluster.mget(...keys), keys.map(() => tag));
      for (const [i, m] of c.masters.entries()) {
        assert.ok(proxyOf(m).bytesUp > before[i]!, `bytes through ${m.port}`);
        assert.ok(forwarded(proxyOf(m), keys[i]!), `${keys[i]} via its proxy`);
        assert.equal(await admin(m).get(keys[i]!), tag);
      }
      assert.equal(await cluster.del(...keys), keys.length);
    };

    /** Hands `key`'s (empty) slot to `to` on every node, returns its owner. */
    const moveSlot = async (slot: number, to: RedisClusterNode) => {
      for (const node of c.masters) {
        await admin(node).clusterSetslot(slot, "NODE", to.id);
      }
    };

    try {
      await t.step(
        "record form: every command goes through the proxies",
        async () => {
          await using cluster = await connectCluster({
            nodes: [withCredentials(proxyOf(c.masters[0]!).port)],
            addressMap: table,
            name: "mapped",
            topologyRefreshInterval: 0,
          });
          assert.deepEqual([...cluster.masters].sort(), [...proxied].sort());
          await writeThroughEach(cluster, "record");
          await onlyThroughProxies("mapped");
          assertNoPassword("the mapped client's inspection", cluster);

          // A MOVED to the announced address goes to the mapped one.
          const from = c.masters[0]!;
          const to = c.masters[1]!;
          const slot = from.slots[0]![0] + 11;
          const key = `{${slotTag(slot)}}moved`;
          assert.equal(await cluster.set(key, "1"), "OK");
          assert.equal(await cluster.del(key), 1);
          await moveSlot(slot, to);
          try {
            const moved = cluster.counters.moved;
            assert.equal(await cluster.set(key, "moved"), "OK");
            assert.equal(cluster.counters.moved, moved + 1, "one MOVED");
            assert.equal(await admin(to).get(key), "moved");
            assert.ok(
              forwarded(proxyOf(to), key),
              "the retry went via to's proxy",
            );
            await onlyThroughProxies("mapped");
            assert.equal(await cluster.del(key), 1);
          } finally {
            await moveSlot(slot, from);
          }
        },
      );

      await t.step(
        "function form: the same, and a proxy down stops its master's commands",
        async () => {
          const asked = new Set<string>();
          await using cluster = await connectCluster({
            nodes: [withCredentials(proxyOf(c.masters[2]!).port)],
            addressMap: (address) => {
              asked.add(address);
              return table[address];
            },
            name: "mapped-fn",
            commandTimeout: 1_000,
            topologyRefreshInterval: 0,
          });
          assert.deepEqual([...cluster.masters].sort(), [...proxied].sort());
          for (const m of c.masters) {
            assert.ok(asked.has(`127.0.0.1:${m.port}`), `asked for ${m.port}`);
          }
          await writeThroughEach(cluster, "function");
          await onlyThroughProxies("mapped-fn");

          const from = c.masters[2]!;
          const to = c.masters[0]!;
          const slot = from.slots[0]![0] + 5;
          const key = `{${slotTag(slot)}}moved`;
          assert.equal(await cluster.set(key, "1"), "OK");
          assert.equal(await cluster.del(key), 1);
          await moveSlot(slot, to);
          try {
            assert.equal(await cluster.set(key, "moved"), "OK");
            assert.equal(cluster.counters.moved, 1);
            assert.equal(await admin(to).get(key), "moved");
            assert.ok(forwarded(proxyOf(to), key));
            await onlyThroughProxies("mapped-fn");
            assert.equal(await cluster.del(key), 1);
          } finally {
            await moveSlot(slot, from);
          }

          // The master is up, its proxy is not: its commands cannot get there.
          const down = c.masters[1]!;
          proxyOf(down).down();
          try {
            // Once the client has seen its connection go, every attempt to
            // reopen it is refused: retried (never sent) until the timeout.
            await new Promise((r) => setTimeout(r, 100));
            const began = performance.now();
            const error = await cluster.set(keyOn(down, "down"), "x").then(
              () => assert.fail("reached a master whose proxy is down"),
              (e: unknown) => e,
            );
            assert.ok(error instanceof TimeoutError, Deno.inspect(error));
            // deno-lint-ignore no-console
            console.log(
              `proxy down: SET gave up after ${
                (performance.now() - began).toFixed(0)
              } ms: ${error.message}`,
            );
            assertNoPassword("the unreachable-node error", error);
            assert.equal(await admin(down).exists(keyOn(down, "down")), 0);
            // Healthy shards are untouched.
            assert.equal(await cluster.set(keyOn(to, "up"), "y"), "OK");
          } finally {
            proxyOf(down).up();
          }
          assert.equal(await cluster.set(keyOn(down, "down"), "x"), "OK");
          assert.equal(
            await cluster.del(keyOn(down, "down"), keyOn(to, "up")),
            2,
          );
        },
      );
    } finally {
      await Promise.allSettled([...proxies.values()].map((p) => p.close()));
    }
  } finally {
    await Promise.allSettled([...admins.values()].map((a) => a.close()));
  }
});

Deno.test("connectCluster refuses seeds that mix schemes or credentials, before any socket, naming no password", async () => {
  // Port 1 on loopback: nothing listens there, and nothing is dialed anyway.
  const cases: [string[], RegExp][] = [
    [
      ["rediss://127.0.0.1:1", "redis://127.0.0.1:2"],
      /mix redis:\/\/ and rediss:\/\//,
    ],
    [
      ["redis://127.0.0.1:1", "rediss://127.0.0.1:2"],
      /mix redis:\/\/ and rediss:\/\//,
    ],
    [[withCredentials(1), withCredentials(2, WRONG)], /different credentials/],
    [[withCredentials(1), "redis://127.0.0.1:2"], /different credentials/],
  ];
  for (const [nodes, message] of cases) {
    const error = await connectCluster({ nodes }).then(
      () => assert.fail(`connected with ${nodes.length} mixed seeds`),
      (e: unknown) => e,
    );
    assert.ok(error instanceof TypeError, Deno.inspect(error));
    assert.match(error.message, message);
    assertNoPassword("the mixed-seeds error", error);
  }
  // Credentials from options apply to every seed alike.
  await assert.rejects(
    connectCluster({
      nodes: ["redis://127.0.0.1:1", "redis://127.0.0.1:2"],
      username: USER,
      password: PASSWORD,
      connectTimeout: 500,
    }),
    ConnectionError,
  );
});

Deno.test("connectCluster on a cluster with requirepass (the default user) on every node", async () => {
  await using c = await startRedisCluster({
    masters: 1,
    replicasPerMaster: 1,
    auth: { password: PASSWORD },
  });
  const master = c.masters[0]!;
  const url = `redis://:${
    encodeURIComponent(PASSWORD)
  }@127.0.0.1:${master.port}`;
  await using fromUrl = await connectCluster([url]);
  await using fromOptions = await connectCluster({
    nodes: [master.url],
    password: PASSWORD,
  });
  assert.deepEqual(fromUrl.masters, [`127.0.0.1:${master.port}`]);
  assert.equal(await fromUrl.set("{a}1", "x"), "OK");
  assert.deepEqual(await fromOptions.mget("{a}1", "b", "c"), ["x", null, null]);
  await using replica = await connect({
    port: c.replicas[0]!.port,
    password: PASSWORD,
  });
  assert.match(
    String(await replica.send("INFO", "replication")),
    /master_link_status:up/,
    "the replica authenticated with masterauth",
  );
  const error = await connectCluster([
    `redis://:${encodeURIComponent(WRONG)}@127.0.0.1:${master.port}`,
  ]).then(() => assert.fail("connected with a wrong password"), (e) => e);
  assertNoPassword("the wrong-password error", error);
  assert.ok(error instanceof ConnectionError);
  assert.ok(error.cause instanceof ReplyError);
  assert.equal(error.cause.code, "WRONGPASS");
  assertNoPassword("the client's inspection", fromOptions);
});
