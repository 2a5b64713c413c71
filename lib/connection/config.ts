// What a connection needs to know, resolved and validated by its owner: where
// to connect, how to log in, and its bounds. The connection layer's own type,
// so that a router can make connections without the public options.

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
}
