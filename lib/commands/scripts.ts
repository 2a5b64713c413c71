// Script objects as commands: evalScript() runs a Script from redis.script()
// on any view or builder. Views send EVALSHA with the EVAL fallback (their
// executors offer RUN_SCRIPT); builders, and any executor without it, send
// EVAL. The EVAL/EVALSHA/SCRIPT methods themselves are in scripting.ts.

import type { RedisArg } from "../resp/encoder.ts";
import type { RespValue } from "../resp/types.ts";
import {
  RUN_SCRIPT,
  Script,
  scriptReply,
  type ScriptRunner,
} from "../script.ts";
import type { RedisKey } from "./_base.ts";
import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Mode,
  type Result,
  type Root,
} from "./_executor.ts";
import { command } from "./_command.ts";
import { scriptArgs } from "./scripting_options.ts";

const EVAL = command("EVAL");

/**
 * Running {@linkcode Script} objects (made by `redis.script(lua)`) on any
 * view, and inside `multi()` and `pipeline()`.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type ScriptCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const commands: ScriptCommands<"promise", string, number> = redis;
 * const hello = redis.script("return 'hello ' .. ARGV[1]");
 * console.log(await commands.evalScript(hello, [], ["you"])); // → "hello you"
 * ```
 */
export class ScriptCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view's executor. */
  declare readonly [EXEC]: Executor<M>;

  /**
   * Runs `script` (from `redis.script(lua)`, on any view of any client) in
   * this view or builder: its database, reply types and mode, not the
   * script's own view's.
   *
   * On a view it sends `EVALSHA` and, on `NOSCRIPT`, `EVAL` with the source,
   * as {@linkcode Script.run} does: callers never see `NOSCRIPT`.
   *
   * In `multi()` and `pipeline()` it queues `EVAL` with the source. A batch
   * is sent whole and its results come back together, so an `EVALSHA` that
   * met `NOSCRIPT` inside `EXEC` could only be retried after the
   * transaction, outside it and after the commands queued behind it: that
   * would break the transaction's atomicity and the pipeline's order. `EVAL`
   * cannot meet `NOSCRIPT`, and it loads the script for later `EVALSHA`s.
   *
   * The reply is the script's return value, as {@linkcode Script.run}
   * describes.
   *
   * @param script The script.
   * @param keys The script's `KEYS` (keys for routing and prefixes).
   * @param args The script's `ARGV`.
   * @returns The script's reply.
   * @throws {ReplyError} An error the script raised or returned, or a
   * compile error; never `NOSCRIPT`.
   * @throws {TypeError} When `script` is not a {@linkcode Script}, or
   * `keys`/`args` are not arrays (a rejection, or an error event).
   * @see {@link https://redis.io/docs/latest/commands/evalsha/}
   * @see {@link https://redis.io/docs/latest/commands/eval/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const take = redis.script(`
   *   local left = tonumber(redis.call("GET", KEYS[1]) or "0")
   *   if left < tonumber(ARGV[1]) then return 0 end
   *   redis.call("DECRBY", KEYS[1], ARGV[1])
   *   return 1
   * `);
   * await redis.set("stock", 3);
   * const [took, left] = await redis.multi()
   *   .evalScript(take, ["stock"], [2])
   *   .get("stock")
   *   .exec();
   * console.log(took, left); // → 1 "1"
   * console.log(await redis.evalScript(take, ["stock"], [2])); // → 0
   * ```
   */
  evalScript(
    script: Script<Root, Bulk, Int>,
    keys: readonly RedisKey[] = [],
    args: readonly RedisArg[] = [],
  ): Result<M, RespValue> {
    const executor = this[EXEC];
    if (
      !(script instanceof Script) || !Array.isArray(keys) ||
      !Array.isArray(args)
    ) {
      return executor.refuse(
        new TypeError(
          "Cannot run the script: expected a Script from redis.script(), an array of keys and an array of arguments",
        ),
        "EVALSHA",
      );
    }
    const runner = (executor as Partial<ScriptRunner<Root>>)[RUN_SCRIPT];
    if (runner !== undefined) {
      // Only views' executors offer a runner, in their own mode: M.
      return runner.call(executor, script, keys, args) as Result<M, RespValue>;
    }
    return executor.call(
      EVAL,
      scriptArgs(script.source, keys, args),
      scriptReply,
    );
  }
}
