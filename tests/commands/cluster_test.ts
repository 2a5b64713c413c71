// ClusterCommands and ClusterAdminCommands against throwaway redis-servers
// started in cluster mode, under RESP2 and RESP3: one lone node for the slot
// commands, then three nodes that meet, replicate, move a slot, fail over
// and forget. Plus the line parsers without a server.

import assert from "node:assert/strict";
import {
  type ClusterNode,
  connect,
  type Redis,
  ReplyError,
} from "../../mod.ts";
import { slotRangeArgs } from "../../lib/commands/cluster_options.ts";
import {
  clusterNode,
  clusterNodeLines,
  epochBump,
} from "../../lib/commands/cluster_replies.ts";
import { until } from "../_support/events.ts";
import { eachProtocol, PROTOCOLS } from "../_support/protocols.ts";
import { succeeded } from "../_support/results.ts";
import {
  type RedisServer,
  startRedisServer,
} from "../_support/redis_server.ts";

const utf8 = new TextEncoder();
const ID_A = "07c37dfeb235213a872192d90877d0cd55635b91";
const ID_B = "67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1";

/** An object with no prototype holding `entries`, as the record decoders build it. */
function bare<V>(entries: [string, V][]): Record<string, V> {
  const out: Record<string, V> = Object.create(null);
  for (const [key, value] of entries) out[key] = value;
  return out;
}

/**
 * A cluster-mode server. The bus port is picked free too: the default
 * (port + 10000) overflows for ports above 55535.
 */
async function startClusterNode(): Promise<RedisServer & { busPort: number }> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const busPort = listener.addr.port;
  listener.close();
  const server = await startRedisServer({
    args: [
      "--cluster-enabled",
      "yes",
      "--cluster-port",
      String(busPort),
      "--cluster-node-timeout",
      "2000",
      // A replica syncs at once, without waiting for others to join it.
      "--repl-diskless-sync-delay",
      "0",
      // CLUSTER SLOTS lists a replica once its offset moved: ping it often.
      "--repl-ping-replica-period",
      "1",
    ],
  });
  return Object.assign(server, { busPort });
}

/** The node the connection is to, from its own CLUSTER NODES. */
async function myself(redis: Redis): Promise<ClusterNode> {
  const node = (await redis.clusterNodes()).find((n) =>
    n.flags.includes("myself")
  );
  assert.ok(node !== undefined, "no node flagged myself");
  return node;
}

/** CLUSTER NODES without the fields that change from one call to the next. */
function stable(nodes: ClusterNode[]): unknown[] {
  return nodes
    .map(({ pingSent: _, pongReceived: __, ...rest }) => rest)
    .sort((a, b) => a.id.localeCompare(b.id));
}

Deno.test("clusterNode() parses a CLUSTER NODES line, slots and migrations included", () => {
  assert.deepStrictEqual(
    clusterNode(
      `${ID_A} 127.0.0.1:30001@31001,node-a.example myself,master - 0 1700000000000 3 connected 0-5460 5462 [5461->-${ID_B}] [7000-<-${ID_B}]`,
    ),
    {
      id: ID_A,
      address: "127.0.0.1:30001@31001,node-a.example",
      ip: "127.0.0.1",
      port: 30001,
      busPort: 31001,
      hostname: "node-a.example",
      flags: ["myself", "master"],
      masterId: null,
      pingSent: 0,
      pongReceived: 1700000000000,
      configEpoch: 3,
      linkState: "connected",
      slots: [[0, 5460], [5462, 5462]],
      migrating: [{ slot: 5461, nodeId: ID_B }],
      importing: [{ slot: 7000, nodeId: ID_B }],
    },
  );
  // IPv6, a replica, no slots; a node that does not know its own IP yet.
  const replica = clusterNode(
    `${ID_B} ::1:30002@40002 slave,fail? ${ID_A} 1700000000001 1700000000002 3 disconnected`,
  );
  assert.equal(replica.ip, "::1");
  assert.equal(replica.port, 30002);
  assert.equal(replica.busPort, 40002);
  assert.equal(replica.hostname, undefined);
  assert.ok(!("hostname" in replica));
  assert.deepStrictEqual(replica.flags, ["slave", "fail?"]);
  assert.equal(replica.masterId, ID_A);
  assert.equal(replica.linkState, "disconnected");
  assert.deepStrictEqual(replica.slots, []);
  const lone = clusterNode(
    `${ID_A} :7000@17000 myself,master - 0 0 0 connected`,
  );
  assert.equal(lone.ip, "");
  assert.equal(lone.port, 7000);
  assert.deepStrictEqual(
    clusterNodeLines([
      `${ID_B} 127.0.0.1:30002@31002 slave ${ID_A} 0 0 3 connected`,
    ]).map((n) => n.masterId),
    [ID_A],
  );
  assert.throws(() => clusterNode("not a node line"), TypeError);
  assert.throws(
    () => clusterNode(`${ID_A} 127.0.0.1:1@2 master - 0 0 0 connected x-y`),
    TypeError,
  );
});

Deno.test("epochBump() and slotRangeArgs() translate replies and ranges", () => {
  assert.deepStrictEqual(epochBump("BUMPED 7"), { bumped: true, epoch: 7 });
  assert.deepStrictEqual(epochBump(utf8.encode("STILL 7")), {
    bumped: false,
    epoch: 7,
  });
  assert.throws(() => epochBump("OK"), TypeError);
  assert.deepStrictEqual(slotRangeArgs([[0, 5], [10, 10]]), [0, 5, 10, 10]);
  assert.deepStrictEqual(slotRangeArgs([]), []);
});

Deno.test("ClusterCommands on a lone node return the same values under RESP2 and RESP3", async (t) => {
  await using server = await startClusterNode();
  const { port, busPort } = server;

  await t.step(
    "clusterReset(), clusterSetConfigEpoch() and clusterBumpepoch() set the epochs",
    async () => {
      await eachProtocol(port, async (redis) => {
        const before = await redis.clusterMyid();
        assert.match(before, /^[0-9a-f]{40}$/);
        assert.equal(await redis.clusterReset("HARD"), "OK");
        const id = await redis.clusterMyid();
        assert.notEqual(id, before, "a hard reset takes a new id");
        assert.equal(
          (await redis.clusterInfo()).cluster_current_epoch,
          "0",
        );
        assert.equal(await redis.clusterSetConfigEpoch(5), "OK");
        assert.equal((await myself(redis)).configEpoch, 5);
        assert.deepStrictEqual(await redis.clusterBumpepoch(), {
          bumped: false,
          epoch: 5,
        });
        await assert.rejects(redis.clusterSetConfigEpoch(6), ReplyError);
        assert.equal(await redis.clusterReset(), "OK");
        assert.equal(await redis.clusterMyid(), id, "a soft reset keeps it");
        assert.equal(await redis.clusterReset("HARD"), "OK");
        assert.deepStrictEqual(await redis.clusterBumpepoch(), {
          bumped: true,
          epoch: 1,
        });
      });
    },
  );

  await t.step(
    "clusterInfo(), clusterNodes(), clusterKeyslot() describe a lone node",
    async () => {
      await eachProtocol(port, async (redis) => {
        const id = await redis.clusterMyid();
        const info = await redis.clusterInfo();
        assert.equal(Object.getPrototypeOf(info), null);
        assert.equal(info.cluster_state, "fail");
        assert.equal(info.cluster_slots_assigned, "0");
        assert.equal(info.cluster_known_nodes, "1");
        assert.deepStrictEqual(await redis.binary.clusterInfo(), info);
        const [node, ...others] = await redis.clusterNodes();
        assert.deepStrictEqual(others, []);
        assert.deepStrictEqual(node, {
          id,
          address: `${node!.ip}:${port}@${busPort}`,
          ip: node!.ip,
          port,
          busPort,
          flags: ["myself", "master"],
          masterId: null,
          pingSent: 0,
          pongReceived: 0,
          configEpoch: 1,
          linkState: "connected",
          slots: [],
          migrating: [],
          importing: [],
        });
        assert.ok(["", "127.0.0.1"].includes(node!.ip), node!.ip);
        assert.deepStrictEqual(await redis.clusterLinks(), []);
        assert.deepStrictEqual(await redis.clusterSlots(), []);
        assert.equal(await redis.clusterCountFailureReports(id), 0);
        await assert.rejects(
          redis.clusterCountFailureReports("0".repeat(40)),
          /Unknown node/,
        );
        assert.equal(await redis.clusterKeyslot("somekey"), 11058);
        assert.equal(
          await redis.clusterKeyslot("{user1}:a"),
          await redis.clusterKeyslot("{user1}:b"),
        );
        assert.equal(
          await redis.bigint.clusterKeyslot(new Uint8Array([0xff])),
          BigInt(await redis.clusterKeyslot(new Uint8Array([0xff]))),
        );
        const help = await redis.clusterHelp();
        assert.ok(help[0]!.startsWith("CLUSTER <subcommand>"));
      });
    },
  );

  await t.step(
    "slots assigned and removed read back from clusterNodes(), clusterSlots() and clusterShards()",
    async () => {
      await eachProtocol(port, async (redis) => {
        const id = await redis.clusterMyid();
        assert.equal(await redis.clusterAddslots(0, 1, 2), "OK");
        assert.equal(
          await redis.clusterAddslotsrange([100, 199], [16000, 16383]),
          "OK",
        );
        await assert.rejects(redis.clusterAddslots(0), /busy/);
        const me = await myself(redis);
        assert.deepStrictEqual(me.slots, [[0, 2], [100, 199], [16000, 16383]]);
        assert.equal(
          (await redis.clusterInfo()).cluster_slots_assigned,
          String(3 + 100 + 384),
        );
        const master = { endpoint: me.ip, port, id, metadata: bare([]) };
        assert.deepStrictEqual(await redis.clusterSlots(), [
          { start: 0, end: 2, master, replicas: [] },
          { start: 100, end: 199, master, replicas: [] },
          { start: 16000, end: 16383, master, replicas: [] },
        ]);
        const [shard, ...others] = await redis.clusterShards();
        assert.deepStrictEqual(others, []);
        assert.deepStrictEqual(shard, {
          slots: [[0, 2], [100, 199], [16000, 16383]],
          nodes: [{
            id,
            port,
            ip: me.ip,
            endpoint: me.ip,
            role: "master",
            replicationOffset: shard!.nodes[0]!.replicationOffset,
            health: "online",
          }],
        });
        assert.equal(await redis.clusterDelslots(1), "OK");
        assert.equal(await redis.clusterDelslotsrange([100, 149]), "OK");
        assert.equal(await redis.clusterSetslot(5, "NODE", id), "OK");
        assert.equal(await redis.clusterSetslot(5, "STABLE"), "OK");
        assert.deepStrictEqual((await myself(redis)).slots, [
          [0, 0],
          [2, 2],
          [5, 5],
          [150, 199],
          [16000, 16383],
        ]);
        await assert.rejects(redis.clusterDelslots(1), /already unassigned/);
        assert.equal(await redis.clusterFlushslots(), "OK");
        assert.deepStrictEqual((await myself(redis)).slots, []);
      });
    },
  );

  await t.step(
    "clusterGetkeysinslot() and clusterCountkeysinslot() find a key in its slot",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(await redis.clusterAddslotsrange([0, 16383]), "OK");
        await until(
          async () => (await redis.clusterInfo()).cluster_state === "ok",
          "the cluster state to turn ok",
        );
        await redis.set("somekey", "1");
        await redis.set("{somekey}:2", "2");
        assert.equal(await redis.clusterCountkeysinslot(11058), 2);
        assert.equal(await redis.bigint.clusterCountkeysinslot(11058), 2n);
        assert.equal(await redis.clusterCountkeysinslot(0), 0);
        assert.deepStrictEqual(
          (await redis.clusterGetkeysinslot(11058, 10)).sort(),
          ["somekey", "{somekey}:2"],
        );
        assert.equal((await redis.clusterGetkeysinslot(11058, 1)).length, 1);
        const binary = await redis.binary.clusterGetkeysinslot(11058, 10);
        assert.ok(binary.every((key) => key instanceof Uint8Array));
        await assert.rejects(redis.clusterFlushslots(), /empty/);
        await redis.flushall();
        assert.equal(await redis.clusterFlushslots(), "OK");
      });
    },
  );

  await t.step(
    "refusals show each admin command reached the server with its arguments",
    async () => {
      await eachProtocol(port, async (redis) => {
        const id = await redis.clusterMyid();
        await assert.rejects(redis.clusterForget(id), /forget myself/);
        await assert.rejects(redis.clusterReplicate(id), /replicate myself/);
        await assert.rejects(redis.clusterFailover(), /to a replica/);
        await assert.rejects(redis.clusterFailover("TAKEOVER"), /to a replica/);
        await assert.rejects(
          redis.clusterMeet("not-an-address", 1),
          /Invalid node address specified: not-an-address:1/,
        );
        await assert.rejects(
          redis.clusterSetslot(5, "MIGRATING", "0".repeat(40)),
          /not the owner of hash slot 5/,
        );
        await assert.rejects(
          redis.clusterReplicas("0".repeat(40)),
          /Unknown node/,
        );
        assert.deepStrictEqual(await redis.clusterReplicas(id), []);
        assert.deepStrictEqual(await redis.clusterSlaves(id), []);
      });
    },
  );

  await t.step(
    "clusterSaveconfig() writes nodes.conf; cluster commands queue in builders",
    async () => {
      await eachProtocol(port, async (redis) => {
        const id = await redis.clusterMyid();
        assert.equal(await redis.clusterSaveconfig(), "OK");
        const conf = await Deno.readTextFile(`${server.dir}/nodes.conf`);
        assert.match(conf, new RegExp(`^${id} .*myself`, "m"));
        const [slot, me, info, nodes] = succeeded(
          await redis.pipeline()
            .clusterKeyslot("somekey")
            .clusterMyid()
            .clusterInfo()
            .clusterNodes()
            .exec(),
        );
        assert.equal(slot, 11058);
        assert.equal(me, id);
        assert.equal(info.cluster_known_nodes, "1");
        assert.equal(nodes[0]!.id, id);
        const [bump, count] = succeeded(
          await redis.multi()
            .clusterBumpepoch()
            .clusterCountFailureReports(id)
            .exec(),
        );
        assert.equal(typeof bump.epoch, "number");
        assert.equal(count, 0);
      });
    },
  );
});

Deno.test("ClusterCommands across three nodes: meet, replicate, move a slot, fail over, forget", async (t) => {
  await using serverA = await startClusterNode();
  await using serverB = await startClusterNode();
  await using serverC = await startClusterNode();
  await using a = await connect({ port: serverA.port });
  await using b = await connect({ port: serverB.port });
  await using c = await connect({ port: serverC.port });
  const [idA, idB, idC] = await Promise.all([
    a.clusterMyid(),
    b.clusterMyid(),
    c.clusterMyid(),
  ]);
  const all = [a, b, c];

  /** Whether every node knows every other, handshakes done. */
  const joined = async () => {
    for (const node of all) {
      const nodes = await node.clusterNodes();
      if (
        nodes.length !== 3 ||
        nodes.some((n) =>
          n.flags.includes("handshake") || n.flags.includes("noaddr") ||
          n.linkState !== "connected"
        )
      ) return false;
    }
    return true;
  };

  await t.step("clusterMeet() joins the nodes into one cluster", async () => {
    assert.equal(await a.clusterAddslotsrange([0, 16383]), "OK");
    // The bus ports are not port + 10000 (see startClusterNode): name them.
    assert.equal(
      await a.clusterMeet("127.0.0.1", serverB.port, serverB.busPort),
      "OK",
    );
    assert.equal(
      await a.clusterMeet("127.0.0.1", serverC.port, serverC.busPort),
      "OK",
    );
    await until(joined, "the three nodes to meet");
    const nodeB = (await a.clusterNodes()).find((n) => n.id === idB);
    assert.equal(nodeB?.ip, "127.0.0.1");
    assert.equal(nodeB?.port, serverB.port);
    assert.equal(nodeB?.busPort, serverB.busPort);
    assert.deepStrictEqual(nodeB?.flags, ["master"]);
  });

  await t.step(
    "clusterReplicate() makes a replica that clusterReplicas(), clusterSlaves(), clusterShards() and clusterSlots() show",
    async () => {
      assert.equal(await c.clusterReplicate(idA), "OK");
      await until(
        async () => (await a.clusterReplicas(idA)).length === 1,
        "the master to list its replica",
      );
      await until(async () => {
        const [range] = await a.clusterSlots();
        return range?.replicas.length === 1;
      }, "the replica in CLUSTER SLOTS");
      const seen: unknown[] = [];
      for (const protocol of PROTOCOLS) {
        await using redis = await connect({ port: serverA.port, protocol });
        const [replica] = await redis.clusterReplicas(idA);
        assert.equal(replica!.id, idC);
        assert.equal(replica!.masterId, idA);
        assert.ok(replica!.flags.includes("slave"));
        assert.deepStrictEqual(
          stable(await redis.clusterSlaves(idA)),
          stable([replica!]),
        );
        const shards = await redis.clusterShards();
        const shardA = shards.find((s) => s.nodes.some((n) => n.id === idA));
        assert.deepStrictEqual(shardA?.slots, [[0, 16383]]);
        assert.deepStrictEqual(
          shardA?.nodes.map((n) => [n.id, n.role, n.port]),
          [[idA, "master", serverA.port], [idC, "replica", serverC.port]],
        );
        const slots = await redis.clusterSlots();
        assert.deepStrictEqual(slots, [{
          start: 0,
          end: 16383,
          master: {
            endpoint: "127.0.0.1",
            port: serverA.port,
            id: idA,
            metadata: bare([]),
          },
          replicas: [{
            endpoint: "127.0.0.1",
            port: serverC.port,
            id: idC,
            metadata: bare([]),
          }],
        }]);
        const links = await redis.clusterLinks();
        assert.deepStrictEqual(
          links.map((l) => `${l.direction} ${l.node}`).sort(),
          [`from ${idB}`, `from ${idC}`, `to ${idB}`, `to ${idC}`].sort(),
        );
        for (const link of links) {
          assert.ok(link.createTime > 1_600_000_000_000);
          assert.equal(typeof link.events, "string");
          assert.ok(link.sendBufferAllocated >= link.sendBufferUsed);
        }
        assert.equal(await redis.clusterCountFailureReports(idB), 0);
        seen.push([
          stable(await redis.clusterNodes()),
          shards.map((s) => ({
            ...s,
            nodes: s.nodes.map((n) => ({ ...n, replicationOffset: 0 })),
          })),
        ]);
      }
      assert.deepStrictEqual(seen[0], seen[1]);
      const role = await c.role();
      assert.ok(role.role === "replica");
      assert.equal(role.masterPort, serverA.port);
    },
  );

  await t.step(
    "clusterSetslot() moves a slot: migrating, importing, then its new node",
    async () => {
      assert.equal(await a.clusterSetslot(5, "MIGRATING", idB), "OK");
      assert.equal(await b.clusterSetslot(5, "IMPORTING", idA), "OK");
      assert.deepStrictEqual((await myself(a)).migrating, [
        { slot: 5, nodeId: idB },
      ]);
      assert.deepStrictEqual((await myself(b)).importing, [
        { slot: 5, nodeId: idA },
      ]);
      assert.equal(await b.clusterSetslot(5, "NODE", idB), "OK");
      assert.equal(await a.clusterSetslot(5, "NODE", idB), "OK");
      const nodes = await a.clusterNodes();
      const mine = nodes.find((n) => n.id === idA)!;
      assert.deepStrictEqual(mine.slots, [[0, 4], [6, 16383]]);
      assert.deepStrictEqual(mine.migrating, []);
      assert.deepStrictEqual(nodes.find((n) => n.id === idB)!.slots, [[5, 5]]);
      assert.deepStrictEqual((await myself(b)).importing, []);
      await until(async () => {
        const shards = await c.clusterShards();
        return shards.some((s) =>
          s.nodes.some((n) => n.id === idB) &&
          JSON.stringify(s.slots) === "[[5,5]]"
        );
      }, "the replica to learn of the move");
    },
  );

  await t.step(
    "clusterFailover() promotes the replica; clusterForget() drops a node",
    async () => {
      assert.equal(await c.clusterFailover("TAKEOVER"), "OK");
      await until(async () => {
        const [roleA, roleC] = await Promise.all([a.role(), c.role()]);
        return roleA.role === "replica" && roleC.role === "master";
      }, "the replica to take over");
      const promoted = await myself(c);
      assert.deepStrictEqual(promoted.flags, ["myself", "master"]);
      assert.deepStrictEqual(promoted.slots, [[0, 4], [6, 16383]]);
      await until(
        async () => (await b.clusterReplicas(idC)).length === 1,
        "the other master to learn of the failover",
      );
      assert.deepStrictEqual(
        (await b.clusterReplicas(idC)).map((n) => n.id),
        [idA],
      );

      assert.equal(await b.clusterForget(idA), "OK");
      assert.ok(
        !(await b.clusterNodes()).some((n) => n.id === idA),
        "B still lists A",
      );
      assert.equal((await b.clusterInfo()).cluster_known_nodes, "2");
      assert.equal(await b.clusterReset("SOFT"), "OK");
      const [lone, ...rest] = await b.clusterNodes();
      assert.deepStrictEqual(rest, []);
      assert.deepStrictEqual(lone!.slots, []);
    },
  );
});
