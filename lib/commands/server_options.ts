// Options of the server commands (CONFIG SET, BGSAVE, LOLWUT, MEMORY USAGE,
// COMMAND LIST, ACL LOG) and the arguments they become. Pure functions,
// tested without a server.

import type { RedisArg } from "../resp/encoder.ts";
import type { RedisKey } from "./_base.ts";

/**
 * Configuration parameters for {@linkcode ServerCommands.configSet}: each
 * parameter's name and its new value.
 *
 * @example Usage
 * ```ts
 * import type { ConfigParameters } from "@sleeve/redis";
 *
 * const parameters: ConfigParameters = { maxmemory: "100mb", "maxmemory-policy": "allkeys-lru" };
 * console.log(parameters);
 * ```
 */
export type ConfigParameters = Readonly<Record<string, RedisArg>>;

/**
 * Options of {@linkcode ServerCommands.bgsave}.
 *
 * @example Usage
 * ```ts
 * import type { BgsaveOptions } from "@sleeve/redis";
 *
 * const options: BgsaveOptions = { schedule: true };
 * console.log(options);
 * ```
 */
export interface BgsaveOptions {
  /**
   * When an AOF rewrite is running, schedule the save to start after it
   * instead of failing.
   *
   * @default {false}
   */
  schedule?: boolean;
}

/**
 * Options of {@linkcode ServerCommands.lolwut}.
 *
 * @example Usage
 * ```ts
 * import type { LolwutOptions } from "@sleeve/redis";
 *
 * const options: LolwutOptions = { version: 5 };
 * console.log(options);
 * ```
 */
export interface LolwutOptions {
  /**
   * The artwork's version; the server's own version picks one by default.
   *
   * @default {undefined}
   */
  version?: number;
}

/**
 * Options of {@linkcode ServerIntrospectionCommands.memoryUsage}.
 *
 * @example Usage
 * ```ts
 * import type { MemoryUsageOptions } from "@sleeve/redis";
 *
 * const options: MemoryUsageOptions = { samples: 0 };
 * console.log(options);
 * ```
 */
export interface MemoryUsageOptions {
  /**
   * How many nested values to sample for an aggregate value; `0` samples
   * them all.
   *
   * @default {5}
   */
  samples?: number;
}

/**
 * Which commands {@linkcode ServerIntrospectionCommands.commandList} returns: those of a
 * module, of an ACL category, or whose name matches a glob-style pattern.
 *
 * @example Usage
 * ```ts
 * import type { CommandListFilter } from "@sleeve/redis";
 *
 * const filter: CommandListFilter = { aclcat: "geo" };
 * console.log(filter);
 * ```
 */
export type CommandListFilter =
  | { readonly module: string }
  | { readonly aclcat: string }
  | { readonly pattern: string };

/**
 * Options of {@linkcode ServerIntrospectionCommands.commandList}.
 *
 * @example Usage
 * ```ts
 * import type { CommandListOptions } from "@sleeve/redis";
 *
 * const options: CommandListOptions = { filterBy: { pattern: "xinfo*" } };
 * console.log(options);
 * ```
 */
export interface CommandListOptions {
  /**
   * Return only the commands this filter selects.
   *
   * @default {undefined}
   */
  filterBy?: CommandListFilter;
}

/**
 * Options of {@linkcode AclCommands.aclLog} when reading entries.
 *
 * @example Usage
 * ```ts
 * import type { AclLogOptions } from "@sleeve/redis";
 *
 * const options: AclLogOptions = { count: 5 };
 * console.log(options);
 * ```
 */
export interface AclLogOptions {
  /**
   * Return at most this many entries, the most recent first.
   *
   * @default {10}
   */
  count?: number;
}

/** Flattens CONFIG SET's parameters into name, value pairs. */
export function configSetArgs(parameters: ConfigParameters): RedisArg[] {
  const args: RedisArg[] = [];
  for (const name of Object.keys(parameters)) {
    args.push(name, parameters[name]!);
  }
  return args;
}

/** MEMORY USAGE's arguments. */
export function memoryUsageArgs(
  key: RedisKey,
  options: MemoryUsageOptions | undefined,
): RedisArg[] {
  return options?.samples === undefined
    ? [key]
    : [key, "SAMPLES", options.samples];
}

/** COMMAND LIST's arguments. */
export function commandListArgs(
  options: CommandListOptions | undefined,
): RedisArg[] {
  const filter = options?.filterBy;
  if (filter === undefined) return [];
  if ("module" in filter) return ["FILTERBY", "MODULE", filter.module];
  if ("aclcat" in filter) return ["FILTERBY", "ACLCAT", filter.aclcat];
  return ["FILTERBY", "PATTERN", filter.pattern];
}
