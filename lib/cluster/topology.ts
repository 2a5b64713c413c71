// Owns a Redis Cluster's slot map: decodes CLUSTER SHARDS (Redis 7) and
// CLUSTER SLOTS replies, under RESP2 and RESP3, into one Topology (a slot
// table indexing the list of masters), and refreshes it single-flight and
// rate-limited. Knows nothing about connections: the caller supplies the
// function that sends one query.

import { ClusterError, ReplyError } from "../errors.ts";
import type { RespValue } from "../resp/types.ts";
import { sleep } from "../_timers.ts";
import { SLOTS } from "./slot.ts";

/**
 * Rewrites an announced `"host:port"` into the one this client can reach
 * (Docker, NAT): a function (returning `undefined` keeps the address) or a
 * record keyed by announced address.
 *
 * @example Usage
 * ```ts ignore
 * const map: AddressMap = { "10.0.0.5:6379": "127.0.0.1:7000" };
 * ```
 */
export type AddressMap =
  | ((address: string) => string | undefined)
  | Readonly<Record<string, string>>;

/** Options of the decoders. */
export interface TopologyOptions {
  /** Announced address → reachable address, applied to every node. */
  addressMap?: AddressMap;
  /**
   * Use each node's `tls-port` (CLUSTER SHARDS) instead of its `port` when
   * it has one. CLUSTER SLOTS announces one port only.
   *
   * @default {false}
   */
  tls?: boolean;
  /**
   * The host of the node that answered: a node that does not know its own
   * address (a cluster of one, never met by a peer) announces an empty
   * endpoint, which means "the host you asked".
   */
  fallbackHost?: string;
}

/** One node of a {@linkcode Topology}. */
export interface TopologyNode {
  /** `"host:port"` to connect to (after the address map). */
  readonly address: string;
  readonly host: string;
  readonly port: number;
  /** Its cluster node id, when the server sent one. */
  readonly id: string | undefined;
}

/** One master of a {@linkcode Topology}, its replicas and its slot ranges. */
export interface TopologyShard {
  readonly master: TopologyNode;
  /** Replicas the server reports usable (online), in the server's order. */
  readonly replicas: readonly TopologyNode[];
  /** Inclusive, ascending, merged slot ranges. */
  readonly ranges: readonly (readonly [start: number, end: number])[];
}

/** No master serves the slot. */
const NONE = 0xffff;

/**
 * A cluster's slot map: for each of the 16384 slots the index of its master
 * in {@linkcode Topology.shards} (a `Uint16Array`, so a lookup is one load).
 * Masters owning no slot are left out; shards are ordered by their lowest
 * slot, so the same cluster state gives the same Topology from CLUSTER SHARDS
 * and from CLUSTER SLOTS.
 */
export class Topology {
  /** Every master owning at least one slot, by lowest slot. */
  readonly shards: readonly TopologyShard[];
  /** `table[slot]` is an index into {@linkcode shards}, or 0xffff when unassigned. */
  readonly table: Uint16Array;

  /**
   * Constructs a new instance (use the decoders).
   *
   * @param shards The masters, by lowest slot.
   * @param table The slot table indexing `shards`.
   */
  constructor(shards: readonly TopologyShard[], table: Uint16Array) {
    this.shards = shards;
    this.table = table;
  }

  /** The masters, by lowest slot. */
  get masters(): TopologyNode[] {
    return this.shards.map((s) => s.master);
  }

  /**
   * The master serving `slot`.
   *
   * @param slot A hash slot, 0 to 16383.
   * @returns Its master, or `undefined` when no master serves it.
   */
  master(slot: number): TopologyNode | undefined {
    const index = this.table[slot];
    return index === undefined || index === NONE
      ? undefined
      : this.shards[index]!.master;
  }

  /**
   * The replicas of the master serving `slot`.
   *
   * @param slot A hash slot, 0 to 16383.
   * @returns Its replicas (empty when none or unassigned).
   */
  replicas(slot: number): readonly TopologyNode[] {
    const index = this.table[slot];
    return index === undefined || index === NONE
      ? []
      : this.shards[index]!.replicas;
  }

  /** Every node, masters first, each address once. */
  get nodes(): TopologyNode[] {
    const seen = new Map<string, TopologyNode>();
    for (const s of this.shards) seen.set(s.master.address, s.master);
    for (const s of this.shards) {
      for (const r of s.replicas) {
        if (!seen.has(r.address)) seen.set(r.address, r);
      }
    }
    return [...seen.values()];
  }

  /** Whether every slot has a master. */
  get complete(): boolean {
    return !this.table.includes(NONE);
  }
}

// ---------------------------------------------------------------- decoding

function fail(what: string, value: unknown): never {
  const kind = value === null
    ? "null"
    : Array.isArray(value)
    ? "array"
    : value instanceof Map
    ? "map"
    : value instanceof Uint8Array
    ? "bytes"
    : typeof value;
  throw new TypeError(
    `Cannot decode the cluster topology: expected ${what}, received ${kind}`,
  );
}

const utf8 = new TextDecoder();

function text(value: RespValue | undefined, what: string): string {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return utf8.decode(value);
  return fail(what, value);
}

function textOrNull(value: RespValue | undefined): string | null {
  return value === null || value === undefined ? null : text(value, "a string");
}

function int(value: RespValue | undefined, what: string): number {
  if (typeof value === "number" && Number.isSafeInteger(value)) return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" || value instanceof Uint8Array) {
    const n = Number(text(value, what));
    if (Number.isSafeInteger(n)) return n;
  }
  return fail(what, value);
}

function list(value: RespValue | undefined, what: string): RespValue[] {
  if (Array.isArray(value)) return value;
  if (value instanceof Set) return [...value];
  return fail(what, value);
}

/** A RESP3 map or a RESP2 flat field/value array, keyed by text. */
function fields(
  value: RespValue | undefined,
  what: string,
): Map<string, RespValue> {
  const out = new Map<string, RespValue>();
  if (value instanceof Map) {
    for (const [k, v] of value) out.set(text(k, "a field name"), v);
  } else if (Array.isArray(value) && value.length % 2 === 0) {
    for (let i = 0; i < value.length; i += 2) {
      out.set(text(value[i], "a field name"), value[i + 1]!);
    }
  } else {
    fail(what, value);
  }
  return out;
}

function applyMap(address: string, map: AddressMap | undefined): string {
  if (map === undefined) return address;
  const mapped = typeof map === "function"
    ? map(address)
    : Object.hasOwn(map, address)
    ? map[address]
    : undefined;
  return mapped ?? address;
}

function makeNode(
  host: string,
  port: number,
  id: string | undefined,
  options: TopologyOptions,
): TopologyNode {
  const address = applyMap(`${host}:${port}`, options.addressMap);
  const colon = address.lastIndexOf(":");
  const mappedPort = Number(address.slice(colon + 1));
  if (
    colon <= 0 || !Number.isInteger(mappedPort) || mappedPort <= 0 ||
    mappedPort > 65535
  ) {
    throw new TypeError(
      "Cannot decode the cluster topology: the address map returned an address that is not host:port",
    );
  }
  return { address, host: address.slice(0, colon), port: mappedPort, id };
}

/** An announced endpoint a client can use: not empty, not "?" (unknown). */
function usable(endpoint: string | null): endpoint is string {
  return endpoint !== null && endpoint !== "" && endpoint !== "?";
}

interface Draft {
  master: TopologyNode;
  replicas: TopologyNode[];
  ranges: [number, number][];
}

function build(drafts: Draft[]): Topology {
  // One shard per master (CLUSTER SLOTS repeats a master per range).
  const byMaster = new Map<string, Draft>();
  for (const d of drafts) {
    const key = d.master.id ?? d.master.address;
    const known = byMaster.get(key);
    if (known === undefined) byMaster.set(key, d);
    else known.ranges.push(...d.ranges);
  }
  const shards: TopologyShard[] = [];
  for (const d of byMaster.values()) {
    if (d.ranges.length === 0) continue;
    d.ranges.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [start, end] of d.ranges) {
      const last = merged[merged.length - 1];
      if (last !== undefined && start <= last[1] + 1) {
        last[1] = Math.max(last[1], end);
      } else merged.push([start, end]);
    }
    shards.push({ master: d.master, replicas: d.replicas, ranges: merged });
  }
  shards.sort((a, b) => a.ranges[0]![0] - b.ranges[0]![0]);
  const table = new Uint16Array(SLOTS).fill(NONE);
  shards.forEach((shard, index) => {
    for (const [start, end] of shard.ranges) table.fill(index, start, end + 1);
  });
  return new Topology(shards, table);
}

function range(start: number, end: number): [number, number] {
  if (start < 0 || end >= SLOTS || start > end) {
    throw new TypeError(
      "Cannot decode the cluster topology: a slot range is out of bounds",
    );
  }
  return [start, end];
}

/**
 * Decodes a CLUSTER SHARDS reply (Redis 7), RESP2 or RESP3.
 *
 * A node's address is its `endpoint` (or `ip` when the endpoint is empty)
 * and its `port` (`tls-port` with `tls`); nodes whose endpoint is unknown
 * (`?`) and replicas whose health is not `online` (`failed`, or `loading`:
 * not yet synced) are left out, as CLUSTER SLOTS leaves them out.
 *
 * @param reply The reply.
 * @param options The address map and TLS choice.
 * @returns The topology.
 * @throws {TypeError} When the reply does not have the shape of CLUSTER SHARDS.
 */
export function decodeShards(
  reply: RespValue,
  options: TopologyOptions = {},
): Topology {
  const drafts: Draft[] = [];
  for (const rawShard of list(reply, "an array of shards")) {
    const shard = fields(rawShard, "a shard");
    const slots = list(shard.get("slots"), "a slot list");
    if (slots.length % 2 !== 0) fail("slot pairs", slots);
    const ranges: [number, number][] = [];
    for (let i = 0; i < slots.length; i += 2) {
      ranges.push(range(int(slots[i], "a slot"), int(slots[i + 1], "a slot")));
    }
    let master: TopologyNode | undefined;
    const replicas: TopologyNode[] = [];
    for (const rawNode of list(shard.get("nodes"), "a node list")) {
      const node = fields(rawNode, "a node");
      const role = text(node.get("role"), "a role");
      const health = textOrNull(node.get("health") ?? null);
      let endpoint = textOrNull(node.get("endpoint") ?? null);
      if (endpoint === "") endpoint = textOrNull(node.get("ip") ?? null);
      if (endpoint === "") endpoint = options.fallbackHost ?? "";
      if (!usable(endpoint)) continue;
      const tlsPort = node.get("tls-port");
      const plainPort = node.get("port");
      const rawPort = options.tls && tlsPort !== undefined
        ? tlsPort
        : plainPort ?? tlsPort;
      const port = int(rawPort, "a port");
      const id = textOrNull(node.get("id") ?? null) ?? undefined;
      if (role === "master") {
        master = makeNode(endpoint, port, id, options);
      } else if (health === null || health === "online") {
        replicas.push(makeNode(endpoint, port, id, options));
      }
    }
    if (master !== undefined) drafts.push({ master, replicas, ranges });
  }
  return build(drafts);
}

/**
 * Decodes a CLUSTER SLOTS reply, RESP2 or RESP3: one entry per slot range,
 * `[start, end, master, ...replicas]`, each node `[endpoint, port, id, ...]`.
 * Nodes whose endpoint is unknown (`?`, empty or null) are left out.
 *
 * @param reply The reply.
 * @param options The address map.
 * @returns The topology.
 * @throws {TypeError} When the reply does not have the shape of CLUSTER SLOTS.
 */
export function decodeSlots(
  reply: RespValue,
  options: TopologyOptions = {},
): Topology {
  const drafts: Draft[] = [];
  for (const rawEntry of list(reply, "an array of slot ranges")) {
    const entry = list(rawEntry, "a slot range");
    if (entry.length < 3) fail("a slot range with a master", entry);
    const span = range(int(entry[0], "a slot"), int(entry[1], "a slot"));
    const nodes: TopologyNode[] = [];
    let masterMissing = false;
    for (let i = 2; i < entry.length; i++) {
      const node = list(entry[i], "a node");
      let endpoint = textOrNull(node[0] ?? null);
      if (endpoint === "") endpoint = options.fallbackHost ?? "";
      if (!usable(endpoint)) {
        if (i === 2) masterMissing = true;
        continue;
      }
      const id = node.length > 2 ? text(node[2], "a node id") : undefined;
      nodes.push(makeNode(endpoint, int(node[1], "a port"), id, options));
    }
    if (masterMissing) continue;
    drafts.push({
      master: nodes[0]!,
      replicas: nodes.slice(1),
      ranges: [span],
    });
  }
  return build(drafts);
}

// --------------------------------------------------------------- refreshing

/** Which topology query to send: CLUSTER SHARDS or CLUSTER SLOTS. */
export type TopologyQuery = "SHARDS" | "SLOTS";

/** A topology reply and the host of the node that sent it. */
export class Answered {
  /**
   * Constructs a new instance.
   *
   * @param reply The raw reply.
   * @param host The host of the node that answered.
   */
  constructor(readonly reply: RespValue, readonly host: string) {}
}

/** Options of {@linkcode TopologyRefresher}. */
export interface TopologyRefresherOptions extends TopologyOptions {
  /**
   * Sends `CLUSTER <query>` (trying the known nodes in turn is the caller's
   * business) and resolves to the raw reply, or to the topology `decode`
   * made of it: a caller that tries nodes in turn decodes each answer, so
   * that a node whose answer is of no use (one serving no slot: reset, or
   * not in the cluster yet) is passed over like one that did not answer.
   */
  query: (
    query: TopologyQuery,
    decode: (answer: RespValue | Answered) => Topology,
  ) => Promise<RespValue | Answered | Topology>;
  /**
   * The least time between the starts of two queries, in ms.
   *
   * @default {250}
   */
  minIntervalMs?: number;
  /** The clock, in ms (default `performance.now`). */
  now?: () => number;
  /** Waits `ms` milliseconds (default `setTimeout`). */
  sleep?: (ms: number) => Promise<void>;
  /** Told of every failed refresh (the last good topology is kept). */
  onError?: (error: unknown, reason: string) => void;
}

/** Whether the server does not know CLUSTER SHARDS (Redis before 7). */
function unknownSubcommand(error: unknown): boolean {
  return error instanceof ReplyError &&
    /unknown (sub)?command/i.test(error.message);
}

/**
 * Keeps a cluster's {@linkcode Topology} current without ever flooding the
 * cluster with queries:
 *
 * - **Single-flight**: while a refresh is waiting or running, every other
 *   `refresh()` shares it (one query for any number of callers).
 * - **Rate-limited**: two queries start at least `minIntervalMs` (250 ms)
 *   apart. A `refresh()` inside that window does not query at once: it waits
 *   until the next allowed time and then runs one query, shared by every call
 *   made meanwhile. So a burst over T ms costs at most `1 + T / 250` queries.
 * - Sends CLUSTER SHARDS; when the server says the subcommand is unknown
 *   (Redis 6), sends CLUSTER SLOTS instead, now and from then on (the
 *   fallback is part of the same refresh).
 * - A failed query (network, error reply, undecodable reply) keeps the last
 *   good topology; the error goes to `onError` (with the reason of the call
 *   that started the refresh) and rejects that refresh for every caller
 *   sharing it, so a fire-and-forget caller (on MOVED, say) must attach a
 *   `.catch()`.
 */
export class TopologyRefresher {
  #options: TopologyRefresherOptions;
  #interval: number;
  #now: () => number;
  #sleep: (ms: number) => Promise<void>;
  #topology: Topology | undefined;
  #pending: Promise<Topology> | undefined;
  #lastStart = -Infinity;
  #useSlots = false;
  #queries = 0;

  /**
   * Constructs a new instance.
   *
   * @param options The query function, decoding options and clock.
   */
  constructor(options: TopologyRefresherOptions) {
    this.#options = options;
    this.#interval = options.minIntervalMs ?? 250;
    this.#now = options.now ?? (() => performance.now());
    this.#sleep = options.sleep ?? sleep;
  }

  /** The last good topology, or `undefined` before the first success. */
  get topology(): Topology | undefined {
    return this.#topology;
  }

  /** How many queries were sent (the SHARDS→SLOTS fallback counts two). */
  get queries(): number {
    return this.#queries;
  }

  /** Whether CLUSTER SLOTS is used because CLUSTER SHARDS is unknown. */
  get usesSlots(): boolean {
    return this.#useSlots;
  }

  /**
   * Refreshes the topology, sharing a refresh already waiting or running.
   *
   * @param reason Why (MOVED, connection error, periodic...), for `onError`.
   * @returns The new topology.
   * @throws The query's or the decoder's error; the last good topology is kept.
   */
  refresh(reason: string): Promise<Topology> {
    this.#pending ??= this.#run(reason).finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #run(reason: string): Promise<Topology> {
    const wait = this.#lastStart + this.#interval - this.#now();
    if (wait > 0) await this.#sleep(wait);
    this.#lastStart = this.#now();
    try {
      const topology = await this.#query();
      this.#topology = topology;
      return topology;
    } catch (error) {
      this.#options.onError?.(error, reason);
      throw error;
    }
  }

  async #query(): Promise<Topology> {
    if (!this.#useSlots) {
      let answer: RespValue | Answered | Topology;
      try {
        this.#queries++;
        answer = await this.#options.query("SHARDS", this.#decodeShards);
      } catch (error) {
        if (!unknownSubcommand(error)) throw error;
        this.#useSlots = true;
        return await this.#query();
      }
      return answer instanceof Topology ? answer : this.#decodeShards(answer);
    }
    this.#queries++;
    const answer = await this.#options.query("SLOTS", this.#decodeSlots);
    return answer instanceof Topology ? answer : this.#decodeSlots(answer);
  }

  #decodeShards = (answer: RespValue | Answered): Topology =>
    serving(decodeShards(...this.#decodable(answer)), "SHARDS");

  #decodeSlots = (answer: RespValue | Answered): Topology =>
    serving(decodeSlots(...this.#decodable(answer)), "SLOTS");

  #decodable(answer: RespValue | Answered): [RespValue, TopologyOptions] {
    if (!(answer instanceof Answered)) return [answer, this.#options];
    return [answer.reply, { ...this.#options, fallbackHost: answer.host }];
  }
}

/**
 * `topology` when a node serves a slot in it; throws otherwise: the node
 * that answered is reset, or not in the cluster yet, and knows nothing.
 */
function serving(topology: Topology, query: TopologyQuery): Topology {
  if (topology.shards.length > 0) return topology;
  throw new ClusterError(
    `CLUSTER ${query}`,
    "its answer names no node serving a slot (a node reset, or not in the cluster yet)",
  );
}
