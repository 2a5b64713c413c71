// The shapes of the cluster commands' structured replies (CLUSTER INFO,
// NODES, REPLICAS, SHARDS, SLOTS, LINKS, BUMPEPOCH) and their decoders; the
// same value under RESP2 and RESP3.

import type { RespValue } from "../resp/types.ts";
import { array, text } from "./_reply.ts";
import {
  colonRecord,
  field,
  fields,
  integerValue,
  lines,
  textArray,
} from "./server_replies.ts";

/**
 * A range of hash slots, both ends included.
 *
 * @example Usage
 * ```ts
 * import type { SlotRange } from "@sleeve/redis";
 *
 * const ranges: SlotRange[] = [[0, 5460], [5461, 10922]];
 * console.log(ranges);
 * ```
 */
export type SlotRange = readonly [start: number, end: number];

/**
 * A node as CLUSTER NODES, REPLICAS and SLAVES describe it.
 *
 * @example Usage
 * ```ts
 * import { connect, type ClusterNode } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const nodes: ClusterNode[] = await redis.clusterNodes();
 * const me = nodes.find((node) => node.flags.includes("myself"));
 * console.log(me?.id, me?.slots); // → "07c37dfeb235…" [[0, 5460]]
 * ```
 */
export interface ClusterNode {
  /** The node's id (40 hex digits). */
  readonly id: string;
  /** The address as the server wrote it: `ip:port@busPort[,hostname]`. */
  readonly address: string;
  /** The node's IP address (`""` while it does not know its own). */
  readonly ip: string;
  /** The port clients use. */
  readonly port: number;
  /** The cluster bus port. */
  readonly busPort: number;
  /** The node's announced hostname, when it has one. */
  readonly hostname?: string;
  /** Flags: `"myself"`, `"master"`, `"slave"`, `"fail?"`, `"fail"`, `"handshake"`, `"noaddr"`, `"nofailover"`, `"noflags"`. */
  readonly flags: readonly string[];
  /** For a replica, its master's id; `null` for a master. */
  readonly masterId: string | null;
  /** When the last ping was sent, in Unix milliseconds; 0 when none is pending. */
  readonly pingSent: number;
  /** When the last pong was received, in Unix milliseconds. */
  readonly pongReceived: number;
  /** The node's configuration epoch (its master's, for a replica). */
  readonly configEpoch: number;
  /** The state of the cluster bus link: `"connected"` or `"disconnected"`. */
  readonly linkState: string;
  /** The slots the node serves. */
  readonly slots: readonly SlotRange[];
  /** Slots being moved from this node to another. */
  readonly migrating: readonly SlotMove[];
  /** Slots being moved to this node from another. */
  readonly importing: readonly SlotMove[];
}

/**
 * A slot being migrated, in {@linkcode ClusterNode}: the slot and the other
 * node's id (the destination when migrating, the source when importing).
 *
 * @example Usage
 * ```ts
 * import type { SlotMove } from "@sleeve/redis";
 *
 * const move: SlotMove = { slot: 42, nodeId: "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca" };
 * console.log(move);
 * ```
 */
export interface SlotMove {
  /** The slot. */
  readonly slot: number;
  /** The other node's id. */
  readonly nodeId: string;
}

/**
 * A shard in CLUSTER SHARDS's reply: its slots and its nodes.
 *
 * @example Usage
 * ```ts
 * import { connect, type ClusterShard } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const shards: ClusterShard[] = await redis.clusterShards();
 * for (const shard of shards) console.log(shard.slots, shard.nodes.map((n) => n.role));
 * ```
 */
export interface ClusterShard {
  /** The slots the shard serves. */
  readonly slots: readonly SlotRange[];
  /** The shard's master and replicas. */
  readonly nodes: readonly ClusterShardNode[];
}

/**
 * A node of a {@linkcode ClusterShard}.
 *
 * @example Usage
 * ```ts
 * import type { ClusterShardNode } from "@sleeve/redis";
 *
 * const node: ClusterShardNode = {
 *   id: "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca",
 *   port: 30001,
 *   ip: "127.0.0.1",
 *   endpoint: "127.0.0.1",
 *   role: "master",
 *   replicationOffset: 72156,
 *   health: "online",
 * };
 * console.log(node);
 * ```
 */
export interface ClusterShardNode {
  /** The node's id. */
  readonly id: string;
  /** The plain-text port, when the node has one. */
  readonly port?: number;
  /** The TLS port, when the node has one. */
  readonly tlsPort?: number;
  /** The node's IP address. */
  readonly ip: string;
  /** The endpoint clients should use (by `cluster-preferred-endpoint-type`). */
  readonly endpoint: string;
  /** The node's hostname, when it has one. */
  readonly hostname?: string;
  /** `"master"` or `"replica"`. */
  readonly role: string;
  /** Its replication offset. */
  readonly replicationOffset: number;
  /** `"online"`, `"failed"` or `"loading"`. */
  readonly health: string;
}

/**
 * A slot range in CLUSTER SLOTS's reply, with the nodes serving it.
 *
 * @example Usage
 * ```ts
 * import { connect, type ClusterSlots } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const ranges: ClusterSlots[] = await redis.clusterSlots();
 * for (const { start, end, master } of ranges) console.log(start, end, master.endpoint, master.port);
 * ```
 */
export interface ClusterSlots {
  /** The first slot. */
  readonly start: number;
  /** The last slot (included). */
  readonly end: number;
  /** The master serving the range. */
  readonly master: ClusterSlotsNode;
  /** Its replicas. */
  readonly replicas: readonly ClusterSlotsNode[];
}

/**
 * A node in {@linkcode ClusterSlots}.
 *
 * @example Usage
 * ```ts
 * import type { ClusterSlotsNode } from "@sleeve/redis";
 *
 * const node: ClusterSlotsNode = {
 *   endpoint: "127.0.0.1",
 *   port: 30001,
 *   id: "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca",
 *   metadata: {},
 * };
 * console.log(node);
 * ```
 */
export interface ClusterSlotsNode {
  /** The preferred endpoint (an IP address or a hostname), `null` when unknown. */
  readonly endpoint: string | null;
  /** The port. */
  readonly port: number;
  /** The node's id. */
  readonly id: string;
  /** Other networking details, such as `hostname` or `ip` (Redis 7). */
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * A cluster bus link of the node, in CLUSTER LINKS's reply.
 *
 * @example Usage
 * ```ts
 * import { connect, type ClusterLink } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const links: ClusterLink[] = await redis.clusterLinks();
 * for (const link of links) console.log(link.direction, link.node, link.sendBufferUsed);
 * ```
 */
export interface ClusterLink {
  /** `"to"` for a link this node opened, `"from"` for one it accepted. */
  readonly direction: string;
  /** The peer's id. */
  readonly node: string;
  /** When the link was made, in Unix milliseconds. */
  readonly createTime: number;
  /** The events polled on it: `"r"`, `"w"`, `"rw"` or `""`. */
  readonly events: string;
  /** The send buffer's allocated size, in bytes. */
  readonly sendBufferAllocated: number;
  /** The part of the send buffer in use, in bytes. */
  readonly sendBufferUsed: number;
}

/**
 * CLUSTER BUMPEPOCH's reply: whether the node took a new configuration
 * epoch, and its epoch now.
 *
 * @example Usage
 * ```ts
 * import { connect, type EpochBump } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const { bumped, epoch }: EpochBump = await redis.clusterBumpepoch();
 * console.log(bumped, epoch); // → true 1
 * ```
 */
export interface EpochBump {
  /** `true` when the epoch was bumped, `false` when it already was the largest. */
  readonly bumped: boolean;
  /** The node's configuration epoch. */
  readonly epoch: number;
}

// ---------------------------------------------------------------------------
// Decoders.

function integerText(s: string): number {
  return integerValue(s);
}

/** One line of CLUSTER NODES. */
export function clusterNode(line: string): ClusterNode {
  const parts = line.split(" ");
  if (parts.length < 8) throw new TypeError("expected a cluster node line");
  const [id, address, flags, master, ping, pong, epoch, link] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const comma = address.indexOf(",");
  const endpoint = comma < 0 ? address : address.slice(0, comma);
  const at = endpoint.lastIndexOf("@");
  const hostPort = at < 0 ? endpoint : endpoint.slice(0, at);
  const colon = hostPort.lastIndexOf(":");
  if (colon < 0) throw new TypeError("expected a node address");
  const slots: SlotRange[] = [];
  const migrating: SlotMove[] = [];
  const importing: SlotMove[] = [];
  for (const slot of parts.slice(8)) {
    if (slot === "") continue;
    if (slot.startsWith("[")) {
      const inner = slot.slice(1, slot.endsWith("]") ? -1 : undefined);
      let cut = inner.indexOf("->-");
      if (cut >= 0) {
        migrating.push({
          slot: integerText(inner.slice(0, cut)),
          nodeId: inner.slice(cut + 3),
        });
        continue;
      }
      cut = inner.indexOf("-<-");
      if (cut < 0) throw new TypeError("expected a slot migration");
      importing.push({
        slot: integerText(inner.slice(0, cut)),
        nodeId: inner.slice(cut + 3),
      });
      continue;
    }
    const dash = slot.indexOf("-");
    const start = integerText(dash < 0 ? slot : slot.slice(0, dash));
    slots.push([start, dash < 0 ? start : integerText(slot.slice(dash + 1))]);
  }
  const node = {
    id,
    address,
    ip: hostPort.slice(0, colon),
    port: integerText(hostPort.slice(colon + 1)),
    busPort: at < 0 ? 0 : integerText(endpoint.slice(at + 1)),
    ...(comma < 0 ? {} : { hostname: address.slice(comma + 1) }),
    flags: flags.split(","),
    masterId: master === "-" ? null : master,
    pingSent: integerText(ping),
    pongReceived: integerText(pong),
    configEpoch: integerText(epoch),
    linkState: link,
    slots,
    migrating,
    importing,
  };
  return node;
}

/** CLUSTER NODES's text, one node per line. */
export function clusterNodes(value: RespValue): ClusterNode[] {
  return lines(value).map(clusterNode);
}

/** CLUSTER REPLICAS/SLAVES: an array of CLUSTER NODES lines. */
export function clusterNodeLines(value: RespValue): ClusterNode[] {
  return textArray(value).map((line) => clusterNode(line.trim()));
}

/** CLUSTER INFO's `field:value` lines. */
export function clusterInfo(value: RespValue): Record<string, string> {
  return colonRecord(lines(value));
}

/** A flat list of slot numbers, start and end alternating. */
function slotPairs(value: RespValue): SlotRange[] {
  const items = array(value);
  if (items.length % 2 !== 0) throw new TypeError("expected slot pairs");
  const out: SlotRange[] = [];
  for (let i = 0; i < items.length; i += 2) {
    out.push([integerValue(items[i]!), integerValue(items[i + 1]!)]);
  }
  return out;
}

function shardNode(value: RespValue): ClusterShardNode {
  const map = fields(value);
  const out: Record<string, unknown> = { id: text(field(map, "id")) };
  const port = map.get("port");
  if (port !== undefined) out.port = integerValue(port);
  const tlsPort = map.get("tls-port");
  if (tlsPort !== undefined) out.tlsPort = integerValue(tlsPort);
  out.ip = text(field(map, "ip"));
  out.endpoint = text(field(map, "endpoint"));
  const hostname = map.get("hostname");
  if (hostname !== undefined) out.hostname = text(hostname);
  out.role = text(field(map, "role"));
  out.replicationOffset = integerValue(field(map, "replication-offset"));
  out.health = text(field(map, "health"));
  return out as unknown as ClusterShardNode;
}

/** CLUSTER SHARDS's reply. */
export function clusterShards(value: RespValue): ClusterShard[] {
  return array(value).map((item) => {
    const map = fields(item);
    return {
      slots: slotPairs(field(map, "slots")),
      nodes: array(field(map, "nodes")).map(shardNode),
    };
  });
}

function slotsNode(value: RespValue): ClusterSlotsNode {
  const parts = array(value);
  if (parts.length < 3) throw new TypeError("expected a slot range's node");
  const metadata: Record<string, string> = Object.create(null);
  if (parts[3] !== undefined) {
    for (const [name, item] of fields(parts[3])) metadata[name] = text(item);
  }
  return {
    endpoint: parts[0] === null ? null : text(parts[0]!),
    port: integerValue(parts[1]!),
    id: text(parts[2]!),
    metadata,
  };
}

/** CLUSTER SLOTS's reply. */
export function clusterSlots(value: RespValue): ClusterSlots[] {
  return array(value).map((item) => {
    const parts = array(item);
    if (parts.length < 3) throw new TypeError("expected a slot range");
    return {
      start: integerValue(parts[0]!),
      end: integerValue(parts[1]!),
      master: slotsNode(parts[2]!),
      replicas: parts.slice(3).map(slotsNode),
    };
  });
}

/** CLUSTER LINKS's reply. */
export function clusterLinks(value: RespValue): ClusterLink[] {
  return array(value).map((item) => {
    const map = fields(item);
    return {
      direction: text(field(map, "direction")),
      node: text(field(map, "node")),
      createTime: integerValue(field(map, "create-time")),
      events: text(field(map, "events")),
      sendBufferAllocated: integerValue(field(map, "send-buffer-allocated")),
      sendBufferUsed: integerValue(field(map, "send-buffer-used")),
    };
  });
}

/** CLUSTER BUMPEPOCH's `BUMPED <epoch>` or `STILL <epoch>`. */
export function epochBump(value: RespValue): EpochBump {
  const [word, epoch] = text(value).split(" ");
  if ((word !== "BUMPED" && word !== "STILL") || epoch === undefined) {
    throw new TypeError("expected BUMPED or STILL and an epoch");
  }
  return { bumped: word === "BUMPED", epoch: integerValue(epoch) };
}
