// Owns throwaway Redis Clusters for tests: starts cluster-mode redis-servers
// on free loopback ports (client and bus port both picked free), meets them,
// gives the masters the 16384 slots in even contiguous ranges, attaches the
// replicas, and waits until every node says cluster_state:ok and all agree
// on the slot map. Dispose SIGKILLs every node and removes its directory.
// Also operates a running cluster the way the resharding and failover tests
// need: reshard, migrate one slot by hand, fail over, kill, stop, restart,
// read the live topology, count topology queries, check a ledger. Nodes may
// also serve TLS (one CA, TLS bus and replication) and require credentials.

import {
  type ClusterNode,
  connect,
  type Redis,
  ReplyError,
  type SlotRange,
} from "../../mod.ts";
import { keySlot } from "../../lib/cluster/slot.ts";
import { commandCalls, resetCommandStats } from "./commandstats.ts";
import {
  type RedisServer,
  startRedisServer,
  type TlsCerts,
} from "./redis_server.ts";
import type { Ledger } from "./workload.ts";

/** Options of {@linkcode startRedisCluster}. */
export interface RedisClusterOptions {
  /**
   * Masters sharing the slots (default 3). A lone node meets nobody, so it
   * does not learn its own IP: CLUSTER SLOTS/SHARDS/NODES give `""` for it
   * unless `args` has `--cluster-announce-ip 127.0.0.1`.
   */
  masters?: number;
  /** Replicas attached to each master (default 0). */
  replicasPerMaster?: number;
  /** `--cluster-node-timeout` in ms (default 2000). */
  nodeTimeoutMs?: number;
  /** Extra redis-server arguments for every node. */
  args?: string[];
  /** How long to wait for the cluster to form (default 30 s). */
  readyTimeoutMs?: number;
  /**
   * Every node also serves TLS on its `tlsPort`, with certs from one test CA
   * (`certs.caCert`), `tls-cluster yes` and `tls-replication yes`: the bus
   * and replication run over TLS, and nodes announce their TLS ports (CLUSTER
   * SHARDS `tls-port`; CLUSTER SLOTS, NODES and MOVED give the TLS port to a
   * TLS connection and the plain one to a plain connection). The plain port
   * stays open (this module operates the cluster through it).
   */
  tls?: boolean;
  /**
   * Every node requires these credentials, replicas included (they
   * authenticate to their master with them). A `password` alone is the
   * default user's (`requirepass`, `masterauth`); with a `username`, that ACL
   * user is created with every permission and the default user is turned
   * off (`masteruser`). This module authenticates with them too.
   */
  auth?: ClusterAuth;
}

/** Credentials every node of a cluster requires (see {@linkcode RedisClusterOptions.auth}). */
export interface ClusterAuth {
  username?: string;
  password: string;
}

/** One node of a {@linkcode RedisCluster}. */
export interface RedisClusterNode {
  readonly host: "127.0.0.1";
  readonly port: number;
  readonly busPort: number;
  /** `redis://127.0.0.1:<port>`, never with credentials. */
  readonly url: string;
  /** Its TLS port, with `tls`. */
  readonly tlsPort?: number;
  /** `rediss://127.0.0.1:<tlsPort>`, with `tls`. */
  readonly tlsUrl?: string;
  /** Its cluster node id (40 hex digits). */
  readonly id: string;
  /** Its role when the cluster formed (a failover changes it). */
  readonly role: "master" | "replica";
  /** For a replica, its master's id when the cluster formed. */
  readonly masterId?: string;
  /** The slot ranges (inclusive) a master served when the cluster formed; none for a replica. */
  readonly slots: readonly (readonly [start: number, end: number])[];
  /** The process, to kill, stop or restart it. */
  readonly server: RedisServer;
}

/** A running throwaway cluster. */
export interface RedisCluster extends AsyncDisposable {
  /** Every node: masters first (in slot order), then replicas. */
  readonly nodes: readonly RedisClusterNode[];
  readonly masters: readonly RedisClusterNode[];
  readonly replicas: readonly RedisClusterNode[];
  /** Milliseconds from the first process start to the cluster being ready. */
  readonly startupMs: number;
  /** With `tls`: the test certs every node serves (`caCert` verifies them all). */
  readonly certs?: TlsCerts;
  /** The master serving `slot` when the cluster formed. */
  ownerOf(slot: number): RedisClusterNode;
}

const HOST = "127.0.0.1";
const SLOTS = 16384;
const POLL_MS = 20;
const START_ATTEMPTS = 5;

/**
 * Starts a Redis Cluster of fresh processes and resolves once every node
 * reports `cluster_state:ok`, knows every other node and agrees on the slot
 * map (and every replica's link to its master is up). Release it with
 * `await using`.
 *
 * Takes about 2.05 s here whatever the size: a master keeps its state at
 * `fail` for 2 s after it first evaluates it (CLUSTER_WRITABLE_DELAY in the
 * server); meeting, slots and replication all fit in that window.
 */
export async function startRedisCluster(
  options: RedisClusterOptions = {},
): Promise<RedisCluster> {
  const masters = options.masters ?? 3;
  const perMaster = options.replicasPerMaster ?? 0;
  if (!Number.isInteger(masters) || masters < 1 || masters > SLOTS) {
    throw new RangeError("Cannot start a cluster: masters must be 1 to 16384");
  }
  if (!Number.isInteger(perMaster) || perMaster < 0) {
    throw new RangeError(
      "Cannot start a cluster: replicasPerMaster must be a non-negative integer",
    );
  }
  const count = masters * (1 + perMaster);
  const began = performance.now();
  const started = await Promise.allSettled(
    Array.from({ length: count }, () => startNode(options)),
  );
  const servers: { server: RedisServer; busPort: number }[] = [];
  for (const result of started) {
    if (result.status === "fulfilled") servers.push(result.value);
  }
  const disposeAll = async () => {
    await Promise.allSettled(
      servers.map(({ server }) => server[Symbol.asyncDispose]()),
    );
  };
  const failed = started.find((r) => r.status === "rejected");
  if (failed) {
    await disposeAll();
    throw (failed as PromiseRejectedResult).reason;
  }

  const clients: Redis[] = [];
  try {
    for (const { server } of servers) {
      clients.push(await connect({ port: server.port, ...options.auth }));
    }
    const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
    const ids = await Promise.all(clients.map((c) => c.clusterMyid()));
    // Distinct epochs before meeting, as redis-cli does: no epoch collisions
    // to resolve, so the slot map settles sooner.
    await Promise.all(
      clients.map((c, i) => c.clusterSetConfigEpoch(i + 1)),
    );
    const nodes: RedisClusterNode[] = servers.map(({ server, busPort }, i) => {
      const master = i < masters ? i : (i - masters) % masters;
      const slots: [number, number][] = i < masters
        ? [[
          Math.floor(i * SLOTS / masters),
          Math.floor((i + 1) * SLOTS / masters) - 1,
        ]]
        : [];
      return {
        host: HOST,
        port: server.port,
        busPort,
        url: server.url,
        ...(server.tlsPort === undefined
          ? {}
          : { tlsPort: server.tlsPort, tlsUrl: server.tlsUrl! }),
        id: ids[i]!,
        role: i < masters ? "master" : "replica",
        ...(i < masters ? {} : { masterId: ids[master]! }),
        slots,
        server,
      };
    });
    // Every pair meets once: learning of each other through gossip alone
    // took 1 to 7 s here.
    await Promise.all(
      nodes.flatMap((n, j) =>
        clients.slice(0, j).map((c) => c.clusterMeet(HOST, n.port, n.busPort))
      ),
    );
    await Promise.all(
      nodes.slice(0, masters).map((n, i) =>
        clients[i]!.clusterAddslotsrange(...n.slots)
      ),
    );
    // CLUSTER REPLICATE needs the replica to know its master first.
    await waitFor(deadline, "every node to know every other node", async () => {
      const views = await Promise.all(clients.map((c) => c.clusterNodes()));
      return views.every((view) =>
        view.length === count &&
        view.every((n) => !n.flags.includes("handshake"))
      );
    });
    await Promise.all(
      nodes.slice(masters).map((n, i) =>
        clients[masters + i]!.clusterReplicate(n.masterId!)
      ),
    );
    await waitFor(deadline, "cluster_state:ok and one slot map", async () => {
      const infos = await Promise.all(clients.map((c) => c.clusterInfo()));
      if (!infos.every((info) => info.cluster_state === "ok")) return false;
      const views = await Promise.all(clients.map((c) => c.clusterNodes()));
      if (!views.every((view) => agrees(view, nodes))) return false;
      const links = await Promise.all(
        clients.slice(masters).map((c) => c.send("INFO", "replication")),
      );
      return links.every((info) =>
        String(info).includes("master_link_status:up")
      );
    });
    const startupMs = Math.round(performance.now() - began);
    if (options.auth !== undefined) {
      for (const node of nodes) logins.set(node, options.auth);
    }
    const certs = servers[0]!.server.certs;
    return {
      nodes,
      masters: nodes.slice(0, masters),
      replicas: nodes.slice(masters),
      startupMs,
      ...(certs === undefined ? {} : { certs }),
      ownerOf(slot: number): RedisClusterNode {
        const owner = nodes.find((n) =>
          n.slots.some(([start, end]) => slot >= start && slot <= end)
        );
        if (owner === undefined) {
          throw new RangeError(`Cannot find the owner of slot ${slot}`);
        }
        return owner;
      },
      [Symbol.asyncDispose]: disposeAll,
    };
  } catch (error) {
    await disposeAll();
    throw error;
  } finally {
    await Promise.allSettled(clients.map((c) => c.close()));
  }
}

/** Whether one node's CLUSTER NODES matches the plan: every node, role, master and slot range. */
function agrees(view: ClusterNode[], plan: RedisClusterNode[]): boolean {
  if (view.length !== plan.length) return false;
  for (const planned of plan) {
    const seen = view.find((n) => n.id === planned.id);
    if (seen === undefined || seen.port !== planned.port) return false;
    if (
      seen.flags.some((f) => f === "fail" || f === "fail?" || f === "handshake")
    ) {
      return false;
    }
    if (planned.role === "master") {
      if (!seen.flags.includes("master")) return false;
      if (seen.slots.length !== planned.slots.length) return false;
      for (let r = 0; r < planned.slots.length; r++) {
        const [start, end] = planned.slots[r]!;
        if (seen.slots[r]![0] !== start || seen.slots[r]![1] !== end) {
          return false;
        }
      }
    } else if (
      !seen.flags.includes("slave") || seen.masterId !== planned.masterId
    ) {
      return false;
    }
  }
  return true;
}

/** A cluster-mode redis-server with a free bus port (port + 10000 may not exist). */
async function startNode(
  options: RedisClusterOptions,
): Promise<{ server: RedisServer; busPort: number }> {
  for (let attempt = 1;; attempt++) {
    const listener = Deno.listen({ hostname: HOST, port: 0 });
    const busPort = listener.addr.port;
    listener.close();
    try {
      const server = await startRedisServer({
        tls: options.tls ?? false,
        args: [
          "--cluster-enabled",
          "yes",
          "--cluster-port",
          String(busPort),
          "--cluster-node-timeout",
          String(options.nodeTimeoutMs ?? 2000),
          // A replica syncs at once, without waiting for others to join it.
          "--repl-diskless-sync-delay",
          "0",
          ...options.tls
            ? ["--tls-cluster", "yes", "--tls-replication", "yes"]
            : [],
          ...authArgs(options.auth),
          ...options.args ?? [],
        ],
      }); // deno-fmt-ignore
      return { server, busPort };
    } catch (error) {
      // The bus port was taken between our probe and redis' bind.
      if (attempt < START_ATTEMPTS && /in use/i.test(String(error))) continue;
      throw error;
    }
  }
}

/** redis-server arguments making every node require `auth` (replicas included). */
function authArgs(auth: ClusterAuth | undefined): string[] {
  if (auth === undefined) return [];
  const { username, password } = auth;
  if (username === undefined) {
    return ["--requirepass", password, "--masterauth", password];
  }
  return [
    "--user",
    username,
    "on",
    `>${password}`,
    "~*",
    "&*",
    "+@all",
    "--user",
    "default",
    "off",
    "--masteruser",
    username,
    "--masterauth",
    password,
  ]; // deno-fmt-ignore
}

async function waitFor(
  deadline: number,
  what: string,
  ready: () => Promise<boolean>,
): Promise<void> {
  while (!(await ready())) {
    if (Date.now() > deadline) {
      throw new Error(`Cannot start a cluster: timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

// ---------------------------------------------------------------------------
// Operating a running cluster. Formation-time roles go stale after a
// failover: every operation below reads who serves what from the live nodes.

/** What this module knows of a node: whether its process is down, its own topology queries. */
interface NodeState {
  /** Killed or stopped through this module (a live node answers). */
  down: boolean;
  /** CLUSTER NODES/SHARDS this module sent it since its counters were reset. */
  own: { nodes: number; shards: number };
  /** The slots it served when killMaster() killed it. */
  killedSlots?: readonly SlotRange[];
}

const states = new WeakMap<RedisClusterNode, NodeState>();

/** The credentials of the nodes of a cluster started with `auth`. */
const logins = new WeakMap<RedisClusterNode, ClusterAuth>();

function stateOf(node: RedisClusterNode): NodeState {
  let state = states.get(node);
  if (state === undefined) {
    state = { down: false, own: { nodes: 0, shards: 0 } };
    states.set(node, state);
  }
  return state;
}

/** The nodes whose process runs and answers: not killed or stopped through this module. */
export function liveNodes(cluster: RedisCluster): RedisClusterNode[] {
  return cluster.nodes.filter((node) => !stateOf(node).down);
}

/** A connection of this module's own: no reconnection, bounded waits. */
function open(node: RedisClusterNode): Promise<Redis> {
  return connect({
    port: node.port,
    ...logins.get(node),
    reconnect: false,
    connectTimeout: 2_000,
    commandTimeout: 10_000,
  });
}

/** Runs `body` with one connection per node, closed afterwards. */
async function withClients<T>(
  nodes: readonly RedisClusterNode[],
  body: (clients: Redis[]) => Promise<T>,
): Promise<T> {
  const clients: Redis[] = [];
  try {
    for (const node of nodes) clients.push(await open(node));
    return await body(clients);
  } finally {
    await Promise.allSettled(clients.map((c) => c.close()));
  }
}

/** CLUSTER NODES, counted as this module's own topology query. */
function nodesView(
  node: RedisClusterNode,
  redis: Redis,
): Promise<ClusterNode[]> {
  stateOf(node).own.nodes++;
  return redis.clusterNodes();
}

/** The slot map a node's CLUSTER NODES describes, as comparable text. */
function slotMapOf(view: readonly ClusterNode[]): string {
  return view.filter((n) => n.slots.length > 0)
    .map((n) => `${n.id}=${n.slots.map(([s, e]) => `${s}-${e}`).join(",")}`)
    .sort().join(" ");
}

/** Whether every view shows the same slot map and no slot being migrated. */
function agreed(views: readonly (readonly ClusterNode[])[]): boolean {
  const map = slotMapOf(views[0]!);
  return views.every((view) =>
    slotMapOf(view) === map &&
    view.every((n) => n.migrating.length === 0 && n.importing.length === 0)
  );
}

/** The node `id` serves `slot` in `view`. */
function serves(view: readonly ClusterNode[], id: string, slot: number) {
  const node = view.find((n) => n.id === id);
  return node !== undefined &&
    node.slots.some(([start, end]) => slot >= start && slot <= end);
}

function countSlots(ranges: readonly SlotRange[]): number {
  let n = 0;
  for (const [start, end] of ranges) n += end - start + 1;
  return n;
}

/**
 * Polls CLUSTER NODES on every live node until `ready` holds for their views
 * (in `liveNodes` order); rejects after `timeoutMs`, naming `what`.
 */
async function waitForViews(
  cluster: RedisCluster,
  what: string,
  timeoutMs: number,
  ready: (views: ClusterNode[][]) => boolean,
): Promise<void> {
  const nodes = liveNodes(cluster);
  const deadline = performance.now() + timeoutMs;
  await withClients(nodes, async (clients) => {
    for (;;) {
      const views = await Promise.all(
        clients.map((c, i) => nodesView(nodes[i]!, c)),
      );
      if (ready(views)) return;
      if (performance.now() > deadline) {
        throw new Error(`Cannot ${what}: timed out after ${timeoutMs} ms`);
      }
      await delay(POLL_MS);
    }
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One shard as a live node describes it now. */
export interface LiveShard {
  /** Its master now (formation-time roles rotate with failovers). */
  readonly master: RedisClusterNode;
  /** Its replicas now. */
  readonly replicas: readonly RedisClusterNode[];
  /** The slots it serves now (none for a failed master replaced by its replica). */
  readonly slots: readonly SlotRange[];
  /** The master's health: `"online"`, `"loading"`, or `"fail"` (7.0) / `"failed"` (later). */
  readonly health: string;
}

/** The cluster as one live node sees it now (CLUSTER SHARDS). */
export interface LiveTopology {
  /** Every shard, in slot order; those without slots last. */
  readonly shards: readonly LiveShard[];
  /** Masters serving slots, not failed, in slot order. */
  readonly masters: readonly RedisClusterNode[];
  /** Replicas not failed. */
  readonly replicas: readonly RedisClusterNode[];
  /** Nodes the answering node reports as failed. */
  readonly failed: readonly RedisClusterNode[];
  /** The node that answered. */
  readonly answeredBy: RedisClusterNode;
  /** The master serving `slot` now; undefined for an unserved slot. */
  ownerOf(slot: number): RedisClusterNode | undefined;
  /** How many slots `node` serves now. */
  slotCount(node: RedisClusterNode): number;
}

/**
 * Reads CLUSTER SHARDS from the first live node (in `cluster.nodes` order,
 * or `from`): who is master, who replicates whom and which slots each
 * serves, now.
 */
export async function currentTopology(
  cluster: RedisCluster,
  from?: RedisClusterNode,
): Promise<LiveTopology> {
  const node = from ?? liveNodes(cluster)[0];
  if (node === undefined) {
    throw new Error("Cannot read the topology: no live node");
  }
  const reply = await withClients([node], ([redis]) => {
    stateOf(node).own.shards++;
    return redis!.clusterShards();
  });
  const byId = (id: string) => {
    const found = cluster.nodes.find((n) => n.id === id);
    if (found === undefined) {
      throw new Error(`Cannot read the topology: unknown node ${id}`);
    }
    return found;
  };
  const shards: LiveShard[] = [];
  const replicas: RedisClusterNode[] = [];
  const failed: RedisClusterNode[] = [];
  // Redis 7.0 reports a replica whose replication offset is still 0 (no
  // write since it attached) as "loading", and a failed node as "fail"
  // (later versions: "failed").
  const down = (health: string) => health === "fail" || health === "failed";
  for (const shard of reply) {
    const master = shard.nodes.find((n) => n.role === "master");
    if (master === undefined) continue;
    const shardReplicas: RedisClusterNode[] = [];
    for (const n of shard.nodes) {
      if (down(n.health)) failed.push(byId(n.id));
      if (n.role === "master") continue;
      shardReplicas.push(byId(n.id));
      if (!down(n.health)) replicas.push(byId(n.id));
    }
    shards.push({
      master: byId(master.id),
      replicas: shardReplicas,
      slots: shard.slots,
      health: master.health,
    });
  }
  // Slot order (the formation order), shards without slots last.
  const first = (s: LiveShard) => s.slots[0]?.[0] ?? Infinity;
  shards.sort((a, b) => first(a) - first(b));
  const masters = shards.filter((s) => !down(s.health) && s.slots.length)
    .map((s) => s.master);
  return {
    shards,
    masters,
    replicas,
    failed,
    answeredBy: node,
    ownerOf(slot: number) {
      return shards.find((s) =>
        s.slots.some(([start, end]) => slot >= start && slot <= end)
      )?.master;
    },
    slotCount(node: RedisClusterNode) {
      return shards.filter((s) => s.master === node)
        .reduce((n, s) => n + countSlots(s.slots), 0);
    },
  };
}

let tags: string[] | undefined;

/**
 * A short hash tag whose keys hash to `slot`: `{${slotTag(s)}}anything` is
 * in slot `s`. The table of all 16384 is found once (about 20 ms).
 */
export function slotTag(slot: number): string {
  if (tags === undefined) {
    const table: string[] = new Array(SLOTS);
    let found = 0;
    for (let i = 0; found < SLOTS; i++) {
      const tag = i.toString(36);
      const s = keySlot(tag);
      if (table[s] === undefined) {
        table[s] = tag;
        found++;
      }
    }
    tags = table;
  }
  const tag = tags[slot];
  if (tag === undefined) throw new RangeError(`Cannot tag slot ${slot}`);
  return tag;
}

/** The slots in `ranges`, in order. */
export function slotsIn(ranges: readonly SlotRange[]): number[] {
  const slots: number[] = [];
  for (const [start, end] of ranges) {
    for (let s = start; s <= end; s++) slots.push(s);
  }
  return slots;
}

/**
 * `count` keys served by `node` in `topology`, `${prefix}:{tag}:<n>`, spread
 * round-robin over its slots: for the latency of a healthy shard while
 * another is down, or the load on a slot being moved.
 */
export function keysServedBy(
  topology: LiveTopology,
  node: RedisClusterNode,
  count: number,
  prefix = "key",
): string[] {
  const slots = slotsIn(
    topology.shards.filter((s) => s.master === node).flatMap((s) => s.slots),
  );
  if (slots.length === 0) {
    throw new Error(`Cannot pick keys: ${node.port} serves no slots now`);
  }
  return Array.from(
    { length: count },
    (_, n) => `${prefix}:{${slotTag(slots[n % slots.length]!)}}:${n}`,
  );
}

/**
 * Writes `keysPerSlot` keys of `valueBytes` bytes into each of `slots`,
 * through a connection to each slot's owner now, pipelined; resolves to
 * the keys. For a reshard that has keys to move (redis-cli moves a
 * source's lowest slots first).
 */
export async function fillSlots(
  cluster: RedisCluster,
  slots: readonly number[],
  keysPerSlot: number,
  valueBytes = 16,
): Promise<string[]> {
  const topology = await currentTopology(cluster);
  const value = "v".repeat(valueBytes);
  const keys: string[] = [];
  const byOwner = new Map<RedisClusterNode, string[]>();
  for (const slot of slots) {
    const owner = topology.ownerOf(slot);
    if (owner === undefined) {
      throw new Error(`Cannot fill slot ${slot}: nobody serves it`);
    }
    let list = byOwner.get(owner);
    if (list === undefined) byOwner.set(owner, list = []);
    const tag = slotTag(slot);
    for (let n = 0; n < keysPerSlot; n++) list.push(`fill:{${tag}}:${n}`);
  }
  const owners = [...byOwner.keys()];
  await withClients(owners, async (clients) => {
    await Promise.all(owners.map(async (owner, o) => {
      const list = byOwner.get(owner)!;
      for (let i = 0; i < list.length; i += 10_000) {
        await Promise.all(
          list.slice(i, i + 10_000).map((key) => clients[o]!.set(key, value)),
        );
      }
      keys.push(...list);
    }));
  });
  return keys;
}

/** Options of {@linkcode reshard}. */
export interface ReshardOptions {
  /** The master giving the slots. */
  from: RedisClusterNode;
  /** The master receiving them. */
  to: RedisClusterNode;
  /** How many slots to move. */
  slots: number;
  /** Keys per MIGRATE (`--cluster-pipeline`, default 10 as redis-cli's). */
  pipeline?: number;
  /** How long to wait for redis-cli and the agreement after it (default 120 s). */
  timeoutMs?: number;
}

/**
 * Moves `slots` slots and their keys from one master to another with
 * `redis-cli --cluster reshard … --cluster-yes`, and resolves once every
 * live node agrees on the new map (no slot left migrating).
 *
 * @returns Milliseconds from the start to the agreement.
 */
export async function reshard(
  cluster: RedisCluster,
  options: ReshardOptions,
): Promise<number> {
  const { from, to, slots } = options;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const began = performance.now();
  const before = await currentTopology(cluster);
  const expected = before.slotCount(to) + slots;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command("redis-cli", {
      args: [
        "--cluster",
        "reshard",
        `${HOST}:${from.port}`,
        "--cluster-from",
        from.id,
        "--cluster-to",
        to.id,
        "--cluster-slots",
        String(slots),
        "--cluster-pipeline",
        String(options.pipeline ?? 10),
        "--cluster-yes",
      ],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: controller.signal,
    }).output(); // deno-fmt-ignore
  } finally {
    clearTimeout(timer);
  }
  const text = new TextDecoder().decode(output.stdout) +
    new TextDecoder().decode(output.stderr);
  if (!output.success || /^\[ERR\]/m.test(text)) {
    const tail = text.trimEnd().split("\n").slice(-10).join("\n");
    throw new Error(
      `Cannot reshard: redis-cli exited with ${output.code}:\n${tail}`,
    );
  }
  const left = Math.max(1_000, timeoutMs - (performance.now() - began));
  await waitForViews(
    cluster,
    `reshard: agree on ${to.port} serving ${expected} slots`,
    left,
    (views) => {
      if (!agreed(views)) return false;
      const seen = views[0]!.find((n) => n.id === to.id);
      return seen !== undefined && countSlots(seen.slots) === expected;
    },
  );
  return performance.now() - began;
}

/** A point of {@linkcode migrateSlot} where its `pause` hook runs. */
export type MigrationStep =
  /** The destination marked the slot IMPORTING; the source still serves it alone. */
  | "importing"
  /** The source marked it MIGRATING: keys it no longer has are ASKed to the destination. */
  | "migrating"
  /** One batch of keys moved with MIGRATE (`moved` counts all so far). */
  | "batch"
  /** SETSLOT NODE ran on the destination and the source, not yet on the other masters. */
  | "assigned";

/** Options of {@linkcode migrateSlot}. */
export interface MigrateSlotOptions {
  /** Keys per GETKEYSINSLOT and MIGRATE (default 100). */
  batch?: number;
  /**
   * Runs after each step; the migration waits for it, so a test can hold
   * the slot half-migrated (for example to see ASK) and go on by resolving.
   */
  pause?: (
    step: MigrationStep,
    progress: { slot: number; moved: number },
  ) => void | Promise<void>;
  /** MIGRATE's timeout and how long to wait for the agreement (default 10 s). */
  timeoutMs?: number;
}

/**
 * Moves one slot and its keys from `from` to `to` by hand, as redis-cli
 * does: SETSLOT IMPORTING on the destination, MIGRATING on the source,
 * GETKEYSINSLOT + MIGRATE in batches, SETSLOT NODE on the destination, the
 * source and every other live master; resolves once every live node agrees.
 *
 * @returns Milliseconds from the start to the agreement.
 */
export async function migrateSlot(
  cluster: RedisCluster,
  slot: number,
  from: RedisClusterNode,
  to: RedisClusterNode,
  options: MigrateSlotOptions = {},
): Promise<number> {
  const batch = options.batch ?? 100;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pause = options.pause ?? (() => {});
  const began = performance.now();
  const others = (await currentTopology(cluster)).masters
    .filter((n) => n !== from && n !== to);
  // With tls-cluster, MIGRATE itself speaks TLS, to the target's TLS port.
  const port = to.tlsPort ?? to.port;
  const login = logins.get(to);
  const migration = login === undefined ? {} : {
    auth: login.username === undefined ? login.password : {
      username: login.username,
      password: login.password,
    },
  };
  await withClients(
    [from, to, ...others],
    async ([source, target, ...rest]) => {
      let moved = 0;
      await target!.clusterSetslot(slot, "IMPORTING", from.id);
      await pause("importing", { slot, moved });
      await source!.clusterSetslot(slot, "MIGRATING", to.id);
      await pause("migrating", { slot, moved });
      for (;;) {
        const keys = await source!.binary.clusterGetkeysinslot(slot, batch);
        if (keys.length === 0) break;
        await source!.migrate(HOST, port, keys, 0, timeoutMs, migration);
        moved += keys.length;
        await pause("batch", { slot, moved });
      }
      // The destination first: it bumps its epoch and claims the slot before
      // the source stops redirecting there with ASK.
      await target!.clusterSetslot(slot, "NODE", to.id);
      await source!.clusterSetslot(slot, "NODE", to.id);
      await pause("assigned", { slot, moved });
      await Promise.all(rest.map((c) => c.clusterSetslot(slot, "NODE", to.id)));
    },
  );
  await waitForViews(
    cluster,
    `migrate slot ${slot}: agree on ${to.port} serving it`,
    timeoutMs,
    (views) => agreed(views) && serves(views[0]!, to.id, slot),
  );
  return performance.now() - began;
}

/**
 * CLUSTER FAILOVER (`mode` FORCE or TAKEOVER, or the default coordinated
 * one) on a replica; resolves once every live node sees it as a master and
 * agrees on the slot map.
 *
 * First waits until every live node knows `replica` as a replica: a master
 * that still sees it as a master (just after an earlier failover) denies it
 * its vote, and a manual failover that gets no majority just expires (5 s in
 * the server). For the same reason the command is sent again every 5 s
 * until `timeoutMs`.
 *
 * @returns Milliseconds from sending the command to the agreement.
 */
export async function failover(
  cluster: RedisCluster,
  replica: RedisClusterNode,
  mode?: "FORCE" | "TAKEOVER",
  timeoutMs = 30_000,
): Promise<number> {
  await waitForViews(
    cluster,
    `fail over to ${replica.port}: agree on it being a replica`,
    timeoutMs,
    (views) => {
      const masters = views.map((view) =>
        view.find((n) => n.id === replica.id)?.masterId
      );
      return views.every((view) =>
        view.find((n) => n.id === replica.id)?.flags.includes("slave")
      ) && masters.every((id) => id && id === masters[0]);
    },
  );
  const began = performance.now();
  const deadline = began + timeoutMs;
  for (;;) {
    await withClients([replica], ([redis]) => redis!.clusterFailover(mode));
    try {
      await waitForViews(
        cluster,
        `fail over to ${replica.port}`,
        Math.min(FAILOVER_RETRY_MS, deadline - performance.now()),
        (views) =>
          agreed(views) &&
          views.every((view) => {
            const seen = view.find((n) => n.id === replica.id);
            return seen !== undefined && seen.flags.includes("master") &&
              seen.slots.length > 0;
          }),
      );
      return performance.now() - began;
    } catch (error) {
      if (performance.now() >= deadline) throw error;
    }
  }
}

/** How long a manual failover may take before failover() asks again (the server's own limit). */
const FAILOVER_RETRY_MS = 5_000;

/**
 * SIGKILLs a master serving slots now (remembering which, for
 * {@linkcode waitForPromotion}) and waits for the process to be gone.
 *
 * @returns When it was killed, in `performance.now()` terms.
 */
export async function killMaster(
  cluster: RedisCluster,
  master: RedisClusterNode,
): Promise<number> {
  const shard = (await currentTopology(cluster)).shards
    .find((s) => s.master === master && s.slots.length > 0);
  if (shard === undefined) {
    throw new Error(`Cannot kill ${master.port}: it serves no slots now`);
  }
  const state = stateOf(master);
  state.killedSlots = shard.slots;
  state.down = true;
  master.server.kill("SIGKILL");
  const at = performance.now();
  await master.server.exited;
  return at;
}

/** What {@linkcode waitForPromotion} saw. */
export interface Promotion {
  /** The replica that took the dead master's slots. */
  readonly master: RedisClusterNode;
  /** When it first said it serves them (its own CLUSTER NODES), in `performance.now()` terms. */
  readonly at: number;
  /** When every live node agreed, in `performance.now()` terms. */
  readonly agreedAt: number;
}

/**
 * Resolves once a replica serves the slots the master `oldMasterId` served
 * when {@linkcode killMaster} killed it, polling every live node every 20 ms.
 */
export async function waitForPromotion(
  cluster: RedisCluster,
  oldMasterId: string,
  timeoutMs = 30_000,
): Promise<Promotion> {
  const old = cluster.nodes.find((n) => n.id === oldMasterId);
  const slots = old === undefined ? undefined : stateOf(old).killedSlots;
  if (slots === undefined || slots.length === 0) {
    throw new Error(
      `Cannot wait for a promotion: ${oldMasterId} was not killed by killMaster()`,
    );
  }
  const slot = slots[0]![0];
  const nodes = liveNodes(cluster);
  const deadline = performance.now() + timeoutMs;
  let promoted: { master: RedisClusterNode; at: number } | undefined;
  return await withClients(nodes, async (clients) => {
    for (;;) {
      const views = await Promise.all(
        clients.map((c, i) => nodesView(nodes[i]!, c)),
      );
      const now = performance.now();
      if (promoted === undefined) {
        for (let i = 0; i < nodes.length; i++) {
          const self = views[i]!.find((n) => n.flags.includes("myself"));
          if (
            self?.flags.includes("master") && serves(views[i]!, self.id, slot)
          ) {
            promoted = { master: nodes[i]!, at: now };
            break;
          }
        }
      }
      if (
        promoted !== undefined && agreed(views) &&
        views.every((view) => serves(view, promoted!.master.id, slot))
      ) {
        return { ...promoted, agreedAt: now };
      }
      if (now > deadline) {
        throw new Error(
          `Cannot wait for a promotion: none within ${timeoutMs} ms`,
        );
      }
      await delay(POLL_MS);
    }
  });
}

/** SIGSTOPs a node: it keeps its sockets but answers nothing until {@linkcode resumeNode}. */
export function stopNode(node: RedisClusterNode): void {
  stateOf(node).down = true;
  node.server.kill("SIGSTOP");
}

/** SIGCONTs a node stopped with {@linkcode stopNode}. */
export function resumeNode(node: RedisClusterNode): void {
  node.server.kill("SIGCONT");
  stateOf(node).down = false;
}

/**
 * Starts a killed (or running) node again on its port, directory and
 * nodes.conf, so with its id; resolves once it answers PING. A master
 * replaced meanwhile rejoins as a replica of its replacement, shortly after.
 */
export async function restartNode(node: RedisClusterNode): Promise<void> {
  await node.server.restart();
  stateOf(node).down = false;
}

/** Topology queries the live nodes served, by command, and in all. */
export interface TopologyQueries {
  readonly shards: number;
  readonly slots: number;
  readonly nodes: number;
  readonly total: number;
}

/**
 * Sums the calls of CLUSTER SHARDS, SLOTS and NODES in INFO commandstats
 * over every live node, since {@linkcode resetTopologyQueries}, leaving out
 * the queries this module sent itself (currentTopology, the waits of
 * reshard, migrateSlot, failover, waitForPromotion). redis-cli's queries
 * during {@linkcode reshard} are counted: reset after it. A node stopped
 * with {@linkcode stopNode} cannot answer: call this after
 * {@linkcode resumeNode} to count what it was sent meanwhile.
 */
export async function topologyQueries(
  cluster: RedisCluster,
): Promise<TopologyQueries> {
  const nodes = liveNodes(cluster);
  let shards = 0;
  let slots = 0;
  let listed = 0;
  await withClients(nodes, async (clients) => {
    const all = await Promise.all(clients.map((c) => commandCalls(c)));
    all.forEach((calls, i) => {
      const own = stateOf(nodes[i]!).own;
      shards += Math.max(0, (calls["cluster|shards"] ?? 0) - own.shards);
      slots += calls["cluster|slots"] ?? 0;
      listed += Math.max(0, (calls["cluster|nodes"] ?? 0) - own.nodes);
    });
  });
  return { shards, slots, nodes: listed, total: shards + slots + listed };
}

/** Resets every live node's command statistics (CONFIG RESETSTAT). */
export async function resetTopologyQueries(
  cluster: RedisCluster,
): Promise<void> {
  const nodes = liveNodes(cluster);
  await withClients(nodes, async (clients) => {
    await Promise.all(clients.map((c) => resetCommandStats(c)));
  });
  for (const node of nodes) stateOf(node).own = { nodes: 0, shards: 0 };
}

/** What {@linkcode verifyLedgerOnCluster} found. */
export interface ClusterLedgerCheck {
  /** Keys read back. */
  readonly keys: number;
  /** Acknowledged writes whose key is missing. */
  readonly lost: number;
  /** Writes never sent whose value is there. */
  readonly phantom: number;
  /** Keys holding a value that is not the one written for them. */
  readonly misrouted: number;
  /** Writes of unknown fate (sent, no reply) that were applied. */
  readonly ambiguousApplied: number;
  /** Up to 5 examples of lost, phantom or misrouted keys. */
  readonly samples: readonly string[];
}

/**
 * Reads every key of `ledger` (all in database 0) back from the masters
 * directly: one connection per master, each key asked of its slot's owner
 * in {@linkcode currentTopology}. Run it once the cluster is settled: a slot
 * moving meanwhile makes it throw.
 */
export async function verifyLedgerOnCluster(
  cluster: RedisCluster,
  ledger: Ledger,
): Promise<ClusterLedgerCheck> {
  const topology = await currentTopology(cluster);
  const byOwner = new Map<RedisClusterNode, [string, string, string][]>();
  for (const [id, [value, fate]] of ledger.writes) {
    if (!id.startsWith("0 ")) {
      throw new Error("Cannot verify a ledger on a cluster: it has only db 0");
    }
    const key = id.slice(2);
    const owner = topology.ownerOf(keySlot(key));
    if (owner === undefined) {
      throw new Error(`Cannot verify a ledger: slot ${keySlot(key)} unserved`);
    }
    let list = byOwner.get(owner);
    if (list === undefined) byOwner.set(owner, list = []);
    list.push([key, value, fate]);
  }
  let keys = 0;
  let lost = 0;
  let phantom = 0;
  let misrouted = 0;
  let ambiguousApplied = 0;
  const samples: string[] = [];
  const sample = (text: string) => {
    if (samples.length < 5) samples.push(text);
  };
  const owners = [...byOwner.keys()];
  await withClients(owners, async (clients) => {
    for (let o = 0; o < owners.length; o++) {
      const list = byOwner.get(owners[o]!)!;
      for (let i = 0; i < list.length; i += 1_000) {
        const batch = list.slice(i, i + 1_000);
        const values = await Promise.all(
          batch.map(([key]) =>
            clients[o]!.get(key).catch((error: unknown) => {
              if (error instanceof ReplyError) {
                throw new Error(
                  `Cannot verify a ledger: ${error.code} from ${
                    owners[o]!.port
                  }; is a slot still moving?`,
                );
              }
              throw error;
            })
          ),
        );
        batch.forEach(([key, value, fate], k) => {
          const got = values[k];
          keys++;
          if (got === value) {
            if (fate === "unsent") {
              phantom++;
              sample(`${key}: never sent, but applied`);
            } else if (fate === "ambiguous") ambiguousApplied++;
          } else if (got === null) {
            if (fate === "acknowledged") {
              lost++;
              sample(`${key}: acknowledged, but missing`);
            }
          } else {
            misrouted++;
            sample(`${key}: holds ${Deno.inspect(got)}, not ${value}`);
          }
        });
      }
    }
  });
  return { keys, lost, phantom, misrouted, ambiguousApplied, samples };
}
