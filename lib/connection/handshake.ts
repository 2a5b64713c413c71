// The connection prelude: AUTH, HELLO 3 (falling back to RESP2 on servers
// without it), CLIENT SETNAME, CLIENT SETINFO, CONFIG GET, SELECT and a PING,
// issued together so they leave in one write. Runs on every new socket, before
// any user command; its replies never reach a caller.

import { ReplyError } from "../errors.ts";
import type { RedisArg } from "../resp/encoder.ts";
import { VERSION } from "../version.ts";
import type { ConnectionConfig } from "./config.ts";
import type { Decode, RequestCommand } from "./connection.ts";
import { expectOk, internalCommand } from "./_util.ts";

const AUTH = internalCommand("AUTH");
const HELLO = internalCommand("HELLO");
const SETNAME = internalCommand("CLIENT", "SETNAME");
const SETINFO = internalCommand("CLIENT", "SETINFO");
const CONFIG_GET = internalCommand("CONFIG", "GET");
const SELECT = internalCommand("SELECT");
const PING = internalCommand("PING");

/** What the server told us during the handshake. */
export interface HandshakeResult {
  /** The protocol in use. */
  protocol: 2 | 3;
  /** The server version from HELLO, when known. */
  serverVersion: string | undefined;
  /** CONFIG GET databases, when allowed. */
  databases: number | undefined;
  /** CONFIG GET proto-max-bulk-len, when allowed. */
  maxBulkLength: number | undefined;
}

/** Writes one prelude command (in database 0, at once) and resolves with its reply. */
export type Step = (
  command: RequestCommand,
  args: RedisArg[],
  decode: Decode<unknown> | null,
) => Promise<unknown>;

/**
 * Waits `ms` on a server that answered but is not ready (loading its
 * dataset); rejects when the socket is gone meanwhile.
 */
export type Wait = (ms: number) => Promise<void>;

/** Milliseconds between PINGs while the server loads its dataset. */
export const LOADING_POLL_MS = 100;

function isLoading(result: PromiseSettledResult<unknown>): boolean {
  return result.status === "rejected" && result.reason instanceof ReplyError &&
    result.reason.code === "LOADING";
}

/**
 * Runs the prelude through `step`; every step is issued before the first is
 * awaited. The final PING tells whether the server is ready: one that is
 * loading its dataset (just restarted with AOF or RDB) accepts the rest of
 * the prelude but answers `-LOADING` to commands, so the PING is repeated
 * every {@linkcode LOADING_POLL_MS} until it answers, and no user command is
 * written before.
 *
 * @throws {ReplyError} The server refused the credentials, name or database.
 * @throws {ConnectionError} The socket failed meanwhile.
 */
export async function handshake(
  step: Step,
  wait: Wait,
  options: ConnectionConfig,
): Promise<HandshakeResult> {
  const { username, password, name, protocol, db } = options;
  // A username alone logs in a `nopass` ACL user: AUTH needs a password
  // argument, and any (here, empty) one is accepted for such a user.
  const auth = password === undefined && username === undefined ? null : step(
    AUTH,
    username === undefined ? [password ?? ""] : [username, password ?? ""],
    expectOk,
  );
  const hello = protocol === 3 ? step(HELLO, ["3"], null) : null;
  const setName = name === undefined ? null : step(SETNAME, [name], expectOk);
  const libName = step(SETINFO, ["LIB-NAME", "sleeve"], null);
  const libVersion = step(SETINFO, ["LIB-VER", VERSION], null);
  // Redis 7 takes several parameters (older servers answer an error and
  // both stay unknown).
  const config = step(
    CONFIG_GET,
    ["databases", "proto-max-bulk-len"],
    null,
  );
  const select = db === 0 ? null : step(SELECT, [db], expectOk);
  const ping = step(PING, [], null);
  const [
    authResult,
    helloResult,
    nameResult,
    libNameResult,
    libVersionResult,
    configResult,
    selectResult,
    pingResult,
  ] = await Promise.allSettled([
    auth,
    hello,
    setName,
    libName,
    libVersion,
    config,
    select,
    ping,
  ]);
  const result: HandshakeResult = {
    protocol: 2,
    serverVersion: undefined,
    databases: undefined,
    maxBulkLength: undefined,
  };
  // The first failure that matters, in the order the commands were sent.
  if (authResult.status === "rejected") throw authResult.reason;
  if (helloResult.status === "rejected") {
    const error = helloResult.reason;
    const noHello = error instanceof ReplyError &&
      (error.code === "NOPROTO" ||
        /^ERR unknown command/i.test(error.message));
    if (!noHello) throw error;
  } else if (hello !== null) {
    result.protocol = 3;
    result.serverVersion = helloField(helloResult.value, "version");
  }
  if (nameResult.status === "rejected") throw nameResult.reason;
  // SETINFO (Redis 7.2+) and CONFIG GET (an ACL may deny it) are optional,
  // but not when they fail for a reason that fails everything: without a
  // password, HELLO, name or database, they are the only commands that
  // can tell that the server wants authentication (NOAUTH).
  for (const optional of [libNameResult, libVersionResult, configResult]) {
    if (optional.status === "fulfilled") continue;
    const error = optional.reason;
    if (!(error instanceof ReplyError) || error.code === "NOAUTH") {
      throw error;
    }
  }
  if (selectResult.status === "rejected") throw selectResult.reason;
  let pong = pingResult;
  while (isLoading(pong)) {
    await wait(LOADING_POLL_MS);
    pong = (await Promise.allSettled([step(PING, [], null)]))[0];
  }
  if (pong.status === "rejected") throw pong.reason;
  if (configResult.status === "fulfilled") {
    const limit = Number(configValue(configResult.value, "proto-max-bulk-len"));
    if (Number.isSafeInteger(limit) && limit > 0) result.maxBulkLength = limit;
    const count = Number(configValue(configResult.value, "databases"));
    if (Number.isSafeInteger(count) && count > 0) result.databases = count;
  }
  return result;
}

/** A string field of the HELLO reply (a map in RESP3). */
function helloField(reply: unknown, field: string): string | undefined {
  if (reply instanceof Map) {
    const value = reply.get(field);
    return typeof value === "string" ? value : undefined;
  }
  return undefined;
}

/** The value of one parameter in a CONFIG GET reply (RESP3 map or RESP2 flat array). */
function configValue(reply: unknown, name: string): unknown {
  if (reply instanceof Map) return reply.get(name);
  if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2) {
      if (reply[i] === name) return reply[i + 1];
    }
  }
  return undefined;
}
