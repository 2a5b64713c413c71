// Options of the CLIENT commands (LIST, KILL) and the arguments they become.
// Pure functions, tested without a server.

import type { RedisArg } from "../resp/encoder.ts";
import type { Int } from "./_executor.ts";

/**
 * A kind of client connection, as CLIENT LIST and CLIENT KILL filter them:
 * ordinary clients, a replica's link to its master, replicas' links to this
 * server, and connections in pub/sub mode.
 *
 * @example Usage
 * ```ts
 * import type { ClientType } from "@sleeve/redis";
 *
 * const type: ClientType = "PUBSUB";
 * console.log(type);
 * ```
 */
export type ClientType = "NORMAL" | "MASTER" | "REPLICA" | "PUBSUB";

/**
 * Options of {@linkcode ConnectionCommands.clientList}: at most one of
 * `type` and `ids` (the server refuses both together).
 *
 * @example Usage
 * ```ts
 * import type { ClientListOptions } from "@sleeve/redis";
 *
 * const pubsub: ClientListOptions = { type: "PUBSUB" };
 * const some: ClientListOptions = { ids: [7, 9] };
 * console.log(pubsub, some);
 * ```
 */
export interface ClientListOptions {
  /**
   * Only list connections of this kind.
   *
   * @default {undefined}
   */
  type?: ClientType;
  /**
   * Only list the connections with these ids (from `clientId()`).
   *
   * @default {undefined}
   */
  ids?: readonly Int[];
}

/**
 * Which connections {@linkcode ConnectionCommands.clientKill} closes: those
 * matching every filter given (at least one).
 *
 * @example Usage
 * ```ts
 * import type { ClientKillFilters } from "@sleeve/redis";
 *
 * const filters: ClientKillFilters = { user: "reporting", type: "NORMAL" };
 * console.log(filters);
 * ```
 */
export interface ClientKillFilters {
  /**
   * The connection with this id (from `clientId()` or `clientList()`).
   *
   * @default {undefined}
   */
  id?: Int;
  /**
   * Connections of this kind.
   *
   * @default {undefined}
   */
  type?: ClientType;
  /**
   * Connections authenticated as this ACL user.
   *
   * @default {undefined}
   */
  user?: string;
  /**
   * The connection from this client address, `ip:port` (the `addr` of
   * `clientList()`).
   *
   * @default {undefined}
   */
  addr?: string;
  /**
   * Connections to this local address of the server, `ip:port` (the
   * `laddr` of `clientList()`).
   *
   * @default {undefined}
   */
  laddr?: string;
  /**
   * Spare the connection that sends the command. The server's default is
   * `true`; `false` lets this client close its own connection (it then
   * reconnects).
   *
   * @default {true}
   */
  skipme?: boolean;
  /**
   * Connections older than this many seconds. Redis 7.4 and later; older
   * servers refuse the command.
   *
   * @default {undefined}
   */
  maxage?: number;
}

/** CLIENT LIST's arguments: `[TYPE type] [ID id ...]`. */
export function clientListArgs(
  options: ClientListOptions | undefined,
): RedisArg[] {
  const out: RedisArg[] = [];
  if (options === undefined) return out;
  if (options.type !== undefined) out.push("TYPE", options.type);
  if (options.ids !== undefined) out.push("ID", ...options.ids);
  return out;
}

/** CLIENT KILL's filter arguments, as `NAME value` pairs. */
export function clientKillArgs(filters: ClientKillFilters): RedisArg[] {
  const out: RedisArg[] = [];
  if (filters.id !== undefined) out.push("ID", filters.id);
  if (filters.type !== undefined) out.push("TYPE", filters.type);
  if (filters.user !== undefined) out.push("USER", filters.user);
  if (filters.addr !== undefined) out.push("ADDR", filters.addr);
  if (filters.laddr !== undefined) out.push("LADDR", filters.laddr);
  if (filters.skipme !== undefined) {
    out.push("SKIPME", filters.skipme ? "yes" : "no");
  }
  if (filters.maxage !== undefined) out.push("MAXAGE", filters.maxage);
  return out;
}
