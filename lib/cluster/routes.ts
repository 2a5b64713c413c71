// Where a cluster client's commands go: the slot map in use and the slots a
// MOVED moved since, each slot's node (kept until the map changes), the one
// node serving every slot when there is one, the master next in turn for a
// keyless command, and the replica next in turn for a read.

import type { ClusterNodes, Node } from "./nodes.ts";
import type { ReplicaReads } from "./options.ts";
import { SLOTS } from "./slot.ts";
import type { Topology } from "./topology.ts";

/** How long a replica that could not be reached is passed over, in ms. */
const REPLICA_DOWN_MS = 1_000;

/** The routes of one cluster client, from its slot map and its redirects. */
export class Routes {
  readonly #nodes: ClusterNodes;
  readonly #replicaReads: ReplicaReads;
  readonly #seeds: readonly string[];
  #topology: Topology;
  /** Slots a MOVED moved since the last slot map, and where. */
  readonly #moved = new Map<number, string>();
  /** The node serving each slot, as the map says, filled on first use. */
  readonly #bySlot: (Node | undefined)[] = new Array(SLOTS).fill(undefined);
  /**
   * The node serving every slot, when one master does (and reads are not
   * sent to replicas): a one-key command goes there without its slot.
   */
  #sole: Node | undefined;
  /** Rotates keyless commands over the masters. */
  #next = 0;
  /** Rotates reads over replicas. */
  #nextReplica = 0;
  /** Replicas that could not be reached, until when (performance.now()). */
  readonly #down = new Map<string, number>();

  /**
   * Constructs a new instance.
   *
   * @param nodes The client's nodes (a slot's node is kept as their handle).
   * @param replicaReads Where reads go.
   * @param seeds Where a keyless command goes while no master is known.
   * @param topology The first slot map.
   */
  constructor(
    nodes: ClusterNodes,
    replicaReads: ReplicaReads,
    seeds: readonly string[],
    topology: Topology,
  ) {
    this.#nodes = nodes;
    this.#replicaReads = replicaReads;
    this.#seeds = seeds;
    this.#topology = topology;
    this.#sole = this.#soleNode();
  }

  /** The slot map in use. */
  get topology(): Topology {
    return this.#topology;
  }

  /** The node of the one master serving every slot, if one does. */
  get sole(): Node | undefined {
    return this.#sole;
  }

  /** Takes a new slot map in use: every redirect learnt since is dropped. */
  adopt(topology: Topology): void {
    this.#topology = topology;
    this.#moved.clear();
    this.#bySlot.fill(undefined);
    this.#sole = this.#soleNode();
  }

  /** A MOVED said `to` serves `slot` now, until the next slot map. */
  moved(slot: number, to: string): void {
    this.#moved.set(slot, to);
    this.#bySlot[slot] = undefined;
    this.#sole = undefined;
  }

  /** The node of the master serving `slot`, kept until the map changes. */
  node(slot: number): Node | undefined {
    const node = this.#bySlot[slot];
    if (node !== undefined) return node;
    const address = this.owner(slot);
    return address === undefined
      ? undefined
      : this.#bySlot[slot] = this.#nodes.node(address);
  }

  /** The address of the master serving `slot`, as far as we know. */
  owner(slot: number): string | undefined {
    const moved = this.#moved;
    if (moved.size !== 0) {
      const address = moved.get(slot);
      if (address !== undefined) return address;
    }
    return this.#topology.master(slot)?.address;
  }

  /**
   * Where a read of `slot` goes under replica reads: the next replica of
   * the slot's master not passed over as unreachable, or (`"prefer"`) the
   * master; undefined for `"only"` when no replica can be reached.
   */
  read(slot: number): string | undefined {
    const replicas = this.#topology.replicas(slot);
    const down = this.#down;
    const now = down.size === 0 ? 0 : performance.now();
    for (let i = 0; i < replicas.length; i++) {
      const address = replicas[(this.#nextReplica + i) % replicas.length]!
        .address;
      if (down.size !== 0) {
        const until = down.get(address);
        if (until !== undefined) {
          if (until > now) continue;
          down.delete(address);
        }
      }
      this.#nextReplica = (this.#nextReplica + i + 1) % replicas.length;
      return address;
    }
    if (this.#replicaReads === "only") return undefined;
    return this.owner(slot);
  }

  /** A replica at `address` could not be reached: passed over for a while. */
  down(address: string): void {
    this.#down.set(address, performance.now() + REPLICA_DOWN_MS);
  }

  /** A master for a keyless command: the next one in turn, preferably up. */
  anyMaster(): string {
    const masters = this.#topology.masters;
    if (masters.length === 0) return this.#seeds[0]!;
    for (let i = 0; i < masters.length; i++) {
      const address = masters[(this.#next + i) % masters.length]!.address;
      if (this.#nodes.ready(address) !== undefined) {
        this.#next = (this.#next + i + 1) % masters.length;
        return address;
      }
    }
    return masters[this.#next++ % masters.length]!.address;
  }

  #soleNode(): Node | undefined {
    const topology = this.#topology;
    if (topology.shards.length !== 1 || this.#replicaReads !== "never") {
      return undefined;
    }
    const address = topology.master(0)?.address;
    if (address === undefined) return undefined;
    for (let slot = 1; slot < SLOTS; slot++) {
      if (topology.master(slot)?.address !== address) return undefined;
    }
    return this.#nodes.node(address);
  }
}
