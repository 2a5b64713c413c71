// How a cluster client sends a command until it is answered: the node its
// slot (or a redirect) names, MOVED and ASK followed, refusals that say the
// command was not applied (TRYAGAIN, CLUSTERDOWN...) and unreachable nodes
// retried with backoff within the command's deadline, a lost write never
// sent again (at-most-once). Keyless, split and transaction requests use it.

import { sleep, within } from "../_timers.ts";
import { BLOCKING, type Command } from "../commands/_command.ts";
import type { Limits, Request } from "../connection/connection.ts";
import {
  ClusterError,
  ConnectionError,
  ReplyError,
  TimeoutError,
} from "../errors.ts";
import {
  askingRequest,
  type Attempts,
  expired,
  type Failed,
  idempotent,
  remaining,
  type Target,
} from "./_requests.ts";
import { type ClusterNodes, joinAddress, splitAddress } from "./nodes.ts";
import type { ClusterCounters, ClusterRouterOptions } from "./options.ts";
import { notApplied, redirectOf } from "./redirect.ts";
import type { Routes } from "./routes.ts";

/** The first pause before retrying a command a node did not apply, in ms. */
const MIN_BACKOFF = 20;
/** The longest pause between two retries, in ms. */
const MAX_BACKOFF = 400;

/** What the retries need of their cluster router. */
export interface RetriesHost {
  /** Whether the client is closed: nothing is retried then. */
  closed(): boolean;
  /** Refreshes the slot map (shared, rate-limited); never rejects. */
  refresh(reason: string): Promise<void>;
}

/** Sends commands on until answered; see the file's header. */
export class Retries {
  readonly #host: RetriesHost;
  readonly #options: ClusterRouterOptions;
  readonly #nodes: ClusterNodes;
  readonly #routes: Routes;
  readonly #counters: ClusterCounters;

  /**
   * Constructs a new instance.
   *
   * @param host The router's refresh and state.
   * @param options Its bounds (maxRedirects, retryTimeout) and address map.
   * @param nodes Its nodes.
   * @param routes Where its slots go.
   * @param counters What it counts (updated here).
   */
  constructor(
    host: RetriesHost,
    options: ClusterRouterOptions,
    nodes: ClusterNodes,
    routes: Routes,
    counters: ClusterCounters,
  ) {
    this.#host = host;
    this.#options = options;
    this.#nodes = nodes;
    this.#routes = routes;
    this.#counters = counters;
  }

  /**
   * Sends `request` to `target` until it is answered, following redirects
   * and retrying what a node did not apply, within the command's deadline.
   * `failed` is the first attempt's failure, when it was made elsewhere.
   */
  async run(
    request: Request,
    limits: Limits | undefined,
    target: Target,
    failed: Failed | undefined,
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
        await this.recover(request, limits, target, attempts, last, start);
      }
      let address = attempts.asking ?? target.address ??
        (target.read
          ? this.#routes.read(target.slot)
          : this.#routes.owner(target.slot!));
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
        address = await this.ownerAfterRefresh(request, target.slot!);
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
  async ownerAfterRefresh(request: Request, slot: number): Promise<string> {
    await this.#host.refresh("no owner").catch(() => {});
    const address = this.#routes.owner(slot);
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
  async recover(
    request: Request,
    limits: Limits | undefined,
    target: Target,
    attempts: Attempts,
    failed: Failed,
    start: number | undefined,
  ): Promise<void> {
    const { error, address } = failed;
    const name = request.command.name;
    if (this.#host.closed()) throw error;
    const redirect = redirectOf(error, splitAddress(address)[0]);
    if (redirect !== undefined) {
      if (++attempts.redirects > this.#options.maxRedirects) {
        throw new ClusterError(
          name,
          `Cannot run ${name}: redirected more than ${this.#options.maxRedirects} times (maxRedirects), so it did not run`,
          { cause: error },
        );
      }
      const to = this.map(joinAddress(redirect.host, redirect.port));
      if (redirect.kind === "MOVED") {
        this.#counters.moved++;
        // A replica that no longer serves the slot: its owner now answers.
        if (target.read) target.read = false;
        if (target.address === undefined) {
          this.#routes.moved(redirect.slot, to);
        }
        this.#host.refresh("MOVED");
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
        void this.#host.refresh(
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
        this.#routes.down(address);
      }
    } else if ((error as ReplyError).code === "TRYAGAIN") counters.tryAgain++;
    else if ((error as ReplyError).code === "CLUSTERDOWN") {
      counters.clusterDown++;
    } else counters.otherRefusals++;
    // A refusal that may mean a new owner (a failover, a lost node) waits
    // for the new slot map too, rather than knocking at the old owner.
    let refreshed: Promise<void> | undefined;
    if (error instanceof ConnectionError) {
      refreshed = this.#host.refresh("connection");
    } else if (
      error instanceof ReplyError && error.code !== "TRYAGAIN" &&
      error.code !== "LOADING"
    ) refreshed = this.#host.refresh(error.code);
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

  /** An announced address as this client reaches it. */
  map(address: string): string {
    const map = this.#options.addressMap;
    if (map === undefined) return address;
    const mapped = typeof map === "function" ? map(address) : map[address];
    return mapped ?? address;
  }
}
