// The Redis Cluster client: connectCluster() and RedisCluster, a Redis whose
// requests go through a ClusterRouter (one multiplexed connection per master)
// instead of one server's router. Same commands, same views; with `cache`, one
// store for the whole client and a Tracking on every node's connection.

import { countConnections, Redis } from "../client.ts";
import { StatsRegistry } from "../connection/counters.ts";
import { CachingSink } from "../cache/sink.ts";
import { CacheStore, type StoreBounds } from "../cache/store.ts";
import { Tracking } from "../cache/tracking.ts";
import { RedisErrorEvent } from "../events.ts";
import type { ClientCache } from "../core.ts";
import type { ConnectOptions } from "../options.ts";
import { resolveOptions } from "../resolve_options.ts";
import { milliseconds } from "../_validate.ts";
import { ClusterRouter } from "./cluster_router.ts";
import {
  type ClusterCounters,
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_REFRESH_INTERVAL,
  DEFAULT_RETRY_TIMEOUT,
  type ReplicaReads,
} from "./options.ts";
import { joinAddress, type NodeAttach } from "./nodes.ts";
import type { AddressMap } from "./topology.ts";

export type { AddressMap, ClusterCounters, ReplicaReads };

/**
 * Options of {@linkcode connectCluster}: the seed nodes, what a single
 * server's {@linkcode ConnectOptions} say for every node (credentials, TLS,
 * timeouts, bounds; not an address or database), and how commands follow the
 * cluster.
 *
 * @example Usage
 * ```ts
 * import { type ClusterOptions, connectCluster } from "@sleeve/redis";
 *
 * const options: ClusterOptions = {
 *   nodes: ["redis://127.0.0.1:7000", "redis://127.0.0.1:7001"],
 *   commandTimeout: 2_000,
 * };
 * await using cluster = await connectCluster(options);
 * ```
 */
export interface ClusterOptions
  extends Omit<ConnectOptions, "url" | "hostname" | "port" | "path" | "db"> {
  /**
   * Seed nodes as URLs (`redis://host:port`, `rediss://...` for TLS, with
   * credentials if the cluster needs them); any one that answers is enough,
   * the others are tried in turn. Every node the cluster announces is
   * reached with the same scheme and credentials, so the seeds must agree
   * on both.
   */
  nodes: readonly string[];
  /**
   * MOVED and ASK redirects one command may follow before it fails with a
   * `ClusterError`.
   *
   * @default {16}
   */
  maxRedirects?: number;
  /**
   * Milliseconds a command without a timeout of its own (`commandTimeout`,
   * `with({ timeout })`) keeps being retried while nodes refuse it
   * unapplied (CLUSTERDOWN, TRYAGAIN, MASTERDOWN, LOADING, READONLY, an
   * unreachable owner), counted from the first refusal. A command with a
   * timeout retries until that timeout instead.
   *
   * @default {15000}
   */
  retryTimeout?: number;
  /**
   * Milliseconds between refreshes of the slot map besides those a MOVED or
   * a lost node triggers; 0 for none. Refreshes are shared and at least
   * 250 ms apart, whatever triggers them.
   *
   * @default {30000}
   */
  topologyRefreshInterval?: number;
  /**
   * Rewrites the addresses nodes announce (`"10.0.0.5:6379"`) into the ones
   * this client reaches (Docker, NAT): a record, or a function returning the
   * new address or `undefined` to keep it.
   */
  addressMap?: AddressMap;
  /**
   * Where commands the command table marks read-only go: `"never"` to the
   * master, `"prefer"` to a replica of the slot's master when one is
   * reachable (else the master), `"only"` to its replicas alone. Replica
   * connections are sent READONLY; a replica that cannot be reached is
   * passed over for a second. Reads from a replica may miss the latest
   * writes (replication is asynchronous).
   *
   * @default {"never"}
   */
  replicaReads?: ReplicaReads;
}

/**
 * A Redis Cluster client: the same commands and views as {@linkcode Redis}
 * (`fireAndForget`, `binary`, `bigint`, `with()`, `prefix()`, `multi()`,
 * `pipeline()`, `watch()`, scripts, `scan()`, `subscribe()`), each command
 * sent to the master serving its keys' slot on that node's multiplexed
 * connection. Get one with {@linkcode connectCluster}.
 *
 * - `db(n)` throws for any n but 0: a cluster has only database 0.
 * - MGET, MSET, DEL, UNLINK, EXISTS and TOUCH whose keys span slots are
 *   split per slot and their replies merged in the caller's order (MSET is
 *   then atomic per slot only); other commands, scripts and transactions
 *   whose keys span slots reject with a `CrossSlotError` before anything is
 *   sent.
 * - MOVED and ASK are followed; TRYAGAIN, CLUSTERDOWN, MASTERDOWN, LOADING
 *   and READONLY (nodes saying they did not apply the command) are retried,
 *   writes included, within the command's timeout (or `retryTimeout`). A
 *   write whose connection was lost after it was sent is never retried.
 * - Keyless commands follow the command table: DBSIZE, KEYS, FLUSHALL,
 *   SCRIPT LOAD, FUNCTION LOAD... go to every master (DBSIZE sums, KEYS
 *   concatenates); `scan()` walks every master; others go to any master.
 * - With the `cache` option, one client-side cache serves every node: each
 *   node's connection turns tracking on before it serves anything, a slot
 *   moved with MIGRATE is invalidated by its old owner, and a node's
 *   connection lost (a failover, a kill) drops the whole cache;
 *   `stats().cache` and `uncached` work as on one server.
 *
 * @example Usage
 * ```ts
 * import { connectCluster } from "@sleeve/redis";
 *
 * await using cluster = await connectCluster(["redis://127.0.0.1:7000"]);
 * await cluster.mset({ "user:1": "ada", "user:2": "grace" }); // two slots
 * console.log(await cluster.mget("user:1", "user:2")); // → ["ada", "grace"]
 * ```
 */
export class RedisCluster extends Redis {
  readonly #router: ClusterRouter;

  /**
   * Constructs a new instance. Use {@linkcode connectCluster} instead.
   *
   * @ignore
   */
  constructor(
    router: ClusterRouter,
    commandTimeout: number | undefined,
    captureCallSites = false,
    cache?: ClientCache,
  ) {
    super(
      router,
      "cluster",
      0,
      commandTimeout,
      router,
      captureCallSites,
      cache,
    );
    this.#router = router;
  }

  /**
   * The masters serving slots, as `"host:port"`, in slot order, as the
   * client last learned them.
   *
   * @example Usage
   * ```ts
   * import { connectCluster } from "@sleeve/redis";
   *
   * await using cluster = await connectCluster(["redis://127.0.0.1:7000"]);
   * console.log(cluster.masters); // → ["127.0.0.1:7000", "127.0.0.1:7001", "127.0.0.1:7002"]
   * ```
   */
  get masters(): string[] {
    return this.#router.topology.masters.map((node) => node.address);
  }

  /**
   * What the client has followed and retried since it connected: MOVED and
   * ASK redirects, TRYAGAIN, CLUSTERDOWN and other refusals retried,
   * commands sent again after an unreachable node, topology queries.
   *
   * @example Usage
   * ```ts
   * import { connectCluster } from "@sleeve/redis";
   *
   * await using cluster = await connectCluster(["redis://127.0.0.1:7000"]);
   * await cluster.get("k");
   * const { moved, ask, tryAgain } = cluster.counters;
   * console.log(moved + ask + tryAgain); // → 0 on a stable cluster
   * ```
   */
  get counters(): ClusterCounters {
    return this.#router.counters;
  }

  /** Shows the masters and state, never credentials. */
  [Symbol.for("Deno.customInspect")](): string {
    return `RedisCluster { masters: ${
      JSON.stringify(this.masters)
    }, protocol: ${this.protocol}, closed: ${this.closed} }`;
  }
}

/**
 * Connects to a Redis Cluster: asks the seed nodes in turn for the slot map
 * (CLUSTER SHARDS, or CLUSTER SLOTS before Redis 7) and resolves once one
 * answered. Connections to the masters open on first use.
 *
 * @param target Seed node URLs, or {@linkcode ClusterOptions}.
 * @returns The connected client.
 * @throws {TypeError} For a malformed URL or option, or seeds that mix
 * schemes or credentials (before any socket is opened).
 * @throws {RangeError} For an out-of-range option.
 * @throws {ConnectionError} When no seed could be reached or answered with a
 * slot map; the message names each seed and why.
 *
 * @example Usage
 * ```ts
 * import { connectCluster } from "@sleeve/redis";
 *
 * await using cluster = await connectCluster({
 *   nodes: ["redis://127.0.0.1:7000", "redis://127.0.0.1:7001"],
 * });
 * await cluster.set("{user:1}.name", "ada");
 * console.log(await cluster.get("{user:1}.name")); // → "ada"
 * ```
 */
export function connectCluster(
  target: readonly string[] | ClusterOptions,
): Promise<RedisCluster> {
  return openCluster(target, (bounds) => new CacheStore(bounds));
}

/**
 * {@linkcode connectCluster}, with the cache's store made by `newStore`
 * (tests record what it processed).
 *
 * @param target Seed node URLs, or {@linkcode ClusterOptions}.
 * @param newStore Makes the store when the `cache` option is on.
 * @returns The connected client.
 */
export async function openCluster(
  target: readonly string[] | ClusterOptions,
  newStore: (bounds: StoreBounds) => CacheStore,
): Promise<RedisCluster> {
  const options: ClusterOptions = Array.isArray(target)
    ? { nodes: target as readonly string[] }
    : target as ClusterOptions;
  if (options === null || typeof options !== "object") {
    throw new TypeError(
      "Cannot connect to the cluster: expected a list of node URLs or an options object",
    );
  }
  const {
    nodes,
    maxRedirects = DEFAULT_MAX_REDIRECTS,
    retryTimeout = DEFAULT_RETRY_TIMEOUT,
    topologyRefreshInterval = DEFAULT_REFRESH_INTERVAL,
    addressMap,
    replicaReads = "never",
    ...common
  } = options;
  if (!Array.isArray(nodes) || nodes.length === 0) {
    throw new TypeError(
      "Cannot connect to the cluster: nodes must be a non-empty list of URLs",
    );
  }
  for (const key of ["url", "hostname", "port", "path", "db"]) {
    if (key in common) {
      throw new TypeError(
        `Cannot connect to the cluster: ${key} is not a cluster option (give seed URLs in nodes)`,
      );
    }
  }
  if (!Number.isSafeInteger(maxRedirects) || maxRedirects < 0) {
    throw new RangeError(
      `Cannot connect to the cluster: maxRedirects must be a non-negative integer, received ${maxRedirects}`,
    );
  }
  const invalid = "Cannot connect to the cluster";
  milliseconds("retryTimeout", retryTimeout, invalid);
  if (topologyRefreshInterval !== 0) {
    milliseconds("topologyRefreshInterval", topologyRefreshInterval, invalid);
  }
  if (
    addressMap !== undefined && typeof addressMap !== "function" &&
    (addressMap === null || typeof addressMap !== "object")
  ) {
    throw new TypeError(
      "Cannot connect to the cluster: addressMap must be a record or a function",
    );
  }
  if (
    replicaReads !== "never" && replicaReads !== "prefer" &&
    replicaReads !== "only"
  ) {
    throw new TypeError(
      `Cannot connect to the cluster: replicaReads must be "never", "prefer" or "only"`,
    );
  }
  // Every seed resolved as one server would be; the first is the template.
  const resolved = nodes.map((url) => {
    if (typeof url !== "string") {
      throw new TypeError(
        "Cannot connect to the cluster: every node must be a URL string",
      );
    }
    const r = resolveOptions({ ...common, url });
    if (r.transport.kind !== "tcp") {
      throw new TypeError(
        "Cannot connect to the cluster: nodes must be TCP URLs (redis:// or rediss://)",
      );
    }
    if (r.db !== 0) {
      throw new TypeError(
        "Cannot connect to the cluster: a cluster has only database 0",
      );
    }
    return r;
  });
  // Every connection the cluster client opens counts in one registry.
  const template = { ...resolved[0]!, stats: new StatsRegistry() };
  // Every node is reached as the first seed says (TLS, credentials): a seed
  // that says otherwise would silently be dialed another way.
  const tlsOf = (r: typeof resolved[number]) =>
    r.transport.kind === "tcp" && r.transport.tls !== null;
  for (const r of resolved) {
    if (tlsOf(r) !== tlsOf(template)) {
      throw new TypeError(
        "Cannot connect to the cluster: the seeds mix redis:// and rediss:// (every node is reached the same way)",
      );
    }
    if (
      r.username !== template.username || r.password !== template.password
    ) {
      throw new TypeError(
        "Cannot connect to the cluster: the seeds carry different credentials (every node is reached with the same ones)",
      );
    }
  }
  const seeds = resolved.map((r) => {
    const t = r.transport as { hostname: string; port: number };
    return joinAddress(t.hostname, t.port);
  });
  const cache = template.cache;
  // Errors of trackings go to the client once there is one.
  const self: { cluster?: RedisCluster; router?: ClusterRouter } = {};
  let store: CacheStore | undefined;
  let attach: NodeAttach | undefined;
  let adopted: (() => void) | undefined;
  /** The masters serving slots in the slot map in use. */
  let masters: ReadonlySet<string> | undefined;
  if (cache !== undefined) {
    const shared = store = newStore(cache);
    // Every node's connection tracks the keys read through it before it
    // serves; its loss (or the client's close) untracks it and flushes.
    // The RESP2 redirect connection reconnects as one server's would.
    attach = async (_address, router, config) => {
      const tracking = await Tracking.start(
        router,
        shared,
        { ...config, reconnect: template.reconnect },
        { bcast: cache.bcast },
        (error) =>
          self.cluster?.dispatchEvent(
            new RedisErrorEvent(error, "CLIENT TRACKING"),
          ),
      );
      return () => tracking.close();
    };
    // A master that serves no slot any more (failed over, maybe cut off
    // from the cluster but not from this client) may not send the
    // invalidations of writes made on its replacement: drop everything it
    // could have fed.
    adopted = () => {
      const router = self.router;
      if (router === undefined) return;
      const now = new Set(router.topology.masters.map((node) => node.address));
      const before = masters;
      masters = now;
      if (before === undefined) return;
      for (const address of before) {
        if (!now.has(address)) {
          shared.flush();
          return;
        }
      }
    };
  }
  const router = await ClusterRouter.open(template, {
    attach,
    adopted,
    seeds,
    maxRedirects,
    retryTimeout,
    refreshInterval: topologyRefreshInterval,
    addressMap,
    replicaReads,
    maxBlockingConnections: template.maxBlockingConnections,
    blockingIdleTimeout: template.blockingIdleTimeout,
  });
  self.router = router;
  masters = new Set(router.topology.masters.map((node) => node.address));
  const cluster = self.cluster = new RedisCluster(
    router,
    template.commandTimeout,
    template.captureCallSites,
    store === undefined || cache === undefined ? undefined : {
      store,
      serving: new CachingSink(router, store, true, cache.bcast),
      passing: new CachingSink(router, store, false, cache.bcast),
    },
  );
  countConnections(cluster, template.stats);
  return cluster;
}
