// Owns a TCP proxy for tests (the "slicer" toxic of RELIABILITY 4.3): bytes
// from the client reach the server unchanged; bytes from the server reach the
// client in slices of N bytes, one write per slice (TCP_NODELAY, so one
// segment each), optionally with a pause between slices. Tracks and closes
// every socket it opens or accepts.

import { writeAll } from "./raw_connection.ts";

/** Options of {@linkcode startSlicingProxy}. */
export interface SlicingProxyOptions {
  /** The server's port. */
  port: number;
  /**
   * The server's address.
   *
   * @default {"127.0.0.1"}
   */
  hostname?: string;
  /**
   * Bytes per slice written to the client.
   *
   * @default {1}
   */
  sliceBytes?: number;
  /**
   * Milliseconds to wait after each slice, so that the client's reads really
   * see one slice each. 0 writes the slices back to back.
   *
   * @default {0}
   */
  delayMs?: number;
}

/** A listening proxy on 127.0.0.1 and an ephemeral port. */
export interface SlicingProxy extends AsyncDisposable {
  /** The proxy's port: connect the client here. */
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Bytes forwarded from the server to clients so far. */
  readonly bytesToClient: number;
  /** Writes made to clients so far (one per slice). */
  readonly writesToClient: number;
  /** Stops listening, closes every socket and waits for its tasks (idempotent). */
  close(): Promise<void>;
}

/** Starts a {@linkcode SlicingProxy}; release it with `await using`. */
export function startSlicingProxy(
  options: SlicingProxyOptions,
): SlicingProxy {
  const sliceBytes = options.sliceBytes ?? 1;
  if (!Number.isSafeInteger(sliceBytes) || sliceBytes < 1) {
    throw new RangeError(
      `sliceBytes must be a positive integer, received ${sliceBytes}`,
    );
  }
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  return new Proxy(listener, {
    hostname: options.hostname ?? "127.0.0.1",
    port: options.port,
    sliceBytes,
    delayMs: options.delayMs ?? 0,
  });
}

interface Target {
  hostname: string;
  port: number;
  sliceBytes: number;
  delayMs: number;
}

class Proxy implements SlicingProxy {
  readonly port: number;
  readonly url: string;
  bytesToClient = 0;
  writesToClient = 0;
  readonly #listener: Deno.TcpListener;
  readonly #target: Target;
  readonly #sockets = new Set<Deno.Conn>();
  readonly #tasks = new Set<Promise<void>>();
  readonly #accepting: Promise<void>;
  #closed = false;

  constructor(listener: Deno.TcpListener, target: Target) {
    this.#listener = listener;
    this.#target = target;
    this.port = listener.addr.port;
    this.url = `redis://127.0.0.1:${this.port}`;
    this.#accepting = this.#accept();
  }

  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#listener.close();
      for (const socket of this.#sockets) closeQuietly(socket);
      this.#sockets.clear();
    }
    await this.#accepting;
    while (this.#tasks.size > 0) await Promise.all(this.#tasks);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
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
      const task = this.#serve(client);
      this.#tasks.add(task);
      void task.finally(() => this.#tasks.delete(task));
    }
  }

  /** Connects to the server for one client and pumps both ways until either ends. */
  async #serve(client: Deno.TcpConn): Promise<void> {
    if (!this.#open(client)) return;
    let server: Deno.TcpConn;
    try {
      server = await Deno.connect({
        hostname: this.#target.hostname,
        port: this.#target.port,
      });
    } catch {
      this.#drop(client);
      return;
    }
    if (!this.#open(server)) {
      this.#drop(client);
      return;
    }
    client.setNoDelay(true);
    server.setNoDelay(true);
    await Promise.all([
      this.#pump(client, server, false),
      this.#pump(server, client, true),
    ]);
  }

  /** Tracks a socket; closes it and answers false once the proxy is closed. */
  #open(socket: Deno.Conn): boolean {
    if (this.#closed) {
      closeQuietly(socket);
      return false;
    }
    this.#sockets.add(socket);
    return true;
  }

  #drop(socket: Deno.Conn): void {
    this.#sockets.delete(socket);
    closeQuietly(socket);
  }

  /** Copies `from` to `to` (sliced when `slice`); when either side ends, closes both. */
  async #pump(from: Deno.Conn, to: Deno.Conn, slice: boolean): Promise<void> {
    const { sliceBytes, delayMs } = this.#target;
    const buffer = new Uint8Array(64 * 1024);
    try {
      for (;;) {
        const n = await from.read(buffer);
        if (n === null) break;
        if (!slice) {
          await writeAll(to, buffer.subarray(0, n));
          continue;
        }
        for (let offset = 0; offset < n; offset += sliceBytes) {
          const end = Math.min(offset + sliceBytes, n);
          await writeAll(to, buffer.subarray(offset, end));
          this.writesToClient++;
          this.bytesToClient += end - offset;
          if (delayMs > 0) await delay(delayMs);
        }
      }
    } catch {
      // A reset, or close() interrupting a read or write: either way this
      // pair is over.
    } finally {
      this.#drop(from);
      this.#drop(to);
    }
  }
}

function closeQuietly(socket: Deno.Conn): void {
  try {
    socket.close();
  } catch {
    // Already closed.
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
