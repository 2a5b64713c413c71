// Incremental RESP2/RESP3 decoder: a synchronous state machine with no I/O.
// Bytes go in with feed(), whole top-level values come out of next(). Open
// aggregates live on an explicit stack (no recursion), so chunk boundaries
// never matter and nothing already parsed is scanned twice. Once it has
// thrown a ProtocolError it stays failed.

import { ProtocolError, ReplyError } from "../errors.ts";
import {
  DEFAULT_MAX_BULK_LENGTH,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_ELEMENTS,
  DEFAULT_MAX_LINE_LENGTH,
  type RespDecoderOptions,
  type RespValue,
} from "./types.ts";

const CR = 0x0d;
const LF = 0x0a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const QUESTION = 0x3f;

// Type bytes.
const SIMPLE = 0x2b; // +
const ERROR = 0x2d; // -
const INTEGER = 0x3a; // :
const BULK = 0x24; // $
const ARRAY = 0x2a; // *
const NULL = 0x5f; // _
const BOOLEAN = 0x23; // #
const DOUBLE = 0x2c; // ,
const BIG_NUMBER = 0x28; // (
const BLOB_ERROR = 0x21; // !
const VERBATIM = 0x3d; // =
const MAP = 0x25; // %
const SET = 0x7e; // ~
const ATTRIBUTE = 0x7c; // |
const PUSH = 0x3e; // >
const CHUNK = 0x3b; // ;  (part of a streamed string)
const END = 0x2e; // .  (end of a streamed aggregate)

/** Type bytes that may start an item. */
const KNOWN_TYPE: readonly boolean[] = (() => {
  const known = new Array<boolean>(256).fill(false);
  for (
    const type of [
      SIMPLE,
      ERROR,
      INTEGER,
      BULK,
      ARRAY,
      NULL,
      BOOLEAN,
      DOUBLE,
      BIG_NUMBER,
      BLOB_ERROR,
      VERBATIM,
      MAP,
      SET,
      ATTRIBUTE,
      PUSH,
      CHUNK,
      END,
    ]
  ) known[type] = true;
  return known;
})();

const EMPTY: Uint8Array<ArrayBuffer> = new Uint8Array(0);
/** Smallest buffer the decoder allocates to join chunks. */
const MIN_OWNED = 4096;

/**
 * A bulk this large whose bytes have not all arrived is assembled in a buffer
 * of its own (see {@linkcode RespDecoder.bulkTarget}), not in the line buffer.
 */
const LARGE_BULK = 64 * 1024;
/**
 * A large bulk up to this size is assembled in one buffer of its own, set
 * aside when its header arrives (at most this much memory for a header).
 * Past it, the decoder keeps views of the chunks the payload arrives in and
 * joins them once at the end (one copy), so memory grows only with the bytes
 * that arrived: a server declaring 512 MiB gets nothing set aside.
 */
const SET_ASIDE_LIMIT = 1024 * 1024;
/** Strings shorter than this are decoded by hand when ASCII. */
const SHORT_STRING = 32;

const DOUBLE_TEXT = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const INF_TEXT = /^[+]?inf(inity)?$/i;
const NEG_INF_TEXT = /^-inf(inity)?$/i;
const NAN_TEXT = /^[+-]?nan(\(.*\))?$/i;
const BIG_TEXT = /^-?\d+$/;
const MAX_INT64 = 2n ** 63n - 1n;
const MIN_INT64 = -(2n ** 63n);

// ignoreBOM: a leading U+FEFF is part of the text, not a byte-order mark.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** An aggregate whose elements are still arriving. Reused per depth. */
class Frame {
  type = 0;
  /** Elements still expected, or -1 for a streamed aggregate (ends with `.`). */
  remaining = 0;
  items: RespValue[] = [];
  map: Map<RespValue, RespValue> | null = null;
  set: Set<RespValue> | null = null;
  key: RespValue = null;
  hasKey = false;
  /** Streamed string parts (`$?`, `!?`, `=?`). */
  parts: Uint8Array[] | null = null;
  partsLength = 0;
}

/** Sentinel returned by the item parser when an aggregate was opened. */
const OPENED: unique symbol = Symbol("opened");
/** Sentinel returned by the item parser for an item that produces no value (end marker). */
const CLOSED: unique symbol = Symbol("closed");

/**
 * Incremental decoder of RESP2 and RESP3 replies. Feed it bytes with any
 * chunking (byte by byte included) and pull whole values with
 * {@linkcode RespDecoder.next}. See {@linkcode RespValue} for the mapping of
 * RESP types to JavaScript values.
 *
 * Limits ({@linkcode RespDecoderOptions}) are checked as soon as a length is
 * read, before any memory is set aside for it; memory for a partial frame grows
 * only with the bytes that arrived. After a `ProtocolError` the decoder stays
 * failed and every later call throws the same error.
 *
 * @example Usage
 * ```ts
 * import { RespDecoder } from "@sleeve/redis";
 *
 * const decoder = new RespDecoder();
 * decoder.feed(new TextEncoder().encode("*2\r\n+OK\r\n:4"));
 * console.log(decoder.next()); // → undefined (incomplete)
 * decoder.feed(new TextEncoder().encode("2\r\n"));
 * console.log(decoder.next()); // → ["OK", 42]
 * ```
 */
export class RespDecoder {
  /**
   * Decode bulk strings to `Uint8Array` instead of UTF-8 strings, outside
   * push frames (see {@linkcode RespDecoder.pushBinary}).
   */
  binary: boolean;
  /**
   * Decode the bulk strings of RESP3 push frames to `Uint8Array` instead of
   * UTF-8 strings. A push answers no command, so `binary` (set per reply
   * from the command waiting for it) does not apply to it: a connection
   * that wants its pushes as bytes (a binary subscriber) says so here.
   */
  pushBinary: boolean;
  /** Whether the value last returned by `next()` was a RESP3 push frame. */
  lastWasPush = false;

  /** Inside a top-level push frame: decoded per `pushBinary`, not `binary`. */
  #inPush = false;
  /** The bytes received and not yet discarded; `#pos` is the next unread one. */
  #buf: Uint8Array<ArrayBuffer> = EMPTY;
  #pos = 0;
  /**
   * Whether `#buf` is a view of a buffer this decoder allocated (and may
   * append into), rather than a chunk it was given.
   */
  #owned = false;
  /** How far past `#pos` the search for the current line's CRLF got. */
  #scanned = 0;
  /** A top-level attribute was read; the value it annotates has not been. */
  #annotating = false;
  #stack: Frame[] = [];
  #depth = 0;
  #error: ProtocolError | null = null;
  // A large bulk being assembled: its type (0: none), declared length, the
  // buffer its payload goes into (grown as bytes arrive, never past the
  // length) and how much of it is filled. Once filled, its CRLF is awaited
  // in #buf like any other bytes.
  #largeType = 0;
  #largeLength = 0;
  #large: Uint8Array<ArrayBuffer> = EMPTY;
  #largeFilled = 0;
  /** A bulk over SET_ASIDE_LIMIT: views of the chunks of its payload. */
  #parts: Uint8Array<ArrayBuffer>[] | null = null;
  /**
   * The buffer of the last large bulk decoded to text (at most 1 MiB), kept
   * for the next one: a client reading large strings in a loop allocates
   * nothing per reply for the bytes.
   */
  #scratch: Uint8Array<ArrayBuffer> = EMPTY;

  #maxBulkLength: number;
  #maxDepth: number;
  #maxElements: number;
  #maxLineLength: number;

  /**
   * Constructs a new instance.
   *
   * @param options Limits and the binary mode.
   */
  constructor(options: RespDecoderOptions = {}) {
    this.#maxBulkLength = options.maxBulkLength ?? DEFAULT_MAX_BULK_LENGTH;
    this.#maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.#maxElements = options.maxElements ?? DEFAULT_MAX_ELEMENTS;
    this.#maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    this.binary = options.binary ?? false;
    this.pushBinary = options.pushBinary ?? false;
  }

  /** Bytes received and not yet consumed by a complete value. */
  get bufferedBytes(): number {
    return Math.max(0, this.#buf.length - this.#pos) + this.#largeFilled;
  }

  /**
   * Whether the decoder still holds a view of a chunk it was given (an
   * incomplete frame). A caller that reads into a reusable buffer must not
   * reuse it while this is true. (The payload of a large bulk is copied out
   * of the chunks it arrives in, unless it was read in place: see
   * {@linkcode RespDecoder.bulkTarget}.)
   */
  get holdsInput(): boolean {
    return (!this.#owned && this.#pos < this.#buf.length) ||
      (this.#parts !== null && this.#parts.length > 0);
  }

  /**
   * Bytes still missing from a large bulk being assembled, its CRLF
   * included (0 if none).
   */
  get missingBulkBytes(): number {
    return this.#largeType === 0 ? 0 : this.#largeLength - this.#largeFilled +
      Math.max(0, 2 - (this.#buf.length - this.#pos));
  }

  /**
   * While the payload of a large binary bulk string is arriving: a view of
   * the buffer it is assembled in (and that becomes the value), from the
   * next byte expected, never longer than what is still missing of the
   * payload. Otherwise `undefined`.
   *
   * Read socket bytes straight into it and pass the filled part to
   * {@linkcode RespDecoder.feed}: a chunk that is this view (or starts where
   * it starts) is taken in place, with no copy. The CRLF after the payload
   * and what follows arrive in ordinary chunks. Only a bulk of at most 1 MiB
   * is set aside whole on its header's word; a larger one is joined from the
   * chunks it arrives in, and gets no target. Call it again before each read.
   *
   * A bulk decoded to text is not offered: its bytes go into a buffer reused
   * from one large bulk to the next, and copying them there from ordinary
   * reads measured faster than reading into it in place.
   */
  bulkTarget(): Uint8Array<ArrayBuffer> | undefined {
    if (
      !this.#largeIsValue() || this.#parts !== null || this.#error !== null
    ) {
      return undefined;
    }
    const filled = this.#largeFilled;
    if (filled === this.#largeLength) return undefined;
    return this.#large.subarray(filled, this.#largeLength);
  }

  /** Whether the large bulk being assembled will be its own buffer, as bytes. */
  #largeIsValue(): boolean {
    return this.#largeType === BULK &&
      (this.#inPush ? this.pushBinary : this.binary);
  }

  /** Whether bytes of an incomplete frame have been received. */
  get inFrame(): boolean {
    return this.bufferedBytes > 0 || this.#depth > 0 ||
      this.#largeType !== 0 || this.#annotating;
  }

  /**
   * Adds bytes received from the server.
   *
   * @param chunk The bytes; the decoder may keep a view of them, so do not
   * modify them afterwards.
   */
  feed(chunk: Uint8Array<ArrayBuffer>): void {
    if (this.#error !== null || chunk.length === 0) return;
    if (this.#largeFilled < this.#largeLength) {
      chunk = this.#feedLarge(chunk);
      if (chunk.length === 0) return;
    }
    const end = this.#buf.length;
    const left = end - this.#pos;
    // Nothing unread (a consumed chunk may even have been detached since).
    if (left <= 0) {
      // Nothing pending: use the chunk as it is, no copy.
      this.#buf = chunk;
      this.#owned = false;
      this.#pos = 0;
      return;
    }
    // Append to the unread tail. Appending in place into a buffer of our own
    // with room to spare keeps a frame that trickles in linear, not quadratic.
    // (No value keeps a view of an owned buffer: binary values, large-bulk
    // and streamed-string parts are copied out of it.)
    const buffer = this.#buf.buffer;
    if (this.#owned && buffer.byteLength - end >= chunk.length) {
      const grown = new Uint8Array(buffer, 0, end + chunk.length);
      grown.set(chunk, end);
      this.#buf = grown;
      return;
    }
    const needed = left + chunk.length;
    const joined = new Uint8Array(Math.max(needed * 2, MIN_OWNED));
    joined.set(this.#buf.subarray(this.#pos));
    joined.set(chunk, left);
    this.#buf = joined.subarray(0, needed);
    this.#owned = true;
    this.#pos = 0;
  }

  /**
   * Returns the next complete top-level value, or `undefined` when more bytes
   * are needed. Attributes are dropped; after a push frame
   * {@linkcode RespDecoder.lastWasPush} is `true`.
   *
   * @throws {ProtocolError} When the bytes are not valid RESP or exceed a limit.
   */
  next(): RespValue | undefined {
    if (this.#error !== null) throw this.#error;
    try {
      return this.#next();
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.#error = error;
      this.#buf = EMPTY;
      this.#owned = false;
      this.#pos = 0;
      this.#large = EMPTY;
      this.#largeFilled = 0;
      this.#largeLength = 0;
      this.#parts = null;
      throw error;
    }
  }

  #next(): RespValue | undefined {
    if (this.#largeFilled < this.#largeLength) return undefined;
    this.lastWasPush = false;
    let value: RespValue | typeof OPENED | typeof CLOSED | undefined;
    for (;;) {
      if (this.#largeType !== 0) {
        value = this.#finishLarge();
        if (value === undefined) return undefined;
      } else {
        value = this.#item();
        if (value === undefined) return undefined;
        if (value === OPENED) continue;
      }
      // A complete value (or the end of a streamed aggregate): hand it to
      // the open aggregates, closing each one it completes.
      for (;;) {
        if (this.#depth === 0) {
          if (value === CLOSED) {
            throw new ProtocolError(
              "Cannot decode reply: end marker outside a streamed aggregate",
            );
          }
          this.#annotating = false;
          this.#release();
          return value;
        }
        const frame = this.#stack[this.#depth - 1]!;
        if (value === CLOSED) {
          if (frame.remaining !== -1 || frame.parts !== null) {
            throw new ProtocolError(
              "Cannot decode reply: end marker outside a streamed aggregate",
            );
          }
          if (frame.type === MAP || frame.type === ATTRIBUTE) {
            if (frame.hasKey) {
              throw new ProtocolError(
                "Cannot decode reply: streamed map ended after a key with no value",
              );
            }
          }
        } else {
          addItem(frame, value);
          if (frame.remaining > 0) frame.remaining--;
          if (frame.remaining !== 0) break;
        }
        this.#depth--;
        const type = frame.type;
        if (type === ATTRIBUTE) {
          // An attribute annotates the value after it: drop it and keep
          // reading at the same level.
          frame.map = null;
          if (this.#depth === 0) this.#annotating = true;
          break;
        }
        value = closeFrame(frame);
        if (type === PUSH) {
          this.lastWasPush = true;
          this.#inPush = false;
          this.#annotating = false;
          this.#release();
          return value;
        }
      }
    }
  }

  /** Drops an owned buffer once everything in it is consumed. */
  #release(): void {
    if (this.#owned && this.#pos === this.#buf.length) {
      this.#buf = EMPTY;
      this.#owned = false;
      this.#pos = 0;
    }
  }

  /**
   * Parses one item at the current position. Returns its value, OPENED when
   * it opened an aggregate, CLOSED for an end marker, or undefined when its
   * bytes have not all arrived (the position is then unchanged).
   */
  #item(): RespValue | typeof OPENED | typeof CLOSED | undefined {
    const buf = this.#buf;
    const start = this.#pos;
    const end = buf.length;
    if (start >= end) return undefined;
    const type = buf[start]!;
    // Judge the type byte at once: garbage must not wait for a line end.
    if (!KNOWN_TYPE[type]) {
      throw new ProtocolError(
        `Cannot decode reply: unknown RESP type byte 0x${
          type.toString(16).padStart(2, "0")
        }`,
      );
    }
    // Find the CRLF ending the header line. A bare CR or LF inside it is an error.
    // Resume where the last search for this line stopped.
    let cr = start + (this.#scanned > 1 ? this.#scanned : 1);
    for (;;) {
      if (cr >= end) {
        if (end - start > this.#maxLineLength) throw this.#lineTooLong();
        this.#scanned = cr - start;
        return undefined;
      }
      const c = buf[cr]!;
      if (c === CR) break;
      if (c === LF) {
        throw new ProtocolError(
          "Cannot decode reply: line ends with LF without CR",
        );
      }
      cr++;
    }
    if (cr - start - 1 > this.#maxLineLength) throw this.#lineTooLong();
    if (cr + 1 >= end) {
      this.#scanned = cr - start;
      return undefined;
    }
    if (buf[cr + 1] !== LF) {
      throw new ProtocolError("Cannot decode reply: CR not followed by LF");
    }
    this.#scanned = 0;
    const from = start + 1;
    const next = cr + 2;
    const frame = this.#depth > 0 ? this.#stack[this.#depth - 1]! : null;
    if (frame !== null && frame.parts !== null && type !== CHUNK) {
      throw new ProtocolError(
        "Cannot decode reply: streamed string part expected",
      );
    }
    switch (type) {
      case BULK:
      case VERBATIM:
      case BLOB_ERROR:
        return this.#bulk(type, from, cr, next);
      case SIMPLE:
        this.#pos = next;
        // +OK answers most writes: one shared string, no allocation.
        if (cr === from + 2 && buf[from] === 0x4f && buf[from + 1] === 0x4b) {
          return "OK";
        }
        return this.#text(from, cr);
      case INTEGER:
        this.#pos = next;
        return this.#integer(from, cr);
      case ERROR:
        this.#pos = next;
        return new ReplyError(this.#text(from, cr));
      case ARRAY:
      case MAP:
      case SET:
      case PUSH:
      case ATTRIBUTE:
        return this.#open(type, from, cr, next);
      case NULL:
        if (cr !== from) {
          throw new ProtocolError("Cannot decode reply: null with content");
        }
        this.#pos = next;
        return null;
      case BOOLEAN: {
        const c = cr === from + 1 ? buf[from] : 0;
        if (c !== 0x74 && c !== 0x66) {
          throw new ProtocolError(
            "Cannot decode reply: boolean must be #t or #f",
          );
        }
        this.#pos = next;
        return c === 0x74;
      }
      case DOUBLE:
        this.#pos = next;
        return parseDouble(this.#text(from, cr));
      case BIG_NUMBER: {
        const text = this.#text(from, cr);
        if (!BIG_TEXT.test(text)) {
          throw new ProtocolError("Cannot decode reply: malformed big number");
        }
        this.#pos = next;
        return BigInt(text);
      }
      case CHUNK:
        return this.#chunk(frame, from, cr, next);
      case END:
        if (cr !== from) {
          throw new ProtocolError(
            "Cannot decode reply: end marker with content",
          );
        }
        this.#pos = next;
        return CLOSED;
      default:
        throw new ProtocolError(
          `Cannot decode reply: unknown RESP type byte 0x${
            type.toString(16).padStart(2, "0")
          }`,
        );
    }
  }

  #lineTooLong(): ProtocolError {
    return new ProtocolError(
      `Cannot decode reply: line longer than maxLineLength ${this.#maxLineLength}`,
    );
  }

  #bulk(
    type: number,
    from: number,
    cr: number,
    next: number,
  ): RespValue | typeof OPENED | undefined {
    const buf = this.#buf;
    if (cr === from + 1 && buf[from] === QUESTION) {
      // Streamed string: `;<n>` parts follow, ending with `;0`.
      const frame = this.#push(type, 0);
      frame.parts = [];
      frame.partsLength = 0;
      this.#pos = next;
      return OPENED;
    }
    const length = this.#length(from, cr);
    if (length === -1) {
      if (type !== BULK) {
        throw new ProtocolError("Cannot decode reply: negative length");
      }
      this.#pos = next;
      return null;
    }
    if (length > this.#maxBulkLength) {
      throw new ProtocolError(
        `Cannot decode reply: bulk length ${length} exceeds maxBulkLength ${this.#maxBulkLength}`,
      );
    }
    const stop = next + length;
    if (stop + 2 > buf.length) {
      if (length < LARGE_BULK) return undefined;
      // Assemble the payload in a buffer of its own: no re-scan, no line
      // buffer doubling, and read in place when the caller can.
      const present = Math.min(buf.length - next, length);
      this.#largeType = type;
      this.#largeLength = length;
      if (length > SET_ASIDE_LIMIT) {
        // Too large to set aside on a header's word: keep views of the
        // chunks (the caller gives fresh ones while holdsInput is true).
        // A chunk this decoder owns is copied, as it may be appended to.
        const head = buf.subarray(next, next + present);
        this.#parts = present === 0 ? [] : [this.#owned ? head.slice() : head];
        this.#largeFilled = present;
        this.#pos = next + present;
        this.#release();
        return undefined;
      }
      // A bulk decoded to text (or copied out) can reuse the last one's
      // buffer; a binary bulk becomes its buffer, so it gets a new one of
      // exactly its length.
      if (this.#scratch.length >= length && !this.#largeIsValue()) {
        this.#large = this.#scratch;
        this.#scratch = EMPTY;
      } else {
        this.#large = new Uint8Array(length);
      }
      this.#large.set(buf.subarray(next, next + present));
      this.#largeFilled = present;
      // What is left (at most one byte of the CRLF) stays unread.
      this.#pos = next + present;
      this.#release();
      return undefined;
    }
    if (buf[stop] !== CR || buf[stop + 1] !== LF) {
      throw new ProtocolError(
        "Cannot decode reply: bulk string not followed by CRLF",
      );
    }
    this.#pos = stop + 2;
    return this.#bulkValue(type, buf, next, stop);
  }

  /** Takes payload bytes for the large bulk; returns what is left over. */
  #feedLarge(chunk: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
    const filled = this.#largeFilled;
    const take = Math.min(chunk.length, this.#largeLength - filled);
    if (this.#parts !== null) {
      this.#parts.push(chunk.subarray(0, take));
      this.#largeFilled = filled + take;
      return chunk.subarray(take);
    }
    const large = this.#large;
    // Read in place (bulkTarget): the bytes are already where they belong.
    if (
      chunk.buffer !== large.buffer ||
      chunk.byteOffset !== large.byteOffset + filled
    ) {
      large.set(chunk.subarray(0, take), filled);
    }
    this.#largeFilled = filled + take;
    return chunk.subarray(take);
  }

  /**
   * Builds the value of a large bulk once its payload is in, when its CRLF
   * has arrived too; undefined until then.
   */
  #finishLarge(): RespValue | undefined {
    const buf = this.#buf;
    const pos = this.#pos;
    if (buf.length - pos < 2) return undefined;
    if (buf[pos] !== CR || buf[pos + 1] !== LF) {
      throw new ProtocolError(
        "Cannot decode reply: bulk string not followed by CRLF",
      );
    }
    this.#pos = pos + 2;
    const type = this.#largeType;
    const length = this.#largeLength;
    const isValue = this.#largeIsValue();
    const parts = this.#parts;
    this.#largeType = 0;
    this.#largeLength = 0;
    this.#largeFilled = 0;
    this.#parts = null;
    if (parts !== null && type === BULK && !isValue) {
      // Past SET_ASIDE_LIMIT, text is decoded part by part: no join,
      // and the string is built of the parts' strings.
      const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
      let text = "";
      for (const part of parts) text += decoder.decode(part, { stream: true });
      return text + decoder.decode();
    }
    // Past SET_ASIDE_LIMIT: joined once, into a buffer of its own.
    const bytes = parts === null ? this.#large : concat(parts, length);
    this.#large = EMPTY;
    if (isValue) {
      // A buffer of its own, exactly the payload, that nothing else holds:
      // hand it over as it is.
      return bytes;
    }
    const value = this.#bulkValue(type, bytes, 0, length);
    // Text was decoded out of it: keep it for the next large bulk.
    if (parts === null && bytes.length <= SET_ASIDE_LIMIT) {
      this.#scratch = bytes;
    }
    return value;
  }

  #bulkValue(
    type: number,
    buf: Uint8Array<ArrayBuffer>,
    from: number,
    to: number,
  ): RespValue {
    if (type === BULK) {
      return (this.#inPush ? this.pushBinary : this.binary)
        ? buf.slice(from, to)
        : this.#decodeText(buf, from, to);
    }
    if (type === BLOB_ERROR) {
      return new ReplyError(this.#decodeText(buf, from, to));
    }
    // Verbatim string: a three-letter format and a colon, then the text.
    if (to - from < 4 || buf[from + 3] !== 0x3a) {
      throw new ProtocolError(
        "Cannot decode reply: verbatim string without a format prefix",
      );
    }
    return (this.#inPush ? this.pushBinary : this.binary)
      ? buf.slice(from + 4, to)
      : this.#decodeText(buf, from + 4, to);
  }

  /** A `;<n>` part of a streamed string. */
  #chunk(
    frame: Frame | null,
    from: number,
    cr: number,
    next: number,
  ): RespValue | typeof OPENED | undefined {
    if (frame === null || frame.parts === null) {
      throw new ProtocolError(
        "Cannot decode reply: streamed string part outside a streamed string",
      );
    }
    const length = this.#length(from, cr);
    if (length < 0) {
      throw new ProtocolError("Cannot decode reply: negative length");
    }
    const buf = this.#buf;
    if (length === 0) {
      this.#pos = next;
      this.#depth--;
      const bytes = concat(frame.parts, frame.partsLength);
      frame.parts = null;
      return this.#bulkValue(frame.type, bytes, 0, bytes.length);
    }
    if (frame.partsLength + length > this.#maxBulkLength) {
      throw new ProtocolError(
        `Cannot decode reply: streamed string longer than maxBulkLength ${this.#maxBulkLength}`,
      );
    }
    const stop = next + length;
    if (stop + 2 > buf.length) return undefined;
    if (buf[stop] !== CR || buf[stop + 1] !== LF) {
      throw new ProtocolError(
        "Cannot decode reply: streamed string part not followed by CRLF",
      );
    }
    frame.parts.push(buf.slice(next, stop));
    frame.partsLength += length;
    this.#pos = stop + 2;
    return OPENED;
  }

  #open(
    type: number,
    from: number,
    cr: number,
    next: number,
  ): RespValue | typeof OPENED {
    const buf = this.#buf;
    let count: number;
    if (cr === from + 1 && buf[from] === QUESTION) {
      count = -1;
    } else {
      count = this.#length(from, cr);
      if (count === -1) {
        if (type !== ARRAY) {
          throw new ProtocolError("Cannot decode reply: negative length");
        }
        this.#pos = next;
        return null;
      }
      const elements = type === MAP || type === ATTRIBUTE ? count * 2 : count;
      if (elements > this.#maxElements) {
        throw new ProtocolError(
          `Cannot decode reply: aggregate of ${count} elements exceeds maxElements ${this.#maxElements}`,
        );
      }
      if (type === MAP || type === ATTRIBUTE) count = elements;
    }
    if (type === PUSH && this.#depth > 0) {
      throw new ProtocolError(
        "Cannot decode reply: push frame inside another value",
      );
    }
    this.#pos = next;
    if (count === 0) {
      // An empty attribute annotates the next value: skip it.
      if (type === ATTRIBUTE) {
        if (this.#depth === 0) this.#annotating = true;
        return OPENED;
      }
      if (type === MAP) return new Map();
      if (type === SET) return new Set();
      if (type === PUSH) this.lastWasPush = true;
      return [];
    }
    if (type === PUSH) this.#inPush = true;
    this.#push(type, count);
    return OPENED;
  }

  #push(type: number, remaining: number): Frame {
    if (this.#depth >= this.#maxDepth) {
      throw new ProtocolError(
        `Cannot decode reply: nesting deeper than maxDepth ${this.#maxDepth}`,
      );
    }
    let frame = this.#stack[this.#depth];
    if (frame === undefined) {
      frame = new Frame();
      this.#stack.push(frame);
    }
    this.#depth++;
    frame.type = type;
    frame.remaining = remaining;
    frame.items = [];
    frame.map = type === MAP || type === ATTRIBUTE ? new Map() : null;
    frame.set = type === SET ? new Set() : null;
    frame.hasKey = false;
    frame.key = null;
    frame.parts = null;
    return frame;
  }

  /** Parses a length: `-1`, or digits with no sign and no leading zero. */
  #length(from: number, to: number): number {
    const buf = this.#buf;
    if (to === from + 2 && buf[from] === MINUS && buf[from + 1] === 0x31) {
      return -1;
    }
    if (
      to === from || to - from > 16 || (buf[from] === ZERO && to - from > 1)
    ) {
      throw new ProtocolError("Cannot decode reply: bad length");
    }
    let n = 0;
    for (let i = from; i < to; i++) {
      const c = buf[i]!;
      if (c < ZERO || c > NINE) {
        throw new ProtocolError("Cannot decode reply: bad length");
      }
      n = n * 10 + (c - ZERO);
    }
    if (n > Number.MAX_SAFE_INTEGER) {
      throw new ProtocolError("Cannot decode reply: bad length");
    }
    return n;
  }

  #integer(from: number, to: number): number | bigint {
    const buf = this.#buf;
    let i = from;
    const negative = buf[i] === MINUS;
    if (negative) i++;
    const digits = to - i;
    if (digits === 0 || digits > 19) {
      throw new ProtocolError("Cannot decode reply: malformed integer");
    }
    if (digits <= 15) {
      let n = 0;
      for (; i < to; i++) {
        const c = buf[i]!;
        if (c < ZERO || c > NINE) {
          throw new ProtocolError("Cannot decode reply: malformed integer");
        }
        n = n * 10 + (c - ZERO);
      }
      return negative ? 0 - n : n;
    }
    for (let j = i; j < to; j++) {
      const c = buf[j]!;
      if (c < ZERO || c > NINE) {
        throw new ProtocolError("Cannot decode reply: malformed integer");
      }
    }
    const big = BigInt(this.#text(from, to));
    if (big > MAX_INT64 || big < MIN_INT64) {
      throw new ProtocolError(
        "Cannot decode reply: integer outside the 64-bit range",
      );
    }
    const n = Number(big);
    return Number.isSafeInteger(n) ? n : big;
  }

  #text(from: number, to: number): string {
    return this.#decodeText(this.#buf, from, to);
  }

  #decodeText(buf: Uint8Array<ArrayBuffer>, from: number, to: number): string {
    return to - from < SHORT_STRING
      ? shortText(buf, from, to)
      : utf8.decode(buf.subarray(from, to));
  }
}

/**
 * Decodes a short string. For ASCII, eight bytes at a time through
 * String.fromCharCode is about three times faster than TextDecoder (whose
 * per-call cost dominates short strings); anything else goes to TextDecoder.
 */
function shortText(
  buf: Uint8Array<ArrayBuffer>,
  from: number,
  to: number,
): string {
  let s = "";
  let i = from;
  for (; i + 8 <= to; i += 8) {
    const a = buf[i]!;
    const b = buf[i + 1]!;
    const c = buf[i + 2]!;
    const d = buf[i + 3]!;
    const e = buf[i + 4]!;
    const f = buf[i + 5]!;
    const g = buf[i + 6]!;
    const h = buf[i + 7]!;
    if ((a | b | c | d | e | f | g | h) >= 0x80) {
      return utf8.decode(buf.subarray(from, to));
    }
    s += String.fromCharCode(a, b, c, d, e, f, g, h);
  }
  for (; i < to; i++) {
    const c = buf[i]!;
    if (c >= 0x80) return utf8.decode(buf.subarray(from, to));
    s += String.fromCharCode(c);
  }
  return s;
}

function addItem(frame: Frame, value: RespValue): void {
  if (frame.map !== null) {
    if (frame.hasKey) {
      frame.map.set(frame.key, value);
      frame.hasKey = false;
      frame.key = null;
    } else {
      frame.key = value;
      frame.hasKey = true;
    }
  } else if (frame.set !== null) {
    frame.set.add(value);
  } else {
    frame.items.push(value);
  }
}

function closeFrame(frame: Frame): RespValue {
  if (frame.map !== null) {
    const map = frame.map;
    frame.map = null;
    return map;
  }
  if (frame.set !== null) {
    const set = frame.set;
    frame.set = null;
    return set;
  }
  const items = frame.items;
  frame.items = [];
  return items;
}

function parseDouble(text: string): number {
  if (DOUBLE_TEXT.test(text)) return Number(text);
  if (INF_TEXT.test(text)) return Infinity;
  if (NEG_INF_TEXT.test(text)) return -Infinity;
  if (NAN_TEXT.test(text)) return NaN;
  throw new ProtocolError("Cannot decode reply: malformed double");
}

function concat(parts: Uint8Array[], length: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
