// A machine with Deno but no redis-server: `deno task demo`, `deno task test`,
// the demo script and the test helper each end in one line saying what is
// missing and the ways on, never in a NotFound stack trace. Each runs as a
// subprocess whose PATH holds only `deno`.

import assert from "node:assert/strict";
import {
  REDIS_NOT_INSTALLED,
  redisServerMissing,
  startRedisServer,
} from "./_support/redis_server.ts";

const ROOT = new URL("../", import.meta.url);

interface Run {
  code: number;
  /** stdout then stderr, without colours. */
  output: string;
}

/**
 * Runs `deno <args>` in the project root with PATH set to a directory that
 * holds only `deno`. The test may run only `deno` by the PATH it started
 * with (Deno checks the resolved path), so a `deno eval` launcher, which has
 * every permission, makes that directory and runs the command from it.
 */
async function withoutRedisServer(
  args: string[],
  env: Record<string, string> = {},
): Promise<Run> {
  const launcher = `
    const dir = await Deno.makeTempDir({ prefix: "sleeve-no-redis-" });
    try {
      await Deno.symlink(Deno.execPath(), dir + "/deno");
      const output = await new Deno.Command(dir + "/deno", {
        args: ${JSON.stringify(args)},
        cwd: ${JSON.stringify(ROOT.pathname)},
        env: { REDIS_URL: "", ...${
    JSON.stringify(env)
  }, PATH: dir, NO_COLOR: "1" },
        stdin: "null",
      }).output();
      const text = new TextDecoder();
      console.log(JSON.stringify({
        code: output.code,
        output: text.decode(output.stdout) + text.decode(output.stderr),
      }));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  `;
  const output = await new Deno.Command("deno", {
    args: ["eval", "--no-config", launcher],
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  assert.ok(output.success, text.decode(output.stderr));
  return JSON.parse(text.decode(output.stdout));
}

/** The lines of `output` that are not Deno's own `Task ...` banner. */
function ownLines(output: string): string[] {
  return output.split("\n").filter((line) =>
    line !== "" && !line.startsWith("Task ")
  );
}

/** Asserts the run failed with exactly `line`, and no stack trace. */
function saidOnly(run: Run, line: string): void {
  assert.equal(run.code, 1, run.output);
  assert.deepEqual(ownLines(run.output), [line]);
  assert.doesNotMatch(run.output, /NotFound|^\s+at /m);
}

Deno.test("deno task demo without redis-server says in one line how to install it or use REDIS_URL", async () => {
  const run = await withoutRedisServer(["task", "demo"]);
  const line = redisServerMissing("demo");
  saidOnly(run, line);
  assert.match(line, /^Cannot run the demo: redis-server is not on PATH: /);
  assert.match(line, /apt-get install redis-server/);
  assert.match(line, /brew install redis/);
  assert.match(line, /point REDIS_URL at a running server/);
});

Deno.test("deno task test without redis-server says in one line how to install it", async () => {
  const run = await withoutRedisServer([
    "task",
    "test",
    "tests/version_test.ts",
  ]);
  const line = redisServerMissing("tests");
  saidOnly(run, line);
  assert.match(line, /^Cannot run the tests: redis-server is not on PATH: /);
  assert.match(line, /apt-get install redis-server/);
  assert.match(line, /brew install redis/);
});

Deno.test("the demo script run directly without redis-server ends in the same line", async () => {
  const run = await withoutRedisServer([
    "run",
    "--allow-net",
    "--allow-run=redis-server",
    "--allow-env=REDIS_URL",
    "--allow-read",
    "--allow-write",
    "bench/demo.ts",
  ]);
  assert.equal(run.code, 1, run.output);
  // Deno itself says first that it found no redis-server to allow.
  const lines = ownLines(run.output).filter((line) => !line.startsWith("Info"));
  assert.deepEqual(lines, [redisServerMissing("demo")]);
  assert.doesNotMatch(run.output, /NotFound|^\s+at /m);
});

Deno.test("startRedisServer() without redis-server rejects with the one-line hint and no cause", async () => {
  const helper = new URL("./_support/redis_server.ts", import.meta.url).href;
  const run = await withoutRedisServer([
    "eval",
    `import { startRedisServer } from ${JSON.stringify(helper)};
     try {
       await startRedisServer();
     } catch (error) {
       console.log(JSON.stringify([error.message, error.cause === undefined]));
     }`,
  ]);
  assert.equal(run.code, 0, run.output);
  assert.deepEqual(JSON.parse(run.output), [REDIS_NOT_INSTALLED, true]);
  assert.match(REDIS_NOT_INSTALLED, /apt-get install redis-server/);
  assert.match(REDIS_NOT_INSTALLED, /brew install redis/);
});

Deno.test("the demo's first step lets it run without redis-server when REDIS_URL is set", async () => {
  await using server = await startRedisServer();
  const args = [
    "run",
    "--allow-env=PATH,PATHEXT,REDIS_URL",
    "--allow-read",
    "tools/require_redis_server.ts",
  ];
  const shared = await withoutRedisServer([...args, "demo"], {
    REDIS_URL: server.url,
  });
  assert.deepEqual(shared, { code: 0, output: "" });
  // The tests need a redis-server of their own all the same.
  const tests = await withoutRedisServer([...args, "tests"], {
    REDIS_URL: server.url,
  });
  saidOnly(tests, redisServerMissing("tests"));
});
