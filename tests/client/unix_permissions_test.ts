// A redis+unix: URL run without the permissions Deno asks for on a socket's
// path: the ConnectionError says which flags, naming the path, and with all
// three the same program connects. Runs `deno run` with chosen flags.

import assert from "node:assert/strict";
import { startRedisServer } from "../_support/redis_server.ts";

const MOD = new URL("../../mod.ts", import.meta.url).href;

async function run(path: string, flags: string[]): Promise<string> {
  const program = `
    import { connect } from ${JSON.stringify(MOD)};
    try {
      await using redis = await connect(${
    JSON.stringify(`redis+unix://${path}`)
  });
      console.log(await redis.ping());
    } catch (error) {
      console.log(error.name + ": " + error.message);
    }`;
  const dir = await Deno.makeTempDir({ prefix: "sleeve-unix-" });
  try {
    await Deno.writeTextFile(`${dir}/main.ts`, program);
    const output = await new Deno.Command("deno", {
      args: ["run", "--no-config", "--no-prompt", ...flags, `${dir}/main.ts`],
      env: { NO_COLOR: "1" },
    }).output();
    return new TextDecoder().decode(output.stdout).trim();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a unix socket without read/write permission: the error names the flags", async () => {
  await using server = await startRedisServer({ unixSocket: true });
  const path = server.socketPath!;
  const hint =
    `Deno needs read, write and net permission on a unix socket's path ` +
    `(--allow-read=${path} --allow-write=${path} --allow-net=unix:${path})`;
  for (
    const flags of [
      ["--allow-net"],
      ["--allow-net", `--allow-read=${path}`],
      [`--allow-read=${path}`, `--allow-write=${path}`],
    ]
  ) {
    const out = await run(path, flags);
    assert.ok(
      out.startsWith(`ConnectionError: Cannot connect to ${path}: ${hint}: `),
      `${flags.join(" ")}: ${out}`,
    );
  }
  const ok = await run(path, [
    `--allow-read=${path}`,
    `--allow-write=${path}`,
    `--allow-net=unix:${path}`,
  ]);
  assert.equal(ok, "PONG");
});
