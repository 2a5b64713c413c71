// Owns a scripted fake RESP server for what a real server
// cannot show: malformed replies, closing mid-frame, never answering. Parses
// requests binary-safely; replies are whatever raw bytes the test writes.

import { connect, type ConnectOptions, type Redis } from "../../mod.ts";
import { writeAll } from "./raw_connection.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const CR = 13;
const LF = 10;
const READ_SIZE = 64 * 1024;

/** One accepted client socket, driven by the test. */
export interface FakeConnection {
  /**
   * Resolves with the next complete command, parsed from a RESP multibulk (or
   * inline) request into strings, e.g. `["HELLO", "3"]`. Resolves null when
   * the client closed (EOF or reset) or `close()` ran, at a command boundary;
   * rejects on EOF inside a command or on a malformed request.
   */
  readCommand(): Promise<string[] | null>;
  /** Like {@linkcode FakeConnection.readCommand}, with each argument's exact bytes. */
  readRawCommand(): Promise<Uint8Array[] | null>;
  /** Writes raw bytes, all of them (loops on short writes). Throws if the peer is gone. */
  write(data: string | Uint8Array): Promise<void>;
  /** Closes this socket (idempotent). Closing with client data unread sends RST. */
  close(): void;
  /** Whether `close()` ran. */
  readonly closed: boolean;
  /** The socket itself, for `closeWrite()` and the like. */
  readonly conn: Deno.TcpConn;
}

/** A listening fake server on 127.0.0.1 and an ephemeral port. */
export interface FakeServer extends AsyncDisposable {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /**
   * Accepts the next connection. Until it is called the client waits in the
   * kernel backlog (connected at TCP level, never answered): "hold accept".
   */
  accept(): Promise<FakeConnection>;
  /** Stops listening and closes every accepted connection (idempotent). */
  close(): Promise<void>;
}

/** Starts a {@linkcode FakeServer}; release it with `await using`. */
export function startFakeServer(): Promise<FakeServer> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  return Promise.resolve(new Fake(listener));
}

class Fake implements FakeServer {
  readonly port: number;
  readonly url: string;
  readonly #listener: Deno.TcpListener;
  readonly #connections = new Set<Connection>();
  #closed = false;

  constructor(listener: Deno.TcpListener) {
    this.#listener = listener;
    this.port = listener.addr.port;
    this.url = `redis://127.0.0.1:${this.port}`;
  }

  async accept(): Promise<FakeConnection> {
    if (this.#closed) throw new Error("fake server is closed");
    let conn: Deno.TcpConn;
    try {
      conn = await this.#listener.accept();
    } catch (error) {
      if (this.#closed) {
        throw new Error("fake server closed while accepting", { cause: error });
      }
      throw error;
    }
    // Each write() of the script goes out as its own segment.
    conn.setNoDelay(true);
    const connection = new Connection(conn);
    this.#connections.add(connection);
    return connection;
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#listener.close();
      for (const connection of this.#connections) connection.close();
      this.#connections.clear();
    }
    return Promise.resolve();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

class Connection implements FakeConnection {
  readonly conn: Deno.TcpConn;
  #buffer: Uint8Array = new Uint8Array(0);
  #closed = false;

  constructor(conn: Deno.TcpConn) {
    this.conn = conn;
  }

  get closed(): boolean {
    return this.#closed;
  }

  async readCommand(): Promise<string[] | null> {
    const raw = await this.readRawCommand();
    return raw === null ? null : raw.map((arg) => decoder.decode(arg));
  }

  async readRawCommand(): Promise<Uint8Array[] | null> {
    for (;;) {
      const parsed = parseCommand(this.#buffer);
      if (parsed) {
        this.#buffer = this.#buffer.subarray(parsed.end);
        return parsed.args;
      }
      const chunk = await this.#read();
      if (chunk === null) {
        if (this.#buffer.length === 0) return null;
        throw new Error(
          `EOF inside a command: ${
            JSON.stringify(decoder.decode(this.#buffer))
          }`,
        );
      }
      this.#buffer = concat(this.#buffer, chunk);
    }
  }

  async write(data: string | Uint8Array): Promise<void> {
    await writeAll(
      this.conn,
      typeof data === "string" ? encoder.encode(data) : data,
    );
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.conn.close();
    } catch (error) {
      if (!(error instanceof Deno.errors.BadResource)) throw error;
    }
  }

  async #read(): Promise<Uint8Array | null> {
    if (this.#closed) return null;
    const chunk = new Uint8Array(READ_SIZE);
    try {
      const n = await this.conn.read(chunk);
      return n === null ? null : chunk.subarray(0, n);
    } catch (error) {
      // close() interrupts a pending read; a reset is the client's EOF.
      if (this.#closed || error instanceof Deno.errors.ConnectionReset) {
        return null;
      }
      throw error;
    }
  }
}

/**
 * Parses one request at the start of `buffer`: `{ args, end }`, or undefined
 * while incomplete. Lengths are bytes, so UTF-8 and CRLF inside arguments are
 * safe. Throws on a malformed request.
 */
export function parseCommand(
  buffer: Uint8Array,
): { args: Uint8Array[]; end: number } | undefined {
  if (buffer.length === 0) return undefined;
  if (buffer[0] !== 0x2a /* * */) {
    // Inline command (what telnet sends): one line, split on spaces.
    const lineEnd = findLf(buffer, 0);
    if (lineEnd < 0) return undefined;
    const line = decoder.decode(buffer.subarray(0, lineEnd)).replace(/\r$/, "");
    const args = line.split(" ").filter((word) => word !== "").map((word) =>
      encoder.encode(word)
    );
    return { args, end: lineEnd + 1 };
  }
  const header = readLine(buffer, 1);
  if (!header) return undefined;
  const count = parseLength(header.text, "multibulk length");
  const args: Uint8Array[] = [];
  let pos = header.next;
  for (let i = 0; i < count; i++) {
    if (pos >= buffer.length) return undefined;
    if (buffer[pos] !== 0x24 /* $ */) {
      throw new Error(
        `expected '$' at byte ${pos}, got ${
          JSON.stringify(String.fromCharCode(buffer[pos]))
        }`,
      );
    }
    const line = readLine(buffer, pos + 1);
    if (!line) return undefined;
    const length = parseLength(line.text, "bulk length");
    const end = line.next + length;
    if (end + 2 > buffer.length) return undefined;
    if (buffer[end] !== CR || buffer[end + 1] !== LF) {
      throw new Error(
        `bulk of ${length} bytes not followed by CRLF at byte ${end}`,
      );
    }
    args.push(buffer.slice(line.next, end));
    pos = end + 2;
  }
  return { args, end: pos };
}

function readLine(
  buffer: Uint8Array,
  from: number,
): { text: string; next: number } | undefined {
  const lf = findLf(buffer, from);
  if (lf < 0) return undefined;
  if (lf === from || buffer[lf - 1] !== CR) {
    throw new Error(`bare LF at byte ${lf}`);
  }
  return { text: decoder.decode(buffer.subarray(from, lf - 1)), next: lf + 1 };
}

function parseLength(text: string, what: string): number {
  if (!/^\d+$/.test(text)) {
    throw new Error(`invalid ${what} ${JSON.stringify(text)}`);
  }
  return Number(text);
}

function findLf(buffer: Uint8Array, from: number): number {
  return buffer.indexOf(LF, from);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Options of {@linkcode answerHandshake}. */
export interface HandshakeOptions {
  /**
   * The protocol the client must negotiate: 3 requires `HELLO 3`; 2 requires
   * no HELLO or `HELLO 2`. A mismatch throws. Default: accept either.
   */
  protocol?: 2 | 3;
  /** Raw RESP to answer HELLO with, e.g. `"-ERR unknown command 'HELLO'\r\n"`. */
  helloReply?: string;
  /**
   * Raw RESP to answer a command with instead of the default; return
   * undefined to keep the default. Commands with no default (anything but
   * AUTH, HELLO, CLIENT SETNAME/SETINFO, SELECT, PING) must be answered here.
   */
  reply?: (command: string[]) => string | Uint8Array | undefined;
  /**
   * Overrides when the handshake is over (checked after answering each
   * command). Default: its final `PING` answered.
   */
  until?: (command: string[], seen: readonly string[][]) => boolean;
}

/**
 * Answers the client's connection handshake and resolves with the commands
 * it saw, in order.
 *
 * The client ends its handshake with a `PING`. Defaults:
 * AUTH, CLIENT SETNAME, CLIENT SETINFO, SELECT → `+OK`; CONFIG GET databases
 * → 16 (map or flat array per the protocol negotiated); PING →
 * `+PONG`; HELLO 3 → the RESP3 map Redis 7 sends, HELLO 2 → its RESP2 flat
 * array, another version → `-NOPROTO`. An unexpected command, or the client
 * closing before the end, throws.
 */
export async function answerHandshake(
  conn: FakeConnection,
  options: HandshakeOptions = {},
): Promise<string[][]> {
  const seen: string[][] = [];
  let hello: string | undefined;
  const done = options.until ??
    ((command: string[]) => command[0]?.toUpperCase() === "PING");
  for (;;) {
    const command = await conn.readCommand();
    if (command === null) {
      throw new Error(
        `client closed during the handshake after ${JSON.stringify(seen)}`,
      );
    }
    seen.push(command);
    const name = command[0]?.toUpperCase();
    const sub = command[1]?.toUpperCase();
    if (name === "HELLO") hello = command[1] ?? "";

    const custom = options.reply?.(command);
    const answer = custom ??
      (name === "HELLO" && options.helloReply !== undefined
        ? options.helloReply
        : defaultReply(
          command,
          name,
          sub,
          hello === "3" && options.helloReply === undefined,
        ));
    if (answer === undefined) {
      throw new Error(
        `answerHandshake: unexpected command ${JSON.stringify(command)}; ` +
          "answer it with options.reply",
      );
    }
    await conn.write(answer);
    if (done(command, seen)) break;
  }
  if (options.protocol === 3 && hello !== "3") {
    throw new Error(`expected HELLO 3, saw ${JSON.stringify(seen)}`);
  }
  if (options.protocol === 2 && hello !== undefined && hello !== "2") {
    throw new Error(
      `expected no HELLO or HELLO 2, saw ${JSON.stringify(seen)}`,
    );
  }
  return seen;
}

let nextClientId = 1;

function defaultReply(
  command: string[],
  name: string | undefined,
  sub: string | undefined,
  resp3: boolean,
): string | undefined {
  switch (name) {
    case "CONFIG":
      if (sub !== "GET") return undefined;
      return resp3
        ? "%1\r\n$9\r\ndatabases\r\n$2\r\n16\r\n"
        : "*2\r\n$9\r\ndatabases\r\n$2\r\n16\r\n";
    case "AUTH":
    case "SELECT":
      return "+OK\r\n";
    case "PING":
      return "+PONG\r\n";
    case "CLIENT":
      return sub === "SETNAME" || sub === "SETINFO" ? "+OK\r\n" : undefined;
    case "HELLO":
      return helloReply(command[1] ?? "2");
    default:
      return undefined;
  }
}

/** What Redis 7.0 answers to `HELLO 2` / `HELLO 3`. */
export function helloReply(protocol: string): string {
  if (protocol !== "2" && protocol !== "3") {
    return "-NOPROTO unsupported protocol version\r\n";
  }
  const fields = [
    "$6\r\nserver\r\n$5\r\nredis\r\n",
    "$7\r\nversion\r\n$6\r\n7.0.15\r\n",
    `$5\r\nproto\r\n:${protocol}\r\n`,
    `$2\r\nid\r\n:${nextClientId++}\r\n`,
    "$4\r\nmode\r\n$10\r\nstandalone\r\n",
    "$4\r\nrole\r\n$6\r\nmaster\r\n",
    "$7\r\nmodules\r\n*0\r\n",
  ];
  return (protocol === "3"
    ? `%${fields.length}\r\n`
    : `*${fields.length * 2}\r\n`) +
    fields.join("");
}

/**
 * Connects a client to `fake` with `options` (its port filled in) and
 * answers the handshake: the client and its socket, ready for a script.
 */
export async function connectToFake(
  fake: FakeServer,
  options: ConnectOptions = {},
  handshake: HandshakeOptions = {},
): Promise<{ redis: Redis; conn: FakeConnection }> {
  const accepted = fake.accept();
  const connecting = connect({ ...options, port: fake.port });
  const conn = await accepted;
  await answerHandshake(conn, handshake);
  return { redis: await connecting, conn };
}
