// Shared set-up of the workload benches: one throwaway redis-server per bench
// file (each file runs in its own isolate, so one workload's garbage never
// lands in another's timings), sleeve, and the peers on the same server.

import { connect, type Redis } from "../mod.ts";
import { startRedisServer } from "../tests/_support/redis_server.ts";
import { connectPeer, type Peer, PEER_NAMES } from "./peers/peers.ts";

/** What a bench file measures against. */
export interface Bench {
  port: number;
  sleeve: Redis;
  /** One client of each peer, on database 0. */
  peers: Peer[];
}

/**
 * Starts a server and connects sleeve and one client of each peer. The
 * server is killed when the module unloads.
 */
export async function setUp(): Promise<Bench> {
  const server = await startRedisServer();
  globalThis.addEventListener("unload", () => {
    server.kill("SIGKILL");
    Deno.removeSync(server.dir, { recursive: true });
  });
  const port = server.port;
  const sleeve = await connect({ port });
  const peers: Peer[] = [];
  for (const name of PEER_NAMES) peers.push(await connectPeer(name, port));
  return { port, sleeve, peers };
}

/** A 100-byte value, the size of the GET workload. */
export const VALUE_100 = "v".repeat(100);

/**
 * Runs `work` untimed a number of times so the code is optimised before the
 * runner times it: whichever client runs first in a group would otherwise
 * pay for the JIT (and sleeve, the baseline, always runs first).
 */
export async function warmUp(
  work: () => Promise<unknown>,
  times = 50,
): Promise<void> {
  for (let i = 0; i < times; i++) await work();
}
