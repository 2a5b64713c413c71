// Reading MOVED/ASK redirects and "not applied" errors: from literal error
// texts, and from the errors a real cluster node sends through the client.

import assert from "node:assert/strict";
import { connect, ReplyError } from "../../mod.ts";
import { notApplied, redirectOf } from "../../lib/cluster/redirect.ts";
import { keySlot } from "../../lib/cluster/slot.ts";
import { startRedisCluster } from "../_support/cluster.ts";

Deno.test("redirectOf reads MOVED and ASK, with IPv4, IPv6 and empty hosts", () => {
  const error = (text: string) => new ReplyError(text);
  assert.deepEqual(redirectOf(error("MOVED 3999 127.0.0.1:6381"), "h"), {
    kind: "MOVED",
    slot: 3999,
    host: "127.0.0.1",
    port: 6381,
  });
  assert.deepEqual(redirectOf(error("ASK 0 [::1]:7000"), "h"), {
    kind: "ASK",
    slot: 0,
    host: "::1",
    port: 7000,
  });
  assert.deepEqual(redirectOf(error("MOVED 16383 :7001"), "10.0.0.5"), {
    kind: "MOVED",
    slot: 16383,
    host: "10.0.0.5",
    port: 7001,
  });
  for (
    const bad of [
      "MOVED",
      "MOVED 16384 127.0.0.1:1",
      "MOVED -1 127.0.0.1:1",
      "MOVED 1 127.0.0.1",
      "MOVED 1 127.0.0.1:0",
      "MOVED 1 127.0.0.1:70000",
      "MOVED x 127.0.0.1:1",
      "ERR MOVED 1 127.0.0.1:1",
      "ASK 1 a:1 extra",
    ]
  ) {
    assert.equal(redirectOf(error(bad), "h"), undefined, bad);
  }
  assert.equal(redirectOf(new Error("MOVED 1 a:1"), "h"), undefined);
});

Deno.test("notApplied names the errors after which a command may be sent again", () => {
  for (
    const code of [
      "TRYAGAIN",
      "CLUSTERDOWN",
      "MASTERDOWN",
      "LOADING",
      "READONLY",
    ]
  ) {
    assert.ok(notApplied(new ReplyError(`${code} something`)), code);
  }
  for (const text of ["ERR x", "MOVED 1 a:1", "WRONGTYPE x", "NOSCRIPT x"]) {
    assert.ok(!notApplied(new ReplyError(text)), text);
  }
  assert.ok(!notApplied(new Error("TRYAGAIN")));
});

Deno.test("redirectOf reads the MOVED a real cluster node sends, pointing at the owner", async () => {
  await using cluster = await startRedisCluster({ masters: 3 });
  const key = "user:{42}";
  const slot = keySlot(key);
  const owner = cluster.ownerOf(slot);
  const other = cluster.masters.find((node) => node !== owner)!;
  await using redis = await connect({ port: other.port });
  const error = await redis.get(key).then(
    () => assert.fail("expected MOVED"),
    (error: unknown) => error,
  );
  assert.deepEqual(redirectOf(error, other.host), {
    kind: "MOVED",
    slot,
    host: owner.host,
    port: owner.port,
  });
});
