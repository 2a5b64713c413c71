// The Locator of a Sentinel client: asks the sentinels where the master (or a
// healthy replica) is before every connection attempt of every connection the
// client opens, has the server's ROLE checked, and follows failovers: a
// `+switch-master` subscription on one sentinel, and READONLY replies, drop
// the sockets to the old server so that their owners reconnect and ask anew.

import { abortable, sleep } from "../_timers.ts";
import {
  ConnectionError,
  ReplyError,
  SentinelError,
  type SentinelFailure,
} from "../errors.ts";
import type {
  ConnectionConfig,
  Located,
  Locator,
} from "../connection/config.ts";
import type { Request } from "../connection/connection.ts";
import { SUBSCRIBE } from "../connection/pubsub_frames.ts";
import { SocketConnection } from "../connection/socket_connection.ts";
import { asError, internalCommand } from "../connection/_util.ts";
import type { RespValue } from "../resp/types.ts";
import {
  formatAddress,
  type SentinelEndpoint,
  type SentinelSettings,
} from "./options.ts";

const GET_MASTER = internalCommand("SENTINEL", "GET-MASTER-ADDR-BY-NAME");
const REPLICAS = internalCommand("SENTINEL", "REPLICAS");
const SWITCH_MASTER = "+switch-master";

/** Milliseconds between two tries when a server has the wrong role. */
export const ROLE_RETRY_MS = 100;
/**
 * Milliseconds before the `+switch-master` subscription is opened again;
 * doubled after each failure in a row, up to {@linkcode MAX_RESUBSCRIBE_MS}.
 */
export const RESUBSCRIBE_MS = 250;
/** The longest pause between two attempts to subscribe, in milliseconds. */
export const MAX_RESUBSCRIBE_MS = 5_000;
/**
 * Milliseconds between health-check PINGs on the `+switch-master`
 * subscription: a sentinel silent for two of them is given up for another.
 */
export const SUBSCRIPTION_PING_MS = 1_000;
/** The least time given to one sentinel, in milliseconds. */
const MIN_SENTINEL_MS = 500;
/**
 * Milliseconds during which an address Sentinel switched away from is taken
 * as a stale answer from a sentinel that has not heard of the switch yet.
 */
export const STALE_MS = 60_000;

/** A server with the wrong role: ask the sentinels again. */
class RoleError extends ConnectionError {}

/** A connection in use, and how to give it up. */
interface Adopted {
  readonly located: Located;
  readonly drop: (error: Error) => void;
}

/**
 * Finds the server through the sentinels; one per client, shared by every
 * connection it opens.
 */
export class SentinelLocator implements Locator {
  readonly #settings: SentinelSettings;
  readonly #base: ConnectionConfig;
  /** The sentinels, the one that answered last first. */
  #order: SentinelEndpoint[];
  /** A connection to each sentinel asked, kept for the next question. */
  readonly #queries = new Map<SentinelEndpoint, SocketConnection>();
  /**
   * The address the last attempt could not use (unreachable, or the wrong
   * role): an answer naming it again is taken only if no sentinel names
   * another.
   */
  #suspect: string | undefined;
  /** The question under way, shared by every attempt that needs an answer. */
  #asking: Promise<Located> | undefined;
  /** The `+switch-master` subscription (open, or opening). */
  #subscription: SocketConnection | undefined;
  #subscribing = false;
  #resubscribe: ReturnType<typeof setTimeout> | undefined;
  /** Failures to subscribe in a row (the pause grows with them). */
  #subscribeFailures = 0;
  readonly #adopted = new Set<Adopted>();
  /** Reconnections waiting out their backoff, to wake on a failover. */
  readonly #movedListeners = new Set<() => void>();
  /** Addresses Sentinel switched the master away from, with when. */
  readonly #demoted = new Map<string, number>();
  /** Every sentinel connection open or opening. */
  readonly #open = new Set<Promise<unknown>>();
  readonly #connections = new Set<SocketConnection>();
  /** Aborts the sentinel connections still opening, on close(). */
  readonly #closing = new AbortController();
  #closed = false;

  /**
   * Constructs a new instance; opens nothing.
   *
   * @param settings The sentinels and what to ask them for.
   * @param base The client's configuration: its bounds and the data nodes' TLS.
   */
  constructor(settings: SentinelSettings, base: ConnectionConfig) {
    this.#settings = settings;
    this.#base = base;
    this.#order = [...settings.sentinels];
  }

  /** {@inheritDoc Locator.attempt} */
  async attempt<T>(
    signal: AbortSignal,
    connect: (located: Located) => Promise<T>,
  ): Promise<T> {
    const deadline = Date.now() + this.#base.connectTimeout;
    for (;;) {
      const located = await abortable(this.#locate(deadline), signal);
      try {
        const connected = await connect(located);
        if (this.#suspect === located.address) this.#suspect = undefined;
        return connected;
      } catch (error) {
        if (signal.aborted || this.#closed) throw error;
        // Down, or demoted: the next question looks past a sentinel that
        // still names it (it may not know of a failover yet).
        this.#suspect = located.address;
        // A server that is not (or no longer) what the sentinels said: they
        // are asked again, within connectTimeout.
        if (
          !(error instanceof RoleError) ||
          Date.now() + ROLE_RETRY_MS >= deadline
        ) throw error;
      }
      await sleep(ROLE_RETRY_MS, signal);
    }
  }

  /** {@inheritDoc Locator.verify} */
  async verify(role: () => Promise<unknown>, located: Located): Promise<void> {
    const reply = await role();
    const actual = Array.isArray(reply) ? reply[0] : undefined;
    const expected = this.#settings.role === "master" ? "master" : "slave";
    if (actual === expected) return;
    throw new RoleError(
      `Cannot use ${located.address} as the ${this.#settings.role} of "${this.#settings.masterName}": its ROLE is ${
        typeof actual === "string" ? actual : "unknown"
      }`,
    );
  }

  /** {@inheritDoc Locator.adopt} */
  adopt(located: Located, drop: (error: Error) => void): () => void {
    const entry: Adopted = { located, drop };
    this.#adopted.add(entry);
    return () => this.#adopted.delete(entry);
  }

  /** {@inheritDoc Locator.moved} */
  moved(wake: () => void): () => void {
    this.#movedListeners.add(wake);
    return () => this.#movedListeners.delete(wake);
  }

  /** {@inheritDoc Locator.readonly} */
  readonly(located: Located): void {
    // A replica answers writes READONLY: that is what it is for.
    if (this.#settings.role !== "master") return;
    this.#drop(
      (address) => address === located.address,
      `${located.address} answered READONLY: it is no longer the master of "${this.#settings.masterName}"`,
    );
  }

  /** Closes the sentinel connections; the client's own are its owner's. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#closing.abort(closedError());
    clearTimeout(this.#resubscribe);
    this.#resubscribe = undefined;
    this.#adopted.clear();
    this.#movedListeners.clear();
    while (this.#open.size > 0 || this.#connections.size > 0) {
      const connections = [...this.#connections];
      this.#connections.clear();
      // Nothing a sentinel still owes is worth waiting for (it may hang).
      for (const connection of connections) connection.destroy(closedError());
      await Promise.allSettled([
        ...this.#open,
        ...connections.map((connection) => connection.close()),
      ]);
    }
    this.#queries.clear();
    this.#subscription = undefined;
  }

  // --- asking ----------------------------------------------------------------

  /** The sentinels' answer: one question at a time for every attempt. */
  #locate(deadline: number): Promise<Located> {
    if (this.#asking === undefined) {
      const asking = this.#ask(deadline);
      this.#asking = asking;
      void asking.then(
        () => this.#forget(asking),
        () => this.#forget(asking),
      );
    }
    return this.#asking;
  }

  #forget(asking: Promise<Located>): void {
    if (this.#asking === asking) this.#asking = undefined;
  }

  /** Asks each sentinel in turn, the one that answered last first. */
  async #ask(deadline: number): Promise<Located> {
    const { masterName, role } = this.#settings;
    const failures: SentinelFailure[] = [];
    const order = this.#order;
    let stale: { located: Located; endpoint: SentinelEndpoint } | undefined;
    for (let i = 0; i < order.length; i++) {
      const endpoint = order[i]!;
      if (this.#closed) {
        failures.push({ address: endpoint.address, error: closedError() });
        break;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        failures.push({
          address: endpoint.address,
          error: new ConnectionError(
            `not asked: connectTimeout ${this.#base.connectTimeout} ms ran out`,
          ),
        });
        continue;
      }
      try {
        const located = await this.#askOne(
          endpoint,
          Math.min(remaining, this.#share()),
        );
        // (Only a master is switched away from: the old one may well be a
        // healthy replica now.)
        const demoted = role === "master" && this.#isDemoted(located.address);
        if (demoted || located.address === this.#suspect) {
          // A sentinel that may not have heard of a failover yet: another
          // may have; if none names another server, the answer stands.
          stale ??= { located, endpoint };
          failures.push({
            address: endpoint.address,
            error: new ConnectionError(
              demoted
                ? `names ${located.address}, which Sentinel switched the master away from`
                : `names ${located.address}, which the last attempt could not use`,
            ),
          });
          continue;
        }
        this.#answered(endpoint);
        return located;
      } catch (error) {
        failures.push({ address: endpoint.address, error: asError(error) });
      }
    }
    if (stale !== undefined && !this.#closed) {
      this.#answered(stale.endpoint);
      return stale.located;
    }
    const what = role === "master" ? "the master" : "a replica";
    throw new SentinelError(
      `Cannot find ${what} of "${masterName}" through ${
        order.length === 1 ? "its sentinel" : "any sentinel"
      }: ${
        failures.map((failure) =>
          `${failure.address}: ${failure.error.message}`
        )
          .join("; ")
      }`,
      failures,
    );
  }

  /** One sentinel's answer, within `ms`. */
  async #askOne(endpoint: SentinelEndpoint, ms: number): Promise<Located> {
    const { masterName, role } = this.#settings;
    let connection = this.#queries.get(endpoint);
    if (connection === undefined || connection.closed) {
      this.#queries.delete(endpoint);
      connection = await this.#openSentinel(endpoint, ms, false);
      this.#queries.set(endpoint, connection);
    }
    let reply: unknown;
    try {
      reply = await connection.send(
        request(role === "master" ? GET_MASTER : REPLICAS, [masterName]),
        { timeout: ms },
      );
    } catch (error) {
      // Only a connection that answered is kept.
      if (!(error instanceof ReplyError)) {
        if (this.#queries.get(endpoint) === connection) {
          this.#queries.delete(endpoint);
        }
        void connection.close();
      }
      throw error;
    }
    if (role === "master") {
      if (!Array.isArray(reply) || reply.length < 2) {
        throw new ConnectionError(`does not know a master "${masterName}"`);
      }
      return this.#located(String(reply[0]), Number(reply[1]));
    }
    let healthy = healthyReplicas(reply);
    if (healthy.length === 0) {
      throw new ConnectionError(
        `knows no healthy replica of "${masterName}"`,
      );
    }
    // Another replica than the one the last attempt could not use, if any.
    const others = healthy.filter(({ ip, port }) =>
      formatAddress(ip, port) !== this.#suspect
    );
    if (others.length > 0) healthy = others;
    const pick = healthy[Math.floor(Math.random() * healthy.length)]!;
    return this.#located(pick.ip, pick.port);
  }

  /**
   * Milliseconds one sentinel is given: connectTimeout shared among them,
   * so that one that hangs leaves time for the others.
   */
  #share(): number {
    return Math.min(
      this.#base.connectTimeout,
      Math.max(
        MIN_SENTINEL_MS,
        Math.ceil(this.#base.connectTimeout / this.#order.length),
      ),
    );
  }

  #located(ip: string, port: number): Located {
    if (!(Number.isInteger(port) && port > 0 && port < 65536) || ip === "") {
      throw new ConnectionError("answered an address that is not one");
    }
    const tls = this.#base.transport.kind === "tcp"
      ? this.#base.transport.tls
      : null;
    return {
      transport: { kind: "tcp", hostname: ip, port, tls },
      address: formatAddress(ip, port),
    };
  }

  /** `endpoint` answered: it is asked first from now on, and subscribed to. */
  #answered(endpoint: SentinelEndpoint): void {
    const order = this.#order;
    if (order[0] !== endpoint) {
      this.#order = [endpoint, ...order.filter((e) => e !== endpoint)];
    }
    if (this.#subscription === undefined && !this.#subscribing) {
      void this.#subscribe();
    }
  }

  #isDemoted(address: string): boolean {
    const since = this.#demoted.get(address);
    if (since === undefined) return false;
    if (Date.now() - since < STALE_MS) return true;
    this.#demoted.delete(address);
    return false;
  }

  /** Opens a connection to a sentinel, closed with the locator. */
  async #openSentinel(
    endpoint: SentinelEndpoint,
    ms: number,
    subscriber: boolean,
  ): Promise<SocketConnection> {
    if (this.#closed) throw closedError();
    const base = this.#base;
    const config: ConnectionConfig = {
      transport: endpoint.transport,
      address: endpoint.address,
      username: endpoint.username,
      password: endpoint.password,
      db: 0,
      name: undefined,
      // Sentinel speaks RESP2 everywhere; RESP3 needs Redis 6.
      protocol: 2,
      connectTimeout: ms,
      maxBulkLength: base.maxBulkLength,
      maxBufferedBytes: base.maxBufferedBytes,
      reconnect: null,
      maxQueued: base.maxQueued,
      maxInFlight: base.maxInFlight,
      queueTimeout: base.queueTimeout,
      pingInterval: undefined,
    };
    if (subscriber) {
      config.subscriber = "text";
      // A sentinel that stops answering (frozen, cut off) would otherwise
      // keep the subscription open and silent.
      config.pingInterval = SUBSCRIPTION_PING_MS;
    }
    const opening = SocketConnection.open(config, this.#closing.signal);
    this.#open.add(opening);
    let connection: SocketConnection;
    try {
      connection = await opening;
    } finally {
      this.#open.delete(opening);
    }
    if (this.#closed) {
      await connection.close();
      throw closedError();
    }
    this.#connections.add(connection);
    connection.listen({ close: () => this.#connections.delete(connection) });
    return connection;
  }

  // --- following failovers ---------------------------------------------------

  /**
   * Subscribes to `+switch-master` on the sentinel asked first; when that
   * connection ends, on the next one, after a pause.
   */
  async #subscribe(): Promise<void> {
    this.#subscribing = true;
    const endpoint = this.#order[0]!;
    let connection: SocketConnection | undefined;
    try {
      connection = await this.#openSentinel(endpoint, this.#share(), true);
      connection.listen({
        push: (data) => this.#message(data, endpoint),
        close: () => {
          if (this.#subscription === connection) {
            this.#subscription = undefined;
            this.#retrySubscribe(endpoint);
          }
        },
      });
      this.#subscription = connection;
      await connection.send(request(SUBSCRIBE, [SWITCH_MASTER]));
      this.#subscribeFailures = 0;
    } catch {
      this.#subscribeFailures++;
      if (connection !== undefined) {
        if (this.#subscription === connection) this.#subscription = undefined;
        await connection.close();
      }
      this.#retrySubscribe(endpoint);
    } finally {
      this.#subscribing = false;
    }
  }

  /** Subscribes again soon, on the next sentinel. */
  #retrySubscribe(failed: SentinelEndpoint): void {
    if (this.#closed || this.#resubscribe !== undefined) return;
    // The one that failed goes last.
    if (this.#order[0] === failed && this.#order.length > 1) {
      this.#order = [...this.#order.slice(1), failed];
    }
    const delay = Math.min(
      MAX_RESUBSCRIBE_MS,
      RESUBSCRIBE_MS * 2 ** Math.min(this.#subscribeFailures, 5),
    );
    this.#resubscribe = setTimeout(() => {
      this.#resubscribe = undefined;
      if (!this.#closed && this.#subscription === undefined) {
        void this.#subscribe();
      }
    }, delay);
  }

  /** A `+switch-master` message: `<name> <old ip> <old port> <new ip> <new port>`. */
  #message(data: RespValue[], endpoint: SentinelEndpoint): void {
    if (data[0] !== "message" || data[1] !== SWITCH_MASTER) return;
    const payload = data[2];
    if (typeof payload !== "string") return;
    const [name, oldIp, oldPort, newIp, newPort] = payload.split(" ");
    if (name !== this.#settings.masterName || newPort === undefined) return;
    const from = formatAddress(oldIp!, Number(oldPort));
    const to = formatAddress(newIp!, Number(newPort));
    this.#demoted.set(from, Date.now());
    this.#demoted.delete(to);
    // It knows of the switch: ask it first.
    if (this.#order[0] !== endpoint) {
      this.#order = [endpoint, ...this.#order.filter((e) => e !== endpoint)];
    }
    const reason =
      `Sentinel switched the master of "${name}" from ${from} to ${to}`;
    if (this.#settings.role === "master") {
      this.#drop((address) => address !== to, reason);
    } else {
      // A replica carries on under the new master, unless it became it.
      this.#drop((address) => address === to, reason);
    }
    const sleepers = [...this.#movedListeners];
    this.#movedListeners.clear();
    for (const wake of sleepers) wake();
  }

  /** Gives up the sockets to the addresses `which` picks: their owners reconnect. */
  #drop(which: (address: string) => boolean, reason: string): void {
    for (const entry of [...this.#adopted]) {
      const address = entry.located.address;
      if (!which(address)) continue;
      this.#adopted.delete(entry);
      entry.drop(
        new ConnectionError(`Connection to ${address} dropped: ${reason}`),
      );
    }
  }
}

/** The healthy replicas in a `SENTINEL REPLICAS` reply (flat arrays or maps). */
function healthyReplicas(reply: unknown): { ip: string; port: number }[] {
  const healthy: { ip: string; port: number }[] = [];
  if (!Array.isArray(reply)) return healthy;
  for (const entry of reply) {
    const fields = new Map<string, unknown>();
    if (entry instanceof Map) {
      for (const [k, v] of entry) fields.set(String(k), v);
    } else if (Array.isArray(entry)) {
      for (let i = 0; i + 1 < entry.length; i += 2) {
        fields.set(String(entry[i]), entry[i + 1]);
      }
    } else continue;
    const flags = String(fields.get("flags") ?? "").split(",");
    if (
      flags.some((f) =>
        f === "s_down" || f === "o_down" || f === "disconnected"
      )
    ) continue;
    if (fields.get("master-link-status") !== "ok") continue;
    const ip = fields.get("ip");
    const port = Number(fields.get("port"));
    if (typeof ip === "string" && Number.isInteger(port)) {
      healthy.push({ ip, port });
    }
  }
  return healthy;
}

function request(
  command: Request["command"],
  args: string[],
): Request {
  return { command, args, db: 0, binary: false, bigint: false, decode: null };
}

function closedError(): ConnectionError {
  return new ConnectionError("Cannot ask the sentinels: the client is closed");
}
