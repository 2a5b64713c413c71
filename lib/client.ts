// The client: connect() and the Redis class, the root view that owns the
// router and dispatches its events. Everything a view can do is in view.ts.

import type { Connection } from "./connection/connection.ts";
import type { Dedicated, Leases } from "./routing/router.ts";
import type { Subscribers } from "./routing/subscriber.ts";
import {
  RedisCloseEvent,
  RedisDisconnectEvent,
  RedisErrorEvent,
  RedisPushEvent,
  RedisReconnectingEvent,
} from "./events.ts";
import type { ConnectOptions } from "./options.ts";
import { type ResolvedOptions, resolveOptions } from "./resolve_options.ts";
import { SentinelLocator } from "./sentinel/locator.ts";
import { Router } from "./routing/router.ts";
import { type ClientCache, Core, viewKey } from "./core.ts";
import { RedisView } from "./view.ts";
import { CachingSink } from "./cache/sink.ts";
import { type CacheStats, CacheStore, NO_CACHE_STATS } from "./cache/store.ts";
import { Tracking } from "./cache/tracking.ts";
import { type ConnectionStats, StatsRegistry } from "./connection/counters.ts";
import type { AclCommands } from "./commands/acl.ts";
import type { BitmapCommands } from "./commands/bitmaps.ts";
import type { ClusterCommands } from "./commands/cluster.ts";
import type { ClusterAdminCommands } from "./commands/cluster_admin.ts";
import type { ConnectionCommands } from "./commands/connection.ts";
import type { GeoCommands } from "./commands/geo.ts";
import type { GeoRadiusCommands } from "./commands/geo_radius.ts";
import type { HashCommands } from "./commands/hashes.ts";
import type { HyperLogLogCommands } from "./commands/hyperloglog.ts";
import type { KeyCommands } from "./commands/keys.ts";
import type { KeyExpiryCommands } from "./commands/key_expiry.ts";
import type { KeyTransferCommands } from "./commands/key_transfer.ts";
import type { ListCommands } from "./commands/lists.ts";
import type { ListMoveCommands } from "./commands/list_moves.ts";
import type { PubSubCommands } from "./commands/pubsub.ts";
import type { ScriptingCommands } from "./commands/scripting.ts";
import type { ScriptCommands } from "./commands/scripts.ts";
import type { FunctionCommands } from "./commands/functions.ts";
import type { ServerCommands } from "./commands/server.ts";
import type { ServerIntrospectionCommands } from "./commands/server_introspection.ts";
import type { SetCommands } from "./commands/sets.ts";
import type { SortedSetCommands } from "./commands/sorted_sets.ts";
import type { SortedSetAlgebraCommands } from "./commands/sorted_set_algebra.ts";
import type { SortedSetPopCommands } from "./commands/sorted_set_pops.ts";
import type { SortedSetRangeCommands } from "./commands/sorted_set_ranges.ts";
import type { StreamCommands } from "./commands/streams.ts";
import type { StreamGroupCommands } from "./commands/stream_groups.ts";
import type { StringCommands } from "./commands/strings.ts";
import type { StringRangeCommands } from "./commands/string_ranges.ts";

/** The tracking of each client with a cache: closed with it. */
const trackings = new WeakMap<Redis, Tracking>();

/** The registry of each client's connections (stats()). */
const registries = new WeakMap<Redis, StatsRegistry>();

/**
 * Gives a client the registry its connections count in (connect() and
 * connectCluster() do).
 *
 * @ignore
 */
export function countConnections(redis: Redis, registry: StatsRegistry): void {
  registries.set(redis, registry);
}

/**
 * A Redis client: one multiplexed, pipelined connection shared by every
 * caller. Commands go on the wire as soon as they are issued (all commands of
 * one tick leave in one write) and replies are matched to callers in order.
 * Get one with {@linkcode connect}.
 *
 * It is an `EventTarget` (see {@linkcode RedisEventMap}) and
 * `AsyncDisposable`: `await using redis = await connect()` closes it at the
 * end of the scope.
 *
 * @example Usage
 * ```ts
 * import { connect } from "@sleeve/redis";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const pending = [redis.set("a", "1"), redis.incr("counter"), redis.get("a")];
 * console.log(await Promise.all(pending)); // → ["OK", 1, "1"]
 * ```
 */
export class Redis extends RedisView<"promise", string, number>
  implements AsyncDisposable {
  readonly #owned: Core;

  /**
   * Constructs a new instance. Use {@linkcode connect} instead.
   *
   * @ignore
   */
  constructor(
    connection: Connection,
    address: string,
    db: number,
    commandTimeout?: number,
    leases?: Leases & Dedicated & Subscribers,
    captureCallSites?: boolean,
    cache?: ClientCache,
  ) {
    const core = new Core(
      connection,
      address,
      commandTimeout,
      leases,
      undefined,
      leases,
      leases,
      captureCallSites,
      cache,
    );
    super(core, db, false, false, "promise");
    this.#owned = core;
    core.views.set(viewKey(db, false, false, "promise"), this);
    connection.listen({
      error: (error, command) =>
        this.dispatchEvent(new RedisErrorEvent(error, command)),
      push: (data) => this.dispatchEvent(new RedisPushEvent(data)),
      connect: () => this.dispatchEvent(new Event("connect")),
      ready: () => this.dispatchEvent(new Event("ready")),
      disconnect: (error) =>
        this.dispatchEvent(new RedisDisconnectEvent(error)),
      reconnecting: (attempt, delay) =>
        this.dispatchEvent(new RedisReconnectingEvent(attempt, delay)),
      close: (error) => this.dispatchEvent(new RedisCloseEvent(error)),
    });
  }

  /** The protocol the connection speaks: 3 (RESP3) or 2 (RESP2). */
  get protocol(): 2 | 3 {
    return this.#owned.connection.protocol;
  }

  /** Whether the client has stopped taking commands (closing, closed or failed). */
  get closed(): boolean {
    return this.#owned.connection.closed;
  }

  /**
   * Whether a connection is up and past its handshake. While it is not (a
   * reconnection is under way), commands wait in order, up to `maxQueued`
   * and `queueTimeout`.
   */
  get ready(): boolean {
    return this.#owned.connection.ready;
  }

  /**
   * Stops taking commands, waits until every command already issued has its
   * reply, then closes the socket. Commands issued afterwards are rejected
   * with a `ConnectionError`. Safe to call more than once.
   *
   * Blocking commands still waiting (`blpop`, `xread` with `block`...) are
   * unblocked (`CLIENT UNBLOCK`) and reject with a `ConnectionError`,
   * unless the server had already popped an element for them, which they
   * then resolve with.
   *
   * While a reconnection is under way there is no socket to wait on: the
   * reconnection stops, and the commands waiting for it are rejected with a
   * `ConnectionError` (never sent) instead. A server that shows no life for
   * `connectTimeout` while replies are due is given up on the same way, so
   * `close()` cannot hang.
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * const redis = await connect();
   * redis.fireAndForget.set("last", "write");
   * await redis.close(); // the SET has been answered
   * ```
   */
  async close(): Promise<void> {
    const tracking = trackings.get(this);
    await Promise.all([this.#owned.connection.close(), tracking?.close()]);
  }

  /**
   * Counts of what the client did, always on (each is an increment where
   * the work is done anyway): `total` and each open connection's
   * {@linkcode ConnectionStats} (commands in flight, waiting, written,
   * replies, errors by kind, timeouts, reconnects, bytes in and out), and
   * the client-side cache's {@linkcode CacheStats} (a client without the
   * `cache` option reports `enabled: false` and zeros).
   *
   * @returns A snapshot: later activity does not change it.
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect({ cache: { maxEntries: 1_000 } });
   * await redis.set("color", "blue");
   * await redis.get("color");
   * await redis.get("color");
   * const { cache, total } = redis.stats();
   * console.log(cache.hits, cache.misses, cache.entries); // → 1 1 1
   * console.log(total.inFlight, total.waiting); // → 0 0
   * ```
   */
  stats(): RedisStats {
    const cache = this.#owned.cache?.store.stats() ?? NO_CACHE_STATS;
    const registry = registries.get(this);
    if (registry === undefined) {
      return { cache, total: NO_CONNECTION_STATS, connections: [] };
    }
    const { total, connections } = registry.snapshot();
    return { cache, total, connections };
  }

  /** Closes the client, as {@linkcode Redis.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Shows the address and state, never credentials. */
  [Symbol.for("Deno.customInspect")](): string {
    const core = this.#owned;
    return `Redis { address: "${core.address}", db: ${this.database}, protocol: ${this.protocol}, closed: ${this.closed} }`;
  }
}

/**
 * The command families of {@linkcode Redis}, listed here so that each is one
 * link away from the client's page: their methods are on the client and on
 * every view (through {@linkcode DataCommands}).
 */
export interface Redis
  extends
    StringCommands<"promise", string, number>,
    StringRangeCommands<"promise", string, number>,
    BitmapCommands<"promise", string, number>,
    KeyCommands<"promise", string, number>,
    KeyExpiryCommands<"promise", string, number>,
    KeyTransferCommands<"promise", string, number>,
    HashCommands<"promise", string, number>,
    ListCommands<"promise", string, number>,
    ListMoveCommands<"promise", string, number>,
    SetCommands<"promise", string, number>,
    SortedSetCommands<"promise", string, number>,
    SortedSetRangeCommands<"promise", string, number>,
    SortedSetPopCommands<"promise", string, number>,
    SortedSetAlgebraCommands<"promise", string, number>,
    HyperLogLogCommands<"promise", string, number>,
    GeoCommands<"promise", string, number>,
    GeoRadiusCommands<"promise", string, number>,
    StreamCommands<"promise", string, number>,
    StreamGroupCommands<"promise", string, number>,
    ScriptingCommands<"promise", string, number>,
    ScriptCommands<"promise", string, number>,
    FunctionCommands<"promise", string, number>,
    PubSubCommands<"promise", string, number>,
    ConnectionCommands<"promise", string, number>,
    ServerCommands<"promise", string, number>,
    ServerIntrospectionCommands<"promise", string, number>,
    AclCommands<"promise", string, number>,
    ClusterCommands<"promise", string, number>,
    ClusterAdminCommands<"promise", string, number> {}

/**
 * Connects to a Redis server and resolves once the handshake is done.
 *
 * `target` is a URL or {@linkcode ConnectOptions}; the default is
 * `redis://127.0.0.1:6379`. URLs: `redis://[user[:password]@]host[:port][/db]`,
 * `rediss://...` for TLS, `redis+unix:///path/to/redis.sock[?db=N]`; the
 * query may give `db`, `password`, `name` (CLIENT SETNAME) and `protocol`
 * (`2` or `3`). TCP and TLS need `--allow-net`; a unix socket needs
 * `--allow-read`, `--allow-write` and `--allow-net=unix:` on its path. The
 * handshake (AUTH, `HELLO 3` with a RESP2 fallback for servers without it,
 * CLIENT SETNAME, CLIENT SETINFO, SELECT) goes out in one write.
 *
 * With `sentinels` and `masterName` (see {@linkcode ConnectOptions.sentinels})
 * the client asks Redis Sentinel where the master (or, with `role:
 * "replica"`, a replica) is on every connection and reconnection, checks its
 * `ROLE`, and follows Sentinel's failovers.
 *
 * @param target A URL or options.
 * @returns The connected client.
 * @throws {TypeError} For a malformed URL or option (before any socket is opened).
 * @throws {RangeError} For an out-of-range option.
 * @throws {ConnectionError} When the server cannot be reached.
 * @throws {SentinelError} When no sentinel named a usable server (a
 * `ConnectionError` naming each sentinel tried).
 * @throws {ReplyError} When the server refuses the credentials, name or database.
 * @throws {TimeoutError} When it did not finish within `connectTimeout`.
 *
 * @example Usage
 * ```ts
 * import { connect } from "@sleeve/redis";
 *
 * await using redis = await connect({ hostname: "127.0.0.1", port: 6379, db: 2 });
 * console.log(await redis.ping()); // → "PONG"
 * ```
 *
 * @example Through Redis Sentinel
 * ```ts
 * import { connect } from "@sleeve/redis";
 *
 * await using redis = await connect({
 *   sentinels: ["redis://10.0.0.11:26379", "redis://10.0.0.12:26379"],
 *   masterName: "mymaster",
 * });
 * await redis.set("greeting", "hello");
 * ```
 */
export async function connect(
  target?: string | ConnectOptions,
): Promise<Redis> {
  // Every connection the client opens counts in one registry (stats()).
  const stats = new StatsRegistry();
  const options: ResolvedOptions = { ...resolveOptions(target), stats };
  let config: ResolvedOptions = options;
  if (options.sentinel !== undefined) {
    // Every connection the client opens asks the sentinels where to go.
    const locator = new SentinelLocator(options.sentinel, options);
    config = { ...options, locator };
  }
  let router: Router;
  try {
    router = await Router.open(config, config);
  } catch (error) {
    await config.locator?.close();
    throw error;
  }
  const cache = options.cache;
  const store = cache === undefined ? undefined : new CacheStore(cache);
  const redis = new Redis(
    router,
    options.address,
    options.db,
    options.commandTimeout,
    router,
    options.captureCallSites,
    cache === undefined || store === undefined ? undefined : {
      store,
      serving: new CachingSink(router, store, true, cache.bcast),
      passing: new CachingSink(router, store, false, cache.bcast),
    },
  );
  countConnections(redis, stats);
  if (cache === undefined || store === undefined) return redis;
  try {
    const tracking = await Tracking.start(
      router,
      store,
      config,
      { bcast: cache.bcast },
      (error) =>
        redis.dispatchEvent(new RedisErrorEvent(error, "CLIENT TRACKING")),
    );
    trackings.set(redis, tracking);
  } catch (error) {
    await redis.close();
    throw error;
  }
  return redis;
}

/**
 * What {@linkcode Redis.stats} returns: one section per subsystem.
 *
 * @example Usage
 * ```ts
 * import { connect, type RedisStats } from "@sleeve/redis";
 *
 * await using redis = await connect({ cache: true });
 * const stats: RedisStats = redis.stats();
 * console.log(stats.cache.enabled); // → true
 * ```
 */
export interface RedisStats {
  /** The client-side cache. */
  readonly cache: CacheStats;
  /**
   * Every connection the client opened, closed ones included (`inFlight`
   * and `waiting` are the open ones').
   */
  readonly total: ConnectionStats;
  /**
   * Each connection open now: the shared one first (on a cluster, one per
   * node), then the blocking pool's, watch leases, subscriber connections...
   */
  readonly connections: readonly ConnectionStats[];
}

const NO_CONNECTION_STATS: ConnectionStats = {
  role: "total",
  address: "",
  inFlight: 0,
  waiting: 0,
  written: 0,
  replies: 0,
  errors: {},
  timeouts: 0,
  reconnects: 0,
  bytesIn: 0,
  bytesOut: 0,
};
