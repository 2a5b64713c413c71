// How connect()'s options resolve: every field checked (TypeError, RangeError)
// before any socket is opened, every default filled in. URLs are parsed in
// _url.ts, shared checks in _validate.ts, Sentinel's in sentinel/options.ts.

import type {
  CacheOptions,
  ConnectOptions,
  ReconnectOptions,
  TlsOptions,
} from "./options.ts";
import { Observer } from "./observe.ts";
import type {
  ConnectionConfig,
  ReconnectPolicy,
  Transport,
} from "./connection/config.ts";
import { DEFAULT_MAX_BULK_LENGTH } from "./resp/types.ts";
import {
  DEFAULT_BLOCKING_IDLE_TIMEOUT,
  DEFAULT_MAX_BLOCKING_CONNECTIONS,
} from "./routing/router.ts";
import { resolveSentinel, type SentinelSettings } from "./sentinel/options.ts";
import { parseRedisUrl } from "./_url.ts";
import {
  CLIENT_NAME,
  integer,
  isObject,
  MAX_BULK_LENGTH,
  MAX_TIMEOUT,
  milliseconds,
  MIN_BUFFERED_BYTES,
  NAME_RULE,
  nonEmptyString,
  optionsError,
  rangeError,
} from "./_validate.ts";

/** {@linkcode CacheOptions} with every default filled in. */
export interface ResolvedCache {
  /** Replies held at most. */
  maxEntries: number;
  /** Bytes held at most. */
  maxBytes: number;
  /** Milliseconds a reply is served; Infinity: no limit. */
  ttl: number;
  /** BCAST prefixes (empty: every key), or undefined for the default mode. */
  bcast: readonly string[] | undefined;
}

/** The default of `cache.maxEntries`. */
export const DEFAULT_CACHE_ENTRIES = 10_000;
/** The default of `cache.maxBytes`. */
export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Validated options with every default filled in: the connection's own
 * configuration, and what the client keeps for itself.
 */
export interface ResolvedOptions extends ConnectionConfig {
  /** Client-wide command timeout, when set. */
  commandTimeout: number | undefined;
  /** Dedicated connections open at once for blocking commands. */
  maxBlockingConnections: number;
  /** Milliseconds an idle dedicated connection is kept. */
  blockingIdleTimeout: number;
  /** Whether ReplyErrors get the stack of the line that issued the command. */
  captureCallSites: boolean;
  /** The client-side cache, when on. */
  cache: ResolvedCache | undefined;
  /** The Sentinel options, when given (`transport` is then a placeholder). */
  sentinel?: SentinelSettings;
}
const DEFAULT_HOSTNAME = "127.0.0.1";
const DEFAULT_PORT = 6379;
const DEFAULT_CONNECT_TIMEOUT = 10_000;
const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_QUEUED = 100_000;
const DEFAULT_MAX_IN_FLIGHT = 1_000_000;
const DEFAULT_QUEUE_TIMEOUT = 10_000;
const DEFAULT_MIN_DELAY = 50;
const DEFAULT_MAX_DELAY = 500;

/**
 * Validates `connect()`'s argument and fills in every default. Opens nothing.
 *
 * @param target A URL or options; the default is `redis://127.0.0.1:6379`.
 * @returns The resolved options.
 * @throws {TypeError} For a malformed URL, a wrong type or conflicting options.
 * @throws {RangeError} For an out-of-range number.
 */
export function resolveOptions(
  target?: string | ConnectOptions,
): ResolvedOptions {
  if (target !== undefined && typeof target !== "string" && !isObject(target)) {
    optionsError("expected a URL string or an options object", target);
  }
  const given: ConnectOptions = typeof target === "string"
    ? { url: target }
    : target ?? {};
  const fromUrl: ConnectOptions = given.url === undefined
    ? {}
    : parseRedisUrl(given.url);
  // Explicit fields win over the URL's.
  const pick = <K extends keyof ConnectOptions>(key: K): ConnectOptions[K] =>
    given[key] !== undefined ? given[key] : fromUrl[key];
  const o: ConnectOptions = {
    hostname: pick("hostname"),
    port: pick("port"),
    path: pick("path"),
    tls: pick("tls"),
    username: pick("username"),
    password: pick("password"),
    db: pick("db"),
    name: pick("name"),
    protocol: pick("protocol"),
    connectTimeout: pick("connectTimeout"),
    maxBulkLength: pick("maxBulkLength"),
    maxBufferedBytes: pick("maxBufferedBytes"),
    reconnect: pick("reconnect"),
    maxQueued: pick("maxQueued"),
    maxInFlight: pick("maxInFlight"),
    queueTimeout: pick("queueTimeout"),
    maxBlockingConnections: pick("maxBlockingConnections"),
    blockingIdleTimeout: pick("blockingIdleTimeout"),
    commandTimeout: pick("commandTimeout"),
    pingInterval: pick("pingInterval"),
    captureCallSites: pick("captureCallSites"),
    cache: given.cache,
    hooks: given.hooks,
  };
  validate(o);
  const sentinel = resolveSentinel({
    sentinels: given.sentinels,
    masterName: given.masterName,
    role: given.role,
    tls: resolveTls(o.tls),
  });
  if (
    sentinel !== undefined &&
    (given.url !== undefined || given.hostname !== undefined ||
      given.port !== undefined || given.path !== undefined)
  ) {
    optionsError(
      "sentinels cannot be combined with url, hostname, port or path",
    );
  }
  const tcp = given.hostname !== undefined || given.port !== undefined ||
    given.tls !== undefined;
  if (given.path !== undefined && (tcp || fromUrl.hostname !== undefined)) {
    optionsError(
      "path cannot be combined with hostname, port, tls or a redis: or rediss: URL",
    );
  }
  if (fromUrl.path !== undefined && tcp) {
    optionsError(
      "hostname, port and tls cannot be combined with a redis+unix: URL",
    );
  }
  if (
    given.tls !== undefined && fromUrl.tls !== undefined &&
    (given.tls !== false) !== fromUrl.tls
  ) {
    optionsError(
      fromUrl.tls
        ? "tls: false contradicts a rediss: URL"
        : "tls is set but the URL is redis:, not rediss:",
    );
  }
  let transport: Transport;
  let address: string;
  if (sentinel !== undefined) {
    // Found anew for every connection: this transport is never used.
    transport = { kind: "tcp", hostname: "", port: 0, tls: resolveTls(o.tls) };
    address = `${sentinel.masterName} (Sentinel)`;
  } else if (o.path !== undefined) {
    transport = { kind: "unix", path: o.path };
    address = o.path;
  } else {
    let hostname = o.hostname ?? DEFAULT_HOSTNAME;
    if (hostname.startsWith("[") && hostname.endsWith("]")) {
      hostname = hostname.slice(1, -1);
    }
    const port = o.port ?? DEFAULT_PORT;
    transport = { kind: "tcp", hostname, port, tls: resolveTls(o.tls) };
    address = hostname.includes(":")
      ? `[${hostname}]:${port}`
      : `${hostname}:${port}`;
  }
  return {
    transport,
    address,
    username: o.username === "" ? undefined : o.username,
    password: o.password,
    db: o.db ?? 0,
    name: o.name,
    protocol: o.protocol ?? 3,
    connectTimeout: o.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT,
    maxBulkLength: o.maxBulkLength ?? DEFAULT_MAX_BULK_LENGTH,
    maxBufferedBytes: o.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
    reconnect: resolveReconnect(o.reconnect),
    maxQueued: o.maxQueued ?? DEFAULT_MAX_QUEUED,
    maxInFlight: o.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
    queueTimeout: o.queueTimeout ?? DEFAULT_QUEUE_TIMEOUT,
    commandTimeout: o.commandTimeout,
    pingInterval: o.pingInterval,
    maxBlockingConnections: o.maxBlockingConnections ??
      DEFAULT_MAX_BLOCKING_CONNECTIONS,
    blockingIdleTimeout: o.blockingIdleTimeout ??
      DEFAULT_BLOCKING_IDLE_TIMEOUT,
    captureCallSites: o.captureCallSites ?? false,
    cache: resolveCache(o.cache),
    ...(o.hooks === undefined ? {} : { hooks: new Observer(o.hooks) }),
    ...(sentinel === undefined ? {} : { sentinel }),
  };
}

function resolveCache(
  cache: boolean | CacheOptions | undefined,
): ResolvedCache | undefined {
  if (cache === undefined || cache === false) return undefined;
  const given = cache === true ? {} : cache;
  const bcast = given.bcast;
  return {
    maxEntries: given.maxEntries ?? DEFAULT_CACHE_ENTRIES,
    maxBytes: given.maxBytes ?? DEFAULT_CACHE_BYTES,
    ttl: given.ttl ?? Infinity,
    bcast: bcast === undefined ? undefined : bcast === true ? [] : [...bcast],
  };
}

function resolveReconnect(
  reconnect: boolean | ReconnectOptions | undefined,
): ReconnectPolicy | null {
  if (reconnect === false) return null;
  const given = reconnect === true || reconnect === undefined ? {} : reconnect;
  const minDelay = given.minDelay ?? DEFAULT_MIN_DELAY;
  return {
    maxAttempts: given.maxAttempts ?? Infinity,
    minDelay,
    maxDelay: Math.max(minDelay, given.maxDelay ?? DEFAULT_MAX_DELAY),
  };
}

function resolveTls(tls: boolean | TlsOptions | undefined): TlsOptions | null {
  if (tls === undefined || tls === false) return null;
  const resolved: TlsOptions = {};
  if (tls === true) return resolved;
  if (tls.caCerts !== undefined) resolved.caCerts = [...tls.caCerts];
  if (tls.serverName !== undefined) resolved.serverName = tls.serverName;
  if (tls.cert !== undefined) resolved.cert = tls.cert;
  if (tls.key !== undefined) resolved.key = tls.key;
  return resolved;
}
function validate(o: ConnectOptions): void {
  nonEmptyString("hostname", o.hostname);
  nonEmptyString("path", o.path);
  if (o.path?.includes("\0")) optionsError("path contains NUL");
  integer("port", o.port, 1, 65535);
  if (o.tls !== undefined && typeof o.tls !== "boolean") {
    if (!isObject(o.tls)) {
      optionsError("tls must be a boolean or TlsOptions", o.tls);
    }
    const { caCerts, serverName, cert, key } = o.tls;
    if (
      caCerts !== undefined &&
      !(Array.isArray(caCerts) && caCerts.every((c) => typeof c === "string"))
    ) {
      optionsError("tls.caCerts must be an array of PEM strings", caCerts);
    }
    nonEmptyString("tls.serverName", serverName);
    nonEmptyString("tls.cert", cert);
    nonEmptyString("tls.key", key);
    if ((cert === undefined) !== (key === undefined)) {
      optionsError(
        cert === undefined
          ? "tls.key needs tls.cert (the client certificate)"
          : "tls.cert needs tls.key (its private key)",
      );
    }
  }
  if (o.username !== undefined && typeof o.username !== "string") {
    optionsError("username must be a string", o.username);
  }
  if (o.password !== undefined && typeof o.password !== "string") {
    optionsError("password must be a string", o.password);
  }
  integer("db", o.db, 0);
  if (
    o.name !== undefined &&
    !(typeof o.name === "string" && CLIENT_NAME.test(o.name))
  ) {
    optionsError(`name ${NAME_RULE}`);
  }
  if (o.protocol !== undefined && o.protocol !== 2 && o.protocol !== 3) {
    if (typeof o.protocol !== "number") {
      optionsError("protocol must be 2 or 3", o.protocol);
    }
    rangeError("protocol must be 2 or 3", o.protocol);
  }
  milliseconds("connectTimeout", o.connectTimeout);
  integer("maxBulkLength", o.maxBulkLength, 1, MAX_BULK_LENGTH);
  integer("maxBufferedBytes", o.maxBufferedBytes, MIN_BUFFERED_BYTES);
  const reconnect = o.reconnect;
  if (reconnect !== undefined && typeof reconnect !== "boolean") {
    if (!isObject(reconnect)) {
      optionsError(
        "reconnect must be a boolean or ReconnectOptions",
        reconnect,
      );
    }
    const attempts = reconnect.maxAttempts;
    if (attempts !== Infinity) integer("reconnect.maxAttempts", attempts, 1);
    integer("reconnect.minDelay", reconnect.minDelay, 0, MAX_TIMEOUT);
    integer("reconnect.maxDelay", reconnect.maxDelay, 0, MAX_TIMEOUT);
  }
  integer("maxQueued", o.maxQueued, 0);
  integer("maxInFlight", o.maxInFlight, 1);
  milliseconds("queueTimeout", o.queueTimeout);
  integer("maxBlockingConnections", o.maxBlockingConnections, 1);
  milliseconds("blockingIdleTimeout", o.blockingIdleTimeout);
  milliseconds("commandTimeout", o.commandTimeout);
  milliseconds("pingInterval", o.pingInterval);
  if (
    o.captureCallSites !== undefined && typeof o.captureCallSites !== "boolean"
  ) {
    optionsError("captureCallSites must be a boolean", o.captureCallSites);
  }
  const hooks = o.hooks;
  if (hooks !== undefined) {
    if (!isObject(hooks)) optionsError("hooks must be an object", hooks);
    for (
      const key of [
        "commandStart",
        "commandEnd",
        "batchStart",
        "batchEnd",
      ] as const
    ) {
      if (hooks[key] !== undefined && typeof hooks[key] !== "function") {
        optionsError(`hooks.${key} must be a function`, hooks[key]);
      }
    }
    for (const key of ["includeArgs", "includeKeys"] as const) {
      if (hooks[key] !== undefined && typeof hooks[key] !== "boolean") {
        optionsError(`hooks.${key} must be a boolean`, hooks[key]);
      }
    }
  }
  const cache = o.cache;
  if (cache !== undefined && typeof cache !== "boolean") {
    if (!isObject(cache)) {
      optionsError("cache must be a boolean or CacheOptions", cache);
    }
    integer("cache.maxEntries", cache.maxEntries, 1);
    integer("cache.maxBytes", cache.maxBytes, 1);
    milliseconds("cache.ttl", cache.ttl);
    const bcast = cache.bcast;
    if (
      bcast !== undefined && bcast !== true &&
      !(Array.isArray(bcast) &&
        bcast.every((prefix) => typeof prefix === "string" && prefix !== ""))
    ) {
      optionsError(
        "cache.bcast must be true or an array of non-empty prefix strings",
        bcast,
      );
    }
  }
}
