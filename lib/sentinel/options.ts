// The Sentinel options of connect() (`sentinels`, `masterName`, `role`): their
// check, throwing TypeError before any socket is opened, and what they resolve
// to: each sentinel's transport and credentials, and what to ask it for.

import type { Transport } from "../connection/config.ts";
import { parseRedisUrl } from "../_url.ts";
import { nonEmptyString, optionsError } from "../_validate.ts";

/** The TLS settings of a TCP transport. */
type TlsSettings = NonNullable<Extract<Transport, { kind: "tcp" }>["tls"]>;

/** Which server of a Sentinel-monitored set to connect to. */
export type ServerRole = "master" | "replica";

/** One sentinel, resolved from its URL. */
export interface SentinelEndpoint {
  /** Where it listens. */
  readonly transport: Transport;
  /** `host:port`, for messages; never credentials. */
  readonly address: string;
  /** Its own ACL user, from its URL. */
  readonly username: string | undefined;
  /** Its own password, from its URL. */
  readonly password: string | undefined;
}

/** The resolved Sentinel options. */
export interface SentinelSettings {
  /** The sentinels, in the order given. */
  readonly sentinels: readonly SentinelEndpoint[];
  /** The name the sentinels monitor the master under. */
  readonly masterName: string;
  /** Master, or one of its replicas. */
  readonly role: ServerRole;
}

/** What connect() gives for Sentinel. */
export interface SentinelInput {
  /** Sentinel URLs. */
  sentinels?: unknown;
  /** The monitored name. */
  masterName?: unknown;
  /** Master or replica. */
  role?: unknown;
  /**
   * The resolved `tls` option: but for its `serverName` (the data nodes'),
   * it applies to `rediss:` sentinels.
   */
  tls?: TlsSettings | null;
}

/**
 * Checks the Sentinel options and resolves them; `undefined` when none is
 * given.
 *
 * @throws {TypeError} For a missing, malformed or conflicting option.
 */
export function resolveSentinel(
  input: SentinelInput,
): SentinelSettings | undefined {
  const { sentinels, masterName, role } = input;
  if (
    sentinels === undefined && masterName === undefined && role === undefined
  ) return undefined;
  if (sentinels === undefined) {
    optionsError("masterName and role need sentinels");
  }
  if (!Array.isArray(sentinels) || sentinels.length === 0) {
    optionsError(
      "sentinels must be a non-empty array of redis:// or rediss:// URLs",
      sentinels,
    );
  }
  if (masterName === undefined) optionsError("sentinels need a masterName");
  nonEmptyString("masterName", masterName);
  if (/[\s\0]/.test(masterName as string)) {
    optionsError("masterName must not contain spaces or control characters");
  }
  if (role !== undefined && role !== "master" && role !== "replica") {
    optionsError('role must be "master" or "replica"');
  }
  const endpoints = sentinels.map((url, i) => {
    if (typeof url !== "string") {
      optionsError(`sentinels[${i}] must be a URL string`, url);
    }
    const parsed = parseRedisUrl(url);
    if (parsed.path !== undefined) {
      optionsError(`sentinels[${i}] must be a redis:// or rediss:// URL`);
    }
    if (
      parsed.db !== undefined || parsed.name !== undefined ||
      parsed.protocol !== undefined
    ) {
      optionsError(
        `sentinels[${i}] takes only a host, a port and credentials`,
      );
    }
    const hostname = parsed.hostname!;
    const port = parsed.port ?? DEFAULT_SENTINEL_PORT;
    const endpoint: SentinelEndpoint = {
      transport: {
        kind: "tcp",
        hostname,
        port,
        tls: parsed.tls ? sentinelTls(input.tls) : null,
      },
      address: formatAddress(hostname, port),
      username: parsed.username,
      password: parsed.password,
    };
    return endpoint;
  });
  return {
    sentinels: endpoints,
    masterName: masterName as string,
    role: role ?? "master",
  };
}

/** The TLS settings of a `rediss:` sentinel: the client's, but its serverName. */
function sentinelTls(tls: TlsSettings | null | undefined): TlsSettings {
  const resolved: TlsSettings = {};
  if (tls?.caCerts !== undefined) resolved.caCerts = tls.caCerts;
  if (tls?.cert !== undefined) resolved.cert = tls.cert;
  if (tls?.key !== undefined) resolved.key = tls.key;
  return resolved;
}

/** The port of a sentinel URL without one. */
export const DEFAULT_SENTINEL_PORT = 26379;

/** `host:port`, bracketing an IPv6 host. */
export function formatAddress(hostname: string, port: number): string {
  return hostname.includes(":")
    ? `[${hostname}]:${port}`
    : `${hostname}:${port}`;
}
