// GETs beside waiting BLPOPs: 10,000 GETs of a 100-byte value issued at once
// on the shared connection, then awaited, with 50 BLPOPs waiting on
// dedicated connections of the same client, and without. The BLPOPs must
// not slow the GETs down: they never touch the shared connection. One
// iteration is the 10,000 GETs (timed); around them, untimed, the 50 BLPOPs
// are issued and seen blocked by the server, then 50 elements are pushed and
// each BLPOP must get one of them, or the bench fails.

import { connect, type Redis } from "../mod.ts";
import { setUp, VALUE_100, warmUp } from "./_setup.ts";

const { port } = await setUp();
const WAITERS = 50;
const GETS = 10_000;
const redis = await connect({ port, maxBlockingConnections: WAITERS });
await redis.set("bench:100", VALUE_100);
if (await redis.get("bench:100") !== VALUE_100) {
  throw new Error("sleeve: GET mismatch");
}

const gets: Promise<unknown>[] = new Array(GETS);
async function getMany(client: Redis): Promise<void> {
  for (let i = 0; i < GETS; i++) gets[i] = client.get("bench:100");
  await Promise.all(gets);
}

/** How many clients the server has blocked now. */
async function blocked(): Promise<number> {
  const info = await redis.info("clients");
  return Number(info.clients?.blocked_clients);
}

const ELEMENTS = Array.from({ length: WAITERS }, (_, i) => `job-${i}`);

/** Issues the BLPOPs and resolves once the server has them all blocked. */
async function arm(): Promise<Promise<[string, string] | null>[]> {
  const pops = Array.from(
    { length: WAITERS },
    () => redis.blpop(["bench:jobs"], 0),
  );
  while (await blocked() < WAITERS) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return pops;
}

/** Pushes one element per BLPOP; each must get exactly one. */
async function release(
  pops: Promise<[string, string] | null>[],
): Promise<void> {
  await redis.rpush("bench:jobs", ...ELEMENTS);
  const popped = (await Promise.all(pops)).map((pair) => pair?.[1]).sort();
  const expected = [...ELEMENTS].sort();
  if (JSON.stringify(popped) !== JSON.stringify(expected)) {
    throw new Error("a BLPOP did not get its element");
  }
}

await warmUp(() => getMany(redis));
// The dedicated connections are opened here, once.
await release(await arm());

const group = `GET 100 B × ${GETS.toLocaleString("en")} in flight`;

Deno.bench({
  group,
  name: "sleeve, nothing waiting",
  baseline: true,
  async fn(b) {
    // Untimed, as the other entry's set-up: a round trip and a pause.
    if (await blocked() !== 0) throw new Error("a BLPOP is still waiting");
    await new Promise((resolve) => setTimeout(resolve, 1));
    b.start();
    await getMany(redis);
    b.end();
  },
});
Deno.bench({
  group,
  name: `sleeve, ${WAITERS} BLPOPs waiting`,
  async fn(b) {
    const pops = await arm();
    b.start();
    await getMany(redis);
    b.end();
    await release(pops);
  },
});
