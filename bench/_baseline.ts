// sleeve at another commit, side by side with the working tree's in the same
// run: `deno task bench:baseline <commit>` (bench/baseline.ts) exports that
// commit's mod.ts and lib/ into bench/.baseline/<sha>/ and runs the benches
// with SLEEVE_BASELINE naming that folder. Each workload then registers a
// twin entry, "sleeve @<commit>", in the same group, against the same server,
// right beside the working tree's "sleeve".

/** The exported tree of another commit. */
export interface Baseline {
  /** The full commit hash, read from the tree's COMMIT file. */
  readonly commit: string;
  /** `@` and the short hash: "@a91f7c7". */
  readonly tag: string;
  /** Imports one of the tree's modules, e.g. `"mod.ts"` (typed by the caller). */
  import<T>(path: string): Promise<T>;
}

async function load(): Promise<Baseline | undefined> {
  const dir = Deno.env.get("SLEEVE_BASELINE");
  if (!dir) return undefined;
  const base = new URL(
    `file://${dir.split("/").map(encodeURIComponent).join("/")}/`,
  );
  // Written last by bench/baseline.ts, so a half-exported tree has none.
  const commit = (await Deno.readTextFile(new URL("COMMIT", base))).trim();
  if (!/^[0-9a-f]{40}$/.test(commit)) {
    throw new Error(`${dir}/COMMIT holds no commit hash`);
  }
  return {
    commit,
    tag: `@${commit.slice(0, 7)}`,
    import: (path) => import(new URL(path, base).href),
  };
}

/** The commit to compare with, when SLEEVE_BASELINE is set. */
export const baseline: Baseline | undefined = await load();

/** A workload as the working tree runs it and as the baseline does. */
export interface Pair {
  group: string;
  name: string;
  now: Deno.BenchDefinition["fn"];
  then: Deno.BenchDefinition["fn"];
}

/** Every pair registered so far, for the paired runner (bench/_paired.ts). */
export const pairs: Pair[] = [];

/**
 * Registers the working tree's entry and, with a baseline, its twin: the
 * same group, `fn` given separately (its own function literal, so neither
 * shares type feedback with the other), and the name with "sleeve" turned
 * into "sleeve @<commit>". SLEEVE_BASELINE_FIRST=1 registers the twin first,
 * so that alternating runs cancel out any cost of going first.
 */
export function benchSleeve(
  now: Deno.BenchDefinition,
  then?: Deno.BenchDefinition["fn"],
): void {
  if (baseline === undefined || then === undefined) {
    Deno.bench(now);
    return;
  }
  pairs.push({ group: now.group ?? "", name: now.name, now: now.fn, then });
  const name = now.name.startsWith("sleeve")
    ? `sleeve ${baseline.tag}${now.name.slice("sleeve".length)}`
    : `${now.name} ${baseline.tag}`;
  const twin: Deno.BenchDefinition = {
    ...now,
    name,
    baseline: false,
    fn: then,
  };
  if (Deno.env.get("SLEEVE_BASELINE_FIRST") === "1") {
    Deno.bench(twin);
    Deno.bench(now);
  } else {
    Deno.bench(now);
    Deno.bench(twin);
  }
}
