// Reads a server's COMMAND INFO reply (RESP3) into plain records, for tests
// that compare the generated command table with the server.

import type { RespValue } from "../../lib/resp/types.ts";

/** One command or subcommand of COMMAND INFO. */
export interface ServerCommand {
  /** As the server names it: "get", "object|encoding". */
  name: string;
  arity: number;
  flags: string[];
  tips: string[];
  keySpecs: Map<RespValue, RespValue>[];
}

/** Every command and subcommand, containers before their subcommands. */
export function serverCommands(info: RespValue): ServerCommand[] {
  if (!Array.isArray(info)) throw new Error("COMMAND INFO is not an array");
  const found: ServerCommand[] = [];
  const visit = (entry: RespValue) => {
    if (!Array.isArray(entry)) {
      throw new Error("COMMAND INFO entry is not an array");
    }
    found.push({
      name: String(entry[0]),
      arity: Number(entry[1]),
      flags: items(entry[2]).map(String),
      tips: items(entry[7]).map(String),
      keySpecs: items(entry[8]).map((spec) => {
        if (!(spec instanceof Map)) throw new Error("key spec is not a map");
        return spec;
      }),
    });
    for (const sub of items(entry[9])) visit(sub);
  };
  for (const entry of info) visit(entry);
  return found;
}

/** Whether a key spec is flagged `not_key` (a shard channel). */
export function isNotKey(spec: Map<RespValue, RespValue>): boolean {
  return items(spec.get("flags")).includes("not_key");
}

/** A RESP3 set or array as an array (7.0 sends ordered lists as sets). */
export function items(value: RespValue | undefined): RespValue[] {
  if (value instanceof Set) return [...value];
  if (Array.isArray(value)) return value;
  return [];
}
