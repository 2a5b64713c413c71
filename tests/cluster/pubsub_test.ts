// Pub/sub on a real cluster (3 masters, 1 replica each): shard channels are
// subscribed on their slot's master and follow it when the slot moves (the
// node unsubscribes them itself) and across a kill -9 failover; plain
// channels work through any node and survive the death of that node.

import assert from "node:assert/strict";
import {
  connect,
  connectCluster,
  CrossSlotError,
  type Redis,
  type Subscription,
} from "../../mod.ts";
import { keySlot } from "../../lib/cluster/slot.ts";
import {
  currentTopology,
  killMaster,
  migrateSlot,
  startRedisCluster,
  waitForPromotion,
} from "../_support/cluster.ts";

/** The next message of a subscription, or a failure after `ms`. */
async function next(
  subscription: Subscription<string>,
  ms = 5_000,
): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const result = await Promise.race([
      subscription[Symbol.asyncIterator]().next(),
      new Promise<never>((_, reject) =>
        timer = setTimeout(() => reject(new Error("no message")), ms)
      ),
    ]);
    return String(result.value?.message);
  } finally {
    clearTimeout(timer);
  }
}

/** Publishes `message` every 50 ms until `until` settles. */
async function keepPublishing(
  publish: () => Promise<unknown>,
  until: Promise<unknown>,
): Promise<void> {
  let done = false;
  void until.finally(() => done = true).catch(() => {});
  while (!done) {
    await publish().catch(() => {});
    await new Promise((r) => setTimeout(r, 50));
  }
}

Deno.test("cluster pub/sub: shard channels follow their slot, channels survive their node", async (t) => {
  await using c = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
  await using cluster = await connectCluster(c.masters.map((m) => m.url));
  const nodes = new Map<number, Redis>();
  for (const m of c.masters) nodes.set(m.port, await connect(m.url));
  try {
    await t.step(
      "shard channels of three slots, each on its own master",
      async () => {
        // One channel on each master.
        const names = c.masters.map((m) => {
          for (let i = 0;; i++) {
            if (c.ownerOf(keySlot(`orders${i}`)) === m) return `orders${i}`;
          }
        });
        const subs = await Promise.all(names.map((n) => cluster.ssubscribe(n)));
        try {
          for (const [i, name] of names.entries()) {
            assert.equal(await cluster.spublish(name, `hello ${name}`), 1);
            assert.equal(await next(subs[i]!), `hello ${name}`);
          }
          await assert.rejects(
            cluster.ssubscribe(names[0]!, names[1]!),
            CrossSlotError,
          );
        } finally {
          for (const sub of subs) await sub.unsubscribe();
        }
      },
    );

    await t.step(
      "a shard channel whose slot moves is subscribed again on the new owner",
      async () => {
        const channel = "moving";
        const slot = keySlot(channel);
        const from = c.ownerOf(slot);
        const to = c.masters.find((m) => m.id !== from.id)!;
        await using sub = await cluster.ssubscribe(channel);
        assert.equal(await cluster.spublish(channel, "before"), 1);
        assert.equal(await next(sub), "before");
        // The old owner gives the slot away (a proper migration, which
        // bumps the new owner's config epoch) and unsubscribes its clients.
        await migrateSlot(c, slot, from, to);
        // Messages published until the subscription is back on the new owner.
        const got = next(sub);
        await keepPublishing(() => cluster.spublish(channel, "after"), got);
        assert.equal(await got, "after");
        assert.ok(sub.gaps >= 1, "the move shows as a gap");
        const clients = String(
          await nodes.get(to.port)!.send("CLIENT", "LIST"),
        );
        assert.match(clients, /cmd=ssubscribe/);
      },
    );

    await t.step(
      "kill -9 of the master: a shard channel and a channel go on after the promotion",
      async () => {
        const topology = await currentTopology(c);
        await using plain = await cluster.subscribe("news");
        // The victim: the master the channel subscription is on.
        let victim = topology.masters[0]!;
        for (const m of topology.masters) {
          const list = String(await nodes.get(m.port)!.send("CLIENT", "LIST"));
          if (/cmd=subscribe/.test(list)) victim = m;
        }
        // A shard channel of the victim's slots.
        let channel = "";
        for (let i = 0; channel === ""; i++) {
          if (topology.ownerOf(keySlot(`feed${i}`)) === victim) {
            channel = `feed${i}`;
          }
        }
        await using shard = await cluster.ssubscribe(channel);
        assert.equal(await cluster.spublish(channel, "one"), 1);
        assert.equal(await next(shard), "one");
        await cluster.publish("news", "one");
        assert.equal(await next(plain), "one");
        await killMaster(c, victim);
        await waitForPromotion(c, victim.id);
        const shardGot = next(shard, 15_000);
        await keepPublishing(() => cluster.spublish(channel, "two"), shardGot);
        assert.equal(await shardGot, "two");
        const plainGot = next(plain, 15_000);
        await keepPublishing(() => cluster.publish("news", "two"), plainGot);
        assert.equal(await plainGot, "two");
      },
    );
  } finally {
    await Promise.all(
      [...nodes.values()].map((n) => n.close().catch(() => {})),
    );
  }
});
