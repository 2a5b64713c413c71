// connectCluster() on a cluster whose every node serves TLS (one test CA,
// TLS bus and replication, TLS ports announced): commands reach every master
// on its TLS port, a MOVED is followed to the new owner's TLS port, replica
// reads use the replicas' TLS ports, and seeds that do not speak TLS to the
// TLS ports, or do not trust the CA, fail with a typed error naming each; an
// address map onto proxies in front of the TLS ports keeps TLS end to end.

import assert from "node:assert/strict";
import {
  connect,
  connectCluster,
  ConnectionError,
  type Redis,
} from "../../mod.ts";
import { keySlot } from "../../lib/cluster/slot.ts";
import { startChaosProxy } from "../_support/chaos_proxy.ts";
import {
  migrateSlot,
  type RedisClusterNode,
  slotTag,
  startRedisCluster,
} from "../_support/cluster.ts";

/** The `laddr` ports of the connections named `name` in a node's CLIENT LIST. */
async function localPorts(admin: Redis, name: string): Promise<number[]> {
  const list = String(await admin.send("CLIENT", "LIST"));
  return list.split("\n")
    .filter((line) => line.includes(` name=${name} `))
    .map((line) => Number(/ laddr=[^ ]*:(\d+) /.exec(line)![1]));
}

Deno.test("connectCluster over TLS on every node", async (t) => {
  await using c = await startRedisCluster({
    masters: 3,
    replicasPerMaster: 1,
    tls: true,
  });
  const caCerts = [c.certs!.caCert];
  const tlsSeeds = c.masters.map((m) => m.tlsUrl!);
  await using cluster = await connectCluster({
    nodes: tlsSeeds,
    tls: { caCerts },
    name: "over-tls",
  });
  // Admin connections on the plain ports, to look at the nodes from outside.
  const admins = new Map<RedisClusterNode, Redis>();
  for (const node of c.nodes) admins.set(node, await connect(node.url));
  const admin = (node: RedisClusterNode) => admins.get(node)!;
  try {
    await t.step(
      "the nodes announce their TLS ports; formation still works",
      () => {
        assert.deepEqual(
          [...cluster.masters].sort(),
          c.masters.map((m) => `127.0.0.1:${m.tlsPort}`).sort(),
        );
        for (const node of c.nodes) assert.notEqual(node.tlsPort, node.port);
        // deno-lint-ignore no-console
        console.log(`TLS cluster of 6 formed in ${c.startupMs} ms`);
      },
    );

    await t.step(
      "commands run on every master, each on its TLS port (CLIENT LIST laddr)",
      async () => {
        // One key per master, in a slot it serves, and a cross-slot MSET/MGET.
        const keys = c.masters.map((m) => `{${slotTag(m.slots[0]![0])}}tls`);
        await Promise.all(keys.map((k, i) => cluster.set(k, `v${i}`)));
        for (const [i, m] of c.masters.entries()) {
          assert.equal(await admin(m).get(keys[i]!), `v${i}`, `on ${m.port}`);
        }
        assert.equal(
          await cluster.mset(Object.fromEntries(keys.map((k) => [k, k]))),
          "OK",
        );
        assert.deepEqual(await cluster.mget(...keys), keys);
        assert.equal(await cluster.dbsize(), 3, "DBSIZE summed over masters");
        for (const m of c.masters) {
          const ports = await localPorts(admin(m), "over-tls");
          assert.ok(ports.length >= 1, `a connection on ${m.port}`);
          assert.deepEqual(
            ports,
            ports.map(() => m.tlsPort),
            `every client connection to ${m.port} is on its TLS port ${m.tlsPort}`,
          );
        }
        assert.equal(await cluster.del(...keys), 3);
      },
    );

    await t.step(
      "a MOVED (slot moved with SETSLOT ... NODE on every node, its key MIGRATEd over TLS) is followed over TLS",
      async () => {
        const from = c.masters[0]!;
        const to = c.masters[1]!;
        const slot = from.slots[0]![0] + 7;
        const key = `{${slotTag(slot)}}moved`;
        assert.equal(keySlot(key), slot);
        assert.equal(await cluster.set(key, "before"), "OK");
        const moved = cluster.counters.moved;
        await migrateSlot(c, slot, from, to);
        assert.equal(await admin(to).get(key), "before", "the key moved");
        assert.equal(await cluster.get(key), "before");
        assert.equal(cluster.counters.moved, moved + 1, "one MOVED followed");
        assert.equal(await cluster.set(key, "after"), "OK");
        assert.equal(await admin(to).get(key), "after");
        const ports = await localPorts(admin(to), "over-tls");
        assert.ok(ports.every((p) => p === to.tlsPort), `${ports}`);
        await migrateSlot(c, slot, to, from);
        assert.equal(await cluster.get(key), "after");
        assert.equal(await cluster.del(key), 1);
      },
    );

    await t.step("replica reads use the replicas' TLS ports", async () => {
      await using reader = await connectCluster({
        nodes: [tlsSeeds[0]!],
        tls: { caCerts },
        replicaReads: "only",
        name: "replica-tls",
      });
      const key = `{${slotTag(c.masters[2]!.slots[0]![0])}}replica`;
      assert.equal(await cluster.set(key, "r"), "OK");
      const replica = c.replicas.find((r) => r.masterId === c.masters[2]!.id)!;
      await admin(c.masters[2]!).send("WAIT", "1", "2000");
      assert.equal(await reader.get(key), "r");
      assert.deepEqual(await localPorts(admin(replica), "replica-tls"), [
        replica.tlsPort,
      ]);
      assert.deepEqual(
        await localPorts(admin(c.masters[2]!), "replica-tls"),
        [],
      );
      assert.equal(await cluster.del(key), 1);
    });

    await t.step(
      "plaintext seeds at the TLS ports fail at once with a ConnectionError naming each",
      async () => {
        const plain = c.masters.map((m) => `redis://127.0.0.1:${m.tlsPort}`);
        const began = performance.now();
        const error = await connectCluster({
          nodes: plain,
          connectTimeout: 2_000,
        }).then(
          () => assert.fail("connected in plaintext to TLS ports"),
          (e: unknown) => e,
        );
        const ms = performance.now() - began;
        assert.ok(error instanceof ConnectionError, String(error));
        assert.match(error.message, /^Cannot connect to the cluster: /);
        for (const m of c.masters) {
          assert.ok(
            error.message.includes(`127.0.0.1:${m.tlsPort}`),
            error.message,
          );
        }
        // deno-lint-ignore no-console
        console.log(
          `plaintext seeds refused in ${ms.toFixed(0)} ms: ${error.message}`,
        );
      },
    );

    await t.step(
      "a redis: seed with tls options is refused before any socket opens",
      async () => {
        await assert.rejects(
          connectCluster({ nodes: [c.masters[0]!.url], tls: { caCerts } }),
          (error: unknown) =>
            error instanceof TypeError && /rediss:/.test(error.message),
        );
      },
    );

    await t.step(
      "rediss: seeds without the CA fail with a ConnectionError naming each",
      async () => {
        const error = await connectCluster({
          nodes: tlsSeeds,
          connectTimeout: 2_000,
        }).then(
          () => assert.fail("trusted the test CA without caCerts"),
          (e: unknown) => e,
        );
        assert.ok(error instanceof ConnectionError, String(error));
        for (const m of c.masters) {
          assert.ok(error.message.includes(`:${m.tlsPort}`), error.message);
        }
        assert.match(error.message, /certificate|UnknownIssuer/i);
      },
    );

    await t.step(
      "an address map onto proxies in front of the TLS ports: TLS end to end through them",
      async () => {
        const proxies = c.masters.map((m) =>
          startChaosProxy({ port: m.tlsPort! })
        );
        try {
          const table: Record<string, string> = {};
          c.masters.forEach((m, i) => {
            table[`127.0.0.1:${m.tlsPort}`] = `127.0.0.1:${proxies[i]!.port}`;
          });
          await using mapped = await connectCluster({
            nodes: [`rediss://127.0.0.1:${proxies[0]!.port}`],
            tls: { caCerts },
            addressMap: table,
            name: "tls-mapped",
          });
          assert.deepEqual(
            [...mapped.masters].sort(),
            Object.values(table).sort(),
          );
          const keys = c.masters.map((m) => `{${slotTag(m.slots[0]![0])}}nat`);
          const before = proxies.map((p) => p.bytesUp);
          assert.equal(
            await mapped.mset(Object.fromEntries(keys.map((k) => [k, k]))),
            "OK",
          );
          assert.deepEqual(await mapped.mget(...keys), keys);
          for (const [i, m] of c.masters.entries()) {
            assert.ok(
              proxies[i]!.bytesUp > before[i]!,
              `via ${m.port}'s proxy`,
            );
            const ports = await localPorts(admin(m), "tls-mapped");
            assert.equal(ports.length, proxies[i]!.connections);
            assert.ok(ports.every((p) => p === m.tlsPort), `${ports}`);
            assert.equal(await admin(m).get(keys[i]!), keys[i]);
          }
          assert.equal(await mapped.del(...keys), 3);
        } finally {
          await Promise.allSettled(proxies.map((p) => p.close()));
        }
      },
    );
  } finally {
    await Promise.allSettled([...admins.values()].map((a) => a.close()));
  }
});
