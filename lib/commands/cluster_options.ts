// Arguments of the cluster commands that take slot ranges. Pure functions,
// tested without a server.

import type { SlotRange } from "./cluster_replies.ts";

/** Flattens slot ranges into `start end start end ...`. */
export function slotRangeArgs(ranges: readonly SlotRange[]): number[] {
  const args: number[] = [];
  for (const [start, end] of ranges) args.push(start, end);
  return args;
}
