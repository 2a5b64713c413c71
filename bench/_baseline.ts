// sleeve at another commit, side by side with the working tree's in the same
// run: `deno task bench:baseline <commit>` (bench/interleaved.ts) exports that
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
  // Written last by bench/interleaved.ts, so a half-exported tree has none.
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

/**
 * Registers the working tree's entry and, with a baseline, its twin: the
 * same group, `fn` given separately (its own function literal, so neither
 * shares type feedback with the other), and the name with "sleeve" turned
 * into "sleeve @<commit>".
 */
export function benchSleeve(
  now: Deno.BenchDefinition,
  then?: Deno.BenchDefinition["fn"],
): void {
  Deno.bench(now);
  if (baseline === undefined || then === undefined) return;
  const name = now.name.startsWith("sleeve")
    ? `sleeve ${baseline.tag}${now.name.slice("sleeve".length)}`
    : `${now.name} ${baseline.tag}`;
  Deno.bench({ ...now, name, baseline: false, fn: then });
}
