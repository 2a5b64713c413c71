// Owns the invariant-checking load used by the fault tests and the soak:
// writers of unique keys and values with mixed reply types,
// a ledger of every write's fate, and a tally of outcomes by kind; a plain
// SET/GET/INCR writer for any client (a cluster client too). A reply
// that is not exactly the one its own command must get is a misrouted reply.

import {
  ConnectionError,
  ProtocolError,
  type Redis,
  type RedisView,
  ReplyError,
  TimeoutError,
} from "../../mod.ts";

/** Counts of what happened to every command a workload issued. */
export class Tally {
  /** Commands issued with a promise. */
  sent = 0;
  /** Promises resolved with the expected reply. */
  acknowledged = 0;
  /** Promises rejected, by kind (see {@linkcode kindOf}). */
  readonly rejected: Map<string, number> = new Map();
  /** Promises resolved with a reply that was not theirs. */
  misrouted = 0;
  /** Up to 5 misrouted replies, for the failure message. */
  readonly samples: string[] = [];

  /** Records a rejection. */
  reject(error: unknown): void {
    const kind = kindOf(error);
    this.rejected.set(kind, (this.rejected.get(kind) ?? 0) + 1);
  }

  /** Records a resolved reply against what it had to be. */
  check(what: string, got: unknown, expected: unknown): boolean {
    if (same(got, expected)) {
      this.acknowledged++;
      return true;
    }
    this.misrouted++;
    if (this.samples.length < 5) {
      this.samples.push(
        `${what}: got ${Deno.inspect(got)}, expected ${Deno.inspect(expected)}`,
      );
    }
    return false;
  }

  /** Rejections of kinds a fault cannot explain (not connection, timeout or abort). */
  unexplained(): number {
    let n = 0;
    for (const [kind, count] of this.rejected) {
      if (!EXPLAINED.test(kind)) n += count;
    }
    return n;
  }

  /** Total rejections. */
  get rejectedTotal(): number {
    let n = 0;
    for (const count of this.rejected.values()) n += count;
    return n;
  }

  /** One line per figure. */
  summary(): string {
    const kinds = [...this.rejected].sort(([a], [b]) => a < b ? -1 : 1)
      .map(([kind, count]) => `${kind} ${count}`).join(", ");
    return `sent ${this.sent}, acknowledged ${this.acknowledged}, rejected ${this.rejectedTotal} (${
      kinds || "none"
    }), misrouted ${this.misrouted}`;
  }
}

/** Kinds a fault is allowed to cause. */
const EXPLAINED =
  /^(ConnectionError\((sent|unsent)\)|TimeoutError|AbortError|Aborted)$/;

/** A short kind for a rejection: `ConnectionError(sent)`, `TimeoutError`, `ReplyError(ERR)`... */
export function kindOf(error: unknown): string {
  if (error instanceof ConnectionError) {
    return `ConnectionError(${error.mayHaveExecuted ? "sent" : "unsent"})`;
  }
  if (error instanceof TimeoutError) return "TimeoutError";
  if (error instanceof ReplyError) return `ReplyError(${error.code})`;
  if (error instanceof ProtocolError) return "ProtocolError";
  if (error instanceof DOMException && error.name === "AbortError") {
    return "AbortError";
  }
  if (error instanceof Error && error.message === ABORTED) return "Aborted";
  return error instanceof Error ? error.name : typeof error;
}

/** The reason the workload aborts its signals with. */
export const ABORTED = "workload aborted the command";

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || !a || !b) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** What became of one SET of the ledger. */
export type Fate = "acknowledged" | "ambiguous" | "unsent";

/** Every write of unique key and value, and its fate. */
export class Ledger {
  /** `db key` → [value, fate]. */
  readonly writes: Map<string, [string, Fate]> = new Map();

  /** Records a write's fate from its outcome. */
  record(db: number, key: string, value: string, error?: unknown): void {
    const fate: Fate = error === undefined
      ? "acknowledged"
      : error instanceof ConnectionError && !error.mayHaveExecuted
      ? "unsent"
      : "ambiguous";
    this.writes.set(`${db} ${key}`, [value, fate]);
  }

  /** Counts by fate. */
  counts(): Record<Fate, number> {
    const counts = { acknowledged: 0, ambiguous: 0, unsent: 0 };
    for (const [, fate] of this.writes.values()) counts[fate]++;
    return counts;
  }

  /**
   * Reads every key back through `redis` (a clean client): acknowledged
   * writes must be there with their value, never-sent ones must be absent.
   */
  async verify(redis: Redis): Promise<{ lost: number; phantom: number }> {
    const byDb = new Map<number, [string, string, Fate][]>();
    for (const [id, [value, fate]] of this.writes) {
      const space = id.indexOf(" ");
      const db = Number(id.slice(0, space));
      let list = byDb.get(db);
      if (list === undefined) byDb.set(db, list = []);
      list.push([id.slice(space + 1), value, fate]);
    }
    let lost = 0;
    let phantom = 0;
    for (const [db, list] of byDb) {
      const view = redis.db(db);
      for (let i = 0; i < list.length; i += 1_000) {
        const batch = list.slice(i, i + 1_000);
        const values = await view.mget(...batch.map(([key]) => key));
        batch.forEach(([, value, fate], k) => {
          if (fate === "acknowledged" && values[k] !== value) lost++;
          if (fate === "unsent" && values[k] !== null) phantom++;
        });
      }
    }
    return { lost, phantom };
  }
}

/** Options of {@linkcode runWriter}. */
export interface WriterOptions {
  /** Writer number: part of every key and value. */
  id: number;
  /** Stops issuing when aborted (what is in flight still settles). */
  stop: AbortSignal;
  tally: Tally;
  ledger: Ledger;
  /** Databases to spread over (writer `id` uses `dbs[id % dbs.length]`). */
  dbs: readonly number[];
  /** Timeout of every command, through `with()`, if any. */
  timeout?: number;
  /** Every `abortEvery`-th round also sends a command aborted midway. */
  abortEvery?: number;
  /** Issues fire-and-forget INCRs too; counts them here. */
  fireAndForget?: { issued: number };
  /** Pause between rounds, in ms. */
  pauseMs?: number;
}

/**
 * One caller: rounds of pipelined commands on unique keys with mixed reply
 * types (status, bulk, integer, map, array, double, binary), each checked
 * against the one reply it must get, until `stop` is aborted.
 */
export async function runWriter(
  redis: Redis,
  options: WriterOptions,
): Promise<void> {
  const { id, stop, tally, ledger, dbs } = options;
  const db = dbs[id % dbs.length]!;
  let view: RedisView<"promise", string> = redis.db(db);
  if (options.timeout !== undefined) {
    view = view.with({ timeout: options.timeout });
  }
  const encoder = new TextEncoder();
  for (let round = 0; !stop.aborted; round++) {
    const tag = `w${id}:${round}`;
    const value = `${tag}:${crypto.randomUUID()}`;
    const key = `k:${tag}`;
    const ops: Promise<void>[] = [];
    const settle = (what: string, p: Promise<unknown>, expected: unknown) => {
      tally.sent++;
      const checked = p.then(
        (got) => tally.check(`${tag} ${what}`, got, expected),
        (error) => {
          tally.reject(error);
          return false;
        },
      );
      ops.push(checked.then(() => {}));
      return checked;
    };
    // A read right behind a write on the same connection must see it when
    // the write was acknowledged; after a failed write it may see nothing,
    // but never another caller's value.
    const after = (
      write: Promise<boolean>,
      what: string,
      p: Promise<unknown>,
      expected: unknown,
      empty: unknown,
    ) => {
      tally.sent++;
      ops.push(
        Promise.all([p, write]).then(
          ([got, written]) => {
            const ok = !written && same(got, empty) ? empty : expected;
            tally.check(`${tag} ${what}`, got, ok);
          },
          (error) => tally.reject(error),
        ),
      );
    };
    tally.sent++;
    const set = view.set(key, value).then(
      (got) => {
        ledger.record(db, key, value);
        return tally.check(`${tag} SET`, got, "OK");
      },
      (error) => {
        tally.reject(error);
        ledger.record(db, key, value, error);
        return false;
      },
    );
    ops.push(set.then(() => {}));
    after(set, "GET", view.get(key), value, null);
    after(set, "binary GET", view.binary.get(key), encoder.encode(value), null);
    settle("INCRBY", view.incrby(`c:${tag}`, round + 1), round + 1);
    const hset = settle("HSET", view.hset(`h:${tag}`, { f: value }), 1);
    after(hset, "HGETALL", view.hgetall(`h:${tag}`), { f: value }, {});
    const rpush = settle("RPUSH", view.rpush(`l:${tag}`, tag, value), 2);
    after(rpush, "LRANGE", view.lrange(`l:${tag}`, 0, -1), [tag, value], []);
    const zadd = settle(
      "ZADD",
      view.zadd(`z:${tag}`, { [tag]: round + 0.5 }),
      1,
    );
    after(zadd, "ZSCORE", view.zscore(`z:${tag}`, tag), round + 0.5, null);
    settle("EXISTS", view.exists(`nothing:${tag}`), 0);
    if (options.abortEvery !== undefined && round % options.abortEvery === 0) {
      const controller = new AbortController();
      settle("ECHO", view.with({ signal: controller.signal }).echo(tag), tag);
      queueMicrotask(() => controller.abort(new Error(ABORTED)));
    }
    if (options.fireAndForget !== undefined) {
      options.fireAndForget.issued++;
      view.fireAndForget.incr(`ff:${id}`);
    }
    await Promise.all(ops);
    if (options.pauseMs !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  }
}

/** Runs `count` writers until `stop` aborts; resolves when all settled. */
export async function runWriters(
  redis: Redis,
  count: number,
  options: Omit<WriterOptions, "id">,
): Promise<void> {
  await Promise.all(
    Array.from(
      { length: count },
      (_, id) => runWriter(redis, { ...options, id }),
    ),
  );
}

/**
 * What {@linkcode runKeyValueWriters} needs of a client: `Redis`, one of its
 * views, the cluster client, or any router with these three methods.
 */
export interface KeyValueClient {
  set(key: string, value: string): Promise<unknown>;
  get(key: string): Promise<unknown>;
  incr(key: string): Promise<number>;
}

/** Options of {@linkcode runKeyValueWriters}. */
export interface KeyValueWriterOptions {
  /** Stops issuing when aborted (what is in flight still settles). */
  stop: AbortSignal;
  tally: Tally;
  /** Every SET's fate, in database 0. */
  ledger: Ledger;
  /** Starts every key, so runs on one cluster do not collide (default `"kv"`). */
  prefix?: string;
  /** Pause between rounds, in ms. */
  pauseMs?: number;
}

/**
 * One caller awaiting each command in turn, until `stop` aborts: per round
 * SET of a unique key (its fate in the ledger), GET of it (its value, or
 * nothing after a failed SET; anything else is misrouted), INCR of a fresh
 * counter (1). Unique keys spread over every slot of a cluster.
 */
export async function runKeyValueWriter(
  client: KeyValueClient,
  id: number,
  options: KeyValueWriterOptions,
): Promise<void> {
  const { stop, tally, ledger } = options;
  const prefix = options.prefix ?? "kv";
  for (let round = 0; !stop.aborted; round++) {
    const tag = `${prefix}:w${id}:${round}`;
    const key = `k:${tag}`;
    const value = `${tag}:${crypto.randomUUID()}`;
    tally.sent++;
    let written = false;
    try {
      const got = await client.set(key, value);
      ledger.record(0, key, value);
      written = tally.check(`${tag} SET`, got, "OK");
    } catch (error) {
      tally.reject(error);
      ledger.record(0, key, value, error);
    }
    tally.sent++;
    try {
      const got = await client.get(key);
      tally.check(`${tag} GET`, got, !written && got === null ? null : value);
    } catch (error) {
      tally.reject(error);
    }
    tally.sent++;
    try {
      tally.check(`${tag} INCR`, await client.incr(`c:${tag}`), 1);
    } catch (error) {
      tally.reject(error);
    }
    if (options.pauseMs !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  }
}

/** Runs `count` {@linkcode runKeyValueWriter}s until `stop` aborts; resolves when all settled. */
export async function runKeyValueWriters(
  client: KeyValueClient,
  count: number,
  options: KeyValueWriterOptions,
): Promise<void> {
  await Promise.all(
    Array.from(
      { length: count },
      (_, id) => runKeyValueWriter(client, id, options),
    ),
  );
}
