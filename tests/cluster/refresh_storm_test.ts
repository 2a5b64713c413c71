// A master frozen (SIGSTOP) for 20 s while 50 callers keep going: every
// timed-out command asks for a new slot map, yet the client sends at most
// one topology query per 250 ms, counted by the servers themselves (CLUSTER
// SHARDS, SLOTS and NODES calls summed over every node's commandstats). An
// unthrottled client sent 3,105 in such an outage.

import assert from "node:assert/strict";
import { connectCluster } from "../../mod.ts";
import {
  resetTopologyQueries,
  resumeNode,
  startRedisCluster,
  stopNode,
  topologyQueries,
} from "../_support/cluster.ts";
import { Tally } from "../_support/workload.ts";

const OUTAGE_MS = 20_000;
const CALLERS = 50;

Deno.test("cluster: a master stopped for 20 s costs at most one topology query per 250 ms", async () => {
  await using c = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
  await using cluster = await connectCluster({
    nodes: c.masters.map((m) => m.url),
    commandTimeout: 500,
  });
  await resetTopologyQueries(c);
  const tally = new Tally();
  const stop = new AbortController();
  const caller = async (id: number) => {
    for (let round = 0; !stop.signal.aborted; round++) {
      tally.sent++;
      try {
        tally.check(
          "SET",
          await cluster.set(`storm:${id}:${round}`, "v"),
          "OK",
        );
      } catch (error) {
        tally.reject(error);
      }
    }
  };
  const callers = Array.from({ length: CALLERS }, (_, i) => caller(i));
  const victim = c.masters[1]!;
  const began = performance.now();
  try {
    await new Promise((r) => setTimeout(r, 200));
    stopNode(victim);
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
  } finally {
    resumeNode(victim);
    stop.abort();
    await Promise.all(callers);
  }
  const elapsed = performance.now() - began;
  // Queries sent to the frozen node are counted once it runs again.
  await new Promise((r) => setTimeout(r, 500));
  const queries = await topologyQueries(c);
  const allowed = Math.ceil(elapsed / 250) + 1;
  // deno-lint-ignore no-console
  console.log(
    `${
      Math.round(elapsed)
    } ms with a master frozen ${OUTAGE_MS} ms: ${queries.total} topology queries on the servers (${queries.shards} SHARDS, ${queries.slots} SLOTS, ${queries.nodes} NODES; at most ${allowed} allowed), the client counted ${cluster.counters.topologyQueries}; ${tally.summary()}`,
  );
  assert.ok(queries.total <= allowed, `${queries.total} > ${allowed}`);
  assert.ok(queries.total > 0, "the client did refresh");
  assert.equal(tally.misrouted, 0, tally.samples.join("; "));
  assert.equal(tally.unexplained(), 0, tally.summary());
});
