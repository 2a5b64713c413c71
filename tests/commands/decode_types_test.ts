// The pairing of a method's declared result and its reply decoder is checked
// by the compiler: `deno test` type-checks this file, and each
// `@ts-expect-error` below fails the check if the wrong pairing it marks were
// ever accepted.

import assert from "node:assert/strict";
import type { Mode, Result } from "../../mod.ts";
import { command } from "../../lib/commands/_command.ts";
import {
  type Bulk,
  EXEC,
  type Executor,
} from "../../lib/commands/_executor.ts";
import { bulkOrNull, integer, record } from "../../lib/commands/_reply.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { connect } from "../../mod.ts";

const GET = command("GET");
const STRLEN = command("STRLEN");
const HGETALL = command("HGETALL");

/** Methods written as the command families write them, right and wrong. */
class Probe<M extends Mode, B extends Bulk> {
  readonly [EXEC]: Executor<M>;

  constructor(executor: Executor<M>) {
    this[EXEC] = executor;
  }

  get(key: string): Result<M, B | null> {
    return this[EXEC].call(GET, [key], bulkOrNull<B>);
  }

  strlen(key: string): Result<M, number> {
    return this[EXEC].call(STRLEN, [key], integer<number>);
  }

  hgetall(key: string): Result<M, Record<string, B>> {
    return this[EXEC].call(HGETALL, [key], record<B>);
  }

  wrongNumber(key: string): Result<M, string> {
    // @ts-expect-error: integer is a Decode<number>, not a Decode<string>.
    return this[EXEC].call(STRLEN, [key], integer<number>);
  }

  wrongBulk(key: string): Result<M, number> {
    // @ts-expect-error: a bulk decoder cannot back a number.
    return this[EXEC].call(GET, [key], bulkOrNull<B>);
  }

  wrongBulkType(key: string): Result<M, string | null> {
    // @ts-expect-error: on a view generic in B, the bulk type must be B.
    return this[EXEC].call(GET, [key], bulkOrNull<Uint8Array>);
  }
}

Deno.test("a method's reply decoder must produce its declared type (checked by the compiler)", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  await redis.hset("h", { f: "v" });
  await redis.set("k", "hello");
  // The right pairings also work at run time, on a view of the same client.
  const probe = new Probe<"promise", string>(redis[EXEC]);
  assert.equal(await probe.get("k"), "hello");
  assert.equal(await probe.strlen("k"), 5);
  assert.deepEqual({ ...await probe.hgetall("h") }, { f: "v" });
});
