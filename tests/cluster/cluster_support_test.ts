// startRedisCluster() of tests/_support/cluster.ts: a 3-master cluster forms
// in a few seconds with the slots split evenly, a key set on its owner (found
// with keySlot) reads back there and is MOVED to the owner from every other
// node; with replicas, each replica follows its master and holds its keys;
// dispose stops every process.

import assert from "node:assert/strict";
import { connect, type Redis, ReplyError } from "../../mod.ts";
import { keySlot } from "../../lib/cluster/slot.ts";
import {
  type RedisClusterNode,
  startRedisCluster,
} from "../_support/cluster.ts";

async function clients(
  nodes: readonly RedisClusterNode[],
): Promise<Map<RedisClusterNode, Redis>> {
  const map = new Map<RedisClusterNode, Redis>();
  for (const node of nodes) map.set(node, await connect({ port: node.port }));
  return map;
}

Deno.test("startRedisCluster() forms 3 masters; a key lives on its slot's owner and is MOVED elsewhere", async () => {
  const cluster = await startRedisCluster();
  try {
    // deno-lint-ignore no-console
    console.log(`3-master cluster ready in ${cluster.startupMs} ms`);
    assert.ok(cluster.startupMs < 10_000, `took ${cluster.startupMs} ms`);
    assert.equal(cluster.masters.length, 3);
    assert.equal(cluster.replicas.length, 0);
    assert.deepEqual(cluster.masters.map((n) => n.slots), [
      [[0, 5460]],
      [[5461, 10921]],
      [[10922, 16383]],
    ]);
    assert.equal(new Set(cluster.nodes.map((n) => n.port)).size, 3);
    for (const node of cluster.nodes) {
      assert.match(node.id, /^[0-9a-f]{40}$/);
      assert.equal(node.role, "master");
    }

    const conns = await clients(cluster.nodes);
    try {
      // Every node agrees with the plan, through the typed client too.
      for (const redis of conns.values()) {
        assert.equal((await redis.clusterInfo()).cluster_state, "ok");
        const shards = await redis.clusterSlots();
        assert.equal(shards.length, 3);
      }
      for (const key of ["foo", "bar", "{user1000}.following", "hello"]) {
        const slot = keySlot(key);
        const owner = cluster.ownerOf(slot);
        const redis = conns.get(owner)!;
        assert.equal(await redis.send("SET", key, `v-${key}`), "OK");
        assert.equal(await redis.send("GET", key), `v-${key}`);
        for (const [node, other] of conns) {
          if (node === owner) continue;
          await assert.rejects(other.send("GET", key), (error) => {
            assert.ok(error instanceof ReplyError);
            assert.equal(error.code, "MOVED");
            assert.equal(
              error.message,
              `MOVED ${slot} 127.0.0.1:${owner.port}`,
            );
            return true;
          });
        }
      }
    } finally {
      for (const redis of conns.values()) await redis.close();
    }
  } finally {
    await cluster[Symbol.asyncDispose]();
  }
  // Every process is gone.
  for (const node of cluster.nodes) {
    const status = await node.server.exited;
    assert.equal(status.success, false);
  }
});

Deno.test("startRedisCluster() attaches replicas that follow their master", async () => {
  await using cluster = await startRedisCluster({
    masters: 2,
    replicasPerMaster: 1,
  });
  // deno-lint-ignore no-console
  console.log(`2 masters + 2 replicas ready in ${cluster.startupMs} ms`);
  assert.equal(cluster.masters.length, 2);
  assert.equal(cluster.replicas.length, 2);
  const masterIds = new Set(cluster.masters.map((n) => n.id));
  assert.deepEqual(
    new Set(cluster.replicas.map((n) => n.masterId)),
    masterIds,
  );
  const conns = await clients(cluster.nodes);
  try {
    const key = "foo";
    const owner = cluster.ownerOf(keySlot(key));
    await conns.get(owner)!.send("SET", key, "1");
    await conns.get(owner)!.send("WAIT", 1, 5000);
    const replica = cluster.replicas.find((n) => n.masterId === owner.id)!;
    const redis = conns.get(replica)!;
    assert.equal(
      await redis.send("ROLE").then((r) => (r as unknown[])[0]),
      "slave",
    );
    // A replica redirects a plain read to its master, serves it after READONLY.
    await assert.rejects(redis.send("GET", key), /MOVED/);
    await redis.send("READONLY");
    assert.equal(await redis.send("GET", key), "1");
  } finally {
    for (const redis of conns.values()) await redis.close();
  }
});
