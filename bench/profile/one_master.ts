// deno-lint-ignore-file no-console -- prints its timings.
// `deno run -A --cpu-prof --cpu-prof-dir=DIR bench/profile/one_master.ts [plain|cluster]`
//
// GET × 1,000 in flight, 800 rounds, on a one-master cluster: through
// connectCluster() or a plain connect() to the same node, for a CPU
// profile of the difference (summarize it with bench/profile/summarize.ts).

import { connect, connectCluster } from "../../mod.ts";
import { startRedisCluster } from "../../tests/_support/cluster.ts";

const which = Deno.args[0] ?? "cluster";
const single = await startRedisCluster({
  masters: 1,
  args: ["--cluster-announce-ip", "127.0.0.1"],
});
const node = single.masters[0]!;
try {
  const client = which === "plain"
    ? await connect(node.url)
    : await connectCluster([node.url]);
  const keys = Array.from({ length: 1_000 }, (_, i) => `bench:cluster:${i}`);
  await Promise.all(keys.map((key) => client.set(key, "x".repeat(100))));
  const round = () => Promise.all(keys.map((key) => client.get(key)));
  for (let i = 0; i < 200; i++) await round();
  const start = performance.now();
  for (let i = 0; i < 800; i++) await round();
  const ms = performance.now() - start;
  console.log(`${which}: ${(ms / 800 * 1000).toFixed(1)} µs per 1,000 GETs`);
  await client.close();
} finally {
  for (const n of single.nodes) {
    n.server.kill("SIGKILL");
    await Deno.remove(n.server.dir, { recursive: true });
  }
}
