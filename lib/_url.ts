// Parses Redis URLs (redis://, rediss://, redis+unix://) into the options
// they give. Its own small parser: WHATWG URL errors quote the whole input,
// password included, so no message here may echo the URL or a credential.

import { CLIENT_NAME, NAME_RULE, optionsError } from "./_validate.ts";

/** What a Redis URL can say; every field only when the URL gives it. */
export interface UrlOptions {
  /** From the host part. */
  hostname?: string;
  /** From the host part. */
  port?: number;
  /** The unix socket path of a redis+unix: URL. */
  path?: string;
  /** `true` for rediss:, `false` for redis:. */
  tls?: boolean;
  /** From the user info. */
  username?: string;
  /** From the user info or `?password=`. */
  password?: string;
  /** From the path or `?db=`. */
  db?: number;
  /** From `?name=`. */
  name?: string;
  /** From `?protocol=`. */
  protocol?: 2 | 3;
}

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

/**
 * Parses a Redis URL into the options it gives, without defaults.
 *
 * @param url A `redis:`, `rediss:` or `redis+unix:` URL.
 * @returns The options the URL sets.
 * @throws {TypeError} For a malformed URL; the message never quotes it.
 */
export function parseRedisUrl(url: string): UrlOptions {
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
  const options: UrlOptions = {};
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

function parseHost(host: string, options: UrlOptions): void {
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

function parseQuery(query: string, options: UrlOptions): void {
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
