// The load of the cache's race and disconnect tests: writers INCR random keys
// on a client of their own (so each key's value is its version, in the
// server's order) and keep a ledger of when each version was acknowledged;
// readers GET the same keys through a cached client and check each read as
// it returns: a read from the server must be fresh (no version acknowledged
// before the read was issued is newer than what it got), and a read from the
// cache may be stale only while the invalidation is still on its way (no
// invalidation of the key, and no flush, was processed between the newer
// version's acknowledgement and the read), and not for long: an
// invalidation takes well under a second to arrive, so a hit that old is a
// reply stored although its invalidation had come.

import type { Redis } from "../../mod.ts";
import type { RecordingStore } from "./_recording.ts";

/** What the readers saw. */
export interface RaceReport {
  reads: number;
  hits: number;
  writes: number;
  failedReads: number;
  failedWrites: number;
  /** Reads from the server older than a version acknowledged before they were issued. */
  staleMisses: number;
  /** Reads from the cache older than a version whose invalidation had been processed. */
  staleHitsAfterInvalidation: number;
  /** Values newer than any write issued by then. */
  fromTheFuture: number;
  /** Reads from the cache older than an acknowledged version (invalidation still on its way). */
  boundedStaleHits: number;
  /** Such reads more than `staleBound` ms after the newer version's acknowledgement. */
  staleBeyondBound: number;
  /** The longest time such a read came after the newer version's acknowledgement, in ms. */
  maxStaleness: number;
  /** Up to 5 violations, for the failure message. */
  samples: string[];
}

/** The ledger of one key. */
class KeyLedger {
  /** INCRs issued so far (the newest version that may exist). */
  issued = 0;
  /** Versions acknowledged, in order (one writer connection: server order). */
  readonly versions: number[] = [];
  /** When each was acknowledged (performance.now()). */
  readonly times: number[] = [];

  /** The newest version acknowledged before `t`, or 0. */
  ackedBefore(t: number): number {
    const times = this.times;
    for (let i = times.length - 1; i >= 0; i--) {
      if (times[i]! < t) return this.versions[i]!;
    }
    return 0;
  }

  /** When the first version newer than `v` was acknowledged. */
  firstAckAfter(v: number): number {
    const versions = this.versions;
    // Versions ascend: binary search for the first > v.
    let lo = 0;
    let hi = versions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (versions[mid]! > v) hi = mid;
      else lo = mid + 1;
    }
    return lo < versions.length ? this.times[lo]! : Infinity;
  }
}

/** Options of {@linkcode race}. */
export interface RaceOptions {
  /** The cached client and its recording store. */
  readonly reader: Redis;
  readonly store: RecordingStore;
  /** A client of its own for the writers. */
  readonly writer: Redis;
  readonly keys: number;
  readonly readers: number;
  readonly writers: number;
  /** How long the load runs, in ms. */
  readonly ms: number;
  /**
   * The longest a cached read may lag an acknowledged write, in ms.
   *
   * @default {1000}
   */
  readonly staleBound?: number;
  /** Runs while the load does (faults); the load stops when both are done. */
  readonly during?: () => Promise<void>;
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs the load and returns what the readers saw. Keys are reset to 0 first. */
export async function race(options: RaceOptions): Promise<RaceReport> {
  const { reader, store, writer, keys } = options;
  const names = Array.from({ length: keys }, (_, i) => `race:${i}`);
  await writer.del(...names);
  const ledgers = names.map(() => new KeyLedger());
  const report: RaceReport = {
    reads: 0,
    hits: 0,
    writes: 0,
    failedReads: 0,
    failedWrites: 0,
    staleMisses: 0,
    staleHitsAfterInvalidation: 0,
    fromTheFuture: 0,
    boundedStaleHits: 0,
    staleBeyondBound: 0,
    maxStaleness: 0,
    samples: [],
  };
  const violation = (text: string) => {
    if (report.samples.length < 5) report.samples.push(text);
  };
  let running = true;
  const bound = options.staleBound ?? 1000;

  const write = async () => {
    while (running) {
      const i = Math.floor(Math.random() * keys);
      const ledger = ledgers[i]!;
      ledger.issued++;
      try {
        const version = await writer.incr(names[i]!);
        ledger.versions.push(version);
        ledger.times.push(performance.now());
        report.writes++;
      } catch {
        report.failedWrites++;
        await sleep(5);
      }
      await sleep(Math.random() < 0.5 ? 0 : 1);
    }
  };

  const read = async () => {
    let n = 0;
    while (running) {
      const i = Math.floor(Math.random() * keys);
      const key = names[i]!;
      const ledger = ledgers[i]!;
      const t0 = performance.now();
      const hitsBefore = store.hits;
      let value: string | null;
      let hit: boolean;
      try {
        const reply = reader.get(key);
        hit = store.hits > hitsBefore;
        value = await reply;
      } catch {
        report.failedReads++;
        await sleep(5);
        continue;
      }
      report.reads++;
      if (hit) report.hits++;
      const v = value === null ? 0 : Number(value);
      if (v > ledger.issued) {
        report.fromTheFuture++;
        violation(`${key}: read ${v}, only ${ledger.issued} writes issued`);
      }
      const newer = ledger.ackedBefore(t0);
      if (newer > v) {
        if (!hit) {
          report.staleMisses++;
          violation(`${key}: a miss read ${v} after ${newer} was acknowledged`);
        } else {
          const since = ledger.firstAckAfter(v);
          if (store.invalidatedBetween(key, since, t0)) {
            report.staleHitsAfterInvalidation++;
            violation(
              `${key}: a hit read ${v} after ${newer} was acknowledged and an invalidation processed`,
            );
          } else {
            report.boundedStaleHits++;
            report.maxStaleness = Math.max(report.maxStaleness, t0 - since);
            if (t0 - since > bound) {
              report.staleBeyondBound++;
              violation(
                `${key}: a hit read ${v}, ${
                  (t0 - since).toFixed(0)
                } ms after ${newer} was acknowledged`,
              );
            }
          }
        }
      }
      // Hits settle without I/O: let the sockets be read now and then.
      if (++n % 16 === 0) await sleep(0);
    }
  };

  const loops = [
    ...Array.from({ length: options.writers }, write),
    ...Array.from({ length: options.readers }, read),
  ];
  await Promise.all([sleep(options.ms), options.during?.()]);
  running = false;
  await Promise.all(loops);
  return report;
}
