// Server state and administration: INFO, CONFIG, TIME, DBSIZE, persistence
// (SAVE, BGSAVE, LASTSAVE, BGREWRITEAOF), ROLE, LOLWUT, FLUSHDB/FLUSHALL and
// WAIT for replicas. MEMORY, SLOWLOG, LATENCY and COMMAND are in
// server_introspection.ts, ACL in acl.ts.

import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Mode,
  type Result,
} from "./_executor.ts";
import { integer, ok, text } from "./_reply.ts";
import { command } from "./_command.ts";
import {
  type BgsaveOptions,
  type ConfigParameters,
  configSetArgs,
  type LolwutOptions,
} from "./server_options.ts";
import {
  type InfoSections,
  infoSections,
  type Role,
  role,
  type ServerTime,
  serverTime,
  textArray,
  textRecord,
} from "./server_replies.ts";

const BGREWRITEAOF = command("BGREWRITEAOF");
const BGSAVE = command("BGSAVE");
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
const LOLWUT = command("LOLWUT");
const ROLE = command("ROLE");
const SAVE = command("SAVE");
const TIME = command("TIME");
const WAIT = command("WAIT");

/**
 * Server commands: the server's state (INFO, TIME, DBSIZE, ROLE),
 * configuration (CONFIG), persistence (SAVE, BGSAVE), FLUSHDB/FLUSHALL, and
 * WAIT for replicas (on a dedicated connection). MEMORY, SLOWLOG, LATENCY
 * and COMMAND are on {@linkcode ServerIntrospectionCommands}, ACL on
 * {@linkcode AclCommands}.
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
