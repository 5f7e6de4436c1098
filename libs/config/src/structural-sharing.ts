/**
 * Structural sharing across refreshes: `next`, with every part that equals the same part of
 * `previous` replaced by that part, so a consumer compares by identity (`next.tenants[1] ===
 * previous.tenants[1]`) and rebuilds only what changed (one tenant's credential, not all).
 * Plain objects and arrays are compared part by part, a class instance by its `equals` method
 * (AddressRanges), anything else by `===`. Pure.
 */
export function shareUnchanged<T>(previous: T, next: T): T {
  return share(previous, next) as T;
}

function share(previous: unknown, next: unknown): unknown {
  if (previous === next) return previous;
  if (Array.isArray(previous) && Array.isArray(next)) {
    const before: readonly unknown[] = previous;
    const parts = next.map((item: unknown, i) =>
      i < before.length ? share(before[i], item) : item,
    );
    return parts.length === before.length && parts.every((p, i) => p === before[i])
      ? previous
      : parts;
  }
  if (isPlainObject(previous) && isPlainObject(next)) {
    const keys = Object.keys(next);
    const parts: Record<string, unknown> = {};
    for (const key of keys) parts[key] = share(previous[key], next[key]);
    const same =
      keys.length === Object.keys(previous).length &&
      keys.every((key) => key in previous && parts[key] === previous[key]);
    return same ? previous : parts;
  }
  if (hasEquals(previous) && hasEquals(next) && previous.constructor === next.constructor) {
    return previous.equals(next) ? previous : next;
  }
  return next;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function hasEquals(value: unknown): value is { equals(other: unknown): boolean } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { equals?: unknown }).equals === 'function'
  );
}
