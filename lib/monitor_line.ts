// Parses one MONITOR line as the server writes it (replicationFeedMonitors in
// Redis' replication.c): `<seconds>.<microseconds> [<db> <client>] "<arg>"
// "<arg>"...`, each argument quoted with sdscatrepr's escapes (\\ \" \n \r
// \t \a \b, and \xHH for any byte outside printable ASCII). Pure: no I/O.
// Messages never quote the line: its arguments may be secrets.

import type { Bulk } from "./commands/_executor.ts";

/**
 * One command the server ran, as `MONITOR` reports it: what
 * {@linkcode Monitor} yields.
 *
 * @typeParam B The type of `args`: `string` (UTF-8; bytes that are not UTF-8
 * become U+FFFD), or `Uint8Array` (exact bytes) from a `binary` view.
 *
 * @example Usage
 * ```ts
 * import { connect, type MonitorLine } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * await using monitor = await redis.monitor();
 * await redis.set("k", "v");
 * for await (const line of monitor) {
 *   const seen: MonitorLine = line;
 *   console.log(seen.db, seen.client, seen.command, seen.args); // → 0 "127.0.0.1:50312" "SET" ["k", "v"]
 *   break;
 * }
 * ```
 */
export interface MonitorLine<B extends Bulk = string> {
  /**
   * When the server ran it: seconds since the Unix epoch, with the server's
   * microseconds as the fraction (`1718000000.123456`).
   */
  time: number;
  /** {@linkcode MonitorLine.time} as a `Date` (millisecond precision). */
  date: Date;
  /** The database it ran in. */
  db: number;
  /**
   * Who sent it, as the server writes it: an address (`127.0.0.1:50312`,
   * `[::1]:50312`), `unix:` and the server's socket path for a unix-socket
   * client, or `lua` for a command a script (or a function) ran.
   */
  client: string;
  /** The command's name, as the client wrote it (`"SET"`, `"get"`). */
  command: string;
  /**
   * Its arguments after the name (a subcommand is the first). Arguments the
   * server hides are `"(redacted)"` (the passwords of `HELLO`, `MIGRATE`).
   */
  args: B[];
}

const SPACE = 0x20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = 0x5b; // [
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

const utf8 = new TextDecoder();
const utf8Encoder = new TextEncoder();

/** A malformed line: where it went wrong, never what it holds. */
function malformed(detail: string): TypeError {
  return new TypeError(`Cannot parse MONITOR line: ${detail}`);
}

/** Reads decimal digits from `start`; returns the index after them. */
function digitsEnd(line: string, start: number): number {
  let i = start;
  for (;;) {
    const c = line.charCodeAt(i);
    if (c < ZERO || c > NINE) return i;
    i++;
  }
}

/** The value of one hex digit, or -1. */
function hexDigit(c: number): number {
  if (c >= ZERO && c <= NINE) return c - ZERO;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/** What `\` followed by this character stands for (not `x`), or -1. */
function escaped(c: number): number {
  switch (c) {
    case BACKSLASH:
      return BACKSLASH;
    case QUOTE:
      return QUOTE;
    case 0x6e: // n
      return 0x0a;
    case 0x72: // r
      return 0x0d;
    case 0x74: // t
      return 0x09;
    case 0x61: // a
      return 0x07;
    case 0x62: // b
      return 0x08;
    default:
      return -1;
  }
}

/**
 * Parses one MONITOR line (the simple string, without `+` and CRLF).
 *
 * @param line The line.
 * @param binary Arguments as `Uint8Array` rather than UTF-8 strings.
 * @returns The parsed line.
 * @throws {TypeError} When the line is not in the server's format.
 */
export function parseMonitorLine(
  line: string,
  binary: false,
): MonitorLine<string>;
export function parseMonitorLine(
  line: string,
  binary: true,
): MonitorLine<Uint8Array>;
export function parseMonitorLine(
  line: string,
  binary: boolean,
): MonitorLine<Bulk>;
export function parseMonitorLine(
  line: string,
  binary: boolean,
): MonitorLine<Bulk> {
  // <seconds>.<microseconds>: six digits, as "%ld.%06ld" writes them.
  const secondsEnd = digitsEnd(line, 0);
  if (secondsEnd === 0 || line.charCodeAt(secondsEnd) !== DOT) {
    throw malformed("expected a time in seconds");
  }
  const microsEnd = digitsEnd(line, secondsEnd + 1);
  if (microsEnd !== secondsEnd + 7 || line.charCodeAt(microsEnd) !== SPACE) {
    throw malformed("expected six digits of microseconds");
  }
  const seconds = Number(line.slice(0, secondsEnd));
  const micros = Number(line.slice(secondsEnd + 1, microsEnd));
  // [<db> <client>]
  if (line.charCodeAt(microsEnd + 1) !== OPEN) {
    throw malformed("expected [ before the database");
  }
  const dbStart = microsEnd + 2;
  const dbEnd = digitsEnd(line, dbStart);
  if (dbEnd === dbStart || line.charCodeAt(dbEnd) !== SPACE) {
    throw malformed("expected a database number");
  }
  const clientStart = dbEnd + 1;
  // The client may hold brackets itself ("[::1]:6379"): it ends where the
  // first argument begins. Every command has at least its name.
  const clientEnd = line.indexOf('] "', clientStart);
  if (clientEnd <= clientStart) {
    throw malformed("expected a client, then the command");
  }
  const args: Bulk[] = [];
  let i = clientEnd + 2;
  for (;;) {
    i = readArgument(line, i, binary, args);
    if (i === line.length) break;
    if (line.charCodeAt(i) !== SPACE || line.charCodeAt(i + 1) !== QUOTE) {
      throw malformed(
        `expected a space and a quote after argument ${args.length}`,
      );
    }
    i++;
  }
  const name = args.shift()!;
  return {
    time: seconds + micros / 1e6,
    date: new Date(seconds * 1000 + Math.floor(micros / 1000)),
    db: Number(line.slice(dbStart, dbEnd)),
    client: line.slice(clientStart, clientEnd),
    command: typeof name === "string" ? name : utf8.decode(name),
    args,
  };
}

/**
 * Reads the quoted argument at `start` (its opening quote) into `args`;
 * returns the index after its closing quote.
 */
function readArgument(
  line: string,
  start: number,
  binary: boolean,
  args: Bulk[],
): number {
  const n = args.length + 1;
  // Most arguments hold no escape: their text is their bytes.
  let i = start + 1;
  for (;;) {
    const c = line.charCodeAt(i);
    if (c === QUOTE) {
      const text = line.slice(start + 1, i);
      args.push(binary ? utf8Encoder.encode(text) : text);
      return i + 1;
    }
    if (c === BACKSLASH) break;
    if (Number.isNaN(c)) throw malformed(`argument ${n} is not closed`);
    i++;
  }
  // Escapes: collect bytes, then decode them as UTF-8 unless binary.
  const bytes: number[] = [];
  for (let j = start + 1; j < i; j++) bytes.push(line.charCodeAt(j));
  for (;;) {
    const c = line.charCodeAt(i);
    if (c === QUOTE) break;
    if (Number.isNaN(c)) throw malformed(`argument ${n} is not closed`);
    if (c !== BACKSLASH) {
      if (c < 0x80) {
        bytes.push(c);
        i++;
      } else {
        // Never from Redis (it escapes every byte outside printable
        // ASCII): text a server wrote unescaped, taken as UTF-8.
        const char = String.fromCodePoint(line.codePointAt(i)!);
        for (const byte of utf8Encoder.encode(char)) bytes.push(byte);
        i += char.length;
      }
      continue;
    }
    const next = line.charCodeAt(i + 1);
    if (next === 0x78) { // x
      const high = hexDigit(line.charCodeAt(i + 2));
      const low = hexDigit(line.charCodeAt(i + 3));
      if (high < 0 || low < 0) {
        throw malformed(`argument ${n} has a malformed \\x escape`);
      }
      bytes.push(high * 16 + low);
      i += 4;
      continue;
    }
    const byte = escaped(next);
    if (byte < 0) throw malformed(`argument ${n} has an unknown escape`);
    bytes.push(byte);
    i += 2;
  }
  const value = new Uint8Array(bytes);
  args.push(binary ? value : utf8.decode(value));
  return i + 1;
}
