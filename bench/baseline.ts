// deno-lint-ignore-file no-console -- prints its progress and its table.
// `deno task bench:baseline <commit> [--runs N] [--plain] [bench files...]`:
// sleeve at <commit> beside the working tree's sleeve, in the same processes
// and against the same servers.
//
// 1. Exports <commit>'s mod.ts and lib/ with `git archive` into the
//    git-ignored bench/.baseline/<sha>/, checks every exported file against
//    the commit's blob hashes and writes COMMIT last; prints the commit and
//    which files of the working tree differ from it.
// 2. With SLEEVE_BASELINE naming that folder, every workload of the bench
//    files has a twin, "sleeve @<commit>" (bench/_baseline.ts). By default
//    each bench file runs N times (default 5) under bench/_paired.ts, which
//    measures the two in alternating 25 ms slices, and the table gives per
//    workload the median time of each and the median of the per-slice
//    ratios now/then; above 1.05 is flagged. With --plain it is
//    `deno bench` instead, peers included, the twin in each group beside
//    sleeve (Deno's own tables, one run).

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const SLOWER = 1.05;

function usage(message: string): never {
  console.error(
    `${message}\nusage: deno task bench:baseline <commit> [--runs N] [--plain] [bench files...]`,
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
let runs = 5;
let plain = false;
const files: string[] = [];
const args = [...Deno.args];
while (args.length > 0) {
  const arg = args.shift()!;
  if (arg === "--runs") {
    runs = Number(args.shift());
    if (!Number.isInteger(runs) || runs < 1) usage("--runs takes a count");
  } else if (arg === "--plain") {
    plain = true;
  } else if (arg.startsWith("-")) {
    usage(`unknown option ${arg}`);
  } else if (commitArg === undefined) {
    commitArg = arg;
  } else {
    files.push(arg);
  }
}
if (commitArg === undefined) usage("no commit given");

// --- Export ------------------------------------------------------------------

const PATHS = ["mod.ts", "lib"];
const sha = (await git(["rev-parse", "--verify", `${commitArg}^{commit}`]))
  .trim();
const short = sha.slice(0, 7);
const subject = (await git(["log", "-1", "--format=%s", sha])).trim();
const dir = `${ROOT}/bench/.baseline/${sha}`;

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
async function exportTree(): Promise<void> {
  await Deno.mkdir(`${ROOT}/bench/.baseline`, { recursive: true });
  await Deno.remove(dir, { recursive: true }).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  const partial = await Deno.makeTempDir({
    dir: `${ROOT}/bench/.baseline`,
    prefix: `${short}-partial-`,
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
async function verify(): Promise<number> {
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

if (!await exists(`${dir}/COMMIT`)) await exportTree();
const fileCount = await verify();
await Deno.writeTextFile(`${dir}/COMMIT`, `${sha}\n`);
console.log(
  `baseline: ${short} "${subject}" (${fileCount} files of mod.ts and lib/, ` +
    `checked against the commit's blobs) in bench/.baseline/${sha}`,
);
const changed = (await git(["diff", "--stat", sha, "--", ...PATHS])).trim();
console.log(
  changed === ""
    ? `the working tree's mod.ts and lib/ are identical to ${short}: expect ratios of 1.0 (the spread is noise)`
    : `the working tree against ${short}:\n${changed}`,
);

// --- Plain: deno bench with the twins -----------------------------------------

if (plain) {
  const status = await new Deno.Command("deno", {
    args: ["bench", "-P", "--config", "bench/peers/deno.json", ...files],
    cwd: ROOT,
    env: { SLEEVE_BASELINE: dir },
    stdin: "null",
  }).spawn().status;
  Deno.exit(status.code);
}

// --- Paired runs ---------------------------------------------------------------

interface PairResult {
  group: string;
  name: string;
  iterations: number;
  now: number[];
  then: number[];
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

/** Per workload, each run's median times and median per-slice ratio. */
const results = new Map<
  string,
  { now: number[]; then: number[]; ratio: number[] }
>();
for (let run = 1; run <= runs; run++) {
  for (const file of files) {
    console.log(`run ${run}/${runs}: ${file}`);
    const output = await new Deno.Command("deno", {
      args: [
        "run",
        "--config",
        "bench/peers/deno.json",
        "--allow-net=127.0.0.1,localhost",
        "--allow-run=redis-server",
        "--allow-env",
        "--allow-read",
        "--allow-write",
        "--allow-sys",
        "bench/_paired.ts",
        file,
      ],
      cwd: ROOT,
      env: { SLEEVE_BASELINE: dir, SLEEVE_BENCH_PEERS: "0" },
      stdin: "null",
      stdout: "piped",
      stderr: "inherit",
    }).output();
    if (!output.success) Deno.exit(output.code || 1);
    const lines = new TextDecoder().decode(output.stdout).trim().split("\n");
    for (const line of lines.filter((line) => line.startsWith("{"))) {
      const pair = JSON.parse(line) as PairResult;
      const key = `${file.replace(/^bench\//, "")}: ${pair.group}${
        pair.name === "sleeve" ? "" : ` / ${pair.name}`
      }`;
      const entry = results.get(key) ?? { now: [], then: [], ratio: [] };
      entry.now.push(median(pair.now));
      entry.then.push(median(pair.then));
      entry.ratio.push(median(pair.now.map((t, i) => t / pair.then[i]!)));
      results.set(key, entry);
    }
  }
}

// --- Table ---------------------------------------------------------------------

function time(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${ns.toFixed(0)} ns`;
}

const rows: string[][] = [];
let slower = 0;
for (const [key, { now, then, ratio }] of results) {
  const r = median(ratio);
  if (r > SLOWER) slower++;
  rows.push([
    key,
    time(median(now)),
    time(median(then)),
    r.toFixed(3),
    `${Math.min(...ratio).toFixed(3)}–${Math.max(...ratio).toFixed(3)}`,
    r > SLOWER ? "SLOWER" : "",
  ]);
}
const header = ["workload", "now", short, "now/then", "runs", ""];
const widths = header.map((h, i) =>
  Math.max(h.length, ...rows.map((row) => row[i]!.length))
);
const line = (cells: string[]) =>
  cells.map((cell, i) =>
    i === 0 || i === 5 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)
  ).join("  ").trimEnd();
console.log(
  `\ntime per iteration (median over slices, then over ${runs} runs); ` +
    `now/then: median over runs of each run's median per-slice ratio ` +
    `(runs: lowest–highest run)`,
);
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const row of rows) console.log(line(row));
const percent = Math.round((SLOWER - 1) * 100);
console.log(
  slower === 0
    ? `\nno workload slower than ${short} by more than ${percent}%`
    : `\n${slower} workload(s) slower than ${short} by more than ${percent}% ` +
      `(a shared machine: re-run before believing it)`,
);
