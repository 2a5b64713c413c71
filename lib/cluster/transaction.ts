// A MULTI...EXEC batch on a cluster: whole, on the master serving its keys'
// slot (refused before sending when they span slots), and sent again whole
// while the node refuses it unapplied (a MOVED, ASK or TRYAGAIN while
// queueing aborts it at EXEC, so nothing of it ran).

import type { Command } from "../commands/_command.ts";
import type { Limits, Request, Settled } from "../connection/connection.ts";
import type { Router } from "../routing/router.ts";
import {
  askingRequest,
  type Attempts,
  copy,
  crossSlot,
  type Failed,
  issued,
  remaining,
  type Target,
  unapplied,
} from "./_requests.ts";
import { CROSS_SLOT, requestSlot } from "./slot.ts";

/** What a transaction needs of the cluster router. */
export interface TransactionHost {
  /** A master for a keyless use, in turn. */
  anyMaster(): string;
  /** The master serving `slot`, as far as the router knows. */
  owner(slot: number): string | undefined;
  /** The master serving `slot` once the map is refreshed; throws when none. */
  ownerAfterRefresh(request: Request, slot: number): Promise<string>;
  /** The router of a node, opened when needed. */
  open(address: string): Promise<Router>;
  /** Decides what a refusal means: throws when done, returns to retry. */
  recover(
    request: Request,
    limits: Limits | undefined,
    target: Target,
    attempts: Attempts,
    failed: Failed,
    start: number | undefined,
  ): Promise<void>;
}

/**
 * A transaction, whole, on the node serving its keys' slot. Refused
 * before sending when its keys span slots; sent again whole while the node
 * refuses it unapplied (a MOVED or ASK while queueing aborts it at EXEC).
 */
export async function transaction(
  host: TransactionHost,
  requests: readonly Request[],
  limits: Limits | undefined,
): Promise<Settled[]> {
  let slot: number | undefined;
  for (let i = 1; i < requests.length - 1; i++) {
    const r = requests[i]!;
    const s = requestSlot(r.command as Command, r.args);
    if (s === undefined) continue;
    if (s === CROSS_SLOT || (slot !== undefined && s !== slot)) {
      const error = crossSlot("EXEC", "a transaction");
      return requests.map(() => ({ ok: false, error }));
    }
    slot = s;
  }
  const batch = requests.map(copy);
  const target: Target = slot === undefined
    ? { address: host.anyMaster() }
    : { slot };
  const attempts: Attempts = {
    redirects: 0,
    retries: 0,
    deadline: undefined,
    asking: undefined,
  };
  const start = issued(limits);
  for (;;) {
    const address = attempts.asking ?? target.address ??
      host.owner(target.slot!) ??
      await host.ownerAfterRefresh(batch[0]!, target.slot!);
    let settled: Settled[] | undefined;
    let refusal: unknown;
    try {
      const router = await host.open(address);
      const bounded = remaining(
        batch[0]!,
        limits,
        attempts.deadline,
        undefined,
      );
      if (attempts.asking !== undefined) {
        attempts.asking = undefined;
        settled = (await router.sendBatch(
          [askingRequest(), ...batch],
          bounded,
        )).slice(1);
      } else {
        settled = await router.sendBatch(batch, bounded);
      }
      refusal = unapplied(settled);
      if (refusal === undefined) return settled;
    } catch (error) {
      // Nothing was sent: the node could not be reached.
      refusal = error;
    }
    try {
      await host.recover(
        batch[0]!,
        limits,
        target,
        attempts,
        { error: refusal, address },
        start,
      );
    } catch (final) {
      return settled ??
        batch.map(() => ({ ok: false, error: final as Error }));
    }
  }
}
