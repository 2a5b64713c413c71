// The shapes of FUNCTION LIST and FUNCTION STATS replies, and their decoders:
// RESP3 maps and sets or RESP2 flat arrays become the same objects.

import type { RespValue } from "../resp/types.ts";
import type { Bulk } from "./_executor.ts";
import { array, bulkArray, safeInteger, text, textArray } from "./_reply.ts";

/**
 * One function of a library, as {@linkcode FunctionCommands.functionList}
 * describes it.
 *
 * @example Usage
 * ```ts
 * import type { FunctionInfo } from "@sleeve/redis";
 *
 * const info: FunctionInfo = { name: "hello", description: null, flags: ["no-writes"] };
 * console.log(info.flags.includes("no-writes")); // → true
 * ```
 */
export interface FunctionInfo {
  /** The function's name, as FCALL takes it. */
  name: string;
  /** The description it was registered with, or `null`. */
  description: string | null;
  /** Its flags, such as `"no-writes"` or `"allow-stale"`. */
  flags: string[];
}

/**
 * A library of functions, as {@linkcode FunctionCommands.functionList}
 * describes it.
 *
 * @example Usage
 * ```ts
 * import type { FunctionLibrary } from "@sleeve/redis";
 *
 * const library: FunctionLibrary = { libraryName: "mylib", engine: "LUA", functions: [] };
 * console.log(library.libraryName);
 * ```
 */
export interface FunctionLibrary {
  /** The library's name (from its `#!lua name=...` line). */
  libraryName: string;
  /** Its engine: `"LUA"`. */
  engine: string;
  /** The functions it registers. */
  functions: FunctionInfo[];
}

/**
 * A {@linkcode FunctionLibrary} with its source code, as
 * {@linkcode FunctionCommands.functionList} returns it with `withCode`.
 *
 * @example Usage
 * ```ts
 * import type { FunctionLibraryWithCode } from "@sleeve/redis";
 *
 * const library: FunctionLibraryWithCode = {
 *   libraryName: "mylib",
 *   engine: "LUA",
 *   functions: [],
 *   libraryCode: "#!lua name=mylib\n",
 * };
 * console.log(library.libraryCode);
 * ```
 */
export interface FunctionLibraryWithCode extends FunctionLibrary {
  /** The library's source code, as it was loaded. */
  libraryCode: string;
}

/**
 * The function running right now, as
 * {@linkcode FunctionCommands.functionStats} reports it.
 *
 * @typeParam B The type of bulk strings (the command's arguments).
 *
 * @example Usage
 * ```ts
 * import type { RunningFunction } from "@sleeve/redis";
 *
 * const running: RunningFunction = { name: "spin", command: ["FCALL", "spin", "0"], durationMs: 1200 };
 * console.log(running.durationMs);
 * ```
 */
export interface RunningFunction<B extends Bulk = string> {
  /** The function's name. */
  name: string;
  /** The command that called it, with its arguments (`FCALL name numkeys ...`). */
  command: B[];
  /** How long it has been running, in milliseconds. */
  durationMs: number;
}

/**
 * The counts of one function engine, as
 * {@linkcode FunctionCommands.functionStats} reports them.
 *
 * @example Usage
 * ```ts
 * import type { FunctionEngineStats } from "@sleeve/redis";
 *
 * const lua: FunctionEngineStats = { librariesCount: 1, functionsCount: 2 };
 * console.log(lua.functionsCount);
 * ```
 */
export interface FunctionEngineStats {
  /** How many libraries the engine has loaded. */
  librariesCount: number;
  /** How many functions those libraries register. */
  functionsCount: number;
}

/**
 * {@linkcode FunctionCommands.functionStats}'s reply.
 *
 * @typeParam B The type of bulk strings (the running command's arguments).
 *
 * @example Usage
 * ```ts
 * import type { FunctionStats } from "@sleeve/redis";
 *
 * const stats: FunctionStats = {
 *   runningScript: null,
 *   engines: { LUA: { librariesCount: 1, functionsCount: 2 } },
 * };
 * console.log(stats.engines.LUA?.functionsCount); // → 2
 * ```
 */
export interface FunctionStats<B extends Bulk = string> {
  /** The function running right now, or `null`. */
  runningScript: RunningFunction<B> | null;
  /** Counts per engine, by engine name (`"LUA"`). */
  engines: Record<string, FunctionEngineStats>;
}

/** A RESP3 map or a RESP2 flat array of name/value pairs, by text name. */
function fields(value: RespValue): Map<string, RespValue> {
  const out = new Map<string, RespValue>();
  if (value instanceof Map) {
    for (const [k, v] of value) out.set(text(k), v);
    return out;
  }
  const items = array(value);
  if (items.length % 2 !== 0) {
    throw new TypeError("expected name/value pairs, received an odd count");
  }
  for (let i = 0; i < items.length; i += 2) {
    out.set(text(items[i]!), items[i + 1]!);
  }
  return out;
}

/** The value of a field that must be there. */
function field(map: Map<string, RespValue>, name: string): RespValue {
  const value = map.get(name);
  if (value === undefined) {
    throw new TypeError(`expected a "${name}" field, received none`);
  }
  return value;
}

function functionInfo(value: RespValue): FunctionInfo {
  const map = fields(value);
  const description = field(map, "description");
  return {
    name: text(field(map, "name")),
    description: description === null ? null : text(description),
    flags: textArray(field(map, "flags")),
  };
}

function functionLibrary(map: Map<string, RespValue>): FunctionLibrary {
  return {
    libraryName: text(field(map, "library_name")),
    engine: text(field(map, "engine")),
    functions: array(field(map, "functions")).map(functionInfo),
  };
}

/** FUNCTION LIST's reply. */
export function functionLibraries(value: RespValue): FunctionLibrary[] {
  return array(value).map((item) => functionLibrary(fields(item)));
}

/** FUNCTION LIST WITHCODE's reply. */
export function functionLibrariesWithCode(
  value: RespValue,
): FunctionLibraryWithCode[] {
  return array(value).map((item) => {
    const map = fields(item);
    return {
      ...functionLibrary(map),
      libraryCode: text(field(map, "library_code")),
    };
  });
}

/** FUNCTION STATS' reply. */
export function functionStats<B extends Bulk>(
  value: RespValue,
): FunctionStats<B> {
  const map = fields(value);
  const running = field(map, "running_script");
  let runningScript: RunningFunction<B> | null = null;
  if (running !== null) {
    const script = fields(running);
    runningScript = {
      name: text(field(script, "name")),
      command: bulkArray<B>(field(script, "command")),
      durationMs: safeInteger(field(script, "duration_ms")),
    };
  }
  const engines: Record<string, FunctionEngineStats> = Object.create(null);
  for (const [name, counts] of fields(field(map, "engines"))) {
    const engine = fields(counts);
    engines[name] = {
      librariesCount: safeInteger(field(engine, "libraries_count")),
      functionsCount: safeInteger(field(engine, "functions_count")),
    };
  }
  return { runningScript, engines };
}
