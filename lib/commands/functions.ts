// Functions: FCALL, FCALL_RO and FUNCTION * (LOAD, LIST, DUMP, RESTORE,
// STATS, ...). Lua scripts (EVAL, EVALSHA, SCRIPT *) are in scripting.ts.

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
import { ok, text, textArray } from "./_reply.ts";
import { command } from "./_command.ts";
import { scriptReply } from "./scripting.ts";
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

/** A bulk string read as bytes (the request asked for them). */
function bytes(value: RespValue): Uint8Array {
  if (value instanceof Uint8Array) return value;
  throw new TypeError(
    `expected bytes, received ${value === null ? "null" : typeof value}`,
  );
}

/**
 * Function commands: libraries of functions loaded once (FUNCTION LOAD)
 * and called by name (FCALL), listed, dumped, restored and deleted. Lua
 * scripts (EVAL, EVALSHA, SCRIPT *) are on {@linkcode ScriptingCommands}.
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
 * import { connect, type FunctionCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const functions: FunctionCommands<"promise", string, number> = redis;
 * console.log(await functions.functionList()); // → [] when none is loaded
 * ```
 */
export class FunctionCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view's executor. */
  declare readonly [EXEC]: Executor<M>;

  /**
   * Calls a function of a loaded library (see
   * {@linkcode FunctionCommands.functionLoad}) and returns what it
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
   * As {@linkcode FunctionCommands.fcall}, for a function registered with
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
   * {@linkcode FunctionCommands.functionRestore} (here or on another
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
   * {@linkcode FunctionCommands.functionDump}.
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
