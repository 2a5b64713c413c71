// "Redis in Asyncio Land", pipelined: (SET, GET) pairs issued in batches of
// 100 and awaited per batch. One iteration is one batch.

import { connect } from "../mod.ts";
import { benchPeers, benchSleeve, setUp, VALUE_100, warmUp } from "./_setup.ts";

const { port, sleeve, then, peers } = await setUp();
// With per-command hooks that do nearly nothing: what reporting costs.
let ended = 0;
const hooked = await connect({
  port,
  hooks: { commandStart: () => undefined, commandEnd: () => void ended++ },
});

interface Client {
  set(key: string, value: string): Promise<unknown>;
  get(key: string): Promise<string | null>;
}

const batch: Promise<unknown>[] = new Array(200);
async function pipelined(client: Client): Promise<void> {
  for (let i = 0; i < 100; i++) {
    batch[2 * i] = client.set(`bench:p${i}`, VALUE_100);
    batch[2 * i + 1] = client.get(`bench:p${i}`);
  }
  await Promise.all(batch);
}
for (const client of [sleeve, hooked, ...then ? [then.redis] : [], ...peers]) {
  await warmUp(() => pipelined(client), 200);
}

const group = "SET+GET pipelined in batches of 100 (one batch per iteration)";
benchSleeve(
  {
    group,
    name: "sleeve",
    baseline: true,
    async fn() {
      await pipelined(sleeve);
    },
  },
  then && async function () {
    await pipelined(then.redis);
  },
);
benchSleeve({
  group,
  name: "sleeve, hooks on",
  async fn() {
    await pipelined(hooked);
  },
});
benchPeers(group, peers, pipelined);
