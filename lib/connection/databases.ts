// Which database one socket is in, and which databases it may switch to with a
// SELECT pipelined in front of a command. A database is confirmed once a
// SELECT to it succeeded on this socket (or the handshake left the socket in
// it); a SELECT to any other is a probe, answered before anything is written
// behind it, so a refused SELECT can never let a command run elsewhere.

import { ReplyError } from "../errors.ts";
import type { RequestCommand } from "./connection.ts";
import { internalCommand } from "./_util.ts";

/**
 * Commands read while this is set were written behind an inline SELECT the
 * server refused: they ran in database `current`, not `db`.
 */
export interface Stray {
  /** The database they were meant for. */
  readonly db: number;
  /** The database the server stayed in. */
  readonly current: number;
  /** The SELECT's refusal. */
  readonly error: Error;
}

/** The error of a command that ran in another database than its own. */
export function strayError(command: RequestCommand, stray: Stray): ReplyError {
  const code = stray.error instanceof ReplyError ? stray.error.code : "ERR";
  return new ReplyError(
    `Cannot run ${command.name} in database ${stray.db}: SELECT was refused (${stray.error.message}), so it ran in database ${stray.current}`,
    command.name,
    { code, cause: stray.error },
  );
}

/** The SELECT command, as a request names it. */
export const SELECT: RequestCommand = internalCommand("SELECT");

/** `SELECT n` for the databases used most, encoded once. */
const SELECT_BYTES: Uint8Array[] = [];

/** `SELECT db` as RESP bytes (encoded once for databases below 256). */
export function selectBytes(db: number): Uint8Array {
  const cached = SELECT_BYTES[db];
  if (cached !== undefined) return cached;
  const digits = String(db);
  const bytes = new TextEncoder().encode(
    `*2\r\n$6\r\nSELECT\r\n$${digits.length}\r\n${digits}\r\n`,
  );
  if (db < LOW) SELECT_BYTES[db] = bytes;
  return bytes;
}

/** Databases below this are tracked in a flag array, the rest in a set. */
const LOW = 256;

/**
 * The database state of one socket. Cheap on the hot path: a SELECT in front
 * of every command (the BookSleeve workload switches databases on nearly
 * every one) costs a flag lookup when written and a ring slot when answered.
 */
export class Databases {
  /**
   * The database the socket will be in once every written command has run;
   * -1 when that is a database since refused (a SELECT written before the
   * refusal was read), so that the next command selects afresh.
   */
  written = 0;
  /** The database a probe SELECT asks for, or -1 when none is out. */
  probing = -1;
  /** The database the server is in, as of the replies read so far. */
  current = 0;
  /** The database the SELECT last settled by `answered()` asked for. */
  lastDb = 0;
  /** Whether that SELECT was a probe. */
  lastProbe = false;
  #low = new Uint8Array(LOW);
  #high: Set<number> | undefined;
  // SELECTs written and not yet answered, oldest first: a ring of targets,
  // a probe's stored as ~db (negative).
  #ring = new Int32Array(64);
  #head = 0;
  #length = 0;

  /** Starts over on a socket in `db` (where the handshake left it). */
  reset(db: number): void {
    this.written = db;
    this.probing = -1;
    this.current = db;
    this.#low.fill(0);
    this.#high = undefined;
    this.#confirm(db);
    this.#head = 0;
    this.#length = 0;
  }

  /** Whether a SELECT to `db` may be pipelined in front of a command. */
  confirmed(db: number): boolean {
    return db < LOW ? this.#low[db] === 1 : this.#high?.has(db) === true;
  }

  #confirm(db: number): void {
    if (db < LOW) this.#low[db] = 1;
    else (this.#high ??= new Set()).add(db);
  }

  #unconfirm(db: number): void {
    if (db < LOW) this.#low[db] = 0;
    else this.#high?.delete(db);
  }

  /** Records a SELECT to `db` just written. */
  selecting(db: number, probe: boolean): void {
    const ring = this.#ring;
    if (this.#length === ring.length) this.#grow();
    this.#ring[(this.#head + this.#length) & (this.#ring.length - 1)] = probe
      ? ~db
      : db;
    this.#length++;
    this.written = db;
    if (probe) this.probing = db;
  }

  /** Forgets the newest SELECT recorded: its bytes were dropped unsent. */
  unselect(written: number): void {
    this.#length--;
    this.written = written;
  }

  /**
   * Settles the oldest SELECT with its reply, into `lastDb` and `lastProbe`:
   * success confirms its database; a refusal leaves the server where it was,
   * and when no later SELECT was written, so are the commands written from
   * now on.
   */
  answered(ok: boolean): void {
    const target = this.#ring[this.#head]!;
    this.#head = (this.#head + 1) & (this.#ring.length - 1);
    this.#length--;
    const probe = target < 0;
    const db = probe ? ~target : target;
    this.lastDb = db;
    this.lastProbe = probe;
    if (probe) this.probing = -1;
    if (ok) {
      this.current = db;
      this.#confirm(db);
    } else {
      this.#unconfirm(db);
      if (this.#length === 0) this.written = this.current;
      // A later SELECT to it, still unanswered, will most likely be refused
      // too: nothing more may be written straight behind it.
      else if (this.written === db) this.written = -1;
    }
  }

  #grow(): void {
    const old = this.#ring;
    const ring = new Int32Array(old.length * 2);
    for (let k = 0; k < this.#length; k++) {
      ring[k] = old[(this.#head + k) & (old.length - 1)]!;
    }
    this.#ring = ring;
    this.#head = 0;
  }
}
