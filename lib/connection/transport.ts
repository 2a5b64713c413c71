// Opens the socket for a resolved transport: TCP, TLS (TCP then startTls, so a
// server name that differs from the address works; connectTls when a client
// certificate is given, which startTls cannot send) or a unix socket. Every
// failure becomes a ConnectionError naming the address, with the system error
// as its cause and, for TLS, what it means. Aborting the signal closes
// whatever is open.

import { ConnectionError } from "../errors.ts";
import type { Transport } from "./config.ts";
import { messageOf } from "./_util.ts";

/**
 * Deno.connectTls verifies the server certificate against this name instead
 * of `hostname` (the key Deno's own node:tls uses; Deno.startTls, which takes
 * a name, takes no client certificate). Should a Deno release drop it, the
 * certificate is verified against the hostname: a failure, never a pass.
 */
const SERVER_NAME = Symbol.for("unstableServerName");

/**
 * Opens a socket to the server.
 *
 * @param transport Where to connect.
 * @param address The address for messages (never credentials).
 * @param signal Aborts the attempt (the caller's connect timeout).
 */
export async function openTransport(
  transport: Transport,
  address: string,
  signal: AbortSignal,
): Promise<Deno.Conn> {
  let conn: Deno.Conn | undefined;
  const onAbort = () => {
    try {
      conn?.close();
    } catch {
      // Already closed.
    }
  };
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    if (transport.kind === "unix") {
      conn = await Deno.connect({ transport: "unix", path: transport.path });
      signal.throwIfAborted();
      return conn;
    }
    const { hostname, port, tls } = transport;
    let tlsConn: Deno.TlsConn;
    if (tls?.cert !== undefined) {
      const options: Deno.ConnectTlsOptions & Deno.TlsCertifiedKeyPem & {
        [SERVER_NAME]?: string;
      } = {
        hostname,
        port,
        caCerts: tls.caCerts,
        cert: tls.cert,
        key: tls.key!,
      };
      if (tls.serverName !== undefined) options[SERVER_NAME] = tls.serverName;
      tlsConn = await untilAborted(Deno.connectTls(options), signal);
    } else {
      const tcp = await Deno.connect({ hostname, port, signal });
      conn = tcp;
      tcp.setNoDelay(true);
      tcp.setKeepAlive(true);
      // The timeout may have fired just as the socket opened.
      signal.throwIfAborted();
      if (tls === null) return tcp;
      // The certificate is verified against serverName when given, else hostname.
      tlsConn = await Deno.startTls(tcp, {
        hostname: tls.serverName ?? hostname,
        caCerts: tls.caCerts,
      });
    }
    conn = tlsConn;
    signal.throwIfAborted();
    // Surface certificate problems now rather than on the first read.
    await tlsConn.handshake();
    signal.throwIfAborted();
    return tlsConn;
  } catch (error) {
    onAbort();
    if (signal.aborted) throw signal.reason;
    throw connectFailure(address, transport, error);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/**
 * Settles as `pending`, or rejects with the signal's reason once aborted;
 * a socket that opens after that is closed at once.
 */
function untilAborted<T extends Deno.Conn>(
  pending: Promise<T>,
  signal: AbortSignal,
): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    pending.then(
      (conn) => {
        signal.removeEventListener("abort", onAbort);
        if (signal.aborted) conn.close();
        else resolve(conn);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** What a TLS alert from the server means, by the alert's name. */
const ALERTS: Record<string, string> = {
  CertificateRequired:
    "the server requires a client certificate: give tls.cert and tls.key",
  UnknownCA:
    "the server does not trust the client certificate (tls.cert): its CA is not one the server accepts",
  BadCertificate: "the server refused the client certificate (tls.cert)",
  UnsupportedCertificate:
    "the server refused the client certificate (tls.cert)",
  CertificateUnknown: "the server refused the client certificate (tls.cert)",
  CertificateExpired: "the server refused the client certificate as expired",
  CertificateRevoked: "the server refused the client certificate as revoked",
  AccessDenied: "the server refused the client certificate (tls.cert)",
};

/**
 * The ConnectionError for a failure while connecting (opening the socket or
 * during the handshake): "Cannot connect to <address>: <what it means>:
 * <system error>", the system error as its cause. Never flagged as a command
 * that may have run: no user command is written before the handshake ends.
 *
 * @param address The address for messages.
 * @param transport The transport tried.
 * @param error What failed: a system error, or a ConnectionError that wraps one.
 */
export function connectFailure(
  address: string,
  transport: Transport,
  error: unknown,
): ConnectionError {
  // The socket's own ConnectionError ("Connection to ... was lost: ...")
  // wraps the system error: read that. One without ("Connection to ... was
  // closed by the server") is told from here on as "the connection ...".
  let cause = error;
  let reason: string;
  if (error instanceof ConnectionError && error.cause !== undefined) {
    cause = error.cause;
    reason = messageOf(cause);
  } else {
    const own = `Connection to ${address} `;
    reason = messageOf(error);
    if (reason.startsWith(own)) {
      reason = `the connection ${reason.slice(own.length)}`;
    }
  }
  const hint = transport.kind === "tcp" && transport.tls !== null
    ? tlsHint(reason)
    : undefined;
  return new ConnectionError(
    `Cannot connect to ${address}: ${
      hint === undefined ? reason : `${hint}: ${reason}`
    }`,
    { cause },
  );
}

/** What a TLS error means for the user, when it is one we can explain. */
function tlsHint(reason: string): string | undefined {
  if (/No keys found in key data/i.test(reason)) {
    return "tls.key holds no PEM private key";
  }
  if (/No certificates found in certificate data/i.test(reason)) {
    return "tls.cert holds no PEM certificate";
  }
  const alert = /received fatal alert: (\w+)/.exec(reason);
  if (alert !== null) return ALERTS[alert[1]!];
  if (/invalid peer certificate/i.test(reason)) {
    if (/expired/i.test(reason)) return "the server's certificate has expired";
    if (/not valid yet|NotValidYet/i.test(reason)) {
      return "the server's certificate is not valid yet";
    }
    if (/UnknownIssuer/i.test(reason)) {
      return "the server's certificate is not signed by a trusted CA: give its CA in tls.caCerts";
    }
    if (/not valid for name|NotValidForName/i.test(reason)) {
      return "the server's certificate does not name this host: give the name it has in tls.serverName";
    }
  }
  return undefined;
}
