// captureCallSites: a ReplyError's stack shows the code awaiting the command
// (each async caller at its await, through Promise.all too) instead of the
// reply reader's frames, on every promise view; nothing else changes.

import assert from "node:assert/strict";
import { connect, type Redis, ReplyError, TimeoutError } from "../../mod.ts";
import { startRedisServer } from "../_support/redis_server.ts";

const THIS_FILE = new URL(import.meta.url).href;
const LIB = new URL("../../lib/", import.meta.url).href;

/** The `at ...` lines of a stack. */
function frames(error: unknown): string[] {
  assert.ok(error instanceof Error);
  return (error.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
}

/** Rejects with what `attempt` rejects with. */
async function failure(attempt: () => Promise<unknown>): Promise<unknown> {
  try {
    await attempt();
  } catch (error) {
    return error;
  }
  assert.fail("expected a rejection");
}

/** Issues INCR on a string after an await: its caller is an async frame. */
async function incrementTwice(redis: Redis, key: string): Promise<number> {
  await redis.ping();
  return await redis.incr(key);
}

async function handleRequest(redis: Redis): Promise<number> {
  return await incrementTwice(redis, "call-sites:string");
}

Deno.test("captureCallSites gives a ReplyError the stack of the code awaiting the command", async (t) => {
  await using server = await startRedisServer();
  await using redis = await connect({
    port: server.port,
    captureCallSites: true,
  });
  await redis.set("call-sites:string", "text");

  await t.step("the issuing function, then its async caller", async () => {
    const error = await failure(() => handleRequest(redis));
    assert.ok(error instanceof ReplyError);
    // The message, code and command are the server's, as without the option.
    assert.equal(error.code, "ERR");
    assert.equal(error.command, "INCR");
    assert.match(error.stack!, /^ReplyError: ERR value is not an integer/);
    const lines = frames(error);
    assert.match(lines[0]!, /at async incrementTwice \(/);
    assert.ok(lines[0]!.includes(THIS_FILE), lines[0]);
    assert.ok(
      lines.some((line) => /at async handleRequest \(/.test(line)),
      error.stack,
    );
    // None of sleeve's own frames.
    assert.ok(lines.every((line) => !line.includes(LIB)), error.stack);
  });

  await t.step("through Promise.all", async () => {
    async function both(): Promise<unknown> {
      return await Promise.all([
        redis.get("call-sites:string"),
        redis.incr("call-sites:string"),
      ]);
    }
    const error = await failure(both);
    assert.ok(error instanceof ReplyError);
    const lines = frames(error);
    assert.match(lines[0]!, /at async Promise\.all \(index 1\)/);
    assert.match(lines[1]!, /at async both \(/);
    assert.ok(lines[1]!.includes(THIS_FILE), error.stack);
  });

  await t.step("a reply consumed with then() keeps its own stack", async () => {
    const error = await new Promise((resolve) => {
      redis.incr("call-sites:string").then(undefined, resolve);
    });
    assert.ok(error instanceof ReplyError);
    // No async function awaits it: the reply reader's frames stay.
    assert.ok(frames(error).some((line) => line.includes(LIB)), error.stack);
  });

  await t.step("every kind of call of a promise view", async () => {
    const script = redis.script("return redis.error_reply('ERR from Lua')");
    const attempts: [string, () => Promise<unknown>][] = [
      ["one argument", () => redis.get("call-sites:no-such-type:hash")],
      ["bytes", () => redis.binary.incr("call-sites:string")],
      ["send()", () => redis.send("NOSUCHCOMMAND")],
      ["a script", () => script.run([], [])],
      ["another database", () => redis.db(3).incr("call-sites:db3")],
      ["a prefix view", () => redis.prefix("p:").incr("string")],
      [
        "a with() view",
        () => redis.with({ timeout: 5_000 }).lpush("call-sites:string", "x"),
      ],
    ];
    await redis.hset("call-sites:no-such-type:hash", { f: "v" });
    await redis.db(3).set("call-sites:db3", "text");
    await redis.set("p:string", "text");
    for (const [name, attempt] of attempts) {
      const error = await failure(attempt);
      assert.ok(error instanceof ReplyError, `${name}: ${Deno.inspect(error)}`);
      const lines = frames(error);
      assert.ok(lines.length > 0, `${name}: ${error.stack}`);
      assert.ok(lines[0]!.includes(THIS_FILE), `${name}: ${error.stack}`);
      assert.ok(
        lines.every((line) => !line.includes(LIB)),
        `${name}: ${error.stack}`,
      );
    }
  });

  await t.step("inside watch(), on the leased connection", async () => {
    const error = await failure(() =>
      redis.watch(
        ["call-sites:string"],
        (view) => view.incr("call-sites:string"),
      )
    );
    assert.ok(error instanceof ReplyError, Deno.inspect(error));
    assert.ok(frames(error)[0]!.includes(THIS_FILE), error.stack);
  });

  await t.step("replies and other errors are unchanged", async () => {
    assert.equal(await redis.set("call-sites:n", 1), "OK");
    assert.equal(await redis.incr("call-sites:n"), 2);
    assert.deepEqual(
      await redis.binary.get("call-sites:n"),
      new TextEncoder().encode("2"),
    );
    // A timeout is the connection's error, not the server's: as it was.
    const error = await failure(() =>
      redis.with({ timeout: 50 }).send("DEBUG", "SLEEP", "0.2")
    );
    assert.ok(error instanceof TimeoutError, Deno.inspect(error));
  });
});

Deno.test("without captureCallSites a ReplyError keeps the reply reader's frames", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  await redis.set("call-sites:string", "text");
  const error = await failure(() => handleRequest(redis));
  assert.ok(error instanceof ReplyError);
  const lines = frames(error);
  assert.ok(lines.every((line) => !line.includes(THIS_FILE)), error.stack);
  assert.ok(lines.some((line) => line.includes(LIB)), error.stack);
});
