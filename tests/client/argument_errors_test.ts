// An argument that cannot be encoded, as a caller meets it on a real server:
// the error names the command and the argument's place (never its value),
// nothing is sent, and the connection carries on.

import assert from "node:assert/strict";
import { connect, type RedisErrorEvent } from "../../mod.ts";
import { startRedisServer } from "../_support/redis_server.ts";

const SECRET = "s3cr3t-value";

/** Asserts `attempt` throws or rejects with `errorClass` and exactly `message`. */
async function refusedWith(
  attempt: () => Promise<unknown>,
  errorClass: typeof TypeError | typeof RangeError,
  message: string,
): Promise<void> {
  await assert.rejects(async () => await attempt(), (error: unknown) => {
    assert.ok(error instanceof Error, Deno.inspect(error));
    assert.equal(error.constructor, errorClass);
    assert.equal(error.message, message);
    return true;
  });
}

const EXPECTED = "(expected a string, number, bigint or Uint8Array)";

Deno.test("Redis names the command and the argument's place when an argument cannot be encoded", async (t) => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port, maxBulkLength: 64 });

  await t.step("undefined key", async () => {
    await refusedWith(
      () => redis.get(undefined as never),
      TypeError,
      `Cannot encode argument 1 of GET: received undefined ${EXPECTED}`,
    );
  });

  await t.step("NaN value", async () => {
    await refusedWith(
      () => redis.set("k", NaN),
      TypeError,
      "Cannot encode argument 2 of SET: NaN is not a valid Redis number",
    );
  });

  await t.step("a value over maxBulkLength, never echoed", async () => {
    await refusedWith(
      () => redis.set("k", SECRET.repeat(10)),
      RangeError,
      "Cannot encode argument 2 of SET: 120 bytes exceed maxBulkLength 64",
    );
  });

  await t.step("a field of an object argument", async () => {
    await refusedWith(
      () => redis.hset("h", { a: "1", b: null as never }),
      TypeError,
      `Cannot encode argument 5 of HSET: received null ${EXPECTED}`,
    );
  });

  await t.step("send() with a subcommand counts it", async () => {
    await refusedWith(
      () => redis.send("CLIENT", "SETNAME", {} as never),
      TypeError,
      `Cannot encode argument 2 of CLIENT SETNAME: received Object ${EXPECTED}`,
    );
  });

  await t.step("inside a pipeline and a transaction", async () => {
    await refusedWith(
      () => redis.pipeline().get("a").get(null as never).exec(),
      TypeError,
      `Cannot encode argument 1 of GET: received null ${EXPECTED}`,
    );
    await refusedWith(
      () => redis.multi().set("a", "1").incrby("a", NaN).exec(),
      TypeError,
      "Cannot encode argument 2 of INCRBY: NaN is not a valid Redis number",
    );
  });

  await t.step("fire-and-forget: an error event", async () => {
    const errors: RedisErrorEvent[] = [];
    const listener = (event: RedisErrorEvent) => errors.push(event);
    redis.addEventListener("error", listener);
    try {
      redis.fireAndForget.set("k", undefined as never);
      await redis.ping();
    } finally {
      redis.removeEventListener("error", listener);
    }
    assert.equal(errors.length, 1);
    assert.equal(
      errors[0]!.error.message,
      `Cannot encode argument 2 of SET: received undefined ${EXPECTED}`,
    );
  });

  await t.step("nothing was sent and the connection carries on", async () => {
    assert.equal(await redis.exists("k", "h", "a"), 0);
    assert.equal(await redis.set("k", "v"), "OK");
    assert.equal(await redis.get("k"), "v");
  });
});
