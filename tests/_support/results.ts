// Results of multi() and pipeline() builders in tests that expect every
// command to succeed: the failures exec() may leave in place are thrown, and
// the tuple's types narrowed to the commands' own results.

import {
  type CommandFailure,
  IntegerRangeError,
  ReplyError,
  UnexpectedReplyError,
} from "../../mod.ts";

/**
 * `results` as they are, typed without {@linkcode CommandFailure}; throws the
 * first command failure among them.
 */
export function succeeded<R extends readonly unknown[]>(
  results: R,
): { [K in keyof R]: Exclude<R[K], CommandFailure> } {
  for (const result of results) {
    if (
      result instanceof ReplyError || result instanceof UnexpectedReplyError ||
      result instanceof IntegerRangeError
    ) {
      throw result;
    }
  }
  return results as { [K in keyof R]: Exclude<R[K], CommandFailure> };
}
