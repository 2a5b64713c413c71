// Client-side caching: 100 concurrent readers GET a hot set of 1,000 keys
// (10 GETs each, 1,000 per iteration) through sleeve's cache (the baseline),
// through sleeve without it, and through node-redis' client-side cache
// (RESP3, BasicClientSideCache), all on the same server. The working set
// fits every cache, so after the warm-up nearly every read is a hit; the
// hit rates are printed when the run ends. See README "Client-side caching".

import { connect, type Redis } from "../mod.ts";
import { setUp, VALUE_100, warmUp, withPeers } from "./_setup.ts";
import {
  CACHED_PEER_NAMES,
  type CachedPeer,
  connectCachedPeer,
} from "./peers/peers.ts";

const { port, sleeve } = await setUp();

const HOT_KEYS = 1_000;
const READERS = 100;
const READS_PER_READER = 10;
const keys = Array.from({ length: HOT_KEYS }, (_, i) => `bench:hot:${i}`);
for (const key of keys) await sleeve.set(key, VALUE_100);

const cached = await connect({ port, cache: { maxEntries: 10_000 } });
const peers: CachedPeer[] = [];
if (withPeers) {
  for (const name of CACHED_PEER_NAMES) {
    peers.push(await connectCachedPeer(name, port, 10_000));
  }
}

interface Reader {
  get(key: string): Promise<string | null>;
}

/** One iteration: 100 readers, each reading 10 hot keys in sequence. */
async function hotReads(client: Reader): Promise<void> {
  const reader = async (r: number) => {
    for (let i = 0; i < READS_PER_READER; i++) {
      const value = await client.get(keys[(r * 7 + i * 131) % HOT_KEYS]!);
      if (value !== VALUE_100) throw new Error("wrong value");
    }
  };
  const readers: Promise<void>[] = new Array(READERS);
  for (let r = 0; r < READERS; r++) readers[r] = reader(r);
  await Promise.all(readers);
}

/** Reads every hot key once, so that every cache holds the working set. */
async function fill(client: Reader): Promise<void> {
  await Promise.all(keys.map((key) => client.get(key)));
}

for (const client of [cached, sleeve, ...peers]) {
  await fill(client);
  await warmUp(() => hotReads(client));
}

globalThis.addEventListener("unload", () => {
  const stats = cached.stats().cache;
  const rates = [
    `sleeve (cache): ${
      (100 * stats.hits / (stats.hits + stats.misses)).toFixed(2)
    }% hits`,
    ...peers.map((peer) =>
      `${peer.name}: ${(100 * peer.hitRate()).toFixed(2)}% hits`
    ),
  ];
  // deno-lint-ignore no-console
  console.log(`cache hit rates: ${rates.join(", ")}`);
});

const group = "GET of 1,000 hot keys × 100 concurrent readers (1,000 GETs)";
Deno.bench({
  group,
  name: "sleeve (cache)",
  baseline: true,
  async fn() {
    await hotReads(cached);
  },
});
Deno.bench({
  group,
  name: "sleeve (no cache)",
  async fn() {
    await hotReads(sleeve as Redis);
  },
});
for (const peer of peers) {
  Deno.bench({
    group,
    name: peer.name,
    async fn() {
      await hotReads(peer);
    },
  });
}
