// Opens the socket for a resolved transport: TCP, TLS (TCP then startTls, so a
// server name that differs from the address works) or a unix socket. Every
// failure becomes a ConnectionError naming the address, with the system error
// as its cause. Aborting the signal closes whatever is open.

import { ConnectionError } from "../errors.ts";
import type { Transport } from "./config.ts";

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
    const tcp = await Deno.connect({ hostname, port, signal });
    conn = tcp;
    tcp.setNoDelay(true);
    tcp.setKeepAlive(true);
    // The timeout may have fired just as the socket opened.
    signal.throwIfAborted();
    if (tls === null) return tcp;
    // The certificate is verified against serverName when given, else hostname.
    const tlsConn = await Deno.startTls(tcp, {
      hostname: tls.serverName ?? hostname,
      caCerts: tls.caCerts,
    });
    conn = tlsConn;
    // Surface certificate problems now rather than on the first read.
    await tlsConn.handshake();
    signal.throwIfAborted();
    return tlsConn;
  } catch (error) {
    onAbort();
    if (signal.aborted) throw signal.reason;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConnectionError(`Cannot connect to ${address}: ${reason}`, {
      cause: error,
    });
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}
