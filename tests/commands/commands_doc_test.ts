// docs/COMMANDS.md, the table of every command and its method, is what
// tools/gen_commands.ts renders now: a new method, exclusion or command-table
// entry without `deno task commands` fails here.

import assert from "node:assert/strict";
import { COMMANDS_FILE, renderCommands } from "../../tools/gen_commands.ts";

Deno.test("docs/COMMANDS.md is up to date (else run `deno task commands`)", async () => {
  const file = new URL(`../../${COMMANDS_FILE}`, import.meta.url);
  const current = await Deno.readTextFile(file);
  assert.ok(
    current === renderCommands(),
    `${COMMANDS_FILE} is stale: run \`deno task commands\``,
  );
});

Deno.test("docs/COMMANDS.md lists GET's method and SELECT's reason", () => {
  const text = renderCommands();
  assert.match(text, /\| `GET` +\| `get\(\)` +\| 1\.0\.0 +\|/);
  assert.match(text, /\| `SELECT` +\| none: a view: redis\.db\(index\) +\|/);
  assert.match(text, /\| `CLIENT SETNAME` +\| `clientSetname\(\)` +\|/);
});
