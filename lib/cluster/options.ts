// The options of a cluster client's router, resolved, with their
// defaults; where its reads go (ReplicaReads); and what it counts of the
// redirects and refusals it followed (ClusterCounters).

import type { NodesOptions } from "./nodes.ts";
import type { AddressMap } from "./topology.ts";

/** The default of `maxRedirects`. */
export const DEFAULT_MAX_REDIRECTS = 16;
/** The default of `retryTimeout`, in ms. */
export const DEFAULT_RETRY_TIMEOUT = 15_000;
/** The default of `topologyRefreshInterval`, in ms. */
export const DEFAULT_REFRESH_INTERVAL = 30_000;

/** Options of a cluster router (resolved: every default filled in). */
export interface ClusterRouterOptions extends NodesOptions {
  /** Seed addresses (`"host:port"`), asked for the slot map first. */
  readonly seeds: readonly string[];
  /** MOVED and ASK redirects one command may follow. */
  readonly maxRedirects: number;
  /**
   * Milliseconds a command without a timeout of its own keeps retrying what
   * nodes did not apply, counted from its first refusal.
   */
  readonly retryTimeout: number;
  /** Milliseconds between periodic slot-map refreshes; 0 for none. */
  readonly refreshInterval: number;
  /** Announced address → reachable address. */
  readonly addressMap?: AddressMap | undefined;
  /** Where read-only commands go: the master, a replica first, or replicas only. */
  readonly replicaReads: ReplicaReads;
}

/**
 * Where a cluster client sends commands the command table marks read-only:
 * `"never"` to the master (the default), `"prefer"` to a replica of the
 * slot's master when one is reachable (else the master), `"only"` to its
 * replicas alone. Replicas are updated asynchronously: a read there may not
 * see a write the master just acknowledged.
 *
 * @example Usage
 * ```ts
 * import { connectCluster, type ReplicaReads } from "@sleeve/redis";
 *
 * const replicaReads: ReplicaReads = "prefer";
 * await using cluster = await connectCluster({
 *   nodes: ["redis://127.0.0.1:7000"],
 *   replicaReads,
 * });
 * ```
 */
export type ReplicaReads = "never" | "prefer" | "only";

/**
 * What a cluster client has followed and retried since it connected.
 *
 * @example Usage
 * ```ts
 * import { connectCluster } from "@sleeve/redis";
 *
 * await using cluster = await connectCluster(["redis://127.0.0.1:7000"]);
 * await cluster.set("k", "v");
 * console.log(cluster.counters.moved); // → 0 on a stable cluster
 * ```
 */
export interface ClusterCounters {
  /** MOVED redirects followed. */
  moved: number;
  /** ASK redirects followed. */
  ask: number;
  /** TRYAGAIN refusals retried. */
  tryAgain: number;
  /** CLUSTERDOWN refusals retried. */
  clusterDown: number;
  /** MASTERDOWN, LOADING and READONLY refusals retried. */
  otherRefusals: number;
  /** Commands sent again after their node could not be reached (never sent) or lost a read. */
  connectionRetries: number;
  /** Topology queries sent (CLUSTER SHARDS or SLOTS). */
  topologyQueries: number;
}
