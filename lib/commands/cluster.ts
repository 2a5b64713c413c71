// Cluster commands: introspection (CLUSTER INFO, NODES, SHARDS, SLOTS,
// KEYSLOT, ...) and administration (ADDSLOTS, MEET, REPLICATE, SETSLOT,
// FAILOVER, ...). Commands only nodes speak to each other (ASKING, READONLY,
// ...) are not here.

import type { RedisKey } from "./_base.ts";
import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Mode,
  type Result,
} from "./_executor.ts";
import { bulkArray, integer, ok, text } from "./_reply.ts";
import { command } from "./_command.ts";
import { slotRangeArgs } from "./cluster_options.ts";
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
  type EpochBump,
  epochBump,
  type SlotRange,
} from "./cluster_replies.ts";
import { textArray } from "./server_replies.ts";

const ADDSLOTS = command("CLUSTER ADDSLOTS");
const ADDSLOTSRANGE = command("CLUSTER ADDSLOTSRANGE");
const BUMPEPOCH = command("CLUSTER BUMPEPOCH");
const COUNT_FAILURE_REPORTS = command("CLUSTER COUNT-FAILURE-REPORTS");
const COUNTKEYSINSLOT = command("CLUSTER COUNTKEYSINSLOT");
const DELSLOTS = command("CLUSTER DELSLOTS");
const DELSLOTSRANGE = command("CLUSTER DELSLOTSRANGE");
const FAILOVER = command("CLUSTER FAILOVER");
const FLUSHSLOTS = command("CLUSTER FLUSHSLOTS");
const FORGET = command("CLUSTER FORGET");
const GETKEYSINSLOT = command("CLUSTER GETKEYSINSLOT");
const HELP = command("CLUSTER HELP");
const INFO = command("CLUSTER INFO");
const KEYSLOT = command("CLUSTER KEYSLOT");
const LINKS = command("CLUSTER LINKS");
const MEET = command("CLUSTER MEET");
const MYID = command("CLUSTER MYID");
const NODES = command("CLUSTER NODES");
const REPLICAS = command("CLUSTER REPLICAS");
const REPLICATE = command("CLUSTER REPLICATE");
const RESET = command("CLUSTER RESET");
const SAVECONFIG = command("CLUSTER SAVECONFIG");
const SET_CONFIG_EPOCH = command("CLUSTER SET-CONFIG-EPOCH");
const SETSLOT = command("CLUSTER SETSLOT");
const SHARDS = command("CLUSTER SHARDS");
const SLAVES = command("CLUSTER SLAVES");
const SLOTS = command("CLUSTER SLOTS");

/**
 * Redis Cluster commands, sent to the node the view is connected to.
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

  // -------------------------------------------------------------------------
  // Introspection

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

  // -------------------------------------------------------------------------
  // Administration

  /**
   * Assigns slots to the node.
   *
   * @param slots The slots.
   * @returns `"OK"`.
   * @throws {ReplyError} When a slot is already assigned.
   * @see {@link https://redis.io/docs/latest/commands/cluster-addslots/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.clusterAddslots(1, 2, 3);
   * ```
   */
  clusterAddslots(...slots: number[]): Result<M, "OK"> {
    return this[EXEC].call(ADDSLOTS, [...slots], ok);
  }

  /**
   * Assigns ranges of slots to the node.
   *
   * @param ranges The ranges, `[start, end]` with both ends included.
   * @returns `"OK"`.
   * @throws {ReplyError} When a slot is already assigned.
   * @see {@link https://redis.io/docs/latest/commands/cluster-addslotsrange/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.clusterAddslotsrange([0, 5460], [10923, 16383]);
   * ```
   */
  clusterAddslotsrange(...ranges: SlotRange[]): Result<M, "OK"> {
    return this[EXEC].call(ADDSLOTSRANGE, slotRangeArgs(ranges), ok);
  }

  /**
   * Unassigns slots from the node.
   *
   * @param slots The slots.
   * @returns `"OK"`.
   * @throws {ReplyError} When a slot is not assigned.
   * @see {@link https://redis.io/docs/latest/commands/cluster-delslots/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.clusterDelslots(1, 2, 3);
   * ```
   */
  clusterDelslots(...slots: number[]): Result<M, "OK"> {
    return this[EXEC].call(DELSLOTS, [...slots], ok);
  }

  /**
   * Unassigns ranges of slots from the node.
   *
   * @param ranges The ranges, `[start, end]` with both ends included.
   * @returns `"OK"`.
   * @throws {ReplyError} When a slot is not assigned.
   * @see {@link https://redis.io/docs/latest/commands/cluster-delslotsrange/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.clusterDelslotsrange([0, 99], [200, 299]);
   * ```
   */
  clusterDelslotsrange(...ranges: SlotRange[]): Result<M, "OK"> {
    return this[EXEC].call(DELSLOTSRANGE, slotRangeArgs(ranges), ok);
  }

  /**
   * Unassigns every slot of the node (its database must be empty).
   *
   * @returns `"OK"`.
   * @throws {ReplyError} When the node holds keys.
   * @see {@link https://redis.io/docs/latest/commands/cluster-flushslots/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.clusterFlushslots();
   * ```
   */
  clusterFlushslots(): Result<M, "OK"> {
    return this[EXEC].call(FLUSHSLOTS, [], ok);
  }

  /**
   * Removes a node from this node's table, and bans it for 60 seconds.
   *
   * @param nodeId The node's id.
   * @returns `"OK"`.
   * @throws {ReplyError} When the node is unknown, this node, or its master.
   * @see {@link https://redis.io/docs/latest/commands/cluster-forget/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.clusterForget("e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca");
   * ```
   */
  clusterForget(nodeId: string): Result<M, "OK"> {
    return this[EXEC].call1(FORGET, nodeId, ok);
  }

  /**
   * Connects the node to another node, joining their clusters.
   *
   * @param ip The other node's IP address.
   * @param port Its client port.
   * @param busPort Its cluster bus port (the client port + 10000 by default).
   * @returns `"OK"` (the handshake goes on in the background).
   * @throws {ReplyError} When the address is invalid.
   * @see {@link https://redis.io/docs/latest/commands/cluster-meet/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.clusterMeet("127.0.0.1", 30002);
   * ```
   */
  clusterMeet(ip: string, port: number, busPort?: number): Result<M, "OK"> {
    return this[EXEC].call(
      MEET,
      busPort === undefined ? [ip, port] : [ip, port, busPort],
      ok,
    );
  }

  /**
   * Makes the node a replica of a master (it must hold no slots and no keys).
   *
   * @param nodeId The master's id.
   * @returns `"OK"`.
   * @throws {ReplyError} When the node is unknown or not a master, or this node serves slots.
   * @see {@link https://redis.io/docs/latest/commands/cluster-replicate/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.clusterReplicate("e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca");
   * ```
   */
  clusterReplicate(nodeId: string): Result<M, "OK"> {
    return this[EXEC].call1(REPLICATE, nodeId, ok);
  }

  /**
   * Resets the node: forgets the other nodes and its slots, and turns a
   * replica into an empty master. `"HARD"` also takes a new id and resets
   * the epochs.
   *
   * @param mode `"SOFT"` (the default) or `"HARD"`.
   * @returns `"OK"`.
   * @throws {ReplyError} When the node is a master holding keys.
   * @see {@link https://redis.io/docs/latest/commands/cluster-reset/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.clusterReset("HARD");
   * ```
   */
  clusterReset(mode?: "HARD" | "SOFT"): Result<M, "OK"> {
    return this[EXEC].call(RESET, mode === undefined ? [] : [mode], ok);
  }

  /**
   * Writes the node's cluster configuration to its `nodes.conf` now.
   *
   * @returns `"OK"`.
   * @throws {ReplyError} When the file cannot be written.
   * @see {@link https://redis.io/docs/latest/commands/cluster-saveconfig/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.clusterSaveconfig();
   * ```
   */
  clusterSaveconfig(): Result<M, "OK"> {
    return this[EXEC].call(SAVECONFIG, [], ok);
  }

  /**
   * Sets the configuration epoch of a new node (one that knows no other node
   * and has epoch 0).
   *
   * @param epoch The epoch.
   * @returns `"OK"`.
   * @throws {ReplyError} When the node knows other nodes or already has an epoch.
   * @see {@link https://redis.io/docs/latest/commands/cluster-set-config-epoch/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.clusterSetConfigEpoch(1);
   * ```
   */
  clusterSetConfigEpoch(epoch: number): Result<M, "OK"> {
    return this[EXEC].call1(SET_CONFIG_EPOCH, epoch, ok);
  }

  /**
   * Marks a slot as being moved: `"MIGRATING"` on its source (to `nodeId`),
   * `"IMPORTING"` on its destination (from `nodeId`), or assigns it to
   * `nodeId` with `"NODE"` once its keys are moved.
   *
   * @param slot The slot.
   * @param state `"IMPORTING"`, `"MIGRATING"` or `"NODE"`.
   * @param nodeId The other node's id (the new owner for `"NODE"`).
   * @returns `"OK"`.
   * @throws {ReplyError} When the node ids or the slot's owner do not fit the state.
   * @see {@link https://redis.io/docs/latest/commands/cluster-setslot/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.clusterSetslot(42, "MIGRATING", "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca");
   * ```
   */
  clusterSetslot(
    slot: number,
    state: "IMPORTING" | "MIGRATING" | "NODE",
    nodeId: string,
  ): Result<M, "OK">;
  /**
   * Clears a slot's importing or migrating state.
   *
   * @param slot The slot.
   * @param state `"STABLE"`.
   * @returns `"OK"`.
   * @see {@link https://redis.io/docs/latest/commands/cluster-setslot/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.clusterSetslot(42, "STABLE");
   * ```
   */
  clusterSetslot(slot: number, state: "STABLE"): Result<M, "OK">;
  clusterSetslot(
    slot: number,
    state: "IMPORTING" | "MIGRATING" | "NODE" | "STABLE",
    nodeId?: string,
  ): Result<M, "OK"> {
    return this[EXEC].call(
      SETSLOT,
      nodeId === undefined ? [slot, state] : [slot, state, nodeId],
      ok,
    );
  }

  /**
   * Starts a manual failover on a replica: it takes its master's place.
   * `"FORCE"` does not wait for the master to agree; `"TAKEOVER"` does not
   * wait for the other masters either.
   *
   * @param mode `"FORCE"` or `"TAKEOVER"`.
   * @returns `"OK"` (the failover goes on in the background).
   * @throws {ReplyError} When the node is not a replica.
   * @see {@link https://redis.io/docs/latest/commands/cluster-failover/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using replica = await connect({ port: 30004 });
   * await replica.clusterFailover();
   * ```
   */
  clusterFailover(mode?: "FORCE" | "TAKEOVER"): Result<M, "OK"> {
    return this[EXEC].call(FAILOVER, mode === undefined ? [] : [mode], ok);
  }

  /**
   * Gives the node a new configuration epoch, unless its epoch already is
   * the largest in the cluster.
   *
   * @returns Whether it was bumped, and the epoch.
   * @see {@link https://redis.io/docs/latest/commands/cluster-bumpepoch/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const { bumped, epoch } = await redis.clusterBumpepoch();
   * console.log(bumped, epoch);
   * ```
   */
  clusterBumpepoch(): Result<M, EpochBump> {
    return this[EXEC].call(BUMPEPOCH, [], epochBump);
  }
}
