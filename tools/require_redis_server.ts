// deno-lint-ignore-file no-console -- its one line is its output.
// The first step of `deno task demo` and `deno task test`: without a
// redis-server on PATH (and, for the demo, no REDIS_URL), says so in one line
// with the ways on and exits 1, before anything else prints a stack trace.
// Looks through PATH itself: asking Deno to run a missing binary prints a
// line of its own.
//
//   deno run --allow-env=PATH,PATHEXT,REDIS_URL --allow-read tools/require_redis_server.ts demo|tests

import { redisServerMissing } from "../tests/_support/redis_server.ts";

/** Whether an executable `redis-server` is in one of PATH's directories. */
export function redisServerOnPath(): boolean {
  const windows = Deno.build.os === "windows";
  const separator = windows ? ";" : ":";
  const names = windows
    ? (Deno.env.get("PATHEXT") ?? ".EXE").split(";").map((ext) =>
      `redis-server${ext.toLowerCase()}`
    )
    : ["redis-server"];
  for (const dir of (Deno.env.get("PATH") ?? "").split(separator)) {
    if (dir === "") continue;
    for (const name of names) {
      try {
        const info = Deno.statSync(`${dir}/${name}`);
        if (info.isFile && (windows || ((info.mode ?? 0) & 0o111) !== 0)) {
          return true;
        }
      } catch {
        // Not here.
      }
    }
  }
  return false;
}

if (import.meta.main) {
  const what = Deno.args[0];
  if (what !== "demo" && what !== "tests") {
    console.error("usage: require_redis_server.ts demo|tests");
    Deno.exit(2);
  }
  const shared = what === "demo" && Boolean(Deno.env.get("REDIS_URL"));
  if (!shared && !redisServerOnPath()) {
    console.error(redisServerMissing(what));
    Deno.exit(1);
  }
}
