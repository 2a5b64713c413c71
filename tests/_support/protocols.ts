// Helpers shared by the command-family tests: run a check under both
// protocols, and assert a WRONGTYPE reply.

import assert from "node:assert/strict";
import { connect, type Redis, ReplyError } from "../../mod.ts";

/** Both protocols every reply-shape check runs under. */
export const PROTOCOLS = [2, 3] as const;

/** Runs `fn` once per protocol on a fresh client over an empty server. */
export async function eachProtocol(
  port: number,
  fn: (redis: Redis, protocol: 2 | 3) => Promise<void>,
): Promise<void> {
  for (const protocol of PROTOCOLS) {
    await using redis = await connect({ port, protocol });
    assert.equal(redis.protocol, protocol);
    await redis.flushall();
    await fn(redis, protocol);
  }
}

/** Asserts that `promise` rejects with a WRONGTYPE ReplyError naming `command`. */
export async function assertWrongType(
  promise: Promise<unknown>,
  command: string,
): Promise<void> {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof ReplyError);
    assert.equal(error.code, "WRONGTYPE");
    assert.equal(error.command, command);
    return true;
  });
}
