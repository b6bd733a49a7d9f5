/** Values `freezeDeep` froze, and only those: `Object.isFrozen` cannot tell a shallow freeze apart. */
const frozenDeep = new WeakSet<object>();

/**
 * Freezes a JSON-like value (objects, arrays, strings, numbers, booleans, null) and everything in
 * it; the same value comes back, read-only.
 */
export function freezeDeep<T>(value: T): T {
  if (typeof value === "object" && value !== null && !frozenDeep.has(value)) {
    for (const inner of Object.values(value)) freezeDeep(inner);
    Object.freeze(value);
    frozenDeep.add(value);
  }
  return value;
}

/** Whether `freezeDeep` froze this value, so that nothing in it can change. */
export function isFrozenDeep(value: unknown): boolean {
  return typeof value === "object" && value !== null && frozenDeep.has(value);
}
