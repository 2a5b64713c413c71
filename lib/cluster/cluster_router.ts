// Between a cluster client and its nodes: sends each request to the master
// serving its keys' slot (routes.ts; one router per node, nodes.ts), hands
// what a node refused to the retries (retries.ts: MOVED, ASK, TRYAGAIN...),
// splits multi-key commands per slot and fans keyless ones out by their
// request policy (keyless.ts), and keeps the slot map current (topology.ts).
// Speaks the same request interface as a connection.

import type { Command } from "../commands/_command.ts";
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
import { ConnectionError, ReplyError } from "../errors.ts";
import type { RedisArg } from "../resp/encoder.ts";
import type { Dedicated, Leases, Router } from "../routing/router.ts";
import type { Subscribers, Subscribing } from "../routing/subscriber.ts";
import { ClusterSubscriber, type SubscribersHost } from "./subscribers.ts";
import { ClusterNodes } from "./nodes.ts";
import type { ClusterCounters, ClusterRouterOptions } from "./options.ts";
import { notApplied } from "./redirect.ts";
import {
  closedError,
  copy,
  crossSlot,
  idempotent,
  issued,
  reads,
  type RunHost,
} from "./_requests.ts";
import { keyless, splitRequest } from "./keyless.ts";
import { Retries } from "./retries.ts";
import { Routes } from "./routes.ts";
import { transaction, type TransactionHost } from "./transaction.ts";
import { CROSS_SLOT, hasOneKey, keySlot, requestSlot } from "./slot.ts";
import {
  type Answered,
  type Topology,
  type TopologyQuery,
  TopologyRefresher,
} from "./topology.ts";
import { MapQueries } from "./map_queries.ts";

/** The {@linkcode Connection} a cluster client talks to. */
export class ClusterRouter
  implements Connection, Leases, Dedicated, Subscribers {
  readonly #options: ClusterRouterOptions;
  readonly #template: ConnectionConfig;
  readonly #nodes: ClusterNodes;
  readonly #refresher: TopologyRefresher;
  readonly #listeners = new Listeners();
  /** Which node each leased connection came from. */
  readonly #leased = new WeakMap<Connection, Router>();
  readonly #subscribers: (ClusterSubscriber | undefined)[] = [
    undefined,
    undefined,
  ];
  readonly #routes: Routes;
  readonly #retries: Retries;
  #timer: ReturnType<typeof setInterval> | undefined;
  #protocol: 2 | 3;
  #serverVersion: string | undefined;
  #closed = false;
  readonly #queries: MapQueries;
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
    queries: MapQueries,
    topology: Topology,
    first: Router,
  ) {
    this.#template = template;
    this.#options = options;
    this.#nodes = nodes;
    this.#refresher = refresher;
    this.#queries = queries;
    this.#routes = new Routes(
      nodes,
      options.replicaReads,
      options.seeds,
      topology,
    );
    this.#retries = new Retries(
      {
        closed: () => this.#closed,
        refresh: (reason) => this.#refresh(reason),
      },
      options,
      nodes,
      this.#routes,
      this.#counters,
    );
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
    const queries = new MapQueries(nodes);
    let first: Router | undefined;
    const refresher = new TopologyRefresher({
      addressMap: options.addressMap,
      tls: template.transport.kind === "tcp" && template.transport.tls !== null,
      query: async (query, decode) => {
        if (self.router !== undefined) return self.router.#query(query, decode);
        const asked = await queries.ask(
          options.seeds,
          query,
          decode,
          () => false,
          "Cannot connect to the cluster: no seed answered with its slot map",
        );
        first = asked.router;
        return asked.topology;
      },
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
      queries,
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
    return this.#routes.topology;
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
    if (limits === undefined) {
      // The fast path: the node's connection settles the caller's promise,
      // and hands a failure to #retake first. Nothing is copied: the
      // connection keeps the arguments it needs.
      const open = this.#fastRoute(command, request);
      if (open !== undefined) {
        const sent = open.sendRetaken(request);
        if (sent !== undefined) return sent;
      }
    }
    return this.#sendSlowly(request, limits, command);
  }

  /** Sends a request whose reply is dropped; failures go to `error` listeners. */
  sendVoid(request: Request, limits?: Limits): void {
    const command = request.command as Command;
    let sent: Promise<unknown>;
    if (this.#closed) sent = Promise.reject(closedError());
    else {
      if (limits === undefined) {
        const open = this.#fastRoute(command, request);
        if (open !== undefined && open.sendVoidRetaken(request)) return;
      }
      sent = this.#sendSlowly(request, limits, command);
    }
    sent.catch((error: Error) => this.#listeners.error(error, command.name));
  }

  /**
   * The router of the node a request without limits goes to by the fast
   * path, when its connection is ready: the one master serving every slot
   * for a one-key command (its slot is not needed; a call of the wrong
   * arity goes too, for the server to refuse), else its slot's master.
   * Undefined for anything else (no slot, keys in several slots, a read
   * for a replica).
   */
  #fastRoute(command: Command, request: Request): Router | undefined {
    const routes = this.#routes;
    let node = routes.sole;
    if (node === undefined || !hasOneKey(command)) {
      if (this.#options.replicaReads !== "never" && reads(command, request)) {
        return undefined;
      }
      const slot = requestSlot(command, request.args);
      if (typeof slot !== "number") return undefined;
      node = routes.node(slot);
    }
    const open = node?.router;
    return open !== undefined && open.ready ? open : undefined;
  }

  /**
   * Sends a request off the fast path: a copy of it, through the retries,
   * split per slot, or by its request policy.
   */
  #sendSlowly(
    request: Request,
    limits: Limits | undefined,
    command: Command,
  ): Promise<unknown> {
    const slot = requestSlot(command, request.args);
    // The caller may reuse its request and arguments once this returns.
    const own = copy(request);
    if (slot === CROSS_SLOT) return splitRequest(this.#runHost, own, limits);
    if (slot === undefined) return keyless(this.#runHost, own, limits);
    const routes = this.#routes;
    const read = this.#options.replicaReads !== "never" &&
      reads(command, request);
    let router: Router | undefined;
    let address: string | undefined;
    if (read) {
      address = routes.read(slot);
      if (address !== undefined) router = this.#nodes.ready(address);
    } else {
      // The owner's node, kept per slot until the slot map changes.
      const node = routes.node(slot);
      const open = node?.router;
      if (open !== undefined && open.ready) {
        router = open;
        address = node!.address;
      }
    }
    const start = issued(limits);
    if (router === undefined) {
      return this.#retries.run(own, limits, { slot, read }, undefined, start);
    }
    const at = address!;
    // One promise per command: the node settles it through this function,
    // which sends the command on when the node refused it.
    let resolve!: Resolve;
    const promise = new Promise<unknown>((settle) => {
      resolve = settle;
    });
    const refused = router.sendSettled(own, limits, (value) => {
      if (!(value instanceof Rejection)) resolve(value);
      else {
        const failed = { error: value.error, address: at };
        resolve(this.#retries.run(own, limits, { slot, read }, failed, start));
      }
    });
    if (refused === undefined) return promise;
    const failed = { error: refused, address: at };
    return this.#retries.run(own, limits, { slot, read }, failed, start);
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
    resolve: Resolve | null,
  ): boolean {
    if (
      error instanceof ReplyError && error.code !== "MOVED" &&
      error.code !== "ASK" && !notApplied(error)
    ) return false;
    // A fire-and-forget write lost after it was sent is not sent again:
    // its connection reports it, with the others lost (one event for all).
    if (
      resolve === null && error instanceof ConnectionError &&
      error.mayHaveExecuted && !idempotent(request)
    ) return false;
    const slot = requestSlot(request.command as Command, request.args);
    // A call of the wrong arity (sent by the one-master path) has no slot:
    // as a keyless command sent to one node, it is not sent elsewhere.
    if (typeof slot !== "number") return false;
    const sent = this.#retries.run(
      request,
      undefined,
      { slot, read: false },
      { error, address },
      undefined,
    );
    if (resolve !== null) resolve(sent);
    else {
      const name = request.command.name;
      sent.catch((failure: Error) => this.#listeners.error(failure, name));
    }
    return true;
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
    this.#routes.adopt(topology);
    const keep = new Set(this.#options.seeds);
    for (const node of topology.nodes) keep.add(node.address);
    this.#nodes.retain(keep);
  }

  /** A node's connection was lost: the slot map may have changed. */
  #lost(error: Error | undefined): void {
    if (error !== undefined) this.#listeners.disconnect(error);
    this.#refresh("connection lost");
  }

  /**
   * Sends one topology query to the nodes known (connected ones, masters,
   * replicas, seeds) in turn, until one answers with a slot map `decode`
   * takes.
   */
  async #query(
    query: TopologyQuery,
    decode: (answer: Answered) => Topology,
  ): Promise<Topology> {
    const topology = this.#routes.topology;
    const candidates = [
      ...this.#nodes.connected,
      ...topology.masters.map((node) => node.address),
      ...topology.nodes.map((node) => node.address),
      ...this.#options.seeds,
    ];
    const asked = await this.#queries.ask(
      candidates,
      query,
      decode,
      () => this.#closed,
      "Cannot read the cluster's slot map: no node answered",
    );
    return asked.topology;
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
      ? this.#routes.anyMaster()
      : this.#routes.owner(slot) ?? this.#routes.anyMaster();
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
    const router = await this.#nodes.open(this.#routes.anyMaster());
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
    owner: (slot) => this.#routes.owner(slot),
    anyMaster: () => this.#routes.anyMaster(),
    refresh: (reason) => this.#refresh(reason),
    config: (address) => this.#nodes.config(address, true),
    isClosed: () => this.#closed,
  };

  /** What keyless.ts sees of this router. */
  readonly #runHost: RunHost = {
    run: (request, limits, target, failed, start) =>
      this.#retries.run(request, limits, target, failed, start),
    sendToSlot: (request, limits, slot, start) => {
      if (limits === undefined) {
        const open = this.#routes.node(slot)?.router;
        if (open !== undefined && open.ready) {
          const sent = open.sendRetaken(request);
          if (sent !== undefined) return sent;
        }
      }
      return this.#retries.run(request, limits, { slot }, undefined, start);
    },
    anyMaster: () => this.#routes.anyMaster(),
    masters: () => this.#routes.topology.masters.map((node) => node.address),
  };

  /** What transaction.ts sees of this router. */
  readonly #transactionHost: TransactionHost = {
    anyMaster: () => this.#routes.anyMaster(),
    owner: (slot) => this.#routes.owner(slot),
    ownerAfterRefresh: (request, slot) =>
      this.#retries.ownerAfterRefresh(request, slot),
    open: (address) => this.#nodes.open(address),
    recover: (request, limits, target, attempts, failed, start) =>
      this.#retries.recover(request, limits, target, attempts, failed, start),
  };
}
