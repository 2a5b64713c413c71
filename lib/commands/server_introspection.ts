// Server introspection: MEMORY, SLOWLOG, LATENCY and COMMAND (the command
// table and its docs). The other server commands are in server.ts and acl.ts.

import type { RedisArg } from "../resp/encoder.ts";
import type { RedisKey } from "./_base.ts";
import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Mode,
  type Result,
} from "./_executor.ts";
import { bulkArray, integer, integerOrNull, ok, text } from "./_reply.ts";
import { command } from "./_command.ts";
import {
  commandListArgs,
  type CommandListOptions,
  memoryUsageArgs,
  type MemoryUsageOptions,
} from "./server_options.ts";
import {
  type CommandDocs,
  commandDocs,
  type CommandInfo,
  commandInfos,
  type KeyFlags,
  keysAndFlags,
} from "./command_replies.ts";
import {
  type LatencyHistogram,
  latencyHistograms,
  type LatencyLatest,
  latencyLatest,
  type LatencySample,
  latencySamples,
  type MemoryStats,
  memoryStats,
  slowlogEntries,
  type SlowlogEntry,
} from "./server_introspection_replies.ts";
import { textArray } from "./server_replies.ts";

const COMMAND_COUNT = command("COMMAND COUNT");
const COMMAND_DOCS = command("COMMAND DOCS");
const COMMAND_GETKEYS = command("COMMAND GETKEYS");
const COMMAND_GETKEYSANDFLAGS = command("COMMAND GETKEYSANDFLAGS");
const COMMAND_HELP = command("COMMAND HELP");
const COMMAND_INFO = command("COMMAND INFO");
const COMMAND_LIST = command("COMMAND LIST");
const LATENCY_DOCTOR = command("LATENCY DOCTOR");
const LATENCY_GRAPH = command("LATENCY GRAPH");
const LATENCY_HELP = command("LATENCY HELP");
const LATENCY_HISTOGRAM = command("LATENCY HISTOGRAM");
const LATENCY_HISTORY = command("LATENCY HISTORY");
const LATENCY_LATEST = command("LATENCY LATEST");
const LATENCY_RESET = command("LATENCY RESET");
const MEMORY_DOCTOR = command("MEMORY DOCTOR");
const MEMORY_HELP = command("MEMORY HELP");
const MEMORY_MALLOC_STATS = command("MEMORY MALLOC-STATS");
const MEMORY_PURGE = command("MEMORY PURGE");
const MEMORY_STATS = command("MEMORY STATS");
const MEMORY_USAGE = command("MEMORY USAGE");
const SLOWLOG_GET = command("SLOWLOG GET");
const SLOWLOG_HELP = command("SLOWLOG HELP");
const SLOWLOG_LEN = command("SLOWLOG LEN");
const SLOWLOG_RESET = command("SLOWLOG RESET");

/**
 * Server introspection: memory use (MEMORY), slow commands (SLOWLOG),
 * latency events (LATENCY), and the server's command table (COMMAND).
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type ServerIntrospectionCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const introspection: ServerIntrospectionCommands<"promise", string, number> =
 *   redis;
 * console.log(await introspection.slowlogLen()); // → 0
 * ```
 */
export class ServerIntrospectionCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view\'s executor. */
  declare readonly [EXEC]: Executor<M>;

  // -------------------------------------------------------------------------
  // MEMORY

  /**
   * Returns the server's advice on its memory use.
   *
   * @returns The report.
   * @see {@link https://redis.io/docs/latest/commands/memory-doctor/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.memoryDoctor());
   * ```
   */
  memoryDoctor(): Result<M, string> {
    return this[EXEC].call(MEMORY_DOCTOR, [], text);
  }

  /**
   * Returns the server's help text for MEMORY.
   *
   * @returns The help lines.
   * @see {@link https://redis.io/docs/latest/commands/memory-help/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log((await redis.memoryHelp()).join("\n"));
   * ```
   */
  memoryHelp(): Result<M, string[]> {
    return this[EXEC].call(MEMORY_HELP, [], textArray);
  }

  /**
   * Returns the memory allocator's own statistics report.
   *
   * @returns The report (jemalloc's text, or a note when the allocator has none).
   * @see {@link https://redis.io/docs/latest/commands/memory-malloc-stats/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.memoryMallocStats());
   * ```
   */
  memoryMallocStats(): Result<M, string> {
    return this[EXEC].call(MEMORY_MALLOC_STATS, [], text);
  }

  /**
   * Asks the memory allocator to release unused memory to the system.
   *
   * @returns `"OK"`.
   * @see {@link https://redis.io/docs/latest/commands/memory-purge/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.memoryPurge();
   * ```
   */
  memoryPurge(): Result<M, "OK"> {
    return this[EXEC].call(MEMORY_PURGE, [], ok);
  }

  /**
   * Returns the server's memory statistics.
   *
   * @returns The statistics, by the server's field names.
   * @see {@link https://redis.io/docs/latest/commands/memory-stats/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const stats = await redis.memoryStats();
   * console.log(stats["total.allocated"], stats["dataset.percentage"]);
   * ```
   */
  memoryStats(): Result<M, MemoryStats> {
    return this[EXEC].call(MEMORY_STATS, [], memoryStats);
  }

  /**
   * Returns how many bytes `key` and its value take in memory, or `null`
   * when the key does not exist.
   *
   * @param key The key.
   * @param options How many nested values to `samples` (0: all).
   * @returns The size in bytes, or `null`.
   * @see {@link https://redis.io/docs/latest/commands/memory-usage/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("greeting", "hello");
   * console.log(await redis.memoryUsage("greeting", { samples: 0 })); // → a size in bytes
   * ```
   */
  memoryUsage(
    key: RedisKey,
    options?: MemoryUsageOptions,
  ): Result<M, I | null> {
    return this[EXEC].call(
      MEMORY_USAGE,
      memoryUsageArgs(key, options),
      integerOrNull<I>,
    );
  }

  // -------------------------------------------------------------------------
  // SLOWLOG

  /**
   * Returns the newest entries of the slow log, newest first.
   *
   * @param count How many entries (10 by default; -1 for all).
   * @returns The entries.
   * @see {@link https://redis.io/docs/latest/commands/slowlog-get/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * for (const entry of await redis.slowlogGet(5)) {
   *   console.log(entry.id, entry.duration, entry.args);
   * }
   * ```
   */
  slowlogGet(count?: number): Result<M, SlowlogEntry<B>[]> {
    return this[EXEC].call(
      SLOWLOG_GET,
      count === undefined ? [] : [count],
      slowlogEntries<B>,
    );
  }

  /**
   * Returns how many entries the slow log holds.
   *
   * @returns The number of entries.
   * @see {@link https://redis.io/docs/latest/commands/slowlog-len/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.slowlogLen());
   * ```
   */
  slowlogLen(): Result<M, I> {
    return this[EXEC].call(SLOWLOG_LEN, [], integer<I>);
  }

  /**
   * Empties the slow log.
   *
   * @returns `"OK"`.
   * @see {@link https://redis.io/docs/latest/commands/slowlog-reset/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.slowlogReset();
   * ```
   */
  slowlogReset(): Result<M, "OK"> {
    return this[EXEC].call(SLOWLOG_RESET, [], ok);
  }

  /**
   * Returns the server's help text for SLOWLOG.
   *
   * @returns The help lines.
   * @see {@link https://redis.io/docs/latest/commands/slowlog-help/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log((await redis.slowlogHelp()).join("\n"));
   * ```
   */
  slowlogHelp(): Result<M, string[]> {
    return this[EXEC].call(SLOWLOG_HELP, [], textArray);
  }

  // -------------------------------------------------------------------------
  // LATENCY

  /**
   * Returns the server's analysis of the latency spikes it recorded, with advice.
   *
   * @returns The report.
   * @see {@link https://redis.io/docs/latest/commands/latency-doctor/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.latencyDoctor());
   * ```
   */
  latencyDoctor(): Result<M, string> {
    return this[EXEC].call(LATENCY_DOCTOR, [], text);
  }

  /**
   * Returns an ASCII-art graph of an event's latency spikes.
   *
   * @param event The event, such as `"command"`.
   * @returns The graph.
   * @throws {ReplyError} When the event has no samples.
   * @see {@link https://redis.io/docs/latest/commands/latency-graph/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.latencyGraph("command"));
   * ```
   */
  latencyGraph(event: string): Result<M, string> {
    return this[EXEC].call1(LATENCY_GRAPH, event, text);
  }

  /**
   * Returns the latency histograms of commands: each command's calls and
   * how many took at most each power of two microseconds.
   *
   * @param commands The commands (all that ran when none).
   * @returns Each command's histogram, by name (commands that never ran are left out).
   * @see {@link https://redis.io/docs/latest/commands/latency-histogram/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("a", "1");
   * const { set } = await redis.latencyHistogram("set");
   * console.log(set?.calls, set?.histogramUsec); // → 1 { "16": 1 }
   * ```
   */
  latencyHistogram(
    ...commands: string[]
  ): Result<M, Record<string, LatencyHistogram>> {
    return this[EXEC].call(LATENCY_HISTOGRAM, [...commands], latencyHistograms);
  }

  /**
   * Returns an event's recorded latency spikes, oldest first.
   *
   * @param event The event, such as `"command"`.
   * @returns The spikes: when, and how many milliseconds.
   * @see {@link https://redis.io/docs/latest/commands/latency-history/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * for (const { timestamp, latency } of await redis.latencyHistory("command")) {
   *   console.log(new Date(timestamp * 1000), latency);
   * }
   * ```
   */
  latencyHistory(event: string): Result<M, LatencySample[]> {
    return this[EXEC].call1(LATENCY_HISTORY, event, latencySamples);
  }

  /**
   * Returns the latest and largest latency spike of each event.
   *
   * @returns One entry per event.
   * @see {@link https://redis.io/docs/latest/commands/latency-latest/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * for (const { event, latest, max } of await redis.latencyLatest()) {
   *   console.log(event, latest, max);
   * }
   * ```
   */
  latencyLatest(): Result<M, LatencyLatest[]> {
    return this[EXEC].call(LATENCY_LATEST, [], latencyLatest);
  }

  /**
   * Forgets the latency spikes of the given events, or of all.
   *
   * @param events The events (all when none).
   * @returns How many events were reset.
   * @see {@link https://redis.io/docs/latest/commands/latency-reset/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.latencyReset()); // → 0
   * ```
   */
  latencyReset(...events: string[]): Result<M, I> {
    return this[EXEC].call(LATENCY_RESET, [...events], integer<I>);
  }

  /**
   * Returns the server's help text for LATENCY.
   *
   * @returns The help lines.
   * @see {@link https://redis.io/docs/latest/commands/latency-help/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log((await redis.latencyHelp()).join("\n"));
   * ```
   */
  latencyHelp(): Result<M, string[]> {
    return this[EXEC].call(LATENCY_HELP, [], textArray);
  }

  // -------------------------------------------------------------------------
  // COMMAND

  /**
   * Returns how many commands the server has (subcommands not counted).
   *
   * @returns The number of commands.
   * @see {@link https://redis.io/docs/latest/commands/command-count/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.commandCount()); // → 240
   * ```
   */
  commandCount(): Result<M, I> {
    return this[EXEC].call(COMMAND_COUNT, [], integer<I>);
  }

  /**
   * Returns the documentation of commands: summary, complexity, history,
   * arguments and subcommands.
   *
   * @param names The commands (all when none); unknown names are left out.
   * @returns Each command's documentation, by lower-case name.
   * @see {@link https://redis.io/docs/latest/commands/command-docs/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const { set } = await redis.commandDocs("set");
   * console.log(set?.summary, set?.arguments.map((argument) => argument.token ?? argument.name));
   * ```
   */
  commandDocs(...names: string[]): Result<M, Record<string, CommandDocs>> {
    return this[EXEC].call(COMMAND_DOCS, [...names], commandDocs);
  }

  /**
   * Returns the keys a command would use, as the server finds them in its arguments.
   *
   * @param command The command's name (`"SET"`, or a container such as `"OBJECT"`).
   * @param args Its arguments (a container's subcommand first).
   * @returns The keys.
   * @throws {ReplyError} When the command is unknown or takes no keys.
   * @see {@link https://redis.io/docs/latest/commands/command-getkeys/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.commandGetkeys("MSET", "a", "1", "b", "2")); // → ["a", "b"]
   * ```
   */
  commandGetkeys(command: string, ...args: RedisArg[]): Result<M, B[]> {
    return this[EXEC].call(COMMAND_GETKEYS, [command, ...args], bulkArray<B>);
  }

  /**
   * Returns the keys a command would use and what it would do to each.
   *
   * @param command The command's name.
   * @param args Its arguments.
   * @returns Each key with its flags (`"RW"`, `"access"`, `"insert"`, ...).
   * @throws {ReplyError} When the command is unknown or takes no keys.
   * @see {@link https://redis.io/docs/latest/commands/command-getkeysandflags/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const keys = await redis.commandGetkeysandflags("LMOVE", "a", "b", "LEFT", "RIGHT");
   * console.log(keys[1]); // → { key: "b", flags: ["RW", "insert"] }
   * ```
   */
  commandGetkeysandflags(
    command: string,
    ...args: RedisArg[]
  ): Result<M, KeyFlags<B>[]> {
    return this[EXEC].call(
      COMMAND_GETKEYSANDFLAGS,
      [command, ...args],
      keysAndFlags<B>,
    );
  }

  /**
   * Describes commands: arity, flags, key positions and specs, ACL
   * categories, tips, subcommands.
   *
   * @param names The commands (all when none).
   * @returns One description per name, `null` for an unknown one.
   * @see {@link https://redis.io/docs/latest/commands/command-info/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const [get, nothing] = await redis.commandInfo("get", "no-such-command");
   * console.log(get?.arity, get?.aclCategories, nothing); // → 2 ["@read", "@string", "@fast"] null
   * ```
   */
  commandInfo(...names: string[]): Result<M, (CommandInfo | null)[]> {
    return this[EXEC].call(COMMAND_INFO, [...names], commandInfos);
  }

  /**
   * Returns the names of the server's commands and subcommands, optionally
   * only those of a module, of an ACL category, or matching a pattern.
   *
   * @param options `filterBy`: `{ module }`, `{ aclcat }` or `{ pattern }`.
   * @returns The names (`container|sub` for subcommands).
   * @see {@link https://redis.io/docs/latest/commands/command-list/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.commandList({ filterBy: { pattern: "xinfo*" } }));
   * // → ["xinfo", "xinfo|help", "xinfo|stream", "xinfo|consumers", "xinfo|groups"]
   * ```
   */
  commandList(options?: CommandListOptions): Result<M, string[]> {
    return this[EXEC].call(COMMAND_LIST, commandListArgs(options), textArray);
  }

  /**
   * Returns the server's help text for COMMAND.
   *
   * @returns The help lines.
   * @see {@link https://redis.io/docs/latest/commands/command-help/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log((await redis.commandHelp()).join("\n"));
   * ```
   */
  commandHelp(): Result<M, string[]> {
    return this[EXEC].call(COMMAND_HELP, [], textArray);
  }
}
