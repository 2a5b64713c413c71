// replicaReads on a real cluster with one replica per master: read-only
// commands go to the replicas (counted by the servers), writes and blocking
// reads to the masters; with a replica killed, "prefer" reads its shard from
// the master without an error, and "only" waits for a replica until the
// command's timeout.

import assert from "node:assert/strict";
import { connect, connectCluster, TimeoutError } from "../../mod.ts";
import { keySlot } from "../../lib/cluster/slot.ts";
import { currentTopology, startRedisCluster } from "../_support/cluster.ts";
import { commandCalls, resetCommandStats } from "../_support/commandstats.ts";

Deno.test("cluster replica reads", async (t) => {
  await using c = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
  const topology = await currentTopology(c);
  const clients = new Map(
    await Promise.all(
      c.nodes.map(async (n) => [n.port, await connect(n.url)] as const),
    ),
  );
  const calls = async (port: number, name: string) =>
    (await commandCalls(clients.get(port)!))[name] ?? 0;
  const keys = Array.from({ length: 60 }, (_, i) => `rr:${i}`);
  try {
    {
      // Replicas of an empty master report health "loading" (replication
      // offset 0) and are left out of the slot map until data flows.
      await using writer = await connectCluster([c.masters[0]!.url]);
      await writer.mset(Object.fromEntries(keys.map((k) => [k, k])));
      const seen = clients.get(c.masters[0]!.port)!;
      for (let i = 0; i < 250; i++) {
        const shards = Deno.inspect(await seen.send("CLUSTER", "SHARDS"), {
          depth: 9,
        });
        if (!shards.includes('"loading"')) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    }

    await t.step(
      '"prefer": reads go to replicas, writes to masters',
      async () => {
        await using cluster = await connectCluster({
          nodes: [c.masters[0]!.url],
          replicaReads: "prefer",
        });
        for (const client of clients.values()) await resetCommandStats(client);
        const values = await Promise.all(keys.map((k) => cluster.get(k)));
        assert.deepEqual(values, keys);
        await cluster.set("rr:write", "1");
        let replicaGets = 0;
        for (const r of topology.replicas) {
          replicaGets += await calls(r.port, "get");
        }
        let masterGets = 0;
        for (const m of topology.masters) {
          masterGets += await calls(m.port, "get");
        }
        assert.equal(replicaGets, keys.length);
        assert.equal(masterGets, 0);
        const owner = topology.ownerOf(keySlot("rr:write"))!;
        assert.equal(await calls(owner.port, "set"), 1);
      },
    );

    const shard = topology.shards[0]!;
    const replica = shard.replicas[0]!;
    const shardKey = keys.find((k) =>
      topology.ownerOf(keySlot(k)) === shard.master
    )!;

    await t.step(
      '"prefer" with a dead replica: its shard is read from the master, without an error',
      async () => {
        await using cluster = await connectCluster({
          nodes: [c.masters[0]!.url],
          replicaReads: "prefer",
        });
        assert.equal(await cluster.get(shardKey), shardKey);
        replica.server.kill("SIGKILL");
        await replica.server.exited;
        for (let i = 0; i < 20; i++) {
          assert.equal(await cluster.get(shardKey), shardKey);
        }
        assert.ok(
          cluster.counters.connectionRetries >= 1,
          "the dead replica was passed over",
        );
      },
    );

    await t.step(
      '"only" with its shard\'s replica dead: waits, then a TimeoutError that says it was not sent',
      async () => {
        await using cluster = await connectCluster({
          nodes: [c.masters[0]!.url],
          replicaReads: "only",
        });
        const error = await cluster.with({ timeout: 400 }).get(shardKey).then(
          () => assert.fail("resolved"),
          (e) => e,
        );
        assert.ok(error instanceof TimeoutError, String(error));
        assert.equal(error.mayHaveExecuted, false);
        // Other shards still have replicas.
        const other = keys.find((k) =>
          topology.ownerOf(keySlot(k)) !== shard.master
        )!;
        assert.equal(await cluster.get(other), other);
      },
    );
  } finally {
    await Promise.all([...clients.values()].map((client) => client.close()));
  }
});
