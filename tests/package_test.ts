// The published package: a graph of the project's own files only (no npm:,
// jsr:, https: or node: module, so it runs on Deno Deploy and needs no
// install), mod.ts made of re-exports, and JSDoc with an example on every
// export and on every command method.

import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*"([^"]+)"|(?:^|\n)\s*import\s*"([^"]+)"/g;

/** Every module reachable from `entry`, with the specifiers it imports. */
async function graph(entry: URL): Promise<Map<string, string[]>> {
  const seen = new Map<string, string[]>();
  const pending = [entry];
  while (pending.length > 0) {
    const url = pending.pop()!;
    if (seen.has(url.href)) continue;
    // Comments hold doc examples, which import the package by name.
    const source = (await Deno.readTextFile(url)).replace(
      /\/\*[\s\S]*?\*\//g,
      "",
    );
    const specifiers = [...source.matchAll(IMPORT)].map((m) => m[1] ?? m[2]!);
    seen.set(url.href, specifiers);
    for (const specifier of specifiers) {
      if (specifier.startsWith("./") || specifier.startsWith("../")) {
        pending.push(new URL(specifier, url));
      }
    }
  }
  return seen;
}

Deno.test("mod.ts imports only the project's own files", async () => {
  const modules = await graph(new URL("mod.ts", ROOT));
  assert.ok(modules.size > 10, `only ${modules.size} modules found`);
  for (const [module, specifiers] of modules) {
    assert.ok(
      module.startsWith(new URL("lib/", ROOT).href) ||
        module.endsWith("/mod.ts"),
      module,
    );
    for (const specifier of specifiers) {
      assert.match(specifier, /^\.\.?\//, `${module} imports ${specifier}`);
    }
  }
});

Deno.test("mod.ts holds re-exports and nothing else", async () => {
  const source = await Deno.readTextFile(new URL("mod.ts", ROOT));
  const code = source.replace(/\/\*\*[\s\S]*?\*\//g, "").replace(
    /\/\/.*$/gm,
    "",
  ).trim();
  for (
    const statement of code.split(";").map((s) => s.trim()).filter((s) =>
      s !== ""
    )
  ) {
    assert.match(
      statement,
      /^export (type )?\{[\s\S]*\} from "\.\/lib\/[\w/]+\.ts"$/,
      statement,
    );
  }
});

interface DocTag {
  kind: string;
}
interface DocNode {
  name: string;
  kind?: string;
  jsDoc?: { doc?: string; tags?: DocTag[] };
  declarations?: {
    kind: string;
    jsDoc?: { doc?: string; tags?: DocTag[] };
    def?: { methods?: DocNode[] };
  }[];
}

Deno.test("every export of mod.ts and every command method has JSDoc with an example", async () => {
  const output = await new Deno.Command("deno", {
    args: ["doc", "--json", "mod.ts"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(output.success, new TextDecoder().decode(output.stderr));
  const doc = JSON.parse(new TextDecoder().decode(output.stdout));
  const symbols: DocNode[] =
    Object.values(doc.nodes as Record<string, { symbols: DocNode[] }>)[0]!
      .symbols;
  const missing: string[] = [];
  const hasExample = (jsDoc: { tags?: DocTag[] } | undefined) =>
    jsDoc?.tags?.some((tag) => tag.kind === "example");
  let methods = 0;
  for (const symbol of symbols) {
    const declaration = symbol.declarations![0]!;
    if (!hasExample(declaration.jsDoc)) missing.push(symbol.name);
    if (symbol.name.endsWith("Commands")) {
      // An overloaded method appears once per signature; one example will do.
      const byName = Map.groupBy(
        declaration.def?.methods ?? [],
        (method) => method.name,
      );
      for (const [name, overloads] of byName) {
        methods++;
        if (!overloads.some((method) => hasExample(method.jsDoc))) {
          missing.push(`${symbol.name}.${name}`);
        }
      }
    }
  }
  assert.ok(
    symbols.length >= 40 && methods >= 80,
    `${symbols.length} symbols, ${methods} methods`,
  );
  assert.deepEqual(missing, []);
});
