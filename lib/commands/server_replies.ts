// The shapes of the server commands' structured replies (INFO, TIME, ROLE)
// and their decoders, and the field/value helpers the other reply modules
// share (server_introspection_replies.ts for MEMORY STATS, SLOWLOG,
// LATENCY; command_replies.ts for COMMAND; acl_replies.ts;
// cluster_replies.ts). Each decoder accepts the RESP2 and the RESP3 form of
// its reply and returns the same value for both. Open-ended statistics keep
// the server's field names (INFO, CONFIG GET); fixed-shape records use the
// camelCase of the server's names.
import { IntegerRangeError } from "../errors.ts";
import type { RespValue } from "../resp/types.ts";
import { array, double, safeInteger, text } from "./_reply.ts";

/**
 * INFO's reply: each section (lower-case name, such as `server` or
 * `keyspace`) maps each of its fields to its value as the server wrote it.
 *
 * @example Usage
 * ```ts
 * import { connect, type InfoSections } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const info: InfoSections = await redis.info("server", "keyspace");
 * console.log(info.server.redis_version, info.keyspace.db0); // → "7.0.15" "keys=1,expires=0,avg_ttl=0"
 * ```
 */
export type InfoSections = Record<string, Record<string, string>>;

/**
 * TIME's reply: the server's clock.
 *
 * @example Usage
 * ```ts
 * import { connect, type ServerTime } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const { seconds, microseconds }: ServerTime = await redis.time();
 * console.log(new Date(seconds * 1000 + microseconds / 1000));
 * ```
 */
export interface ServerTime {
  /** Whole seconds since the Unix epoch. */
  readonly seconds: number;
  /** Microseconds elapsed in the current second (0 to 999999). */
  readonly microseconds: number;
}

/**
 * ROLE's reply: what the server is in replication, told apart by `role`.
 * The server says `"slave"` for a replica; the reply says `"replica"`.
 *
 * @example Usage
 * ```ts
 * import { connect, type Role } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const role: Role = await redis.role();
 * if (role.role === "master") console.log(role.replicas.length);
 * else if (role.role === "replica") console.log(role.masterHost, role.state);
 * ```
 */
export type Role = MasterRole | ReplicaRole | SentinelRole;

/**
 * ROLE's reply on a master.
 *
 * @example Usage
 * ```ts
 * import type { MasterRole } from "@sleeve/redis";
 *
 * const role: MasterRole = { role: "master", replicationOffset: 0, replicas: [] };
 * console.log(role);
 * ```
 */
export interface MasterRole {
  /** Always `"master"`. */
  readonly role: "master";
  /** The master's replication offset. */
  readonly replicationOffset: number;
  /** The connected replicas. */
  readonly replicas: readonly ConnectedReplica[];
}

/**
 * A replica connected to a master, in {@linkcode MasterRole}.
 *
 * @example Usage
 * ```ts
 * import type { ConnectedReplica } from "@sleeve/redis";
 *
 * const replica: ConnectedReplica = { host: "10.0.0.2", port: 6379, replicationOffset: 120 };
 * console.log(replica);
 * ```
 */
export interface ConnectedReplica {
  /** The replica's IP address. */
  readonly host: string;
  /** The replica's listening port. */
  readonly port: number;
  /** The last replication offset the replica acknowledged. */
  readonly replicationOffset: number;
}

/**
 * The state of a replica's link to its master: `"connect"` (it must
 * connect), `"connecting"`, `"handshake"`, `"sync"` (receiving the data set),
 * `"connected"` (online), or `"unknown"`.
 *
 * @example Usage
 * ```ts
 * import type { ReplicaState } from "@sleeve/redis";
 *
 * const state: ReplicaState = "connected";
 * console.log(state);
 * ```
 */
export type ReplicaState =
  | "connect"
  | "connecting"
  | "handshake"
  | "sync"
  | "connected"
  | "unknown";

const REPLICA_STATES: readonly ReplicaState[] = [
  "connect",
  "connecting",
  "handshake",
  "sync",
  "connected",
];

/**
 * ROLE's reply on a replica.
 *
 * @example Usage
 * ```ts
 * import type { ReplicaRole } from "@sleeve/redis";
 *
 * const role: ReplicaRole = {
 *   role: "replica",
 *   masterHost: "10.0.0.1",
 *   masterPort: 6379,
 *   state: "connected",
 *   replicationOffset: 120,
 * };
 * console.log(role);
 * ```
 */
export interface ReplicaRole {
  /** Always `"replica"` (the server says `"slave"`). */
  readonly role: "replica";
  /** The master's host. */
  readonly masterHost: string;
  /** The master's port. */
  readonly masterPort: number;
  /** The state of the link to the master. */
  readonly state: ReplicaState;
  /** The data received from the master so far, as an offset; -1 before the first sync. */
  readonly replicationOffset: number;
}

/**
 * ROLE's reply on a Sentinel.
 *
 * @example Usage
 * ```ts
 * import type { SentinelRole } from "@sleeve/redis";
 *
 * const role: SentinelRole = { role: "sentinel", masterNames: ["mymaster"] };
 * console.log(role);
 * ```
 */
export interface SentinelRole {
  /** Always `"sentinel"`. */
  readonly role: "sentinel";
  /** The names of the masters the Sentinel monitors. */
  readonly masterNames: readonly string[];
}

// ---------------------------------------------------------------------------
// Helpers shared with cluster_replies.ts, acl_replies.ts,
// server_introspection_replies.ts and command_replies.ts.

/** A field name: text, or a number some maps use as keys. */
function fieldName(value: RespValue): string {
  return typeof value === "number" ? String(value) : text(value);
}

/**
 * A field/value reply (a RESP3 map, or a RESP2 flat array of pairs) as a
 * Map from field names to raw values.
 */
export function fields(value: RespValue): Map<string, RespValue> {
  const out = new Map<string, RespValue>();
  if (value instanceof Map) {
    for (const [k, v] of value) out.set(fieldName(k), v);
    return out;
  }
  const items = array(value);
  if (items.length % 2 !== 0) {
    throw new TypeError("expected field/value pairs, received an odd count");
  }
  for (let i = 0; i < items.length; i += 2) {
    out.set(fieldName(items[i]!), items[i + 1]!);
  }
  return out;
}

/** A field that must be there. */
export function field(map: Map<string, RespValue>, name: string): RespValue {
  const value = map.get(name);
  if (value === undefined) throw new TypeError(`expected a field "${name}"`);
  return value;
}

/** An array (or RESP3 set) of text. */
export function textArray(value: RespValue): string[] {
  return array(value).map(text);
}

/**
 * An integer sent as an integer, or as a string of digits (RESP2 sends some
 * as text): always a number, an IntegerRangeError beyond ±(2^53 − 1).
 */
export function integerValue(value: RespValue): number {
  if (typeof value === "number" || typeof value === "bigint") {
    return safeInteger(value);
  }
  const s = text(value);
  if (!/^-?\d+$/.test(s)) {
    throw new TypeError("expected an integer, received a string");
  }
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new IntegerRangeError(BigInt(s));
  return n;
}

/** A number: an integer, a double, or a RESP2 bulk string holding either. */
export function numberValue(value: RespValue): number {
  if (typeof value === "bigint") return safeInteger(value);
  return double(value);
}

/** Text lines separated by CRLF (or LF), without empty ones. */
export function lines(value: RespValue): string[] {
  return text(value).split(/\r?\n/).filter((line) => line !== "");
}

/** `name:value` lines (CLUSTER INFO) as a record. */
export function colonRecord(lines: readonly string[]): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon < 0) out[line] = "";
    else out[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Decoders.

/**
 * INFO's text as sections: `# Name` starts a section (keyed by its lower-case
 * name), each `field:value` line (split at the first colon) is a field.
 */
export function infoSections(value: RespValue): InfoSections {
  const out: InfoSections = Object.create(null);
  let section: Record<string, string> | undefined;
  for (const line of lines(value)) {
    if (line.startsWith("#")) {
      const name = line.slice(1).trim().toLowerCase();
      section = out[name] ??= Object.create(null) as Record<string, string>;
      continue;
    }
    section ??= out[""] = Object.create(null) as Record<string, string>;
    const colon = line.indexOf(":");
    if (colon < 0) section[line] = "";
    else section[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return out;
}

/** A field/value reply whose values are text (CONFIG GET). */
export function textRecord(value: RespValue): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [name, item] of fields(value)) out[name] = text(item);
  return out;
}

/** TIME's `[seconds, microseconds]`, both sent as text. */
export function serverTime(value: RespValue): ServerTime {
  const items = array(value);
  if (items.length !== 2) {
    throw new TypeError("expected seconds and microseconds");
  }
  return {
    seconds: integerValue(items[0]!),
    microseconds: integerValue(items[1]!),
  };
}

/** ROLE's reply, by its first element. */
export function role(value: RespValue): Role {
  const items = array(value);
  const name = text(items[0] ?? null);
  if (name === "master" && items.length >= 3) {
    return {
      role: "master",
      replicationOffset: integerValue(items[1]!),
      replicas: array(items[2]!).map((entry) => {
        const parts = array(entry);
        if (parts.length < 3) throw new TypeError("expected a replica entry");
        return {
          host: text(parts[0]!),
          port: integerValue(parts[1]!),
          replicationOffset: integerValue(parts[2]!),
        };
      }),
    };
  }
  if (name === "slave" && items.length >= 5) {
    const state = text(items[3]!);
    return {
      role: "replica",
      masterHost: text(items[1]!),
      masterPort: integerValue(items[2]!),
      state: REPLICA_STATES.find((s) => s === state) ?? "unknown",
      replicationOffset: integerValue(items[4]!),
    };
  }
  if (name === "sentinel" && items.length >= 2) {
    return { role: "sentinel", masterNames: textArray(items[1]!) };
  }
  throw new TypeError(`expected a master, slave or sentinel role`);
}
