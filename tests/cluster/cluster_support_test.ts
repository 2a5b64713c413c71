// startRedisCluster() of tests/_support/cluster.ts: a 3-master cluster forms
// in a few seconds with the slots split evenly, a key set on its owner (found
// with keySlot) reads back there and is MOVED to the owner from every other
// node; with replicas, each replica follows its master and holds its keys;
// dispose stops every process. The operations on a running cluster:
// currentTopology, topologyQueries, migrateSlot held half-way (ASK),
// reshard, the ledger writers and their cluster checker; failover in each
// mode, stop/resume, kill -9 and promotion, restart of the killed node.

import assert from "node:assert/strict";
import { connect, type Redis, ReplyError } from "../../mod.ts";
import { CROSS_SLOT, keySlot, requestSlot } from "../../lib/cluster/slot.ts";
import { resolve } from "../../lib/commands/_command.ts";
import type { RedisArg } from "../../lib/resp/encoder.ts";
import {
  currentTopology,
  failover,
  killMaster,
  liveNodes,
  type LiveTopology,
  migrateSlot,
  type RedisCluster,
  type RedisClusterNode,
  resetTopologyQueries,
  reshard,
  restartNode,
  resumeNode,
  startRedisCluster,
  stopNode,
  topologyQueries,
  verifyLedgerOnCluster,
  waitForPromotion,
} from "../_support/cluster.ts";
import { ConnectionError } from "../../mod.ts";
import {
  type KeyValueClient,
  Ledger,
  runKeyValueWriters,
  Tally,
} from "../_support/workload.ts";

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

/** A client routing each key to its slot's owner in `topology` (never follows a redirect). */
function staticRouter(
  topology: LiveTopology,
  conns: Map<RedisClusterNode, Redis>,
): KeyValueClient {
  const of = (key: string) => conns.get(topology.ownerOf(keySlot(key))!)!;
  return {
    set: (key, value) => of(key).set(key, value),
    get: (key) => of(key).get(key),
    incr: (key) => of(key).incr(key),
  };
}

// deno-lint-ignore no-console
const log = (text: string) => console.log(text);

Deno.test("cluster operations: live topology, topology query counts, a slot migrated by hand (ASK half-way), reshard, the ledger checker", async (t) => {
  await using cluster = await startRedisCluster();
  const [m0, m1, m2] = cluster.masters as [
    RedisClusterNode,
    RedisClusterNode,
    RedisClusterNode,
  ];
  const conns = await clients(cluster.masters);
  try {
    await t.step(
      "currentTopology() reads masters and slots from CLUSTER SHARDS",
      async () => {
        const topology = await currentTopology(cluster);
        assert.deepEqual(topology.masters, cluster.masters);
        assert.deepEqual(topology.replicas, []);
        assert.deepEqual(topology.failed, []);
        assert.deepEqual(
          topology.shards.map((s) => [s.master.port, s.slots]),
          cluster.masters.map((n) => [n.port, n.slots]),
        );
        assert.equal(
          topology.ownerOf(keySlot("foo")),
          cluster.ownerOf(keySlot("foo")),
        );
        assert.equal(topology.slotCount(m0), 5461);
      },
    );

    await t.step(
      "topologyQueries() counts clients' CLUSTER SHARDS/SLOTS/NODES, not its own",
      async () => {
        await resetTopologyQueries(cluster);
        await conns.get(m0)!.clusterSlots();
        await conns.get(m1)!.clusterSlots();
        await conns.get(m2)!.clusterNodes();
        await conns.get(m2)!.clusterShards();
        await currentTopology(cluster);
        assert.deepEqual(await topologyQueries(cluster), {
          shards: 1,
          slots: 2,
          nodes: 1,
          total: 4,
        });
        await resetTopologyQueries(cluster);
        assert.equal((await topologyQueries(cluster)).total, 0);
      },
    );

    await t.step(
      "migrateSlot() can be held half-way: moved keys are ASKed, ASKING serves them",
      async () => {
        const keys = ["{m}0", "{m}1", "{m}2", "{m}3", "{m}4"];
        const slot = keySlot(keys[0]!);
        const from = cluster.ownerOf(slot);
        const to = from === m0 ? m1 : m0;
        for (const key of keys) await conns.get(from)!.set(key, `v${key}`);
        let checked = false;
        const ms = await migrateSlot(cluster, slot, from, to, {
          batch: 2,
          pause: async (step, { moved }) => {
            if (step !== "batch" || moved !== 2) return;
            const there = await conns.get(from)!.binary.clusterGetkeysinslot(
              slot,
              10,
            );
            const gone = keys.find((k) =>
              !there.some((b) => new TextDecoder().decode(b) === k)
            )!;
            const kept = new TextDecoder().decode(there[0]!);
            assert.equal(await conns.get(from)!.get(kept), `v${kept}`);
            await assert.rejects(
              conns.get(from)!.get(gone),
              (e) =>
                e instanceof ReplyError &&
                e.message === `ASK ${slot} 127.0.0.1:${to.port}`,
            );
            const target = conns.get(to)!;
            await assert.rejects(
              target.get(gone),
              (e) =>
                e instanceof ReplyError &&
                e.message === `MOVED ${slot} 127.0.0.1:${from.port}`,
            );
            const [asking, value] = await Promise.all([
              target.send("ASKING"),
              target.get(gone),
            ]);
            assert.deepEqual([asking, value], ["OK", `v${gone}`]);
            checked = true;
          },
        });
        log(`migrateSlot of ${keys.length} keys: ${ms.toFixed(0)} ms`);
        assert.ok(checked);
        assert.equal((await currentTopology(cluster)).ownerOf(slot), to);
        for (const key of keys) {
          assert.equal(await conns.get(to)!.get(key), `v${key}`);
        }
      },
    );

    await t.step(
      "reshard() moves slots with their keys; verifyLedgerOnCluster() finds every write",
      async () => {
        const ledger = new Ledger();
        const tally = new Tally();
        const stop = new AbortController();
        const router = staticRouter(await currentTopology(cluster), conns);
        const writing = runKeyValueWriters(router, 10, {
          stop: stop.signal,
          tally,
          ledger,
        });
        await new Promise((resolve) => setTimeout(resolve, 300));
        stop.abort();
        await writing;
        assert.equal(tally.misrouted, 0, tally.samples.join("\n"));
        assert.equal(tally.rejectedTotal, 0, tally.summary());
        const before = (await currentTopology(cluster)).slotCount(m2);
        const ms = await reshard(cluster, { from: m0, to: m2, slots: 100 });
        log(
          `reshard of 100 slots (${ledger.writes.size} keys in all): ${
            ms.toFixed(0)
          } ms`,
        );
        const after = await currentTopology(cluster);
        assert.equal(after.slotCount(m2), before + 100);
        const check = await verifyLedgerOnCluster(cluster, ledger);
        assert.deepEqual(check, {
          keys: ledger.writes.size,
          lost: 0,
          phantom: 0,
          misrouted: 0,
          ambiguousApplied: 0,
          samples: [],
        });

        // Each kind of damage is found: a lost, a phantom and a misrouted key.
        const [lostKey, wrongKey] = [...ledger.writes.keys()].map((id) =>
          id.slice(2)
        );
        await conns.get(after.ownerOf(keySlot(lostKey!))!)!.del(lostKey!);
        await conns.get(after.ownerOf(keySlot(wrongKey!))!)!.set(
          wrongKey!,
          "other",
        );
        const unsent = new ConnectionError("Cannot send: test", {
          mayHaveExecuted: false,
        });
        ledger.record(0, "never-sent", "x", unsent);
        await conns.get(after.ownerOf(keySlot("never-sent"))!)!.set(
          "never-sent",
          "x",
        );
        const damaged = await verifyLedgerOnCluster(cluster, ledger);
        assert.deepEqual(
          [
            damaged.lost,
            damaged.phantom,
            damaged.misrouted,
            damaged.samples.length,
          ],
          [1, 1, 1, 3],
        );
      },
    );
  } finally {
    for (const redis of conns.values()) await redis.close();
  }
});

/** Polls currentTopology until `ready` holds (a few seconds at most). */
async function topologyUntil(
  cluster: RedisCluster,
  ready: (topology: LiveTopology) => boolean,
): Promise<LiveTopology> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const topology = await currentTopology(cluster);
    if (ready(topology)) return topology;
    if (Date.now() > deadline) throw new Error("topology never got there");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

Deno.test("cluster failures: failover in each mode, stop/resume, kill -9 and promotion, restart of the killed master", async (t) => {
  await using cluster = await startRedisCluster({ replicasPerMaster: 1 });

  await t.step(
    "failover() default, FORCE and TAKEOVER: the replica is master everywhere",
    async () => {
      // One shard per mode: no master refuses a vote for a shard it voted on
      // moments ago.
      const shards = (await currentTopology(cluster)).shards;
      const plan = [
        [shards[0]!, undefined],
        [shards[1]!, "FORCE"],
        [shards[2]!, "TAKEOVER"],
      ] as const;
      for (const [shard, mode] of plan) {
        const replica = shard.replicas[0]!;
        const ms = await failover(cluster, replica, mode);
        log(
          `CLUSTER FAILOVER ${mode ?? "(default)"}: ${
            ms.toFixed(0)
          } ms to agreement`,
        );
        // The old master follows the new one (after TAKEOVER, within a moment).
        const topology = await topologyUntil(
          cluster,
          (tp) =>
            tp.shards.find((s) => s.master === replica)?.replicas
              .includes(shard.master) === true,
        );
        assert.deepEqual(
          topology.shards.find((s) => s.master === replica)!.slots,
          shard.slots,
        );
      }
      // Back again on the first shard, right after: failover() waits until
      // every node knows its new replica as one.
      const back = shards[0]!.master;
      const ms = await failover(cluster, back);
      log(`CLUSTER FAILOVER back on the first shard: ${ms.toFixed(0)} ms`);
      assert.equal((await currentTopology(cluster)).shards[0]!.master, back);
    },
  );

  await t.step(
    "stopNode() takes a node out of liveNodes until resumeNode()",
    async () => {
      const replica = (await currentTopology(cluster)).replicas[0]!;
      stopNode(replica);
      assert.ok(!liveNodes(cluster).includes(replica));
      // Nothing of this module waits on it meanwhile.
      assert.equal((await currentTopology(cluster)).masters.length, 3);
      resumeNode(replica);
      assert.ok(liveNodes(cluster).includes(replica));
      await using redis = await connect({ port: replica.port });
      assert.equal(await redis.ping(), "PONG");
    },
  );

  await t.step(
    "killMaster() + waitForPromotion(): its replica takes its slots; restartNode() brings it back as a replica",
    async () => {
      const before = await currentTopology(cluster);
      // The shard failed over with TAKEOVER (no votes): masters vote on a
      // shard once per 2 × node timeout, which would delay the promotion.
      const shard = before.shards[2]!;
      const killedAt = await killMaster(cluster, shard.master);
      assert.ok(!liveNodes(cluster).includes(shard.master));
      const promotion = await waitForPromotion(cluster, shard.master.id);
      log(
        `kill -9 → promoted in ${(promotion.at - killedAt).toFixed(0)} ms, ` +
          `agreed in ${(promotion.agreedAt - killedAt).toFixed(0)} ms`,
      );
      assert.equal(promotion.master, shard.replicas[0]);
      assert.ok(promotion.agreedAt >= promotion.at && promotion.at > killedAt);
      const after = await currentTopology(cluster);
      assert.equal(after.ownerOf(shard.slots[0]![0]), promotion.master);
      assert.ok(after.failed.includes(shard.master));
      await restartNode(shard.master);
      assert.ok(liveNodes(cluster).includes(shard.master));
      await topologyUntil(
        cluster,
        (tp) =>
          tp.shards.find((s) => s.master === promotion.master)?.replicas
              .includes(shard.master) === true && tp.failed.length === 0,
      );
    },
  );
});
