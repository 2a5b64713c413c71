// The shapes of the ACL commands' structured replies (ACL GETUSER, ACL LOG)
// and their decoders, which accept the RESP2 and the RESP3 form alike. The
// other server replies are in server_replies.ts,
// server_introspection_replies.ts and command_replies.ts.

import type { RespValue } from "../resp/types.ts";
import { array, text } from "./_reply.ts";
import {
  field,
  fields,
  integerValue,
  numberValue,
  textArray,
} from "./server_replies.ts";

/**
 * An ACL user's rules, in ACL GETUSER's reply.
 *
 * @example Usage
 * ```ts
 * import { connect, type AclUser } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const user: AclUser | null = await redis.aclGetuser("default");
 * console.log(user?.flags, user?.commands); // → ["on", "nopass"] "+@all"
 * ```
 */
export interface AclUser {
  /** Flags such as `"on"`, `"off"`, `"nopass"`. */
  readonly flags: readonly string[];
  /** The SHA-256 hashes (hex) of its passwords. */
  readonly passwords: readonly string[];
  /** The commands it may run, as rules (`"+@all -debug"`). */
  readonly commands: string;
  /** The key patterns it may use, as rules (`"~*"`, `"%R~cache:*"`). */
  readonly keys: string;
  /** The channel patterns it may use, as rules (`"&*"`). */
  readonly channels: string;
  /** Its further selectors (Redis 7). */
  readonly selectors: readonly AclSelector[];
}

/**
 * A selector of an ACL user: a further set of command, key and channel
 * rules, any of which may allow a command.
 *
 * @example Usage
 * ```ts
 * import type { AclSelector } from "@sleeve/redis";
 *
 * const selector: AclSelector = { commands: "-@all +get", keys: "~cache:*", channels: "" };
 * console.log(selector);
 * ```
 */
export interface AclSelector {
  /** The commands it allows, as rules. */
  readonly commands: string;
  /** The key patterns it allows, as rules. */
  readonly keys: string;
  /** The channel patterns it allows, as rules. */
  readonly channels: string;
}

/**
 * An entry of the ACL log: a denied command or a failed authentication.
 *
 * @example Usage
 * ```ts
 * import { connect, type AclLogEntry } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const entries: AclLogEntry[] = await redis.aclLog({ count: 5 });
 * for (const entry of entries) console.log(entry.reason, entry.username, entry.object);
 * ```
 */
export interface AclLogEntry {
  /** How many times this same denial happened in a row. */
  readonly count: number;
  /** Why: `"auth"`, `"command"`, `"key"` or `"channel"`. */
  readonly reason: string;
  /** Where: `"toplevel"`, `"multi"`, `"lua"` or `"module"`. */
  readonly context: string;
  /** The command, key or channel denied (`"AUTH"` for authentication). */
  readonly object: string;
  /** The user concerned. */
  readonly username: string;
  /** The entry's age in seconds. */
  readonly ageSeconds: number;
  /** The client, as CLIENT LIST describes it. */
  readonly clientInfo: string;
  /** The entry's unique id (Redis 7.2). */
  readonly entryId?: number;
  /** When it was created, in Unix milliseconds (Redis 7.2). */
  readonly timestampCreated?: number;
  /** When it was last updated, in Unix milliseconds (Redis 7.2). */
  readonly timestampLastUpdated?: number;
}

function rules(map: Map<string, RespValue>, name: string): string {
  const value = map.get(name);
  return value === undefined || value === null ? "" : text(value);
}

/** ACL GETUSER's reply, or null for an unknown user. */
export function aclUser(value: RespValue): AclUser | null {
  if (value === null) return null;
  const map = fields(value);
  return {
    flags: textArray(map.get("flags") ?? []),
    passwords: textArray(map.get("passwords") ?? []),
    commands: rules(map, "commands"),
    keys: rules(map, "keys"),
    channels: rules(map, "channels"),
    selectors: array(map.get("selectors") ?? []).map((item) => {
      const selector = fields(item);
      return {
        commands: rules(selector, "commands"),
        keys: rules(selector, "keys"),
        channels: rules(selector, "channels"),
      };
    }),
  };
}

/** ACL LOG's entries. */
export function aclLogEntries(value: RespValue): AclLogEntry[] {
  return array(value).map((item) => {
    const map = fields(item);
    const entry: Record<string, unknown> = {
      count: integerValue(field(map, "count")),
      reason: text(field(map, "reason")),
      context: text(field(map, "context")),
      object: text(field(map, "object")),
      username: text(field(map, "username")),
      ageSeconds: numberValue(field(map, "age-seconds")),
      clientInfo: text(field(map, "client-info")),
    };
    const id = map.get("entry-id");
    if (id !== undefined) entry.entryId = integerValue(id);
    const created = map.get("timestamp-created");
    if (created !== undefined) entry.timestampCreated = integerValue(created);
    const updated = map.get("timestamp-last-updated");
    if (updated !== undefined) {
      entry.timestampLastUpdated = integerValue(updated);
    }
    return entry as unknown as AclLogEntry;
  });
}
