// The connections of a cluster client, one router per node (its multiplexed
// connection, and its pools for blocking commands, watch() and monitor), by
// address: opened on first use, single-flight, never reconnecting by
// themselves. A node whose connection is lost is forgotten (its pools
// closed) and opened again on next use, wherever the slot map then points.
// An attach hook (the client-side cache's tracking) runs on each router
// before it serves, and is detached when the router is dropped.

import type { ConnectionConfig } from "../connection/config.ts";
import { command } from "../commands/_command.ts";
import type { ConnectionListener, Request } from "../connection/connection.ts";
import type { Resolve } from "../connection/pending_queue.ts";
import { SocketConnection } from "../connection/socket_connection.ts";
import { ConnectionError, ReplyError } from "../errors.ts";
import { Router, type RouterOptions } from "../routing/router.ts";

const READONLY_REQUEST: Request = {
  command: command("READONLY"),
  args: [],
  db: 0,
  binary: false,
  bigint: false,
  decode: null,
};

/**
 * Runs on a node's router once it is open (after READONLY), before it serves
 * any command; resolves to what runs once that router is dropped (lost,
 * forgotten or closed). A rejection fails the opening (the router is closed).
 */
export type NodeAttach = (
  address: string,
  router: Router,
  config: ConnectionConfig,
) => Promise<() => Promise<void>>;

/** Options of {@linkcode ClusterNodes}. */
export interface NodesOptions extends RouterOptions {
  /** Attached to every node's router before it serves (the cache's tracking). */
  readonly attach?: NodeAttach | undefined;
  /**
   * Runs whenever the cluster router takes a new slot map in use (it calls
   * {@linkcode ClusterNodes.retain} then), before nodes are forgotten.
   */
  readonly adopted?: (() => void) | undefined;
}

/** One node: its router once open. */
export interface Node {
  readonly address: string;
  /** Its router while open; undefined before, and once lost or forgotten. */
  router: Router | undefined;
  opening: Promise<Router> | undefined;
}

/** What the nodes tell the cluster router. */
export interface NodesHost {
  /** A node's connection was lost (not closed by us). */
  lost(address: string, error: Error | undefined): void;
  /** Fire-and-forget failures and pushes of a node's connections. */
  readonly listener: ConnectionListener;
  /** A command sent with `sendRetaken` to `address` failed (see Retake). */
  retake(
    address: string,
    error: Error,
    request: Request,
    resolve: Resolve | null,
  ): boolean;
}

/** Splits `"host:port"` (an IPv6 host unbracketed). */
export function splitAddress(address: string): [host: string, port: number] {
  const colon = address.lastIndexOf(":");
  let host = address.slice(0, colon);
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  return [host, Number(address.slice(colon + 1))];
}

/** `"host:port"`, an IPv6 host bracketed. */
export function joinAddress(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The routers of a cluster's nodes, by address. */
export class ClusterNodes {
  readonly #template: ConnectionConfig;
  readonly #options: NodesOptions;
  readonly #host: NodesHost;
  readonly #readonly: boolean;
  readonly #nodes = new Map<string, Node>();
  /** Each attached router's detach, run once (single-flight). */
  readonly #detach = new WeakMap<Router, () => Promise<void>>();
  #closed = false;

  /**
   * Constructs a new instance.
   *
   * @param template The configuration every node's connections share (TLS,
   * credentials, bounds); the address is each node's.
   * @param options The bounds of each node's blocking pool, and the hook
   * attached to each router.
   * @param host Where losses, failures and pushes are reported.
   * @param readonly Send READONLY on every node's connection once open, so
   * that replicas answer reads of their master's slots (replica reads).
   */
  constructor(
    template: ConnectionConfig,
    options: NodesOptions,
    host: NodesHost,
    readonly = false,
  ) {
    this.#template = template;
    this.#options = options;
    this.#host = host;
    this.#readonly = readonly;
  }

  /**
   * The configuration of a connection to `address`: the template's, in
   * database 0, never reconnecting (the cluster router decides where a
   * command goes next).
   */
  config(address: string, reconnect = false): ConnectionConfig {
    const template = this.#template;
    const [hostname, port] = splitAddress(address);
    const tls = template.transport.kind === "tcp"
      ? template.transport.tls
      : null;
    return {
      ...template,
      transport: { kind: "tcp", hostname, port, tls },
      address,
      db: 0,
      reconnect: reconnect ? template.reconnect : null,
    };
  }

  /**
   * The node at `address` (made, not opened, when new): a handle whose
   * `router` is set while its connection is open, for callers that keep it.
   */
  node(address: string): Node {
    let node = this.#nodes.get(address);
    if (node === undefined) {
      node = { address, router: undefined, opening: undefined };
      this.#nodes.set(address, node);
    }
    return node;
  }

  /** The router of `address` when it is open and ready, else undefined. */
  ready(address: string): Router | undefined {
    const router = this.#nodes.get(address)?.router;
    return router !== undefined && router.ready ? router : undefined;
  }

  /** The addresses of the nodes with a connection open now. */
  get connected(): string[] {
    const out: string[] = [];
    for (const node of this.#nodes.values()) {
      if (node.router !== undefined) out.push(node.address);
    }
    return out;
  }

  /**
   * The router of `address`: the open one, or a new one (its connection
   * opened and past its handshake).
   *
   * @throws {ConnectionError} The node could not be reached (nothing was
   * sent to it), or the client is closed.
   */
  open(address: string): Promise<Router> {
    if (this.#closed) {
      return Promise.reject(
        new ConnectionError("Cannot send command: the client is closed"),
      );
    }
    const node = this.node(address);
    const router = node.router;
    if (router !== undefined && !router.closed) return Promise.resolve(router);
    return node.opening ??= this.#connect(node);
  }

  async #connect(node: Node): Promise<Router> {
    const config = this.config(node.address);
    const address = node.address;
    const host = this.#host;
    try {
      // Only the shared connection's: the router's pools never retake.
      const connection = await SocketConnection.open({
        ...config,
        retake: (error, request, resolve) =>
          host.retake(address, error, request, resolve),
      });
      const router = new Router(connection, config, this.#options);
      if (this.#readonly) {
        // A master takes it too (and ignores it): roles change.
        try {
          await router.send(READONLY_REQUEST);
        } catch (error) {
          await router.close();
          throw error;
        }
      }
      const attach = this.#options.attach;
      if (attach !== undefined) {
        let detach: () => Promise<void>;
        try {
          detach = await attach(node.address, router, config);
        } catch (error) {
          await router.close();
          throw error;
        }
        let detaching: Promise<void> | undefined;
        this.#detach.set(router, () => detaching ??= detach());
        // Lost (or closed): the router serves nothing more.
        router.listen({ close: () => void this.#detached(router) });
        if (router.closed) {
          await this.#detached(router);
          throw new ConnectionError(
            `Cannot connect to cluster node ${node.address}: the connection was lost`,
          );
        }
      }
      if (this.#closed) {
        await router.close();
        await this.#detached(router);
        throw new ConnectionError("Cannot send command: the client is closed");
      }
      node.router = router;
      router.listen(this.#host.listener);
      router.listen({
        close: (error) => {
          if (node.router !== router) return;
          node.router = undefined;
          // Its pools (blocking, leases) go too; the next use opens anew.
          void router.close();
          if (!this.#closed) this.#host.lost(node.address, error);
        },
      });
      return router;
    } catch (error) {
      // Nothing was sent: opening failed before any command was written.
      if (error instanceof ConnectionError || error instanceof ReplyError) {
        throw error;
      }
      throw new ConnectionError(
        `Cannot connect to cluster node ${node.address}: ${
          (error as Error).message
        }`,
        { cause: error },
      );
    } finally {
      node.opening = undefined;
    }
  }

  /** Runs the attach hook's detach of `router` (once), if it has one. */
  #detached(router: Router): Promise<void> {
    return this.#detach.get(router)?.() ?? Promise.resolve();
  }

  /**
   * Forgets nodes that are not in `keep` (closing their connections once
   * their replies are in).
   */
  retain(keep: ReadonlySet<string>): void {
    this.#options.adopted?.();
    for (const [address, node] of this.#nodes) {
      if (keep.has(address) || node.opening !== undefined) continue;
      this.#nodes.delete(address);
      const router = node.router;
      node.router = undefined;
      if (router !== undefined) {
        void router.close().then(() => this.#detached(router));
      }
    }
  }

  /** Closes every node's connections, each once its replies are in. */
  async close(): Promise<void> {
    this.#closed = true;
    const closing: Promise<void>[] = [];
    for (const node of this.#nodes.values()) {
      const router = node.router;
      node.router = undefined;
      if (router !== undefined) {
        closing.push(router.close().then(() => this.#detached(router)));
      }
      const opening = node.opening;
      // One still opening closes itself once open (it sees #closed).
      if (opening !== undefined) {
        closing.push(opening.then(() => {}, () => {}));
      }
    }
    this.#nodes.clear();
    await Promise.all(closing);
  }
}
