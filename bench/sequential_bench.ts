// The sequential round trip: one SET and one GET, each awaited before the
// next is issued. Compare with `redis-benchmark -c 1 -P 1` (deno task
// bench:redis) run against a server of the same kind.

import { setUp, VALUE_100 } from "./_setup.ts";

const { sleeve, peers } = await setUp();
const group = "sequential SET+GET (one pair per iteration)";

Deno.bench({
  group,
  name: "sleeve",
  baseline: true,
  async fn() {
    await sleeve.set("bench:seq", VALUE_100);
    await sleeve.get("bench:seq");
  },
});
for (const peer of peers) {
  Deno.bench({
    group,
    name: peer.name,
    async fn() {
      await peer.set("bench:seq", VALUE_100);
      await peer.get("bench:seq");
    },
  });
}
