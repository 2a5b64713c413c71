// Owns a minimal RESP client for tests: encodes commands, writes every byte, and
// reads whole replies back as raw text. Knows framing only, never meaning, so it
// can act as an admin connection, a readiness probe, or a witness of the wire.

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const CR = 13;
const LF = 10;

/** Where a {@linkcode RawConnection} connects: TCP or a unix socket. */
export type RawTarget =
  | { hostname?: string; port: number }
  | { path: string };

/** Per-call options of {@linkcode RawConnection}. */
export interface RawReadOptions {
  /**
   * Give up after this many milliseconds: the connection is closed and the
   * call throws `Deno.errors.TimedOut`. Default: wait forever.
   */
  timeoutMs?: number;
}

/** Encodes one command as a RESP multibulk request (lengths in bytes). */
export function encodeCommand(
  args: readonly (string | Uint8Array)[],
): Uint8Array {
  const parts: Uint8Array[] = [encoder.encode(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = typeof arg === "string" ? encoder.encode(arg) : arg;
    parts.push(
      encoder.encode(`$${bytes.length}\r\n`),
      bytes,
      encoder.encode("\r\n"),
    );
  }
  return concat(parts);
}

/** Writes all of `data`: `Conn.write` may return a short count. */
export async function writeAll(
  conn: Deno.Conn,
  data: Uint8Array,
): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    offset += await conn.write(data.subarray(offset));
  }
}

/**
 * A raw RESP connection for tests: `command("CLIENT", "KILL", "ID", "7")`
 * resolves with the reply exactly as sent, e.g. `":1\r\n"`.
 *
 * Use it for admin work beside the client under test (`CLIENT PAUSE`,
 * `CLIENT KILL`, `INFO commandstats`) and for probes that must not depend on
 * the client. Release it with `using`.
 */
export class RawConnection implements Disposable {
  /** The socket; exposed for `closeWrite()` and similar. */
  readonly conn: Deno.Conn;
  #buffer: Uint8Array = new Uint8Array(0);
  #closed = false;

  /** Wraps an open socket, e.g. one from `Deno.connectTls`. */
  constructor(conn: Deno.Conn) {
    this.conn = conn;
  }

  /** Connects over TCP (hostname defaults to 127.0.0.1) or a unix socket. */
  static async connect(target: RawTarget): Promise<RawConnection> {
    const conn = "path" in target
      ? await Deno.connect({ transport: "unix", path: target.path })
      : await Deno.connect({
        hostname: target.hostname ?? "127.0.0.1",
        port: target.port,
      });
    return new RawConnection(conn);
  }

  /** Whether {@linkcode RawConnection.close} ran (or a timeout closed it). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Sends one command and resolves with its raw reply (null on EOF). */
  async command(
    args: readonly (string | Uint8Array)[],
    options?: RawReadOptions,
  ): Promise<string | null> {
    await writeAll(this.conn, encodeCommand(args));
    return await this.readReply(options);
  }

  /** Writes raw bytes (all of them). */
  async write(data: string | Uint8Array): Promise<void> {
    await writeAll(
      this.conn,
      typeof data === "string" ? encoder.encode(data) : data,
    );
  }

  /**
   * Resolves with the next complete reply as raw text (attributes included
   * with the reply they precede), or null when the peer closed the stream
   * (EOF or reset) at a reply boundary. Throws on EOF inside a reply.
   */
  async readReply(options?: RawReadOptions): Promise<string | null> {
    let timedOut = false;
    const timer = options?.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
        timedOut = true;
        this.close();
      }, options.timeoutMs);
    try {
      for (;;) {
        const end = replyEnd(this.#buffer, 0);
        if (end > 0) {
          const reply = decoder.decode(this.#buffer.subarray(0, end));
          this.#buffer = this.#buffer.subarray(end);
          return reply;
        }
        const chunk = await this.#read();
        if (chunk === null) {
          if (timedOut) {
            throw new Deno.errors.TimedOut(
              `no complete reply within ${options?.timeoutMs} ms`,
            );
          }
          if (this.#buffer.length === 0) return null;
          throw new Error(
            `EOF inside a reply: ${
              JSON.stringify(decoder.decode(this.#buffer))
            }`,
          );
        }
        this.#buffer = concat([this.#buffer, chunk]);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the socket (idempotent). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.conn.close();
    } catch (error) {
      if (!(error instanceof Deno.errors.BadResource)) throw error;
    }
  }

  [Symbol.dispose](): void {
    this.close();
  }

  async #read(): Promise<Uint8Array | null> {
    if (this.#closed) return null;
    const chunk = new Uint8Array(64 * 1024);
    try {
      const n = await this.conn.read(chunk);
      return n === null ? null : chunk.subarray(0, n);
    } catch (error) {
      // A local close() interrupts the pending read; a reset is the peer's EOF.
      if (this.#closed || error instanceof Deno.errors.ConnectionReset) {
        return null;
      }
      throw error;
    }
  }
}

/**
 * Index just past the complete RESP2/RESP3 reply starting at `pos`, or -1 when
 * `buffer` does not hold all of it yet. Streamed (`?`) aggregates are not needed
 * by tests and not handled.
 */
export function replyEnd(buffer: Uint8Array, pos: number): number {
  if (pos >= buffer.length) return -1;
  const lineEnd = findCrlf(buffer, pos + 1);
  if (lineEnd < 0) return -1;
  const afterLine = lineEnd + 2;
  const type = String.fromCharCode(buffer[pos]);
  switch (type) {
    case "$":
    case "!":
    case "=": {
      const length = Number(decoder.decode(buffer.subarray(pos + 1, lineEnd)));
      if (length < 0) return afterLine; // $-1: RESP2 null bulk
      const end = afterLine + length + 2;
      return end <= buffer.length ? end : -1;
    }
    case "*":
    case "~":
    case ">":
    case "%":
    case "|": {
      let count = Number(decoder.decode(buffer.subarray(pos + 1, lineEnd)));
      if (count < 0) return afterLine; // *-1: RESP2 null array
      if (type === "%" || type === "|") count *= 2;
      let next = afterLine;
      for (let i = 0; i < count; i++) {
        next = replyEnd(buffer, next);
        if (next < 0) return -1;
      }
      // An attribute map is followed by the reply it annotates.
      return type === "|" ? replyEnd(buffer, next) : next;
    }
    default: // + - : , ( _ # are one line
      return afterLine;
  }
}

function findCrlf(buffer: Uint8Array, from: number): number {
  for (let i = from; i + 1 < buffer.length; i++) {
    if (buffer[i] === CR && buffer[i + 1] === LF) return i;
  }
  return -1;
}

/** Joins byte arrays into one. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
