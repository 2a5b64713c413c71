// GET throughput with 1,000 in flight: 1,000 GETs of a 100-byte value issued
// at once, then awaited. Sleeve is the baseline; see README "Benchmarks".

import { connect } from "../mod.ts";
import { benchPeers, benchSleeve, setUp, VALUE_100, warmUp } from "./_setup.ts";

const { port, sleeve, then, peers } = await setUp();
// The same with a timeout on every command: deadlines in the reply queue,
// one timer for the connection, so it should cost next to nothing.
const timed = await connect({ port, commandTimeout: 5_000 });
// With per-command hooks that do nearly nothing: what reporting costs.
let ended = 0;
const hooked = await connect({
  port,
  hooks: { commandStart: () => undefined, commandEnd: () => void ended++ },
});
const thenTimed = await then?.connect({ port, commandTimeout: 5_000 });
await sleeve.set("bench:100", VALUE_100);
for (const client of [then?.redis, thenTimed]) {
  if (client !== undefined && await client.get("bench:100") !== VALUE_100) {
    throw new Error("sleeve at the baseline commit: GET mismatch");
  }
}
for (const peer of peers) {
  if (await peer.get("bench:100") !== VALUE_100) {
    throw new Error(`${peer.name}: GET mismatch`);
  }
}

const IN_FLIGHT = 1_000;
const gets: Promise<unknown>[] = new Array(IN_FLIGHT);
async function getMany(
  client: { get(key: string): Promise<unknown> },
): Promise<void> {
  for (let i = 0; i < IN_FLIGHT; i++) gets[i] = client.get("bench:100");
  await Promise.all(gets);
}
for (
  const client of [sleeve, timed, hooked, then?.redis, thenTimed, ...peers]
) {
  if (client !== undefined) await warmUp(() => getMany(client));
}

const group = "GET 100 B × 1,000 in flight";

benchSleeve(
  {
    group,
    name: "sleeve",
    baseline: true,
    async fn() {
      for (let i = 0; i < IN_FLIGHT; i++) gets[i] = sleeve.get("bench:100");
      await Promise.all(gets);
    },
  },
  then && async function () {
    for (let i = 0; i < IN_FLIGHT; i++) gets[i] = then.redis.get("bench:100");
    await Promise.all(gets);
  },
);
benchSleeve(
  {
    group,
    name: "sleeve, commandTimeout 5 s",
    async fn() {
      for (let i = 0; i < IN_FLIGHT; i++) gets[i] = timed.get("bench:100");
      await Promise.all(gets);
    },
  },
  thenTimed && async function () {
    for (let i = 0; i < IN_FLIGHT; i++) gets[i] = thenTimed.get("bench:100");
    await Promise.all(gets);
  },
);
benchSleeve({
  group,
  name: "sleeve, hooks on",
  async fn() {
    for (let i = 0; i < IN_FLIGHT; i++) gets[i] = hooked.get("bench:100");
    await Promise.all(gets);
  },
});
benchPeers(group, peers, (peer) => {
  for (let i = 0; i < IN_FLIGHT; i++) gets[i] = peer.get("bench:100");
  return Promise.all(gets);
});
