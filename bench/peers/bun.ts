// Bun's built-in Redis client as a peer. It only runs inside Bun, so each
// bench file that measures it starts bench/peers/bun_worker.ts as a child
// process and sends it one request per iteration (see that file for the
// protocol); the Deno side times request to answer. Bun comes from npm: the
// `bun` package lists a binary package per platform as optional dependencies
// (for Linux x64, @oven/bun-linux-x64, ~100 MB; Deno also fetches the musl
// twin, as it ignores `libc`), and Deno installs the one for this platform.
// Its postinstall script (which would link the binary, or download it when
// the optional dependency is missing) is not needed: the binary is run from
// the platform package directly. Running it needs `run` permission for a
// path inside the npm cache, hence "run": true in bench/peers/deno.json.

import bunPackage from "npm:bun@1.4.5/package.json" with { type: "json" };
import { createRequire } from "node:module";

/** "bun 1.4.5", its name in bench groups. */
export const BUN_NAME = `bun ${bunPackage.version}`;

/** The Bun executable of the platform package npm:bun installed. */
export function bunExecutable(): string {
  const os = Deno.build.os;
  const arch = Deno.build.arch === "x86_64" ? "x64" : "aarch64";
  const platformPackage = `@oven/bun-${os}-${arch}`;
  // Node resolution from bun's own package, as its postinstall script does.
  const require = createRequire(
    import.meta.resolve("npm:bun@1.4.5/package.json"),
  );
  let manifest: string;
  try {
    manifest = require.resolve(`${platformPackage}/package.json`);
  } catch (error) {
    throw new Error(
      `${platformPackage} (an optional dependency of npm:bun) is not installed`,
      { cause: error },
    );
  }
  const dir = manifest.slice(0, manifest.lastIndexOf("/"));
  return `${dir}/bin/bun${os === "windows" ? ".exe" : ""}`;
}

/** A running bun_worker.ts. */
export interface BunWorker {
  readonly name: string;
  /** Sends one request ("seq 1000") and resolves with the answer after "ok". */
  request(line: string): Promise<string>;
}

/**
 * Starts the worker against the server on `port`; it is killed when the
 * bench module unloads.
 */
export async function startBunWorker(port: number): Promise<BunWorker> {
  const child = new Deno.Command(bunExecutable(), {
    args: [
      new URL("./bun_worker.ts", import.meta.url).pathname,
      String(port),
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
    env: { BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0" },
  }).spawn();
  globalThis.addEventListener("unload", () => {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  });
  const writer = child.stdin.getWriter();
  const reader = child.stdout.getReader();
  const utf8 = new TextEncoder();
  const text = new TextDecoder();
  let buffered = "";

  async function readLine(): Promise<string> {
    for (;;) {
      const newline = buffered.indexOf("\n");
      if (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        return line;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error("the Bun worker exited");
      buffered += text.decode(value, { stream: true });
    }
  }

  const worker: BunWorker = {
    name: BUN_NAME,
    async request(line) {
      await writer.write(utf8.encode(`${line}\n`));
      const answer = await readLine();
      if (answer !== "ok" && !answer.startsWith("ok ")) {
        throw new Error(`Bun worker, "${line}": ${answer}`);
      }
      return answer.slice(3);
    },
  };
  // The first answer also says the worker connected.
  await worker.request("empty 0");
  return worker;
}
