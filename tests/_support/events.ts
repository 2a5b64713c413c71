// Small helpers for tests that watch a client's events and timers.

import assert from "node:assert/strict";
import type { Redis, RedisEventMap } from "../../mod.ts";

/** Every event type a client dispatches. */
export const EVENT_TYPES = [
  "error",
  "push",
  "connect",
  "ready",
  "disconnect",
  "reconnecting",
  "close",
] as const satisfies readonly (keyof RedisEventMap)[];

/** Resolves with the next event of `type` on `redis`, or rejects after `ms`. */
export function nextEvent<K extends keyof RedisEventMap>(
  redis: Redis,
  type: K,
  ms = 10_000,
): Promise<RedisEventMap[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.removeEventListener(type, listener);
      reject(new Error(`no "${type}" event within ${ms} ms`));
    }, ms);
    const listener = (event: RedisEventMap[K]) => {
      clearTimeout(timer);
      redis.removeEventListener(type, listener);
      resolve(event);
    };
    redis.addEventListener(type, listener);
  });
}

/** Records every event of the given types, in order. */
export function recordEvents(
  redis: Redis,
  types: (keyof RedisEventMap)[],
): Event[] {
  const seen: Event[] = [];
  for (const type of types) {
    redis.addEventListener(type, (event: Event) => seen.push(event));
  }
  return seen;
}

/** Settles `promise` into a value-or-error record. */
export function outcome<T>(
  promise: Promise<T>,
): Promise<{ value: T } | { error: unknown }> {
  return promise.then((value) => ({ value }), (error: unknown) => ({ error }));
}

/** Waits until `condition()` holds, polling; fails after `ms`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Counts live timers created through the global setTimeout/setInterval while
 * installed (Deno's sanitizers do not report a timer left running). Dispose
 * to restore the globals.
 */
export class TimerTracker implements Disposable {
  readonly #live = new Set<unknown>();
  readonly #saved = {
    setTimeout: globalThis.setTimeout,
    clearTimeout: globalThis.clearTimeout,
    setInterval: globalThis.setInterval,
    clearInterval: globalThis.clearInterval,
  };

  constructor() {
    const saved = this.#saved;
    const live = this.#live;
    const patched = globalThis as unknown as Record<string, unknown>;
    patched.setTimeout = (fn: () => void, ms?: number) => {
      const id = saved.setTimeout(() => {
        live.delete(id);
        fn();
      }, ms);
      live.add(id);
      return id;
    };
    patched.clearTimeout = (id: unknown) => {
      live.delete(id);
      saved.clearTimeout(id as number);
    };
    patched.setInterval = (fn: () => void, ms?: number) => {
      const id = saved.setInterval(fn, ms);
      live.add(id);
      return id;
    };
    patched.clearInterval = (id: unknown) => {
      live.delete(id);
      saved.clearInterval(id as number);
    };
  }

  /** Timers started and neither fired (timeouts) nor cleared. */
  get live(): number {
    return this.#live.size;
  }

  [Symbol.dispose](): void {
    Object.assign(globalThis, this.#saved);
  }
}

/** Counts unhandled rejections while `fn` runs (they must stay at 0). */
export async function countUnhandled(fn: () => Promise<void>): Promise<number> {
  let count = 0;
  const onUnhandled = (event: PromiseRejectionEvent) => {
    count++;
    event.preventDefault();
  };
  globalThis.addEventListener("unhandledrejection", onUnhandled);
  try {
    await fn();
    // Let any rejection that is going to be unhandled surface.
    await new Promise((resolve) => setTimeout(resolve, 0));
  } finally {
    globalThis.removeEventListener("unhandledrejection", onUnhandled);
  }
  return count;
}
