// The version the client reports to the server (CLIENT SETINFO LIB-VER) is
// the package's version.

import assert from "node:assert/strict";
import config from "../deno.json" with { type: "json" };
import { VERSION } from "../lib/version.ts";
import { connect } from "../mod.ts";
import { answerHandshake, startFakeServer } from "./_support/fake_server.ts";

Deno.test("VERSION equals the version in deno.json", () => {
  assert.equal(VERSION, config.version);
  assert.match(VERSION, /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
});

Deno.test("connect() sends the library name and VERSION with CLIENT SETINFO", async () => {
  // A fake server: Redis 7.0 has no CLIENT SETINFO (7.2 does) to show it.
  await using fake = await startFakeServer();
  const accepted = fake.accept();
  const connecting = connect({ port: fake.port });
  const conn = await accepted;
  const seen = await answerHandshake(conn);
  await (await connecting).close();
  conn.close();
  const setinfo = seen.filter(([name, sub]) =>
    name === "CLIENT" && sub === "SETINFO"
  );
  assert.deepEqual(setinfo, [
    ["CLIENT", "SETINFO", "LIB-NAME", "sleeve"],
    ["CLIENT", "SETINFO", "LIB-VER", VERSION],
  ]);
});
