// Shared set-up of the workload benches: one throwaway redis-server per bench
// file (each file runs in its own isolate, so one workload's garbage never
// lands in another's timings), sleeve, sleeve at a baseline commit when one
// is given (bench/_baseline.ts), and the peers on the same server.
// SLEEVE_BENCH_PEERS=0 leaves the peers out (deno task bench:baseline does
// unless asked for them); SLEEVE_BENCH_PEERS=bun keeps only Bun, which runs
// in its own process: running the Node clients leaves a Deno process slower
// at large values for whoever runs after them (README "Benchmarks").

import type * as Sleeve from "../mod.ts";
import { connect, type ConnectOptions, type Redis } from "../mod.ts";
import { startRedisServer } from "../tests/_support/redis_server.ts";
import { baseline } from "./_baseline.ts";
import { type BunWorker, startBunWorker } from "./peers/bun.ts";
import { connectPeer, type Peer, PEER_NAMES } from "./peers/peers.ts";

export { baseline, benchSleeve } from "./_baseline.ts";

/** sleeve at the baseline commit. */
export interface Then {
  /** Its client, connected like `Bench.sleeve`. */
  redis: Redis;
  /** That commit's connect(), for variants (typed as today's). */
  connect(options: ConnectOptions): Promise<Redis>;
}

/** What a bench file measures against. */
export interface Bench {
  port: number;
  sleeve: Redis;
  /** sleeve at the baseline commit, when SLEEVE_BASELINE names one. */
  then?: Then;
  /** One client of each in-process peer, on database 0 (see withPeers). */
  peers: Peer[];
}

const PEERS = Deno.env.get("SLEEVE_BENCH_PEERS") ?? "all";
if (!["all", "0", "bun"].includes(PEERS)) {
  throw new Error(`SLEEVE_BENCH_PEERS is all, 0 or bun, not ${PEERS}`);
}
/** Whether the in-process peers (ioredis, node-redis) take part. */
export const withPeers = PEERS === "all";
/** Whether Bun takes part. */
export const withBun = PEERS === "all" || PEERS === "bun";

/**
 * Starts a server and connects sleeve (now and at the baseline commit) and
 * one client of each peer. The server is killed when the module unloads.
 */
export async function setUp(): Promise<Bench> {
  const server = await startRedisServer();
  globalThis.addEventListener("unload", () => {
    server.kill("SIGKILL");
    Deno.removeSync(server.dir, { recursive: true });
  });
  const port = server.port;
  const sleeve = await connect({ port });
  let then: Then | undefined;
  if (baseline !== undefined) {
    const old = await baseline.import<typeof Sleeve>("mod.ts");
    then = { redis: await old.connect({ port }), connect: old.connect };
  }
  const peers: Peer[] = [];
  if (withPeers) {
    for (const name of PEER_NAMES) peers.push(await connectPeer(name, port));
  }
  return { port, sleeve, ...(then === undefined ? {} : { then }), peers };
}

/**
 * Bun's client in a child process (bench/peers/bun.ts), for the groups whose
 * iterations are large enough to hide its IPC round trip; undefined with
 * SLEEVE_BENCH_PEERS=0.
 */
export function startBun(port: number): Promise<BunWorker | undefined> {
  return withBun ? startBunWorker(port) : Promise.resolve(undefined);
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

/** Iteration counts of a bench entry, as `Deno.bench` takes them. */
export type Size = Pick<Deno.BenchDefinition, "n" | "warmup">;

/** One entry per peer in `group`; an iteration is `fn(peer)`. */
export function benchPeers(
  group: string,
  peers: readonly Peer[],
  fn: (peer: Peer) => Promise<unknown>,
  size: Size = {},
): void {
  for (const peer of peers) {
    Deno.bench({
      group,
      name: peer.name,
      ...size,
      async fn() {
        await fn(peer);
      },
    });
  }
}

/**
 * Bun's entry in `group`, when Bun takes part: an iteration is one `request`
 * to its worker (bench/peers/bun.ts), named `name` (Bun's by default).
 */
export function benchBun(
  bun: BunWorker | undefined,
  group: string,
  request: string,
  size: Size = {},
  name?: string,
): void {
  if (bun === undefined) return;
  Deno.bench({
    group,
    name: name ?? bun.name,
    ...size,
    async fn() {
      await bun.request(request);
    },
  });
}
