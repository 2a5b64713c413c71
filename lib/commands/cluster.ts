// Cluster introspection: CLUSTER INFO, NODES, SHARDS, SLOTS, KEYSLOT, ...
// Administration (ADDSLOTS, MEET, REPLICATE, SETSLOT, FAILOVER, ...) is in
// cluster_admin.ts. Commands only nodes speak to each other (ASKING,
// READONLY, ...) are not here.

import type { RedisKey } from "./_base.ts";
import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Mode,
  type Result,
} from "./_executor.ts";
import { bulkArray, integer, text } from "./_reply.ts";
import { command } from "./_command.ts";
import {
  clusterInfo,
  type ClusterLink,
  clusterLinks,
  type ClusterNode,
  clusterNodeLines,
  clusterNodes,
  type ClusterShard,
  clusterShards,
  type ClusterSlots,
  clusterSlots,
} from "./cluster_replies.ts";
import { textArray } from "./server_replies.ts";

const COUNT_FAILURE_REPORTS = command("CLUSTER COUNT-FAILURE-REPORTS");
const COUNTKEYSINSLOT = command("CLUSTER COUNTKEYSINSLOT");
const GETKEYSINSLOT = command("CLUSTER GETKEYSINSLOT");
const HELP = command("CLUSTER HELP");
const INFO = command("CLUSTER INFO");
const KEYSLOT = command("CLUSTER KEYSLOT");
const LINKS = command("CLUSTER LINKS");
const MYID = command("CLUSTER MYID");
const NODES = command("CLUSTER NODES");
const REPLICAS = command("CLUSTER REPLICAS");
const SHARDS = command("CLUSTER SHARDS");
const SLAVES = command("CLUSTER SLAVES");
const SLOTS = command("CLUSTER SLOTS");

/**
 * Redis Cluster introspection, sent to the node the view is connected to:
 * the cluster's state, nodes, shards and slots, and the keys of a slot.
 * Administration (slots, nodes, epochs, failover) is on
 * {@linkcode ClusterAdminCommands}.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type ClusterCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const cluster: ClusterCommands<"promise", string, number> = redis;
 * console.log((await cluster.clusterInfo()).cluster_state); // → "ok"
 * ```
 */
export class ClusterCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view's executor. */
  declare readonly [EXEC]: Executor<M>;

  /**
   * Returns the node's view of the cluster: state, slots assigned and
   * failing, known nodes, epochs, bus message counts.
   *
   * @returns Each field by its name (`cluster_state`, `cluster_slots_assigned`, ...), values as text.
   * @throws {ReplyError} When the server is not in cluster mode.
   * @see {@link https://redis.io/docs/latest/commands/cluster-info/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const info = await redis.clusterInfo();
   * console.log(info.cluster_state, Number(info.cluster_known_nodes)); // → "ok" 6
   * ```
   */
  clusterInfo(): Result<M, Record<string, string>> {
    return this[EXEC].call(INFO, [], clusterInfo);
  }

  /**
   * Returns every node the node knows, with its address, flags, master,
   * epoch, link state and slots.
   *
   * @returns The nodes.
   * @see {@link https://redis.io/docs/latest/commands/cluster-nodes/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * for (const node of await redis.clusterNodes()) {
   *   console.log(node.id, `${node.ip}:${node.port}`, node.flags, node.slots);
   * }
   * ```
   */
  clusterNodes(): Result<M, ClusterNode[]> {
    return this[EXEC].call(NODES, [], clusterNodes);
  }

  /**
   * Returns the cluster's shards: each one's slot ranges and nodes.
   *
   * @returns The shards.
   * @see {@link https://redis.io/docs/latest/commands/cluster-shards/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * for (const { slots, nodes } of await redis.clusterShards()) {
   *   console.log(slots, nodes.map((node) => `${node.endpoint}:${node.port} ${node.role}`));
   * }
   * ```
   */
  clusterShards(): Result<M, ClusterShard[]> {
    return this[EXEC].call(SHARDS, [], clusterShards);
  }

  /**
   * Returns the slot ranges and the master and replicas serving each
   * (deprecated by the server in favour of {@linkcode ClusterCommands.clusterShards}).
   *
   * @returns The ranges.
   * @see {@link https://redis.io/docs/latest/commands/cluster-slots/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * for (const { start, end, master } of await redis.clusterSlots()) {
   *   console.log(`${start}-${end}`, master.endpoint, master.port);
   * }
   * ```
   */
  clusterSlots(): Result<M, ClusterSlots[]> {
    return this[EXEC].call(SLOTS, [], clusterSlots);
  }

  /**
   * Returns the hash slot of a key (from its `{hash tag}` when it has one).
   *
   * @param key The key.
   * @returns The slot, 0 to 16383.
   * @see {@link https://redis.io/docs/latest/commands/cluster-keyslot/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.clusterKeyslot("somekey")); // → 11058
   * ```
   */
  clusterKeyslot(key: RedisKey): Result<M, I> {
    return this[EXEC].call1(KEYSLOT, key, integer<I>);
  }

  /**
   * Returns how many keys the node holds in a slot.
   *
   * @param slot The slot.
   * @returns The number of keys.
   * @see {@link https://redis.io/docs/latest/commands/cluster-countkeysinslot/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.clusterCountkeysinslot(7000)); // → 0
   * ```
   */
  clusterCountkeysinslot(slot: number): Result<M, I> {
    return this[EXEC].call1(COUNTKEYSINSLOT, slot, integer<I>);
  }

  /**
   * Returns up to `count` keys the node holds in a slot.
   *
   * @param slot The slot.
   * @param count The most keys to return.
   * @returns The keys.
   * @see {@link https://redis.io/docs/latest/commands/cluster-getkeysinslot/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const slot = await redis.clusterKeyslot("user:{1}");
   * console.log(await redis.clusterGetkeysinslot(slot, 10));
   * ```
   */
  clusterGetkeysinslot(slot: number, count: number): Result<M, B[]> {
    return this[EXEC].call(GETKEYSINSLOT, [slot, count], bulkArray<B>);
  }

  /**
   * Returns the node's id.
   *
   * @returns The id (40 hex digits).
   * @see {@link https://redis.io/docs/latest/commands/cluster-myid/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.clusterMyid());
   * ```
   */
  clusterMyid(): Result<M, string> {
    return this[EXEC].call(MYID, [], text);
  }

  /**
   * Returns the node's cluster bus links, one each way per peer.
   *
   * @returns The links.
   * @see {@link https://redis.io/docs/latest/commands/cluster-links/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * for (const link of await redis.clusterLinks()) console.log(link.direction, link.node);
   * ```
   */
  clusterLinks(): Result<M, ClusterLink[]> {
    return this[EXEC].call(LINKS, [], clusterLinks);
  }

  /**
   * Returns the replicas of a master.
   *
   * @param nodeId The master's id.
   * @returns The replicas, as {@linkcode ClusterCommands.clusterNodes} describes them.
   * @throws {ReplyError} When the node is unknown or not a master.
   * @see {@link https://redis.io/docs/latest/commands/cluster-replicas/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const replicas = await redis.clusterReplicas(await redis.clusterMyid());
   * console.log(replicas.map((node) => node.id));
   * ```
   */
  clusterReplicas(nodeId: string): Result<M, ClusterNode[]> {
    return this[EXEC].call1(REPLICAS, nodeId, clusterNodeLines);
  }

  /**
   * Returns the replicas of a master: the old name of
   * {@linkcode ClusterCommands.clusterReplicas}.
   *
   * @param nodeId The master's id.
   * @returns The replicas.
   * @throws {ReplyError} When the node is unknown or not a master.
   * @see {@link https://redis.io/docs/latest/commands/cluster-slaves/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.clusterSlaves(await redis.clusterMyid()));
   * ```
   */
  clusterSlaves(nodeId: string): Result<M, ClusterNode[]> {
    return this[EXEC].call1(SLAVES, nodeId, clusterNodeLines);
  }

  /**
   * Returns how many other masters currently report a node as failing.
   *
   * @param nodeId The node's id.
   * @returns The number of failure reports.
   * @throws {ReplyError} When the node is unknown.
   * @see {@link https://redis.io/docs/latest/commands/cluster-count-failure-reports/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const [node] = await redis.clusterNodes();
   * if (node) console.log(await redis.clusterCountFailureReports(node.id)); // → 0
   * ```
   */
  clusterCountFailureReports(nodeId: string): Result<M, I> {
    return this[EXEC].call1(COUNT_FAILURE_REPORTS, nodeId, integer<I>);
  }

  /**
   * Returns the server's help text for CLUSTER.
   *
   * @returns The help lines.
   * @see {@link https://redis.io/docs/latest/commands/cluster-help/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log((await redis.clusterHelp()).join("\n"));
   * ```
   */
  clusterHelp(): Result<M, string[]> {
    return this[EXEC].call(HELP, [], textArray);
  }
}
