// deno-lint-ignore-file no-console -- prints its figures.
// 200 sequential GETs of a 1 MiB value, as a string (ASCII) and through the
// binary view (random bytes), in MiB/s; several rounds, medians.
//
//   deno run -A bench/profile/large_get.ts [--rounds=7] [--gets=200] [--view=both|string|binary] [--hook]

import { connect } from "../../mod.ts";
import {
  cpuMs,
  flag,
  hookSockets,
  median,
  startRedisServer,
} from "./_common.ts";

const ROUNDS = Number(flag("rounds", "7"));
const GETS = Number(flag("gets", "200"));
const VIEW = flag("view", "both");
const stats = Deno.args.includes("--hook") ? hookSockets() : undefined;
const MIB = 1024 * 1024;

await using server = await startRedisServer();
await using redis = await connect({ port: server.port });

const text = "x".repeat(MIB);
const bytes = crypto.getRandomValues(new Uint8Array(64 * 1024));
const big = new Uint8Array(MIB);
for (let i = 0; i < MIB; i += bytes.length) big.set(bytes, i);
await redis.set("profile:text", text);
await redis.set("profile:bytes", big);
if (await redis.get("profile:text") !== text) throw new Error("text mismatch");
const back = await redis.binary.get("profile:bytes");
if (back?.length !== MIB || back[777_777] !== big[777_777]) {
  throw new Error("bytes mismatch");
}

/** CPU µs per GET of the last run. */
let lastCpu = 0;

async function run(view: "string" | "binary"): Promise<number> {
  const cpu = cpuMs();
  const started = performance.now();
  if (view === "string") {
    for (let i = 0; i < GETS; i++) await redis.get("profile:text");
  } else {
    for (let i = 0; i < GETS; i++) await redis.binary.get("profile:bytes");
  }
  const seconds = (performance.now() - started) / 1000;
  lastCpu = (cpuMs() - cpu) * 1000 / GETS;
  return GETS / seconds; // MiB/s: one MiB per GET
}

const views: ("string" | "binary")[] = VIEW === "both"
  ? ["string", "binary"]
  : [VIEW as "string" | "binary"];
for (const view of views) await run(view); // warm-up
const results = new Map<string, number[]>(views.map((v) => [v, []]));
const cpus = new Map<string, number[]>(views.map((v) => [v, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const view of views) {
    stats?.reset();
    results.get(view)!.push(await run(view));
    cpus.get(view)!.push(lastCpu);
    if (stats !== undefined && r === 0) {
      console.log(
        `${view}: ${stats.reads} reads (${
          (stats.reads / GETS).toFixed(1)
        } per GET), sizes ${JSON.stringify([...stats.readSizes])}`,
      );
    }
  }
}
for (const [view, figures] of results) {
  console.log(
    `GET 1 MiB × ${GETS} ${view}: median ${median(figures).toFixed(0)} MiB/s ` +
      `(${figures.map((f) => f.toFixed(0)).join(" ")})`,
  );
  console.log(
    `GET 1 MiB ${view} client CPU µs per GET: median ${
      median(cpus.get(view)!).toFixed(0)
    }`,
  );
}
