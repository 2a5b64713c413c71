// The read side of one socket: reads into reused buffers (or straight into a
// large bulk's own buffer), decodes, and settles each pending command from the
// reply FIFO in order, synchronously as frames complete. A reply of the wrong
// shape fails its caller only; malformed bytes give the socket up.

import {
  ConnectionError,
  IntegerRangeError,
  ProtocolError,
  ReplyError,
  UnexpectedReplyError,
} from "../errors.ts";
import type { RespDecoder } from "../resp/decoder.ts";
import type { RespValue } from "../resp/types.ts";
import type { RequestCommand } from "./connection.ts";
import { type Stray, strayError } from "./databases.ts";
import type { DeadlineTimer } from "./deadlines.ts";
import {
  ABANDONED,
  BIGINT,
  BINARY,
  INTERNAL,
  type Internal,
  type PendingQueue,
  rejection,
  type Resolve,
  RETAKE,
  TIMED,
} from "./pending_queue.ts";
import type { Socket, SocketHost } from "./socket.ts";
import { messageOf, namedReplyError } from "./_util.ts";
import { answers, frameKind, isMessage, NOT_PUBSUB } from "./pubsub_frames.ts";

/**
 * What a caller whose reply `decode` threw on is rejected with: an integer
 * too large for a number as it is (the command ran), anything else as a
 * reply of the wrong shape.
 */
export function decodeError(
  error: unknown,
  command: RequestCommand,
): Error {
  if (error instanceof IntegerRangeError) {
    error.command = command.name;
    return error;
  }
  return new UnexpectedReplyError(
    `Cannot decode reply to ${command.name}: ${messageOf(error)}`,
    command.name,
    { cause: error },
  );
}

/** Bytes asked of the socket per read (a large binary bulk is read in place). */
const READ_SIZE = 64 * 1024;
/** The largest read buffer, used while a bulk over 1 MiB streams in. */
const MAX_READ_SIZE = 256 * 1024;

/** Reads one socket and matches its replies to its pending commands. */
export class ReplyReader {
  readonly #socket: Socket;
  readonly #host: SocketHost;
  readonly #decoder: RespDecoder;
  readonly #queue: PendingQueue;
  readonly #deadlines: DeadlineTimer;
  /**
   * Set while the replies read are those of commands written behind an
   * inline SELECT the server refused: they ran in another database.
   */
  stray: Stray | null = null;
  /**
   * The sequence number of the newest reply slot written before the refusal
   * behind {@linkcode ReplyReader.stray} was read: commands written later
   * (with no SELECT in front, so in the database the server stayed in) are
   * not strays.
   */
  strayEnd = -1;
  /**
   * A subscriber connection's socket: pub/sub frames (RESP3 pushes, or
   * RESP2 arrays) are told apart from replies (see pubsub_frames.ts).
   */
  readonly #subscriber: boolean;
  /**
   * Every frame decodes its bulk strings as bytes: a binary subscriber's
   * socket, once past its handshake.
   */
  binaryFrames = false;

  /**
   * Constructs a new instance.
   *
   * @param socket The socket read (its counters and `dead` flag).
   * @param host The socket's owner.
   * @param decoder The socket's decoder.
   * @param queue Its commands awaiting replies.
   * @param deadlines Their deadlines.
   * @param subscriber Whether pub/sub frames are to be told apart from replies.
   */
  constructor(
    socket: Socket,
    host: SocketHost,
    decoder: RespDecoder,
    queue: PendingQueue,
    deadlines: DeadlineTimer,
    subscriber = false,
  ) {
    this.#socket = socket;
    this.#host = host;
    this.#decoder = decoder;
    this.#queue = queue;
    this.#deadlines = deadlines;
    this.#subscriber = subscriber;
  }

  async run(conn: Deno.Conn, address: string): Promise<void> {
    // Read straight into one reused buffer with conn.read(). Through the
    // socket's ReadableStream (even a BYOB reader) each read cost ~25 µs more
    // in stream machinery: measured on a sequential SET+GET, 24-52% over a
    // raw socket loop against 5-9% this way. A fresh buffer is taken only
    // while the decoder keeps a view of the last chunk (a frame still
    // incomplete); replies are settled synchronously as frames complete.
    // While a large binary bulk arrives, reads go straight into the buffer
    // the decoder assembles it in, which becomes the value (bulkTarget): no
    // copy and no read buffer per read. Text is copied from this buffer into
    // one the decoder reuses (measured faster than reading in place).
    const decoder = this.#decoder;
    const socket = this.#socket;
    const counters = this.#host.counters;
    let buffer = new Uint8Array(READ_SIZE);
    try {
      for (;;) {
        const target = decoder.bulkTarget();
        const into = target ?? buffer;
        const n = await conn.read(into);
        // Bytes from a socket already given up are never parsed.
        if (n === null || socket.dead) break;
        socket.reads++;
        socket.sinceRead = 0;
        counters.bytesIn += n;
        this.#onData(into.subarray(0, n));
        if (target === undefined && decoder.holdsInput) {
          // A bulk too large to set aside keeps views of what was read:
          // fresh buffers, sized to what is still missing of it.
          const missing = decoder.missingBulkBytes;
          buffer = new Uint8Array(
            missing > READ_SIZE ? Math.min(missing, MAX_READ_SIZE) : READ_SIZE,
          );
        }
      }
      if (!socket.dead) {
        this.#host.failed(
          socket,
          new ConnectionError(
            `Connection to ${address} was closed by the server`,
          ),
        );
      }
    } catch (error) {
      if (!socket.dead) {
        this.#host.failed(
          socket,
          new ConnectionError(
            `Connection to ${address} was lost: ${messageOf(error)}`,
            { cause: error },
          ),
        );
      }
    }
  }

  /** Decodes what arrived and settles each pending command in order. */
  #onData(chunk: Uint8Array<ArrayBuffer>): void {
    const decoder = this.#decoder;
    const queue = this.#queue;
    // Fixed for the socket's life (binaryFrames from its handshake's end).
    const subscriber = this.#subscriber;
    const binaryFrames = this.binaryFrames;
    const counters = this.#host.counters;
    decoder.feed(chunk);
    for (;;) {
      decoder.binary = binaryFrames ||
        (queue.length > 0 && (queue.flags[queue.head]! & BINARY) !== 0);
      let value: RespValue | undefined;
      try {
        value = decoder.next();
      } catch (error) {
        this.#host.failed(
          this.#socket,
          error instanceof Error ? error : new ProtocolError(messageOf(error)),
        );
        return;
      }
      if (value === undefined) {
        // Replies made room under maxInFlight for commands waiting on it.
        this.#host.writable(this.#socket);
        return;
      }
      if (
        (decoder.lastWasPush || subscriber) &&
        this.#pushed(value, decoder.lastWasPush)
      ) {
        // A listener may have closed the client.
        if (this.#socket.dead) return;
        continue;
      }
      if (queue.length === 0) {
        if (this.#unmatched(value)) continue;
        return;
      }
      const i = queue.head;
      const decode = queue.decode[i]!;
      const resolve = queue.resolve[i]!;
      const flags = queue.flags[i]!;
      const command = queue.command[i]!;
      const failed = value instanceof ReplyError ? value : null;
      // A failure of a command flagged RETAKE goes to the owner first.
      const retaken = failed !== null && (flags & RETAKE) !== 0
        ? queue.request(i)
        : null;
      queue.shift();
      if (failed !== null) counters.error(failed.code);
      else counters.replies++;
      // A timed-out command's late reply is read and dropped.
      if ((flags & ABANDONED) === 0) {
        if ((flags & TIMED) !== 0) this.#deadlines.settled();
        if (
          this.stray !== null && (flags & INTERNAL) === 0 &&
          // This entry's sequence number: the one before the new head's.
          queue.firstSeq - 1 <= this.strayEnd
        ) {
          this.#settle(
            resolve,
            flags,
            command,
            strayError(command, this.stray),
          );
        } else if (failed !== null) {
          const error = namedReplyError(command.name, failed);
          if (
            retaken === null ||
            !this.#host.retake!(error, retaken, resolve as Resolve | null)
          ) this.#settle(resolve, flags, command, error);
          if (failed.code === "READONLY") this.#socket.readonlyReply?.();
        } else if (resolve !== null) {
          let decoded: unknown = value;
          if (decode !== null) {
            try {
              decoded = decode(value, (flags & BIGINT) !== 0);
            } catch (error) {
              // The frame was complete: the stream is in step, so only this
              // caller fails.
              decoded = undefined;
              this.#settle(
                resolve,
                flags,
                command,
                decodeError(error, command),
              );
              if (this.#socket.dead) return;
              continue;
            }
          }
          resolve(decoded);
        }
      }
      // A callback may have given up the socket.
      if (this.#socket.dead) return;
    }
  }

  /**
   * Hands a frame that is no reply to the owner and returns true; returns
   * false for a reply. Outside subscriber sockets every push frame is no
   * reply. On a subscriber socket a message never is; a confirmation is the
   * reply of the command of its kind waiting at the head of the queue, and
   * otherwise a notice from the server (for the owner); anything else is a
   * reply unless it is a push.
   */
  #pushed(value: RespValue, push: boolean): boolean {
    if (this.#subscriber) {
      const kind = frameKind(value);
      if (kind === NOT_PUBSUB) {
        if (!push) return false;
      } else if (!isMessage(kind)) {
        const queue = this.#queue;
        if (
          queue.length > 0 && answers(kind, queue.command[queue.head]!)
        ) return false;
      }
    }
    if (Array.isArray(value)) this.#host.push(value);
    return true;
  }

  /**
   * A reply with no command waiting: handed to the owner of a connection
   * given over to a stream (MONITOR's lines answer no command), or the
   * socket is given up as out of step. Returns whether reading goes on.
   */
  #unmatched(value: RespValue): boolean {
    if (this.#host.unmatched(value)) return !this.#socket.dead;
    this.#host.failed(
      this.#socket,
      new ProtocolError(
        "Cannot match reply: the server sent a reply with no command waiting",
      ),
    );
    return false;
  }

  /**
   * Fails one entry: rejects its promise, reports an internal command's
   * error, or reports a fire-and-forget command's error to the owner.
   */
  #settle(
    resolve: Resolve | Internal | null,
    flags: number,
    command: RequestCommand,
    error: Error,
  ): void {
    if (resolve === null) this.#host.error(error, command.name);
    else if ((flags & INTERNAL) !== 0) resolve(undefined, error);
    else resolve(rejection(error));
  }
}
