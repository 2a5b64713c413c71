// Cluster administration: slots (ADDSLOTS, DELSLOTS, SETSLOT, ...), nodes
// (MEET, FORGET, REPLICATE, RESET), epochs and FAILOVER. Introspection
// (CLUSTER INFO, NODES, SHARDS, SLOTS, KEYSLOT, ...) is in cluster.ts.

import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Mode,
  type Result,
} from "./_executor.ts";
import { ok } from "./_reply.ts";
import { command } from "./_command.ts";
import { slotRangeArgs } from "./cluster_options.ts";
import {
  type EpochBump,
  epochBump,
  type SlotRange,
} from "./cluster_replies.ts";

const ADDSLOTS = command("CLUSTER ADDSLOTS");
const ADDSLOTSRANGE = command("CLUSTER ADDSLOTSRANGE");
const BUMPEPOCH = command("CLUSTER BUMPEPOCH");
const DELSLOTS = command("CLUSTER DELSLOTS");
const DELSLOTSRANGE = command("CLUSTER DELSLOTSRANGE");
const FAILOVER = command("CLUSTER FAILOVER");
const FLUSHSLOTS = command("CLUSTER FLUSHSLOTS");
const FORGET = command("CLUSTER FORGET");
const MEET = command("CLUSTER MEET");
const REPLICATE = command("CLUSTER REPLICATE");
const RESET = command("CLUSTER RESET");
const SAVECONFIG = command("CLUSTER SAVECONFIG");
const SET_CONFIG_EPOCH = command("CLUSTER SET-CONFIG-EPOCH");
const SETSLOT = command("CLUSTER SETSLOT");

/**
 * Redis Cluster administration, sent to the node the view is connected to:
 * assigning and moving slots, joining, replicating, resetting and
 * forgetting nodes, epochs and manual failover. Introspection is on
 * {@linkcode ClusterCommands}.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type ClusterAdminCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const admin: ClusterAdminCommands<"promise", string, number> = redis;
 * await admin.clusterSaveconfig();
 * ```
 */
export class ClusterAdminCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view's executor. */
  declare readonly [EXEC]: Executor<M>;

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
