// Scripting and functions: EVAL, EVALSHA, FCALL, SCRIPT *, FUNCTION *.

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
import {
  functionListArgs,
  type FunctionListOptions,
  functionLoadArgs,
  type FunctionLoadOptions,
  type FunctionRestorePolicy,
  scriptArgs,
} from "./scripting_options.ts";
import {
  functionLibraries,
  functionLibrariesWithCode,
  type FunctionLibrary,
  type FunctionLibraryWithCode,
  type FunctionStats,
  functionStats,
} from "./scripting_replies.ts";

const EVAL = command("EVAL");
const EVAL_RO = command("EVAL_RO");
const EVALSHA = command("EVALSHA");
const EVALSHA_RO = command("EVALSHA_RO");
const FCALL = command("FCALL");
const FCALL_RO = command("FCALL_RO");
const FUNCTION_DELETE = command("FUNCTION DELETE");
const FUNCTION_DUMP = command("FUNCTION DUMP");
const FUNCTION_FLUSH = command("FUNCTION FLUSH");
const FUNCTION_HELP = command("FUNCTION HELP");
const FUNCTION_KILL = command("FUNCTION KILL");
const FUNCTION_LIST = command("FUNCTION LIST");
const FUNCTION_LOAD = command("FUNCTION LOAD");
const FUNCTION_RESTORE = command("FUNCTION RESTORE");
const FUNCTION_STATS = command("FUNCTION STATS");
const SCRIPT_EXISTS = command("SCRIPT EXISTS");
const SCRIPT_FLUSH = command("SCRIPT FLUSH");
const SCRIPT_HELP = command("SCRIPT HELP");
const SCRIPT_KILL = command("SCRIPT KILL");
const SCRIPT_LOAD = command("SCRIPT LOAD");

/** A script's reply, as it came: a script can return anything. */
function scriptReply(value: RespValue): RespValue {
  return value;
}

/** A bulk string read as bytes (the request asked for them). */
function bytes(value: RespValue): Uint8Array {
  if (value instanceof Uint8Array) return value;
  throw new TypeError(
    `expected bytes, received ${value === null ? "null" : typeof value}`,
  );
}

/**
 * Scripting and function commands: Lua scripts (EVAL, EVALSHA, SCRIPT *)
 * and function libraries (FCALL, FUNCTION *). For scripts run by their
 * SHA1 with a transparent fallback, see `redis.script()`.
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
   * Calls a function of a loaded library (see
   * {@linkcode ScriptingCommands.functionLoad}) and returns what it
   * returned, raw and untyped as {@linkcode ScriptingCommands.eval} does.
   *
   * @param name The function's name.
   * @param keys The keys the function touches.
   * @param args Its other arguments.
   * @returns The function's reply.
   * @throws {ReplyError} When no such function is loaded, or it fails.
   * @see {@link https://redis.io/docs/latest/commands/fcall/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.functionLoad(
   *   "#!lua name=counters\n" +
   *     "redis.register_function('bump', function(keys, args) " +
   *     "return redis.call('INCRBY', keys[1], args[1]) end)",
   *   { replace: true },
   * );
   * console.log(await redis.fcall("bump", ["hits"], [5])); // → 5 (on a fresh key)
   * ```
   */
  fcall(
    name: string,
    keys?: readonly RedisKey[],
    args?: readonly RedisArg[],
  ): Result<M, RespValue> {
    return this[EXEC].call(FCALL, scriptArgs(name, keys, args), scriptReply);
  }

  /**
   * As {@linkcode ScriptingCommands.fcall}, for a function registered with
   * the `no-writes` flag (any other is refused).
   *
   * @param name The function's name.
   * @param keys The keys the function reads.
   * @param args Its other arguments.
   * @returns The function's reply.
   * @throws {ReplyError} When no such function is loaded, it lacks the
   * `no-writes` flag, or it fails.
   * @see {@link https://redis.io/docs/latest/commands/fcall_ro/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.functionLoad(
   *   "#!lua name=readers\n" +
   *     "redis.register_function{function_name='peek', flags={'no-writes'}, " +
   *     "callback=function(keys) return redis.call('GET', keys[1]) end}",
   *   { replace: true },
   * );
   * await redis.set("greeting", "hello");
   * console.log(await redis.fcallRo("peek", ["greeting"])); // → "hello"
   * ```
   */
  fcallRo(
    name: string,
    keys?: readonly RedisKey[],
    args?: readonly RedisArg[],
  ): Result<M, RespValue> {
    return this[EXEC].call(
      FCALL_RO,
      scriptArgs(name, keys, args),
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

  /**
   * Loads a library of functions (its code starts with a
   * `#!lua name=<library>` line) and returns the library's name.
   *
   * @param code The library's source.
   * @param options Whether to replace a library of the same name.
   * @returns The library's name.
   * @throws {ReplyError} When the code does not compile or registers
   * nothing, or the library exists and `replace` is not set.
   * @see {@link https://redis.io/docs/latest/commands/function-load/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const name = await redis.functionLoad(
   *   "#!lua name=greetings\n" +
   *     "redis.register_function('greet', function(keys, args) return 'hi ' .. args[1] end)",
   *   { replace: true },
   * );
   * console.log(name, await redis.fcall("greet", [], ["ann"])); // → "greetings" "hi ann"
   * ```
   */
  functionLoad(
    code: string | Uint8Array,
    options?: FunctionLoadOptions,
  ): Result<M, string> {
    return this[EXEC].call(
      FUNCTION_LOAD,
      functionLoadArgs(code, options),
      text,
    );
  }

  /**
   * Deletes a library and its functions.
   *
   * @param libraryName The library's name.
   * @returns `"OK"`.
   * @throws {ReplyError} When no such library is loaded.
   * @see {@link https://redis.io/docs/latest/commands/function-delete/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.functionLoad(
   *   "#!lua name=scratch\nredis.register_function('noop', function() return 0 end)",
   *   { replace: true },
   * );
   * await redis.functionDelete("scratch");
   * console.log(await redis.functionList({ libraryName: "scratch" })); // → []
   * ```
   */
  functionDelete(libraryName: string): Result<M, "OK"> {
    return this[EXEC].call1(FUNCTION_DELETE, libraryName, ok);
  }

  /**
   * Returns every loaded library as one opaque payload, for
   * {@linkcode ScriptingCommands.functionRestore} (here or on another
   * server). It is always bytes, whatever the view.
   *
   * @returns The payload.
   * @see {@link https://redis.io/docs/latest/commands/function-dump/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const payload = await redis.functionDump();
   * await redis.functionRestore(payload, "REPLACE");
   * console.log(payload instanceof Uint8Array); // → true
   * ```
   */
  functionDump(): Result<M, Uint8Array> {
    return this[EXEC].callBytes(FUNCTION_DUMP, [], bytes);
  }

  /**
   * Loads the libraries of a payload from
   * {@linkcode ScriptingCommands.functionDump}.
   *
   * @param payload The payload.
   * @param policy What to do with the libraries already loaded: `"APPEND"`
   * (the default) fails on a name clash, `"REPLACE"` replaces the clashing
   * ones, `"FLUSH"` deletes them all first.
   * @returns `"OK"`.
   * @throws {ReplyError} When the payload is invalid or, with `"APPEND"`, a
   * library of the same name is loaded.
   * @see {@link https://redis.io/docs/latest/commands/function-restore/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const payload = await redis.functionDump();
   * await redis.functionFlush();
   * console.log(await redis.functionRestore(payload)); // → "OK"
   * ```
   */
  functionRestore(
    payload: Uint8Array,
    policy?: FunctionRestorePolicy,
  ): Result<M, "OK"> {
    return this[EXEC].call(
      FUNCTION_RESTORE,
      policy === undefined ? [payload] : [payload, policy],
      ok,
    );
  }

  /**
   * Deletes every library.
   *
   * @param mode `"ASYNC"` to free memory in the background, `"SYNC"` to wait;
   * the server's `lazyfree-lazy-user-flush` setting decides when omitted.
   * @returns `"OK"`.
   * @see {@link https://redis.io/docs/latest/commands/function-flush/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.functionFlush("SYNC");
   * console.log(await redis.functionList()); // → []
   * ```
   */
  functionFlush(mode?: "ASYNC" | "SYNC"): Result<M, "OK"> {
    return this[EXEC].call(
      FUNCTION_FLUSH,
      mode === undefined ? [] : [mode],
      ok,
    );
  }

  /**
   * Stops the function running right now, if it has not written anything
   * yet; its caller gets an error.
   *
   * @returns `"OK"`.
   * @throws {ReplyError} `NOTBUSY` when no function is running;
   * `UNKILLABLE` when it has already written.
   * @see {@link https://redis.io/docs/latest/commands/function-kill/}
   *
   * @example Usage
   * ```ts
   * import { connect, ReplyError } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * try {
   *   await redis.functionKill();
   * } catch (error) {
   *   if (!(error instanceof ReplyError && error.code === "NOTBUSY")) throw error;
   * }
   * ```
   */
  functionKill(): Result<M, "OK"> {
    return this[EXEC].call(FUNCTION_KILL, [], ok);
  }

  /**
   * Describes the loaded libraries and their functions, with their source
   * code when `withCode` is set.
   *
   * @param options A library name pattern, and whether to include code.
   * @returns The libraries, with their code.
   * @see {@link https://redis.io/docs/latest/commands/function-list/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * for (const library of await redis.functionList({ withCode: true })) {
   *   console.log(library.libraryName, library.libraryCode.length);
   * }
   * ```
   */
  functionList(
    options: FunctionListOptions & { withCode: true },
  ): Result<M, FunctionLibraryWithCode[]>;
  /**
   * Describes the loaded libraries and their functions.
   *
   * @param options A library name pattern (and `withCode`).
   * @returns The libraries.
   * @see {@link https://redis.io/docs/latest/commands/function-list/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * for (const library of await redis.functionList({ libraryName: "my*" })) {
   *   console.log(library.libraryName, library.functions.map((f) => f.name));
   * }
   * ```
   */
  functionList(
    options?: FunctionListOptions,
  ): Result<M, FunctionLibrary[]>;
  functionList(
    options?: FunctionListOptions,
  ): Result<M, FunctionLibrary[]> | Result<M, FunctionLibraryWithCode[]> {
    const args = functionListArgs(options);
    return options?.withCode
      ? this[EXEC].call(FUNCTION_LIST, args, functionLibrariesWithCode)
      : this[EXEC].call(FUNCTION_LIST, args, functionLibraries);
  }

  /**
   * Reports the function running right now, if any, and how many libraries
   * and functions each engine has loaded.
   *
   * @returns The running function (or `null`) and the counts per engine.
   * @see {@link https://redis.io/docs/latest/commands/function-stats/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const stats = await redis.functionStats();
   * console.log(stats.runningScript, stats.engines.LUA?.functionsCount);
   * ```
   */
  functionStats(): Result<M, FunctionStats<B>> {
    return this[EXEC].call(FUNCTION_STATS, [], functionStats<B>);
  }

  /**
   * Returns the server's help text for FUNCTION subcommands, one line each.
   *
   * @returns The lines of help.
   * @see {@link https://redis.io/docs/latest/commands/function-help/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log((await redis.functionHelp()).join("\n"));
   * ```
   */
  functionHelp(): Result<M, string[]> {
    return this[EXEC].call(FUNCTION_HELP, [], textArray);
  }
}
