// deno-lint-ignore-file no-console -- prints its figures.
// `deno task bench:memory`: client heap per in-flight command. The server is
// stopped (SIGSTOP) so nothing is answered, 100,000 commands are issued with
// a full GC before and after, the heap is sampled while all of them are still
// pending, then the server is resumed and everything is drained and checked.
// Run with --expose-gc (the task does).

import { connect, type Redis } from "../mod.ts";
import { startRedisServer } from "../tests/_support/redis_server.ts";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("Run with --v8-flags=--expose-gc");

await using server = await startRedisServer();
const N = 100_000;

/**
 * Measures on a fresh client, so the growth of its pending queue (part of
 * the cost) is counted in each measurement.
 */
async function measure(
  label: string,
  issue: (redis: Redis) => Promise<unknown> | void,
): Promise<void> {
  await using redis = await connect({ port: server.port });
  await redis.set("k", "v");
  const held: (Promise<unknown> | void)[] = new Array(N).fill(undefined);
  server.kill("SIGSTOP");
  gc!();
  gc!();
  const before = Deno.memoryUsage();
  for (let i = 0; i < N; i++) held[i] = issue(redis);
  // Let the write go out (into the stopped server's socket buffers).
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc!();
  gc!();
  const after = Deno.memoryUsage();
  // Promises can prove they were all still pending when sampled;
  // fire-and-forget commands cannot (their count is checked after the drain).
  let settled = 0;
  for (const p of held) void p?.then(() => settled++);
  await Promise.resolve();
  const pending = held[0] instanceof Promise
    ? `; ${(N - settled).toLocaleString("en-US")} of ${
      N.toLocaleString("en-US")
    } still pending when sampled`
    : "";
  server.kill("SIGCONT");
  await Promise.all(held);
  await redis.ping();
  const heap = (after.heapUsed - before.heapUsed) / N;
  const external = (after.external - before.external) / N;
  console.log(
    `${label}: ${heap.toFixed(1)} bytes of heap per in-flight command ` +
      `(+ ${external.toFixed(1)} bytes of buffers)${pending}`,
  );
}

await measure("promise GET", (redis) => redis.get("k"));
await measure("fire-and-forget INCR", (redis) => redis.fireAndForget.incr("n"));
await using check = await connect({ port: server.port });
console.log(
  `check: ${await check.get("n")} increments applied (expected ${N})`,
);
