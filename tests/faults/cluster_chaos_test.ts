// A fault test of the cluster client's two send paths (the fast path that
// hands failures back to the router, and the timed path) under random
// mid-frame resets and cuts by a proxy per master, plus one outage, checked
// with a ledger: at-most-once writes, no acknowledged write lost, no
// never-sent write applied, no misrouted reply, nothing left pending.
//
// SLEEVE_CHAOS_SEED=<n> pins the seed (printed on every run).

import assert from "node:assert/strict";
import {
  ClusterError,
  connect,
  connectCluster,
  ConnectionError,
  type Redis,
  TimeoutError,
} from "../../mod.ts";
import { keySlot } from "../../lib/cluster/slot.ts";
import { type ChaosProxy, startChaosProxy } from "../_support/chaos_proxy.ts";
import { startRedisCluster } from "../_support/cluster.ts";
import { below, mulberry32 } from "../resp/_vectors.ts";

const LOAD_MS = 8_000;
const WRITERS = 50;
const READERS = 12;
const SPLITTERS = 6;
const READ_KEYS = 60;
/** One command in this many goes through `with({ timeout })`. */
const TIMED_EVERY = 4;
/** How long one proxy stays down: past the timed path's 2 s timeout. */
const OUTAGE_MS = 2_500;

type Path = "fast" | "timed";

function seedOf(): number {
  const raw = Deno.env.get("SLEEVE_CHAOS_SEED");
  if (raw !== undefined && raw !== "") return Number(raw) >>> 0;
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What one writer's RPUSHes came to. */
interface WriterLedger {
  readonly key: string;
  /** Seqs whose RPUSH resolved. */
  readonly acknowledged: number[];
  /** Seqs rejected with mayHaveExecuted: true (sent, fate unknown). */
  readonly mayHaveRun: number[];
  /** Seqs rejected with mayHaveExecuted: false (never applied). */
  readonly notRun: number[];
}

/** A rejection's kind, or undefined when it is not one a fault explains. */
function typed(error: unknown): string | undefined {
  if (error instanceof TimeoutError) return "TimeoutError";
  if (error instanceof ClusterError) return "ClusterError";
  if (error instanceof ConnectionError) return "ConnectionError";
  return undefined;
}

function mayHaveExecuted(error: unknown): boolean {
  return (error instanceof ConnectionError ||
    error instanceof TimeoutError || error instanceof ClusterError) &&
    error.mayHaveExecuted;
}

Deno.test("cluster under random mid-frame resets: at-most-once writes, none lost, none misrouted", async () => {
  const seed = seedOf();
  // deno-lint-ignore no-console
  console.log(`cluster chaos: seed ${seed} (SLEEVE_CHAOS_SEED=${seed})`);
  // The fault schedule draws from its own PRNG, so a seed replays the same
  // faults whatever the load draws.
  const faultRandom = mulberry32(seed);
  const random = mulberry32(seed ^ 0x9e37_79b9);
  await using c = await startRedisCluster({ masters: 3 });
  const proxies: ChaosProxy[] = [];
  await using _proxies = {
    async [Symbol.asyncDispose]() {
      await Promise.all(proxies.map((p) => p.close()));
    },
  };
  const addressMap: Record<string, string> = {};
  for (const [i, m] of c.masters.entries()) {
    const proxy = startChaosProxy({ port: m.port, seed: (seed + i) >>> 0 });
    proxies.push(proxy);
    addressMap[`127.0.0.1:${m.port}`] = `127.0.0.1:${proxy.port}`;
  }

  // Direct clients to each master, for the set-up and the check.
  const direct: Redis[] = [];
  await using _direct = {
    async [Symbol.asyncDispose]() {
      await Promise.all(direct.map((d) => d.close()));
    },
  };
  for (const m of c.masters) direct.push(await connect({ port: m.port }));
  const ownerOf = (key: string) =>
    direct[c.masters.indexOf(c.ownerOf(keySlot(key)))]!;

  const readKeys = Array.from({ length: READ_KEYS }, (_, i) => `named:${i}`);
  for (const key of readKeys) await ownerOf(key).set(key, key);
  const ledgers: WriterLedger[] = Array.from(
    { length: WRITERS },
    (_, w) => ({
      key: `ledger:${w}`,
      acknowledged: [],
      mayHaveRun: [],
      notRun: [],
    }),
  );
  const slots = new Set(ledgers.map((l) => keySlot(l.key)));
  const owners = new Set(ledgers.map((l) => c.ownerOf(keySlot(l.key)).port));
  assert.equal(owners.size, 3, "the ledger keys spread over every master");

  let unhandled = 0;
  const onUnhandled = (event: PromiseRejectionEvent) => {
    unhandled++;
    event.preventDefault();
  };
  globalThis.addEventListener("unhandledrejection", onUnhandled);

  await using cluster = await connectCluster({
    nodes: proxies.map((p) => p.url),
    addressMap,
    connectTimeout: 1_000,
    retryTimeout: 4_000,
  });
  const timed = cluster.with({ timeout: 2_000 });

  const stop = new AbortController();
  let pending = 0;
  const rejections = new Map<string, number>();
  const untyped: string[] = [];
  const misrouted: string[] = [];
  const reads = { ok: 0, rejected: 0, mget: 0, mgetRejected: 0 };
  const paths = { fast: 0, timed: 0 };

  /** Awaits `promise`, counting it pending meanwhile; returns its outcome. */
  async function track<T>(
    path: Path,
    promise: Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
    pending++;
    try {
      return { ok: true, value: await promise };
    } catch (error) {
      const kind = typed(error);
      if (kind === undefined) {
        if (untyped.length < 5) untyped.push(Deno.inspect(error));
        rejections.set("untyped", (rejections.get("untyped") ?? 0) + 1);
      } else {
        const fate = mayHaveExecuted(error) ? "may-have-run" : "not-run";
        const name = `${kind}(${fate}, ${path})`;
        rejections.set(name, (rejections.get(name) ?? 0) + 1);
      }
      return { ok: false, error };
    } finally {
      pending--;
    }
  }

  /** The path of the next command: one in TIMED_EVERY goes the timed way. */
  function via(): Path {
    const path = below(random, TIMED_EVERY) === 0 ? "timed" : "fast";
    paths[path]++;
    return path;
  }
  const client = { fast: cluster, timed };

  async function writer(ledger: WriterLedger): Promise<void> {
    for (let seq = 1; !stop.signal.aborted; seq++) {
      const path = via();
      const outcome = await track(
        path,
        client[path].rpush(ledger.key, String(seq)),
      );
      if (outcome.ok) ledger.acknowledged.push(seq);
      else if (mayHaveExecuted(outcome.error)) ledger.mayHaveRun.push(seq);
      else ledger.notRun.push(seq);
    }
  }

  async function reader(): Promise<void> {
    while (!stop.signal.aborted) {
      const key = readKeys[below(random, READ_KEYS)]!;
      const path = via();
      const outcome = await track(path, client[path].get(key));
      if (!outcome.ok) reads.rejected++;
      else if (outcome.value === key) reads.ok++;
      else misrouted.push(`GET ${key}: ${Deno.inspect(outcome.value)}`);
    }
  }

  async function splitter(): Promise<void> {
    while (!stop.signal.aborted) {
      const keys = Array.from(
        { length: 2 + below(random, 6) },
        () => readKeys[below(random, READ_KEYS)]!,
      );
      const path = via();
      const outcome = await track(path, client[path].mget(...keys));
      if (!outcome.ok) reads.mgetRejected++;
      else if (
        outcome.value.length === keys.length &&
        outcome.value.every((v, i) => v === keys[i])
      ) reads.mget++;
      else {misrouted.push(
          `MGET ${keys.join(" ")}: ${Deno.inspect(outcome.value)}`,
        );}
    }
  }

  const load = Promise.all([
    ...ledgers.map((l) => writer(l)),
    ...Array.from({ length: READERS }, () => reader()),
    ...Array.from({ length: SPLITTERS }, () => splitter()),
  ]);

  // One outage longer than the timed path's timeout, so some commands fail
  // unsent (and the ledger checks none of those ran): the fast path retries
  // within retryTimeout, the timed one gives up after 2 s.
  const outageAt = 1_000 + below(faultRandom, LOAD_MS - 4_000);
  const outageProxy = proxies[below(faultRandom, proxies.length)]!;
  const outage = (async () => {
    await sleep(outageAt);
    outageProxy.down();
    await sleep(OUTAGE_MS);
    outageProxy.up();
  })();
  // A fault every 150 to 450 ms on a random proxy: a reset (mid-frame for
  // whatever is in flight), or a cut after a few bytes of the next replies.
  const faults = { reset: 0, cut: 0 };
  const began = performance.now();
  while (performance.now() - began < LOAD_MS) {
    await sleep(150 + below(faultRandom, 300));
    const proxy = proxies[below(faultRandom, proxies.length)]!;
    if (below(faultRandom, 2) === 0) {
      faults.reset++;
      proxy.reset();
    } else {
      faults.cut++;
      proxy.cutAfter(below(faultRandom, 200));
    }
  }
  await outage;
  for (const proxy of proxies) proxy.clear();
  stop.abort();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settled = await Promise.race([
    load.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), 10_000);
    }),
  ]);
  clearTimeout(timer);
  globalThis.removeEventListener("unhandledrejection", onUnhandled);

  // The ledger lists, read from their masters directly.
  const duplicates: string[] = [];
  const lost: string[] = [];
  const phantom: string[] = [];
  const foreign: string[] = [];
  let ambiguousApplied = 0;
  let mayHaveRun = 0;
  let notRun = 0;
  let acknowledged = 0;
  for (const ledger of ledgers) {
    const list = await ownerOf(ledger.key).lrange(ledger.key, 0, -1);
    const seen = new Set<number>();
    for (const item of list) {
      const seq = Number(item);
      if (seen.has(seq)) duplicates.push(`${ledger.key} ${seq}`);
      seen.add(seq);
    }
    const issued = ledger.acknowledged.length + ledger.mayHaveRun.length +
      ledger.notRun.length;
    for (const seq of seen) {
      if (!Number.isInteger(seq) || seq < 1 || seq > issued) {
        foreign.push(`${ledger.key} ${seq}`);
      }
    }
    for (const seq of ledger.acknowledged) {
      if (!seen.has(seq)) lost.push(`${ledger.key} ${seq}`);
    }
    for (const seq of ledger.notRun) {
      if (seen.has(seq)) phantom.push(`${ledger.key} ${seq}`);
    }
    for (const seq of ledger.mayHaveRun) if (seen.has(seq)) ambiguousApplied++;
    acknowledged += ledger.acknowledged.length;
    mayHaveRun += ledger.mayHaveRun.length;
    notRun += ledger.notRun.length;
  }

  const kinds = [...rejections].sort(([a], [b]) => a < b ? -1 : 1)
    .map(([kind, n]) => `${kind} ${n}`).join(", ");
  // deno-lint-ignore no-console
  console.log(
    `cluster chaos: seed ${seed}, ${WRITERS} writers over ${slots.size} slots, ${
      ((performance.now() - began) / 1_000).toFixed(1)
    } s\n` +
      `  faults: reset ${faults.reset}, cut ${faults.cut}, outage at ${outageAt} ms on :${outageProxy.port}; paths: fast ${paths.fast}, timed ${paths.timed}\n` +
      `  RPUSH: acknowledged ${acknowledged}, rejected may-have-run ${mayHaveRun} (applied ${ambiguousApplied}), not-run ${notRun}\n` +
      `  GET: ok ${reads.ok}, rejected ${reads.rejected}; MGET: ok ${reads.mget}, rejected ${reads.mgetRejected}\n` +
      `  rejections: ${kinds || "none"}\n` +
      `  counters: ${JSON.stringify(cluster.counters)}\n` +
      `  duplicates ${duplicates.length}, lost ${lost.length}, never-sent applied ${phantom.length}, foreign ${foreign.length}, misrouted ${misrouted.length}, unhandled ${unhandled}, pending ${pending}, settled ${settled}`,
  );
  const context = `seed ${seed}`;
  assert.ok(
    settled,
    `${context}: ${pending} promises pending 10 s after the load stopped`,
  );
  assert.equal(pending, 0, context);
  assert.deepEqual(
    duplicates.slice(0, 5),
    [],
    `${context}: seqs applied twice`,
  );
  assert.deepEqual(lost.slice(0, 5), [], `${context}: acknowledged seqs lost`);
  assert.deepEqual(
    phantom.slice(0, 5),
    [],
    `${context}: seqs rejected as not run were applied`,
  );
  assert.deepEqual(foreign.slice(0, 5), [], `${context}: values never issued`);
  assert.deepEqual(misrouted.slice(0, 5), [], `${context}: misrouted replies`);
  assert.deepEqual(untyped, [], `${context}: untyped rejections`);
  assert.equal(unhandled, 0, `${context}: unhandled rejections`);
  assert.ok(acknowledged > 0 && reads.ok > 0 && reads.mget > 0, context);
  assert.ok(faults.reset + faults.cut > 0, context);
});
