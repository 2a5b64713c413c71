// TEMPORARY stub of the command-spec API (replaced by the generated table's
// decoder): names and pre-encoded heads only.

import type { RequestCommand } from "../connection/connection.ts";
import type { RedisArg } from "../resp/encoder.ts";

/** A command or subcommand. */
export interface Command extends RequestCommand {
  /** Flag bits. */
  readonly flags: number;
  /** Whether the table knows it. */
  readonly known: boolean;
}

const utf8 = new TextEncoder();
const CONTAINERS = new Set([
  "ACL",
  "CLIENT",
  "CLUSTER",
  "COMMAND",
  "CONFIG",
  "FUNCTION",
  "LATENCY",
  "MEMORY",
  "MODULE",
  "OBJECT",
  "PUBSUB",
  "SCRIPT",
  "SLOWLOG",
  "XGROUP",
  "XINFO",
]);
const made = new Map<string, Command>();

function make(tokens: string[], known: boolean): Command {
  let head = "";
  for (const t of tokens) head += `$${utf8.encode(t).length}\r\n${t}\r\n`;
  return {
    name: tokens.join(" "),
    head: utf8.encode(head),
    tokens: tokens.length,
    flags: 0,
    known,
  };
}

/** The command named `name` ("GET", "CONFIG GET"). */
export function command(name: string): Command {
  const key = name.toUpperCase().replace("|", " ");
  let found = made.get(key);
  if (found === undefined) {
    found = make(key.split(" "), true);
    made.set(key, found);
  }
  return found;
}

function word(arg: RedisArg | undefined): string | undefined {
  if (typeof arg === "string") return arg.toUpperCase();
  if (arg instanceof Uint8Array && arg.length <= 64) {
    return new TextDecoder().decode(arg).toUpperCase();
  }
  return undefined;
}

/** The command `argv` starts with (one or two name tokens). */
export function resolve(argv: readonly RedisArg[]): Command {
  const first = word(argv[0]) ?? String(argv[0]);
  const sub = CONTAINERS.has(first) ? word(argv[1]) : undefined;
  return command(sub === undefined ? first : `${first} ${sub}`);
}
