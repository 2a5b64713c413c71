// Watchdogs over a socket that may have gone quiet: the periodic health check
// (pingInterval), which PINGs an idle socket and gives up on one that shows no
// life with replies due, and the drain watch of close(), which gives up on a
// server that stops answering while the client waits for its last replies.

import { ConnectionError } from "../errors.ts";
import type { RespValue } from "../resp/types.ts";
import { internalCommand } from "./_util.ts";
import type { Socket } from "./socket.ts";

/** Health checks in a row without a byte read, with replies due, before the socket is declared dead. */
const STALLED_CHECKS = 2;
/**
 * Bytes written with nothing read back past which the health check allows
 * connectTimeout, not two checks, for the server to read them: it cannot
 * answer a large command before it has it whole.
 */
const UPLOAD_BACKLOG = 1024 * 1024;

const PING = internalCommand("PING");

/**
 * Reply decoder of the health-check PING: `PONG`, or on a RESP2 connection
 * in subscribe mode `["pong", ""]` (as text or bytes).
 */
function expectPong(value: RespValue): "PONG" {
  if (value === "PONG") return value;
  if (Array.isArray(value) && value.length === 2) {
    const first = value[0];
    const word = first instanceof Uint8Array
      ? String.fromCharCode(...first)
      : first;
    if (word === "pong") return "PONG";
  }
  throw new TypeError("expected PONG");
}

/**
 * Whether `socket` showed life since a check that saw `reads` and `writes`:
 * a byte arrived, or a write completed with at least `backlog` bytes written
 * since the last byte arrived. A server cannot answer a large command before
 * it has read it whole, and the kernel reports progress on such an upload
 * only when a good part of its buffer has drained: a server merely slow to
 * read is not a dead one.
 */
function alive(
  socket: Socket,
  reads: number,
  writes: number,
  backlog: number,
): boolean {
  return socket.reads !== reads ||
    (socket.writes !== writes && socket.sinceRead >= backlog);
}

/** What the watchdogs need of their owner. */
export interface HealthHost {
  /** Gives the socket up. */
  failed(socket: Socket, error: Error): void;
  /** Whether commands are waiting to be written. */
  waiting(): boolean;
  /** Whether the connection is ready for commands (not closing). */
  ready(): boolean;
}

/** The periodic health check of one socket. */
export class HealthCheck {
  readonly #socket: Socket;
  readonly #host: HealthHost;
  readonly #interval: number;
  readonly #connectTimeout: number;
  readonly #address: string;
  #timer: ReturnType<typeof setInterval>;
  #reads: number;
  #writes: number;
  /** performance.now() when a check last saw life (for uploads, below). */
  #aliveAt: number;
  #stalls = 0;

  /**
   * Constructs a new instance and starts checking.
   *
   * @param socket The socket to watch.
   * @param host Its owner.
   * @param interval Milliseconds between checks (pingInterval).
   * @param connectTimeout How long a large upload may go without progress.
   * @param address The server address, for messages.
   */
  constructor(
    socket: Socket,
    host: HealthHost,
    interval: number,
    connectTimeout: number,
    address: string,
  ) {
    this.#socket = socket;
    this.#host = host;
    this.#interval = interval;
    this.#connectTimeout = connectTimeout;
    this.#address = address;
    this.#reads = socket.reads;
    this.#writes = socket.writes;
    this.#aliveAt = performance.now();
    this.#timer = setInterval(this.#check, interval);
  }

  /** Stops checking. */
  stop(): void {
    clearInterval(this.#timer);
  }

  #check = (): void => {
    const socket = this.#socket;
    if (socket.dead) return;
    const now = performance.now();
    let live = alive(socket, this.#reads, this.#writes, UPLOAD_BACKLOG);
    this.#reads = socket.reads;
    this.#writes = socket.writes;
    if (live) {
      this.#aliveAt = now;
    } else if (socket.sinceRead >= UPLOAD_BACKLOG) {
      // A large upload's writes complete seldom: allow connectTimeout.
      live = now - this.#aliveAt < this.#connectTimeout;
    }
    if (live) {
      this.#stalls = 0;
    } else if (socket.pending > 0) {
      if (++this.#stalls >= STALLED_CHECKS) {
        const ms = this.#interval * STALLED_CHECKS;
        this.#host.failed(
          socket,
          new ConnectionError(
            `Connection to ${this.#address} is not responding: nothing received for ${ms} ms with replies due (pingInterval)`,
          ),
        );
        return;
      }
    }
    if (this.#host.ready() && socket.pending === 0 && !this.#host.waiting()) {
      // Idle: a PING makes the next check able to tell a live socket from a
      // dead one. Its failure is the socket's failure, handled elsewhere.
      socket.writeNow(PING, [], expectPong).catch(() => {});
    }
  };
}

/**
 * While close() drains: a server that shows no life for `ms` with replies
 * due (frozen, or a half-open socket) is given up on, so close() cannot wait
 * forever; what was pending is rejected as a lost socket would reject it.
 * Returns the function that stops watching.
 */
export function watchDrain(
  socket: Socket,
  host: HealthHost,
  ms: number,
  address: string,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (reads: number, writes: number) => {
    timer = setTimeout(() => {
      timer = undefined;
      if (socket.dead) return;
      if (alive(socket, reads, writes, 1) || socket.pending === 0) {
        arm(socket.reads, socket.writes);
        return;
      }
      host.failed(
        socket,
        new ConnectionError(
          `Connection to ${address} is not responding: nothing received for ${ms} ms (connectTimeout) while closing with replies due`,
        ),
      );
    }, ms);
  };
  arm(socket.reads, socket.writes);
  return () => {
    if (timer !== undefined) clearTimeout(timer);
  };
}
