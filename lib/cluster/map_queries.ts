// Asks a cluster's nodes for its slot map, one after another, until one
// answers with a map of use: the node that answered last time first, and
// those whose last query failed last (a frozen node would cost the query's
// timeout every time). The seeds at connect time, the known nodes later.

import { ConnectionError, ReplyError } from "../errors.ts";
import type { RespValue } from "../resp/types.ts";
import type { Router } from "../routing/router.ts";
import { topologyRequest } from "./_requests.ts";
import { type ClusterNodes, splitAddress } from "./nodes.ts";
import { Answered, type Topology, type TopologyQuery } from "./topology.ts";

/** How long one topology query may take on one node before the next is asked. */
const QUERY_TIMEOUT = 2_000;

/** A slot map, and the router of the node that gave it. */
export interface Asked {
  readonly topology: Topology;
  readonly router: Router;
}

/** The topology queries of one cluster client; see the file's header. */
export class MapQueries {
  readonly #nodes: ClusterNodes;
  /** The node that answered the last query. */
  #answered: string | undefined;
  /** Nodes whose last query failed. */
  readonly #unanswered = new Set<string>();

  /**
   * Constructs a new instance.
   *
   * @param nodes The client's nodes (a node asked is opened).
   */
  constructor(nodes: ClusterNodes) {
    this.#nodes = nodes;
  }

  /**
   * Sends `CLUSTER <query>` to the candidates in turn until one answers
   * with a slot map `decode` takes (a node whose answer it refuses is
   * passed over like one that did not answer).
   *
   * @param candidates The addresses to ask (repeats are asked once).
   * @param query SHARDS or SLOTS.
   * @param decode Turns an answer into a slot map; throws when it is of no use.
   * @param closed Whether the client closed meanwhile (asking stops).
   * @param failure What the error says when no node answered, before the
   * list of each node and why.
   * @throws {ReplyError} A node does not know the query (for the caller to
   * fall back to CLUSTER SLOTS).
   * @throws {ConnectionError} No candidate answered; its cause is the first
   * failure (a refused AUTH stays a ReplyError a caller can tell apart).
   */
  async ask(
    candidates: Iterable<string>,
    query: TopologyQuery,
    decode: (answer: Answered) => Topology,
    closed: () => boolean,
    failure: string,
  ): Promise<Asked> {
    const unique = new Set<string>();
    if (this.#answered !== undefined) unique.add(this.#answered);
    for (const address of candidates) unique.add(address);
    const failed = this.#unanswered;
    const order = [
      ...[...unique].filter((a) => !failed.has(a)),
      ...[...unique].filter((a) => failed.has(a)),
    ];
    const failures: string[] = [];
    let cause: unknown;
    for (const address of order) {
      if (closed()) break;
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
        return { topology, router };
      } catch (error) {
        if (error instanceof ReplyError && /unknown/i.test(error.message)) {
          throw error;
        }
        failed.add(address);
        failures.push(`${address}: ${(error as Error).message}`);
        cause ??= error;
      }
    }
    throw new ConnectionError(`${failure} (${failures.join("; ")})`, {
      cause,
    });
  }
}
