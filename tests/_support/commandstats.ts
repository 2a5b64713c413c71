// What the server counted: calls per command from INFO commandstats, to
// check what a client did (or did not) send.

import type { Redis } from "../../mod.ts";

/** Resets the server's command statistics (CONFIG RESETSTAT). */
export async function resetCommandStats(redis: Redis): Promise<void> {
  await redis.send("CONFIG", "RESETSTAT");
}

/**
 * Calls per command since the last reset, by lower-case name (subcommands
 * as `config|get`); the INFO call itself is counted from the next one.
 */
export async function commandCalls(
  redis: Redis,
): Promise<Record<string, number>> {
  const reply = await redis.send("INFO", "commandstats");
  const text = reply instanceof Uint8Array
    ? new TextDecoder().decode(reply)
    : String(reply);
  const calls: Record<string, number> = {};
  for (const line of text.split("\r\n")) {
    const match = /^cmdstat_([^:]+):calls=(\d+),/.exec(line);
    if (match) calls[match[1]!] = Number(match[2]);
  }
  return calls;
}
