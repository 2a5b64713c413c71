// Options of the scripting and function commands (EVAL, FCALL, FUNCTION LOAD,
// FUNCTION LIST, FUNCTION RESTORE) and the arguments they become.
// Pure functions, tested without a server.

import type { RedisArg } from "../resp/encoder.ts";
import type { RedisKey } from "./_base.ts";

/**
 * Options of {@linkcode FunctionCommands.functionLoad}.
 *
 * @example Usage
 * ```ts
 * import type { FunctionLoadOptions } from "@sleeve/redis";
 *
 * const options: FunctionLoadOptions = { replace: true };
 * console.log(options);
 * ```
 */
export interface FunctionLoadOptions {
  /**
   * Replace a library of the same name instead of failing.
   *
   * @default {false}
   */
  replace?: boolean;
}

/**
 * Options of {@linkcode FunctionCommands.functionList}.
 *
 * @example Usage
 * ```ts
 * import type { FunctionListOptions } from "@sleeve/redis";
 *
 * const options: FunctionListOptions = { libraryName: "billing*", withCode: true };
 * console.log(options);
 * ```
 */
export interface FunctionListOptions {
  /**
   * Only list libraries whose name matches this glob-style pattern.
   *
   * @default {undefined}
   */
  libraryName?: string;
  /**
   * Also return each library's source code (`libraryCode`).
   *
   * @default {false}
   */
  withCode?: boolean;
}

/**
 * What {@linkcode FunctionCommands.functionRestore} does with the libraries
 * already loaded: `"APPEND"` (the server's default) adds the restored ones
 * and fails on a name clash, `"REPLACE"` replaces the clashing ones,
 * `"FLUSH"` deletes every library first.
 *
 * @example Usage
 * ```ts
 * import type { FunctionRestorePolicy } from "@sleeve/redis";
 *
 * const policy: FunctionRestorePolicy = "REPLACE";
 * console.log(policy);
 * ```
 */
export type FunctionRestorePolicy = "FLUSH" | "APPEND" | "REPLACE";

/**
 * The arguments of EVAL-like commands after their name: the script, SHA1 or
 * function name, the number of keys, the keys, then the other arguments.
 */
export function scriptArgs(
  head: RedisArg,
  keys: readonly RedisKey[] | undefined,
  args: readonly RedisArg[] | undefined,
): RedisArg[] {
  const out: RedisArg[] = [head, keys === undefined ? 0 : keys.length];
  if (keys !== undefined) { for (const key of keys) out.push(key); }
  if (args !== undefined) { for (const arg of args) out.push(arg); }
  return out;
}

/** FUNCTION LOAD's arguments: `[REPLACE] code`. */
export function functionLoadArgs(
  code: string | Uint8Array,
  options: FunctionLoadOptions | undefined,
): RedisArg[] {
  return options?.replace ? ["REPLACE", code] : [code];
}

/** FUNCTION LIST's arguments: `[LIBRARYNAME pattern] [WITHCODE]`. */
export function functionListArgs(
  options: FunctionListOptions | undefined,
): RedisArg[] {
  const out: RedisArg[] = [];
  if (options?.libraryName !== undefined) {
    out.push("LIBRARYNAME", options.libraryName);
  }
  if (options?.withCode) out.push("WITHCODE");
  return out;
}
