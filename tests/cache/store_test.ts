// CacheStore without a server: the invalidation clock (a reply issued before
// an invalidation of its key, or a flush, is not stored; one issued after
// is), LRU order, byte bounds, and copies. And Tracking's reading of
// invalidation pushes, over a fake connection: keys as text or bytes, a null
// for a flush, lost sockets.

import assert from "node:assert/strict";
import { CacheStore, copyOf, tableIndex } from "../../lib/cache/store.ts";
import { Tracking } from "../../lib/cache/tracking.ts";
import { command } from "../../lib/commands/_command.ts";
import type {
  Connection,
  ConnectionListener,
  Request,
} from "../../lib/connection/connection.ts";
import { resolveOptions } from "../../lib/resolve_options.ts";
import type { RespValue } from "../../lib/resp/types.ts";

const GET = command("GET");
const utf8 = new TextEncoder();

function liveStore(maxEntries = 100, maxBytes = 1 << 20): CacheStore {
  const store = new CacheStore({ maxEntries, maxBytes, ttl: Infinity });
  store.live = true;
  return store;
}

Deno.test("CacheStore stores a reply only when no invalidation of its keys or flush came since it was issued", () => {
  const store = liveStore();
  const table = store.table(store.command(GET), tableIndex(0, false, true));
  const before = store.issue();
  store.invalidate("k");
  store.fill(table, "k", ["k"], "old", before);
  assert.equal(store.get(table, "k"), undefined);
  const after = store.issue();
  store.fill(table, "k", ["k"], "new", after);
  assert.equal(store.get(table, "k"), "new");
  // Another key's invalidation does not stop it (unless it shares the slot:
  // then the reply is only not stored, never wrong).
  const issued = store.issue();
  store.invalidate("other");
  store.fill(table, "k2", ["k2"], "v", issued);
  assert.equal(store.get(table, "k2"), "v");
  const flushedBefore = store.issue();
  store.flush();
  store.fill(table, "k", ["k"], "stale", flushedBefore);
  assert.equal(store.get(table, "k"), undefined);
  // Not live: nothing is stored.
  store.live = false;
  store.fill(table, "k", ["k"], "v", store.issue());
  assert.equal(store.get(table, "k"), undefined);
  const stats = store.stats();
  assert.equal(stats.discarded, 2);
  assert.equal(stats.stored, 2);
  assert.equal(stats.flushed, 2);
});

Deno.test("CacheStore invalidates every entry of a key, multi-key entries included, and evicts least recently used first", () => {
  const store = liveStore(3);
  const known = store.command(GET);
  const single = store.table(known, tableIndex(0, false, true));
  const multi = store.table(known, tableIndex(0, false, false));
  store.fill(single, "a", ["a"], "1", store.issue());
  store.fill(multi, "ab", ["a", "b"], ["1", "2"], store.issue());
  store.fill(single, "b", ["b"], "2", store.issue());
  store.get(single, "a");
  store.fill(single, "c", ["c"], "3", store.issue()); // evicts "ab", the oldest
  assert.equal(store.get(multi, "ab"), undefined);
  assert.equal(store.stats().evictions, 1);
  store.invalidate("b");
  assert.equal(store.get(single, "b"), undefined);
  assert.equal(store.get(single, "a"), "1");
  assert.equal(store.size, 2);

  const bounded = liveStore(100, 600);
  const table = bounded.table(
    bounded.command(GET),
    tableIndex(0, false, true),
  );
  for (let i = 0; i < 10; i++) {
    bounded.fill(table, `k${i}`, [`k${i}`], "x".repeat(50), bounded.issue());
  }
  const stats = bounded.stats();
  assert.ok(stats.bytes <= 600);
  assert.equal(stats.stored, stats.entries + stats.evictions);
  assert.equal(bounded.get(table, "k9"), "x".repeat(50));
  assert.equal(bounded.get(table, "k0"), undefined);
});

Deno.test("copyOf() copies what a caller could change and keeps the rest", () => {
  const bytes = new Uint8Array([1, 2]);
  const value: RespValue = [
    "a",
    1,
    null,
    bytes,
    new Map<RespValue, RespValue>([["k", ["v"]]]),
    new Set<RespValue>(["m"]),
  ];
  const copy = copyOf(value) as RespValue[];
  assert.deepEqual(copy, value);
  assert.notEqual(copy, value);
  assert.notEqual(copy[3], bytes);
  assert.notEqual(copy[4], value[4]);
  assert.equal(copyOf("text"), "text");
});

/** A connection that answers every request with +OK and records them. */
class FakeConnection implements Connection {
  protocol: 2 | 3 = 3;
  databases = undefined;
  serverVersion = undefined;
  closed = false;
  ready = true;
  readonly sent: string[] = [];
  readonly listeners: ConnectionListener[] = [];

  send(request: Request): Promise<unknown> {
    this.sent.push([request.command.name, ...request.args].join(" "));
    return Promise.resolve("OK");
  }
  sendVoid(): void {}
  sendBatch(): Promise<never[]> {
    return Promise.resolve([]);
  }
  sendBatchVoid(): void {}
  listen(listener: ConnectionListener): () => void {
    this.listeners.push(listener);
    return () => {};
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  push(frame: RespValue[]): void {
    for (const listener of this.listeners) listener.push?.(frame);
  }
}

Deno.test("Tracking applies RESP3 invalidation pushes, as text or bytes, and flushes on a null or a lost socket", async () => {
  const connection = new FakeConnection();
  const store = liveStore();
  store.live = false;
  const config = resolveOptions({ cache: { bcast: ["p:"] } });
  const tracking = await Tracking.start(
    connection,
    store,
    config,
    { bcast: ["p:"] },
    () => assert.fail("no refusal expected"),
  );
  assert.deepEqual(connection.sent, ["CLIENT TRACKING ON BCAST PREFIX p:"]);
  assert.ok(store.live);
  connection.push(["invalidate", ["p:a"]]);
  connection.push([utf8.encode("invalidate"), [utf8.encode("p:é")]]);
  connection.push(["invalidate", [new Uint8Array([0x70, 0xff])]]);
  connection.push(["message", "not", "an invalidation"]);
  const invalidated: string[] = [];
  const original = store.invalidate.bind(store);
  store.invalidate = (key: string) => {
    invalidated.push(key);
    original(key);
  };
  connection.push(["invalidate", ["p:b", utf8.encode("p:c")]]);
  assert.deepEqual(invalidated, ["p:b", "p:c"]);
  assert.equal(store.stats().invalidations, 5);
  connection.push(["invalidate", null]);
  assert.equal(store.stats().flushes, 1);
  for (const listener of connection.listeners) {
    listener.disconnect?.(new Error("lost"));
  }
  assert.equal(store.live, false);
  assert.equal(store.stats().flushes, 2);
  for (const listener of connection.listeners) listener.ready?.();
  assert.ok(store.live);
  assert.equal(connection.sent.length, 2);
  await tracking.close();
  assert.equal(store.live, false);
});

Deno.test("CacheStore serves only while every tracked connection is up (one per cluster node, later)", () => {
  const store = new CacheStore({
    maxEntries: 10,
    maxBytes: 1 << 20,
    ttl: Infinity,
  });
  const table = store.table(store.command(GET), tableIndex(0, false, true));
  const a = {};
  const b = {};
  assert.equal(store.live, false);
  store.up(a);
  store.up(b);
  assert.equal(store.live, true);
  store.fill(table, "k", ["k"], "v", store.issue());
  store.down(a);
  assert.equal(store.live, false);
  assert.equal(store.size, 0);
  // Reads issued while one connection is down are never stored, even
  // once it is back.
  const issued = store.issue();
  store.up(b);
  assert.equal(store.live, false);
  store.up(a);
  assert.equal(store.live, true);
  store.fill(table, "k", ["k"], "v", issued);
  assert.equal(store.size, 0);
  store.untrack(a);
  assert.equal(store.live, true);
  store.untrack(b);
  assert.equal(store.live, false);
});
