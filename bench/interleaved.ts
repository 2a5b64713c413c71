// deno-lint-ignore-file no-console -- prints its progress and its tables.
// `deno task bench:interleaved [--runs N] [--no-peers|--bun-only] [files...]`
// `deno task bench:baseline <commit> [--runs N] [--peers] [--plain] [files...]`
//
// The bench files' groups measured interleaved (bench/_interleaved.ts: every
// entry of a group runs one ~25 ms slice per round, in rotating order, so
// background load on a shared machine lands on all of them alike), each file
// in its own process, N times (default 3; 5 with a baseline). Prints per
// group each entry's median time per iteration and its ratio to the group's
// baseline entry (the median of the per-round ratios, then over runs, with
// the lowest and highest run). --no-peers leaves the peers out; --bun-only
// keeps Bun (its own process) but not the Node clients, which once run
// leave the Deno process slower at large values for every entry after them.
//
// With --baseline <commit> (what bench:baseline passes), sleeve at that
// commit runs beside the working tree's:
// 1. <commit>'s mod.ts and lib/ are exported with `git archive` into the
//    git-ignored bench/.baseline/<sha>/, every file is checked against the
//    commit's blob hashes and COMMIT is written last; the commit and the
//    working tree's differences from it are printed.
// 2. With SLEEVE_BASELINE naming that folder, every sleeve workload has a
//    twin, "sleeve @<commit>" (bench/_baseline.ts), in its group. The peers
//    are left out unless --peers is given, and the table gives now/then per
//    workload, flagging a median ratio above 1.05 ("in every run" when the
//    lowest run is above it too). --plain runs `deno bench`
//    instead (peers included, Deno's own tables, one run).

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const SLOWER = 1.05;

function usage(message: string): never {
  console.error(
    `${message}\nusage: deno task bench:interleaved [--runs N] [--no-peers|--bun-only] [bench files...]\n       deno task bench:baseline <commit> [--runs N] [--peers] [--plain] [bench files...]`,
  );
  Deno.exit(2);
}

async function git(args: string[], stdin?: string): Promise<string> {
  const child = new Deno.Command("git", {
    args,
    cwd: ROOT,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const output = await child.output();
  if (!output.success) {
    throw new Error(
      `git ${args.join(" ")}: ${new TextDecoder().decode(output.stderr)}`,
    );
  }
  return new TextDecoder().decode(output.stdout);
}

// --- Arguments ---------------------------------------------------------------

let commitArg: string | undefined;
let runs: number | undefined;
let plain = false;
/** SLEEVE_BENCH_PEERS: "all", "0" or "bun". */
let peers: string | undefined;
const files: string[] = [];
const args = [...Deno.args];
while (args.length > 0) {
  const arg = args.shift()!;
  if (arg === "--runs") {
    runs = Number(args.shift());
    if (!Number.isInteger(runs) || runs < 1) usage("--runs takes a count");
  } else if (arg === "--baseline") {
    commitArg = args.shift();
    if (commitArg === undefined) usage("--baseline takes a commit");
  } else if (arg === "--plain") {
    plain = true;
  } else if (
    arg === "--peers" || arg === "--no-peers" || arg === "--bun-only"
  ) {
    peers = arg === "--peers" ? "all" : arg === "--no-peers" ? "0" : "bun";
  } else if (arg.startsWith("-")) {
    usage(`unknown option ${arg}`);
  } else {
    files.push(arg);
  }
}
if (plain && commitArg === undefined) usage("--plain needs --baseline");
runs ??= commitArg === undefined ? 3 : 5;
peers ??= commitArg === undefined || plain ? "all" : "0";

// --- Export ------------------------------------------------------------------

const PATHS = ["mod.ts", "lib"];

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** `git archive` of PATHS into a fresh folder, renamed into place when complete. */
async function exportTree(sha: string, dir: string): Promise<void> {
  await Deno.mkdir(`${ROOT}/bench/.baseline`, { recursive: true });
  await Deno.remove(dir, { recursive: true }).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  const partial = await Deno.makeTempDir({
    dir: `${ROOT}/bench/.baseline`,
    prefix: `${sha.slice(0, 7)}-partial-`,
  });
  const archive = new Deno.Command("git", {
    args: ["archive", "--format=tar", sha, ...PATHS],
    cwd: ROOT,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const tar = new Deno.Command("tar", {
    args: ["-x", "-C", partial],
    stdin: "piped",
    stderr: "inherit",
  }).spawn();
  await archive.stdout.pipeTo(tar.stdin);
  const [archived, extracted] = await Promise.all([archive.status, tar.status]);
  if (!archived.success || !extracted.success) {
    throw new Error(`exporting ${sha} failed`);
  }
  await Deno.rename(partial, dir);
}

/** Every exported file has the commit's blob hash, and nothing else is there. */
async function verify(sha: string, dir: string): Promise<number> {
  const expected = new Map<string, string>();
  for (
    const line of (await git(["ls-tree", "-r", sha, "--", ...PATHS])).split(
      "\n",
    )
  ) {
    const match = /^\d+ blob ([0-9a-f]+)\t(.+)$/.exec(line);
    if (match) expected.set(match[2]!, match[1]!);
  }
  const found: string[] = [];
  async function walk(relative: string): Promise<void> {
    for await (const entry of Deno.readDir(`${dir}/${relative}`)) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory) await walk(path);
      else if (path !== "COMMIT") found.push(path);
    }
  }
  await walk("");
  found.sort();
  const hashes = (await git(
    ["hash-object", "--no-filters", "--stdin-paths"],
    found.map((path) => `${dir}/${path}`).join("\n") + "\n",
  )).trim().split("\n");
  const wrong = found.filter((path, i) => expected.get(path) !== hashes[i]);
  const missing = [...expected.keys()].filter((path) => !found.includes(path));
  if (wrong.length > 0 || missing.length > 0 || found.length === 0) {
    throw new Error(
      `bench/.baseline/${sha} does not match ${sha}: ` +
        `differs ${wrong.join(", ") || "-"}; missing ${
          missing.join(", ") || "-"
        }`,
    );
  }
  return found.length;
}

/** Exports and checks the commit's tree; its hash, short hash and folder. */
async function exportBaseline(
  commit: string,
): Promise<{ sha: string; short: string; dir: string }> {
  const sha = (await git(["rev-parse", "--verify", `${commit}^{commit}`]))
    .trim();
  const short = sha.slice(0, 7);
  const subject = (await git(["log", "-1", "--format=%s", sha])).trim();
  const dir = `${ROOT}/bench/.baseline/${sha}`;
  if (!await exists(`${dir}/COMMIT`)) await exportTree(sha, dir);
  const fileCount = await verify(sha, dir);
  await Deno.writeTextFile(`${dir}/COMMIT`, `${sha}\n`);
  console.log(
    `baseline: ${short} "${subject}" (${fileCount} files of mod.ts and lib/, ` +
      `checked against the commit's blobs) in bench/.baseline/${sha}`,
  );
  const changed = (await git(["diff", "--stat", sha, "--", ...PATHS])).trim();
  console.log(
    changed === ""
      ? `the working tree's mod.ts and lib/ are identical to ${short}: ` +
        "expect ratios of 1.0 (the spread is noise)"
      : `the working tree against ${short}:\n${changed}`,
  );
  return { sha, short, dir };
}

const baseline = commitArg === undefined
  ? undefined
  : await exportBaseline(commitArg);
const env: Record<string, string> = {
  ...(baseline ? { SLEEVE_BASELINE: baseline.dir } : {}),
  SLEEVE_BENCH_PEERS: peers,
};

// --- Plain: deno bench with the twins -----------------------------------------

if (plain) {
  const status = await new Deno.Command("deno", {
    args: ["bench", "-P", "--config", "bench/peers/deno.json", ...files],
    cwd: ROOT,
    env,
    stdin: "null",
  }).spawn().status;
  Deno.exit(status.code);
}

// --- Interleaved runs ------------------------------------------------------------

interface GroupResult {
  group: string;
  entries: {
    name: string;
    baseline: boolean;
    times: number[];
    error?: string;
  }[];
}

if (files.length === 0) {
  for await (const entry of Deno.readDir(`${ROOT}/bench`)) {
    if (entry.isFile && entry.name.endsWith("_bench.ts")) {
      files.push(`bench/${entry.name}`);
    }
  }
  files.sort();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? sorted[mid]!
    : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface EntryRuns {
  /** Each run's median time per iteration. */
  times: number[];
  /** Each run's median per-round ratio to the group's reference entry. */
  ratios: number[];
}
/** file → group → entry name → runs; the reference entry's name per group. */
const results = new Map<string, Map<string, Map<string, EntryRuns>>>();
const references = new Map<string, string>();
/** With a baseline, per sleeve workload: each run's medians and now/then. */
const twins = new Map<
  string,
  { now: number[]; then: number[]; ratios: number[] }
>();
const tag = baseline ? ` @${baseline.short}` : "";

for (let run = 1; run <= runs; run++) {
  for (const file of files) {
    console.log(`run ${run}/${runs}: ${file}`);
    const output = await new Deno.Command("deno", {
      args: [
        "run",
        "--config",
        "bench/peers/deno.json",
        "--allow-net=127.0.0.1,localhost",
        "--allow-run",
        "--allow-env",
        "--allow-read",
        "--allow-write",
        "--allow-sys",
        "bench/_interleaved.ts",
        file,
      ],
      cwd: ROOT,
      env,
      stdin: "null",
      stdout: "piped",
      stderr: "inherit",
    }).output();
    if (!output.success) Deno.exit(output.code || 1);
    const lines = new TextDecoder().decode(output.stdout).trim().split("\n");
    const byGroup = results.get(file) ?? new Map();
    results.set(file, byGroup);
    for (const line of lines.filter((line) => line.startsWith("{"))) {
      const { group, entries } = JSON.parse(line) as GroupResult;
      const reference = entries.find((entry) => entry.baseline) ?? entries[0]!;
      references.set(`${file}\0${group}`, reference.name);
      const byName = byGroup.get(group) ?? new Map<string, EntryRuns>();
      byGroup.set(group, byName);
      for (const entry of entries) {
        if (entry.error !== undefined) {
          console.log(
            `  ${group} / ${entry.name}: failed after ${entry.times.length} ` +
              `rounds: ${entry.error.split("\n")[0]}`,
          );
        }
        if (entry.times.length === 0) continue;
        const runs = byName.get(entry.name) ?? { times: [], ratios: [] };
        runs.times.push(median(entry.times));
        runs.ratios.push(
          median(
            entry.times.slice(0, reference.times.length).map((t, i) =>
              t / reference.times[i]!
            ),
          ),
        );
        byName.set(entry.name, runs);
        const twin = baseline &&
          entries.find((other) =>
            other.name ===
              (entry.name.startsWith("sleeve")
                ? `sleeve${tag}${entry.name.slice("sleeve".length)}`
                : `${entry.name}${tag}`)
          );
        if (twin && twin.times.length > 0) {
          const key = `${file.replace(/^bench\//, "")}: ${group}${
            entry.name === "sleeve" ? "" : ` / ${entry.name}`
          }`;
          const pair = twins.get(key) ?? { now: [], then: [], ratios: [] };
          pair.now.push(median(entry.times));
          pair.then.push(median(twin.times));
          pair.ratios.push(
            median(
              entry.times.slice(0, twin.times.length).map((t, i) =>
                t / twin.times[i]!
              ),
            ),
          );
          twins.set(key, pair);
        }
      }
    }
  }
}

// --- Tables ------------------------------------------------------------------------

function time(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${ns.toFixed(0)} ns`;
}

function range(values: number[]): string {
  return `${Math.min(...values).toFixed(3)}–${Math.max(...values).toFixed(3)}`;
}

function table(header: string[], rows: string[][], left: number[]): void {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => row[i]!.length))
  );
  const line = (cells: string[]) =>
    cells.map((cell, i) =>
      left.includes(i) ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)
    ).join("  ").trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}

// With a baseline and no peers, the twins' table below says it all.
if (!baseline || peers !== "0") {
  console.log(
    `\ntime per iteration: median over rounds, then over ${runs} runs; ` +
      "ratio: to the group's baseline entry, the median of the per-round " +
      "ratios, then over runs (runs: lowest–highest run)",
  );
}
for (const [file, byGroup] of baseline && peers === "0" ? [] : results) {
  for (const [group, byName] of byGroup) {
    const reference = references.get(`${file}\0${group}`)!;
    console.log(`\n${file}: ${group}`);
    table(
      ["entry", "time", `÷ ${reference}`, "runs"],
      [...byName].map(([name, { times, ratios }]) => [
        name,
        time(median(times)),
        median(ratios).toFixed(3),
        range(ratios),
      ]),
      [0],
    );
  }
}

if (baseline) {
  const rows: string[][] = [];
  let slower = 0;
  for (const [key, { now, then, ratios }] of twins) {
    const ratio = median(ratios);
    if (ratio > SLOWER) slower++;
    rows.push([
      key,
      time(median(now)),
      time(median(then)),
      ratio.toFixed(3),
      range(ratios),
      ratio <= SLOWER
        ? ""
        : Math.min(...ratios) > SLOWER
        ? "SLOWER in every run"
        : "SLOWER",
    ]);
  }
  console.log(`\nthe working tree against ${baseline.short}`);
  table(
    ["workload", "now", baseline.short, "now/then", "runs", ""],
    rows,
    [0, 5],
  );
  const percent = Math.round((SLOWER - 1) * 100);
  console.log(
    slower === 0
      ? `\nno workload slower than ${baseline.short} by more than ${percent}%`
      : `\n${slower} workload(s) slower than ${baseline.short} by more than ` +
        `${percent}% (a shared machine: re-run before believing it)`,
  );
}
