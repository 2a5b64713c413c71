// Stands in for "@sleeve/redis" when tests/readme_test.ts runs a README block:
// re-exports mod.ts, points connect()'s default address (127.0.0.1:6379) at
// the throwaway server in SLEEVE_README_ADDRESS, and reports each console.log.
// deno-lint-ignore-file no-console -- it replaces console.log to report it

import { connect as realConnect, type ConnectOptions } from "../../mod.ts";
import type { Redis } from "../../mod.ts";

export * from "../../mod.ts";

const DEFAULT = "127.0.0.1:6379";
const address = Deno.env.get("SLEEVE_README_ADDRESS") ?? DEFAULT;
const [host, port] = [
  address.slice(0, address.lastIndexOf(":")),
  Number(address.slice(address.lastIndexOf(":") + 1)),
];

/** The line marker tests/readme_test.ts reads a console.log call from. */
export const LOG_MARKER = "\u001eREADME-LOG ";

/** connect(), with the default address rewritten to the throwaway server's. */
export function connect(target?: string | ConnectOptions): Promise<Redis> {
  if (target === undefined) return realConnect(`redis://${address}`);
  if (typeof target === "string") {
    return realConnect(target.replace(DEFAULT, address));
  }
  const options: ConnectOptions = { ...target };
  if (options.url !== undefined) {
    options.url = options.url.replace(DEFAULT, address);
  } else if (
    (options.hostname === undefined || options.hostname === "127.0.0.1") &&
    (options.port === undefined || options.port === 6379) &&
    options.path === undefined && options.sentinels === undefined
  ) {
    options.hostname = host;
    options.port = port;
  }
  return realConnect(options);
}

// Every console.log call is printed as one line: the marker, the line of the
// block it was called from, and its arguments as Deno.inspect shows them
// (strings quoted), so a `// → "hello"` comment can be compared with it.
const block = Deno.mainModule;
console.log = (...args: unknown[]) => {
  const frames = new Error().stack?.split("\n") ?? [];
  let line = 0;
  for (const frame of frames) {
    const at = frame.indexOf(block);
    if (at === -1) continue;
    line = Number(frame.slice(at + block.length).split(":")[1]);
    break;
  }
  const text = args.map((arg) => Deno.inspect(arg, { depth: 8 })).join(" ");
  Deno.stdout.writeSync(
    new TextEncoder().encode(
      `${LOG_MARKER}${line} ${JSON.stringify(text)}\n`,
    ),
  );
};
