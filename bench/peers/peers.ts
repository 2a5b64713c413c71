// The peer clients sleeve is measured against, in the same run and against
// the same server. npm: specifiers live here and only here (never in mod.ts
// or lib/), under bench/peers/deno.json and its own lock, so that only the
// benchmarks download them (see README "Development"). Each peer is wrapped in the same small interface so every bench
// body reads the same for all clients.

import { Redis as IORedis } from "npm:ioredis@6";
import {
  createClient as createClient5,
  RESP_TYPES as RESP_TYPES_5,
} from "npm:redis@5";
import {
  createClient as createClient6,
  RESP_TYPES as RESP_TYPES_6,
} from "npm:redis@6";
import { Buffer } from "node:buffer";

/** What every bench needs of a client. */
export interface Peer {
  readonly name: string;
  set(key: string, value: string | Uint8Array): Promise<unknown>;
  get(key: string): Promise<string | null>;
  getBytes(key: string): Promise<Uint8Array | null>;
  incr(key: string): Promise<number>;
  /** Issues an INCR whose outcome nobody awaits (the closest peers have to fire-and-forget). */
  incrIgnored(key: string): void;
  ping(): Promise<unknown>;
  /** PUBLISH; resolves to the number of receivers. */
  publish(channel: string, message: string): Promise<number>;
  /**
   * Subscribes a connection of its own (the peer's duplicate()) to
   * `channel`, calling `listener` per message; resolves once subscribed,
   * with the function that closes it.
   */
  subscribe(
    channel: string,
    listener: (message: string) => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** The peers, by the name they get in bench groups. */
export const PEER_NAMES = [
  "ioredis (auto-pipelining)",
  "ioredis",
  "node-redis 5",
  "node-redis 6",
] as const;

/** One of {@linkcode PEER_NAMES}. */
export type PeerName = typeof PEER_NAMES[number];

const ignore = () => {};

async function ioredis(
  name: PeerName,
  port: number,
  db: number,
  autoPipelining: boolean,
): Promise<Peer> {
  const client = new IORedis({
    host: "127.0.0.1",
    port,
    db,
    enableAutoPipelining: autoPipelining,
    lazyConnect: true,
  });
  // The server is killed when the bench module unloads: nothing to report.
  client.on("error", ignore);
  await client.connect();
  return {
    name,
    set: (key, value) =>
      client.set(key, typeof value === "string" ? value : Buffer.from(value)),
    get: (key) => client.get(key),
    getBytes: (key) => client.getBuffer(key),
    incr: (key) => client.incr(key),
    incrIgnored: (key) => void client.incr(key).catch(ignore),
    ping: () => client.ping(),
    publish: (channel, message) => client.publish(channel, message),
    subscribe: async (channel, listener) => {
      const subscriber = client.duplicate();
      subscriber.on("error", ignore);
      subscriber.on(
        "message",
        (_: string, message: string) => listener(message),
      );
      await subscriber.connect();
      await subscriber.subscribe(channel);
      return async () => {
        await subscriber.quit();
      };
    },
    close: async () => {
      await client.quit();
    },
  };
}

/** What the benches use of a node-redis client, in both majors. */
interface NodeRedisClient {
  set(key: string, value: string | Buffer): Promise<unknown>;
  get(key: string): Promise<unknown>;
  incr(key: string): Promise<number>;
  ping(): Promise<unknown>;
  publish(channel: string, message: string): Promise<number>;
}

/** A node-redis subscriber connection, in both majors. */
interface NodeRedisSubscriber {
  subscribe(
    channel: string,
    listener: (message: string) => void,
  ): Promise<unknown>;
}

/** Wraps a node-redis client (and its Buffer-mapped view) as a peer. */
function nodeRedisPeer(
  name: PeerName,
  client: NodeRedisClient,
  bytes: { get(key: string): Promise<unknown> },
  close: () => Promise<unknown>,
  subscriber: () => Promise<[NodeRedisSubscriber, () => Promise<unknown>]>,
): Peer {
  return {
    name,
    set: (key, value) =>
      client.set(key, typeof value === "string" ? value : Buffer.from(value)),
    // Checked once, before any bench, to read what was written.
    get: (key) => client.get(key) as Promise<string | null>,
    getBytes: (key) => bytes.get(key) as Promise<Uint8Array | null>,
    incr: (key) => client.incr(key),
    incrIgnored: (key) => void client.incr(key).catch(ignore),
    ping: () => client.ping(),
    publish: (channel, message) => client.publish(channel, message),
    subscribe: async (channel, listener) => {
      const [connection, quit] = await subscriber();
      await connection.subscribe(channel, listener);
      return async () => {
        await quit();
      };
    },
    close: async () => {
      await close();
    },
  };
}

async function nodeRedis5(
  name: PeerName,
  port: number,
  db: number,
): Promise<Peer> {
  const client = await createClient5({ url: `redis://127.0.0.1:${port}/${db}` })
    .on("error", ignore)
    .connect();
  const bytes = client.withTypeMapping({ [RESP_TYPES_5.BLOB_STRING]: Buffer });
  return nodeRedisPeer(name, client, bytes, () => client.quit(), async () => {
    const subscriber = await client.duplicate().on("error", ignore).connect();
    return [subscriber, () => subscriber.quit()];
  });
}

async function nodeRedis6(
  name: PeerName,
  port: number,
  db: number,
): Promise<Peer> {
  const client = await createClient6({ url: `redis://127.0.0.1:${port}/${db}` })
    .on("error", ignore)
    .connect();
  const bytes = client.withTypeMapping({ [RESP_TYPES_6.BLOB_STRING]: Buffer });
  return nodeRedisPeer(name, client, bytes, () => client.close(), async () => {
    const subscriber = await client.duplicate().on("error", ignore).connect();
    return [subscriber, () => subscriber.close()];
  });
}

/** Connects one peer client to database `db`. */
export function connectPeer(
  name: PeerName,
  port: number,
  db = 0,
): Promise<Peer> {
  switch (name) {
    case "ioredis (auto-pipelining)":
      return ioredis(name, port, db, true);
    case "ioredis":
      return ioredis(name, port, db, false);
    case "node-redis 5":
      return nodeRedis5(name, port, db);
    case "node-redis 6":
      return nodeRedis6(name, port, db);
  }
}

/** The peers with a client-side cache of their own (node-redis: RESP3 only). */
export const CACHED_PEER_NAMES = [
  "node-redis 5 (client-side cache)",
  "node-redis 6 (client-side cache)",
] as const;

/** One of {@linkcode CACHED_PEER_NAMES}. */
export type CachedPeerName = typeof CACHED_PEER_NAMES[number];

/** What the cache bench needs of a peer with a client-side cache. */
export interface CachedPeer {
  readonly name: CachedPeerName;
  get(key: string): Promise<string | null>;
  /** Hits over lookups since it connected, as the peer counts them. */
  hitRate(): number;
  close(): Promise<void>;
}

/**
 * Connects a node-redis client with its client-side cache on (RESP3,
 * `clientSideCache` with LRU eviction and at most `maxEntries`).
 */
export async function connectCachedPeer(
  name: CachedPeerName,
  port: number,
  maxEntries: number,
): Promise<CachedPeer> {
  const options = {
    url: `redis://127.0.0.1:${port}`,
    RESP: 3 as const,
    clientSideCache: { ttl: 0, maxEntries, evictPolicy: "LRU" as const },
  };
  if (name === "node-redis 5 (client-side cache)") {
    const client = await createClient5(options).on("error", ignore).connect();
    return {
      name,
      get: (key) => client.get(key) as Promise<string | null>,
      hitRate: () => client.clientSideCache?.stats().hitRate() ?? 0,
      close: async () => {
        await client.quit();
      },
    };
  }
  const client = await createClient6(options).on("error", ignore).connect();
  return {
    name,
    get: (key) => client.get(key) as Promise<string | null>,
    hitRate: () => client.clientSideCache?.stats().hitRate() ?? 0,
    close: async () => {
      await client.close();
    },
  };
}
