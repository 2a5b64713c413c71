// Server introspection and administration: INFO, CONFIG, TIME, DBSIZE,
// persistence (SAVE, BGSAVE, LASTSAVE, BGREWRITEAOF), ROLE, MEMORY, SLOWLOG,
// LATENCY, COMMAND, ACL, LOLWUT, FLUSHDB/FLUSHALL, and WAIT for replicas.

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
  type AclLogOptions,
  type BgsaveOptions,
  commandListArgs,
  type CommandListOptions,
  type ConfigParameters,
  configSetArgs,
  type LolwutOptions,
  memoryUsageArgs,
  type MemoryUsageOptions,
} from "./server_options.ts";
import {
  aclLogEntries,
  type AclLogEntry,
  type AclUser,
  aclUser,
  type CommandDocs,
  commandDocs,
  type CommandInfo,
  commandInfos,
  type InfoSections,
  infoSections,
  type KeyFlags,
  keysAndFlags,
  type LatencyHistogram,
  latencyHistograms,
  type LatencyLatest,
  latencyLatest,
  type LatencySample,
  latencySamples,
  type MemoryStats,
  memoryStats,
  type Role,
  role,
  type ServerTime,
  serverTime,
  slowlogEntries,
  type SlowlogEntry,
  textArray,
  textRecord,
} from "./server_replies.ts";

const ACL_CAT = command("ACL CAT");
const ACL_DELUSER = command("ACL DELUSER");
const ACL_DRYRUN = command("ACL DRYRUN");
const ACL_GENPASS = command("ACL GENPASS");
const ACL_GETUSER = command("ACL GETUSER");
const ACL_HELP = command("ACL HELP");
const ACL_LIST = command("ACL LIST");
const ACL_LOAD = command("ACL LOAD");
const ACL_LOG = command("ACL LOG");
const ACL_SAVE = command("ACL SAVE");
const ACL_SETUSER = command("ACL SETUSER");
const ACL_USERS = command("ACL USERS");
const ACL_WHOAMI = command("ACL WHOAMI");
const BGREWRITEAOF = command("BGREWRITEAOF");
const BGSAVE = command("BGSAVE");
const COMMAND_COUNT = command("COMMAND COUNT");
const COMMAND_DOCS = command("COMMAND DOCS");
const COMMAND_GETKEYS = command("COMMAND GETKEYS");
const COMMAND_GETKEYSANDFLAGS = command("COMMAND GETKEYSANDFLAGS");
const COMMAND_HELP = command("COMMAND HELP");
const COMMAND_INFO = command("COMMAND INFO");
const COMMAND_LIST = command("COMMAND LIST");
const CONFIG_GET = command("CONFIG GET");
const CONFIG_HELP = command("CONFIG HELP");
const CONFIG_RESETSTAT = command("CONFIG RESETSTAT");
const CONFIG_REWRITE = command("CONFIG REWRITE");
const CONFIG_SET = command("CONFIG SET");
const DBSIZE = command("DBSIZE");
const FLUSHALL = command("FLUSHALL");
const FLUSHDB = command("FLUSHDB");
const INFO = command("INFO");
const LASTSAVE = command("LASTSAVE");
const LATENCY_DOCTOR = command("LATENCY DOCTOR");
const LATENCY_GRAPH = command("LATENCY GRAPH");
const LATENCY_HELP = command("LATENCY HELP");
const LATENCY_HISTOGRAM = command("LATENCY HISTOGRAM");
const LATENCY_HISTORY = command("LATENCY HISTORY");
const LATENCY_LATEST = command("LATENCY LATEST");
const LATENCY_RESET = command("LATENCY RESET");
const LOLWUT = command("LOLWUT");
const MEMORY_DOCTOR = command("MEMORY DOCTOR");
const MEMORY_HELP = command("MEMORY HELP");
const MEMORY_MALLOC_STATS = command("MEMORY MALLOC-STATS");
const MEMORY_PURGE = command("MEMORY PURGE");
const MEMORY_STATS = command("MEMORY STATS");
const MEMORY_USAGE = command("MEMORY USAGE");
const ROLE = command("ROLE");
const SAVE = command("SAVE");
const SLOWLOG_GET = command("SLOWLOG GET");
const SLOWLOG_HELP = command("SLOWLOG HELP");
const SLOWLOG_LEN = command("SLOWLOG LEN");
const SLOWLOG_RESET = command("SLOWLOG RESET");
const TIME = command("TIME");
const WAIT = command("WAIT");

/**
 * Server commands: introspection (INFO, ROLE, MEMORY, SLOWLOG, LATENCY,
 * COMMAND), configuration (CONFIG), persistence (SAVE, BGSAVE), access
 * control (ACL), and WAIT for replicas (on a dedicated connection).
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type ServerCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const server: ServerCommands<"promise", string> = redis;
 * console.log((await server.info("server")).server.redis_version); // → "7.0.15"
 * ```
 */
export class ServerCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view\'s executor. */
  declare readonly [EXEC]: Executor<M>;

  /**
   * Returns the number of keys in the view's database.
   *
   * @returns The number of keys.
   * @see {@link https://redis.io/docs/latest/commands/dbsize/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.db(3).dbsize()); // → keys in database 3
   * ```
   */
  dbsize(): Result<M, I> {
    return this[EXEC].call(DBSIZE, [], integer<I>);
  }

  /**
   * Deletes every key of the view's database.
   *
   * @param mode `"ASYNC"` to free memory in the background, `"SYNC"` to wait.
   * @returns `"OK"`.
   * @see {@link https://redis.io/docs/latest/commands/flushdb/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.db(15).flushdb();
   * ```
   */
  flushdb(mode?: "ASYNC" | "SYNC"): Result<M, "OK"> {
    return this[EXEC].call(
      FLUSHDB,
      mode === undefined ? [] : [mode],
      ok,
    );
  }

  /**
   * Deletes every key of every database.
   *
   * @param mode `"ASYNC"` to free memory in the background, `"SYNC"` to wait.
   * @returns `"OK"`.
   * @see {@link https://redis.io/docs/latest/commands/flushall/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.flushall();
   * ```
   */
  flushall(mode?: "ASYNC" | "SYNC"): Result<M, "OK"> {
    return this[EXEC].call(
      FLUSHALL,
      mode === undefined ? [] : [mode],
      ok,
    );
  }

  // -------------------------------------------------------------------------
  // INFO, TIME, persistence, ROLE, LOLWUT

  /**
   * Returns the server's INFO, parsed: each section by its lower-case name
   * (`server`, `clients`, `memory`, `keyspace`, `commandstats`, ...), each
   * field by its name, values as the server wrote them (text, on `binary`
   * views too). Nothing of the text is lost, so there is no method
   * returning it raw.
   *
   * @param sections Sections to include (`"server"`, `"all"`, `"everything"`,
   * ...); the default set when none.
   * @returns The sections.
   * @see {@link https://redis.io/docs/latest/commands/info/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const info = await redis.info("server", "commandstats");
   * console.log(info.server.redis_version); // → "7.0.15"
   * console.log(info.commandstats.cmdstat_get); // → "calls=2,usec=5,usec_per_call=2.50,..."
   * ```
   */
  info(...sections: string[]): Result<M, InfoSections> {
    return this[EXEC].call(INFO, [...sections], infoSections);
  }

  /**
   * Returns the server's clock.
   *
   * @returns Unix seconds and the microseconds within the second.
   * @see {@link https://redis.io/docs/latest/commands/time/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const { seconds, microseconds } = await redis.time();
   * console.log(new Date(seconds * 1000 + microseconds / 1000));
   * ```
   */
  time(): Result<M, ServerTime> {
    return this[EXEC].call(TIME, [], serverTime);
  }

  /**
   * Returns when the last successful save to disk happened.
   *
   * @returns The Unix time in seconds.
   * @see {@link https://redis.io/docs/latest/commands/lastsave/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(new Date(await redis.lastsave() * 1000));
   * ```
   */
  lastsave(): Result<M, I> {
    return this[EXEC].call(LASTSAVE, [], integer<I>);
  }

  /**
   * Saves the data set to disk, blocking the server until done.
   *
   * @returns `"OK"`.
   * @throws {ReplyError} When a background save is running.
   * @see {@link https://redis.io/docs/latest/commands/save/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.save();
   * ```
   */
  save(): Result<M, "OK"> {
    return this[EXEC].call(SAVE, [], ok);
  }

  /**
   * Starts saving the data set to disk in the background.
   *
   * @param options `schedule` to wait for a running AOF rewrite instead of failing.
   * @returns The server's status, such as `"Background saving started"` or
   * `"Background saving scheduled"`.
   * @throws {ReplyError} When a save is already running.
   * @see {@link https://redis.io/docs/latest/commands/bgsave/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.bgsave({ schedule: true })); // → "Background saving started"
   * ```
   */
  bgsave(options?: BgsaveOptions): Result<M, string> {
    return this[EXEC].call(BGSAVE, options?.schedule ? ["SCHEDULE"] : [], text);
  }

  /**
   * Starts rewriting the append-only file in the background.
   *
   * @returns The server's status, such as
   * `"Background append only file rewriting started"`.
   * @throws {ReplyError} When a rewrite is already running.
   * @see {@link https://redis.io/docs/latest/commands/bgrewriteaof/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.bgrewriteaof());
   * ```
   */
  bgrewriteaof(): Result<M, string> {
    return this[EXEC].call(BGREWRITEAOF, [], text);
  }

  /**
   * Returns the server's role in replication: a master with its replicas, a
   * replica with its master and link state, or a Sentinel.
   *
   * @returns The role (`"replica"` where the server says `"slave"`).
   * @see {@link https://redis.io/docs/latest/commands/role/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const role = await redis.role();
   * if (role.role === "master") {
   *   for (const replica of role.replicas) console.log(replica.host, replica.port);
   * }
   * ```
   */
  role(): Result<M, Role> {
    return this[EXEC].call(ROLE, [], role);
  }

  /**
   * Returns the server's version, drawn as computer art.
   *
   * @param options The artwork's `version`.
   * @returns The art, ending with the Redis version.
   * @see {@link https://redis.io/docs/latest/commands/lolwut/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.lolwut({ version: 5 }));
   * ```
   */
  lolwut(options?: LolwutOptions): Result<M, string> {
    return this[EXEC].call(
      LOLWUT,
      options?.version === undefined ? [] : ["VERSION", options.version],
      text,
    );
  }

  // -------------------------------------------------------------------------
  // CONFIG

  /**
   * Returns the configuration parameters matching any of the glob-style
   * patterns, with their values.
   *
   * @param patterns Parameter names or patterns, such as `"maxmemory*"`.
   * @returns Each matching parameter's value, by name (text, on `binary` views too).
   * @see {@link https://redis.io/docs/latest/commands/config-get/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const config = await redis.configGet("maxmemory", "maxmemory-policy");
   * console.log(config.maxmemory, config["maxmemory-policy"]); // → "0" "noeviction"
   * ```
   */
  configGet(...patterns: string[]): Result<M, Record<string, string>> {
    return this[EXEC].call(CONFIG_GET, [...patterns], textRecord);
  }

  /**
   * Sets configuration parameters at run time, all or none.
   *
   * @param parameters The parameters' new values, by name.
   * @returns `"OK"`.
   * @throws {ReplyError} When a parameter is unknown, immutable, or its value invalid.
   * @see {@link https://redis.io/docs/latest/commands/config-set/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.configSet({ maxmemory: "100mb", "maxmemory-policy": "allkeys-lru" });
   * ```
   */
  configSet(parameters: ConfigParameters): Result<M, "OK"> {
    return this[EXEC].call(CONFIG_SET, configSetArgs(parameters), ok);
  }

  /**
   * Resets the statistics INFO reports (command counts, keyspace hits, ...).
   *
   * @returns `"OK"`.
   * @see {@link https://redis.io/docs/latest/commands/config-resetstat/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.configResetstat();
   * ```
   */
  configResetstat(): Result<M, "OK"> {
    return this[EXEC].call(CONFIG_RESETSTAT, [], ok);
  }

  /**
   * Rewrites the server's configuration file to hold its running configuration.
   *
   * @returns `"OK"`.
   * @throws {ReplyError} When the server was started without a configuration file.
   * @see {@link https://redis.io/docs/latest/commands/config-rewrite/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.configSet({ "maxmemory-policy": "allkeys-lru" });
   * await redis.configRewrite();
   * ```
   */
  configRewrite(): Result<M, "OK"> {
    return this[EXEC].call(CONFIG_REWRITE, [], ok);
  }

  /**
   * Returns the server's help text for CONFIG.
   *
   * @returns The help lines.
   * @see {@link https://redis.io/docs/latest/commands/config-help/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log((await redis.configHelp()).join("\n"));
   * ```
   */
  configHelp(): Result<M, string[]> {
    return this[EXEC].call(CONFIG_HELP, [], textArray);
  }

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

  // -------------------------------------------------------------------------
  // ACL

  /**
   * Returns the ACL categories, or the commands of one category.
   *
   * @param category A category, such as `"geo"` (without `@`).
   * @returns Category names, or command names.
   * @throws {ReplyError} When the category is unknown.
   * @see {@link https://redis.io/docs/latest/commands/acl-cat/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.aclCat()); // → ["keyspace", "read", "write", ...]
   * console.log(await redis.aclCat("hyperloglog")); // → ["pfmerge", "pfcount", ...]
   * ```
   */
  aclCat(category?: string): Result<M, string[]> {
    return this[EXEC].call(
      ACL_CAT,
      category === undefined ? [] : [category],
      textArray,
    );
  }

  /**
   * Deletes ACL users and disconnects their clients.
   *
   * @param usernames The users.
   * @returns How many users were deleted.
   * @throws {ReplyError} When one of them is the `default` user.
   * @see {@link https://redis.io/docs/latest/commands/acl-deluser/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.aclDeluser("alice", "bob")); // → 2
   * ```
   */
  aclDeluser(...usernames: string[]): Result<M, I> {
    return this[EXEC].call(ACL_DELUSER, [...usernames], integer<I>);
  }

  /**
   * Tells whether a user may run a command with these arguments, without
   * running it.
   *
   * @param username The user.
   * @param command The command's name.
   * @param args Its arguments.
   * @returns `"OK"` when allowed, otherwise the reason it would be denied.
   * @throws {ReplyError} When the user or the command is unknown.
   * @see {@link https://redis.io/docs/latest/commands/acl-dryrun/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.aclSetuser("reader", "on", "nopass", "~*", "+get");
   * console.log(await redis.aclDryrun("reader", "get", "a")); // → "OK"
   * console.log(await redis.aclDryrun("reader", "set", "a", "1")); // → "This user has no permissions to run the 'set' command"
   * ```
   */
  aclDryrun(
    username: string,
    command: string,
    ...args: RedisArg[]
  ): Result<M, string> {
    return this[EXEC].call(ACL_DRYRUN, [username, command, ...args], text);
  }

  /**
   * Returns a random password from the server's secure random source, in hex.
   *
   * @param bits How many random bits (256 by default); rounded up to a
   * multiple of 4, one hex digit each.
   * @returns The password.
   * @see {@link https://redis.io/docs/latest/commands/acl-genpass/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log((await redis.aclGenpass(128)).length); // → 32
   * ```
   */
  aclGenpass(bits?: number): Result<M, string> {
    return this[EXEC].call(
      ACL_GENPASS,
      bits === undefined ? [] : [bits],
      text,
    );
  }

  /**
   * Returns a user's rules, or `null` when the user does not exist.
   *
   * @param username The user.
   * @returns Its flags, password hashes, command, key and channel rules, and selectors.
   * @see {@link https://redis.io/docs/latest/commands/acl-getuser/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const user = await redis.aclGetuser("default");
   * console.log(user?.commands, user?.keys); // → "+@all" "~*"
   * ```
   */
  aclGetuser(username: string): Result<M, AclUser | null> {
    return this[EXEC].call1(ACL_GETUSER, username, aclUser);
  }

  /**
   * Returns the server's help text for ACL.
   *
   * @returns The help lines.
   * @see {@link https://redis.io/docs/latest/commands/acl-help/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log((await redis.aclHelp()).join("\n"));
   * ```
   */
  aclHelp(): Result<M, string[]> {
    return this[EXEC].call(ACL_HELP, [], textArray);
  }

  /**
   * Returns every user's rules, one line per user, as an ACL file holds them.
   *
   * @returns The lines, such as `"user default on nopass ~* &* +@all"`.
   * @see {@link https://redis.io/docs/latest/commands/acl-list/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.aclList()); // → ["user default on nopass ~* &* +@all"]
   * ```
   */
  aclList(): Result<M, string[]> {
    return this[EXEC].call(ACL_LIST, [], textArray);
  }

  /**
   * Reloads the users from the server's ACL file, replacing them all, or
   * none when the file is invalid.
   *
   * @returns `"OK"`.
   * @throws {ReplyError} When the server has no ACL file or the file is invalid.
   * @see {@link https://redis.io/docs/latest/commands/acl-load/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.aclLoad();
   * ```
   */
  aclLoad(): Result<M, "OK"> {
    return this[EXEC].call(ACL_LOAD, [], ok);
  }

  /**
   * Empties the ACL log.
   *
   * @param options `{ reset: true }`.
   * @returns `"OK"`.
   * @see {@link https://redis.io/docs/latest/commands/acl-log/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.aclLog({ reset: true });
   * ```
   */
  aclLog(options: { readonly reset: true }): Result<M, "OK">;
  /**
   * Returns the newest entries of the ACL log (denied commands, keys,
   * channels, failed logins), newest first.
   *
   * @param options How many entries to `count` (10 by default).
   * @returns The entries.
   * @see {@link https://redis.io/docs/latest/commands/acl-log/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * for (const entry of await redis.aclLog({ count: 3 })) {
   *   console.log(entry.reason, entry.username, entry.object, entry.ageSeconds);
   * }
   * ```
   */
  aclLog(options?: AclLogOptions): Result<M, AclLogEntry[]>;
  aclLog(
    options?: AclLogOptions | { readonly reset: true },
  ): Result<M, AclLogEntry[] | "OK"> {
    if (options !== undefined && "reset" in options && options.reset) {
      return this[EXEC].call(ACL_LOG, ["RESET"], ok);
    }
    const count = (options as AclLogOptions | undefined)?.count;
    return this[EXEC].call(
      ACL_LOG,
      count === undefined ? [] : [count],
      aclLogEntries,
    );
  }

  /**
   * Writes the users to the server's ACL file.
   *
   * @returns `"OK"`.
   * @throws {ReplyError} When the server has no ACL file or cannot write it.
   * @see {@link https://redis.io/docs/latest/commands/acl-save/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.aclSave();
   * ```
   */
  aclSave(): Result<M, "OK"> {
    return this[EXEC].call(ACL_SAVE, [], ok);
  }

  /**
   * Creates a user, or changes one, by applying rules in order.
   *
   * A rule may hold a password (`">secret"`): the server quotes the rule it
   * refuses in its error, so the client cuts that quote out of the
   * `ReplyError`'s message.
   *
   * @param username The user.
   * @param rules Rules such as `"on"`, `">password"`, `"~cache:*"`, `"+@read"`, `"reset"`.
   * @returns `"OK"`.
   * @throws {ReplyError} When a rule is invalid; none is then applied (the
   * message names no rule).
   * @see {@link https://redis.io/docs/latest/commands/acl-setuser/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const password = await redis.aclGenpass();
   * await redis.aclSetuser("worker", "on", `>${password}`, "~jobs:*", "+@list");
   * ```
   */
  aclSetuser(username: string, ...rules: string[]): Result<M, "OK"> {
    return this[EXEC].call(ACL_SETUSER, [username, ...rules], ok);
  }

  /**
   * Returns the names of every user.
   *
   * @returns The user names.
   * @see {@link https://redis.io/docs/latest/commands/acl-users/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.aclUsers()); // → ["default"]
   * ```
   */
  aclUsers(): Result<M, string[]> {
    return this[EXEC].call(ACL_USERS, [], textArray);
  }

  /**
   * Returns the name of the user the connection is authenticated as.
   *
   * @returns The user name.
   * @see {@link https://redis.io/docs/latest/commands/acl-whoami/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.aclWhoami()); // → "default"
   * ```
   */
  aclWhoami(): Result<M, string> {
    return this[EXEC].call(ACL_WHOAMI, [], text);
  }

  /**
   * Waits until at least `numReplicas` replicas acknowledged every write
   * issued on the client before this call, or until `timeoutMs` passed;
   * returns how many replicas acknowledged them. Waits on a dedicated
   * connection, never holding up other commands, and
   * `redis.with({ signal, timeout })` cancels the wait.
   *
   * WAIT counts the writes of the connection it runs on, so the client
   * first waits until everything issued before it on the shared connection
   * has run (a PING there), then sends `PUBLISH __sleeve__:wait ""` in front
   * of WAIT on the dedicated connection: that replicated no-op gives it
   * the server's replication offset, which includes those writes (and any
   * other client's before them). A PUBLISH the server refuses (an ACL)
   * fails the call, rather than return a count that means nothing.
   *
   * @param numReplicas How many replicas to wait for.
   * @param timeoutMs Milliseconds to wait; 0 waits until enough replicas
   * acknowledged.
   * @returns The number of replicas that acknowledged.
   * @see {@link https://redis.io/docs/latest/commands/wait/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("order:1", "paid");
   * console.log(await redis.wait(1, 100)); // → 0 without replicas (after 100 ms)
   * ```
   */
  wait(numReplicas: number, timeoutMs: number): Result<M, I> {
    return this[EXEC].call(WAIT, [numReplicas, timeoutMs], integer<I>);
  }
}
