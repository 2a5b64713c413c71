// Encodes commands as RESP arrays of bulk strings into reusable buffers: a
// burst is closed into 256 KiB chunks written in order (no buffer doubled and
// copied again and again); while the connection writes what it took, commands
// go to another buffer, and written buffers come back for reuse. Owns no
// socket.

/**
 * A command argument. Strings are sent as UTF-8, numbers and bigints as
 * decimal text (`Infinity` as `inf`, `-Infinity` as `-inf`), `Uint8Array`s
 * as raw bytes. `NaN` is refused with a `TypeError`.
 *
 * @example Usage
 * ```ts
 * import type { RedisArg } from "@sleeve/redis";
 *
 * const args: RedisArg[] = ["SET", "key", new Uint8Array([0, 255]), 42, 2n ** 64n];
 * console.log(args.length); // → 5
 * ```
 */
export type RedisArg = string | number | bigint | Uint8Array;

const CR = 0x0d;
const LF = 0x0a;
const STAR = 0x2a;
const DOLLAR = 0x24;
const INITIAL_CAPACITY = 16 * 1024;
/**
 * A buffer full past this size is closed as a chunk and the next commands go
 * to a new one: a burst of commands is written in chunks, in order, instead
 * of being copied into one buffer doubled again and again.
 */
const CHUNK_SIZE = 256 * 1024;
/** Buffers kept for reuse once written. */
const SPARES = 2;
/** Buffers that grew past this are dropped after their write instead of reused. */
const KEEP_CAPACITY = 4 * 1024 * 1024;
/** Strings up to this many UTF-16 units are copied by hand when ASCII
 * (measured: ~3 ns per character by hand, ~100-160 ns per encodeInto call). */
const SHORT_STRING = 32;

const utf8 = new TextEncoder();

/** A position of the encoder (see {@linkcode CommandEncoder.mark}). */
export interface EncoderMark {
  /** Closed chunks not yet taken. */
  readonly chunks: number;
  /** Their bytes. */
  readonly chunkBytes: number;
  /** Bytes in the current buffer. */
  readonly len: number;
  /** Commands in the current buffer. */
  readonly commands: number;
}

/** Number of decimal digits of a non-negative safe integer. */
function digitCount(n: number): number {
  let count = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    count++;
  }
  return count;
}

/**
 * Writes RESP commands into reusable buffers. Internal.
 *
 * Commands go into the current buffer; once it is past 256 KiB, the next
 * command that does not fit closes it as a chunk and starts a new one (a
 * command is never split between chunks). {@linkcode CommandEncoder.take}
 * hands out the chunks oldest first, then the current buffer; written
 * buffers come back through {@linkcode CommandEncoder.release} and are
 * reused.
 */
export class CommandEncoder {
  #buf: Uint8Array<ArrayBuffer> = new Uint8Array(INITIAL_CAPACITY);
  #len = 0;
  /** Where the command being encoded starts in `#buf`. */
  #start = 0;
  /** Commands complete in `#buf`. */
  #commands = 0;
  /** Closed chunks not yet taken, oldest first, and their command counts. */
  #chunks: Uint8Array<ArrayBuffer>[] = [];
  #chunkCommands: number[] = [];
  #chunkBytes = 0;
  #spares: Uint8Array<ArrayBuffer>[] = [new Uint8Array(INITIAL_CAPACITY)];
  #taken = 0;
  #maxBulkLength: number;

  /**
   * Constructs a new instance.
   *
   * @param maxBulkLength The largest argument accepted, in bytes.
   */
  constructor(maxBulkLength: number) {
    this.#maxBulkLength = maxBulkLength;
  }

  /** The largest argument accepted, in bytes. */
  get maxBulkLength(): number {
    return this.#maxBulkLength;
  }

  set maxBulkLength(bytes: number) {
    this.#maxBulkLength = bytes;
  }

  /** Bytes encoded and not yet taken. */
  get length(): number {
    return this.#chunkBytes + this.#len;
  }

  /** Whether a closed chunk waits to be taken (a burst is under way). */
  get hasChunk(): boolean {
    return this.#chunks.length > 0;
  }

  /** Number of commands (encode and encodeRaw calls) in the bytes the last take() returned. */
  get takenCommands(): number {
    return this.#taken;
  }

  /**
   * Appends one command. On failure nothing is appended and the error is
   * thrown: a `TypeError` for an argument that cannot be encoded, a
   * `RangeError` for one over `maxBulkLength`.
   */
  encode(args: readonly RedisArg[]): void {
    const argc = args.length;
    if (argc === 0) {
      throw new TypeError("Cannot encode command: no command name given");
    }
    this.#start = this.#len;
    try {
      this.#header(argc, 3 + digitCount(argc) + 2);
      this.#args(args, 0);
    } catch (error) {
      // The command may have moved to a new buffer: #start follows it.
      this.#len = this.#start;
      throw named(error, () => typeof args[0] === "string" ? args[0] : "");
    }
    this.#commands++;
  }

  /**
   * Appends one command whose name token(s) were encoded once as RESP bulk
   * strings (`head`, holding `tokens` of them), followed by `args`. On
   * failure nothing is appended, as for {@linkcode CommandEncoder.encode};
   * an argument is numbered by its place in the whole command.
   */
  encodeCommand(
    head: Uint8Array,
    tokens: number,
    args: readonly RedisArg[],
  ): void {
    this.#start = this.#len;
    const argc = tokens + args.length;
    const headLength = head.length;
    try {
      this.#header(argc, 3 + digitCount(argc) + 2 + headLength);
      const buf = this.#buf;
      const p = this.#len;
      // A command's name is a few bytes: a loop beats set()'s fixed cost.
      if (headLength <= SHORT_STRING) {
        for (let i = 0; i < headLength; i++) buf[p + i] = head[i]!;
      } else {
        buf.set(head, p);
      }
      this.#len = p + headLength;
      this.#args(args, tokens);
    } catch (error) {
      this.#len = this.#start;
      throw named(error, () => headName(head, tokens));
    }
    this.#commands++;
  }

  /** Writes `*<argc>\r\n`, with room for `room` bytes from its start. */
  #header(argc: number, room: number): void {
    this.#ensure(room);
    const buf = this.#buf;
    let p = this.#len;
    buf[p++] = STAR;
    p = writeDigits(buf, p, argc);
    buf[p++] = CR;
    buf[p++] = LF;
    this.#len = p;
  }

  /**
   * Writes each argument as a bulk string. A failure is thrown as an
   * {@linkcode ArgumentFailure} numbering the argument (from `offset`),
   * which the caller names: the message costs nothing until it is needed.
   */
  #args(args: readonly RedisArg[], offset: number): void {
    let i = 0;
    try {
      for (; i < args.length; i++) {
        const arg = args[i];
        if (typeof arg === "string") this.#string(arg);
        else if (typeof arg === "number") this.#string(numberText(arg));
        else if (arg instanceof Uint8Array) this.#bytes(arg);
        else if (typeof arg === "bigint") this.#string(arg.toString());
        else {
          throw new TypeError(
            `received ${
              describe(arg)
            } (expected a string, number, bigint or Uint8Array)`,
          );
        }
      }
    } catch (error) {
      throw new ArgumentFailure(offset + i, error);
    }
  }

  /**
   * Where the encoder stands, for {@linkcode CommandEncoder.rollback}: a
   * batch that cannot be encoded whole appends nothing.
   */
  mark(): EncoderMark {
    return {
      chunks: this.#chunks.length,
      chunkBytes: this.#chunkBytes,
      len: this.#len,
      commands: this.#commands,
    };
  }

  /**
   * Drops every command appended since `mark`, including chunks closed
   * meanwhile (the buffer current at the mark is reopened). No `take()` may
   * have happened since the mark.
   */
  rollback(mark: EncoderMark): void {
    if (this.#chunks.length > mark.chunks) {
      const reopened = this.#chunks[mark.chunks]!;
      this.#chunks.length = mark.chunks;
      this.#chunkCommands.length = mark.chunks;
      this.#chunkBytes = mark.chunkBytes;
      this.#buf = new Uint8Array(reopened.buffer);
    }
    this.#len = mark.len;
    this.#start = mark.len;
    this.#commands = mark.commands;
  }

  /** Appends bytes that are already RESP (a pre-encoded command). */
  encodeRaw(bytes: Uint8Array): void {
    this.#start = this.#len;
    this.#ensure(bytes.length);
    this.#buf.set(bytes, this.#len);
    this.#len += bytes.length;
    this.#commands++;
  }

  /**
   * Takes encoded bytes for writing: the oldest closed chunk, else what the
   * current buffer holds. Call it again while
   * {@linkcode CommandEncoder.length} is not 0. The returned view stays
   * valid until it is passed to {@linkcode CommandEncoder.release};
   * meanwhile new commands go to another buffer.
   */
  take(): Uint8Array<ArrayBuffer> {
    if (this.#chunks.length > 0) {
      const chunk = this.#chunks.shift()!;
      this.#taken = this.#chunkCommands.shift()!;
      this.#chunkBytes -= chunk.length;
      return chunk;
    }
    const out = this.#buf.subarray(0, this.#len);
    this.#taken = this.#commands;
    this.#buf = this.#spares.pop() ?? new Uint8Array(INITIAL_CAPACITY);
    this.#len = 0;
    this.#start = 0;
    this.#commands = 0;
    return out;
  }

  /** Gives back a buffer returned by `take()` once its bytes are written. */
  release(taken: Uint8Array<ArrayBuffer>): void {
    const buffer = taken.buffer;
    if (buffer.byteLength <= KEEP_CAPACITY && this.#spares.length < SPARES) {
      this.#spares.push(new Uint8Array(buffer));
    }
  }

  #ensure(extra: number): void {
    if (this.#len + extra > this.#buf.length) this.#makeRoom(extra);
  }

  /**
   * Room for `extra` more bytes of the command being encoded: past the
   * chunk size, the commands before it are closed as a chunk and it moves
   * to a new buffer; otherwise the buffer grows.
   */
  #makeRoom(extra: number): void {
    const buf = this.#buf;
    const start = this.#start;
    const partial = this.#len - start;
    const needed = partial + extra;
    if (start > 0 && this.#len + extra > CHUNK_SIZE) {
      this.#chunks.push(buf.subarray(0, start));
      this.#chunkCommands.push(this.#commands);
      this.#chunkBytes += start;
      let next: Uint8Array<ArrayBuffer> | undefined;
      while (next === undefined && this.#spares.length > 0) {
        const spare = this.#spares.pop()!;
        if (spare.length >= needed && spare.length >= CHUNK_SIZE) next = spare;
      }
      next ??= new Uint8Array(Math.max(CHUNK_SIZE, needed));
      next.set(buf.subarray(start, this.#len));
      this.#buf = next;
      this.#len = partial;
      this.#start = 0;
      this.#commands = 0;
      return;
    }
    let capacity = buf.length * 2;
    if (capacity < this.#len + extra) capacity = this.#len + extra;
    const grown = new Uint8Array(capacity);
    grown.set(buf.subarray(0, this.#len));
    this.#buf = grown;
  }

  #string(s: string): void {
    const n = s.length;
    if (n > this.#maxBulkLength) throw this.#tooLong(n);
    // Header first, assuming one byte per UTF-16 unit (ASCII); fixed below
    // when the string turns out to need more bytes.
    this.#ensure(1 + 20 + 2 + n * 3 + 2);
    const buf = this.#buf;
    let p = this.#len;
    buf[p++] = DOLLAR;
    const digitsAt = p;
    p = writeDigits(buf, p, n);
    buf[p++] = CR;
    buf[p++] = LF;
    let written = 0;
    if (n <= SHORT_STRING) {
      for (; written < n; written++) {
        const c = s.charCodeAt(written);
        if (c >= 0x80) break;
        buf[p + written] = c;
      }
    }
    if (written < n) {
      written = utf8.encodeInto(s, buf.subarray(p)).written;
      if (written !== n) {
        if (written > this.#maxBulkLength) throw this.#tooLong(written);
        p = fixLength(buf, digitsAt, n, written);
      }
    }
    p += written;
    buf[p++] = CR;
    buf[p++] = LF;
    this.#len = p;
  }

  #bytes(bytes: Uint8Array): void {
    const n = bytes.length;
    if (n > this.#maxBulkLength) throw this.#tooLong(n);
    this.#ensure(1 + 20 + 2 + n + 2);
    const buf = this.#buf;
    let p = this.#len;
    buf[p++] = DOLLAR;
    p = writeDigits(buf, p, n);
    buf[p++] = CR;
    buf[p++] = LF;
    buf.set(bytes, p);
    p += n;
    buf[p++] = CR;
    buf[p++] = LF;
    this.#len = p;
  }

  #tooLong(length: number): RangeError {
    return new RangeError(
      `${length} bytes exceed maxBulkLength ${this.#maxBulkLength}`,
    );
  }
}

/** An argument that cannot be encoded, by its place; thrown inside the encoder only. */
class ArgumentFailure {
  readonly position: number;
  readonly error: unknown;

  constructor(position: number, error: unknown) {
    this.position = position;
    this.error = error;
  }
}

/**
 * The error a caller sees: "Cannot encode argument <n> of <COMMAND>:
 * <detail>", a `RangeError` for a size over the limit, else a `TypeError`.
 * Only the argument's place and type are named, never its value.
 */
function named(error: unknown, name: () => string): unknown {
  if (!(error instanceof ArgumentFailure)) return error;
  const cause = error.error;
  const command = name();
  const message = `Cannot encode argument ${error.position}${
    command === "" ? "" : ` of ${command}`
  }: ${cause instanceof Error ? cause.message : String(cause)}`;
  return cause instanceof RangeError
    ? new RangeError(message)
    : new TypeError(message);
}

const utf8Text = new TextDecoder();

/** The name words of a pre-encoded head (`$3\r\nGET\r\n`...), space-separated. */
function headName(head: Uint8Array, tokens: number): string {
  const words: string[] = [];
  let p = 0;
  for (let t = 0; t < tokens && head[p] === DOLLAR; t++) {
    let length = 0;
    for (p++; head[p] !== CR && p < head.length; p++) {
      length = length * 10 + head[p]! - 0x30;
    }
    p += 2;
    words.push(utf8Text.decode(head.subarray(p, p + length)));
    p += length + 2;
  }
  return words.join(" ");
}

/** Writes `n` (a non-negative safe integer) as ASCII digits at `p`; returns the new end. */
function writeDigits(buf: Uint8Array, p: number, n: number): number {
  if (n < 10) {
    buf[p] = 0x30 + n;
    return p + 1;
  }
  const end = p + digitCount(n);
  let i = end;
  while (n >= 10) {
    const q = Math.floor(n / 10);
    buf[--i] = 0x30 + (n - q * 10);
    n = q;
  }
  buf[--i] = 0x30 + n;
  return end;
}

/**
 * A string's UTF-8 length differed from the length guessed in its header.
 * Rewrites the header digits and moves the payload when the digit count
 * changed; returns where the payload now starts.
 */
function fixLength(
  buf: Uint8Array,
  digitsAt: number,
  guessed: number,
  actual: number,
): number {
  const oldStart = digitsAt + digitCount(guessed) + 2;
  const newStart = digitsAt + digitCount(actual) + 2;
  if (newStart !== oldStart) {
    buf.copyWithin(newStart, oldStart, oldStart + actual);
  }
  let p = writeDigits(buf, digitsAt, actual);
  buf[p++] = CR;
  buf[p++] = LF;
  return p;
}

function numberText(n: number): string {
  if (Number.isNaN(n)) {
    throw new TypeError("NaN is not a valid Redis number");
  }
  if (n === Infinity) return "inf";
  if (n === -Infinity) return "-inf";
  return String(n);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}
