// deno-lint-ignore-file no-console -- its output is JSON lines for interleaved.ts.
// Runs one bench file's groups interleaved, for `deno task bench:interleaved`
// and `deno task bench:baseline` (bench/interleaved.ts). Deno's runner times
// the entries of a group one after the other, so on a shared machine a burst
// of someone else's load lands on one entry and not the next; here every
// entry of a group runs one slice (~SLICE_MS of iterations) per round, in an
// order that rotates every round, so all of them see the same background.
//
// Deno.bench is replaced before the file is imported (under `deno run`), so
// the file sets up its server and clients as usual and its registrations
// are collected instead of run. Each definition's own `n` and `warmup` are
// ignored; b.start()/b.end() are honoured. Prints one JSON line per group:
// { group, entries: [{ name, baseline, times: [ns per iteration, per round] }] }.
//
// Caution (2026-12-02): sleeve's 200 GETs of 1 MiB took 1.5-2x as long here
// as under `deno bench` in most tries, Bun's (another process) did not; the
// cause is not established. Ratios between two Deno clients of the same
// group are comparable; against Bun on that group, prefer `deno task bench`.
//
// Usage: deno run ... bench/_interleaved.ts <bench file>

const SLICE_MS = 25;
/** A group's rounds take about this long, within MIN_ROUNDS..MAX_ROUNDS. */
const GROUP_BUDGET_MS = 4_000;
const MIN_ROUNDS = 7;
const MAX_ROUNDS = 31;
const WARM_UP_MS = 200;

const file = Deno.args[0];
if (file === undefined) throw new Error("usage: _interleaved.ts <bench file>");

const definitions: Deno.BenchDefinition[] = [];
Object.defineProperty(Deno, "bench", {
  value: (definition: Deno.BenchDefinition) => {
    if (!definition.ignore) definitions.push(definition);
  },
});
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

/** Runs `fn` for about WARM_UP_MS (at least twice); its mean time in ns. */
async function warmUp(fn: BenchFn): Promise<number> {
  let iterations = 0;
  let total = 0;
  const deadline = performance.now() + WARM_UP_MS;
  while (iterations < 2 || performance.now() < deadline) {
    total += await slice(fn, 1);
    iterations++;
  }
  return total / iterations;
}

const groups = Map.groupBy(
  definitions,
  (definition) => definition.group ?? definition.name,
);
for (const [group, entries] of groups) {
  const iterations: number[] = [];
  let roundMs = 0;
  for (const entry of entries) {
    const ns = await warmUp(entry.fn).catch(() => 1e9);
    const count = Math.max(1, Math.round(SLICE_MS * 1e6 / ns));
    iterations.push(count);
    roundMs += count * ns / 1e6;
  }
  const rounds = Math.min(
    MAX_ROUNDS,
    Math.max(MIN_ROUNDS, Math.round(GROUP_BUDGET_MS / roundMs)),
  );
  const times: number[][] = entries.map(() => []);
  // An entry that throws (node-redis 6 has a 5 s command timeout, which a
  // loaded machine can reach) is reported and left out of later rounds.
  const errors: (string | undefined)[] = entries.map(() => undefined);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < entries.length; k++) {
      const i = (round + k) % entries.length;
      if (errors[i] !== undefined) continue;
      try {
        times[i]!.push(await slice(entries[i]!.fn, iterations[i]!));
      } catch (error) {
        errors[i] = String(error);
      }
    }
  }
  console.log(JSON.stringify({
    group,
    entries: entries.map((entry, i) => ({
      name: entry.name,
      baseline: entry.baseline ?? false,
      iterations: iterations[i],
      times: times[i],
      ...(errors[i] === undefined ? {} : { error: errors[i] }),
    })),
  }));
}
// The bench files keep their clients open; their servers die on unload.
Deno.exit(0);
