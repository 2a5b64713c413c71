// Owns a fault-injection TCP proxy for tests:
// latency, slicing, stalls, resets, cuts after n bytes, and down/up. Each
// direction of each connection pair is a reader that queues what it reads and
// a writer that forwards the queue in order, so delays and stalls never
// reorder bytes. Every random choice comes from a seeded PRNG. Tracks and
// closes every socket, timer and task it starts; never throws from a pump.

import { uniform } from "../resp/_vectors.ts";
import { writeAll } from "./raw_connection.ts";

/** Options of {@linkcode startChaosProxy}. */
export interface ChaosProxyOptions {
  /** The server's port. */
  port: number;
  /**
   * The server's address.
   *
   * @default {"127.0.0.1"}
   */
  hostname?: string;
  /**
   * Seed of the PRNG behind every random choice (jitter, slice sizes): an
   * integer in [0, 2^32). Print {@linkcode ChaosProxy.seed} in failing tests
   * and pass it here to replay the same choices.
   *
   * @default {a random seed}
   */
  seed?: number;
  /**
   * Keep every byte forwarded from each client to the server, per pair, for
   * {@linkcode ChaosProxy.upstream}.
   *
   * @default {false}
   */
  recordUpstream?: boolean;
}

/**
 * A listening fault proxy on 127.0.0.1 and an ephemeral port, in front of one
 * server. Each accepted client gets its own server connection (a pair).
 * Toxics apply to every pair at once, current and new, except `reset()` and
 * `cutAfter()`, which act on the pairs open when called.
 *
 * When either peer closes (EOF), the proxy first forwards what that peer sent
 * (after any latency or stall), then closes the whole pair: there is no
 * half-close. A peer's reset closes the pair at once.
 */
export interface ChaosProxy extends AsyncDisposable {
  /** The proxy's port: connect the client here. */
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** The PRNG seed in use (the option, or the random one picked). */
  readonly seed: number;
  /** Pairs currently open: from accept until the proxy closes them. */
  readonly connections: number;
  /** Client connections accepted so far, including those `down()` closed at once. */
  readonly accepted: number;
  /** Bytes forwarded from clients to the server so far. */
  readonly bytesUp: number;
  /**
   * With `recordUpstream`: the bytes forwarded to the server, one array per
   * client connection in the order they were accepted.
   */
  upstream(): Uint8Array[];
  /** Bytes forwarded from the server to clients so far. */
  readonly bytesDown: number;
  /** Writes made to clients so far (with `slice()`, one per slice). */
  readonly writesDown: number;
  /**
   * Forwards each chunk, in both directions, no earlier than `ms` plus a
   * random `[0, jitterMs)` after the proxy read it. Never reorders bytes: a
   * chunk also waits for the chunks before it. Applies to data already queued.
   */
  latency(ms: number, jitterMs?: number): void;
  /**
   * Writes server-to-client bytes in slices of a random 1..`maxBytes` bytes,
   * one write (one TCP segment, with TCP_NODELAY) each, waiting `delayMs`
   * after each slice so the client's reads really see them apart.
   */
  slice(maxBytes: number, delayMs?: number): void;
  /**
   * Holds all data in both directions (queued, never dropped); sockets stay
   * open. The proxy keeps reading meanwhile, so peers see no back-pressure.
   */
  stall(): void;
  /** Releases held and delayed data in order; also clears `latency()` and `slice()`. */
  resume(): void;
  /**
   * Closes every current pair now, dropping queued data (a reply in flight is
   * cut mid-frame). Deno cannot force a TCP RST: the client sees EOF, or a
   * reset when its own unread data was still in the proxy's socket. New
   * connections are still accepted.
   */
  reset(): void;
  /**
   * On each current pair, forwards at most `bytes` more server-to-client
   * bytes; when the server sends more than that, forwards exactly `bytes` and
   * closes the pair. `cutAfter(0)` lets the next request reach the server and
   * closes the pair before any of its reply reaches the client.
   */
  cutAfter(bytes: number): void;
  /** Closes every current pair, and closes new connections right after accepting them. */
  down(): void;
  /** Accepts and forwards normally again after `down()`. */
  up(): void;
  /** Removes every toxic (latency, slice, stall as by `resume()`, cutAfter); keeps `down()`. */
  clear(): void;
  /** Stops listening, closes every socket and timer, and waits for its tasks (idempotent). */
  close(): Promise<void>;
}

/**
 * Starts a {@linkcode ChaosProxy} (synchronously: it listens before
 * returning, so `await` on it is harmless); release it with `await using`.
 *
 * @throws {RangeError} When `seed` is not an integer in [0, 2^32).
 */
export function startChaosProxy(options: ChaosProxyOptions): ChaosProxy {
  const seed = options.seed ?? crypto.getRandomValues(new Uint32Array(1))[0];
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
    throw new RangeError(
      `Cannot start chaos proxy: seed must be an integer in [0, 2^32), received ${seed}`,
    );
  }
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  return new Proxy(
    listener,
    {
      hostname: options.hostname ?? "127.0.0.1",
      port: options.port,
    },
    seed,
    options.recordUpstream ?? false,
  );
}

interface Target {
  hostname: string;
  port: number;
}

interface Latency {
  ms: number;
  jitterMs: number;
}

interface Slice {
  maxBytes: number;
  delayMs: number;
}

/** Bytes read from one side, waiting to be written to the other. */
interface Chunk {
  readonly bytes: Uint8Array;
  /** `performance.now()` when the proxy read it. */
  readonly readAt: number;
  /** Bytes of it already written. */
  offset: number;
  /** Its jitter fraction in [0, 1), drawn when latency first applies to it. */
  jitter?: number;
}

/** One direction of a pair: a FIFO of chunks and the wake-up of its writer. */
class Direction {
  /** The reader saw EOF: once the queue is empty, the pair ends. */
  ended = false;
  /** `performance.now()` before which `slice()` wants no write (its delayMs). */
  quietUntil = 0;
  #chunks: Chunk[] = [];
  #head = 0;
  #wake: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  push(chunk: Chunk): void {
    this.#chunks.push(chunk);
    this.wake();
  }

  peek(): Chunk | undefined {
    return this.#chunks[this.#head];
  }

  shift(): void {
    this.#head++;
    if (this.#head === this.#chunks.length) {
      this.#chunks = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Resolves on the next `wake()`, or after `ms` when given. */
  wait(ms?: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
      if (ms !== undefined) this.#timer = setTimeout(() => this.wake(), ms);
    });
  }

  /** Resolves the pending `wait()`, if any, and clears its timer. */
  wake(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

/** A client connection and the server connection opened for it. */
class Pair {
  readonly client: Deno.TcpConn;
  server: Deno.TcpConn | undefined;
  readonly up = new Direction();
  readonly down = new Direction();
  /** Server-to-client bytes still allowed by `cutAfter()`; undefined = no cut. */
  cutBudget: number | undefined;
  closed = false;
  /** With recordUpstream: the chunks forwarded to the server. */
  readonly sent: Uint8Array[] = [];
  readonly #onClose: (pair: Pair) => void;

  constructor(client: Deno.TcpConn, onClose: (pair: Pair) => void) {
    this.client = client;
    this.#onClose = onClose;
  }

  /** Closes both sockets and wakes both writers (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeQuietly(this.client);
    if (this.server) closeQuietly(this.server);
    this.up.wake();
    this.down.wake();
    this.#onClose(this);
  }
}

class Proxy implements ChaosProxy {
  readonly port: number;
  readonly url: string;
  readonly seed: number;
  accepted = 0;
  bytesUp = 0;
  bytesDown = 0;
  writesDown = 0;
  readonly #listener: Deno.TcpListener;
  readonly #target: Target;
  readonly #random: () => number;
  readonly #pairs = new Set<Pair>();
  readonly #recorded: Pair[] | undefined;
  readonly #tasks = new Set<Promise<void>>();
  readonly #accepting: Promise<void>;
  #latency: Latency | undefined;
  #slice: Slice | undefined;
  #stalled = false;
  #down = false;
  #closed = false;

  constructor(
    listener: Deno.TcpListener,
    target: Target,
    seed: number,
    record: boolean,
  ) {
    this.#recorded = record ? [] : undefined;
    this.#listener = listener;
    this.#target = target;
    this.seed = seed;
    this.#random = uniform(seed);
    this.port = listener.addr.port;
    this.url = `redis://127.0.0.1:${this.port}`;
    this.#accepting = this.#accept();
  }

  get connections(): number {
    return this.#pairs.size;
  }

  upstream(): Uint8Array[] {
    if (this.#recorded === undefined) {
      throw new TypeError(
        "Cannot read upstream bytes: the proxy was started without recordUpstream",
      );
    }
    return this.#recorded.map((pair) => {
      const out = new Uint8Array(
        pair.sent.reduce((n, chunk) => n + chunk.length, 0),
      );
      let at = 0;
      for (const chunk of pair.sent) {
        out.set(chunk, at);
        at += chunk.length;
      }
      return out;
    });
  }

  latency(ms: number, jitterMs = 0): void {
    checkNonNegative("latency", "ms", ms);
    checkNonNegative("latency", "jitterMs", jitterMs);
    this.#latency = { ms, jitterMs };
    this.#wakeAll();
  }

  slice(maxBytes: number, delayMs = 0): void {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
      throw new RangeError(
        `Cannot slice: maxBytes must be a positive integer, received ${maxBytes}`,
      );
    }
    checkNonNegative("slice", "delayMs", delayMs);
    this.#slice = { maxBytes, delayMs };
    this.#wakeAll();
  }

  stall(): void {
    this.#stalled = true;
  }

  resume(): void {
    this.#stalled = false;
    this.#latency = undefined;
    this.#slice = undefined;
    this.#wakeAll();
  }

  reset(): void {
    for (const pair of this.#pairs) pair.close();
  }

  cutAfter(bytes: number): void {
    if (!Number.isSafeInteger(bytes) || bytes < 0) {
      throw new RangeError(
        `Cannot cut: bytes must be a non-negative integer, received ${bytes}`,
      );
    }
    for (const pair of this.#pairs) pair.cutBudget = bytes;
    this.#wakeAll();
  }

  down(): void {
    this.#down = true;
    this.reset();
  }

  up(): void {
    this.#down = false;
  }

  clear(): void {
    for (const pair of this.#pairs) pair.cutBudget = undefined;
    this.resume();
  }

  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#listener.close();
      this.reset();
    }
    await this.#accepting;
    while (this.#tasks.size > 0) await Promise.all(this.#tasks);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #wakeAll(): void {
    for (const pair of this.#pairs) {
      pair.up.wake();
      pair.down.wake();
    }
  }

  #track(task: Promise<void>): void {
    this.#tasks.add(task);
    void task.finally(() => this.#tasks.delete(task));
  }

  async #accept(): Promise<void> {
    for (;;) {
      let client: Deno.TcpConn;
      try {
        client = await this.#listener.accept();
      } catch {
        // close() interrupts the pending accept; nothing else ends the loop.
        return;
      }
      this.accepted++;
      if (this.#closed || this.#down) {
        closeQuietly(client);
        continue;
      }
      this.#track(this.#serve(client));
    }
  }

  /** Connects to the server for one client and pumps both ways until the pair closes. */
  async #serve(client: Deno.TcpConn): Promise<void> {
    const pair = new Pair(client, (closed) => this.#pairs.delete(closed));
    this.#pairs.add(pair);
    this.#recorded?.push(pair);
    let server: Deno.TcpConn;
    try {
      server = await Deno.connect(this.#target);
    } catch {
      pair.close();
      return;
    }
    if (pair.closed) {
      // reset(), down() or close() ran while connecting.
      closeQuietly(server);
      return;
    }
    pair.server = server;
    try {
      client.setNoDelay(true);
      server.setNoDelay(true);
    } catch {
      pair.close();
      return;
    }
    await Promise.all([
      this.#read(pair, pair.up, client),
      this.#write(pair, pair.up, server, false),
      this.#read(pair, pair.down, server),
      this.#write(pair, pair.down, client, true),
    ]);
  }

  /** Queues everything `from` sends; EOF ends the direction once drained. */
  async #read(
    pair: Pair,
    direction: Direction,
    from: Deno.Conn,
  ): Promise<void> {
    const buffer = new Uint8Array(64 * 1024);
    try {
      for (;;) {
        const n = await from.read(buffer);
        if (n === null) break;
        direction.push({
          bytes: buffer.slice(0, n),
          readAt: performance.now(),
          offset: 0,
        });
      }
      direction.ended = true;
      direction.wake();
    } catch {
      // A reset by the peer, or our own close() interrupting the read.
      pair.close();
    }
  }

  /** Writes the queue of `direction` to `to`, applying the toxics, in order. */
  async #write(
    pair: Pair,
    direction: Direction,
    to: Deno.Conn,
    downstream: boolean,
  ): Promise<void> {
    try {
      while (!pair.closed) {
        const chunk = direction.peek();
        if (chunk === undefined) {
          // The source closed and everything it sent is delivered.
          if (direction.ended) pair.close();
          else await direction.wait();
          continue;
        }
        if (this.#stalled) {
          await direction.wait();
          continue;
        }
        const latency = this.#latency;
        if (latency !== undefined) {
          chunk.jitter ??= this.#random();
          const dueAt = chunk.readAt + latency.ms +
            chunk.jitter * latency.jitterMs;
          const waitMs = dueAt - performance.now();
          if (waitMs > 0) {
            // Woken early (new data, a toxic change), it re-checks everything.
            await direction.wait(waitMs);
            continue;
          }
        }
        const slice = downstream ? this.#slice : undefined;
        if (slice !== undefined) {
          const waitMs = direction.quietUntil - performance.now();
          if (waitMs > 0) {
            await direction.wait(waitMs);
            continue;
          }
        }
        let size = chunk.bytes.length - chunk.offset;
        if (slice !== undefined) {
          size = Math.min(
            size,
            1 + Math.floor(this.#random() * slice.maxBytes),
          );
        }
        if (downstream && pair.cutBudget !== undefined) {
          if (pair.cutBudget === 0) {
            // The server sent more than the budget: cut here, mid-frame.
            pair.close();
            continue;
          }
          size = Math.min(size, pair.cutBudget);
        }
        await writeAll(
          to,
          chunk.bytes.subarray(chunk.offset, chunk.offset + size),
        );
        chunk.offset += size;
        if (chunk.offset === chunk.bytes.length) direction.shift();
        if (downstream) {
          this.bytesDown += size;
          this.writesDown++;
          if (pair.cutBudget !== undefined) pair.cutBudget -= size;
        } else {
          this.bytesUp += size;
          if (this.#recorded !== undefined) {
            pair.sent.push(
              chunk.bytes.slice(chunk.offset - size, chunk.offset),
            );
          }
        }
        if (slice !== undefined) {
          direction.quietUntil = performance.now() + slice.delayMs;
        }
      }
    } catch {
      // The peer reset, or our own close() interrupted the write.
      pair.close();
    }
  }
}

function checkNonNegative(action: string, name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(
      `Cannot set ${action}: ${name} must be a non-negative number, received ${value}`,
    );
  }
}

function closeQuietly(socket: Deno.Conn): void {
  try {
    socket.close();
  } catch {
    // Already closed.
  }
}
