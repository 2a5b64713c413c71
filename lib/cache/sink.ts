// The request sink of a client with a cache: answers cacheable reads from the
// store when it holds them, sends the others and stores their replies (unless
// an invalidation of their keys came first), and invalidates the keys of this
// client's own writes as they are sent. Views of a client without a cache
// never see it.

import { decodeError } from "../connection/replies.ts";
import type { Command } from "../commands/_command.ts";
import type {
  Decode,
  Limits,
  Request,
  RequestSink,
  Settled,
} from "../connection/connection.ts";
import type { RespValue } from "../resp/types.ts";
import { argsId, keyIdentity, keysOf, PASS, WRITES } from "./cacheable.ts";
import { keyIndexes } from "../commands/_command.ts";
import {
  type CacheStore,
  type CommandTables,
  copyOf,
  tableIndex,
} from "./store.ts";

/** The sink of a client's cached views (or, with `serve` false, of its `uncached` ones). */
export class CachingSink implements RequestSink {
  readonly #inner: RequestSink;
  readonly #store: CacheStore;
  readonly #serve: boolean;
  /** BCAST prefixes: only keys under one are tracked (empty: every key). */
  readonly #prefixes: readonly string[] | undefined;
  /** The command of the last send(), and what the store knows of it. */
  #last: object | undefined;
  #known: CommandTables | undefined;

  /**
   * Constructs a new instance.
   *
   * @param inner Where requests go (the router).
   * @param store The cache.
   * @param serve Whether reads are answered from the cache (false: an
   * `uncached` view, whose writes still invalidate).
   * @param prefixes The BCAST prefixes, when tracking is in BCAST mode.
   */
  constructor(
    inner: RequestSink,
    store: CacheStore,
    serve: boolean,
    prefixes: readonly string[] | undefined,
  ) {
    this.#inner = inner;
    this.#store = store;
    this.#serve = serve;
    this.#prefixes = prefixes;
  }

  /**
   * The same cache's passing sink in front of another connection (a
   * `watch()` lease, which is not tracked): its writes drop their keys'
   * entries as they are sent; nothing is served or stored.
   *
   * @param inner The connection.
   * @returns The sink.
   */
  over(inner: RequestSink): CachingSink {
    return new CachingSink(inner, this.#store, false, this.#prefixes);
  }

  /** Answers a cacheable read from memory, or sends the request. */
  send(request: Request, limits?: Limits): Promise<unknown> {
    const command = request.command;
    const store = this.#store;
    // Most calls repeat the last command: skip the lookup.
    let known = this.#known;
    if (command !== this.#last) {
      known = store.command(command);
      this.#last = command;
      this.#known = known;
    }
    const kind = known!.kind;
    if (kind === PASS) return this.#inner.send(request, limits);
    if (kind === WRITES) {
      this.#invalidate(request);
      return this.#inner.send(request, limits);
    }
    if (!this.#serve || limits?.signal?.aborted) {
      return this.#inner.send(request, limits);
    }
    if (!store.live) {
      store.misses++;
      return this.#inner.send(request, limits);
    }
    const args = request.args;
    if (command.name === "MGET" && args.length > 0 && allStrings(args)) {
      return this.#mget(request, limits, known!, args as readonly string[]);
    }
    // One string argument (GET key, HGETALL key...) is its own id: a
    // lookup allocates nothing.
    const only = args.length === 1 ? args[0] : undefined;
    const single = typeof only === "string";
    const table = store.table(
      known!,
      tableIndex(request.db, request.binary, single),
    );
    const id = single ? only : argsId(args);
    const held = store.get(table, id);
    if (held !== undefined) {
      store.hits++;
      return answer(held, request);
    }
    store.misses++;
    const keys = keysOf(command as Command, args);
    if (keys === undefined || !this.#tracked(keys)) {
      return this.#inner.send(request, limits);
    }
    const issued = store.issue();
    const decode = request.decode;
    // Runs as the reply is read, in order with the invalidations of the
    // same socket.
    const fill: Decode<unknown> = (value, bigint) => {
      store.fill(table, id, keys, value, issued);
      const copy = copyOf(value);
      return decode === null ? copy : decode(copy, bigint);
    };
    return this.#inner.send({
      command,
      args: request.args,
      db: request.db,
      binary: request.binary,
      bigint: request.bigint,
      decode: fill,
    }, limits);
  }

  /**
   * MGET, key by key: each key's value is held on its own (MGET of one key
   * is the same table), so overlapping MGETs share entries; only the keys
   * not held are sent, and the reply is assembled in the caller's order.
   * Each value is as current as a GET's would be; together they are not
   * one snapshot.
   */
  #mget(
    request: Request,
    limits: Limits | undefined,
    known: CommandTables,
    keys: readonly string[],
  ): Promise<unknown> {
    const store = this.#store;
    const table = store.table(
      known,
      tableIndex(request.db, request.binary, true),
    );
    const values: RespValue[] = new Array(keys.length);
    const missing: number[] = [];
    for (let i = 0; i < keys.length; i++) {
      const held = store.get(table, keys[i]!);
      if (held === undefined) missing.push(i);
      else values[i] = held;
    }
    if (missing.length === 0) {
      store.hits++;
      return answer(values, request);
    }
    store.misses++;
    const asked = missing.map((i) => keys[i]!);
    if (!this.#tracked(asked)) return this.#inner.send(request, limits);
    const issued = store.issue();
    const decode = request.decode;
    const fill: Decode<unknown> = (value, bigint) => {
      if (!Array.isArray(value) || value.length !== asked.length) {
        throw new TypeError("expected an array of one value per key");
      }
      for (let j = 0; j < asked.length; j++) {
        const key = asked[j]!;
        store.fill(table, key, [key], value[j]!, issued);
        values[missing[j]!] = value[j]!;
      }
      const copy = copyOf(values);
      return decode === null ? copy : decode(copy, bigint);
    };
    return this.#inner.send({
      command: request.command,
      args: asked,
      db: request.db,
      binary: request.binary,
      bigint: request.bigint,
      decode: fill,
    }, limits);
  }

  /** Sends a request whose reply is dropped; a write invalidates its keys. */
  sendVoid(request: Request, limits?: Limits): void {
    if (this.#store.command(request.command).kind === WRITES) {
      this.#invalidate(request);
    }
    this.#inner.sendVoid(request, limits);
  }

  /** Sends a batch; its writes invalidate their keys. Nothing is served from memory. */
  sendBatch(requests: readonly Request[], limits?: Limits): Promise<Settled[]> {
    this.#invalidateAll(requests);
    return this.#inner.sendBatch(requests, limits);
  }

  /** {@linkcode CachingSink.sendBatch} with every reply dropped. */
  sendBatchVoid(requests: readonly Request[], limits?: Limits): void {
    this.#invalidateAll(requests);
    this.#inner.sendBatchVoid(requests, limits);
  }

  #invalidateAll(requests: readonly Request[]): void {
    for (let i = 0; i < requests.length; i++) {
      const request = requests[i]!;
      if (this.#store.command(request.command).kind === WRITES) {
        this.#invalidate(request);
      }
    }
  }

  /**
   * A write of this client: its keys' entries go now, so that a read
   * issued after it is never answered from before it (the server's own
   * invalidation follows).
   */
  #invalidate(request: Request): void {
    const args = request.args;
    const at = keyIndexes(request.command as Command, args);
    const store = this.#store;
    for (let i = 0; i < at.length; i++) {
      store.invalidate(keyIdentity(args[at[i]!]));
    }
  }

  /** Whether the server tracks every one of these keys (BCAST: under a prefix). */
  #tracked(keys: readonly string[]): boolean {
    const prefixes = this.#prefixes;
    if (prefixes === undefined || prefixes.length === 0) return true;
    for (const key of keys) {
      if (!prefixes.some((prefix) => key.startsWith(prefix))) return false;
    }
    return true;
  }
}

/** A held reply, decoded for this request as its own reply would be. */
function answer(held: RespValue, request: Request): Promise<unknown> {
  const decode = request.decode;
  const copy = copyOf(held);
  if (decode === null) return Promise.resolve(copy);
  try {
    return Promise.resolve(decode(copy, request.bigint));
  } catch (error) {
    return Promise.reject(decodeError(error, request.command));
  }
}

function allStrings(args: readonly unknown[]): boolean {
  for (let i = 0; i < args.length; i++) {
    if (typeof args[i] !== "string") return false;
  }
  return true;
}
