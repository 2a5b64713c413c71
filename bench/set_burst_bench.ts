// 100,000 SETs of a 100-byte value (100,000 distinct keys) issued at once,
// then all awaited: SETs/s is 100,000 × iter/s. Bun runs in a child
// process, one request per iteration; its IPC round trip (0.08-0.65 ms, see
// sequential_bench.ts) is at most ~0.3% of an iteration.

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
const SETS = 100_000;
// Built once: the key strings are not what is measured.
const KEYS = Array.from({ length: SETS }, (_, i) => `burst:${i}`);
const sets: Promise<unknown>[] = new Array(SETS);

interface Client {
  set(key: string, value: string): Promise<unknown>;
}
async function burst(client: Client): Promise<void> {
  for (let i = 0; i < SETS; i++) sets[i] = client.set(KEYS[i]!, VALUE_100);
  await Promise.all(sets);
}

for (const client of [sleeve, ...then ? [then.redis] : [], ...peers]) {
  await warmUp(() => burst(client), 3);
}
if (bun) {
  for (let i = 0; i < 3; i++) await bun.request(`burst ${SETS}`);
}
if (await sleeve.get(KEYS[SETS - 1]!) !== VALUE_100) {
  throw new Error("the last SET is missing");
}

const group = `SET 100 B × ${
  SETS.toLocaleString("en-US")
} issued at once, then awaited (SETs/s = ${
  SETS.toLocaleString("en-US")
} × iter/s)`;
// Iterations of 0.3-3 s: a fixed count keeps the file's run time bounded.
const size = { n: 6, warmup: 1 };
benchSleeve(
  {
    group,
    name: "sleeve",
    baseline: true,
    ...size,
    async fn() {
      for (let i = 0; i < SETS; i++) sets[i] = sleeve.set(KEYS[i]!, VALUE_100);
      await Promise.all(sets);
    },
  },
  then && async function () {
    for (let i = 0; i < SETS; i++) {
      sets[i] = then.redis.set(KEYS[i]!, VALUE_100);
    }
    await Promise.all(sets);
  },
);
benchPeers(group, peers, burst, size);
benchBun(bun, group, `burst ${SETS}`, size);
