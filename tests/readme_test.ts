// Runs every ```ts block of README.md and docs/*.md against a throwaway
// redis-server, each as its own `deno run` with "@sleeve/redis" mapped to
// tests/_support/readme_shim.ts: it must exit 0, and print what its `// →` say.

import assert from "node:assert/strict";
import { connect } from "../mod.ts";
import { startRedisServer } from "./_support/redis_server.ts";

const ROOT = new URL("../", import.meta.url);
const SHIM = new URL("./_support/readme_shim.ts", import.meta.url);
const LOG_MARKER = "\u001eREADME-LOG ";
/** Markdown files whose ```ts blocks run: the README and every docs/ page. */
async function documents(): Promise<string[]> {
  const pages: string[] = [];
  for await (const entry of Deno.readDir(new URL("docs/", ROOT))) {
    if (entry.isFile && entry.name.endsWith(".md")) {
      pages.push(`docs/${entry.name}`);
    }
  }
  return ["README.md", ...pages.sort()];
}
const NOT_RUN = /^<!--\s*not run:\s*(.+?)\s*-->$/;
const BLOCK_TIMEOUT = 20_000;

/** One ```ts block of a document. */
export interface Block {
  file: string;
  /** The line of its opening fence, 1-based. */
  line: number;
  code: string;
  /** Why it is not run, from a `<!-- not run: reason -->` line before it. */
  notRun?: string;
}

/** One `// → value` of a block: what the console.log on `line` prints. */
export interface Expectation {
  /** The block's line (1-based) whose console.log calls print it. */
  line: number;
  /** Each call's output in order ("A, then B" is two calls). */
  outputs: string[];
}

/** The ```ts blocks of a markdown text. */
export function extractBlocks(file: string, text: string): Block[] {
  const lines = text.split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trimEnd() !== "```ts") continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]!.startsWith("```"); i++) {
      body.push(lines[i]!);
    }
    let before = start - 1;
    while (before >= 0 && lines[before]!.trim() === "") before--;
    const reason = before >= 0 ? NOT_RUN.exec(lines[before]!.trim()) : null;
    const block: Block = {
      file,
      line: start + 1,
      code: body.join("\n") + "\n",
    };
    if (reason !== null) block.notRun = reason[1]!;
    blocks.push(block);
  }
  return blocks;
}

/**
 * The `// →` comments of a block. A comment alone on its line belongs to the
 * nearest `console.log(` above it (a call may span lines); a trailing "(...)"
 * is a remark, not output.
 */
export function expectations(code: string): Expectation[] {
  const lines = code.split("\n");
  const found: Expectation[] = [];
  let lastCode = 0;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const arrow = text.indexOf("// → ");
    const alone = text.trim().startsWith("//");
    if (!alone && text.includes("console.log(")) lastCode = i + 1;
    if (arrow === -1) continue;
    const value = text.slice(arrow + 5).replace(/\s+\([^()]*\)$/, "");
    found.push({
      line: alone ? lastCode : i + 1,
      outputs: value.split(", then "),
    });
  }
  return found;
}

/** Output compared without whitespace (Deno.inspect spaces and wraps). */
function normalize(text: string): string {
  return text.replace(/\s+/g, "");
}

async function runBlock(
  block: Block,
  dir: string,
  index: number,
  address: string,
): Promise<{ code: number; logs: Map<number, string[]>; output: string }> {
  const file = `${dir}/block_${index}.ts`;
  await Deno.writeTextFile(file, block.code);
  const command = new Deno.Command("deno", {
    args: [
      "run",
      "--no-config",
      `--import-map=${dir}/import_map.json`,
      "--no-prompt",
      "--allow-net",
      "--allow-env=SLEEVE_README_ADDRESS",
      file,
    ],
    cwd: dir,
    env: { SLEEVE_README_ADDRESS: address, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  });
  const child = command.spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), BLOCK_TIMEOUT);
  const result = await child.output();
  clearTimeout(timer);
  const stdout = new TextDecoder().decode(result.stdout);
  const logs = new Map<number, string[]>();
  for (const line of stdout.split("\n")) {
    if (!line.startsWith(LOG_MARKER)) continue;
    const rest = line.slice(LOG_MARKER.length);
    const space = rest.indexOf(" ");
    const at = Number(rest.slice(0, space));
    const list = logs.get(at) ?? [];
    list.push(JSON.parse(rest.slice(space + 1)));
    logs.set(at, list);
  }
  const output = stdout + new TextDecoder().decode(result.stderr);
  return { code: result.code, logs, output };
}

Deno.test("extractBlocks: ts blocks only, with their not-run reasons", () => {
  const text = [
    "# Title",
    "```ts",
    "a();",
    "```",
    "<!-- not run: needs a cluster -->",
    "",
    "```ts",
    "b();",
    "```",
    "```ts ignore",
    "c();",
    "```",
    "```sh",
    "deno task test",
    "```",
  ].join("\n");
  assert.deepEqual(extractBlocks("X.md", text), [
    { file: "X.md", line: 2, code: "a();\n" },
    { file: "X.md", line: 7, code: "b();\n", notRun: "needs a cluster" },
  ]);
});

Deno.test("expectations: arrows, continuation lines and remarks", () => {
  const code = [
    'console.log(await redis.get("a")); // → "hello"',
    "console.log(",
    "  await redis.zrange(),",
    ");",
    '// → [{ member: "ann", score: 10 }]',
    "for (const x of y) console.log(x); // → 1, then 2 (in no set order)",
  ].join("\n");
  assert.deepEqual(expectations(code), [
    { line: 1, outputs: ['"hello"'] },
    { line: 2, outputs: ['[{ member: "ann", score: 10 }]'] },
    { line: 6, outputs: ["1", "2"] },
  ]);
});

Deno.test("every ```ts block of the README and the docs runs and prints what it says", async (t) => {
  const blocks: Block[] = [];
  const files = await documents();
  assert.ok(files.includes("docs/migrating.md"));
  for (const file of files) {
    const text = await Deno.readTextFile(new URL(file, ROOT));
    blocks.push(...extractBlocks(file, text));
  }
  assert.ok(blocks.length > 30, `only ${blocks.length} blocks found`);
  const notRun = blocks.filter((block) => block.notRun !== undefined);
  // deno-lint-ignore no-console
  console.log(
    `${blocks.length - notRun.length} blocks run, ${notRun.length} not run:\n` +
      notRun.map((b) => `  ${b.file}:${b.line}: ${b.notRun}`).join("\n"),
  );
  assert.ok(notRun.length <= 12, "keep the not-run list short");

  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  const dir = await Deno.makeTempDir({ prefix: "sleeve-readme-" });
  try {
    await Deno.writeTextFile(
      `${dir}/import_map.json`,
      JSON.stringify({ imports: { "@sleeve/redis": SHIM.href } }),
    );
    let checked = 0;
    let index = 0;
    for (const block of blocks) {
      index++;
      if (block.notRun !== undefined) continue;
      await t.step(`${block.file}:${block.line}`, async () => {
        // Each block starts from an empty server with its defaults.
        await redis.flushall();
        await redis.scriptFlush();
        await redis.configSet({ "notify-keyspace-events": "" });
        const run = await runBlock(
          block,
          dir,
          index,
          `127.0.0.1:${server.port}`,
        );
        assert.equal(run.code, 0, `exit code ${run.code}:\n${run.output}`);
        for (const { line, outputs } of expectations(block.code)) {
          const printed = run.logs.get(line) ?? [];
          assert.deepEqual(
            printed.map(normalize),
            outputs.map(normalize),
            `line ${block.line + line} of ${block.file} printed ${
              JSON.stringify(printed)
            }, expected ${JSON.stringify(outputs)}`,
          );
          checked++;
        }
      });
    }
    // deno-lint-ignore no-console
    console.log(`${checked} "// →" outputs checked`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
