// The waits several parts share: a pause that an abort signal can cut short,
// a wait for a promise bounded by a time, and one cut short by a signal. Both clear their timer, so
// nothing is left pending once they settle.

/**
 * Waits `ms`, or rejects with the signal's reason once it aborts.
 *
 * @param ms Milliseconds.
 * @param signal Cuts the wait short.
 * @returns Resolves after `ms`.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal === undefined) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Resolves once `promise` settles (either way), or after `ms`, whichever is
 * first.
 *
 * @param promise What to wait for.
 * @param ms The longest wait.
 * @returns Resolves, never rejects.
 */
export function within(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    promise.then(done, done);
  });
}

/**
 * Settles as `promise` does, or rejects with the signal's reason once it
 * aborts first.
 *
 * @param promise What to wait for.
 * @param signal Cuts the wait short.
 * @returns What `promise` resolves to.
 */
export function abortable<T>(
  promise: Promise<T>,
  signal: AbortSignal,
): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() =>
      signal.removeEventListener("abort", onAbort)
    );
  });
}
