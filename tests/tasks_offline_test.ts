// `deno task demo` and `deno task test` download nothing: each runs as a
// subprocess with an empty DENO_DIR and every registry pointed at a local
// trap that counts connections and drops them. Only the peer benchmarks may
// fetch packages (bench/peers/deno.json has their own lock); a root
// deno.lock or deno.json that lists them again makes Deno install them
// before running anything, and these tests fail.
//
// Each test type-checks mod.ts and lib/ from scratch (cold DENO_DIR): about
// 2 s for the test task and 5 s for the demo, whose 20,000 sequential pairs
// dominate.

import assert from "node:assert/strict";
import { startRedisServer } from "./_support/redis_server.ts";

const ROOT = new URL("../", import.meta.url);

/** A local "registry" that counts connections and closes them unanswered. */
interface Trap extends AsyncDisposable {
  readonly url: string;
  readonly connections: number;
}

function startTrap(): Trap {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let connections = 0;
  const accepting = (async () => {
    try {
      for await (const conn of listener) {
        connections++;
        conn.close();
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.BadResource)) throw error;
    }
  })();
  return {
    url: `http://127.0.0.1:${listener.addr.port}/`,
    get connections() {
      return connections;
    },
    async [Symbol.asyncDispose]() {
      listener.close();
      await accepting;
    },
  };
}

interface TaskRun {
  success: boolean;
  output: string;
  /** Files in DENO_DIR/npm afterwards (Deno creates the folder, empty, regardless). */
  npmFiles: string[];
  /** Whether DENO_DIR/remote (http imports, JSR) exists afterwards. */
  remote: boolean;
  trapConnections: number;
}

async function listFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) files.push(...await listFiles(path));
      else files.push(path);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return files;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** `deno task <args>` in the project root, with nothing cached and no registry. */
async function offlineTask(
  args: string[],
  env: Record<string, string> = {},
): Promise<TaskRun> {
  const denoDir = await Deno.makeTempDir({ prefix: "sleeve-deno-dir-" });
  // HOME too: no ~/.npmrc may name another registry.
  const home = await Deno.makeTempDir({ prefix: "sleeve-home-" });
  try {
    await using trap = startTrap();
    const output = await new Deno.Command("deno", {
      args: ["task", ...args],
      cwd: ROOT,
      env: {
        DENO_DIR: denoDir,
        HOME: home,
        NPM_CONFIG_REGISTRY: trap.url,
        // Anything else fetched over HTTP(S) (jsr.io, https: imports) goes
        // through the trap as a proxy.
        HTTP_PROXY: trap.url,
        HTTPS_PROXY: trap.url,
        http_proxy: trap.url,
        https_proxy: trap.url,
        NO_PROXY: "",
        no_proxy: "",
        DENO_NO_UPDATE_CHECK: "1",
        NO_COLOR: "1",
        ...env,
      },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder();
    return {
      success: output.success,
      output: text.decode(output.stdout) + text.decode(output.stderr),
      npmFiles: await listFiles(`${denoDir}/npm`),
      remote: await exists(`${denoDir}/remote`),
      trapConnections: trap.connections,
    };
  } finally {
    await Deno.remove(denoDir, { recursive: true });
    await Deno.remove(home, { recursive: true });
  }
}

function assertNothingFetched(run: TaskRun): void {
  assert.ok(run.success, run.output);
  assert.doesNotMatch(run.output, /^Download /m, run.output);
  assert.equal(run.trapConnections, 0, "connections to the registry");
  assert.deepEqual(run.npmFiles, [], "files in DENO_DIR/npm");
  assert.equal(run.remote, false, "DENO_DIR/remote exists");
}

Deno.test("deno task demo runs with an empty DENO_DIR and no registry", async () => {
  // A server of our own, so the demo does not start one.
  await using server = await startRedisServer();
  const run = await offlineTask(["demo"], { REDIS_URL: server.url });
  assertNothingFetched(run);
  assert.match(run.output, /All checks passed/);
});

Deno.test("deno task test runs with an empty DENO_DIR and no registry", async () => {
  // One small file: the suite is not run inside itself.
  const run = await offlineTask(["test", "tests/version_test.ts"]);
  assertNothingFetched(run);
  assert.match(run.output, /^ok \| \d+ passed \| 0 failed/m);
});
