// "Redis in Asyncio Land": 100 concurrent callers on one connection, each
// doing 10 (SET, GET) pairs in sequence: 1,000 pairs per iteration.

import { benchPeers, benchSleeve, setUp, VALUE_100, warmUp } from "./_setup.ts";

const { sleeve, then, peers } = await setUp();

const CALLERS = 100;
const PAIRS_PER_CALLER = 10;

interface Client {
  set(key: string, value: string): Promise<unknown>;
  get(key: string): Promise<string | null>;
}

async function concurrent(client: Client): Promise<void> {
  const caller = async (c: number) => {
    for (let i = 0; i < PAIRS_PER_CALLER; i++) {
      await client.set(`bench:c${c}`, VALUE_100);
      await client.get(`bench:c${c}`);
    }
  };
  const callers: Promise<void>[] = [];
  for (let c = 0; c < CALLERS; c++) callers.push(caller(c));
  await Promise.all(callers);
}

for (const client of [sleeve, ...then ? [then.redis] : [], ...peers]) {
  await warmUp(() => concurrent(client));
}

const group = "SET+GET × 100 concurrent callers (1,000 pairs)";
// Bodies are declared async: Deno's runner does not await a plain function
// that returns a promise, and would time only the issuing.
benchSleeve(
  {
    group,
    name: "sleeve",
    baseline: true,
    async fn() {
      await concurrent(sleeve);
    },
  },
  then && async function () {
    await concurrent(then.redis);
  },
);
benchPeers(group, peers, concurrent);
