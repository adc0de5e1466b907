/**
 * Canonical JSON (object keys sorted), for hashes and cache keys. In a module of its own,
 * with no imports, so the workers (Node and browser) can use it without loading the
 * scenario validator.
 */
export function canonicalJson(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonicalJson).join(',')}]`;
  if (typeof x === 'object' && x !== null) {
    return `{${Object.keys(x)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((x as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(x);
}
