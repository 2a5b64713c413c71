// Between a cluster client and its nodes: sends each request to the master
// serving its keys' slot (one router per node, nodes.ts), follows MOVED and
// ASK, retries what a node says it did not apply (TRYAGAIN, CLUSTERDOWN...)
// within the command's deadline, splits multi-key commands per slot and fans
// keyless ones out by their request policy (split.ts), and keeps the slot map
// current (topology.ts). Speaks the same request interface as a connection.

import { sleep, within } from "../_timers.ts";
import { BLOCKING, type Command } from "../commands/_command.ts";
import type { ConnectionConfig } from "../connection/config.ts";
import {
  type Connection,
  type ConnectionListener,
  type Limits,
  Listeners,
  type Request,
  type Settled,
  type StreamConnection,
} from "../connection/connection.ts";
import { Rejection, type Resolve } from "../connection/pending_queue.ts";
import {
  ClusterError,
  ConnectionError,
  ReplyError,
  TimeoutError,
} from "../errors.ts";
import type { RedisArg } from "../resp/encoder.ts";
import type { RespValue } from "../resp/types.ts";
import type { Dedicated, Leases } from "../routing/router.ts";
import type { Router } from "../routing/router.ts";
import type { Subscribers, Subscribing } from "../routing/subscriber.ts";
import { ClusterSubscriber, type SubscribersHost } from "./subscribers.ts";
import {
  ClusterNodes,
  joinAddress,
  type Node,
  type NodesOptions,
  splitAddress,
} from "./nodes.ts";
import { notApplied, redirectOf } from "./redirect.ts";
import {
  askingRequest,
  type Attempts,
  closedError,
  copy,
  crossSlot,
  expired,
  idempotent,
  issued,
  reads,
  remaining,
  type RunHost,
  type Target,
  topologyRequest,
} from "./_requests.ts";
import { keyless, splitRequest } from "./keyless.ts";
import { transaction, type TransactionHost } from "./transaction.ts";
import { CROSS_SLOT, hasOneKey, keySlot, requestSlot, SLOTS } from "./slot.ts";
import {
  type AddressMap,
  Answered,
  type Topology,
  TopologyRefresher,
} from "./topology.ts";

/** The default of `maxRedirects`. */
export const DEFAULT_MAX_REDIRECTS = 16;
/** The default of `retryTimeout`, in ms. */
export const DEFAULT_RETRY_TIMEOUT = 15_000;
/** The default of `topologyRefreshInterval`, in ms. */
export const DEFAULT_REFRESH_INTERVAL = 30_000;
/** How long one topology query may take on one node before the next is asked. */
const QUERY_TIMEOUT = 2_000;
/** The first pause before retrying a command a node did not apply, in ms. */
const MIN_BACKOFF = 20;
/** The longest pause between two retries, in ms. */
const MAX_BACKOFF = 400;

/** Options of a cluster router (resolved: every default filled in). */
export interface ClusterRouterOptions extends NodesOptions {
  /** Seed addresses (`"host:port"`), asked for the slot map first. */
  readonly seeds: readonly string[];
  /** MOVED and ASK redirects one command may follow. */
  readonly maxRedirects: number;
  /**
   * Milliseconds a command without a timeout of its own keeps retrying what
   * nodes did not apply, counted from its first refusal.
   */
  readonly retryTimeout: number;
  /** Milliseconds between periodic slot-map refreshes; 0 for none. */
  readonly refreshInterval: number;
  /** Announced address → reachable address. */
  readonly addressMap?: AddressMap | undefined;
  /** Where read-only commands go: the master, a replica first, or replicas only. */
  readonly replicaReads: ReplicaReads;
}

/**
 * Where a cluster client sends commands the command table marks read-only:
 * `"never"` to the master (the default), `"prefer"` to a replica of the
 * slot's master when one is reachable (else the master), `"only"` to its
 * replicas alone. Replicas are updated asynchronously: a read there may not
 * see a write the master just acknowledged.
 *
 * @example Usage
 * ```ts
 * import { connectCluster, type ReplicaReads } from "@sleeve/redis";
 *
 * const replicaReads: ReplicaReads = "prefer";
 * await using cluster = await connectCluster({
 *   nodes: ["redis://127.0.0.1:7000"],
 *   replicaReads,
 * });
 * ```
 */
export type ReplicaReads = "never" | "prefer" | "only";

/** How long a replica that could not be reached is passed over, in ms. */
const REPLICA_DOWN_MS = 1_000;

/**
 * What a cluster client has followed and retried since it connected.
 *
 * @example Usage
 * ```ts
 * import { connectCluster } from "@sleeve/redis";
 *
 * await using cluster = await connectCluster(["redis://127.0.0.1:7000"]);
 * await cluster.set("k", "v");
 * console.log(cluster.counters.moved); // → 0 on a stable cluster
 * ```
 */
export interface ClusterCounters {
  /** MOVED redirects followed. */
  moved: number;
  /** ASK redirects followed. */
  ask: number;
  /** TRYAGAIN refusals retried. */
  tryAgain: number;
  /** CLUSTERDOWN refusals retried. */
  clusterDown: number;
  /** MASTERDOWN, LOADING and READONLY refusals retried. */
  otherRefusals: number;
  /** Commands sent again after their node could not be reached (never sent) or lost a read. */
  connectionRetries: number;
  /** Topology queries sent (CLUSTER SHARDS or SLOTS). */
  topologyQueries: number;
}

/** The {@linkcode Connection} a cluster client talks to. */
export class ClusterRouter
  implements Connection, Leases, Dedicated, Subscribers {
  readonly #options: ClusterRouterOptions;
  readonly #template: ConnectionConfig;
  readonly #nodes: ClusterNodes;
  readonly #refresher: TopologyRefresher;
  readonly #listeners = new Listeners();
  /** Slots a MOVED moved since the last slot map, and where. */
  readonly #moved = new Map<number, string>();
  /** Which node each leased connection came from. */
  readonly #leased = new WeakMap<Connection, Router>();
  readonly #subscribers: (ClusterSubscriber | undefined)[] = [
    undefined,
    undefined,
  ];
  #topology: Topology;
  #timer: ReturnType<typeof setInterval> | undefined;
  #protocol: 2 | 3;
  #serverVersion: string | undefined;
  #closed = false;
  /** Rotates keyless commands over the masters. */
  #next = 0;
  /** The node serving each slot, as the map says, filled on first use. */
  readonly #routes: (Node | undefined)[] = new Array(SLOTS).fill(undefined);
  /**
   * The node serving every slot, when one master does (and reads are not
   * sent to replicas): a one-key command goes there without its slot.
   */
  #sole: Node | undefined;
  /** Rotates reads over replicas. */
  #nextReplica = 0;
  /** Replicas that could not be reached, until when (performance.now()). */
  readonly #down = new Map<string, number>();
  /** The node that answered the last topology query. */
  #answered: string | undefined;
  /** Nodes whose last topology query failed. */
  readonly #unanswered = new Set<string>();
  readonly #counters: ClusterCounters = {
    moved: 0,
    ask: 0,
    tryAgain: 0,
    clusterDown: 0,
    otherRefusals: 0,
    connectionRetries: 0,
    topologyQueries: 0,
  };

  private constructor(
    template: ConnectionConfig,
    options: ClusterRouterOptions,
    nodes: ClusterNodes,
    refresher: TopologyRefresher,
    topology: Topology,
    first: Router,
  ) {
    this.#template = template;
    this.#options = options;
    this.#nodes = nodes;
    this.#refresher = refresher;
    this.#topology = topology;
    this.#sole = this.#soleNode(topology);
    this.#protocol = first.protocol;
    this.#serverVersion = first.serverVersion;
    if (options.refreshInterval > 0) {
      this.#timer = setInterval(
        () => this.#refresh("periodic"),
        options.refreshInterval,
      );
    }
  }

  /**
   * Connects to the first seed that answers, reads the slot map, and
   * resolves once it is known.
   *
   * @param template The configuration every node's connections share.
   * @param options Seeds, bounds and the address map.
   * @throws {ConnectionError} No seed could be reached or none answered
   * with a slot map; the message names each seed and why.
   */
  static async open(
    template: ConnectionConfig,
    options: ClusterRouterOptions,
  ): Promise<ClusterRouter> {
    // Set once the slot map is known; until then the seeds are asked.
    const self: { router?: ClusterRouter } = {};
    const nodes = new ClusterNodes(template, options, {
      lost: (_address, error) => {
        if (self.router !== undefined) self.router.#lost(error);
      },
      listener: {
        error: (error, command) => {
          if (self.router !== undefined) {
            self.router.#listeners.error(error, command);
          }
        },
        push: (data) => {
          if (self.router !== undefined) self.router.#listeners.push(data);
        },
      },
      retake: (address, error, request, resolve) =>
        self.router !== undefined &&
        self.router.#retake(address, error, request, resolve),
    }, options.replicaReads !== "never");
    let candidates: readonly string[] = options.seeds;
    const refresher = new TopologyRefresher({
      addressMap: options.addressMap,
      tls: template.transport.kind === "tcp" && template.transport.tls !== null,
      query: (query, decode) =>
        self.router !== undefined
          ? self.router.#query(query, decode)
          : seedQuery(query, decode),
      onError: (error, reason) => {
        if (self.router === undefined) return;
        self.router.#listeners.error(
          new ConnectionError(
            `Cannot refresh the cluster's slot map (${reason}): ${
              (error as Error).message
            }`,
            { cause: error },
          ),
          undefined,
        );
      },
    });
    const failures: string[] = [];
    // The first seed's failure, as the cause: a refused AUTH stays a
    // ReplyError (WRONGPASS, NOAUTH) a caller can tell from a network error.
    let cause: unknown;
    let first: Router | undefined;
    const seedQuery = async (
      query: "SHARDS" | "SLOTS",
      decode: (answer: Answered) => Topology,
    ) => {
      for (const address of candidates) {
        try {
          const node = await nodes.open(address);
          const reply = await node.send(
            topologyRequest(query),
            { timeout: QUERY_TIMEOUT },
          );
          const topology = decode(
            new Answered(reply as RespValue, splitAddress(address)[0]),
          );
          first = node;
          return topology;
        } catch (error) {
          if (error instanceof ReplyError && /unknown/i.test(error.message)) {
            throw error;
          }
          failures.push(`${address}: ${(error as Error).message}`);
          cause ??= error;
        }
      }
      candidates = [];
      throw new ConnectionError(
        `Cannot connect to the cluster: no seed answered with its slot map (${
          failures.join("; ")
        })`,
        { cause },
      );
    };
    let topology: Topology;
    try {
      topology = await refresher.refresh("connect");
    } catch (error) {
      await nodes.close();
      throw error;
    }
    if (first === undefined) throw new Error("unreachable: no seed answered");
    self.router = new ClusterRouter(
      template,
      options,
      nodes,
      refresher,
      topology,
      first,
    );
    return self.router;
  }

  /** The protocol of the first node's connection. */
  get protocol(): 2 | 3 {
    return this.#protocol;
  }

  /** A cluster has only database 0. */
  get databases(): number {
    return 1;
  }

  /** The first node's server version. */
  get serverVersion(): string | undefined {
    return this.#serverVersion;
  }

  /** Whether it has stopped taking requests. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether it takes requests and knows a slot map. */
  get ready(): boolean {
    return !this.#closed;
  }

  /** The slot map in use. */
  get topology(): Topology {
    return this.#topology;
  }

  /** What was followed and retried so far (a copy). */
  get counters(): ClusterCounters {
    return { ...this.#counters, topologyQueries: this.#refresher.queries };
  }

  // --- requests ----------------------------------------------------------

  /** Sends a request to the node that serves it; see the file's header. */
  send(request: Request, limits?: Limits): Promise<unknown> {
    if (this.#closed) return Promise.reject(closedError());
    const command = request.command as Command;
    const sole = this.#sole;
    if (sole !== undefined && limits === undefined && hasOneKey(command)) {
      // One master serves every slot: the slot is not needed. (A call of
      // the wrong arity goes too, for the server to refuse.)
      const open = sole.router;
      if (open !== undefined && open.ready) {
        const sent = open.sendRetaken(request);
        if (sent !== undefined) return sent;
      }
    }
    const slot = requestSlot(command, request.args);
    if (typeof slot === "number") {
      let router: Router | undefined;
      let at: string | undefined;
      const read = this.#options.replicaReads !== "never" &&
        reads(command, request);
      if (read) {
        at = this.#readAddress(slot);
        if (at !== undefined) router = this.#nodes.ready(at);
      } else {
        // The owner's node, kept per slot until the slot map changes.
        let node = this.#routes[slot];
        if (node === undefined) {
          const address = this.#owner(slot);
          if (address !== undefined) {
            node = this.#routes[slot] = this.#nodes.node(address);
          }
        }
        if (node !== undefined) {
          const open = node.router;
          if (open !== undefined && open.ready) {
            // The fast path: the node's connection settles the caller's
            // promise, and hands a failure to #retake first. Nothing is
            // copied: the connection keeps the arguments it needs.
            if (limits === undefined) {
              const sent = open.sendRetaken(request);
              if (sent !== undefined) return sent;
            }
            router = open;
            at = node.address;
          }
        }
      }
      // The caller may reuse its request and arguments once this returns.
      const own = copy(request);
      if (router === undefined) {
        return this.#run(
          own,
          limits,
          { slot, read },
          undefined,
          issued(limits),
        );
      }
      const start = issued(limits);
      const address = at!;
      // One promise per command: the node settles it through this
      // function, which sends the command on when the node refused it.
      let resolve!: Resolve;
      const promise = new Promise<unknown>((settle) => {
        resolve = settle;
      });
      const refused = router.sendSettled(own, limits, (value) => {
        if (!(value instanceof Rejection)) resolve(value);
        else {
          const failed = { error: value.error, address };
          resolve(this.#run(own, limits, { slot, read }, failed, start));
        }
      });
      if (refused === undefined) return promise;
      const failed = { error: refused, address };
      return this.#run(own, limits, { slot, read }, failed, start);
    }
    const own = copy(request);
    if (slot === CROSS_SLOT) return splitRequest(this.#runHost, own, limits);
    return keyless(this.#runHost, own, limits);
  }

  /**
   * A command of the fast path failed on `address` (see Retake): sent on
   * through #run, which settles `resolve`, unless its failure is the
   * caller's as it is: an error reply that is no redirect nor refusal.
   */
  #retake(
    address: string,
    error: Error,
    request: Request,
    resolve: Resolve,
  ): boolean {
    if (
      error instanceof ReplyError && error.code !== "MOVED" &&
      error.code !== "ASK" && !notApplied(error)
    ) return false;
    const slot = requestSlot(request.command as Command, request.args);
    // A call of the wrong arity (sent by the one-master path) has no slot:
    // as a keyless command sent to one node, it is not sent elsewhere.
    if (typeof slot !== "number") return false;
    resolve(
      this.#run(
        request,
        undefined,
        { slot, read: false },
        { error, address },
        undefined,
      ),
    );
    return true;
  }

  /** Sends a request whose reply is dropped; failures go to `error` listeners. */
  sendVoid(request: Request, limits?: Limits): void {
    const name = request.command.name;
    this.send(request, limits).catch((error: Error) =>
      this.#listeners.error(error, name)
    );
  }

  /**
   * Sends a batch: a transaction (MULTI first) whole to the node serving
   * its keys' slot, retried whole while nodes refuse it unapplied; a
   * pipeline command by command, each to its own node.
   */
  sendBatch(requests: readonly Request[], limits?: Limits): Promise<Settled[]> {
    if (requests.length === 0) return Promise.resolve([]);
    if (requests[0]!.command.name === "MULTI") {
      return transaction(this.#transactionHost, requests, limits);
    }
    return Promise.all(
      requests.map((request) =>
        this.send(request, limits).then(
          (value): Settled => ({ ok: true, value }),
          (error: Error): Settled => ({ ok: false, error }),
        )
      ),
    );
  }

  /** {@linkcode ClusterRouter.sendBatch} with every reply dropped. */
  sendBatchVoid(requests: readonly Request[], limits?: Limits): void {
    void this.sendBatch(requests, limits).then((settled) => {
      settled.forEach((s, i) => {
        if (!s.ok) this.#listeners.error(s.error, requests[i]!.command.name);
      });
    });
  }

  /** Adds a listener; returns the function that removes it. */
  listen(listener: ConnectionListener): () => void {
    return this.#listeners.add(listener);
  }

  /** Closes every node's connections, each once its replies are in. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await Promise.all([
      this.#nodes.close(),
      ...this.#subscribers.map((subscriber) => subscriber?.close()),
    ]);
    this.#listeners.close(undefined);
  }

  // --- routing -------------------------------------------------------------

  /** The address of the master serving `slot`, as far as we know. */
  #owner(slot: number): string | undefined {
    const moved = this.#moved;
    if (moved.size !== 0) {
      const address = moved.get(slot);
      if (address !== undefined) return address;
    }
    return this.#topology.master(slot)?.address;
  }

  /**
   * Where a read of `slot` goes under replica reads: the next replica of
   * the slot's master not passed over as unreachable, or (`"prefer"`, or
   * undefined for `"only"` when no replica can be reached.
   */
  #readAddress(slot: number): string | undefined {
    const replicas = this.#topology.replicas(slot);
    const down = this.#down;
    const now = down.size === 0 ? 0 : performance.now();
    for (let i = 0; i < replicas.length; i++) {
      const address = replicas[(this.#nextReplica + i) % replicas.length]!
        .address;
      if (down.size !== 0) {
        const until = down.get(address);
        if (until !== undefined) {
          if (until > now) continue;
          down.delete(address);
        }
      }
      this.#nextReplica = (this.#nextReplica + i + 1) % replicas.length;
      return address;
    }
    if (this.#options.replicaReads === "only") return undefined;
    return this.#owner(slot);
  }

  /** A master for a keyless command: the next one in turn. */
  #anyMaster(): string {
    const masters = this.#topology.masters;
    if (masters.length === 0) return this.#options.seeds[0]!;
    // Prefer one whose connection is up.
    for (let i = 0; i < masters.length; i++) {
      const address = masters[(this.#next + i) % masters.length]!.address;
      if (this.#nodes.ready(address) !== undefined) {
        this.#next = (this.#next + i + 1) % masters.length;
        return address;
      }
    }
    return masters[this.#next++ % masters.length]!.address;
  }

  /**
   * Sends `request` to `target` until it is answered, following redirects
   * and retrying what a node did not apply, within the command's deadline.
   * `failed` is the first attempt's failure, when it was made elsewhere.
   */
  async #run(
    request: Request,
    limits: Limits | undefined,
    target: Target,
    failed: { error: unknown; address: string } | undefined,
    start: number | undefined,
  ): Promise<unknown> {
    const attempts: Attempts = {
      redirects: 0,
      retries: 0,
      deadline: undefined,
      asking: undefined,
    };
    let last = failed;
    for (;;) {
      if (last !== undefined) {
        await this.#recover(request, limits, target, attempts, last, start);
      }
      let address = attempts.asking ?? target.address ??
        (target.read
          ? this.#readAddress(target.slot)
          : this.#owner(target.slot!));
      if (address === undefined) {
        if (target.read && this.#options.replicaReads === "only") {
          // Every replica is passed over: wait for one, within the deadline.
          last = {
            error: new ConnectionError(
              `Cannot run ${request.command.name}: no replica serving slot ${target.slot} could be reached (replicaReads "only"), so it was not sent`,
            ),
            address: "",
          };
          continue;
        }
        address = await this.#ownerAfterRefresh(request, target.slot!);
      }
      try {
        const router = await this.#nodes.open(address);
        const bounded = remaining(
          request,
          limits,
          attempts.deadline,
          last?.error,
        );
        if (attempts.asking !== undefined) {
          attempts.asking = undefined;
          const [asking, reply] = await router.sendBatch(
            [askingRequest(), request],
            bounded,
          );
          if (!asking!.ok) throw asking!.error;
          if (!reply!.ok) throw reply!.error;
          return reply!.value;
        }
        return await router.send(request, bounded);
      } catch (error) {
        last = { error, address };
      }
    }
  }

  /** The owner of `slot` once the slot map is refreshed; throws when none. */
  async #ownerAfterRefresh(request: Request, slot: number): Promise<string> {
    await this.#refresh("no owner").catch(() => {});
    const address = this.#owner(slot);
    if (address !== undefined) return address;
    throw new ClusterError(
      request.command.name,
      `Cannot run ${request.command.name}: no node serves slot ${slot}`,
    );
  }

  /**
   * Decides what a failed attempt means: throws when the command is done
   * (its error is the caller's), returns when it is to be sent again (after
   * the pause a refusal calls for).
   */
  async #recover(
    request: Request,
    limits: Limits | undefined,
    target: Target,
    attempts: Attempts,
    failed: { error: unknown; address: string },
    start: number | undefined,
  ): Promise<void> {
    const { error, address } = failed;
    const name = request.command.name;
    if (this.#closed) throw error;
    const redirect = redirectOf(error, splitAddress(address)[0]);
    if (redirect !== undefined) {
      if (++attempts.redirects > this.#options.maxRedirects) {
        throw new ClusterError(
          name,
          `Cannot run ${name}: redirected more than ${this.#options.maxRedirects} times (maxRedirects), so it did not run`,
          { cause: error },
        );
      }
      const to = this.#map(joinAddress(redirect.host, redirect.port));
      if (redirect.kind === "MOVED") {
        this.#counters.moved++;
        // A replica that no longer serves the slot: its owner now answers.
        if (target.read) target.read = false;
        if (target.address === undefined) {
          this.#moved.set(redirect.slot, to);
          this.#routes[redirect.slot] = undefined;
          this.#sole = undefined;
        }
        this.#refresh("MOVED");
        return;
      }
      this.#counters.ask++;
      // ASK: the next attempt only, with ASKING before it. A blocking
      // command would block the node's shared connection: it waits for the
      // migration to finish instead.
      if ((request.command as Command).flags & BLOCKING) {
        await this.#pause(request, limits, attempts, error, start);
      } else {
        attempts.asking = to;
      }
      return;
    }
    const retry = notApplied(error) ||
      (error instanceof ConnectionError &&
        (!error.mayHaveExecuted || idempotent(request)));
    if (!retry) {
      // A node that stopped answering may have been replaced (a master
      // frozen or cut off, then failed over): learn the map again.
      if (error instanceof TimeoutError || error instanceof ConnectionError) {
        void this.#refresh(
          error instanceof TimeoutError ? "timeout" : "connection",
        );
      }
      throw error;
    }
    // A fixed node that cannot be reached stays unreachable.
    if (error instanceof ConnectionError && target.address !== undefined) {
      throw error;
    }
    const counters = this.#counters;
    if (error instanceof ConnectionError) {
      counters.connectionRetries++;
      // A read falls over to another replica, or to the master.
      if (target.read) {
        this.#down.set(address, performance.now() + REPLICA_DOWN_MS);
      }
    } else if ((error as ReplyError).code === "TRYAGAIN") counters.tryAgain++;
    else if ((error as ReplyError).code === "CLUSTERDOWN") {
      counters.clusterDown++;
    } else counters.otherRefusals++;
    // A refusal that may mean a new owner (a failover, a lost node) waits
    // for the new slot map too, rather than knocking at the old owner.
    let refreshed: Promise<void> | undefined;
    if (error instanceof ConnectionError) {
      refreshed = this.#refresh("connection");
    } else if (
      error instanceof ReplyError && error.code !== "TRYAGAIN" &&
      error.code !== "LOADING"
    ) refreshed = this.#refresh(error.code);
    await this.#pause(request, limits, attempts, error, start, refreshed);
  }

  /**
   * Waits before the next attempt (backing off), within the command's
   * deadline and signal; throws when the deadline passes first.
   */
  async #pause(
    request: Request,
    limits: Limits | undefined,
    attempts: Attempts,
    error: unknown,
    start: number | undefined,
    refreshed?: Promise<void>,
  ): Promise<void> {
    const now = performance.now();
    const timeout = limits?.timeout;
    attempts.deadline ??= timeout !== undefined
      ? (start ?? now) + timeout
      : now + this.#options.retryTimeout;
    const delay = Math.min(
      MIN_BACKOFF * 2 ** attempts.retries++,
      MAX_BACKOFF,
      attempts.deadline - now,
    );
    const name = request.command.name;
    if (delay <= 0) {
      if (timeout !== undefined) throw expired(request, timeout, error);
      throw new ClusterError(
        name,
        `Cannot run ${name}: the cluster refused it unapplied for ${this.#options.retryTimeout} ms (retryTimeout): ${
          (error as Error).message
        }`,
        { cause: error },
      );
    }
    const signal = limits?.signal;
    if (refreshed === undefined) return sleep(delay, signal);
    const left = attempts.deadline - now;
    await Promise.all([sleep(delay, signal), within(refreshed, left)]);
  }

  /** Refreshes the slot map (shared, rate-limited); never rejects. */
  #refresh(reason: string): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return this.#refresher.refresh(reason).then(
      (topology) => this.#adopt(topology),
      () => {},
    );
  }

  /** Takes a new slot map in use. */
  #adopt(topology: Topology): void {
    if (this.#closed) return;
    this.#topology = topology;
    this.#moved.clear();
    this.#routes.fill(undefined);
    const keep = new Set(this.#options.seeds);
    for (const node of topology.nodes) keep.add(node.address);
    this.#nodes.retain(keep);
    this.#sole = this.#soleNode(topology);
  }

  /** The node of the one master serving every slot, if one does. */
  #soleNode(topology: Topology): Node | undefined {
    if (
      topology.shards.length !== 1 || this.#options.replicaReads !== "never"
    ) return undefined;
    const address = topology.master(0)?.address;
    if (address === undefined) return undefined;
    for (let slot = 1; slot < SLOTS; slot++) {
      if (topology.master(slot)?.address !== address) return undefined;
    }
    return this.#nodes.node(address);
  }

  /** A node's connection was lost: the slot map may have changed. */
  #lost(error: Error | undefined): void {
    if (error !== undefined) this.#listeners.disconnect(error);
    this.#refresh("connection lost");
  }

  /**
   * Sends one topology query, trying the known nodes in turn until one
   * answers with a slot map `decode` takes.
   */
  async #query(
    query: "SHARDS" | "SLOTS",
    decode: (answer: Answered) => Topology,
  ): Promise<Topology> {
    const topology = this.#topology;
    const candidates: string[] = [];
    const add = (address: string) => {
      if (!candidates.includes(address)) candidates.push(address);
    };
    // The node that answered last time first, then nodes already
    // connected, masters, replicas and seeds; nodes that failed the last
    // query last (a frozen node would cost QUERY_TIMEOUT each time).
    if (this.#answered !== undefined) add(this.#answered);
    for (const address of this.#nodes.connected) add(address);
    for (const node of topology.masters) add(node.address);
    for (const node of topology.nodes) add(node.address);
    for (const address of this.#options.seeds) add(address);
    const failed = this.#unanswered;
    const order = [
      ...candidates.filter((a) => !failed.has(a)),
      ...candidates.filter((a) => failed.has(a)),
    ];
    const failures: string[] = [];
    for (const address of order) {
      if (this.#closed) break;
      try {
        const router = await this.#nodes.open(address);
        const reply = await router.send(topologyRequest(query), {
          timeout: QUERY_TIMEOUT,
        });
        const topology = decode(
          new Answered(reply as RespValue, splitAddress(address)[0]),
        );
        this.#answered = address;
        failed.delete(address);
        return topology;
      } catch (error) {
        if (error instanceof ReplyError && /unknown/i.test(error.message)) {
          throw error;
        }
        failed.add(address);
        failures.push(`${address}: ${(error as Error).message}`);
      }
    }
    throw new ConnectionError(
      `Cannot read the cluster's slot map: no node answered (${
        failures.join("; ")
      })`,
    );
  }

  /** An announced address as this client reaches it. */
  #map(address: string): string {
    const map = this.#options.addressMap;
    if (map === undefined) return address;
    const mapped = typeof map === "function" ? map(address) : map[address];
    return mapped ?? address;
  }

  // --- connections of their own ----------------------------------------------

  /**
   * A connection of its own for a watch() caller, on the node serving the
   * watched keys' slot.
   *
   * @throws {CrossSlotError} The keys span slots.
   */
  async lease(keys?: readonly RedisArg[]): Promise<Connection> {
    let slot: number | undefined;
    for (const key of keys ?? []) {
      const s = keySlot(
        typeof key === "string" || key instanceof Uint8Array
          ? key
          : String(key),
      );
      if (slot !== undefined && s !== slot) throw crossSlot("WATCH");
      slot = s;
    }
    const address = slot === undefined
      ? this.#anyMaster()
      : this.#owner(slot) ?? this.#anyMaster();
    const router = await this.#nodes.open(address);
    const connection = await router.lease();
    this.#leased.set(connection, router);
    return connection;
  }

  /** Takes a leased connection back, to the node it came from. */
  release(connection: Connection, clean: boolean): void {
    const router = this.#leased.get(connection);
    this.#leased.delete(connection);
    if (router !== undefined) router.release(connection, clean);
    else void connection.close();
  }

  /** A connection of its own (MONITOR) to one master. */
  async dedicated(): Promise<StreamConnection> {
    const router = await this.#nodes.open(this.#anyMaster());
    return router.dedicated();
  }

  /**
   * The subscribers of string or binary views: channels and patterns on
   * one connection to any master, shard channels on a connection per slot
   * to its master (see subscribers.ts); each follows failovers and moves.
   */
  subscriber(binary: boolean): Subscribing {
    const i = binary ? 1 : 0;
    return this.#subscribers[i] ??= new ClusterSubscriber(
      this.#subscribersHost,
      binary,
    );
  }

  /** What the subscribers see of this router. */
  readonly #subscribersHost: SubscribersHost = {
    owner: (slot) => this.#owner(slot),
    anyMaster: () => this.#anyMaster(),
    refresh: (reason) => this.#refresh(reason),
    config: (address) => this.#nodes.config(address, true),
    isClosed: () => this.#closed,
  };

  /** What keyless.ts sees of this router. */
  readonly #runHost: RunHost = {
    run: (request, limits, target, failed, start) =>
      this.#run(request, limits, target, failed, start),
    anyMaster: () => this.#anyMaster(),
    masters: () => this.#topology.masters.map((node) => node.address),
  };

  /** What transaction.ts sees of this router. */
  readonly #transactionHost: TransactionHost = {
    anyMaster: () => this.#anyMaster(),
    owner: (slot) => this.#owner(slot),
    ownerAfterRefresh: (request, slot) =>
      this.#ownerAfterRefresh(request, slot),
    open: (address) => this.#nodes.open(address),
    recover: (request, limits, target, attempts, failed, start) =>
      this.#recover(request, limits, target, attempts, failed, start),
  };
}
