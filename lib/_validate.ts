// Checks that the option validators share: numbers of milliseconds, integer
// ranges, non-empty strings. Every failure is a TypeError or RangeError that
// names the option and the type (or, for numbers, the value) received, never
// a string value: it may be a secret.

/** The largest maxBulkLength accepted (Redis allows up to 4 GiB). */
export const MAX_BULK_LENGTH = 2 ** 32;
/** The smallest maxBufferedBytes accepted. */
export const MIN_BUFFERED_BYTES = 1024;
/** setTimeout fires after 1 ms for any longer delay. */
export const MAX_TIMEOUT = 2 ** 31 - 1;

/** Redis refuses names with characters outside `!`..`~` (CLIENT SETNAME). */
export const CLIENT_NAME = /^[!-~]+$/;
export const NAME_RULE = "must be non-empty printable ASCII without spaces";

/** Checks a positive number of milliseconds that setTimeout can honour. */
export function milliseconds(
  key: string,
  value: unknown,
  prefix = "Invalid connect options",
): void {
  if (value === undefined) return;
  if (typeof value !== "number") {
    throw new TypeError(
      `${prefix}: ${key} must be a number, received ${typeName(value)}`,
    );
  }
  if (!(value > 0 && value <= MAX_TIMEOUT)) {
    throw new RangeError(
      `${prefix}: ${key} must be a positive number of milliseconds up to ${MAX_TIMEOUT}, received ${value}`,
    );
  }
}

export function integer(
  key: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): void {
  if (value === undefined) return;
  if (typeof value !== "number") optionsError(`${key} must be a number`, value);
  if (Number.isInteger(value) && value >= min && value <= max) return;
  const rule = max !== Number.MAX_SAFE_INTEGER
    ? `an integer from ${min} to ${max}`
    : min === 0
    ? "a non-negative integer"
    : `an integer of at least ${min}`;
  rangeError(`${key} must be ${rule}`, value);
}

export function nonEmptyString(key: string, value: unknown): void {
  if (value === "") {
    optionsError(`${key} must be a non-empty string, received ""`);
  }
  if (value !== undefined && typeof value !== "string") {
    optionsError(`${key} must be a non-empty string`, value);
  }
}

export function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Throws a TypeError; names the type of `value` (never the value) if given. */
export function optionsError(detail: string, value?: unknown): never {
  if (value === undefined) {
    throw new TypeError(`Invalid connect options: ${detail}`);
  }
  throw new TypeError(
    `Invalid connect options: ${detail}, received ${typeName(value)}`,
  );
}

function typeName(value: unknown): string {
  return value === null
    ? "null"
    : Array.isArray(value)
    ? "array"
    : typeof value;
}

/** Throws a RangeError quoting `value`, a number (never a secret). */
export function rangeError(detail: string, value: number): never {
  throw new RangeError(`Invalid connect options: ${detail}, received ${value}`);
}
