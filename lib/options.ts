// Turns what the caller passes to connect() into validated, resolved options,
// throwing TypeError or RangeError before any socket is opened. Has its own
// small URL parser: WHATWG URL errors quote the whole input, password included
// (RELIABILITY fact 13), so no message here may echo the URL or a credential.

import type {
  ConnectionConfig,
  ReconnectPolicy,
  Transport,
} from "./connection/config.ts";
import { DEFAULT_MAX_BULK_LENGTH } from "./resp/types.ts";

/**
 * TLS settings of {@linkcode ConnectOptions.tls}. The server certificate is
 * always verified.
 *
 * @example Usage
 * ```ts
 * import { connect, type TlsOptions } from "@sleeve/redis";
 *
 * const tls: TlsOptions = {
 *   caCerts: [await Deno.readTextFile("./ca.pem")],
 *   serverName: "redis.internal",
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
   * event).
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
   * while the write buffer is full) before it is rejected.
   *
   * @default {10000}
   */
  queueTimeout?: number;
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

/**
 * Validated options with every default filled in: the connection's own
 * configuration, and what the client keeps for itself.
 */
export interface ResolvedOptions extends ConnectionConfig {
  /** Client-wide command timeout, when set. */
  commandTimeout: number | undefined;
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
const MAX_BULK_LENGTH = 2 ** 32;
const MIN_BUFFERED_BYTES = 1024;
/** setTimeout fires after 1 ms for any longer delay. */
const MAX_TIMEOUT = 2 ** 31 - 1;

const SCHEMES = new Map<string, "tcp" | "tls" | "unix">([
  ["redis:", "tcp"],
  ["rediss:", "tls"],
  ["redis+unix:", "unix"],
]);
// Input is quoted back in a message only when it has one of these shapes.
const SCHEME_SHAPE = /^[a-z][a-z0-9+.-]{0,15}:$/;
const PARAM_SHAPE = /^[a-z][a-z0-9_-]{0,31}$/i;

const HOSTNAME = /^[a-z0-9_.-]+$/i;
const IPV6 = /^[0-9a-f.]*:[0-9a-f:.]*$/i;
const PORT = /^[0-9]{1,5}$/;
const DB = /^(0|[1-9][0-9]{0,15})$/;
/** Redis refuses names with characters outside `!`..`~` (CLIENT SETNAME). */
const CLIENT_NAME = /^[!-~]+$/;
const NAME_RULE = "must be non-empty printable ASCII without spaces";

/**
 * Parses a Redis URL into the options it gives, without defaults.
 *
 * @param url A `redis:`, `rediss:` or `redis+unix:` URL.
 * @returns The options the URL sets.
 * @throws {TypeError} For a malformed URL; the message never quotes it.
 */
export function parseRedisUrl(url: string): ConnectOptions {
  if (typeof url !== "string") optionsError(`url must be a string`, url);
  const input = url.trim();
  const colon = input.indexOf(":");
  const scheme = input.slice(0, colon + 1).toLowerCase();
  const kind = SCHEMES.get(scheme);
  if (kind === undefined) {
    if (SCHEME_SHAPE.test(scheme)) urlError(`unsupported scheme "${scheme}"`);
    urlError("expected a redis://, rediss:// or redis+unix:// URL");
  }
  if (input.includes("#")) urlError("a fragment (#) is not allowed");
  if (!input.startsWith("//", colon + 1)) {
    urlError(`"//" must follow "${scheme}"`);
  }
  let rest = input.slice(colon + 3);
  const question = rest.indexOf("?");
  const query = question === -1 ? "" : rest.slice(question + 1);
  if (question !== -1) rest = rest.slice(0, question);
  const slash = rest.indexOf("/");
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? "" : rest.slice(slash);
  // The last "@", as WHATWG URL does, so an unencoded "@" in a password works.
  const at = authority.lastIndexOf("@");
  const options: ConnectOptions = {};
  if (at !== -1) {
    const userinfo = authority.slice(0, at);
    const split = userinfo.indexOf(":");
    const user = split === -1 ? userinfo : userinfo.slice(0, split);
    const password = split === -1 ? "" : userinfo.slice(split + 1);
    // Empty means absent: "redis://:pw@h" has no user name.
    if (user !== "") options.username = decode(user, "user");
    if (password !== "") options.password = decode(password, "password");
  }
  const host = authority.slice(at + 1);
  if (kind === "unix") {
    if (host !== "") urlError("a redis+unix: URL takes no host");
    if (path === "" || path === "/") urlError("missing socket path");
    options.path = decode(path, "socket path");
    if (options.path.includes("\0")) urlError("socket path contains NUL");
  } else {
    parseHost(host, options);
    options.tls = kind === "tls";
    if (path !== "" && path !== "/") {
      options.db = parseDb(path.slice(1), "path");
    }
  }
  parseQuery(query, options);
  return options;
}

function parseHost(host: string, options: ConnectOptions): void {
  let hostname = host;
  let port: string | undefined;
  if (host.startsWith("[")) {
    const close = host.indexOf("]");
    hostname = host.slice(1, close);
    if (close === -1 || !IPV6.test(hostname)) urlError("invalid IPv6 address");
    const after = host.slice(close + 1);
    if (after !== "" && !after.startsWith(":")) urlError("invalid host");
    if (after !== "") port = after.slice(1);
  } else {
    const colon = host.indexOf(":");
    if (colon !== -1) {
      hostname = host.slice(0, colon);
      port = host.slice(colon + 1);
    }
    if (hostname === "") urlError("missing host");
    if (!HOSTNAME.test(hostname)) urlError("invalid host");
  }
  options.hostname = hostname.toLowerCase();
  if (port !== undefined) {
    const n = PORT.test(port) ? Number(port) : 0;
    if (n < 1 || n > 65535) urlError("port must be an integer from 1 to 65535");
    options.port = n;
  }
}

function parseQuery(query: string, options: ConnectOptions): void {
  const seen = new Set<string>();
  for (const pair of query.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = eq === -1 ? pair : pair.slice(0, eq);
    const value = eq === -1 ? "" : pair.slice(eq + 1);
    if (!PARAM_SHAPE.test(key)) urlError("unknown parameter");
    if (seen.has(key)) urlError(`parameter "${key}" is given twice`);
    seen.add(key);
    if (key === "db") {
      if (options.db !== undefined) {
        urlError(`db is given in both the path and "?db="`);
      }
      options.db = parseDb(value, `parameter "db"`);
    } else if (key === "password") {
      if (options.password !== undefined) {
        urlError(`password is given before "@" and as "?password="`);
      }
      if (value !== "") options.password = decode(value, "password");
    } else if (key === "name") {
      options.name = decode(value, "name");
      if (!CLIENT_NAME.test(options.name)) {
        urlError(`parameter "name" ${NAME_RULE}`);
      }
    } else if (key === "protocol") {
      if (value !== "2" && value !== "3") {
        urlError(`parameter "protocol" must be 2 or 3`);
      }
      options.protocol = value === "2" ? 2 : 3;
    } else {
      urlError(`unknown parameter "${key}"`);
    }
  }
}

function parseDb(text: string, where: string): number {
  if (!DB.test(text)) {
    urlError(
      `${where} must be a database number without sign or leading zeros`,
    );
  }
  return Number(text);
}

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // The URIError adds nothing, and the text may be a password: no cause.
    return urlError(`${what} has a malformed percent-encoding`);
  }
}

function urlError(detail: string): never {
  throw new TypeError(`Cannot parse Redis URL: ${detail}`);
}

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
  const fromUrl = given.url === undefined ? {} : parseRedisUrl(given.url);
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
    commandTimeout: pick("commandTimeout"),
    pingInterval: pick("pingInterval"),
  };
  validate(o);
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
  if (o.path !== undefined) {
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
    const { caCerts, serverName } = o.tls;
    if (
      caCerts !== undefined &&
      !(Array.isArray(caCerts) && caCerts.every((c) => typeof c === "string"))
    ) {
      optionsError("tls.caCerts must be an array of PEM strings", caCerts);
    }
    nonEmptyString("tls.serverName", serverName);
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
  milliseconds("commandTimeout", o.commandTimeout);
  milliseconds("pingInterval", o.pingInterval);
}

/** Checks a positive number of milliseconds that setTimeout can honour. */
export function milliseconds(
  key: string,
  value: unknown,
  prefix = "Invalid connect options",
): void {
  if (value === undefined) return;
  if (typeof value !== "number") {
    throw new TypeError(
      `${prefix}: ${key} must be a number, received ${typeName(value)}`,
    );
  }
  if (!(value > 0 && value <= MAX_TIMEOUT)) {
    throw new RangeError(
      `${prefix}: ${key} must be a positive number of milliseconds up to ${MAX_TIMEOUT}, received ${value}`,
    );
  }
}

function integer(
  key: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): void {
  if (value === undefined) return;
  if (typeof value !== "number") optionsError(`${key} must be a number`, value);
  if (Number.isInteger(value) && value >= min && value <= max) return;
  const rule = max !== Number.MAX_SAFE_INTEGER
    ? `an integer from ${min} to ${max}`
    : min === 0
    ? "a non-negative integer"
    : `an integer of at least ${min}`;
  rangeError(`${key} must be ${rule}`, value);
}

function nonEmptyString(key: string, value: unknown): void {
  if (value === "") {
    optionsError(`${key} must be a non-empty string, received ""`);
  }
  if (value !== undefined && typeof value !== "string") {
    optionsError(`${key} must be a non-empty string`, value);
  }
}

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Throws a TypeError; names the type of `value` (never the value) if given. */
function optionsError(detail: string, value?: unknown): never {
  if (value === undefined) {
    throw new TypeError(`Invalid connect options: ${detail}`);
  }
  throw new TypeError(
    `Invalid connect options: ${detail}, received ${typeName(value)}`,
  );
}

function typeName(value: unknown): string {
  return value === null
    ? "null"
    : Array.isArray(value)
    ? "array"
    : typeof value;
}

/** Throws a RangeError quoting `value`, a number (never a secret). */
function rangeError(detail: string, value: number): never {
  throw new RangeError(`Invalid connect options: ${detail}, received ${value}`);
}
