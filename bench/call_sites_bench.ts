// The cost of captureCallSites: the GET and pipelined SET+GET workloads of
// get_bench.ts and pipelined_bench.ts, and sequential GETs, with and
// without it. A file of its
// own: a client with it in the same process makes the views' executor call
// sites polymorphic, which slows every other sleeve entry by a few percent
// (so the ratios here slightly understate its cost).

import { connect } from "../mod.ts";
import { benchSleeve, setUp, VALUE_100, warmUp } from "./_setup.ts";

const { port, sleeve } = await setUp();
const sited = await connect({ port, captureCallSites: true });
await sleeve.set("bench:100", VALUE_100);

interface Client {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
}

const IN_FLIGHT = 1_000;
const gets: Promise<unknown>[] = new Array(IN_FLIGHT);
async function getMany(client: Client): Promise<void> {
  for (let i = 0; i < IN_FLIGHT; i++) gets[i] = client.get("bench:100");
  await Promise.all(gets);
}

const batch: Promise<unknown>[] = new Array(200);
async function pipelined(client: Client): Promise<void> {
  for (let i = 0; i < 100; i++) {
    batch[2 * i] = client.set(`bench:p${i}`, VALUE_100);
    batch[2 * i + 1] = client.get(`bench:p${i}`);
  }
  await Promise.all(batch);
}

async function sequential(client: Client): Promise<void> {
  for (let i = 0; i < 100; i++) await client.get("bench:100");
}

for (const client of [sleeve, sited]) {
  if (await client.get("bench:100") !== VALUE_100) {
    throw new Error("GET mismatch");
  }
  await warmUp(() => getMany(client));
  await warmUp(() => pipelined(client), 200);
  await warmUp(() => sequential(client));
}

const getGroup = "GET 100 B × 1,000 in flight, captureCallSites";
benchSleeve({
  group: getGroup,
  name: "sleeve",
  baseline: true,
  async fn() {
    await getMany(sleeve);
  },
});
benchSleeve({
  group: getGroup,
  name: "sleeve, captureCallSites",
  async fn() {
    await getMany(sited);
  },
});

const pipelinedGroup = "SET+GET pipelined in batches of 100, captureCallSites";
benchSleeve({
  group: pipelinedGroup,
  name: "sleeve",
  baseline: true,
  async fn() {
    await pipelined(sleeve);
  },
});
benchSleeve({
  group: pipelinedGroup,
  name: "sleeve, captureCallSites",
  async fn() {
    await pipelined(sited);
  },
});

const sequentialGroup = "100 sequential GETs, captureCallSites";
benchSleeve({
  group: sequentialGroup,
  name: "sleeve",
  baseline: true,
  async fn() {
    await sequential(sleeve);
  },
});
benchSleeve({
  group: sequentialGroup,
  name: "sleeve, captureCallSites",
  async fn() {
    await sequential(sited);
  },
});
