// A 1 MiB GET returned as bytes (sleeve's binary view, ioredis getBuffer,
// node-redis with a Buffer type mapping).

import { benchSleeve, setUp, warmUp } from "./_setup.ts";

const { sleeve, then, peers } = await setUp();
const PIECE = crypto.getRandomValues(new Uint8Array(64 * 1024));
const BIG = new Uint8Array(1024 * 1024);
for (let i = 0; i < BIG.length; i += PIECE.length) BIG.set(PIECE, i);
await sleeve.set("bench:1m", BIG);

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

await warmUp(() => sleeve.binary.get("bench:1m"));
if (then) await warmUp(() => then.redis.binary.get("bench:1m"));
for (const peer of peers) await warmUp(() => peer.getBytes("bench:1m"));

const group = "GET 1 MiB as bytes";
benchSleeve(
  {
    group,
    name: "sleeve binary",
    baseline: true,
    async fn() {
      await sleeve.binary.get("bench:1m");
    },
  },
  then && async function () {
    await then.redis.binary.get("bench:1m");
  },
);
for (const peer of peers) {
  Deno.bench({
    group,
    name: peer.name,
    async fn() {
      await peer.getBytes("bench:1m");
    },
  });
}
