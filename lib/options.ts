// The options of connect(), as a caller writes them: the public option types
// (ConnectOptions and the TLS, cache and reconnection settings it holds).
// Checking them and filling in defaults is resolve_options.ts.

import type { CommandHooks } from "./observe.ts";

/**
 * TLS settings of {@linkcode ConnectOptions.tls}. The server certificate is
 * always verified; a client certificate is sent when `cert` and `key` are
 * given, for servers that require one (`tls-auth-clients yes`, Redis'
 * default once TLS is on).
 *
 * @example Usage
 * ```ts
 * import { connect, type TlsOptions } from "@sleeve/redis";
 *
 * const tls: TlsOptions = {
 *   caCerts: [await Deno.readTextFile("./ca.pem")],
 *   serverName: "redis.internal",
 *   cert: await Deno.readTextFile("./client.pem"),
 *   key: await Deno.readTextFile("./client-key.pem"),
 * };
 * await using redis = await connect({ hostname: "10.0.0.5", port: 6380, tls });
 * ```
 */
export interface TlsOptions {
  /** PEM CA certificates to trust in addition to the system store. */
  caCerts?: string[];
  /**
   * The name to verify in the server certificate, when it differs from the
   * hostname (for example when connecting by IP address).
   */
  serverName?: string;
  /**
   * The client certificate (PEM; the chain, leaf first, when there are
   * intermediates), sent to a server that asks for one. Needs `key`. Such a
   * connection keeps Nagle's algorithm on (Deno cannot turn it off there):
   * a command over 16 KiB may wait ~40 ms (README, "Mutual TLS").
   */
  cert?: string;
  /**
   * The private key of `cert` (PEM: PKCS#8, RSA or EC). Needs `cert`. It
   * never appears in an error message.
   */
  key?: string;
}

/**
 * Options of {@linkcode connect}. A `url` gives several at once; fields set
 * next to it override the parts it gives.
 *
 * URLs: `redis://[user[:password]@]host[:port][/db][?query]`, `rediss://...`
 * for TLS, `redis+unix://[user[:password]@]/path/to/redis.sock[?query]`. The
 * user and password are percent-decoded; the query may set `db`, `password`,
 * `name` and `protocol` (`+` is a literal plus).
 *
 * @example Usage
 * ```ts
 * import { connect, type ConnectOptions } from "@sleeve/redis";
 *
 * const options: ConnectOptions = {
 *   url: "redis://:secret@127.0.0.1:6379/2",
 *   name: "worker-1",
 *   connectTimeout: 2_000,
 * };
 * await using redis = await connect(options);
 * ```
 */
export interface ConnectOptions {
  /** A Redis URL; the fields below override the parts it gives. */
  url?: string;
  /**
   * The server's host name or IP address (IPv6 with or without brackets).
   *
   * @default {"127.0.0.1"}
   */
  hostname?: string;
  /**
   * The server's TCP port.
   *
   * @default {6379}
   */
  port?: number;
  /** A unix socket path, instead of `hostname`, `port` and `tls`. */
  path?: string;
  /**
   * Whether to use TLS, or how.
   *
   * @default {false}
   */
  tls?: boolean | TlsOptions;
  /**
   * The ACL user. When omitted (or empty), no user name is sent and the
   * server authenticates the `default` user.
   *
   * @default {"default"}
   */
  username?: string;
  /** The password, sent with `AUTH` when set. */
  password?: string;
  /**
   * The database to select.
   *
   * @default {0}
   */
  db?: number;
  /** The connection name, sent with `CLIENT SETNAME`: printable ASCII, no spaces. */
  name?: string;
  /**
   * The RESP version to ask for with `HELLO`; servers without `HELLO` get RESP2.
   *
   * @default {3}
   */
  protocol?: 2 | 3;
  /**
   * Milliseconds allowed for opening the socket and the handshake.
   *
   * @default {10000}
   */
  connectTimeout?: number;
  /**
   * The largest bulk string accepted in a reply and sent as an argument, in
   * bytes.
   *
   * @default {536870912}
   */
  maxBulkLength?: number;
  /**
   * Bytes of encoded commands waiting to be written before new commands wait
   * for the socket to drain.
   *
   * @default {67108864}
   */
  maxBufferedBytes?: number;
  /**
   * Automatic reconnection after the connection is lost: `false` turns it
   * off (the client then closes for good on the first failure), an object
   * tunes it. Delays grow exponentially from `minDelay` to `maxDelay`, with
   * jitter; each attempt is bounded by `connectTimeout`. Only a connection
   * that was once established is re-established: `connect()` itself fails
   * fast.
   *
   * @default {true}
   */
  reconnect?: boolean | ReconnectOptions;
  /**
   * The most commands that may wait to be written: while disconnected, or
   * while the write buffer is over `maxBufferedBytes`. Past it, a command is
   * rejected (fire-and-forget ones are dropped and counted in one `error`
   * event). Blocking commands waiting for one of the
   * `maxBlockingConnections` are bounded by it too, on their own.
   *
   * @default {100000}
   */
  maxQueued?: number;
  /**
   * The most commands written and still awaiting their replies. Past it, new
   * commands wait to be written, as for `maxBufferedBytes`. A server that
   * reads but does not answer (`CLIENT PAUSE`) would otherwise let the reply
   * queue grow with every command issued; a command in flight costs about
   * 190 bytes (32 for fire-and-forget).
   *
   * @default {1000000}
   */
  maxInFlight?: number;
  /**
   * Milliseconds a command may wait to be written (while disconnected or
   * while the write buffer is full) before it is rejected; also how long a
   * blocking command may wait for one of the `maxBlockingConnections`.
   *
   * @default {10000}
   */
  queueTimeout?: number;
  /**
   * The most dedicated connections open at once for blocking commands
   * (`blpop`, `blmove`, `bzmpop`, `xread` with `block`, `wait`...), which
   * never run on the shared connection. Each blocking call has one to
   * itself until its reply; past the bound, calls wait in order for one,
   * within `maxQueued` and `queueTimeout` as commands waiting to be written
   * do.
   *
   * @default {16}
   */
  maxBlockingConnections?: number;
  /**
   * Milliseconds an idle dedicated connection of a blocking command is kept
   * open for the next one before it is closed.
   *
   * @default {30000}
   */
  blockingIdleTimeout?: number;
  /**
   * Milliseconds after which a command on a promise view is rejected with a
   * `TimeoutError` unless its reply arrived; as `redis.with({ timeout })` for
   * every command (a `with()` view without a timeout of its own keeps it),
   * and as cheap (no timer per command). A command already
   * handed to the connection keeps its place and its late reply is dropped.
   * Off by default.
   */
  commandTimeout?: number;
  /**
   * Milliseconds between health checks: an idle connection is sent `PING`,
   * and a connection that has commands waiting but received nothing for two
   * checks in a row is declared dead (then reconnected). Choose it above
   * half your slowest command (a long Lua script, a large `KEYS`), which
   * would otherwise look like a dead server. Off by default; TCP keep-alive
   * is always on.
   */
  pingInterval?: number;
  /**
   * Sentinel URLs (`redis://[user:password@]host[:port]`, `rediss://` for
   * TLS; port 26379 by default): the client asks them where the server is
   * (see `masterName`) on every connection and reconnection, instead of
   * connecting to `hostname`/`port`, and follows their failovers. The
   * credentials in a sentinel URL are the sentinel's own; `username` and
   * `password` are the data nodes'. `tls` applies to the data nodes, and
   * to `rediss:` sentinels but for its `serverName` (their CA certificates
   * and client certificate). Cannot be combined with `url`,
   * `hostname`, `port` or `path`.
   */
  sentinels?: string[];
  /** The name the sentinels monitor the master under; required with `sentinels`. */
  masterName?: string;
  /**
   * With `sentinels`: connect to the master, or to one of its healthy
   * replicas (for reads; writes are answered `READONLY`).
   *
   * @default {"master"}
   */
  role?: "master" | "replica";
  /**
   * Whether a `ReplyError`'s stack shows the code awaiting the command (each
   * async caller at its `await`, through `Promise.all` too) instead of the
   * frames that read the reply, as ioredis' `showFriendlyErrorStack`. Each
   * reply is then awaited in an async function of sleeve's: nothing is
   * captured unless a command fails, but every command costs one more
   * promise, about 14-18% on pipelined workloads and under 1% on sequential
   * ones (bench/call_sites_bench.ts), so it is off by default. A reply
   * consumed with `.then()` keeps its own stack. It applies to promise
   * views: single commands, `send()` and scripts; not to
   * `multi()`/`pipeline()`.
   *
   * @default {false}
   */
  captureCallSites?: boolean;
  /**
   * Client-side caching: `true` or {@linkcode CacheOptions} turns it on for
   * every cacheable read of the client and its views (GET, HGETALL,
   * SMEMBERS, ZRANGE, MGET, EXISTS...: read-only commands whose reply
   * depends only on the keys' values), kept correct by the server's
   * invalidations (`CLIENT TRACKING`). `redis.uncached` bypasses it;
   * `fireAndForget`, `multi()`, `pipeline()`, `watch()` and blocking
   * commands never use it. A cached read may miss a write whose
   * invalidation is still on its way; once it has arrived, no read returns
   * the old value. `connect()` fails when the server refuses tracking
   * (Redis before 6). Off by default. With `connectCluster()`, one cache
   * serves the whole client and every node's connection tracks the keys
   * read through it; a lost node connection drops the whole cache.
   */
  cache?: boolean | CacheOptions;
  /**
   * Per-command hooks (see {@linkcode CommandHooks}): called for every
   * command on every connection of the client, with its name, database,
   * argument count and size, times, outcome and server, never its argument
   * values or keys unless `includeArgs` or `includeKeys` is set. For tracing (OpenTelemetry spans)
   * and latency histograms. A client without hooks does none of this work.
   */
  hooks?: CommandHooks;
}

/**
 * Options of {@linkcode ConnectOptions.cache}: the bounds of the cache, and
 * how the server tracks what it holds.
 *
 * @example Usage
 * ```ts
 * import { type CacheOptions, connect } from "@sleeve/redis";
 *
 * const cache: CacheOptions = { maxEntries: 50_000, maxBytes: 32 * 1024 * 1024, ttl: 60_000 };
 * await using redis = await connect({ cache });
 * await redis.get("config:flags"); // from the server, then held
 * await redis.get("config:flags"); // from memory until the key changes
 * ```
 */
export interface CacheOptions {
  /**
   * The most replies held; past it the least recently used is dropped.
   *
   * @default {10000}
   */
  maxEntries?: number;
  /**
   * The most bytes held (an estimate of keys, arguments and replies); past
   * it the least recently used replies are dropped.
   *
   * @default {67108864}
   */
  maxBytes?: number;
  /**
   * Milliseconds a reply is served from memory after it arrived, even
   * without an invalidation. Unlimited by default.
   */
  ttl?: number;
  /**
   * Broadcast tracking (`CLIENT TRACKING on BCAST`): the server sends an
   * invalidation for every change of a key under one of these prefixes
   * (`true`: of every key), whoever read it, instead of remembering which
   * keys this client read. Only keys under a prefix are cached. For
   * workloads where many clients read the same keys; each client then
   * receives every change under its prefixes.
   */
  bcast?: true | readonly string[];
}

/**
 * Tuning of {@linkcode ConnectOptions.reconnect}.
 *
 * @example Usage
 * ```ts
 * import { connect, type ReconnectOptions } from "@sleeve/redis";
 *
 * const reconnect: ReconnectOptions = { maxAttempts: 10, maxDelay: 2_000 };
 * await using redis = await connect({ reconnect });
 * ```
 */
export interface ReconnectOptions {
  /**
   * Attempts in a row before giving up; the client then closes and rejects
   * every waiting command.
   *
   * @default {Infinity}
   */
  maxAttempts?: number;
  /**
   * Milliseconds before the second attempt (the first is immediate); doubles
   * on each attempt after that.
   *
   * @default {50}
   */
  minDelay?: number;
  /**
   * The longest delay between attempts, in milliseconds. It bounds how long
   * the client may take to notice that the server is back.
   *
   * @default {500}
   */
  maxDelay?: number;
}
