// What a connection needs to know, resolved and validated by its owner: where
// to connect, how to log in, and its bounds. The connection layer's own type,
// so that a router can make connections without the public options.

import type { Observer } from "../observe.ts";
import type { StatsRegistry } from "./counters.ts";
import type { Retake } from "./pending_queue.ts";

/** Where to connect: TCP (with TLS when `tls` is not null) or a unix socket. */
export type Transport =
  | {
    kind: "tcp";
    hostname: string;
    port: number;
    tls: {
      caCerts?: string[];
      serverName?: string;
      cert?: string;
      key?: string;
    } | null;
  }
  | { kind: "unix"; path: string };

/** Where one connection attempt goes: a {@linkcode Locator}'s answer. */
export interface Located {
  /** Where to connect. */
  transport: Transport;
  /** For messages: `127.0.0.1:6379`; never credentials. */
  address: string;
}

/**
 * Finds the server anew for every connection attempt (Sentinel): set on a
 * configuration, it replaces `transport` and `address`. Only connection
 * attempts consult it, never a command.
 */
export interface Locator {
  /**
   * Runs one connection attempt: asks where the server is, calls `connect`
   * with the answer, and may ask again (bounded by connectTimeout) when the
   * server turns out to be the wrong one.
   */
  attempt<T>(
    signal: AbortSignal,
    connect: (located: Located) => Promise<T>,
  ): Promise<T>;
  /**
   * Checks a server past its handshake; `role` writes `ROLE` at once and
   * resolves with its reply. Throws to refuse the server.
   */
  verify(role: () => Promise<unknown>, located: Located): Promise<void>;
  /**
   * A verified socket is in use: `drop` gives it up (its owner then
   * reconnects, asking anew). Returns what to call once the socket is gone.
   */
  adopt(located: Located, drop: (error: Error) => void): () => void;
  /**
   * Calls `wake` once the locator learns that the server moved (a
   * failover), so that a reconnection waiting out its backoff tries at
   * once. Returns the function that stops listening.
   */
  moved(wake: () => void): () => void;
  /** A command was answered `READONLY` by the server at `located`. */
  readonly(located: Located): void;
  /** Closes whatever the locator keeps open. Idempotent. */
  close(): Promise<void>;
}

/** The reconnection policy. */
export interface ReconnectPolicy {
  /** Attempts before giving up (`Infinity`: never). */
  maxAttempts: number;
  /** Backoff floor, in milliseconds. */
  minDelay: number;
  /** Backoff ceiling, in milliseconds. */
  maxDelay: number;
}

/** Everything a connection needs, every default filled in. */
export interface ConnectionConfig {
  /** Per-command hooks (the `hooks` option), when set. */
  hooks?: Observer;
  /** What the connection is for, in stats and hooks (default "shared", or "subscriber"). */
  role?: string;
  /** Where the client keeps its connections' counters. */
  stats?: StatsRegistry;
  /** Where to connect. */
  transport: Transport;
  /** For messages: `127.0.0.1:6379`, `[::1]:6379` or the socket path; never credentials. */
  address: string;
  /** The ACL user, or `undefined` for the default user. */
  username: string | undefined;
  /** The password, or `undefined` for no `AUTH`. */
  password: string | undefined;
  /** The database selected in the handshake. */
  db: number;
  /** The `CLIENT SETNAME` name, if any. */
  name: string | undefined;
  /** The RESP version to ask for. */
  protocol: 2 | 3;
  /** Milliseconds for the socket and the handshake. */
  connectTimeout: number;
  /** The largest bulk string, in bytes. */
  maxBulkLength: number;
  /** Bytes buffered before new commands wait. */
  maxBufferedBytes: number;
  /** Reconnection policy, or null when off. */
  reconnect: ReconnectPolicy | null;
  /** Commands that may wait to be written. */
  maxQueued: number;
  /** Commands written and awaiting replies before new ones wait. */
  maxInFlight: number;
  /** Milliseconds a command may wait to be written. */
  queueTimeout: number;
  /** Health-check interval, when set. */
  pingInterval: number | undefined;
  /**
   * Set on a subscriber connection (see pubsub_frames.ts): its pub/sub
   * frames are told apart from replies, and decoded as text or as bytes.
   */
  subscriber?: "text" | "binary";
  /** Set when the server is found anew for every attempt (Sentinel). */
  locator?: Locator;
  /**
   * Set on a cluster node's shared connection: offered each failed command
   * sent with `sendRetaken` (see {@linkcode Retake}).
   */
  retake?: Retake;
}
