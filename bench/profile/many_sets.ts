// deno-lint-ignore-file no-console -- prints its figures.
// 100,000 SETs of a 100-byte value issued in one tick, then all awaited:
// SET/s, with the time split into issuing (encoding and queueing), the
// write (until the socket took the last byte) and the replies (until the
// last promise settled). Several rounds; medians.
//
//   deno run -A bench/profile/many_sets.ts [--rounds=9] [--count=100000] [--hook]

import { connect } from "../../mod.ts";
import {
  cpuMs,
  flag,
  hookSockets,
  median,
  startRedisServer,
} from "./_common.ts";

const ROUNDS = Number(flag("rounds", "9"));
const COUNT = Number(flag("count", "100000"));
const stats = Deno.args.includes("--hook") ? hookSockets() : undefined;

await using server = await startRedisServer();
await using redis = await connect({ port: server.port });

const VALUE = "v".repeat(100);
const keys = Array.from({ length: COUNT }, (_, i) => `set:${i}`);
const sets: Promise<unknown>[] = new Array(COUNT);

interface Round {
  /** Client CPU ms for the whole round. */
  cpu: number;
  total: number;
  issue: number;
  write: number;
  replies: number;
}

async function round(): Promise<Round> {
  stats?.reset();
  const cpu = cpuMs();
  const started = performance.now();
  for (let i = 0; i < COUNT; i++) sets[i] = redis.set(keys[i]!, VALUE);
  const issued = performance.now();
  await Promise.all(sets);
  const done = performance.now();
  const written = stats?.lastWriteDone ?? NaN;
  return {
    cpu: cpuMs() - cpu,
    total: done - started,
    issue: issued - started,
    write: written - issued,
    replies: done - written,
  };
}

await round(); // warm-up
await round();
const rounds: Round[] = [];
for (let r = 0; r < ROUNDS; r++) rounds.push(await round());
const m = (pick: (r: Round) => number) => median(rounds.map(pick));
console.log(
  `${COUNT.toLocaleString("en-US")} SETs at once: median ${
    (COUNT / (m((r) => r.total) / 1000) / 1000).toFixed(1)
  }k SET/s (${rounds.map((r) => (COUNT / r.total).toFixed(0)).join(" ")} k/s)`,
);
console.log(
  `  phases (median ms): total ${m((r) => r.total).toFixed(1)}, issue ${
    m((r) => r.issue).toFixed(1)
  }` +
    (stats === undefined
      ? ""
      : `, write ${
        m((r) => r.write).toFixed(1)
      }, replies after the last write ${m((r) => r.replies).toFixed(1)}`),
);
console.log(
  `client CPU ns per SET: median ${(m((r) => r.cpu) * 1e6 / COUNT).toFixed(0)}`,
);
console.log(
  `issue ns per SET: median ${(m((r) => r.issue) * 1e6 / COUNT).toFixed(0)}`,
);
if (stats !== undefined) {
  console.log(
    `  last round: ${stats.writes} writes of ${stats.writeBytes} bytes, ${stats.reads} reads of ${stats.readBytes} bytes`,
  );
}
