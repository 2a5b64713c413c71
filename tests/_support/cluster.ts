// Owns throwaway Redis Clusters for tests: starts cluster-mode redis-servers
// on free loopback ports (client and bus port both picked free), meets them,
// gives the masters the 16384 slots in even contiguous ranges, attaches the
// replicas, and waits until every node says cluster_state:ok and all agree
// on the slot map. Dispose SIGKILLs every node and removes its directory.

import { type ClusterNode, connect, type Redis } from "../../mod.ts";
import { type RedisServer, startRedisServer } from "./redis_server.ts";

/** Options of {@linkcode startRedisCluster}. */
export interface RedisClusterOptions {
  /** Masters sharing the slots (default 3). */
  masters?: number;
  /** Replicas attached to each master (default 0). */
  replicasPerMaster?: number;
  /** `--cluster-node-timeout` in ms (default 2000). */
  nodeTimeoutMs?: number;
  /** Extra redis-server arguments for every node. */
  args?: string[];
  /** How long to wait for the cluster to form (default 30 s). */
  readyTimeoutMs?: number;
}

/** One node of a {@linkcode RedisCluster}. */
export interface RedisClusterNode {
  readonly host: "127.0.0.1";
  readonly port: number;
  readonly busPort: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
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
    for (const { server } of servers) clients.push(await connect(server.url));
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
    return {
      nodes,
      masters: nodes.slice(0, masters),
      replicas: nodes.slice(masters),
      startupMs,
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
