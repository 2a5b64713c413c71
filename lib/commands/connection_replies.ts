// The shape of CLIENT INFO and CLIENT LIST lines (`id=7 addr=... name=...`)
// and their decoders: each line becomes one object with camelCase fields,
// numbers where the server counts.

import type { RespValue } from "../resp/types.ts";
import { text } from "./_reply.ts";

/**
 * One client connection, as {@linkcode ConnectionCommands.clientInfo} and
 * {@linkcode ConnectionCommands.clientList} describe it: the server's
 * `name=value` fields with camelCase names (`qbuf-free` → `qbufFree`).
 * Fields a newer server adds and this type does not name are kept too, as
 * strings under their camelCase names.
 *
 * @example Usage
 * ```ts
 * import { type ClientInfo, connect } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const me: ClientInfo = await redis.clientInfo();
 * console.log(me.id, me.addr, me.db, me.resp);
 * ```
 */
export interface ClientInfo {
  /** The connection's unique id. */
  id: number;
  /** The client's address, `ip:port` (or a unix socket path). */
  addr: string;
  /** The server's local address of the connection, `ip:port`. */
  laddr: string;
  /** The socket's file descriptor; -1 for the server's internal clients. */
  fd: number;
  /** The connection name (CLIENT SETNAME), `""` when it has none. */
  name: string;
  /** Seconds since the connection was opened. */
  age: number;
  /** Seconds since its last command. */
  idle: number;
  /**
   * Its flags, one letter each: `N` none, `b` blocked, `P` pub/sub, `x` in
   * MULTI, `e` exempt from eviction (CLIENT NO-EVICT), `S` a replica, ...
   */
  flags: string;
  /** The database it has selected. */
  db: number;
  /** How many channels it subscribes to. */
  sub: number;
  /** How many patterns it subscribes to. */
  psub: number;
  /** How many shard channels it subscribes to. */
  ssub: number;
  /** How many commands it has queued in MULTI; -1 outside a transaction. */
  multi: number;
  /** Bytes in its query buffer. */
  qbuf: number;
  /** Free bytes in its query buffer. */
  qbufFree: number;
  /** Bytes held by the arguments of its next command. */
  argvMem: number;
  /** Bytes held by the commands it queued in MULTI. */
  multiMem: number;
  /** The size of its read buffer, in bytes. */
  rbs: number;
  /** The peak use of its read buffer lately, in bytes. */
  rbp: number;
  /** Bytes in its fixed output buffer. */
  obl: number;
  /** Replies queued in its output list. */
  oll: number;
  /** Bytes held by its output list. */
  omem: number;
  /** All the memory the connection uses, in bytes. */
  totMem: number;
  /** The socket events it waits for: `r`, `w` or `rw`. */
  events: string;
  /** Its last command, as `client|info` for a subcommand. */
  cmd: string;
  /** The ACL user it is authenticated as. */
  user: string;
  /** The id of the connection its tracking messages go to; -1 when none. */
  redir: number;
  /** The protocol it speaks: 2 or 3. */
  resp: number;
  /** The client library's name (CLIENT SETINFO); Redis 7.2 and later. */
  libName?: string;
  /** The client library's version (CLIENT SETINFO); Redis 7.2 and later. */
  libVer?: string;
}

/** `qbuf-free` → `qbufFree`. */
function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** One `name=value name=value ...` line as a {@linkcode ClientInfo}. */
export function parseClientLine(line: string): ClientInfo {
  const fields = new Map<string, string>();
  for (const pair of line.split(" ")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    if (eq < 0) throw new TypeError("expected name=value fields");
    fields.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const str = (name: string): string => {
    const value = fields.get(name);
    if (value === undefined) {
      throw new TypeError(`expected a ${name} field, received none`);
    }
    return value;
  };
  const num = (name: string): number => {
    const value = str(name);
    const n = Number(value);
    if (value === "" || !Number.isSafeInteger(n)) {
      throw new TypeError(`expected an integer ${name} field`);
    }
    return n;
  };
  const info: ClientInfo = {
    id: num("id"),
    addr: str("addr"),
    laddr: str("laddr"),
    fd: num("fd"),
    name: str("name"),
    age: num("age"),
    idle: num("idle"),
    flags: str("flags"),
    db: num("db"),
    sub: num("sub"),
    psub: num("psub"),
    ssub: num("ssub"),
    multi: num("multi"),
    qbuf: num("qbuf"),
    qbufFree: num("qbuf-free"),
    argvMem: num("argv-mem"),
    multiMem: num("multi-mem"),
    rbs: num("rbs"),
    rbp: num("rbp"),
    obl: num("obl"),
    oll: num("oll"),
    omem: num("omem"),
    totMem: num("tot-mem"),
    events: str("events"),
    cmd: str("cmd"),
    user: str("user"),
    redir: num("redir"),
    resp: num("resp"),
  };
  // The rest (lib-name, lib-ver, and fields of newer servers) as text;
  // defined, not assigned, so a field named __proto__ stays a plain field.
  for (const [name, value] of fields) {
    const key = camelCase(name);
    if (Object.hasOwn(info, key)) continue;
    Object.defineProperty(info, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return info;
}

/** CLIENT INFO's reply: one line. */
export function clientInfo(value: RespValue): ClientInfo {
  return parseClientLine(text(value).trimEnd());
}

/** CLIENT LIST's reply: one line per connection. */
export function clientList(value: RespValue): ClientInfo[] {
  const out: ClientInfo[] = [];
  for (const line of text(value).split("\n")) {
    if (line !== "") out.push(parseClientLine(line));
  }
  return out;
}
