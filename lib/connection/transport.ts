// Opens the socket for a resolved transport: TCP, TLS (TCP then startTls, so a
// server name that differs from the address works; connectTls when a client
// certificate is given, which startTls cannot send) or a unix socket. Every
// failure becomes a ConnectionError naming the address, with the system error
// as its cause and, for TLS, what it means. Aborting the signal closes
// whatever is open.

import { ConnectionError, ProtocolError } from "../errors.ts";
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
      try {
        conn = await Deno.connect({ transport: "unix", path: transport.path });
      } catch (error) {
        throw unixFailure(address, transport.path, error);
      }
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
    await handshake(tlsConn, transport, address, signal);
    signal.throwIfAborted();
    return tlsConn;
  } catch (error) {
    onAbort();
    if (signal.aborted) throw signal.reason;
    if (error instanceof ConnectionError) throw error;
    throw connectFailure(address, transport, error);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/**
 * A unix socket that could not be opened: Deno asks for read, write and net
 * permission on the socket's path, and the system for the socket file's own
 * permissions (Redis' `unixsocketperm`); say which, then the error itself.
 */
function unixFailure(address: string, path: string, error: unknown): unknown {
  let hint: string | undefined;
  if (error instanceof Deno.errors.NotCapable) {
    hint =
      `Deno needs read, write and net permission on a unix socket's path ` +
      `(--allow-read=${path} --allow-write=${path} --allow-net=unix:${path})`;
  } else if (error instanceof Deno.errors.PermissionDenied) {
    hint = "the socket file's permissions refuse this user " +
      "(the server's unixsocketperm)";
  }
  if (hint === undefined) return error;
  return new ConnectionError(
    `Cannot connect to ${address}: ${hint}: ${messageOf(error)}`,
    { cause: error },
  );
}

/**
 * Milliseconds a TLS handshake may go unanswered before the port is probed
 * for a plaintext server: a plaintext Redis reads the ClientHello as the
 * start of an inline command and waits for its end, so without the probe
 * `rediss://` to a plaintext port would wait out the whole connectTimeout.
 */
export const PLAINTEXT_PROBE_DELAY = 500;

const INLINE_PING = new TextEncoder().encode("PING\r\n");

/**
 * Runs the TLS handshake. Should it still be going after
 * {@linkcode PLAINTEXT_PROBE_DELAY}, a second, plaintext connection sends
 * the port an inline PING: a RESP answer (`+PONG`, `-NOAUTH ...`) means a
 * plaintext server, and the handshake is given up with a ConnectionError
 * that says so. Anything else (a TLS server drops the PING) leaves the
 * handshake to its own end, bounded by the caller's signal.
 */
async function handshake(
  tlsConn: Deno.TlsConn,
  transport: Transport & { kind: "tcp" },
  address: string,
  signal: AbortSignal,
): Promise<void> {
  const probe = new AbortController();
  const stopProbe = () => probe.abort();
  signal.addEventListener("abort", stopProbe, { once: true });
  let plaintext = false;
  let probing: Promise<void> | undefined;
  const timer = setTimeout(() => {
    probing = answersPlaintext(transport, probe.signal).then((answered) => {
      if (!answered || probe.signal.aborted) return;
      plaintext = true;
      try {
        tlsConn.close();
      } catch {
        // Already closed.
      }
    });
  }, PLAINTEXT_PROBE_DELAY);
  try {
    await tlsConn.handshake();
  } catch (error) {
    if (!plaintext) throw error;
    throw new ConnectionError(
      `Cannot connect to ${address}: ${PLAINTEXT_HINT}: no answer to the TLS handshake within ${PLAINTEXT_PROBE_DELAY} ms, an answer to a plaintext PING`,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
    stopProbe();
    signal.removeEventListener("abort", stopProbe);
    await probing;
  }
}

/**
 * Whether the port answers an inline PING in plaintext RESP. Never throws;
 * false once `signal` aborts, its socket then closed.
 */
async function answersPlaintext(
  transport: Transport & { kind: "tcp" },
  signal: AbortSignal,
): Promise<boolean> {
  let conn: Deno.TcpConn | undefined;
  const close = () => {
    try {
      conn?.close();
    } catch {
      // Already closed.
    }
  };
  signal.addEventListener("abort", close, { once: true });
  try {
    const { hostname, port } = transport;
    conn = await Deno.connect({ hostname, port, signal });
    if (signal.aborted) return false;
    await conn.write(INLINE_PING);
    const reply = new Uint8Array(64);
    const n = await conn.read(reply);
    // "+PONG", or "-NOAUTH ...", "-DENIED ..." from a server that wants more.
    return n !== null && n > 0 && (reply[0] === 0x2b || reply[0] === 0x2d);
  } catch {
    return false;
  } finally {
    signal.removeEventListener("abort", close);
    close();
  }
}

/** TLS spoken to a port that answered a plaintext PING. */
const PLAINTEXT_HINT =
  "the server answers in plaintext on this port, not in TLS: use a redis:// URL (or tls: false), or the server's TLS port";

/** TLS spoken to a port that answered something else than TLS. */
const NOT_TLS_HINT =
  "the server did not answer in TLS (a plaintext port? then use a redis:// URL or tls: false)";

/** Plaintext spoken to a port that answered with a TLS record. */
const TLS_HINT =
  "the server answers in TLS on this port: use a rediss:// URL (or tls: true), or the server's plaintext port";

/** Plaintext spoken to a port that closed the connection without a byte. */
const SILENT_CLOSE_HINT =
  "the server closed the connection without answering (a TLS port? then use a rediss:// URL or tls: true)";

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
 * The error for a failure while connecting (opening the socket or during the
 * handshake): a ConnectionError "Cannot connect to <address>: <what it
 * means>: <system error>", the system error as its cause. Never flagged as
 * a command that may have run: no user command is written before the
 * handshake ends. A ProtocolError stays one, unless it is the server
 * answering in TLS.
 *
 * @param address The address for messages.
 * @param transport The transport tried.
 * @param error What failed: a system error, or the socket's ConnectionError
 * or ProtocolError.
 * @param reads How many reads the socket had made (0 before it opened): a
 * server that drops a plaintext client without a byte may want TLS.
 */
export function connectFailure(
  address: string,
  transport: Transport,
  error: unknown,
  reads = 0,
): Error {
  const tls = transport.kind === "tcp" ? transport.tls !== null : undefined;
  if (error instanceof ProtocolError) {
    // A TLS record (alert 0x15, handshake 0x16) where a RESP reply was due.
    return tls === false && reads <= 1 &&
        /type byte 0x1[56]\b/.test(error.message)
      ? new ConnectionError(
        `Cannot connect to ${address}: ${TLS_HINT}: ${error.message}`,
        { cause: error },
      )
      : error;
  }
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
  let hint: string | undefined;
  if (tls === true) hint = tlsHint(reason);
  // Redis' TLS listener drops a plaintext client without a word.
  else if (tls === false && reads === 0 && error instanceof ConnectionError) {
    hint = SILENT_CLOSE_HINT;
  }
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
  // A plaintext server's answer (an error to the ClientHello read as an
  // inline command), not a TLS record.
  if (/corrupt message|InvalidContentType|InvalidMessage/i.test(reason)) {
    return NOT_TLS_HINT;
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
