// startRedisCluster() of tests/_support/cluster.ts: a 3-master cluster forms
// in a few seconds with the slots split evenly, a key set on its owner (found
// with keySlot) reads back there and is MOVED to the owner from every other
// node; with replicas, each replica follows its master and holds its keys;
// dispose stops every process.

import assert from "node:assert/strict";
import { connect, type Redis, ReplyError } from "../../mod.ts";
import { CROSS_SLOT, keySlot, requestSlot } from "../../lib/cluster/slot.ts";
import { resolve } from "../../lib/commands/_command.ts";
import type { RedisArg } from "../../lib/resp/encoder.ts";
import {
  type RedisClusterNode,
  startRedisCluster,
} from "../_support/cluster.ts";

const utf8 = new TextEncoder();

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
      // requestSlot() routes as the servers do: the owner of its slot serves
      // the request, every other node redirects it there; a cross-slot one
      // is refused everywhere; a keyless one is served anywhere.
      const requests: RedisArg[][] = [
        ["MSET", "{t}a", "1", "{t}b", "2"],
        ["MGET", "{t}a", "{t}b"],
        ["MGET", "foo", "bar"],
        ["MSET", "foo", "1", "bar", "2"],
        ["EVAL", "return redis.call('GET', KEYS[1])", 1, "{t}a"],
        ["EVAL", "return 1", 2, "foo", "bar"],
        ["EVAL", "return 1", 0],
        ["XADD", "{s}1", "*", "f", "v"],
        ["XREAD", "STREAMS", "{s}1", "{s}2", "0", "0"],
        ["XREAD", "STREAMS", "foo", "bar", "0", "0"],
        ["SPUBLISH", "foo", "message"],
        ["SPUBLISH", utf8.encode("{t}c"), "message"],
        ["DBSIZE"],
      ];
      for (const argv of requests) {
        const cmd = resolve(argv);
        const slot = requestSlot(cmd, argv.slice(cmd.tokens));
        const what = String(argv[0]);
        if (slot === CROSS_SLOT) {
          for (const redis of conns.values()) {
            await assert.rejects(
              redis.send(what, ...argv.slice(1)),
              (error) =>
                error instanceof ReplyError && error.code === "CROSSSLOT",
            );
          }
        } else if (slot === undefined) {
          for (const redis of conns.values()) {
            await redis.send(what, ...argv.slice(1));
          }
        } else {
          const owner = cluster.ownerOf(slot);
          for (const [node, redis] of conns) {
            if (node === owner) {
              await redis.send(what, ...argv.slice(1));
            } else {
              await assert.rejects(
                redis.send(what, ...argv.slice(1)),
                (error) =>
                  error instanceof ReplyError &&
                  error.message === `MOVED ${slot} 127.0.0.1:${owner.port}`,
              );
            }
          }
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
