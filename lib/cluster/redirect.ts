// What a cluster node's error reply says about where a command belongs:
// MOVED and ASK redirects (the slot and the node that serves it), and the
// replies that mean "not applied, try again" (TRYAGAIN, CLUSTERDOWN,
// MASTERDOWN, LOADING, READONLY). Pure: the cluster router acts on it.

import { ReplyError } from "../errors.ts";

/** A MOVED or ASK redirect: the slot, and the node to send it to. */
export interface Redirect {
  /** MOVED: the slot's owner changed for good; ASK: for this command only. */
  readonly kind: "MOVED" | "ASK";
  /** The slot the command's keys hash to. */
  readonly slot: number;
  /** The node's host as the server announced it (an IPv6 address unbracketed). */
  readonly host: string;
  /** Its port. */
  readonly port: number;
}

/** Error codes with which a node says it did not apply the command. */
const NOT_APPLIED: ReadonlySet<string> = new Set([
  "TRYAGAIN",
  "CLUSTERDOWN",
  "MASTERDOWN",
  "LOADING",
  "READONLY",
]);

/**
 * The redirect a reply error carries, or undefined for any other error.
 * `MOVED 3999 127.0.0.1:6381`, `ASK 3999 [::1]:6381`, and the empty host
 * (`MOVED 3999 :6381`, "the node you asked") given as `fallbackHost`.
 *
 * @param error The error a command was rejected with.
 * @param fallbackHost The host of the node that answered.
 * @returns The redirect, or undefined.
 */
export function redirectOf(
  error: unknown,
  fallbackHost: string,
): Redirect | undefined {
  if (!(error instanceof ReplyError)) return undefined;
  const code = error.code;
  if (code !== "MOVED" && code !== "ASK") return undefined;
  const parts = error.message.split(" ");
  if (parts.length !== 3) return undefined;
  const slot = Number(parts[1]);
  if (!Number.isInteger(slot) || slot < 0 || slot > 16383) return undefined;
  const address = parts[2]!;
  const colon = address.lastIndexOf(":");
  if (colon < 0) return undefined;
  const port = Number(address.slice(colon + 1));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return undefined;
  let host = address.slice(0, colon);
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  if (host === "") host = fallbackHost;
  return { kind: code, slot, host, port };
}

/**
 * Whether a reply error means the node did not apply the command, so that
 * sending it again (after a pause, or elsewhere) cannot apply it twice, even
 * for a write.
 *
 * @param error The error a command was rejected with.
 * @returns Whether it is one of TRYAGAIN, CLUSTERDOWN, MASTERDOWN, LOADING,
 * READONLY.
 */
export function notApplied(error: unknown): boolean {
  return error instanceof ReplyError && NOT_APPLIED.has(error.code);
}
