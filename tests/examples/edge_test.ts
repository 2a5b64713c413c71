// examples/edge.ts as a user runs it: `deno run --allow-net --allow-env`
// with REDIS_URL pointing at a throwaway server; requests count visits, and
// one client per isolate survives a server restart (its socket dies while idle).

import assert from "node:assert/strict";
import { connect } from "../../mod.ts";
import { startRedisServer } from "../_support/redis_server.ts";

const ROOT = new URL("../../", import.meta.url);

Deno.test("examples/edge.ts serves requests with only --allow-net --allow-env", async () => {
  await using server = await startRedisServer();
  const child = new Deno.Command("deno", {
    args: ["run", "--allow-net", "--allow-env", "examples/edge.ts"],
    cwd: ROOT,
    env: { REDIS_URL: server.url, PORT: "0", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = child.stderr.pipeThrough(new TextDecoderStream());
  const errors = Array.fromAsync(stderr);
  try {
    // Deno.serve prints "Listening on http://0.0.0.0:<port>/ ...".
    const lines = child.stdout.pipeThrough(new TextDecoderStream());
    let seen = "";
    for await (const chunk of lines) {
      seen += chunk;
      if (/Listening on http:\/\/[^:]+:\d+\//.test(seen)) break;
    }
    const port = Number(/Listening on http:\/\/[^:]+:(\d+)\//.exec(seen)![1]);
    const base = `http://127.0.0.1:${port}`;

    const first = await fetch(`${base}/home`);
    assert.deepEqual(await first.json(), { path: "/home", visits: 1 });
    const second = await fetch(`${base}/home`);
    assert.deepEqual(await second.json(), { path: "/home", visits: 2 });
    await using redis = await connect(server.url);
    assert.equal(await redis.get("visits:/home"), "2");

    // The isolate's socket dies while it idles: the next request reconnects.
    await server.restart();
    const health = await fetch(`${base}/health`);
    assert.equal(health.status, 200);
    assert.equal(await health.text(), "PONG");
    const after = await fetch(`${base}/home`);
    assert.deepEqual(await after.json(), { path: "/home", visits: 1 });
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await child.stdout.cancel().catch(() => {});
    const text = (await errors).join("");
    assert.doesNotMatch(text, /error/i, text);
  }
});
