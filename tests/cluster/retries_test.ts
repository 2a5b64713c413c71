// The cluster router's retry rules on scripted nodes (what a real cluster
// cannot show on demand): TRYAGAIN and CLUSTERDOWN retried until answered,
// within the command's timeout or retryTimeout; a MOVED loop stopped by
// maxRedirects; ASK sends ASKING then the command on the same connection; a
// lost connection retries a read but never a write that was sent; READONLY
// refreshes the slot map and follows the new master.

import assert from "node:assert/strict";
import {
  ClusterError,
  connectCluster,
  ConnectionError,
  type RedisErrorEvent,
  ReplyError,
  TimeoutError,
} from "../../mod.ts";
import { countUnhandled } from "../_support/events.ts";
import { keySlot } from "../../lib/cluster/slot.ts";
import { resp, type SlotMap, startFakeNode } from "../_support/fake_cluster.ts";

const ALL = (port: () => number): SlotMap => () => [[0, 16383, port()]];

/**
 * The three ways a command reaches its node, each with its own retry
 * plumbing: on a cluster of one master (no slot computed), on one of two
 * masters (the per-slot route), and with a timeout (a copy of the request
 * kept by the router). A route's tests run once per way.
 */
interface Way {
  /** Options for connectCluster. */
  readonly options: { commandTimeout?: number };
  /** The slot map a node answers with, for `map`'s nodes. */
  map(map: SlotMap): SlotMap;
}

async function eachWay(
  t: Deno.TestContext,
  body: (way: Way) => Promise<void>,
): Promise<void> {
  await t.step("one master", () => body({ options: {}, map: (m) => m }));
  await t.step("one of two masters", async () => {
    // A second master serving slot 0 only, which no test key hashes to.
    await using idle = await startFakeNode(
      () => [],
      () => resp.error("ERR not for this node"),
    );
    await body({
      options: {},
      map: (m) => () => [
        [0, 0, idle.port],
        ...m().map(([start, end, port]) =>
          [Math.max(start, 1), end, port] as const
        ),
      ],
    });
  });
  await t.step(
    "with a timeout",
    () => body({ options: { commandTimeout: 10_000 }, map: (m) => m }),
  );
}

Deno.test("cluster retries: no test key hashes to slot 0 (eachWay's second master)", () => {
  for (const key of ["k", "n", "t"]) assert.notEqual(keySlot(key), 0);
});

Deno.test("cluster retries: TRYAGAIN and CLUSTERDOWN are retried until the node applies the command", (t) =>
  eachWay(t, async (way) => {
    let refusals = 0;
    let port = 0;
    await using node = await startFakeNode(way.map(ALL(() => port)), (argv) => {
      if (argv[0] !== "SET") return resp.error("ERR unexpected");
      refusals++;
      if (refusals <= 2) {
        return resp.error(
          "TRYAGAIN Multiple keys request during rehashing of slot",
        );
      }
      if (refusals <= 4) return resp.error("CLUSTERDOWN The cluster is down");
      return resp.ok;
    });
    port = node.port;
    await using cluster = await connectCluster({
      nodes: [node.url],
      ...way.options,
    });
    assert.equal(await cluster.set("k", "v"), "OK");
    assert.equal(refusals, 5, "sent once, refused four times, then applied");
    const sets = node.log.filter((argv) => argv[0] === "SET");
    assert.equal(sets.length, 5);
  }));

Deno.test("cluster retries: a refusal that lasts ends at the command's timeout or at retryTimeout, typed and unapplied", async (t) => {
  let port = 0;
  await using node = await startFakeNode(
    ALL(() => port),
    () => resp.error("CLUSTERDOWN The cluster is down"),
  );
  port = node.port;
  await t.step(
    "with({ timeout }): a TimeoutError that says it did not run",
    async () => {
      await using cluster = await connectCluster([node.url]);
      const began = performance.now();
      const error = await cluster.with({ timeout: 300 }).set("k", "v").then(
        () => assert.fail("resolved"),
        (e) => e,
      );
      const took = performance.now() - began;
      assert.ok(error instanceof TimeoutError, String(error));
      assert.equal(error.mayHaveExecuted, false);
      assert.match(error.message, /CLUSTERDOWN/);
      assert.ok(took >= 250 && took < 1_500, `took ${took} ms`);
    },
  );
  await t.step("no timeout: a ClusterError after retryTimeout", async () => {
    await using cluster = await connectCluster({
      nodes: [node.url],
      retryTimeout: 300,
    });
    const began = performance.now();
    const error = await cluster.get("k").then(
      () => assert.fail("resolved"),
      (e) => e,
    );
    const took = performance.now() - began;
    assert.ok(error instanceof ClusterError, String(error));
    assert.equal(error.command, "GET");
    assert.equal(error.mayHaveExecuted, false);
    assert.match(error.message, /retryTimeout/);
    assert.ok(took >= 250 && took < 1_500, `took ${took} ms`);
  });
});

Deno.test("cluster retries: a MOVED loop stops after maxRedirects with a ClusterError", (t) =>
  eachWay(t, async (way) => {
    let a = 0;
    let b = 0;
    // Each node says the other one serves the slot; the map says A does.
    await using nodeA = await startFakeNode(
      way.map(() => [[0, 16383, a]]),
      () => resp.error(`MOVED 1 127.0.0.1:${b}`),
    );
    await using nodeB = await startFakeNode(
      way.map(() => [[0, 16383, a]]),
      () => resp.error(`MOVED 1 127.0.0.1:${a}`),
    );
    a = nodeA.port;
    b = nodeB.port;
    await using cluster = await connectCluster({
      nodes: [nodeA.url],
      maxRedirects: 3,
      ...way.options,
    });
    const error = await cluster.get("k").then(
      () => assert.fail("resolved"),
      (e) => e,
    );
    assert.ok(error instanceof ClusterError, String(error));
    assert.match(error.message, /more than 3 times/);
    const gets = (log: string[][]) => log.filter((v) => v[0] === "GET").length;
    assert.equal(
      gets(nodeA.log) + gets(nodeB.log),
      4,
      "the first try and 3 redirects",
    );
  }));

Deno.test("cluster retries: ASK sends ASKING then the command to the importing node, once", (t) =>
  eachWay(t, async (way) => {
    let a = 0;
    let b = 0;
    await using nodeA = await startFakeNode(
      way.map(() => [[0, 16383, a]]),
      (argv) =>
        argv[0] === "GET" ? resp.error(`ASK 7638 127.0.0.1:${b}`) : resp.ok,
    );
    await using nodeB = await startFakeNode(
      way.map(() => [[0, 16383, a]]),
      (argv) =>
        argv[0] === "ASKING"
          ? resp.ok
          : argv[0] === "GET"
          ? resp.bulk("from-b")
          : resp.error("ERR unexpected"),
    );
    a = nodeA.port;
    b = nodeB.port;
    await using cluster = await connectCluster({
      nodes: [nodeA.url],
      ...way.options,
    });
    assert.equal(await cluster.get("k"), "from-b");
    assert.deepEqual(nodeB.log.filter((v) => v[0] !== "CLUSTER"), [
      ["ASKING"],
      ["GET", "k"],
    ]);
    // ASK is for that one command: the next goes to A again.
    await cluster.get("k");
    assert.equal(nodeA.log.filter((v) => v[0] === "GET").length, 2);
  }));

Deno.test("cluster retries: each part of a split MGET follows its own MOVED", (t) =>
  eachWay(t, async (way) => {
    assert.notEqual(keySlot("k"), keySlot("n"));
    let a = 0;
    let b = 0;
    await using nodeA = await startFakeNode(
      way.map(() => [[0, 16383, a]]),
      (argv) =>
        argv[0] === "MGET"
          ? resp.error(`MOVED ${keySlot(argv[1]!)} 127.0.0.1:${b}`)
          : resp.ok,
    );
    await using nodeB = await startFakeNode(
      way.map(() => [[0, 16383, a]]),
      (argv) =>
        argv[0] === "MGET" ? `*1\r\n${resp.bulk(`${argv[1]}@b`)}` : resp.ok,
    );
    a = nodeA.port;
    b = nodeB.port;
    await using cluster = await connectCluster({
      nodes: [nodeA.url],
      ...way.options,
    });
    assert.deepEqual(await cluster.mget("k", "n"), ["k@b", "n@b"]);
    assert.equal(cluster.counters.moved, 2);
    const mgets = (log: string[][]) => log.filter((v) => v[0] === "MGET");
    assert.equal(mgets(nodeA.log).length, 2);
    assert.deepEqual(
      mgets(nodeB.log).map((v) => v[1]).sort(),
      ["k", "n"],
    );
  }));

Deno.test("cluster retries: a lost connection retries a read, never a write that was sent", (t) =>
  eachWay(t, async (way) => {
    let port = 0;
    let drops = 0;
    await using node = await startFakeNode(way.map(ALL(() => port)), (argv) => {
      if (argv[0] === "GET" && drops++ === 0) return "close";
      if (argv[0] === "SET") return "close";
      return argv[0] === "GET" ? resp.bulk("v") : resp.ok;
    });
    port = node.port;
    await using cluster = await connectCluster({
      nodes: [node.url],
      ...way.options,
    });
    assert.equal(await cluster.get("k"), "v", "the read was sent again");
    assert.equal(node.log.filter((v) => v[0] === "GET").length, 2);
    const error = await cluster.set("k", "v").then(
      () => assert.fail("resolved"),
      (e) => e,
    );
    assert.ok(error instanceof ConnectionError, String(error));
    assert.equal(error.mayHaveExecuted, true);
    // Give a wrong retry time to show itself.
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(
      node.log.filter((v) => v[0] === "SET").length,
      1,
      "never re-sent",
    );
  }));

Deno.test("cluster retries: a one-key command of the wrong arity lost with its connection fails with the ConnectionError, not retried", (t) =>
  eachWay(t, async (way) => {
    let port = 0;
    await using node = await startFakeNode(
      way.map(ALL(() => port)),
      (argv) =>
        argv[0] === "GET" && argv.length === 3 ? "close" : resp.bulk("v"),
    );
    port = node.port;
    await using cluster = await connectCluster({
      nodes: [node.url],
      retryTimeout: 500,
      ...way.options,
    });
    const error = await cluster.send("GET", "a", "b").then(
      () => assert.fail("resolved"),
      (e) => e,
    );
    assert.ok(error instanceof ConnectionError, String(error));
    assert.equal(node.log.filter((v) => v[0] === "GET").length, 1);
  }));

Deno.test("cluster retries: fire-and-forget commands follow MOVED, re-send a lost read, never a lost write, and report what fails as error events", (t) =>
  eachWay(t, async (way) => {
    let a = 0;
    let b = 0;
    let getDrops = 0;
    await using nodeA = await startFakeNode(
      way.map(() => [[0, 16383, a]]),
      (argv) => {
        if (argv[0] === "SET" && argv[1] === "moved") {
          return resp.error(`MOVED ${keySlot("moved")} 127.0.0.1:${b}`);
        }
        if (argv[0] === "INCR") return resp.error("WRONGTYPE not a number");
        if (argv[0] === "GET" && getDrops++ === 0) return "close";
        if (argv[0] === "SET" && argv[1] === "lost") return "close";
        return argv[0] === "GET" ? resp.bulk("v") : resp.ok;
      },
    );
    await using nodeB = await startFakeNode(
      way.map(() => [[0, 16383, a]]),
      () => resp.ok,
    );
    a = nodeA.port;
    b = nodeB.port;
    await using cluster = await connectCluster({
      nodes: [nodeA.url],
      ...way.options,
    });
    // Failures of commands; a lost node connection is an event of its own
    // (no command), checked apart.
    const events: RedisErrorEvent[] = [];
    const lost: RedisErrorEvent[] = [];
    cluster.addEventListener("error", (event) => {
      (event.command === undefined ? lost : events).push(event);
    });
    const count = (log: string[][], name: string, key: string) =>
      log.filter((v) => v[0] === name && v[1] === key).length;
    const unhandled = await countUnhandled(async () => {
      cluster.fireAndForget.set("moved", "1");
      cluster.fireAndForget.incr("n");
      await cluster.ping();
      // The retry opens a connection to B first.
      for (let i = 0; i < 100 && count(nodeB.log, "SET", "moved") === 0; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.equal(count(nodeB.log, "SET", "moved"), 1, "followed MOVED");
      assert.equal(events.length, 1, "only the WRONGTYPE is reported");
      assert.equal(events[0]!.command, "INCR");
      assert.ok(events[0]!.error instanceof ReplyError);
      // A read lost with its connection is sent again, silently.
      cluster.fireAndForget.get("k");
      assert.equal(await cluster.get("k"), "v");
      assert.equal(count(nodeA.log, "GET", "k"), 3);
      assert.equal(events.length, 1);
      // A write lost after it was sent is never sent again, and reported
      // as on one server: one event for the fire-and-forget commands lost.
      cluster.fireAndForget.set("lost", "1");
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(count(nodeA.log, "SET", "lost"), 1);
      assert.equal(events.length, 1);
      const reported = lost.filter((e) =>
        /Lost 1 fire-and-forget command/.test(e.error.message)
      );
      assert.equal(reported.length, 1, String(lost.map((e) => e.error)));
      const error = reported[0]!.error;
      assert.ok(error instanceof ConnectionError);
      assert.equal(error.mayHaveExecuted, true);
    });
    assert.equal(unhandled, 0);
    assert.ok(lost.every((e) => e.error instanceof ConnectionError));
  }));

Deno.test("cluster retries: READONLY from a demoted master refreshes the map and goes to the new master", (t) =>
  eachWay(t, async (way) => {
    let owner = 0;
    let old = 0;
    await using oldMaster = await startFakeNode(
      way.map(() => [[0, 16383, owner]]),
      () => resp.error("READONLY You can't write against a read only replica."),
    );
    await using newMaster = await startFakeNode(
      way.map(() => [[0, 16383, owner]]),
      (argv) => argv[0] === "INCR" ? resp.int(1) : resp.ok,
    );
    old = oldMaster.port;
    owner = old;
    await using cluster = await connectCluster({
      nodes: [oldMaster.url],
      ...way.options,
    });
    // The failover happens: both nodes now say the new one serves the slots.
    owner = newMaster.port;
    assert.equal(await cluster.incr("n"), 1);
    assert.equal(oldMaster.log.filter((v) => v[0] === "INCR").length, 1);
    assert.equal(newMaster.log.filter((v) => v[0] === "INCR").length, 1);
    assert.ok(cluster.masters.includes(newMaster.address));
    assert.ok(!cluster.masters.includes(oldMaster.address));
  }));

Deno.test("cluster retries: a transaction refused while queueing (MOVED, then EXECABORT) runs whole on the new owner", async () => {
  let a = 0;
  let b = 0;
  await using nodeA = await startFakeNode(() => [[0, 16383, a]], (argv) => {
    if (argv[0] === "MULTI") return resp.ok;
    if (argv[0] === "EXEC") {
      return resp.error(
        "EXECABORT Transaction discarded because of previous errors.",
      );
    }
    return resp.error(`MOVED ${keySlot("t")} 127.0.0.1:${b}`);
  });
  await using nodeB = await startFakeNode(() => [[0, 16383, a]], (argv) => {
    if (argv[0] === "MULTI") return resp.ok;
    if (argv[0] === "EXEC") return `*2\r\n${resp.ok}${resp.int(1)}`;
    return "+QUEUED\r\n";
  });
  a = nodeA.port;
  b = nodeB.port;
  await using cluster = await connectCluster([nodeA.url]);
  assert.deepEqual(
    await cluster.multi().set("{t}a", "1").incr("{t}b").exec(),
    ["OK", 1],
  );
  const names = (log: string[][]) =>
    log.filter((v) => v[0] !== "CLUSTER").map((v) => v[0]);
  assert.deepEqual(names(nodeA.log), ["MULTI", "SET", "INCR", "EXEC"]);
  assert.deepEqual(names(nodeB.log), ["MULTI", "SET", "INCR", "EXEC"]);
  assert.equal(cluster.counters.moved, 1);
});

Deno.test("cluster topology: a seed that answers with no slot (reset, or not in the cluster yet) is passed over", async () => {
  let port = 0;
  await using empty = await startFakeNode(() => [], () => resp.ok);
  await using node = await startFakeNode(
    ALL(() => port),
    (argv) => argv[0] === "GET" ? resp.bulk("v") : resp.ok,
  );
  port = node.port;
  // The empty node is the first seed: its map is not taken. (A refresh
  // passes it over the same way: "one of two masters" above, where the
  // second master answers with no slot.)
  await using cluster = await connectCluster([empty.url, node.url]);
  assert.deepEqual(cluster.masters, [node.address]);
  assert.equal(await cluster.get("k"), "v");
  assert.equal(empty.log.filter((v) => v[0] === "CLUSTER").length, 1);
});

Deno.test("cluster topology: connectCluster rejects, naming why, when no seed serves a slot", async () => {
  await using empty = await startFakeNode(() => [], () => resp.ok);
  const error = await connectCluster([empty.url]).then(
    () => assert.fail("connected"),
    (e) => e,
  );
  assert.ok(error instanceof ConnectionError, String(error));
  assert.match(
    error.message,
    new RegExp(`${empty.address}: .*no node serving a slot`),
  );
});
