// Server-assisted tracking for one connection's reads (CLIENT TRACKING), kept
// on across reconnections: turned on for every new socket before the cache
// serves again, its invalidations applied to the store as they arrive, and
// the whole store flushed whenever one may have been missed. RESP3: the
// invalidations are pushes on the tracked connection itself. RESP2: they are
// redirected (REDIRECT <id>) to a subscriber connection of its own,
// subscribed to __redis__:invalidate; a loss of either connection flushes.

import type { ConnectionConfig } from "../connection/config.ts";
import type {
  Connection,
  Request,
  RequestCommand,
} from "../connection/connection.ts";
import { SocketConnection } from "../connection/socket_connection.ts";
import { internalCommand } from "../connection/_util.ts";
import { SUBSCRIBE } from "../connection/pubsub_frames.ts";
import { ConnectionError, ReplyError } from "../errors.ts";
import type { RedisArg } from "../resp/encoder.ts";
import type { RespValue } from "../resp/types.ts";
import { keyIdentity } from "./cacheable.ts";
import type { CacheStore } from "./store.ts";

const TRACKING = internalCommand("CLIENT", "TRACKING");
const CLIENT_ID = internalCommand("CLIENT", "ID");
/** The channel RESP2 invalidations are published on. */
export const INVALIDATE_CHANNEL = "__redis__:invalidate";

/** How tracking is turned on. */
export interface TrackingOptions {
  /**
   * BCAST prefixes: undefined for the default mode (the server remembers
   * the keys this connection read); an array for BCAST (every change of a
   * key under a prefix is sent; empty: every key).
   */
  readonly bcast: readonly string[] | undefined;
}

/** Keeps tracking on for a connection and feeds its invalidations to a store. */
export class Tracking {
  readonly #connection: Connection;
  readonly #store: CacheStore;
  readonly #config: ConnectionConfig;
  readonly #options: TrackingOptions;
  readonly #report: (error: Error) => void;
  readonly #removers: (() => void)[] = [];
  /** RESP2: the subscriber connection invalidations are redirected to. */
  #redirect: SocketConnection | undefined;
  /** RESP2: the server's id of the redirect connection's current socket, once subscribed. */
  #redirectId: number | undefined;
  /** RESP2: counts the redirect connection's sockets (a late reply of an old one is ignored). */
  #redirectSocket = 0;
  /** Whether CLIENT TRACKING ON was sent once (before: nothing to turn off). */
  #enabled = false;
  #closed = false;

  private constructor(
    connection: Connection,
    store: CacheStore,
    config: ConnectionConfig,
    options: TrackingOptions,
    report: (error: Error) => void,
  ) {
    this.#connection = connection;
    this.#store = store;
    this.#config = config;
    this.#options = options;
    this.#report = report;
  }

  /**
   * Turns tracking on for `connection` (ready) and keeps it on; resolves
   * once the server accepted it, so the cache serves from then on.
   *
   * @param connection The connection whose reads are cached.
   * @param store The cache.
   * @param config What a RESP2 redirect connection is opened with.
   * @param options BCAST or not.
   * @param report Where a later refusal of tracking is reported (the
   * cache is then off until the next socket).
   * @throws {ReplyError} The server refused CLIENT TRACKING.
   * @throws {ConnectionError} A connection was lost meanwhile.
   */
  static async start(
    connection: Connection,
    store: CacheStore,
    config: ConnectionConfig,
    options: TrackingOptions,
    report: (error: Error) => void,
  ): Promise<Tracking> {
    const tracking = new Tracking(
      connection,
      store,
      config,
      options,
      report,
    );
    try {
      await tracking.#start();
    } catch (error) {
      await tracking.close();
      throw error;
    }
    return tracking;
  }

  async #start(): Promise<void> {
    const connection = this.#connection;
    this.#removers.push(connection.listen({
      push: (frame) => {
        if (isName(frame[0], "invalidate")) this.#apply(frame[1]);
      },
      disconnect: () => this.#lost(),
      ready: () => void this.#enable().catch(() => {}),
      close: () => this.#lost(),
    }));
    if (connection.protocol === 2) {
      await this.#openRedirect();
      try {
        await this.#subscribed();
      } catch (error) {
        if (!(error instanceof ReplyError)) throw error;
        throw new ConnectionError(
          `Cannot cache reads: the server refused the invalidation connection's ${error.command}: ${error.message}`,
          { cause: error },
        );
      }
    }
    await this.#enable();
  }

  /** Stops: the store is flushed and off, the redirect connection closed. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const remove of this.#removers) remove();
    this.#store.untrack(this);
    await this.#redirect?.close();
  }

  /** Invalidations may have been missed: nothing is served until tracking is on again. */
  #lost(): void {
    // Once closed it is untracked: its redirect connection's close is not a loss.
    if (this.#closed) return;
    this.#store.down(this);
  }

  /** An invalidation message's payload: its keys, or null for all. */
  #apply(keys: RespValue | undefined): void {
    const store = this.#store;
    if (!Array.isArray(keys)) {
      store.flush();
      return;
    }
    for (let i = 0; i < keys.length; i++) {
      store.invalidate(keyIdentity(keys[i]));
    }
  }

  /**
   * Sends CLIENT TRACKING on the tracked connection (RESP2: redirected to
   * the subscribed redirect socket; nothing yet without one). Reads issued
   * from here on are written after it, so the store serves from now; a
   * refusal turns it off again, and flushes.
   */
  async #enable(): Promise<void> {
    if (this.#closed) return;
    const connection = this.#connection;
    const args: RedisArg[] = ["ON"];
    if (connection.protocol === 2) {
      const id = this.#redirectId;
      // The tracked connection's own ready turns it on.
      if (id === undefined || !connection.ready) return;
      args.push("REDIRECT", id);
    }
    const bcast = this.#options.bcast;
    if (bcast !== undefined) {
      args.push("BCAST");
      for (const prefix of bcast) args.push("PREFIX", prefix);
    }
    if (connection.protocol === 2) {
      // A socket that tracks already (its redirect changed) must stop
      // first: BCAST prefixes may not be given twice. A write run between
      // OFF and ON is not tracked: nothing read before may be served. The
      // first time, the connection has served nothing: other connections'
      // entries (cluster nodes) stay.
      if (this.#enabled) {
        if (this.#store.live) this.#lost();
        connection.send(this.#request(TRACKING, ["OFF"])).catch(() => {});
      }
    }
    const on = connection.send(this.#request(TRACKING, args));
    this.#enabled = true;
    this.#store.up(this);
    try {
      await on;
    } catch (error) {
      // A lost socket flushed already; its next one turns tracking on.
      if (error instanceof ConnectionError) throw error;
      this.#lost();
      const refused = new ConnectionError(
        `Cannot cache reads: the server refused CLIENT TRACKING: ${
          (error as Error).message
        }`,
        { cause: error },
      );
      this.#report(refused);
      throw refused;
    }
  }

  #request(command: RequestCommand, args: RedisArg[]): Request {
    return {
      command,
      args,
      db: this.#config.db,
      binary: false,
      bigint: false,
      decode: null,
    };
  }

  /** RESP2: opens the subscriber connection invalidations are redirected to. */
  async #openRedirect(): Promise<void> {
    const redirect = await SocketConnection.open({
      ...this.#config,
      subscriber: "text",
      role: "tracking",
    });
    this.#redirect = redirect;
    if (this.#closed) {
      await redirect.close();
      throw new ConnectionError("Cannot cache reads: the client is closed");
    }
    redirect.listen({
      push: (frame) => {
        if (frame[0] === "message" && frame[1] === INVALIDATE_CHANNEL) {
          this.#apply(frame[2]);
        }
      },
      disconnect: () => {
        this.#redirectSocket++;
        this.#redirectId = undefined;
        this.#lost();
      },
      ready: () => {
        this.#redirectSocket++;
        void this.#subscribed().then(() => this.#enable()).catch((error) => {
          // A lost socket's next one tries again; a refusal is reported
          // (#enable reports its own), and the cache stays off meanwhile.
          if (error instanceof ReplyError) {
            this.#report(
              new ConnectionError(
                `Cannot cache reads: the server refused the invalidation connection's ${error.command}: ${error.message}`,
                { cause: error },
              ),
            );
          }
        });
      },
      close: (error) => {
        this.#redirectId = undefined;
        this.#lost();
        if (error !== undefined && !this.#closed) {
          this.#report(
            new ConnectionError(
              `Cannot cache reads: the invalidation connection failed: ${error.message}`,
              { cause: error },
            ),
          );
        }
      },
    });
  }

  /**
   * RESP2: learns the redirect socket's id and subscribes it to the
   * invalidation channel (CLIENT ID is refused once subscribed).
   */
  async #subscribed(): Promise<void> {
    const redirect = this.#redirect!;
    const socket = this.#redirectSocket;
    const id = redirect.send(this.#request(CLIENT_ID, []));
    const subscribed = redirect.send(
      this.#request(SUBSCRIBE, [INVALIDATE_CHANNEL]),
    );
    const [value] = await Promise.all([id, subscribed]);
    if (socket !== this.#redirectSocket || this.#closed) return;
    if (typeof value !== "number") {
      throw new ConnectionError("Cannot cache reads: CLIENT ID gave no id");
    }
    this.#redirectId = value;
  }
}

/** Whether a frame element is this name, as text or as bytes. */
function isName(value: RespValue | undefined, name: string): boolean {
  if (typeof value === "string") return value === name;
  if (!(value instanceof Uint8Array) || value.length !== name.length) {
    return false;
  }
  for (let i = 0; i < name.length; i++) {
    if (value[i] !== name.charCodeAt(i)) return false;
  }
  return true;
}
