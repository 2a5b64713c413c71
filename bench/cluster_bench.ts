// Redis Cluster workloads (issue 11) on a local 3-master cluster (no
// replicas) and a one-master cluster, both started here with the test
// support code: GET with 1,000 in flight, 100 concurrent callers awaiting
// their GETs, MGET of 100 keys across slots; and on the one-master cluster,
// the cluster clients against plain connections to the same node. Peers:
// ioredis' Cluster and node-redis 6's createCluster. See README "Benchmarks".

import { connect, connectCluster, type Redis } from "../mod.ts";
import { keySlot } from "../lib/cluster/slot.ts";
import {
  type RedisCluster,
  type RedisClusterNode,
  startRedisCluster,
} from "../tests/_support/cluster.ts";
import {
  CLUSTER_PEER_NAMES,
  type ClusterPeerName,
  connectClusterPeer,
  connectPeer,
} from "./peers/peers.ts";
import { VALUE_100, warmUp, withPeers } from "./_setup.ts";

/** What every cluster bench needs of a client. */
interface ClusterClient {
  readonly name: string;
  get(key: string): Promise<string | null>;
  /** MGET of keys in any slots, values in the keys' order. */
  mget(keys: readonly string[]): Promise<(string | null)[]>;
  close(): Promise<void>;
}

const [cluster, single] = await Promise.all([
  startRedisCluster({ masters: 3 }),
  // A lone node never meets another, so it does not know its own IP and
  // CLUSTER SLOTS announces "" for it: ioredis then ignores the only node
  // and retries forever. Announcing the address gives every client a host.
  startRedisCluster({
    masters: 1,
    args: ["--cluster-announce-ip", "127.0.0.1"],
  }),
]);
// The nodes are killed when the module unloads (no await there).
globalThis.addEventListener("unload", () => {
  for (const node of [...cluster.nodes, ...single.nodes]) {
    node.server.kill("SIGKILL");
    Deno.removeSync(node.server.dir, { recursive: true });
  }
});

const KEYS = 1_000;
const keys = Array.from({ length: KEYS }, (_, i) => `bench:cluster:${i}`);
/** 100 keys in 100 different slots, over all three masters. */
const mgetKeys = keys.slice(0, 100);

/** Writes the bench keys through plain connections to their slots' owners. */
async function fill(c: RedisCluster): Promise<void> {
  const conns = new Map<RedisClusterNode, Redis>();
  for (const node of c.masters) conns.set(node, await connect(node.url));
  await Promise.all(
    keys.map((key) => conns.get(c.ownerOf(keySlot(key)))!.set(key, VALUE_100)),
  );
  for (const redis of conns.values()) await redis.close();
}
await fill(cluster);
await fill(single);

/** Splits `keys` per slot, for clients that cannot MGET across slots. */
function perSlot(list: readonly string[]): { slot: string[]; at: number[] }[] {
  const groups = new Map<number, { slot: string[]; at: number[] }>();
  list.forEach((key, i) => {
    const slot = keySlot(key);
    let group = groups.get(slot);
    if (group === undefined) groups.set(slot, group = { slot: [], at: [] });
    group.slot.push(key);
    group.at.push(i);
  });
  return [...groups.values()];
}

/** MGET as one MGET per slot, in parallel, merged back in order. */
async function splitMget(
  mget: (keys: string[]) => Promise<(string | null)[]>,
  list: readonly string[],
): Promise<(string | null)[]> {
  const groups = perSlot(list);
  const replies = await Promise.all(groups.map((g) => mget(g.slot)));
  const values: (string | null)[] = new Array(list.length);
  groups.forEach((g, k) => {
    g.at.forEach((i, j) => values[i] = replies[k]![j]!);
  });
  return values;
}

/**
 * A peer's cluster client on `c`. ioredis rejects an MGET whose keys span
 * slots with CROSSSLOT (it neither splits nor merges), so its MGET here is
 * the split a user has to write: one MGET per slot (100 of them), in
 * parallel, merged back in order. node-redis 6 splits by itself; should it
 * reject, it gets the same split and says so.
 */
async function clusterPeer(
  c: RedisCluster,
  name: ClusterPeerName,
): Promise<ClusterClient> {
  const peer = await connectClusterPeer(name, c.masters);
  let splits = name !== "node-redis 6 createCluster";
  if (!splits) {
    try {
      const got = await peer.mget([...mgetKeys]);
      splits = !got.every((v) => v === VALUE_100);
    } catch {
      splits = true;
    }
    if (splits) {
      // deno-lint-ignore no-console
      console.log(`${name}: cross-slot MGET failed, split per slot here`);
    }
  }
  return {
    name,
    get: (key) => peer.get(key),
    mget: splits
      ? (list) => splitMget((slot) => peer.mget(slot), list)
      : (list) => peer.mget([...list]),
    close: () => peer.close(),
  };
}

/**
 * The reference: sleeve's plain connect() to each master, each key routed
 * by hand with keySlot (what a cluster client does at best, without its
 * bookkeeping), MGET split per slot.
 */
async function byHand(c: RedisCluster): Promise<ClusterClient> {
  const conns = await Promise.all(c.masters.map((n) => connect(n.url)));
  const owner = new Array<Redis>(16384);
  c.masters.forEach((node, i) => {
    for (const [start, end] of node.slots) {
      for (let s = start; s <= end; s++) owner[s] = conns[i]!;
    }
  });
  return {
    name: "sleeve connect() per master, routed by hand (reference)",
    get: (key) => owner[keySlot(key)]!.get(key),
    mget: (list) =>
      splitMget((slot) => owner[keySlot(slot[0]!)]!.mget(...slot), list),
    close: async () => {
      for (const redis of conns) await redis.close();
    },
  };
}

async function sleeveCluster(c: RedisCluster): Promise<ClusterClient> {
  const client = await connectCluster(c.masters.map((n) => n.url));
  return {
    name: "sleeve connectCluster()",
    get: (key) => client.get(key),
    mget: (list) => client.mget(...list),
    close: () => client.close(),
  };
}

const sleeve = await sleeveCluster(cluster);
const reference = await byHand(cluster);
const peers: ClusterClient[] = [];
if (withPeers) {
  for (const name of CLUSTER_PEER_NAMES) {
    peers.push(await clusterPeer(cluster, name));
  }
}
const clients = [sleeve, reference, ...peers];

// Every client reads the right values before anything is timed.
for (const client of clients) {
  const values = await client.mget(mgetKeys);
  if (
    values.length !== mgetKeys.length || values.some((v) => v !== VALUE_100) ||
    await client.get(keys[KEYS - 1]!) !== VALUE_100
  ) {
    throw new Error(`${client.name}: wrong values`);
  }
}

const IN_FLIGHT = 1_000;
const gets: Promise<unknown>[] = new Array(IN_FLIGHT);
async function getMany(client: { get(key: string): Promise<unknown> }) {
  for (let i = 0; i < IN_FLIGHT; i++) gets[i] = client.get(keys[i]!);
  await Promise.all(gets);
}

const CALLERS = 100;
const PER_CALLER = KEYS / CALLERS;
async function callers(client: ClusterClient) {
  const caller = async (c: number) => {
    for (let i = 0; i < PER_CALLER; i++) {
      await client.get(keys[c * PER_CALLER + i]!);
    }
  };
  const all: Promise<void>[] = [];
  for (let c = 0; c < CALLERS; c++) all.push(caller(c));
  await Promise.all(all);
}

for (const client of clients) {
  await warmUp(() => getMany(client));
  await warmUp(() => callers(client));
  await warmUp(() => client.mget(mgetKeys));
}

/** One entry per client; the first is the baseline. */
function group(
  name: string,
  list: readonly ClusterClient[],
  fn: (client: ClusterClient) => Promise<unknown>,
) {
  list.forEach((client, i) => {
    Deno.bench({
      group: name,
      name: client.name,
      baseline: i === 0,
      async fn() {
        await fn(client);
      },
    });
  });
}

group("cluster (3 masters): GET 100 B × 1,000 in flight", clients, getMany);
group(
  "cluster (3 masters): GET × 100 concurrent callers (1,000 GETs)",
  clients,
  callers,
);
group(
  "cluster (3 masters): MGET of 100 keys across slots",
  clients,
  (client) => client.mget(mgetKeys),
);

// One master serving every slot: the cluster client against a plain
// connection to the same node (the target: within 10%), and the
// peers' cluster clients against their own plain clients.
const node = single.masters[0]!;
const plain = await connect(node.url);
const singleSleeve = await sleeveCluster(single);
const singlePeers: { get(key: string): Promise<unknown>; name: string }[] =
  withPeers
    ? [
      await clusterPeer(single, "ioredis Cluster (auto-pipelining)"),
      await connectPeer("ioredis (auto-pipelining)", node.port),
      await clusterPeer(single, "node-redis 6 createCluster"),
      await connectPeer("node-redis 6", node.port),
    ]
    : [];
const singleClients = [
  { name: "sleeve connect()", get: (key: string) => plain.get(key) },
  singleSleeve,
  ...singlePeers,
];
for (const client of singleClients) await warmUp(() => getMany(client));
singleClients.forEach((client, i) => {
  Deno.bench({
    group: "one-master cluster: GET 100 B × 1,000 in flight, cluster vs plain",
    name: client.name,
    baseline: i === 0,
    async fn() {
      await getMany(client);
    },
  });
});
