// deno-lint-ignore-file no-console -- prints its figures.
// Summarises a V8 .cpuprofile (deno run --cpu-prof): the functions with the
// most self time, and optionally the total (inclusive) time of some.
//
//   deno run --allow-read bench/profile/summarize.ts PROFILE.cpuprofile [--top=25]

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const path = Deno.args.find((arg) => !arg.startsWith("--"));
if (path === undefined) throw new Error("usage: summarize.ts PROFILE");
const topArg = Deno.args.find((arg) => arg.startsWith("--top="));
const TOP = topArg === undefined ? 25 : Number(topArg.slice(6));
const profile: Profile = JSON.parse(await Deno.readTextFile(path));

const byId = new Map<number, Node>();
const parent = new Map<number, number>();
for (const node of profile.nodes) {
  byId.set(node.id, node);
  for (const child of node.children ?? []) parent.set(child, node.id);
}
const selfUs = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i]!;
  // A sample's delta is the time until the next sample.
  const delta = profile.timeDeltas[i + 1] ?? 0;
  selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
}

function label(node: Node): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.split("/").slice(-2).join("/");
  return `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`;
}

const self = new Map<string, number>();
const total = new Map<string, number>();
let all = 0;
for (const [id, us] of selfUs) {
  all += us;
  const node = byId.get(id)!;
  self.set(label(node), (self.get(label(node)) ?? 0) + us);
  // Inclusive: every distinct function on the stack once.
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const name = label(byId.get(at)!);
    if (seen.has(name)) continue;
    seen.add(name);
    total.set(name, (total.get(name) ?? 0) + us);
  }
}
const pct = (us: number) => `${(100 * us / all).toFixed(1).padStart(5)}%`;
console.log(`sampled ${(all / 1000).toFixed(0)} ms`);
console.log("self time:");
for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
  console.log(`  ${pct(us)} ${(us / 1000).toFixed(1).padStart(8)} ms  ${name}`);
}
console.log("total time:");
for (
  const [name, us] of [...total].sort((a, b) => b[1] - a[1]).slice(0, TOP)
) {
  console.log(`  ${pct(us)} ${(us / 1000).toFixed(1).padStart(8)} ms  ${name}`);
}
