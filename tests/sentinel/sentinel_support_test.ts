// tests/_support/sentinel.ts itself: a set is whole when it resolves (every
// sentinel knows the replica and its peers, the replica streams), and dispose
// leaves no process listening and no directory behind.

import assert from "node:assert/strict";
import {
  admin,
  MASTER_NAME,
  masterPort,
  sentinelMaster,
  startSentinelSet,
} from "../_support/sentinel.ts";

async function listening(port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("startSentinelSet() resolves whole, and dispose leaves nothing behind", async () => {
  const set = await startSentinelSet();
  const ports = [set.master.port, set.replica.port];
  const dirs = [set.master.dir, set.replica.dir];
  try {
    assert.equal(set.sentinels.length, 3);
    for (const sentinel of set.sentinels) {
      ports.push(sentinel.port);
      dirs.push(sentinel.dir);
      assert.equal(await masterPort(sentinel.port), set.master.port);
      const fields = await sentinelMaster(sentinel.port);
      assert.equal(fields.get("name"), MASTER_NAME);
      assert.equal(fields.get("num-slaves"), "1");
      assert.equal(fields.get("num-other-sentinels"), "2");
      assert.equal(fields.get("quorum"), "2");
      assert.equal(fields.get("down-after-milliseconds"), "1000");
    }
    // The master streams to its replica already: a write is acknowledged.
    await using master = await admin(set.master.port);
    await master.set("k", "v");
    assert.equal(await master.send("WAIT", "1", "1000"), 1);
  } finally {
    await set[Symbol.asyncDispose]();
  }
  for (const port of ports) assert.equal(await listening(port), false);
  for (const dir of dirs) assert.equal(await exists(dir), false);
});
