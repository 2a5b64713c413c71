// 200 GETs of a 1 MiB value in sequence, returned as bytes (sleeve's binary
// view, ioredis getBuffer, node-redis with a Buffer type mapping, Bun's
// getBuffer): 200 MiB per iteration, so MiB/s is 200 × iter/s. Bun runs in a
// child process, one request per iteration; its IPC round trip (0.08-0.65
// ms, see sequential_bench.ts) is at most ~0.5% of an iteration.

import {
  benchBun,
  benchPeers,
  benchSleeve,
  setUp,
  startBun,
  warmUp,
} from "./_setup.ts";

const { port, sleeve, then, peers } = await setUp();
const bun = await startBun(port);
const PIECE = crypto.getRandomValues(new Uint8Array(64 * 1024));
const BIG = new Uint8Array(1024 * 1024);
for (let i = 0; i < BIG.length; i += PIECE.length) BIG.set(PIECE, i);
await sleeve.set("bench:1m", BIG);
const GETS = 200;

// Check once, before anything is measured, that every client reads it whole.
const mine = await sleeve.binary.get("bench:1m");
if (mine?.length !== BIG.length || mine[777_777] !== BIG[777_777]) {
  throw new Error("sleeve: 1 MiB mismatch");
}
if (then) {
  const old = await then.redis.binary.get("bench:1m");
  if (old?.length !== BIG.length || old[777_777] !== BIG[777_777]) {
    throw new Error("sleeve at the baseline commit: 1 MiB mismatch");
  }
}
for (const peer of peers) {
  const bytes = await peer.getBytes("bench:1m");
  if (bytes?.length !== BIG.length || bytes[777_777] !== BIG[777_777]) {
    throw new Error(`${peer.name}: 1 MiB mismatch`);
  }
}
if (bun) {
  const [bigLength] = (await bun.request("check 0")).split(" ");
  if (bigLength !== String(BIG.length)) {
    throw new Error(`${bun.name}: 1 MiB mismatch`);
  }
  await bun.request("get1m 50");
}

await warmUp(() => sleeve.binary.get("bench:1m"));
if (then) await warmUp(() => then.redis.binary.get("bench:1m"));
for (const peer of peers) await warmUp(() => peer.getBytes("bench:1m"));

const group =
  `GET 1 MiB as bytes, ${GETS} in sequence (MiB/s = ${GETS} × iter/s)`;
// Iterations of 50-200 ms: a fixed count keeps the file's run time bounded.
const size = { n: 15, warmup: 2 };
benchSleeve(
  {
    group,
    name: "sleeve binary",
    baseline: true,
    ...size,
    async fn() {
      for (let i = 0; i < GETS; i++) await sleeve.binary.get("bench:1m");
    },
  },
  then && async function () {
    for (let i = 0; i < GETS; i++) await then.redis.binary.get("bench:1m");
  },
);
benchPeers(group, peers, async (peer) => {
  for (let i = 0; i < GETS; i++) await peer.getBytes("bench:1m");
}, size);
benchBun(bun, group, `get1m ${GETS}`, size);
