// lib/cluster/topology.ts: CLUSTER SHARDS and CLUSTER SLOTS replies captured
// from real clusters (3 masters; 2 masters + 2 replicas) under RESP2 and
// RESP3 decode to the planned slot map, and to the same Topology; the address
// map; the refresher's single-flight, 250 ms rate limit (on a fake clock),
// SLOTS fallback and keep-the-last-good-topology on failure.

import assert from "node:assert/strict";
import { connect, ReplyError, type RespValue } from "../../mod.ts";
import {
  decodeShards,
  decodeSlots,
  type Topology,
  type TopologyQuery,
  TopologyRefresher,
} from "../../lib/cluster/topology.ts";
import { keySlot } from "../../lib/cluster/slot.ts";
import { type RedisCluster, startRedisCluster } from "../_support/cluster.ts";

interface Captured {
  protocol: 2 | 3;
  shards: RespValue;
  slots: RespValue;
}

/** A plain description of a Topology, for deepEqual. */
function describe(topology: Topology) {
  return topology.shards.map((s) => ({
    master: s.master.address,
    id: s.master.id,
    replicas: s.replicas.map((r) => `${r.address} ${r.id}`).sort(),
    ranges: s.ranges.map(([a, b]) => [a, b]),
  }));
}

/** What the support's plan says the topology is. */
function planned(cluster: RedisCluster) {
  return cluster.masters.map((m) => ({
    master: `127.0.0.1:${m.port}`,
    id: m.id,
    replicas: cluster.replicas.filter((r) => r.masterId === m.id).map((r) =>
      `127.0.0.1:${r.port} ${r.id}`
    ).sort(),
    ranges: m.slots.map(([a, b]) => [a, b]),
  }));
}

/** Captures SHARDS and SLOTS from every node under both protocols. */
async function capture(cluster: RedisCluster): Promise<Captured[]> {
  if (cluster.replicas.length > 0) {
    // A replica with replication offset 0 is "loading" (left out of SLOTS):
    // one write per master moves every offset.
    for (const m of cluster.masters) {
      await using redis = await connect({ port: m.port });
      await redis.send("SET", `{${m.id}}`, "1").catch(() => {});
      assert.equal(
        await redis.send(
          "WAIT",
          cluster.replicas.length / cluster.masters.length,
          5000,
        ),
        1,
      );
    }
    // Every node learns the replicas' offsets through gossip.
    const deadline = Date.now() + 15_000;
    for (const node of cluster.nodes) {
      await using redis = await connect({ port: node.port });
      while (
        decodeSlots(await redis.send("CLUSTER", "SLOTS")).nodes.length <
          cluster.nodes.length ||
        decodeShards(await redis.send("CLUSTER", "SHARDS")).nodes.length <
          cluster.nodes.length
      ) {
        assert.ok(Date.now() < deadline, "replicas never listed as online");
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }
  const out: Captured[] = [];
  for (const node of cluster.nodes) {
    for (const protocol of [2, 3] as const) {
      await using redis = await connect({ port: node.port, protocol });
      out.push({
        protocol,
        shards: await redis.send("CLUSTER", "SHARDS"),
        slots: await redis.send("CLUSTER", "SLOTS"),
      });
    }
  }
  return out;
}

function checkAgainstPlan(cluster: RedisCluster, captured: Captured[]) {
  const plan = planned(cluster);
  for (const { protocol, shards, slots } of captured) {
    // The reply shapes really differ between protocols.
    assert.equal(
      (shards as RespValue[])[0] instanceof Map,
      protocol === 3,
    );
    const fromShards = decodeShards(shards);
    const fromSlots = decodeSlots(slots);
    assert.deepEqual(describe(fromShards), plan, `SHARDS RESP${protocol}`);
    assert.deepEqual(describe(fromSlots), plan, `SLOTS RESP${protocol}`);
    assert.ok(fromShards.complete && fromSlots.complete);
    assert.deepEqual(fromShards.table, fromSlots.table);
    // Every slot's master is its planned owner.
    for (let slot = 0; slot < 16384; slot++) {
      const owner = cluster.ownerOf(slot);
      assert.equal(fromShards.master(slot)!.port, owner.port);
      assert.equal(fromSlots.master(slot)!.id, owner.id);
      assert.deepEqual(
        fromShards.replicas(slot).map((r) => r.id).sort(),
        cluster.replicas.filter((r) => r.masterId === owner.id).map((r) => r.id)
          .sort(),
      );
    }
    assert.deepEqual(
      fromShards.masters.map((m) => m.port),
      cluster.masters.map((m) => m.port),
    );
    assert.equal(fromShards.nodes.length, cluster.nodes.length);
  }
}

Deno.test("decoders: CLUSTER SHARDS and SLOTS of real clusters, RESP2 and RESP3, give the planned Topology", async (t) => {
  await t.step("3 masters", async () => {
    await using cluster = await startRedisCluster({ masters: 3 });
    const captured = await capture(cluster);
    assert.equal(captured.length, 6);
    checkAgainstPlan(cluster, captured);
    // The refresher against the live cluster, through a real client.
    {
      await using redis = await connect({ port: cluster.nodes[1]!.port });
      const refresher = new TopologyRefresher({
        query: (q) => redis.send("CLUSTER", q),
      });
      assert.deepEqual(
        describe(await refresher.refresh("startup")),
        planned(cluster),
      );
      assert.equal(refresher.usesSlots, false);
      // What a server says to a subcommand it lacks is what the fallback
      // looks for (Redis 6 answers CLUSTER SHARDS the same way).
      await assert.rejects(
        redis.send("CLUSTER", "NOSUCHSUB"),
        (e) =>
          e instanceof ReplyError && /unknown (sub)?command/i.test(e.message),
      );
    }
    const topology = decodeShards(captured[0]!.shards);
    assert.equal(
      topology.master(keySlot("foo"))!.port,
      cluster.ownerOf(keySlot("foo")).port,
    );
  });
  await t.step("2 masters + 2 replicas; address map", async () => {
    await using cluster = await startRedisCluster({
      masters: 2,
      replicasPerMaster: 1,
    });
    const captured = await capture(cluster);
    assert.equal(captured.length, 8);
    checkAgainstPlan(cluster, captured);

    // Address map as a record and as a function, applied to masters and
    // replicas alike; unmapped addresses are kept.
    const [first, ...rest] = cluster.nodes;
    const record = { [`127.0.0.1:${first!.port}`]: "redis-a.internal:7000" };
    const fn = (address: string) =>
      address === `127.0.0.1:${first!.port}`
        ? undefined
        : `nat.example:${Number(address.split(":")[1]) + 1}`;
    for (const { shards, slots } of captured) {
      for (
        const topology of [
          decodeShards(shards, { addressMap: record }),
          decodeSlots(slots, { addressMap: record }),
        ]
      ) {
        const mapped = topology.nodes.find((n) => n.id === first!.id)!;
        assert.equal(mapped.address, "redis-a.internal:7000");
        assert.equal(mapped.host, "redis-a.internal");
        assert.equal(mapped.port, 7000);
        for (const node of rest) {
          assert.equal(
            topology.nodes.find((n) => n.id === node.id)!.address,
            `127.0.0.1:${node.port}`,
          );
        }
      }
      for (
        const topology of [
          decodeShards(shards, { addressMap: fn }),
          decodeSlots(slots, { addressMap: fn }),
        ]
      ) {
        assert.equal(
          topology.nodes.find((n) => n.id === first!.id)!.address,
          `127.0.0.1:${first!.port}`,
        );
        for (const node of rest) {
          const seen = topology.nodes.find((n) => n.id === node.id)!;
          assert.equal(seen.address, `nat.example:${node.port + 1}`);
          assert.equal(seen.port, node.port + 1);
        }
        assert.deepEqual(
          describe(decodeShards(shards, { addressMap: fn })),
          describe(decodeSlots(slots, { addressMap: fn })),
        );
      }
    }
    assert.throws(
      () => decodeShards(captured[0]!.shards, { addressMap: () => "no-port" }),
      /not host:port/,
    );
  });
});

Deno.test("decoders: synthetic edge cases", () => {
  // SLOTS with a master over two ranges and a failed/unknown endpoint; binary strings.
  const bytes = (s: string) => new TextEncoder().encode(s);
  const slots: RespValue = [
    [0, 99, [bytes("10.0.0.1"), 7000, bytes("a".repeat(40)), []], [
      "10.0.0.2",
      7001,
      "b".repeat(40),
    ]],
    [100, 199, ["10.0.0.3", 7002, "c".repeat(40)]],
    [200, 16383, ["10.0.0.1", 7000, "a".repeat(40), []], [
      "?",
      7003,
      "d".repeat(40),
    ]],
  ];
  const topology = decodeSlots(slots);
  assert.deepEqual(describe(topology), [
    {
      master: "10.0.0.1:7000",
      id: "a".repeat(40),
      replicas: [`10.0.0.2:7001 ${"b".repeat(40)}`],
      ranges: [[0, 99], [200, 16383]],
    },
    {
      master: "10.0.0.3:7002",
      id: "c".repeat(40),
      replicas: [],
      ranges: [[100, 199]],
    },
  ]);
  assert.equal(topology.master(150)!.address, "10.0.0.3:7002");
  assert.equal(topology.master(16383)!.address, "10.0.0.1:7000");

  // SHARDS: replicas failed or loading are left out; a shard without slots
  // is not a master of the topology; uncovered slots have no master;
  // tls-port with { tls: true }.
  const node = (
    id: string,
    port: number,
    role: string,
    health: string,
    extra: RespValue[] = [],
  ) =>
    new Map<RespValue, RespValue>([
      ["id", id],
      ["port", port],
      ["ip", "10.0.0.9"],
      ["endpoint", ""],
      ...pairs(extra),
      ["role", role],
      ["replication-offset", 5],
      ["health", health],
    ]); // deno-fmt-ignore
  const shards: RespValue = [
    new Map<RespValue, RespValue>([["slots", [0, 10, 20, 30]], ["nodes", [
      node("m1", 7000, "master", "online", ["tls-port", 8000]),
      node("r1", 7001, "replica", "online"),
      node("r2", 7002, "replica", "failed"),
      node("r3", 7003, "replica", "loading"),
    ]]]),
    new Map<RespValue, RespValue>([["slots", []], ["nodes", [node("m2", 7004, "master", "online")]]]),
  ];
  const partial = decodeShards(shards);
  assert.equal(partial.complete, false);
  assert.equal(partial.shards.length, 1);
  assert.deepEqual(partial.shards[0]!.ranges, [[0, 10], [20, 30]]);
  assert.deepEqual(partial.replicas(5).map((r) => r.address), [
    "10.0.0.9:7001",
  ]);
  assert.equal(partial.master(15), undefined);
  assert.deepEqual(partial.replicas(15), []);
  assert.equal(
    decodeShards(shards, { tls: true }).master(0)!.address,
    "10.0.0.9:8000",
  );

  assert.throws(() => decodeSlots("nope"), TypeError);
  assert.throws(
    () => decodeSlots([[0, 16384, ["h", 1, "x"]]]),
    /out of bounds/,
  );
  assert.throws(() => decodeShards([["slots", [0]]]), TypeError);
});

function pairs(flat: RespValue[]): [RespValue, RespValue][] {
  const out: [RespValue, RespValue][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

// ------------------------------------------------------------ refresher

/** A fake clock: sleep() resolves when advance() passes its deadline. */
class FakeClock {
  time = 0;
  #timers: { at: number; resolve: () => void }[] = [];
  now = () => this.time;
  sleep = (ms: number) =>
    new Promise<void>((resolve) =>
      this.#timers.push({ at: this.time + ms, resolve })
    );
  /** Moves time forward by `ms`, firing due timers and letting promises settle. */
  async advance(ms: number): Promise<void> {
    this.time += ms;
    const due = this.#timers.filter((t) => t.at <= this.time);
    this.#timers = this.#timers.filter((t) => t.at > this.time);
    for (const t of due) t.resolve();
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

const SHARDS_REPLY: RespValue = [
  ["slots", [0, 16383], "nodes", [[
    "id",
    "a",
    "port",
    7000,
    "ip",
    "h",
    "endpoint",
    "h",
    "role",
    "master",
    "health",
    "online",
  ]]],
];
const SLOTS_REPLY: RespValue = [[0, 16383, ["h", 7000, "a"]]];

Deno.test("TopologyRefresher: 100 concurrent refresh() calls send one query", async () => {
  const clock = new FakeClock();
  const sent: TopologyQuery[] = [];
  const refresher = new TopologyRefresher({
    query: (q) => {
      sent.push(q);
      return Promise.resolve(SHARDS_REPLY);
    },
    now: clock.now,
    sleep: clock.sleep,
  });
  const results = await Promise.all(
    Array.from({ length: 100 }, (_, i) => refresher.refresh(`caller ${i}`)),
  );
  assert.deepEqual(sent, ["SHARDS"]);
  assert.ok(results.every((t) => t === refresher.topology));
  assert.equal(refresher.topology!.master(0)!.address, "h:7000");
});

Deno.test("TopologyRefresher: a burst over 1 s of fake time costs at most 5 queries", async () => {
  const clock = new FakeClock();
  const starts: number[] = [];
  const refresher = new TopologyRefresher({
    query: () => {
      starts.push(clock.time);
      // Each query takes 3 ms of fake time.
      return clock.sleep(3).then(() => SHARDS_REPLY);
    },
    now: clock.now,
    sleep: clock.sleep,
  });
  const calls: Promise<Topology>[] = [];
  for (let t = 0; t <= 1000; t++) {
    calls.push(refresher.refresh("MOVED"));
    await clock.advance(1);
  }
  await clock.advance(1000);
  await Promise.all(calls);
  assert.deepEqual(starts, [0, 250, 500, 750, 1000]);
  for (let i = 1; i < starts.length; i++) {
    assert.ok(starts[i]! - starts[i - 1]! >= 250);
  }
  assert.equal(refresher.queries, 5);

  // A call long after the window queries at once.
  clock.time += 5000;
  const before = starts.length;
  const late = refresher.refresh("periodic");
  await settle();
  assert.equal(starts.length, before + 1);
  assert.equal(starts.at(-1), clock.time);
  await clock.advance(3);
  await late;
});

Deno.test("TopologyRefresher: falls back to CLUSTER SLOTS when SHARDS is unknown, and stays there", async () => {
  const clock = new FakeClock();
  const sent: TopologyQuery[] = [];
  const refresher = new TopologyRefresher({
    query: (q) => {
      sent.push(q);
      return q === "SHARDS"
        ? Promise.reject(
          new ReplyError(
            "ERR Unknown subcommand or wrong number of arguments for 'SHARDS'. Try CLUSTER HELP.",
            "CLUSTER",
          ),
        )
        : Promise.resolve(SLOTS_REPLY);
    },
    now: clock.now,
    sleep: clock.sleep,
  });
  const topology = await refresher.refresh("startup");
  assert.equal(topology.master(100)!.address, "h:7000");
  assert.ok(refresher.usesSlots);
  const next = refresher.refresh("MOVED");
  await clock.advance(250);
  await next;
  assert.deepEqual(sent, ["SHARDS", "SLOTS", "SLOTS"]);
});

Deno.test("TopologyRefresher: a failed query keeps the last good topology and reports the error", async () => {
  const clock = new FakeClock();
  const errors: [unknown, string][] = [];
  let mode: "ok" | "down" | "garbage" | "other-error" = "ok";
  const refresher = new TopologyRefresher({
    query: () => {
      if (mode === "down") {
        return Promise.reject(new Error("connection refused"));
      }
      if (mode === "other-error") {
        return Promise.reject(
          new ReplyError("CLUSTERDOWN The cluster is down", "CLUSTER"),
        );
      }
      if (mode === "garbage") return Promise.resolve("OK");
      return Promise.resolve(SHARDS_REPLY);
    },
    now: clock.now,
    sleep: clock.sleep,
    onError: (error, reason) => errors.push([error, reason]),
  });
  // No topology yet, and the first query fails.
  mode = "down";
  await assert.rejects(refresher.refresh("startup"), /connection refused/);
  assert.equal(refresher.topology, undefined);

  mode = "ok";
  clock.time += 250;
  const good = await refresher.refresh("retry");
  assert.equal(refresher.topology, good);

  for (
    const [m, pattern] of [["down", /refused/], ["garbage", TypeError], [
      "other-error",
      /CLUSTERDOWN/,
    ]] as const
  ) {
    mode = m;
    clock.time += 250;
    await assert.rejects(refresher.refresh(`reason ${m}`), pattern);
    assert.equal(refresher.topology, good);
  }
  assert.deepEqual(errors.map(([, r]) => r), [
    "startup",
    "reason down",
    "reason garbage",
    "reason other-error",
  ]);
  // CLUSTERDOWN is not "unknown subcommand": no fallback to SLOTS.
  assert.equal(refresher.usesSlots, false);
});
