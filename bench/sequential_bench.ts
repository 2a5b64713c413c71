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

import { benchSleeve, setUp, startBun, VALUE_100, warmUp } from "./_setup.ts";

const { port, sleeve, then, peers } = await setUp();
const bun = await startBun(port);
const PAIRS = 1_000;

const raw = await Deno.connect({ hostname: "127.0.0.1", port });
const utf8 = new TextEncoder();
const SET_BYTES = utf8.encode(
  `*3\r\n$3\r\nSET\r\n$9\r\nbench:seq\r\n$100\r\n${VALUE_100}\r\n`,
);
const GET_BYTES = utf8.encode("*2\r\n$3\r\nGET\r\n$9\r\nbench:seq\r\n");
const readBuffer = new Uint8Array(4096);
/** Writes pre-encoded bytes, reads into one reused buffer until the reply's length arrived. */
async function rawRoundTrip(
  command: Uint8Array,
  replyLength: number,
): Promise<void> {
  await raw.write(command);
  let got = 0;
  while (got < replyLength) {
    const n = await raw.read(readBuffer.subarray(got));
    if (n === null) throw new Error("raw connection closed");
    got += n;
  }
}
async function rawPairs(): Promise<void> {
  for (let i = 0; i < PAIRS; i++) {
    await rawRoundTrip(SET_BYTES, 5); // +OK\r\n
    await rawRoundTrip(GET_BYTES, 100 + 8); // $100\r\n...\r\n
  }
}

for (const client of [sleeve, ...then ? [then.redis] : [], ...peers]) {
  await warmUp(async () => {
    await client.set("bench:seq", VALUE_100);
    await client.get("bench:seq");
  }, 2_000);
}
await warmUp(async () => {
  await rawRoundTrip(SET_BYTES, 5);
  await rawRoundTrip(GET_BYTES, 100 + 8);
}, 2_000);
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
  fn: rawPairs,
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
for (const peer of peers) {
  Deno.bench({
    group,
    name: peer.name,
    ...size,
    async fn() {
      for (let i = 0; i < PAIRS; i++) {
        await peer.set("bench:seq", VALUE_100);
        await peer.get("bench:seq");
      }
    },
  });
}
if (bun) {
  Deno.bench({
    group,
    name: bun.name,
    ...size,
    async fn() {
      await bun.request(`seq ${PAIRS}`);
    },
  });
  Deno.bench({
    group,
    name: `${bun.name}: raw Bun socket, no client (Bun's floor)`,
    ...size,
    async fn() {
      await bun.request(`raw ${PAIRS}`);
    },
  });
  Deno.bench({
    group: "IPC round trip of the Bun worker (included in every bun entry)",
    name: "an empty request",
    async fn() {
      await bun.request("empty 0");
    },
  });
}
