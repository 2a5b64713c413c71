// A connection's events reach every listener, in the order they were added,
// and a removed listener hears nothing more. The router in front of it speaks
// the same interface: a request sent through it runs on the shared connection.

import assert from "node:assert/strict";
import { ReplyError } from "../../mod.ts";
import { command } from "../../lib/commands/_command.ts";
import type { Request } from "../../lib/connection/connection.ts";
import { resolveOptions } from "../../lib/resolve_options.ts";
import { Router } from "../../lib/routing/router.ts";
import { startRedisServer } from "../_support/redis_server.ts";

const INCR = command("INCR");
const SET = command("SET");

function request(cmd: Request["command"], args: string[]): Request {
  return {
    command: cmd,
    args,
    db: 0,
    binary: false,
    bigint: false,
    decode: null,
  };
}

Deno.test("Router sends requests to its connection, and its events reach every listener until removed", async () => {
  await using server = await startRedisServer();
  const router = await Router.open(resolveOptions({ port: server.port }));
  const heard: string[] = [];
  const removeFirst = router.listen({
    error: (error, name) => heard.push(`first ${name} ${error.name}`),
  });
  router.listen({
    error: (error, name) => heard.push(`second ${name} ${error.name}`),
    close: () => heard.push("second close"),
  });
  assert.equal(await router.send(request(SET, ["text", "abc"])), "OK");
  router.sendVoid(request(INCR, ["text"]));
  assert.equal(await router.send(request(INCR, ["n"])), 1);
  assert.deepEqual(heard, ["first INCR ReplyError", "second INCR ReplyError"]);
  removeFirst();
  router.sendVoid(request(INCR, ["text"]));
  const batch = await router.sendBatch([
    request(INCR, ["n"]),
    request(INCR, ["text"]),
  ]);
  assert.deepEqual(batch[0], { ok: true, value: 2 });
  assert.ok(!batch[1]!.ok && batch[1]!.error instanceof ReplyError);
  assert.equal(router.ready, true);
  await router.close();
  assert.deepEqual(heard.slice(2), ["second INCR ReplyError", "second close"]);
  assert.equal(router.closed, true);
});
