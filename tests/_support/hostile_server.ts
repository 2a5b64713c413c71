// Owns a scripted hostile RESP server for the hostile-server fuzz: from a
// seeded config it delays, splits, cuts, stalls and garbles its replies,
// refuses or holds accepts, and records what the client did wrong. Closes
// every socket, timer and task it starts; never throws from a loop.

import { below, mulberry32 } from "../resp/_vectors.ts";
import { helloReply, parseCommand } from "./fake_server.ts";
import { concat, writeAll } from "./raw_connection.ts";

// Captured at load, before a test installs a TimerTracker: the server's
// pauses must never count as timers the client left behind.
const setTimer = globalThis.setTimeout;
const clearTimer = globalThis.clearTimeout;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A seeded PRNG (mulberry32) with the draws the fuzz makes. */
export class SeededRandom {
  readonly #next: () => number;

  /** @param seed An integer; only its low 32 bits count. */
  constructor(seed: number) {
    this.#next = mulberry32(seed);
  }

  /** A fraction in [0, 1). */
  fraction(): number {
    return this.#next() / 0x1_0000_0000;
  }

  /** An integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + below(this.#next, hi - lo + 1);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.fraction() < p;
  }

  /** One of `items`, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[below(this.#next, items.length)]!;
  }
}

/** How hostile a {@linkcode HostileServer} is. Chances are per batch of replies unless said otherwise. */
export interface HostileConfig {
  /** Chance a batch waits up to `maxDelay` ms before going out. */
  delayP: number;
  /** Longest delay, in ms. */
  maxDelay: number;
  /** Chance a batch is split into up to 7 writes. */
  chunkP: number;
  /** Most replies written together. */
  batchMax: number;
  /** Chance a RESP3 push frame follows a reply (after the handshake). */
  pushP: number;
  /** Chance per connection of closing it after a random number of bytes. */
  closeP: number;
  /** Most bytes written before such a close. */
  closeMaxBytes: number;
  /** Chance an accept (after the first) is closed at once. */
  refuseP: number;
  /** Chance an accept (after the first) is not read for up to `holdMax` ms. */
  holdP: number;
  /** Longest hold, in ms. */
  holdMax: number;
  /** Chance a batch stalls for up to `stallMax` ms. */
  stallP: number;
  /** Longest stall, in ms. */
  stallMax: number;
  /** Chance a reply (after the handshake) is followed by an invalid frame. */
  garbageP: number;
  /** Most `-LOADING` answers to the handshake PING, per connection. */
  loading: number;
  /** Answer HELLO with "unknown command" (a Redis 5). */
  noHello: boolean;
}

/** Draws a {@linkcode HostileConfig}; one in five is mild (no cut, refusal, stall or garbage). */
export function randomHostileConfig(random: SeededRandom): HostileConfig {
  const mild = random.chance(0.2);
  const config: HostileConfig = {
    delayP: random.pick([0, 0.1, 0.3, 0.7]),
    maxDelay: random.pick([2, 10, 40, 150]),
    chunkP: random.pick([0, 0.3, 0.8]),
    batchMax: random.pick([1, 3, 10]),
    pushP: random.pick([0, 0, 0.1, 0.4]),
    closeP: mild ? 0 : random.pick([0, 0.1, 0.3, 0.6]),
    closeMaxBytes: random.pick([50, 300, 2000, 10000]),
    refuseP: mild ? 0 : random.pick([0, 0, 0.2, 0.5]),
    holdP: random.pick([0, 0, 0.2, 0.5]),
    holdMax: random.pick([50, 300, 1500]),
    stallP: mild ? 0 : random.pick([0, 0, 0.02, 0.1]),
    stallMax: random.pick([100, 500, 2500]),
    garbageP: mild ? 0 : random.pick([0, 0, 0, 0.01, 0.05]),
    loading: random.pick([0, 0, 1, 3]),
    noHello: random.chance(0.25),
  };
  // A server that is merely slow is not a bug: keep close() bounded.
  if (config.maxDelay >= 150) config.delayP = Math.min(config.delayP, 0.1);
  return config;
}

/**
 * The key of a workload command: `d<db>:<id>`, or `d<db>:err:<id>` for one
 * the server answers with `-ERR boom <key>`. The server checks the db tag
 * against the database selected on the connection.
 */
export function hostileKey(db: number, id: number, error: boolean): string {
  return `d${db}:${error ? "err:" : ""}${id}`;
}

/** What the server answers `GET key` with. */
export function expectedGet(key: string): string {
  return `v:${key}`;
}

/** What the server answers `INCR key` with. */
export function expectedIncr(key: string): number {
  return Number(key.split(":").pop()) * 7 + 3;
}

/** A listening hostile server on 127.0.0.1 and an ephemeral port. */
export interface HostileServer extends AsyncDisposable {
  /** The listening port. */
  readonly port: number;
  /** What the client did wrong, one line each (`conn#2: ...`). */
  readonly violations: readonly string[];
  /** Whether an invalid frame was written (a `ProtocolError` is then allowed). */
  readonly sentGarbage: boolean;
  /** Connections accepted, refused ones included. */
  readonly accepted: number;
  /** Whether a connection still owes replies, or is pausing or writing. */
  busy(): boolean;
  /** The state of each open connection, for a hang report. */
  describe(): string;
  /** Stops listening, closes every connection and waits for every task (idempotent). */
  close(): Promise<void>;
}

/**
 * Starts a {@linkcode HostileServer} that follows `config`, its random
 * choices drawn from `seed`; release it with `await using`.
 */
export function startHostileServer(
  config: HostileConfig,
  seed: number,
): HostileServer {
  return new Hostile(config, new SeededRandom(seed));
}

/** Resolves after `ms`, or at once when `signal` aborts (the timer cleared). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimer(timer);
      resolve();
    };
    const timer = setTimer(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function bulk(text: string): string {
  return `$${encoder.encode(text).length}\r\n${text}\r\n`;
}

const PUSHES = [
  ">2\r\n$10\r\ninvalidate\r\n*1\r\n$3\r\nfoo\r\n",
  ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n",
];
const GARBAGE = ["@garbage\r\n", "$-5\r\n", ":abc\r\n", "*x\r\n"];

class Hostile implements HostileServer {
  readonly port: number;
  readonly config: HostileConfig;
  readonly random: SeededRandom;
  readonly violations: string[] = [];
  readonly sessions: Set<Session> = new Set();
  readonly stop: AbortController = new AbortController();
  sentGarbage = false;
  accepted = 0;
  readonly #listener: Deno.TcpListener;
  readonly #tasks = new Set<Promise<void>>();

  constructor(config: HostileConfig, random: SeededRandom) {
    this.config = config;
    this.random = random;
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.port = this.#listener.addr.port;
    this.track(this.#acceptLoop());
  }

  /** Keeps `task` until it ends, so close() can wait for it; a throw is a violation. */
  track(task: Promise<void>): void {
    const settled = task.catch((error) => {
      this.violations.push(`hostile server task threw: ${error}`);
    }).finally(() => this.#tasks.delete(settled));
    this.#tasks.add(settled);
  }

  busy(): boolean {
    for (const session of this.sessions) {
      if (session.out.length > 0 || session.state !== "parked") return true;
    }
    return false;
  }

  describe(): string {
    return [...this.sessions].map((s) => s.describe()).join(", ") ||
      "no open connection";
  }

  async close(): Promise<void> {
    if (!this.stop.signal.aborted) {
      this.stop.abort();
      try {
        this.#listener.close();
      } catch (error) {
        if (!(error instanceof Deno.errors.BadResource)) throw error;
      }
      for (const session of this.sessions) session.close();
    }
    while (this.#tasks.size > 0) await Promise.all(this.#tasks);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #acceptLoop(): Promise<void> {
    for (;;) {
      let conn: Deno.TcpConn;
      try {
        conn = await this.#listener.accept();
      } catch {
        return; // close() stopped the listener
      }
      const n = ++this.accepted;
      // The first accept is always served, so connect() can succeed.
      if (
        this.stop.signal.aborted ||
        (n > 1 && this.random.chance(this.config.refuseP))
      ) {
        conn.close();
        continue;
      }
      const hold = n > 1 && this.random.chance(this.config.holdP)
        ? this.random.int(1, this.config.holdMax)
        : 0;
      this.sessions.add(new Session(this, conn, n, hold));
    }
  }
}

/** A reply waiting to be written; `pong` marks an answer to PING. */
interface Frame {
  bytes: Uint8Array;
  pong: boolean;
}

/** One accepted connection: a reader that answers commands into `out`, and a writer that sends `out` with the config's faults. */
class Session {
  readonly out: Frame[] = [];
  /** What the writer is doing, for busy() and hang reports. */
  state = "init";
  readonly #server: Hostile;
  readonly #conn: Deno.TcpConn;
  readonly #n: number;
  readonly #hold: number;
  readonly #closeAt: number;
  #loadingLeft: number;
  #buffer: Uint8Array = new Uint8Array(0);
  #wake: (() => void) | undefined;
  #dead = false;
  /** A PONG has been handed to the writer: the handshake is over. */
  #ponged = false;
  #db = 0;
  #resp3 = false;
  #written = 0;
  #lastCommand = "";

  constructor(server: Hostile, conn: Deno.TcpConn, n: number, hold: number) {
    this.#server = server;
    this.#conn = conn;
    this.#n = n;
    this.#hold = hold;
    const { config, random } = server;
    conn.setNoDelay(true);
    this.#loadingLeft = random.int(0, config.loading);
    // The first connection is cut less often, so most seeds get going.
    this.#closeAt =
      (n > 1 || random.chance(0.3)) && random.chance(config.closeP)
        ? random.int(1, config.closeMaxBytes)
        : Infinity;
    server.track(this.#readLoop());
    server.track(this.#writeLoop());
  }

  close(): void {
    if (this.#dead) return;
    this.#dead = true;
    try {
      this.#conn.close();
    } catch (error) {
      if (!(error instanceof Deno.errors.BadResource)) throw error;
    }
    this.#wake?.();
    this.#server.sessions.delete(this);
  }

  describe(): string {
    const head = this.out[0] === undefined
      ? ""
      : decoder.decode(this.out[0].bytes);
    return `conn#${this.#n} out=${this.out.length} written=${this.#written} ` +
      `state=${this.state} lastCommand=${this.#lastCommand} ` +
      `outHead=${JSON.stringify(head)} closeAt=${this.#closeAt}`;
  }

  #violation(message: string): void {
    this.#server.violations.push(`conn#${this.#n}: ${message}`);
  }

  #push(reply: string, pong = false): void {
    this.out.push({ bytes: encoder.encode(reply), pong });
    this.#wake?.();
  }

  async #readLoop(): Promise<void> {
    const signal = this.#server.stop.signal;
    // A held connection is accepted but not read: the client's handshake waits.
    if (this.#hold > 0) await pause(this.#hold, signal);
    const chunk = new Uint8Array(64 * 1024);
    for (;;) {
      let n: number | null;
      try {
        n = this.#dead ? null : await this.#conn.read(chunk);
      } catch {
        n = null; // reset, or close() interrupted the read
      }
      if (n === null || this.#dead) {
        this.close();
        return;
      }
      const grown = new Uint8Array(this.#buffer.length + n);
      grown.set(this.#buffer);
      grown.set(chunk.subarray(0, n), this.#buffer.length);
      this.#buffer = grown;
      for (;;) {
        let parsed;
        try {
          parsed = parseCommand(this.#buffer);
        } catch (error) {
          this.#violation(`malformed request: ${error}`);
          this.close();
          return;
        }
        if (!parsed) break;
        this.#buffer = this.#buffer.subarray(parsed.end);
        this.#handle(parsed.args.map((arg) => decoder.decode(arg)));
      }
    }
  }

  #handle(command: string[]): void {
    this.#lastCommand = JSON.stringify(command);
    const name = command[0]?.toUpperCase();
    const sub = command[1]?.toUpperCase();
    switch (name) {
      case "HELLO":
        if (this.#ponged) this.#violation("HELLO after the handshake");
        if (this.#server.config.noHello) {
          return this.#push(
            "-ERR unknown command 'HELLO', with args beginning with: '3'\r\n",
          );
        }
        this.#resp3 = command[1] === "3";
        return this.#push(helloReply(command[1] ?? "2"));
      case "AUTH":
        return this.#push("+OK\r\n");
      case "CLIENT":
        return this.#push(
          sub === "SETNAME" || sub === "SETINFO" ? "+OK\r\n" : "-ERR nope\r\n",
        );
      case "CONFIG":
        return this.#push(
          this.#resp3
            ? "%1\r\n$9\r\ndatabases\r\n$2\r\n16\r\n"
            : "*2\r\n$9\r\ndatabases\r\n$2\r\n16\r\n",
        );
      case "SELECT":
        this.#db = Number(command[1]);
        return this.#push("+OK\r\n");
      case "PING":
        // -LOADING answers only the handshake PING, which the client retries.
        if (!this.#ponged && this.#loadingLeft > 0) {
          this.#loadingLeft--;
          return this.#push(
            "-LOADING Redis is loading the dataset in memory\r\n",
          );
        }
        return this.#push("+PONG\r\n", true);
    }
    // A user command.
    if (!this.#ponged) {
      this.#violation(
        `user command ${this.#lastCommand} before the handshake PING was answered`,
      );
    }
    const key = command[1] ?? "";
    const tag = /^d(\d+):/.exec(key);
    if (!tag) this.#violation(`command without db tag: ${this.#lastCommand}`);
    else if (Number(tag[1]) !== this.#db) {
      this.#violation(
        `command ${this.#lastCommand} arrived while db ${this.#db} was selected`,
      );
    }
    if (key.includes(":err:")) return this.#push(`-ERR boom ${key}\r\n`);
    switch (name) {
      case "GET":
        return this.#push(bulk(expectedGet(key)));
      case "ECHO":
        return this.#push(bulk(key));
      case "INCR":
        return this.#push(`:${expectedIncr(key)}\r\n`);
      case "SET":
        return this.#push("+OK\r\n");
      default:
        this.#violation(`unknown command ${this.#lastCommand}`);
        return this.#push("-ERR unknown\r\n");
    }
  }

  async #writeLoop(): Promise<void> {
    const { config, random } = this.#server;
    const signal = this.#server.stop.signal;
    while (!this.#dead) {
      if (this.out.length === 0) {
        this.state = "parked";
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
        this.state = "woken";
        continue;
      }
      this.state = "delay";
      if (random.chance(config.delayP)) {
        await pause(random.int(0, config.maxDelay), signal);
      }
      if (random.chance(config.stallP)) {
        const ms = random.int(1, config.stallMax);
        this.state = `stall ${ms} ms since ${performance.now().toFixed(0)}`;
        await pause(ms, signal);
      }
      if (this.#dead) return;
      this.state = "batch";
      const batch = this.out.splice(0, random.int(1, config.batchMax));
      const parts: Uint8Array[] = [];
      for (const frame of batch) {
        if (frame.pong) this.#ponged = true;
        parts.push(frame.bytes);
        if (this.#resp3 && this.#ponged && random.chance(config.pushP)) {
          parts.push(encoder.encode(random.pick(PUSHES)));
        }
        if (this.#ponged && random.chance(config.garbageP)) {
          this.#server.sentGarbage = true;
          parts.push(encoder.encode(random.pick(GARBAGE)));
        }
      }
      if (!(await this.#send(concat(parts)))) return;
    }
  }

  /** Writes `data` in random pieces, cutting the connection at `closeAt`; false once closed. */
  async #send(data: Uint8Array): Promise<boolean> {
    const { config, random } = this.#server;
    const signal = this.#server.stop.signal;
    const cuts: number[] = [];
    if (random.chance(config.chunkP) && data.length > 1) {
      const k = random.int(1, Math.min(6, data.length - 1));
      for (let i = 0; i < k; i++) cuts.push(random.int(1, data.length - 1));
      cuts.sort((a, b) => a - b);
    }
    cuts.push(data.length);
    let start = 0;
    for (const cut of cuts) {
      if (cut <= start) continue;
      let piece = data.subarray(start, cut);
      start = cut;
      const closing = this.#written + piece.length >= this.#closeAt;
      if (closing) piece = piece.subarray(0, this.#closeAt - this.#written);
      try {
        this.state = `write ${piece.length}`;
        await writeAll(this.#conn, piece);
        this.state = "wrote";
      } catch {
        this.close(); // the client is gone, or close() ran
        return false;
      }
      this.#written += piece.length;
      if (closing) {
        this.close();
        return false;
      }
      if (cuts.length > 1 && random.chance(0.5)) {
        await pause(random.int(0, 5), signal);
      }
      if (this.#dead) return false;
    }
    return true;
  }
}
