// The sequential round trip: one SET and one GET, each awaited before the
// next is issued. Compare with `redis-benchmark -c 1 -P 1` (deno task
// bench:redis) run against a server of the same kind.

import { benchSleeve, setUp, VALUE_100, warmUp } from "./_setup.ts";

const { port, sleeve, then, peers } = await setUp();

// The floor: what Deno itself costs for the same two round trips, with no
// client at all (pre-encoded commands, one reused read buffer, replies
// recognised only by their length). No client can go below it.
const raw = await Deno.connect({ hostname: "127.0.0.1", port });
const utf8 = new TextEncoder();
const SET_BYTES = utf8.encode(
  `*3\r\n$3\r\nSET\r\n$9\r\nbench:seq\r\n$100\r\n${VALUE_100}\r\n`,
);
const GET_BYTES = utf8.encode("*2\r\n$3\r\nGET\r\n$9\r\nbench:seq\r\n");
const readBuffer = new Uint8Array(4096);
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
const group = "sequential SET+GET (one pair per iteration)";

Deno.bench({
  group,
  name: "raw Deno socket, no client (the floor)",
  async fn() {
    await rawRoundTrip(SET_BYTES, 5); // +OK\r\n
    await rawRoundTrip(GET_BYTES, 100 + 8); // $100\r\n...\r\n
  },
});

benchSleeve(
  {
    group,
    name: "sleeve",
    baseline: true,
    async fn() {
      await sleeve.set("bench:seq", VALUE_100);
      await sleeve.get("bench:seq");
    },
  },
  then && async function () {
    await then.redis.set("bench:seq", VALUE_100);
    await then.redis.get("bench:seq");
  },
);
for (const peer of peers) {
  Deno.bench({
    group,
    name: peer.name,
    async fn() {
      await peer.set("bench:seq", VALUE_100);
      await peer.get("bench:seq");
    },
  });
}
