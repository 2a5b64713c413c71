// deno-lint-ignore-file no-console -- its output is JSON lines for baseline.ts.
// The paired runner of `deno task bench:baseline`: imports one bench file
// under `deno run` (so Deno.bench registers nothing; the file sets up its
// server and clients as usual and, through benchSleeve, lists each workload
// with the working tree's body and the baseline's), then measures each pair
// in alternating slices: ROUNDS rounds of one slice of the working tree's
// code and one of the baseline's (~SLICE_MS each, order swapped every
// round). Both sides see the same background load, which on a shared
// machine moves a whole Deno.bench entry by ±20% while the per-round ratio
// of the two stays within a few percent. Prints one JSON line per pair:
// { group, name, now: [ns/iter per round], then: [...] }.
//
// Usage: deno run ... bench/_paired.ts <bench file>

import { pairs } from "./_baseline.ts";

const SLICE_MS = 25;
const ROUNDS = 31;
const WARM_UP_MS = 200;

const file = Deno.args[0];
if (file === undefined) throw new Error("usage: _paired.ts <bench file>");
await import(new URL(file, `file://${Deno.cwd()}/`).href);

type BenchFn = Deno.BenchDefinition["fn"];

/** A BenchContext whose start()/end() spans replace the iteration's time. */
let span: number | undefined;
let started = 0;
const context = {
  name: "",
  origin: "",
  start() {
    started = performance.now();
  },
  end() {
    span = (span ?? 0) + performance.now() - started;
  },
} as Deno.BenchContext;

/** Runs `fn` `iterations` times; the mean time per iteration in ns. */
async function slice(fn: BenchFn, iterations: number): Promise<number> {
  let total = 0;
  for (let i = 0; i < iterations; i++) {
    span = undefined;
    const t0 = performance.now();
    await fn(context);
    const t1 = performance.now();
    total += span ?? t1 - t0;
  }
  return (total / iterations) * 1e6;
}

/** Runs `fn` for about `ms` (at least 10 times); its mean time in ns. */
async function warmUp(fn: BenchFn, ms: number): Promise<number> {
  let iterations = 0;
  let total = 0;
  const deadline = performance.now() + ms;
  while (iterations < 10 || performance.now() < deadline) {
    total += await slice(fn, 1);
    iterations++;
  }
  return total / iterations;
}

for (const pair of pairs) {
  const perIteration = (await warmUp(pair.now, WARM_UP_MS) +
    await warmUp(pair.then, WARM_UP_MS)) / 2;
  const iterations = Math.max(1, Math.round(SLICE_MS * 1e6 / perIteration));
  const now: number[] = [];
  const then: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      now.push(await slice(pair.now, iterations));
      then.push(await slice(pair.then, iterations));
    } else {
      then.push(await slice(pair.then, iterations));
      now.push(await slice(pair.now, iterations));
    }
  }
  console.log(JSON.stringify({
    group: pair.group,
    name: pair.name,
    iterations,
    now,
    then,
  }));
}
// The bench files keep their clients open; their servers die on unload.
Deno.exit(0);
