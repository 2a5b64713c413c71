// deno-lint-ignore-file no-console -- prints its figures.
// `deno task bench:memory`: client heap per in-flight command. 100,000 GETs
// are issued while the server is paused (CLIENT PAUSE from a second client),
// with a full GC before and after, then the server is resumed and all are
// drained and checked. Run with --expose-gc (the task does).

import { connect } from "../mod.ts";
import { startRedisServer } from "../tests/_support/redis_server.ts";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("Run with --v8-flags=--expose-gc");

await using server = await startRedisServer();
await using redis = await connect({ port: server.port });
await using admin = await connect({ port: server.port });
await redis.set("k", "v");

const N = 100_000;
async function measure(
  label: string,
  issue: (i: number) => unknown,
): Promise<void> {
  const held: unknown[] = new Array(N).fill(null);
  await admin.send("CLIENT", "PAUSE", "10000", "ALL");
  gc!();
  gc!();
  const before = Deno.memoryUsage();
  for (let i = 0; i < N; i++) held[i] = issue(i);
  gc!();
  gc!();
  const after = Deno.memoryUsage();
  await admin.send("CLIENT", "UNPAUSE");
  await Promise.all(held);
  await redis.ping();
  const heap = (after.heapUsed - before.heapUsed) / N;
  const external = (after.external - before.external) / N;
  console.log(
    `${label}: ${heap.toFixed(1)} bytes of heap per in-flight command ` +
      `(+ ${
        external.toFixed(1)
      } bytes of encoded command waiting in the write buffer)`,
  );
}

await measure("promise GET", () => redis.get("k"));
await measure("fire-and-forget INCR", () => redis.fireAndForget.incr("n"));
console.log(
  `check: ${await redis.get("n")} increments applied (expected ${N})`,
);
