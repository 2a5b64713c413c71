// The sequential round trip: one SET and one GET, each awaited before the
// next is issued, 1,000 pairs per iteration (so ms per iteration reads as
// µs per pair, and Bun's IPC round trip is lost in it). Compare with
// `redis-benchmark -c 1 -P 1` (deno task bench:redis), a C client against a
// server of the same kind.
//
// Two floors: a raw Deno socket (what Deno itself costs for the same round
// trips with no client at all; no Deno client can go below it) and a raw
// Bun socket in the Bun worker. Their difference is the runtimes' own cost;
// sleeve against the Deno floor is the client's.
//
// Bun runs in a child process (bench/peers/bun.ts), one request per
// iteration. The "IPC round trip" group measures an empty request: 0.08-0.65
// ms on this shared machine (2026-12-02), at most ~1% of an iteration here.

import { rawPairs } from "./_raw_pairs.ts";
import {
  benchBun,
  benchPeers,
  benchSleeve,
  setUp,
  startBun,
  VALUE_100,
  warmUp,
} from "./_setup.ts";

const { port, sleeve, then, peers } = await setUp();
const bun = await startBun(port);
const PAIRS = 1_000;

const raw = await rawPairs(port, "bench:seq", VALUE_100);
for (const client of [sleeve, ...then ? [then.redis] : [], ...peers]) {
  await warmUp(async () => {
    await client.set("bench:seq", VALUE_100);
    await client.get("bench:seq");
  }, 2_000);
}
await warmUp(() => raw.pairs(1), 2_000);
if (bun) {
  // "<length of bench:1m> <length of bench:seq>"; only the second is set here.
  const [, seqLength] = (await bun.request("check 0")).split(" ");
  if (seqLength !== "100") throw new Error(`${bun.name}: GET mismatch`);
  await bun.request("seq 2000");
  await bun.request("raw 2000");
}

const group = `sequential SET+GET, ${
  PAIRS.toLocaleString("en-US")
} pairs per iteration (ms/iter = µs/pair)`;
// Iterations of 50-300 ms: a fixed count keeps the file's run time bounded.
const size = { n: 20, warmup: 2 };

Deno.bench({
  group,
  name: "raw Deno socket, no client (the floor)",
  ...size,
  async fn() {
    await raw.pairs(PAIRS);
  },
});
benchSleeve(
  {
    group,
    name: "sleeve",
    baseline: true,
    ...size,
    async fn() {
      for (let i = 0; i < PAIRS; i++) {
        await sleeve.set("bench:seq", VALUE_100);
        await sleeve.get("bench:seq");
      }
    },
  },
  then && async function () {
    for (let i = 0; i < PAIRS; i++) {
      await then.redis.set("bench:seq", VALUE_100);
      await then.redis.get("bench:seq");
    }
  },
);
benchPeers(group, peers, async (peer) => {
  for (let i = 0; i < PAIRS; i++) {
    await peer.set("bench:seq", VALUE_100);
    await peer.get("bench:seq");
  }
}, size);
benchBun(bun, group, `seq ${PAIRS}`, size);
benchBun(
  bun,
  group,
  `raw ${PAIRS}`,
  size,
  `${bun?.name}: raw Bun socket, no client (Bun's floor)`,
);
benchBun(
  bun,
  "IPC round trip of the Bun worker (included in every bun entry)",
  "empty 0",
  {},
  "an empty request",
);
