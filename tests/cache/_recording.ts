// A cached client whose store records when it processed each invalidation and
// flush, for tests that check reads against those times: connect() with the
// `cache` option, built from the same parts, around a recording store.

import { Redis, RedisErrorEvent } from "../../mod.ts";
import { CachingSink } from "../../lib/cache/sink.ts";
import { CacheStore } from "../../lib/cache/store.ts";
import { Tracking } from "../../lib/cache/tracking.ts";
import type { ConnectOptions } from "../../lib/options.ts";
import { resolveOptions } from "../../lib/resolve_options.ts";
import { Router } from "../../lib/routing/router.ts";

/** A store that logs, per key, when invalidations were processed. */
export class RecordingStore extends CacheStore {
  /** performance.now() of each processed invalidation, by key. */
  readonly invalidatedAt = new Map<string, number[]>();
  /** performance.now() of each flush. */
  readonly flushedAt: number[] = [];

  override invalidate(key: string): void {
    const now = performance.now();
    let times = this.invalidatedAt.get(key);
    if (times === undefined) this.invalidatedAt.set(key, times = []);
    times.push(now);
    super.invalidate(key);
  }

  override flush(): void {
    this.flushedAt.push(performance.now());
    super.flush();
  }

  /**
   * Whether an invalidation of `key` (or a flush) was processed strictly
   * between `from` and `to`.
   */
  invalidatedBetween(key: string, from: number, to: number): boolean {
    const inside = (t: number) => t > from && t < to;
    return (this.invalidatedAt.get(key) ?? []).some(inside) ||
      this.flushedAt.some(inside);
  }
}

/** A connected client with the cache on, and its recording store. */
export interface Recorded {
  readonly redis: Redis;
  readonly store: RecordingStore;
  /** The tracking, closed with the client. */
  close(): Promise<void>;
}

/** connect() with `options.cache` (default: true) around a RecordingStore. */
export async function connectRecorded(
  options: ConnectOptions,
): Promise<Recorded> {
  const resolved = resolveOptions({ cache: true, ...options });
  const cache = resolved.cache!;
  const router = await Router.open(resolved, resolved);
  const store = new RecordingStore(cache);
  const redis = new Redis(
    router,
    resolved.address,
    resolved.db,
    resolved.commandTimeout,
    router,
    resolved.captureCallSites,
    {
      store,
      serving: new CachingSink(router, store, true, cache.bcast),
      passing: new CachingSink(router, store, false, cache.bcast),
    },
  );
  let tracking: Tracking;
  try {
    tracking = await Tracking.start(
      router,
      store,
      resolved,
      { bcast: cache.bcast },
      (error) =>
        redis.dispatchEvent(new RedisErrorEvent(error, "CLIENT TRACKING")),
    );
  } catch (error) {
    await redis.close();
    throw error;
  }
  return {
    redis,
    store,
    close: async () => {
      await Promise.all([redis.close(), tracking.close()]);
    },
  };
}
