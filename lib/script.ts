// Lua scripts as objects: `redis.script(lua)` hashes the source once (SHA-1,
// synchronously) and each run sends EVALSHA, falling back to EVAL on
// NOSCRIPT, so callers never see NOSCRIPT. The fallback needs the reply, so
// it lives in the executors of views (a promise per run); the builders of
// multi()/pipeline() send EVAL instead (see ScriptCommands.evalScript).

import { scriptArgs } from "./commands/scripting_options.ts";
import { sha1Hex } from "./_sha1.ts";
import { type Command, command } from "./commands/_command.ts";
import type { Bulk, Decode, Int, Result, Root } from "./commands/_executor.ts";
import type { RedisKey } from "./commands/_base.ts";
import type { ScriptCommands } from "./commands/scripts.ts";
import { ReplyError } from "./errors.ts";
import type { RedisArg } from "./resp/encoder.ts";
import type { RespValue } from "./resp/types.ts";

/** @ignore */
export const EVAL: Command = command("EVAL");
/** @ignore */
export const EVALSHA: Command = command("EVALSHA");

/**
 * A Lua script bound to the view it came from ({@linkcode RedisView.script}):
 * its database, reply types, limits and mode. {@linkcode Script.run} sends
 * `EVALSHA` and, when the server does not have the script (`NOSCRIPT`: a
 * fresh or restarted server, after `SCRIPT FLUSH`), sends `EVAL` with the
 * source instead; callers never see `NOSCRIPT`. The hash is computed when
 * the script is made, so it is known at once ({@linkcode Script.sha}).
 *
 * Make a script once and run it many times. The client remembers which
 * scripts it has sent with `EVAL`: the first run of a script on a client
 * sends `EVAL` (which loads it), and later runs, even ones issued in the
 * same tick, send `EVALSHA` behind it. A run that meets `NOSCRIPT` runs
 * when its `EVAL` arrives, after commands issued since; every other run
 * keeps its place in the order. Inside `multi()` and `pipeline()` use
 * {@linkcode ScriptCommands.evalScript}.
 *
 * @typeParam M The mode of the view it came from.
 * @typeParam B The type of bulk strings in its replies.
 * @typeParam I The type of integers in its replies.
 *
 * @example Usage
 * ```ts
 * import { connect } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const bump = redis.script(`
 *   local n = redis.call("INCRBY", KEYS[1], ARGV[1])
 *   redis.call("EXPIRE", KEYS[1], ARGV[2])
 *   return n
 * `);
 * console.log(bump.sha); // → 40 hex digits, as SCRIPT LOAD would give
 * console.log(await bump.run(["visits"], [5, 60])); // → 5
 * ```
 */
export class Script<
  M extends Root = "promise",
  B extends Bulk = string,
  I extends Int = number,
> {
  /** The Lua source, as given. */
  readonly source: string;
  /**
   * The SHA-1 of the source's UTF-8 bytes in lower-case hex: the name the
   * server knows the script by (`EVALSHA`, `SCRIPT EXISTS`).
   */
  readonly sha: string;
  readonly #commands: ScriptCommands<M, B, I>;

  /**
   * Constructs a new instance. Use {@linkcode RedisView.script} instead.
   *
   * @param commands The view its runs go through.
   * @param source The Lua source.
   * @ignore
   */
  constructor(commands: ScriptCommands<M, B, I>, source: string) {
    this.source = source;
    this.sha = sha1Hex(source);
    this.#commands = commands;
  }

  /**
   * Runs the script: `EVALSHA`, or `EVAL` when the server does not have it
   * (`NOSCRIPT` never reaches the caller), on the view the script came from.
   * `keys` are the script's `KEYS` (the client treats them as keys: they
   * count for routing and prefixes); `args` are its `ARGV`.
   *
   * The reply is the script's return value as the server converts it: a
   * Lua number → an integer (truncated), a string → a bulk string, a table
   * → an array, `true` → `1`, `nil` and `false` → `null`,
   * `redis.error_reply()` or a runtime error → a rejection with a
   * `ReplyError`; the same under RESP2 and RESP3, unless the script calls
   * `redis.setresp(3)` (then, under RESP3 only, booleans, doubles, maps and
   * sets come back as such). Bulk strings have the view's type
   * (`Uint8Array` on `binary`); on `bigint` views every whole number in the
   * reply is a `bigint`. On `fireAndForget` views it returns nothing and a
   * failure is an `"error"` event.
   *
   * The view's limits apply to each command a run sends (at most two).
   *
   * @param keys The script's `KEYS`.
   * @param args The script's `ARGV`.
   * @returns The script's reply.
   * @throws {ReplyError} An error the script raised or returned, or a
   * compile error; never `NOSCRIPT`.
   * @see {@link https://redis.io/docs/latest/commands/evalsha/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const swap = redis.script(`
   *   local a = redis.call("GET", KEYS[1])
   *   redis.call("SET", KEYS[1], redis.call("GET", KEYS[2]))
   *   redis.call("SET", KEYS[2], a)
   *   return {KEYS[1], KEYS[2]}
   * `);
   * await redis.mset({ left: "L", right: "R" });
   * console.log(await swap.run(["left", "right"])); // → ["left", "right"]
   * console.log(await redis.mget("left", "right")); // → ["R", "L"]
   * ```
   */
  run(
    keys: readonly RedisKey[] = [],
    args: readonly RedisArg[] = [],
  ): Result<M, RespValue> {
    return this.#commands.evalScript(this, keys, args);
  }
}

/**
 * The key under which the executors of views offer a script runner; not
 * exported from mod.ts. @ignore
 */
export const RUN_SCRIPT: unique symbol = Symbol("sleeve.runScript");

/**
 * Sends a command and resolves with its decoded reply. @ignore
 */
export type SendCommand = <T>(
  command: Command,
  args: RedisArg[],
  decode: Decode<T>,
) => Promise<T>;

/** Scripts each client (its request sink) has sent with EVAL. */
const sent = new WeakMap<object, Set<string>>();
/** A bound on that memory: it is a hint, so it may be forgotten. */
const SENT_LIMIT = 1024;

/**
 * Runs `script` with the fallback: EVALSHA when `sink` has sent its source
 * before, else EVAL; an EVALSHA answered NOSCRIPT is sent again as EVAL.
 * Which one the first run sends is only a hint (the server may have lost
 * the script since, or another connection of `sink` may serve the run): the
 * fallback is what makes every run succeed. @ignore
 *
 * @param sink Whose memory of sent scripts to use (the client's router).
 * @param send Sends one command through the view's executor.
 * @param script The script.
 * @param keys Its KEYS.
 * @param args Its ARGV.
 * @returns The script's reply.
 */
export function runScript(
  sink: object,
  send: SendCommand,
  script: Script<Root, Bulk, Int>,
  keys: readonly RedisKey[],
  args: readonly RedisArg[],
): Promise<RespValue> {
  let known = sent.get(sink);
  if (known === undefined) {
    known = new Set();
    sent.set(sink, known);
  }
  const sha = script.sha;
  if (!known.has(sha)) {
    if (known.size >= SENT_LIMIT) known.clear();
    known.add(sha);
    return send(EVAL, scriptArgs(script.source, keys, args), scriptReply);
  }
  // Built once: a fallback sends what the run was issued with, even if the
  // caller has changed its arrays since.
  const argv = scriptArgs(sha, keys, args);
  return send(EVALSHA, argv, scriptReply).catch((error: unknown) => {
    if (!(error instanceof ReplyError) || error.code !== "NOSCRIPT") {
      throw error;
    }
    const again = argv.slice();
    again[0] = script.source;
    return send(EVAL, again, scriptReply);
  });
}

/**
 * What a view's executor offers to run scripts with the fallback. @ignore
 */
export interface ScriptRunner<M extends Root> {
  /** Runs `script` as {@linkcode runScript} does, in the executor's mode. */
  [RUN_SCRIPT](
    script: Script<Root, Bulk, Int>,
    keys: readonly RedisKey[],
    args: readonly RedisArg[],
  ): Result<M, RespValue>;
}

/**
 * A script's reply: as it came, with every integer as a `bigint` when the
 * view asks for bigints. @ignore
 *
 * @param value The reply.
 * @param bigint Whether integers become bigints.
 * @returns The reply.
 */
export function scriptReply(value: RespValue, bigint: boolean): RespValue {
  return bigint ? withBigInts(value) : value;
}

function withBigInts(value: RespValue): RespValue {
  if (typeof value === "number") {
    return Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map(withBigInts);
  if (value instanceof Map) {
    const map = new Map<RespValue, RespValue>();
    for (const [k, v] of value) map.set(withBigInts(k), withBigInts(v));
    return map;
  }
  if (value instanceof Set) {
    const set = new Set<RespValue>();
    for (const item of value) set.add(withBigInts(item));
    return set;
  }
  return value;
}
