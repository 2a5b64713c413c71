// connectCluster() on a real 3-master cluster shared by every step: commands
// land on the master serving their slot; cross-slot MGET/MSET/DEL/EXISTS/
// TOUCH/UNLINK are split and merged in order; what cannot be split is
// refused before sending; keyless commands fan out by policy; scan() walks
// every master; views, transactions, pipelines, watch(), scripts, blocking
// commands and pub/sub work as on one server; a MOVED and an ASK from a real
// slot move are followed. The slot-moving steps come last.

import assert from "node:assert/strict";
import {
  connect,
  connectCluster,
  CrossSlotError,
  type Redis,
} from "../../mod.ts";
import { keySlot } from "../../lib/cluster/slot.ts";
import { type RedisCluster, startRedisCluster } from "../_support/cluster.ts";

/** A plain client per master, keyed by its port. */
async function direct(cluster: RedisCluster): Promise<Map<number, Redis>> {
  const out = new Map<number, Redis>();
  for (const m of cluster.masters) out.set(m.port, await connect(m.url));
  return out;
}

Deno.test("connectCluster on a real cluster", async (t) => {
  await using c = await startRedisCluster({ masters: 3 });
  await using cluster = await connectCluster(c.masters.map((m) => m.url));
  const nodes = await direct(c);
  const owner = (key: string) => nodes.get(c.ownerOf(keySlot(key)).port)!;
  try {
    await t.step("masters, and db(): only database 0", () => {
      assert.deepEqual(
        [...cluster.masters].sort(),
        c.masters.map((m) => `127.0.0.1:${m.port}`).sort(),
      );
      assert.equal(cluster.db(0), cluster);
      assert.throws(() => cluster.db(1), RangeError);
    });

    await t.step("every key lands on the master serving its slot", async () => {
      const keys = Array.from({ length: 200 }, (_, i) => `key:${i}`);
      await Promise.all(keys.map((k, i) => cluster.set(k, String(i))));
      for (const [i, k] of keys.entries()) {
        assert.equal(await owner(k).get(k), String(i), k);
      }
      const values = await Promise.all(keys.map((k) => cluster.get(k)));
      assert.deepEqual(values, keys.map((_, i) => String(i)));
      assert.equal(await cluster.del(...keys), 200);
    });

    await t.step(
      "with maxInFlight 4, commands that must wait for room (not the fast path) land right too",
      async () => {
        await using tight = await connectCluster({
          nodes: [c.masters[0]!.url],
          maxInFlight: 4,
        });
        const keys = Array.from({ length: 1_000 }, (_, i) => `tight:${i}`);
        const sets = keys.map((k, i) => tight.set(k, `v${i}`));
        const gets = keys.map((k) => tight.get(k));
        const mgets = Array.from(
          { length: 50 },
          (_, i) => tight.mget(keys[i]!, keys[i + 500]!, keys[i + 900]!),
        );
        assert.deepEqual(await Promise.all(sets), keys.map(() => "OK"));
        assert.deepEqual(
          await Promise.all(gets),
          keys.map((_, i) => `v${i}`),
        );
        assert.deepEqual(
          await Promise.all(mgets),
          Array.from({ length: 50 }, (_, i) => [
            `v${i}`,
            `v${i + 500}`,
            `v${i + 900}`,
          ]),
        );
        for (const k of keys.slice(0, 20)) {
          assert.equal(await owner(k).get(k), `v${keys.indexOf(k)}`);
        }
        assert.equal(await tight.del(...keys), 1_000);
      },
    );

    await t.step(
      "cross-slot MGET, MSET, DEL, EXISTS, TOUCH, UNLINK are split and merged in order",
      async () => {
        const keys = ["a", "b", "c", "d", "e", "f"];
        const slots = new Set(keys.map(keySlot));
        assert.ok(slots.size >= 3, "the keys span slots");
        assert.equal(
          await cluster.mset(Object.fromEntries(keys.map((k) => [k, k + k]))),
          "OK",
        );
        for (const k of keys) assert.equal(await owner(k).get(k), k + k);
        assert.deepEqual(
          await cluster.mget("f", "nope", "a", "c", "a"),
          ["ff", null, "aa", "cc", "aa"],
        );
        const bytes = await cluster.binary.mget("a", "b");
        assert.deepEqual(bytes, [
          new TextEncoder().encode("aa"),
          new TextEncoder().encode("bb"),
        ]);
        assert.equal(await cluster.exists("a", "a", "b", "nope"), 3);
        assert.equal(await cluster.touch("a", "b", "nope"), 2);
        assert.equal(await cluster.unlink("a", "b"), 2);
        assert.equal(await cluster.del("c", "d", "e", "f", "nope"), 4);
        assert.deepEqual(await cluster.mget("a", "f"), [null, null]);
      },
    );

    await t.step(
      "what cannot be split is refused before anything is sent",
      async () => {
        const refused = async (p: Promise<unknown>, command: string) => {
          const error = await p.then(() => assert.fail("resolved"), (e) => e);
          assert.ok(error instanceof CrossSlotError, String(error));
          assert.equal(error.command, command);
          assert.match(error.message, /hash tag/);
        };
        await refused(cluster.msetnx({ a: "1", b: "1" }), "MSETNX");
        await refused(cluster.sinterstore("dest", "a", "b"), "SINTERSTORE");
        await refused(
          cluster.eval("return redis.call('SET', KEYS[1], '1')", ["a", "b"]),
          "EVAL",
        );
        await refused(
          cluster.multi().set("a", "1").set("b", "1").exec(),
          "EXEC",
        );
        await refused(cluster.watch(["a", "b"], () => {}), "WATCH");
        assert.deepEqual(await cluster.mget("a", "b", "dest"), [
          null,
          null,
          null,
        ]);
      },
    );

    await t.step(
      "hash tags keep keys together: sinterstore, msetnx, eval",
      async () => {
        await cluster.sadd("{u1}.a", "x", "y");
        await cluster.sadd("{u1}.b", "y", "z");
        assert.equal(
          await cluster.sinterstore("{u1}.i", "{u1}.a", "{u1}.b"),
          1,
        );
        assert.equal(
          await cluster.msetnx({ "{u1}.m": "1", "{u1}.n": "2" }),
          true,
        );
        assert.equal(
          await cluster.eval(
            "return redis.call('GET', KEYS[1]) .. redis.call('GET', KEYS[2])",
            ["{u1}.m", "{u1}.n"],
          ),
          "12",
        );
      },
    );

    await t.step(
      "keyless commands fan out: DBSIZE sums, KEYS concatenates, SCRIPT LOAD everywhere",
      async () => {
        await cluster.flushall();
        const keys = Array.from({ length: 30 }, (_, i) => `fan:${i}`);
        await cluster.mset(Object.fromEntries(keys.map((k) => [k, "1"])));
        assert.equal(await cluster.dbsize(), 30);
        let perNode = 0;
        for (const node of nodes.values()) perNode += await node.dbsize();
        assert.equal(perNode, 30);
        assert.ok([...nodes.values()].every((n) => n !== undefined));
        assert.deepEqual((await cluster.keys("fan:*")).sort(), keys.sort());
        const sha = await cluster.scriptLoad("return 'fanned'");
        for (const node of nodes.values()) {
          assert.deepEqual(await node.scriptExists(sha), [true]);
        }
        assert.deepEqual(await cluster.scriptExists(sha, "0".repeat(40)), [
          true,
          false,
        ]);
        assert.equal(await cluster.ping(), "PONG");
        assert.ok(keys.includes((await cluster.randomkey())!));
        assert.equal(await cluster.flushall(), "OK");
        assert.equal(await cluster.dbsize(), 0);
      },
    );

    await t.step("scan() walks every master, each key once", async () => {
      const keys = Array.from({ length: 300 }, (_, i) => `scan:${i}`);
      await cluster.mset(Object.fromEntries(keys.map((k) => [k, "1"])));
      await cluster.set("other", "1");
      const seen: string[] = [];
      for await (const key of cluster.scan({ match: "scan:*", count: 50 })) {
        seen.push(key);
      }
      assert.deepEqual(seen.sort(), keys.sort());
      const bytes: Uint8Array[] = [];
      for await (const key of cluster.binary.scan({ match: "scan:1?" })) {
        bytes.push(key);
      }
      assert.equal(bytes.length, 10);
      await cluster.flushall();
    });

    await t.step(
      "views: fireAndForget, binary, bigint, with(), prefix()",
      async () => {
        cluster.fireAndForget.set("ff", "1");
        cluster.fireAndForget.incr("ffn");
        assert.equal(await cluster.get("ff"), "1");
        assert.equal(await cluster.get("ffn"), "1");
        assert.deepEqual(await cluster.binary.get("ff"), new Uint8Array([49]));
        assert.equal(await cluster.bigint.incr("ffn"), 2n);
        assert.equal(await cluster.with({ timeout: 1_000 }).get("ff"), "1");
        const app = cluster.prefix("app:");
        await app.mset({ x: "1", y: "2", z: "3" });
        assert.deepEqual(await app.mget("x", "y", "z"), ["1", "2", "3"]);
        assert.equal(await owner("app:y").get("app:y"), "2");
        assert.deepEqual((await app.keys("*")).sort(), ["x", "y", "z"]);
      },
    );

    await t.step(
      "transactions on one slot, pipelines across slots, watch() on one slot",
      async () => {
        assert.deepEqual(
          await cluster.multi().set("{t}a", "1").incr("{t}b").get("{t}a")
            .exec(),
          ["OK", 1, "1"],
        );
        assert.equal(await owner("{t}b").get("{t}b"), "1");
        assert.deepEqual(
          await cluster.pipeline().set("p1", "1").set("p2", "2").get("p1").get(
            "p2",
          ).mget("p1", "p2").exec(),
          ["OK", "OK", "1", "2", ["1", "2"]],
        );
        const result = await cluster.watch(["{w}n"], async (tx) => {
          const n = Number(await tx.get("{w}n") ?? 0);
          return await tx.multi().set("{w}n", String(n + 5)).exec();
        });
        assert.deepEqual(result, ["OK"]);
        assert.equal(await owner("{w}n").get("{w}n"), "5");
      },
    );

    await t.step("scripts, blocking commands and pub/sub", async () => {
      const script = cluster.script(
        "return redis.call('INCRBY', KEYS[1], ARGV[1])",
      );
      assert.equal(await script.run(["sc"], ["3"]), 3);
      const popped = cluster.blpop(["queue"], 2);
      await new Promise((r) => setTimeout(r, 50));
      await cluster.rpush("queue", "job");
      assert.deepEqual(await popped, ["queue", "job"]);
      await using sub = await cluster.subscribe("news");
      const next = sub[Symbol.asyncIterator]().next();
      // PUBLISH counts the subscribers of the node that took it; the
      // cluster bus carries the message to every node.
      await cluster.publish("news", "hello");
      const { value } = await next;
      assert.equal(value?.message, "hello");
    });

    await t.step(
      "the slot map is read again every topologyRefreshInterval, and never with 0",
      async () => {
        await using periodic = await connectCluster({
          nodes: [c.masters[0]!.url],
          topologyRefreshInterval: 300,
        });
        await using never = await connectCluster({
          nodes: [c.masters[0]!.url],
          topologyRefreshInterval: 0,
        });
        const key = "periodic:1";
        const slot = keySlot(key);
        const from = c.ownerOf(slot);
        const to = c.masters.find((m) => m.id !== from.id)!;
        for (const node of nodes.values()) {
          await node.clusterSetslot(slot, "NODE", to.id);
        }
        const queries = periodic.counters.topologyQueries;
        await new Promise((r) => setTimeout(r, 1_000));
        assert.ok(periodic.counters.topologyQueries >= queries + 2);
        assert.equal(never.counters.topologyQueries, 1, "only the first");
        // The periodic client learned the move: no MOVED on its first use.
        assert.equal(await periodic.set(key, "1"), "OK");
        assert.equal(periodic.counters.moved, 0);
        assert.equal(await never.set(key, "2"), "OK");
        assert.equal(never.counters.moved, 1);
        for (const node of nodes.values()) {
          await node.clusterSetslot(slot, "NODE", from.id).catch(() => {});
        }
        await assert.rejects(
          connectCluster({
            nodes: [c.masters[0]!.url],
            topologyRefreshInterval: -1,
          }),
          RangeError,
        );
      },
    );

    await t.step(
      "a MOVED is followed, and the slot map learns the new owner",
      async () => {
        const key = "moved:1";
        const slot = keySlot(key);
        const from = c.ownerOf(slot);
        const to = c.masters.find((m) => m.id !== from.id)!;
        await cluster.del(key);
        // Hand the empty slot to another master on every node.
        for (const node of nodes.values()) {
          await node.clusterSetslot(slot, "NODE", to.id);
        }
        assert.equal(await cluster.set(key, "v"), "OK");
        assert.equal(await nodes.get(to.port)!.get(key), "v");
        assert.equal(await cluster.get(key), "v");
      },
    );

    await t.step(
      "a blocked BLPOP answered MOVED (its slot moved) blocks again on the new owner",
      async () => {
        const key = "blocked:1";
        const slot = keySlot(key);
        const from = c.ownerOf(slot);
        const to = c.masters.find((m) => m.id !== from.id)!;
        await cluster.del(key);
        const popped = cluster.blpop([key], 10);
        // Wait until the BLPOP is blocked on the old owner.
        const source = nodes.get(from.port)!;
        for (let i = 0; i < 100; i++) {
          const info = await source.send("INFO", "clients");
          if (/blocked_clients:1/.test(String(info))) break;
          await new Promise((r) => setTimeout(r, 10));
        }
        const before = cluster.counters.moved;
        for (const node of nodes.values()) {
          await node.clusterSetslot(slot, "NODE", to.id);
        }
        await new Promise((r) => setTimeout(r, 100));
        assert.equal(await cluster.rpush(key, "job"), 1);
        assert.deepEqual(await popped, [key, "job"]);
        assert.ok(cluster.counters.moved > before, "the MOVED was followed");
        assert.equal(await nodes.get(to.port)!.exists(key), 0);
      },
    );

    await t.step(
      "an ASK during a migration sends ASKING and the command to the importing node",
      async () => {
        const key = "asked:1";
        const slot = keySlot(key);
        const from = c.ownerOf(slot);
        const to = c.masters.find((m) => m.id !== from.id)!;
        const source = nodes.get(from.port)!;
        const target = nodes.get(to.port)!;
        await cluster.del(key);
        await target.clusterSetslot(slot, "IMPORTING", from.id);
        await source.clusterSetslot(slot, "MIGRATING", to.id);
        // The key is not on the source: it answers ASK.
        assert.equal(await cluster.set(key, "v"), "OK");
        assert.equal(await target.clusterCountkeysinslot(slot), 1);
        assert.equal(await source.clusterCountkeysinslot(slot), 0);
        for (const node of nodes.values()) {
          await node.clusterSetslot(slot, "NODE", to.id);
        }
        assert.equal(await cluster.get(key), "v");
      },
    );
  } finally {
    await Promise.all([...nodes.values()].map((n) => n.close()));
  }
});

Deno.test("connectCluster: a one-master cluster, whose node announces an empty endpoint, is reached at the seed's host", async () => {
  await using c = await startRedisCluster({ masters: 1 });
  await using direct = await connect(c.masters[0]!.url);
  const slots = await direct.send("CLUSTER", "SLOTS") as unknown[][];
  assert.equal(
    (slots[0]![2] as unknown[])[0],
    "",
    "the node does not know its address",
  );
  await using cluster = await connectCluster([c.masters[0]!.url]);
  assert.deepEqual(cluster.masters, [`127.0.0.1:${c.masters[0]!.port}`]);
  await cluster.mset({ a: "1", b: "2", c: "3" });
  assert.deepEqual(await cluster.mget("a", "b", "c"), ["1", "2", "3"]);
});
