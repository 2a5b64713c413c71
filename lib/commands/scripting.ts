// Lua scripts: EVAL, EVALSHA, their _RO forms and SCRIPT *. Functions (FCALL,
// FUNCTION *) are in functions.ts; Script objects (evalScript) in scripts.ts.

import type { RedisArg } from "../resp/encoder.ts";
import type { RespValue } from "../resp/types.ts";
import type { RedisKey } from "./_base.ts";
import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Mode,
  type Result,
} from "./_executor.ts";
import { flagArray, ok, text, textArray } from "./_reply.ts";
import { command } from "./_command.ts";
import { scriptArgs } from "./scripting_options.ts";

const EVAL = command("EVAL");
const EVAL_RO = command("EVAL_RO");
const EVALSHA = command("EVALSHA");
const EVALSHA_RO = command("EVALSHA_RO");
const SCRIPT_EXISTS = command("SCRIPT EXISTS");
const SCRIPT_FLUSH = command("SCRIPT FLUSH");
const SCRIPT_HELP = command("SCRIPT HELP");
const SCRIPT_KILL = command("SCRIPT KILL");
const SCRIPT_LOAD = command("SCRIPT LOAD");

/** A script's reply, as it came: a script can return anything. */
export function scriptReply(value: RespValue): RespValue {
  return value;
}

/**
 * Scripting commands: Lua scripts (EVAL, EVALSHA, SCRIPT *). Function
 * libraries (FCALL, FUNCTION *) are on {@linkcode FunctionCommands}. For
 * scripts run by their SHA1 with a transparent fallback, see
 * `redis.script()`.
 *
 * Methods return `Promise<T>` on `Redis` and its `db()`, `binary` and
 * `bigint` views, nothing on `fireAndForget`, and the builder in `multi()`
 * and `pipeline()`.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type ScriptingCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const commands: ScriptingCommands<"promise", string, number> = redis;
 * console.log(await commands.eval("return 1 + 1")); // → 2
 * ```
 */
export class ScriptingCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view's executor. */
  declare readonly [EXEC]: Executor<M>;

  /**
   * Runs a Lua script and returns what it returned. The script reads its
   * keys as `KEYS[1]`, ... and the other arguments as `ARGV[1]`, ...
   *
   * The reply is the script's value as Redis converts it (Lua numbers become
   * integers, tables arrays, `false` null, `{ err = "..." }` a nested
   * `ReplyError`), raw and untyped as `send()` returns it: narrow it
   * yourself. Bulk strings in it follow the view (`Uint8Array` on
   * `binary`); integers are numbers on every view, and `bigint`s only
   * beyond ±(2^53 − 1), so they are never rounded.
   *
   * @param script The Lua source.
   * @param keys The keys the script touches (a cluster routes by them).
   * @param args Its other arguments.
   * @returns The script's reply.
   * @throws {ReplyError} When the script fails or raises an error.
   * @see {@link https://redis.io/docs/latest/commands/eval/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const reply = await redis.eval(
   *   "return redis.call('SET', KEYS[1], ARGV[1])",
   *   ["greeting"],
   *   ["hello"],
   * );
   * console.log(reply); // → "OK"
   * ```
   */
  eval(
    script: string | Uint8Array,
    keys?: readonly RedisKey[],
    args?: readonly RedisArg[],
  ): Result<M, RespValue> {
    return this[EXEC].call(EVAL, scriptArgs(script, keys, args), scriptReply);
  }

  /**
   * As {@linkcode ScriptingCommands.eval}, for a script that only reads:
   * the server refuses any write it attempts, and may run it on a replica.
   *
   * @param script The Lua source.
   * @param keys The keys the script reads.
   * @param args Its other arguments.
   * @returns The script's reply.
   * @throws {ReplyError} When the script fails or attempts a write.
   * @see {@link https://redis.io/docs/latest/commands/eval_ro/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("greeting", "hello");
   * console.log(await redis.evalRo("return redis.call('GET', KEYS[1])", ["greeting"])); // → "hello"
   * ```
   */
  evalRo(
    script: string | Uint8Array,
    keys?: readonly RedisKey[],
    args?: readonly RedisArg[],
  ): Result<M, RespValue> {
    return this[EXEC].call(
      EVAL_RO,
      scriptArgs(script, keys, args),
      scriptReply,
    );
  }

  /**
   * Runs a script from the server's script cache by its SHA1 digest (from
   * {@linkcode ScriptingCommands.scriptLoad}) and returns what it returned,
   * as {@linkcode ScriptingCommands.eval} does.
   *
   * @param sha1 The script's SHA1 digest, in hex.
   * @param keys The keys the script touches.
   * @param args Its other arguments.
   * @returns The script's reply.
   * @throws {ReplyError} `NOSCRIPT` when the cache does not hold it (after a
   * restart or SCRIPT FLUSH), or when the script fails.
   * @see {@link https://redis.io/docs/latest/commands/evalsha/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const sha1 = await redis.scriptLoad("return ARGV[1] .. '!'");
   * console.log(await redis.evalsha(sha1, [], ["hi"])); // → "hi!"
   * ```
   */
  evalsha(
    sha1: string,
    keys?: readonly RedisKey[],
    args?: readonly RedisArg[],
  ): Result<M, RespValue> {
    return this[EXEC].call(
      EVALSHA,
      scriptArgs(sha1, keys, args),
      scriptReply,
    );
  }

  /**
   * As {@linkcode ScriptingCommands.evalsha}, for a script that only reads:
   * the server refuses any write it attempts.
   *
   * @param sha1 The script's SHA1 digest, in hex.
   * @param keys The keys the script reads.
   * @param args Its other arguments.
   * @returns The script's reply.
   * @throws {ReplyError} `NOSCRIPT` when the cache does not hold it, or when
   * the script fails or attempts a write.
   * @see {@link https://redis.io/docs/latest/commands/evalsha_ro/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const sha1 = await redis.scriptLoad("return redis.call('EXISTS', KEYS[1])");
   * console.log(await redis.evalshaRo(sha1, ["missing"])); // → 0
   * ```
   */
  evalshaRo(
    sha1: string,
    keys?: readonly RedisKey[],
    args?: readonly RedisArg[],
  ): Result<M, RespValue> {
    return this[EXEC].call(
      EVALSHA_RO,
      scriptArgs(sha1, keys, args),
      scriptReply,
    );
  }

  /**
   * Adds a script to the server's script cache without running it and
   * returns its SHA1 digest, for {@linkcode ScriptingCommands.evalsha}.
   *
   * @param script The Lua source.
   * @returns The SHA1 digest, in lower-case hex.
   * @throws {ReplyError} When the script does not compile.
   * @see {@link https://redis.io/docs/latest/commands/script-load/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.scriptLoad("return 1")); // → "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"
   * ```
   */
  scriptLoad(script: string | Uint8Array): Result<M, string> {
    return this[EXEC].call1(SCRIPT_LOAD, script, text);
  }

  /**
   * Tells, for each SHA1 digest, whether the script cache holds it.
   *
   * @param sha1s SHA1 digests, in hex.
   * @returns One boolean per digest, in order.
   * @see {@link https://redis.io/docs/latest/commands/script-exists/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const sha1 = await redis.scriptLoad("return 1");
   * console.log(await redis.scriptExists(sha1, "0000")); // → [true, false]
   * ```
   */
  scriptExists(...sha1s: string[]): Result<M, boolean[]> {
    return this[EXEC].call(SCRIPT_EXISTS, [...sha1s], flagArray);
  }

  /**
   * Empties the server's script cache (every client's scripts).
   *
   * @param mode `"ASYNC"` to free memory in the background, `"SYNC"` to wait;
   * the server's `lazyfree-lazy-user-flush` setting decides when omitted.
   * @returns `"OK"`.
   * @see {@link https://redis.io/docs/latest/commands/script-flush/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const sha1 = await redis.scriptLoad("return 1");
   * await redis.scriptFlush("SYNC");
   * console.log(await redis.scriptExists(sha1)); // → [false]
   * ```
   */
  scriptFlush(mode?: "ASYNC" | "SYNC"): Result<M, "OK"> {
    return this[EXEC].call(SCRIPT_FLUSH, mode === undefined ? [] : [mode], ok);
  }

  /**
   * Stops the Lua script running right now (started by EVAL or EVALSHA), if
   * it has not written anything yet; its caller gets an error.
   *
   * @returns `"OK"`.
   * @throws {ReplyError} `NOTBUSY` when no script is running; `UNKILLABLE`
   * when the script has already written (only SHUTDOWN NOSAVE stops it then).
   * @see {@link https://redis.io/docs/latest/commands/script-kill/}
   *
   * @example Usage
   * ```ts
   * import { connect, ReplyError } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * try {
   *   await redis.scriptKill();
   * } catch (error) {
   *   if (!(error instanceof ReplyError && error.code === "NOTBUSY")) throw error;
   * }
   * ```
   */
  scriptKill(): Result<M, "OK"> {
    return this[EXEC].call(SCRIPT_KILL, [], ok);
  }

  /**
   * Returns the server's help text for SCRIPT subcommands, one line each.
   *
   * @returns The lines of help.
   * @see {@link https://redis.io/docs/latest/commands/script-help/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log((await redis.scriptHelp()).join("\n"));
   * ```
   */
  scriptHelp(): Result<M, string[]> {
    return this[EXEC].call(SCRIPT_HELP, [], textArray);
  }
}
