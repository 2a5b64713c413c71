// Views of a client: RedisView, every command bound to an executor (database,
// bulk type, mode, limits, prefix), with send(), events, batches and iterators;
// viewOf() finds or makes one. The state a client shares with them is core.ts.

import { refusal } from "./commands/_policy.ts";
import { resolve } from "./commands/_command.ts";
import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Result,
  type Root,
} from "./commands/_executor.ts";
import { DataCommands } from "./commands/data.ts";
import { type BatchTarget, Pipeline } from "./commands/pipeline.ts";
import type { RedisKey } from "./commands/_base.ts";
import type { CollectionScanOptions } from "./commands/hashes_options.ts";
import type { ScanOptions } from "./commands/keys_options.ts";
import type { ScoredMember } from "./commands/sorted_sets_replies.ts";
import type { Limits } from "./connection/connection.ts";
import { type Core, viewKey, withDefaultTimeout } from "./core.ts";
import {
  type AnyListener,
  plainListener,
  RedisErrorEvent,
  type RedisEventMap,
} from "./events.ts";
import { milliseconds } from "./_validate.ts";
import {
  CallSiteExecutor,
  PrefixExecutor,
  PromiseExecutor,
  VoidExecutor,
} from "./_executors.ts";
import type { KeyPrefix } from "./prefix.ts";
import { scanHash, scanKeys, scanSet, scanSortedSet } from "./scan.ts";
import { Script, type ScriptRunner } from "./script.ts";
import type { RedisArg } from "./resp/encoder.ts";
import type { RespValue } from "./resp/types.ts";
import {
  checkMonitor,
  type Monitor,
  type MonitorOptions,
  openMonitor,
} from "./monitor.ts";
import type { Target } from "./routing/subscriber.ts";
import {
  type SubscribeArgs,
  subscribeArgs,
  type SubscribeOptions,
  type Subscription,
} from "./subscription.ts";
import { checkWatch, runWatch, type WatchOptions } from "./watch.ts";

/**
 * Limits of a {@linkcode RedisView.with} view.
 *
 * @example Usage
 * ```ts
 * import { connect, type CommandLimits } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const limits: CommandLimits = { timeout: 500, signal: AbortSignal.timeout(2_000) };
 * console.log(await redis.with(limits).get("key"));
 * ```
 */
export interface CommandLimits {
  /**
   * Milliseconds until the command is rejected with a `TimeoutError`. A
   * command still waiting to be written (no connection, or full buffers) is
   * then never sent; one already handed to the connection keeps its place,
   * and its late reply is read and dropped (the server may still run it).
   * A blocking command is unblocked instead (see {@linkcode RedisView.with}).
   */
  timeout?: number;
  /**
   * Aborting it rejects the command with the signal's reason, with the same
   * rules as `timeout`.
   */
  signal?: AbortSignal;
}

const utf8 = new TextEncoder();

/** The decoder of `send()`: the raw reply. */
function raw(value: RespValue): RespValue {
  return value;
}

/**
 * The view of these settings over `core`: the cached one, or a new one
 * (cached unless it has limits of its own).
 */
function viewOf(
  core: Core,
  db: number,
  binary: boolean,
  bigint: boolean,
  mode: "promise" | "void",
  limits?: Limits,
  prefix?: KeyPrefix,
  uncached = false,
): RedisView<Root, Bulk, Int> {
  // Views with their own limits are not cached: a signal is per use.
  if (limits !== undefined) {
    return new RedisView(
      core,
      db,
      binary,
      bigint,
      mode,
      limits,
      prefix,
      uncached,
    );
  }
  const views = core.viewsOf(prefix);
  const key = viewKey(db, binary, bigint, mode, uncached);
  // The views of a Core are RedisViews: only this function and the client's
  // constructor put them there.
  let view = views.get(key) as RedisView<Root, Bulk, Int> | undefined;
  if (view === undefined) {
    view = new RedisView(
      core,
      db,
      binary,
      bigint,
      mode,
      undefined,
      prefix,
      uncached,
    );
    views.set(key, view);
  }
  return view;
}

/**
 * A view of a client: every command method of {@linkcode Redis}, bound to a
 * database, reply types for bulk strings and integers, and a mode. Methods return
 * `Promise<T>` on promise views and `void` on `fireAndForget` views. Views
 * share the client's one connection; they cost nothing to get (they are
 * cached) and compose in any order: `redis.db(2).binary.fireAndForget`,
 * `redis.prefix("tenant:").db(2)`.
 *
 * Listeners added to a view are added to the client.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const tenant = redis.db(3);
 * await tenant.set("visits", 1);
 * tenant.fireAndForget.incr("visits");
 * const bytes = await tenant.binary.get("visits"); // → Uint8Array of "2"
 * console.log(bytes);
 * ```
 */
export class RedisView<
  M extends Root,
  B extends Bulk,
  I extends Int = number,
> extends DataCommands<M, B, I> implements EventTarget {
  readonly #core: Core;
  readonly #db: number;
  readonly #binary: boolean;
  readonly #bigint: boolean;
  readonly #mode: "promise" | "void";
  readonly #limits: Limits | undefined;
  readonly #prefix: KeyPrefix | undefined;
  readonly #uncached: boolean;

  /**
   * Constructs a new instance. Get views from a client instead:
   * {@linkcode RedisView.db}, {@linkcode RedisView.binary},
   * {@linkcode RedisView.fireAndForget}, {@linkcode RedisView.with},
   * {@linkcode RedisView.prefix}.
   *
   * @ignore
   */
  constructor(
    core: Core,
    db: number,
    binary: boolean,
    bigint: boolean,
    mode: "promise" | "void",
    limits?: Limits,
    prefix?: KeyPrefix,
    uncached = false,
  ) {
    const cache = core.cache;
    const sink = cache === undefined
      ? core.connection
      : mode === "promise" && !uncached
      ? cache.serving
      : cache.passing;
    let direct: Executor<Root> & ScriptRunner<Root>;
    if (mode === "void") {
      direct = new VoidExecutor(sink, db, core.events, limits);
    } else {
      const promises = new PromiseExecutor(
        sink,
        db,
        binary,
        bigint,
        withDefaultTimeout(limits, core.defaultLimits),
      );
      direct = core.captureCallSites
        ? new CallSiteExecutor(promises)
        : promises;
    }
    const executor = prefix === undefined
      ? direct
      : new PrefixExecutor(direct, prefix);
    // The executor's mode matches M: both come from the same view request.
    super(executor as unknown as Executor<M>);
    this.#core = core;
    this.#db = db;
    this.#binary = binary;
    this.#bigint = bigint;
    this.#mode = mode;
    this.#limits = limits;
    this.#prefix = prefix;
    this.#uncached = uncached;
  }

  /** The database this view's commands run in. */
  get database(): number {
    return this.#db;
  }

  /**
   * A view running commands in database `index` on the same connection. The
   * connection writes `SELECT` only when the database changes between
   * consecutive commands. `redis.db(2).db(5)` is database 5.
   *
   * A command meant for `index` never runs in another database: the first
   * `SELECT` to it on a connection is answered before anything is written
   * behind it. If the server refuses it (no such database, an ACL, cluster
   * mode, a proxy), the view's commands fail with a `ReplyError` naming the
   * database and the reason, and nothing else is affected.
   *
   * @param index The database number.
   * @returns The cached view.
   * @throws {RangeError} When `index` is not an integer from 0 to the server's
   * number of databases − 1.
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.db(3).set("tenant", "three");
   * console.log(await redis.db(3).get("tenant")); // → "three"
   * console.log(await redis.get("tenant")); // → null (database 0)
   * ```
   */
  db(index: number): RedisView<M, B, I> {
    const core = this.#core;
    const databases = core.connection.databases;
    if (
      !Number.isSafeInteger(index) || index < 0 ||
      (databases !== undefined && index >= databases)
    ) {
      const range = databases === undefined
        ? "a non-negative integer"
        : `an integer from 0 to ${databases - 1}`;
      throw new RangeError(
        `Cannot select database: index must be ${range}, received ${index}`,
      );
    }
    // Same mode and bulk type as this view, so the cast restores what M and B were.
    return viewOf(
      core,
      index,
      this.#binary,
      this.#bigint,
      this.#mode,
      this.#limits,
      this.#prefix,
      this.#uncached,
    ) as unknown as RedisView<M, B, I>;
  }

  /**
   * The same view with bulk-string replies as `Uint8Array` (binary-safe for
   * all 256 byte values) instead of UTF-8 strings.
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("blob", new Uint8Array([0, 255, 13, 10]));
   * console.log(await redis.binary.get("blob")); // → Uint8Array(4) [0, 255, 13, 10]
   * ```
   */
  get binary(): RedisView<M, Uint8Array, I> {
    return viewOf(
      this.#core,
      this.#db,
      true,
      this.#bigint,
      this.#mode,
      this.#limits,
      this.#prefix,
      this.#uncached,
    ) as unknown as RedisView<M, Uint8Array, I>;
  }

  /**
   * The same view with every integer reply as a `bigint`, exact over the
   * whole 64-bit range. Other views return integers as numbers, and reject
   * a reply beyond ±(2^53 − 1) with an `IntegerRangeError` holding the
   * exact value (the command did run). Integers inside structured replies
   * (the fields of `xinfoStream()`, a `{ member, score }`...) stay numbers.
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.set("big", "9007199254740993");
   * console.log(await redis.bigint.incr("big")); // → 9007199254740994n
   * ```
   */
  get bigint(): RedisView<M, B, bigint> {
    return viewOf(
      this.#core,
      this.#db,
      this.#binary,
      true,
      this.#mode,
      this.#limits,
      this.#prefix,
      this.#uncached,
    ) as unknown as RedisView<M, B, bigint>;
  }

  /**
   * The same view without the client-side cache: its reads always go to
   * the server (and are neither answered from nor stored in the cache); its
   * writes still drop the cached replies of their keys. On a client without
   * the `cache` option it behaves as this view.
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect({ cache: true });
   * await redis.get("stock"); // from the server, then held
   * await redis.get("stock"); // from memory
   * await redis.uncached.get("stock"); // from the server
   * console.log(redis.stats().cache.hits); // → 1
   * ```
   */
  get uncached(): RedisView<M, B, I> {
    return viewOf(
      this.#core,
      this.#db,
      this.#binary,
      this.#bigint,
      this.#mode,
      this.#limits,
      this.#prefix,
      true,
    ) as unknown as RedisView<M, B, I>;
  }

  /**
   * The same view with methods that return nothing: no promise is created,
   * the command keeps its place in the order, its reply is read and dropped,
   * and any failure (including a bad argument or a closed client) is
   * dispatched as an `"error"` {@linkcode RedisErrorEvent} on the client,
   * never thrown or rejected.
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * redis.addEventListener("error", (event) => console.log(event.error));
   * for (let i = 0; i < 1000; i++) redis.fireAndForget.incr("hits");
   * console.log(await redis.get("hits")); // → "1000" (same connection, same order)
   * ```
   */
  get fireAndForget(): RedisView<"void", B, I> {
    return viewOf(
      this.#core,
      this.#db,
      this.#binary,
      this.#bigint,
      "void",
      this.#limits,
      this.#prefix,
      this.#uncached,
    ) as unknown as RedisView<"void", B, I>;
  }

  /**
   * The same view with a timeout and/or an abort signal on every command
   * issued through it; composes with the other views, and with an outer
   * `with()` (the new timeout replaces the old one; both signals count).
   *
   * A command its limit rejects while it waits to be written (no
   * connection, full buffers, or an abort in the same tick as the call) is
   * never sent. One already handed to the connection is rejected at once
   * (`TimeoutError`, or the signal's reason), keeps its place in the reply
   * order, and its late reply is read and dropped: the server may still run
   * it. On `fireAndForget` views a limit applies until the command is
   * handed to the connection, and its failure is an `"error"` event.
   *
   * Blocking commands (`blpop`, `blmove`, `bzmpop`, `xread` with `block`,
   * `wait`...) are different: their limit runs until the reply, on promise
   * and `fireAndForget` views alike. One stopped while it waits for a
   * dedicated connection is never sent. One already blocked is unblocked
   * from the shared connection (`CLIENT UNBLOCK`), and rejects as soon as
   * the server confirms it took nothing (a round trip): with the signal's
   * reason, or a `TimeoutError` whose `mayHaveExecuted` is false. If the
   * server had already popped an element when the UNBLOCK reached it, the
   * call resolves with that element instead: an aborted pop never loses
   * what it took. If the UNBLOCK cannot be confirmed within a second (an
   * ACL refusing `CLIENT UNBLOCK`, a server gone silent), the dedicated
   * connection is closed, which unblocks the command on the server, and
   * the call rejects (a `TimeoutError` then has `mayHaveExecuted` true: an
   * element popped in that instant is lost with the connection).
   *
   * A timeout is cheap: a deadline in the reply queue, with one timer for
   * the whole connection (`commandTimeout` on every command costs about 10%
   * on 1,000 GETs in flight). A signal costs an abort listener and a queue entry
   * per command, checked at write time.
   *
   * @param limits `timeout` in milliseconds and/or `signal`.
   * @returns A new view (not cached).
   * @throws {TypeError} For a malformed limit.
   * @throws {RangeError} For a timeout that is not a positive number of milliseconds.
   *
   * @example Usage
   * ```ts
   * import { connect, TimeoutError } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * try {
   *   console.log(await redis.with({ timeout: 100 }).get("key"));
   * } catch (error) {
   *   if (error instanceof TimeoutError) console.log("slow server");
   * }
   * ```
   */
  with(limits: CommandLimits): RedisView<M, B, I> {
    if (typeof limits !== "object" || limits === null) {
      throw new TypeError("Invalid command limits: expected an object");
    }
    const { timeout, signal } = limits;
    milliseconds("timeout", timeout, "Invalid command limits");
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new TypeError(
        "Invalid command limits: signal must be an AbortSignal",
      );
    }
    const outer = this.#limits;
    const merged: Limits = {
      timeout: timeout ?? outer?.timeout,
      signal: signal !== undefined && outer?.signal !== undefined
        ? AbortSignal.any([outer.signal, signal])
        : signal ?? outer?.signal,
    };
    return viewOf(
      this.#core,
      this.#db,
      this.#binary,
      this.#bigint,
      this.#mode,
      merged,
      this.#prefix,
      this.#uncached,
    ) as unknown as RedisView<M, B, I>;
  }

  /**
   * The same view under a key prefix: every key a command names gets
   * `prefix` in front, and keys in replies come back without it, so code
   * written for a whole database runs unchanged inside a namespace
   * (`"tenant:42:"`). Composes with every other view, in any order, and
   * with `multi()`, `pipeline()` and `send()`; a prefixed view's prefix
   * grows: `prefix("a:").prefix("b:")` is `"a:b:"`. Views are cached (the
   * 1,024 most recently used prefixes).
   *
   * What is prefixed: the keys of each invocation as the server itself
   * finds them (the command table's key specs: several keys, EVAL's and
   * FCALL's keys, ZUNIONSTORE's and LMPOP's counted keys, XREAD's streams,
   * MIGRATE's KEYS...), SORT's BY and GET patterns and STORE key, SCAN's
   * MATCH (without one, SCAN and `scan()` match every key of the view),
   * KEYS' pattern, and CLUSTER KEYSLOT's key. In patterns, the prefix's
   * own glob characters (`*?[]\`) are escaped. Scripts get their `KEYS`
   * prefixed (`script(lua).run(keys)`, `evalScript`, `eval`, `fcall`); one
   * that builds key names itself goes around the prefix. Values, hash
   * fields, members and channels are not keys and are sent as they are.
   *
   * What is stripped: the keys of KEYS, SCAN and `scan()`, RANDOMKEY, the
   * key named by BLPOP, BRPOP, BZPOPMIN, BZPOPMAX, LMPOP, BLMPOP, ZMPOP and
   * BZMPOP, and the stream names of XREAD and XREADGROUP. RANDOMKEY picks
   * among every key of the database: when its key is outside the prefix,
   * the call rejects with an `UnexpectedReplyError` (nothing changed).
   *
   * Refused with a `TypeError`, before anything is sent: a command the
   * command table does not know (through `send()`: a module's command),
   * whose keys cannot be found; SORT with a pattern naming keys when the
   * prefix holds `*` or a NUL byte (the server would read the pattern
   * from the prefix). A prefix of bytes that are not UTF-8 is stripped
   * exactly on `binary` views only.
   *
   * A prefixed view's commands allocate their new arguments; views without
   * a prefix are unchanged.
   *
   * @param prefix The prefix: text (sent as UTF-8) or bytes. `""` gives
   * this view.
   * @returns The cached view.
   * @throws {TypeError} When `prefix` is neither a string nor a `Uint8Array`.
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const tenant = redis.prefix("tenant:42:");
   * await tenant.set("plan", "pro");
   * console.log(await redis.get("tenant:42:plan")); // → "pro"
   * console.log(await tenant.keys("*")); // → ["plan"]
   * console.log(await tenant.multi().incr("visits").get("plan").exec()); // → [1, "pro"]
   * ```
   */
  prefix(prefix: string | Uint8Array): RedisView<M, B, I> {
    if (typeof prefix !== "string" && !(prefix instanceof Uint8Array)) {
      throw new TypeError(
        "Cannot make a prefixed view: the prefix must be a string or a Uint8Array",
      );
    }
    if (prefix.length === 0) return this;
    const own = this.#prefix;
    const bytes = own !== undefined
      ? own.append(prefix)
      : typeof prefix === "string"
      ? utf8.encode(prefix)
      : prefix.slice();
    const core = this.#core;
    return viewOf(
      core,
      this.#db,
      this.#binary,
      this.#bigint,
      this.#mode,
      this.#limits,
      core.prefix(bytes),
      this.#uncached,
    ) as unknown as RedisView<M, B, I>;
  }

  /**
   * A transaction: a builder of the same typed commands, sent as MULTI,
   * the commands and EXEC in one batch by {@linkcode Pipeline.exec}, so no
   * other caller's command can land inside it on the shared connection.
   * It runs in this view's database, with its reply types and limits.
   *
   * @returns An empty builder.
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const [ok, n] = await redis.multi().set("a", "1").incr("counter").exec();
   * console.log(ok, n); // → "OK" 1
   * ```
   */
  multi(): Pipeline<[], B, I, M extends "void" ? "void" : "promise"> {
    return new Pipeline(this.#batchTarget(), true);
  }

  /**
   * A pipeline: a builder of the same typed commands, sent as one batch
   * (written whole, contiguously) without MULTI/EXEC: each command runs on
   * its own, and its result, or its `ReplyError`, takes its place.
   *
   * @returns An empty builder.
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const [ok, value] = await redis.pipeline().set("a", "1").get("a").exec();
   * console.log(ok, value); // → "OK" "1"
   * ```
   */
  pipeline(): Pipeline<[], B, I, M extends "void" ? "void" : "promise"> {
    return new Pipeline(this.#batchTarget(), false);
  }

  /**
   * A Lua script bound to this view (its database, reply types, limits and
   * mode): {@linkcode Script.run} sends `EVALSHA` and falls back to `EVAL`
   * when the server does not have the script, so callers never see
   * `NOSCRIPT` (after `SCRIPT FLUSH`, a restart, with many runs in flight).
   * Its SHA-1 is computed here, synchronously ({@linkcode Script.sha}).
   * Make it once and keep it; inside `multi()`/`pipeline()` run it with
   * `evalScript(script, keys, args)`.
   *
   * @param source The Lua source.
   * @returns The script.
   * @throws {TypeError} When `source` is not a string.
   * @see {@link https://redis.io/docs/latest/develop/interact/programmability/eval-intro/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const setMax = redis.script(`
   *   local current = tonumber(redis.call("GET", KEYS[1]))
   *   if current == nil or current < tonumber(ARGV[1]) then
   *     redis.call("SET", KEYS[1], ARGV[1])
   *     return tonumber(ARGV[1])
   *   end
   *   return current
   * `);
   * console.log(await setMax.run(["high"], [7])); // → 7
   * console.log(await setMax.run(["high"], [3])); // → 7
   * console.log(await redis.db(1).binary.script("return ARGV[1]").run([], ["x"])); // → Uint8Array(1) [120]
   * ```
   */
  script(source: string): Script<M, B, I> {
    if (typeof source !== "string") {
      throw new TypeError("Cannot make a script: the source must be a string");
    }
    return new Script<M, B, I>(this, source);
  }

  /**
   * Iterates over the keys of the database (SCAN): `for await (const key
   * of redis.scan({ match: "user:*" }))`. The cursor is kept inside; each
   * page is asked for when the loop needs it, so `break` (or `return`, or
   * a throw) ends the iteration with nothing more sent.
   *
   * SCAN's guarantees: every key that exists from the start to the end of
   * the iteration is yielded; a key may be yielded more than once (the
   * server can return it on two pages, as when its table grows or shrinks
   * in between), so collect into a `Set` where that matters; a key added
   * or removed meanwhile may or may not be yielded. `match` and `type`
   * filter after the server examined `count` entries, so pages may be
   * small or empty.
   *
   * It always works with promises, even on a `fireAndForget` view (an
   * iteration needs its replies). On a `prefix()` view it yields the
   * view's keys only, without the prefix, and `match` applies to them
   * without the prefix. A page that fails (a `ReplyError`, a timeout of a
   * `with()` view, a lost connection) rejects the loop's `next()`.
   *
   * @param options A pattern, a count hint per page, a type.
   * @returns An async iterator of keys.
   * @see {@link https://redis.io/docs/latest/commands/scan/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.hset("user:1", { name: "ann" });
   * for await (const key of redis.scan({ match: "user:*", count: 500, type: "hash" })) {
   *   console.log(key); // → "user:1"
   * }
   * ```
   */
  scan(options?: ScanOptions): AsyncGenerator<B, void, undefined> {
    return scanKeys<B>(this.#promises(), options);
  }

  /**
   * Iterates over the fields of a hash (HSCAN) as `[field, value]` pairs,
   * with the cursor kept inside, as {@linkcode RedisView.scan} does: `break`
   * sends nothing more, a field may be yielded more than once, and it
   * always works with promises. Fields and values are the view's bulk type
   * (bytes on `binary` views).
   *
   * @param key The hash.
   * @param options A pattern for field names, a count hint per page.
   * @returns An async iterator of `[field, value]` pairs.
   * @see {@link https://redis.io/docs/latest/commands/hscan/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.hset("user:1", { name: "ann", city: "Oslo" });
   * for await (const [field, value] of redis.hscan("user:1")) {
   *   console.log(field, value); // → "name" "ann", then "city" "Oslo"
   * }
   * ```
   */
  hscan(
    key: RedisKey,
    options?: CollectionScanOptions,
  ): AsyncGenerator<[B, B], void, undefined> {
    return scanHash<B>(this.#promises(), key, options);
  }

  /**
   * Iterates over the members of a set (SSCAN), with the cursor kept
   * inside, as {@linkcode RedisView.scan} does: `break` sends nothing more,
   * a member may be yielded more than once, and it always works with
   * promises.
   *
   * @param key The set.
   * @param options A pattern for members, a count hint per page.
   * @returns An async iterator of members.
   * @see {@link https://redis.io/docs/latest/commands/sscan/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.sadd("tags", "red", "green");
   * for await (const tag of redis.sscan("tags", { match: "r*" })) {
   *   console.log(tag); // → "red"
   * }
   * ```
   */
  sscan(
    key: RedisKey,
    options?: CollectionScanOptions,
  ): AsyncGenerator<B, void, undefined> {
    return scanSet<B>(this.#promises(), key, options);
  }

  /**
   * Iterates over the members of a sorted set with their scores (ZSCAN) as
   * `{ member, score }` objects, scores as numbers, with the cursor kept
   * inside, as {@linkcode RedisView.scan} does: `break` sends nothing more,
   * a member may be yielded more than once, in no particular order, and it
   * always works with promises.
   *
   * @param key The sorted set.
   * @param options A pattern for members, a count hint per page.
   * @returns An async iterator of members with their scores.
   * @see {@link https://redis.io/docs/latest/commands/zscan/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.zadd("scores", { ann: 10, bob: 7 });
   * for await (const { member, score } of redis.zscan("scores")) {
   *   console.log(member, score); // → "ann" 10, "bob" 7 (any order)
   * }
   * ```
   */
  zscan(
    key: RedisKey,
    options?: CollectionScanOptions,
  ): AsyncGenerator<ScoredMember<B>, void, undefined> {
    return scanSortedSet<B>(this.#promises(), key, options);
  }

  /**
   * Subscribes to channels: resolves, once the server has confirmed every
   * one, with a {@linkcode Subscription}, the async iterator of their
   * messages (`{ channel, message }`). Every message published after the
   * promise resolved is received, in the order the server sent it.
   *
   * Subscriptions run on a subscriber connection of the client's own,
   * opened by the first one with the client's options and shared by all
   * (one for string views, one for `binary` views, whose messages and
   * channel names are `Uint8Array`); the shared connection is never taken
   * over. The first subscription to a channel sends `SUBSCRIBE`, the last
   * one to leave it `UNSUBSCRIBE`. It works the same on every view: the
   * database does not matter to pub/sub, a `prefix()` view does not prefix
   * channels (they are not keys), and a `with()` view's limits (or
   * `commandTimeout`) bound the wait for the confirmation. On string views
   * names and messages are decoded as UTF-8: use `redis.binary` for any
   * that are not.
   *
   * Messages not yet read wait in a buffer of `bufferSize` messages
   * (default 10,000), past which the `overflow` policy drops them, counted
   * (see {@linkcode SubscribeOptions}). After a reconnection the
   * subscription is restored, and the iterator reports the gap (see
   * {@linkcode SubscriptionGapEvent}).
   *
   * @param channels The channels.
   * @returns The subscription, once confirmed.
   * @throws {TypeError} For no channel, or a channel that is not a string
   * or a `Uint8Array`.
   * @throws {ReplyError} The server refused a channel (an ACL).
   * @throws {ConnectionError} The subscriber connection could not be opened.
   * @throws {TimeoutError} Not confirmed within the view's timeout.
   * @see {@link https://redis.io/docs/latest/commands/subscribe/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await using room = await redis.subscribe("room:1", "room:2");
   * await redis.publish("room:2", "hi");
   * for await (const { channel, message } of room) {
   *   console.log(channel, message); // → "room:2" "hi"
   *   break;
   * }
   * ```
   */
  subscribe(...channels: RedisKey[]): Promise<Subscription<B>>;
  /**
   * Subscribes to channels with options: the buffer size and overflow
   * policy of the subscription. Otherwise as `subscribe(...channels)`.
   *
   * @param channels The channels.
   * @param options The buffer size and overflow policy.
   * @returns The subscription, once confirmed.
   * @throws {TypeError} For no channel, a channel that is not a string or
   * a `Uint8Array`, or a malformed option.
   * @throws {RangeError} For a `bufferSize` that is not a positive integer.
   * @see {@link https://redis.io/docs/latest/commands/subscribe/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await using prices = await redis.binary.subscribe(["prices"], {
   *   bufferSize: 100,
   *   overflow: "drop-oldest",
   * });
   * for await (const { message } of prices) {
   *   console.log(message); // → Uint8Array [...]
   *   break;
   * }
   * ```
   */
  subscribe(
    channels: readonly RedisKey[],
    options?: SubscribeOptions,
  ): Promise<Subscription<B>>;
  subscribe(
    ...args: SubscribeArgs
  ): Promise<Subscription<B>> {
    return this.#subscribe("channel", args);
  }

  /**
   * Subscribes to glob-style patterns of channel names (`news.*`,
   * `user:?:events`): as {@linkcode RedisView.subscribe}, with messages
   * `{ channel, message, pattern }` (the pattern matched). A message
   * published to a channel that several patterns of one subscription
   * match is received once per pattern.
   *
   * Keyspace notifications come through it too: with the server's
   * `notify-keyspace-events` set, `psubscribe("__keyspace@0__:user:*")`
   * receives an event name (`"set"`, `"expired"`...) per change of a
   * matching key of database 0.
   *
   * @param patterns The patterns.
   * @returns The subscription, once confirmed.
   * @throws {TypeError} For no pattern, or one that is not a string or a
   * `Uint8Array`.
   * @throws {ReplyError} The server refused a pattern (an ACL).
   * @throws {ConnectionError} The subscriber connection could not be opened.
   * @see {@link https://redis.io/docs/latest/commands/psubscribe/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.configSet({ "notify-keyspace-events": "K$" });
   * await using changes = await redis.psubscribe("__keyspace@0__:user:*");
   * await redis.set("user:1", "ann");
   * for await (const { channel, message } of changes) {
   *   console.log(channel, message); // → "__keyspace@0__:user:1" "set"
   *   break;
   * }
   * ```
   */
  psubscribe(...patterns: RedisKey[]): Promise<Subscription<B>>;
  /**
   * Subscribes to patterns with options: the buffer size and overflow
   * policy of the subscription. Otherwise as `psubscribe(...patterns)`.
   *
   * @param patterns The patterns.
   * @param options The buffer size and overflow policy.
   * @returns The subscription, once confirmed.
   * @throws {TypeError} For no pattern, one that is not a string or a
   * `Uint8Array`, or a malformed option.
   * @throws {RangeError} For a `bufferSize` that is not a positive integer.
   * @see {@link https://redis.io/docs/latest/commands/psubscribe/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await using logs = await redis.psubscribe(["logs.*"], { bufferSize: 50_000 });
   * console.log(logs.buffered); // → 0
   * ```
   */
  psubscribe(
    patterns: readonly RedisKey[],
    options?: SubscribeOptions,
  ): Promise<Subscription<B>>;
  psubscribe(
    ...args: SubscribeArgs
  ): Promise<Subscription<B>> {
    return this.#subscribe("pattern", args);
  }

  /**
   * Subscribes to shard channels (Redis 7): as
   * {@linkcode RedisView.subscribe}, for messages sent with `spublish()`.
   * On a cluster a shard channel lives on the node of its slot, like a
   * key; when the server ends such a subscription itself (its slot moved),
   * the iteration throws a `ConnectionError`.
   *
   * @param shardChannels The shard channels.
   * @returns The subscription, once confirmed.
   * @throws {TypeError} For no shard channel, or one that is not a string
   * or a `Uint8Array`.
   * @throws {ReplyError} The server refused a shard channel (an ACL, or
   * shard channels of several slots on a cluster).
   * @throws {ConnectionError} The subscriber connection could not be opened.
   * @see {@link https://redis.io/docs/latest/commands/ssubscribe/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await using orders = await redis.ssubscribe("orders:{42}");
   * await redis.spublish("orders:{42}", "paid");
   * for await (const { message } of orders) {
   *   console.log(message); // → "paid"
   *   break;
   * }
   * ```
   */
  ssubscribe(...shardChannels: RedisKey[]): Promise<Subscription<B>>;
  /**
   * Subscribes to shard channels with options: the buffer size and
   * overflow policy of the subscription. Otherwise as
   * `ssubscribe(...shardChannels)`.
   *
   * @param shardChannels The shard channels.
   * @param options The buffer size and overflow policy.
   * @returns The subscription, once confirmed.
   * @throws {TypeError} For no shard channel, one that is not a string or
   * a `Uint8Array`, or a malformed option.
   * @throws {RangeError} For a `bufferSize` that is not a positive integer.
   * @see {@link https://redis.io/docs/latest/commands/ssubscribe/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await using orders = await redis.ssubscribe(["orders:{42}"], {
   *   overflow: "drop-newest",
   * });
   * console.log(orders.dropped); // → 0
   * ```
   */
  ssubscribe(
    shardChannels: readonly RedisKey[],
    options?: SubscribeOptions,
  ): Promise<Subscription<B>>;
  ssubscribe(
    ...args: SubscribeArgs
  ): Promise<Subscription<B>> {
    return this.#subscribe("shard", args);
  }

  /** subscribe(), psubscribe() and ssubscribe() with their arguments. */
  #subscribe(
    target: Target,
    args: SubscribeArgs,
  ): Promise<Subscription<B>> {
    const core = this.#core;
    const subscribers = core.subscribers;
    if (subscribers === undefined) {
      return Promise.reject(
        new TypeError("Cannot subscribe: this client has no subscriber"),
      );
    }
    const [names, options] = subscribeArgs(args);
    return subscribers.subscriber(this.#binary).subscribe<B>(
      target,
      names,
      options,
      withDefaultTimeout(this.#limits, core.defaultLimits),
    );
  }

  /**
   * This view's executor when it returns promises; otherwise that of the
   * same view with promises (a fireAndForget view's iterators need replies).
   */
  #promises(): Executor<"promise"> {
    if (this.#mode === "promise") {
      return this[EXEC] as unknown as Executor<"promise">;
    }
    const view = viewOf(
      this.#core,
      this.#db,
      this.#binary,
      this.#bigint,
      "promise",
      this.#limits,
      this.#prefix,
      this.#uncached,
    );
    return view[EXEC] as unknown as Executor<"promise">;
  }

  /**
   * Optimistic locking: runs `fn` with `tx`, a view of this one bound to a
   * connection leased to this caller alone (never the shared one), after
   * `WATCH keys` on it. Read through `tx`, then commit through
   * `tx.multi()`: if a watched key changed before its EXEC, that `exec()`
   * rejects with a `WatchError`, nothing of it runs, and `fn` is run again
   * from the start (with a fresh WATCH), up to `maxAttempts` times in all.
   * Resolves to what `fn` returned.
   *
   * `fn` commits at most one transaction: its EXEC ends the WATCH, so a
   * second `tx.multi().exec()` is refused. When `fn` returns (or throws)
   * without one, `UNWATCH` is sent. `tx` refuses commands once `fn` has
   * ended, and blocking commands outside `tx.multi()` (they would block
   * the WATCH's connection); it works in this view's database, with its
   * reply types and limits, and returns promises even on a
   * `fireAndForget` view.
   * Callbacks do not nest.
   *
   * Leased connections are opened with the client's options but never
   * reconnect: a connection lost during `fn` fails it (a transaction cut
   * after its EXEC was written reports `mayHaveExecuted` and is never run
   * again). Between callers, up to 4 idle leased connections are kept; at
   * most 16 are open at once, and more callers wait for one. `close()`
   * closes them all.
   *
   * @typeParam T What `fn` returns.
   * @param keys The keys to watch, in this view's database.
   * @param fn Reads through `tx` and returns `tx.multi()...exec()` (or
   * anything else).
   * @param options `maxAttempts` (default 10).
   * @returns What `fn` returned, once its transaction committed (or it
   * returned without one).
   * @throws {WatchError} A watched key changed before EXEC in each of
   * `maxAttempts` attempts; nothing of the last one ran.
   * @throws {TypeError} For keys that are not a non-empty array, or a
   * `watch()` inside a callback.
   * @throws {RangeError} For a `maxAttempts` that is not a positive integer.
   * @throws {ConnectionError} The leased connection could not be opened or
   * was lost (see `mayHaveExecuted` on a transaction's error).
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const [, balance] = await redis.watch(["balance"], async (tx) => {
   *   const balance = Number(await tx.get("balance") ?? 0);
   *   return await tx.multi().set("balance", balance + 10).get("balance").exec();
   * });
   * console.log(balance); // → "10"
   * ```
   */
  watch<T>(
    keys: readonly RedisKey[],
    fn: (tx: RedisView<"promise", B, I>) => T | PromiseLike<T>,
    options?: WatchOptions,
  ): Promise<T> {
    const core = this.#core;
    let maxAttempts: number;
    try {
      maxAttempts = checkWatch(keys, fn, options);
    } catch (error) {
      return Promise.reject(error);
    }
    const leases = core.leases;
    if (leases === undefined) {
      return Promise.reject(
        new TypeError(
          "Cannot watch: watch() callbacks do not nest (use the outer callback's tx)",
        ),
      );
    }
    const db = this.#db;
    const binary = this.#binary;
    const bigint = this.#bigint;
    const limits = this.#limits;
    const prefix = this.#prefix;
    return runWatch(
      {
        leases,
        db,
        limits: withDefaultTimeout(limits, core.defaultLimits),
        view: (connection) =>
          new RedisView<"promise", B, I>(
            core.leased(connection),
            db,
            binary,
            bigint,
            "promise",
            limits,
            prefix,
          ),
        report: (error, command) =>
          core.events.dispatchEvent(new RedisErrorEvent(error, command)),
      },
      // WATCH is sent directly on the lease: its keys get the prefix here.
      prefix === undefined ? keys : keys.map((key) => prefix.key(key)),
      fn,
      maxAttempts,
    );
  }

  /**
   * Watches every command the server runs (MONITOR), on a connection of its
   * own: resolves, once the server has acknowledged MONITOR, to a
   * {@linkcode Monitor}, an async iterator of parsed lines
   * `{ time, date, db, client, command, args }` in the server's order.
   * `break` out of its loop, `close()`, `await using`, an abort of `signal`
   * or the client's `close()` end it and close its connection.
   *
   * MONITOR is server-wide: a monitor from a `db(n)` or `prefix()` view
   * sees every database and every key, prefixes included. Arguments are
   * strings (UTF-8), or exact bytes (`Uint8Array`) from a `binary` view.
   * The server leaves out admin commands and commands of other monitors,
   * and writes `"(redacted)"` for the passwords it hides.
   *
   * The connection is opened with the client's options but never
   * reconnects: when it is lost, the loop ends with a `ConnectionError`
   * after the lines that had arrived (commands run meanwhile are not seen;
   * call `monitor()` again). Lines wait for the loop in a buffer of
   * `maxBuffered` lines; more are dropped and counted in
   * {@linkcode Monitor.dropped}. MONITOR costs the server: keep it for
   * debugging, not production traffic. The view's `with()` limits do not
   * apply; use `signal`.
   *
   * @param options An abort `signal`, and `maxBuffered` (default 100,000).
   * @returns The monitor, already receiving.
   * @throws {TypeError} For options that are not an object or a signal
   * that is not an `AbortSignal`.
   * @throws {RangeError} For a `maxBuffered` that is not a positive integer.
   * @throws {ConnectionError} The connection could not be opened.
   * @throws {ReplyError} The server refused MONITOR (`NOPERM` for an ACL
   * user without it).
   * @see {@link https://redis.io/docs/latest/commands/monitor/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const monitor = await redis.monitor();
   * await redis.db(1).set("greeting", "hi there");
   * for await (const line of monitor) {
   *   console.log(line.time, line.db, line.client, line.command, line.args);
   *   // → 1718000000.123456 1 "127.0.0.1:50312" "SET" ["greeting", "hi there"]
   *   break; // closes its connection
   * }
   * ```
   */
  monitor(options?: MonitorOptions): Promise<Monitor<B>> {
    const dedicated = this.#core.dedicated;
    let maxBuffered: number;
    try {
      maxBuffered = checkMonitor(options);
      if (dedicated === undefined) {
        throw new TypeError(
          "Cannot monitor: this client cannot open connections",
        );
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return openMonitor<B>(
      dedicated,
      this.#db,
      this.#binary,
      options,
      maxBuffered,
    );
  }

  #batchTarget(): BatchTarget {
    const core = this.#core;
    return {
      sink: core.cache?.passing ?? core.connection,
      db: this.#db,
      binary: this.#binary,
      bigint: this.#bigint,
      limits: this.#mode === "void"
        ? this.#limits
        : withDefaultTimeout(this.#limits, core.defaultLimits),
      root: this.#mode,
      events: core.events,
      prefix: this.#prefix,
    };
  }

  /**
   * Sends any Redis command and returns its raw reply, mapped as described
   * in {@linkcode RespValue}. Commands that would break the shared
   * connection (`SELECT`, `MULTI`, `SUBSCRIBE`, `MONITOR`, `CLIENT REPLY`,
   * ...) are refused with a `TypeError` before anything is sent. Blocking
   * commands (`BLPOP`, `BLMOVE`, `BZMPOP`, `XREAD` with `BLOCK`, `WAIT`...)
   * run on a dedicated connection, as their typed methods do. On a
   * {@linkcode RedisView.prefix} view its keys are prefixed as
   * a typed method's are, and a command the command table does not know
   * is refused (its keys cannot be found).
   *
   * @param command The command name, such as `"OBJECT"`.
   * @param args Its arguments.
   * @returns The raw reply.
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.send("SET", "k", "v");
   * console.log(await redis.send("OBJECT", "ENCODING", "k")); // → "embstr"
   * ```
   */
  send(command: string, ...args: RedisArg[]): Result<M, RespValue> {
    const executor = this[EXEC];
    const spec = resolve([command, ...args]);
    const rest = spec.tokens === 1 ? args : args.slice(spec.tokens - 1);
    const reason = refusal(spec, rest);
    if (reason !== undefined) {
      return executor.refuse(
        new TypeError(`Cannot send ${spec.name}: ${reason}`),
        spec.name,
      );
    }
    return executor.call(spec, rest, raw);
  }

  /**
   * Adds an event listener on the client (views forward to it).
   *
   * @param type An event of {@linkcode RedisEventMap}, such as `"error"`.
   * @param listener The listener.
   * @param options Listener options.
   */
  addEventListener<K extends keyof RedisEventMap>(
    type: K,
    listener: (event: RedisEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  /**
   * Adds an event listener on the client (views forward to it).
   *
   * @param type The event type.
   * @param listener The listener.
   * @param options Listener options.
   */
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: AnyListener,
    options?: boolean | AddEventListenerOptions,
  ): void {
    this.#core.events.addEventListener(type, plainListener(listener), options);
  }

  /**
   * Removes an event listener from the client (views forward to it).
   *
   * @param type An event of {@linkcode RedisEventMap}, such as `"error"`.
   * @param listener The listener.
   * @param options Listener options.
   */
  removeEventListener<K extends keyof RedisEventMap>(
    type: K,
    listener: (event: RedisEventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  /**
   * Removes an event listener from the client (views forward to it).
   *
   * @param type The event type.
   * @param listener The listener.
   * @param options Listener options.
   */
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: AnyListener,
    options?: boolean | EventListenerOptions,
  ): void {
    this.#core.events.removeEventListener(
      type,
      plainListener(listener),
      options,
    );
  }

  /**
   * Dispatches an event on the client, as `EventTarget` does.
   *
   * @param event The event.
   * @returns `false` when a listener cancelled it.
   */
  dispatchEvent(event: Event): boolean {
    return this.#core.events.dispatchEvent(event);
  }
}
