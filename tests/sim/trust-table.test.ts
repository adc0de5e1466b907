/**
 * The trust table's pool layout (trust-table.ts): partners are stored as 16-bit
 * differences from the owning school, and the first pair whose difference does not fit
 * widens the column to 32 bits without losing or changing any pair.
 */
import { describe, expect, it } from 'vitest';
import { blockSize, TrustTable } from '../../sim/trust-table.js';

describe('TrustTable partner column', () => {
  const decay = 1 - Math.pow(0.9, 1 / 3);

  it('keeps 16-bit partners while every difference fits, and widens once, keeping every pair, when one does not', () => {
    const t = new TrustTable(70000, 0.45, decay);
    // Differences at the edges of the 16-bit range: (0, 32767) is owned by 0 (even sum) and stored as +32767;
    // (1, 32768) is owned by 32768 (odd sum) and stored as -32767; (1, 32769) by 1 as +32768, which does not fit.
    const near: [number, number, number][] = [];
    for (let a = 0; a < 400; a++) near.push([a, a + 1 + ((a * 7) % 50), (a % 97) / 100]);
    near.push([0, 32767, 0.11], [32768, 1, 0.22], [40000, 7233, 0.33]);
    for (const [a, b, v] of near) t.set(a, b, 3, v);
    expect(t.partnerBytes).toBe(2);
    for (const [a, b, v] of near) expect(t.get(b, a, 3)).toBe(Math.fround(v));
    t.set(1, 32769, 3, 0.44);
    expect(t.partnerBytes).toBe(4);
    t.set(69999, 2, 4, 0.55);
    for (const [a, b, v] of near) expect(t.get(a, b, 3)).toBe(Math.fround(v));
    expect(t.get(32769, 1, 3)).toBe(Math.fround(0.44));
    expect(t.get(2, 69999, 4)).toBe(Math.fround(0.55));
    expect(t.has(1, 32768)).toBe(true);
    expect(t.has(0, 32768)).toBe(false);
    expect(t.size).toBe(near.length + 2);
    // Blocks keep growing and moving after the widening.
    for (let k = 0; k < 200; k++) t.set(5, 50000 + k, 5, k / 400);
    for (let k = 0; k < 200; k++) expect(t.get(50000 + k, 5, 5)).toBe(Math.fround(k / 400));
    for (const [a, b, v] of near) expect(t.get(a, b, 3)).toBe(Math.fround(v));
  });

  it('reports its memory from the partner width: 8 bytes an entry with 16-bit partners', () => {
    const t = new TrustTable(1000, 0.45, decay);
    expect(t.bytes).toBe(t.capacity * 8 + 1000 * 8); // per school: block offset and length (the block size is derived)
  });

  it('derives a block size from its length: the growth rule (4, then a quarter more, rounded up, each time a block fills) replayed', () => {
    // The rule as a stored size would follow it: a block of size c holding c entries moves to max(4, ceil(1.25 c)) on the next insert.
    let cap = 0;
    const seen = new Set<number>();
    for (let len = 0; len <= 20000; len++) {
      // len entries held: the block grew whenever it was full before an insert.
      expect(blockSize(len)).toBe(cap);
      seen.add(cap);
      if (len === cap) cap = Math.max(4, Math.ceil(cap * 1.25));
    }
    for (const c of [0, 4, 5, 7, 9, 12, 15, 19, 24, 30]) expect(seen.has(c)).toBe(true);
    expect(seen.has(6)).toBe(false);
  });

  it('keeps every pair through many repacks of a pool past 65,536 entries (offsets need both radix passes)', () => {
    const n = 3000;
    const t = new TrustTable(n, 0.45, decay);
    const ref = new Map<number, number>();
    let x = 7;
    const rand = (): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x / 2 ** 32;
    };
    for (let k = 0; k < 90000; k++) {
      const a = Math.floor(rand() * n);
      const b = (a + 1 + Math.floor(rand() * 60)) % n;
      const v = Math.fround(rand());
      t.set(a, b, 1, v);
      ref.set(Math.min(a, b) * n + Math.max(a, b), v);
    }
    expect(t.capacity).toBeGreaterThan(65536);
    expect(t.size).toBe(ref.size);
    for (const [key, v] of ref) expect(t.get(Math.floor(key / n), key % n, 1)).toBe(v);
    // The limit stays within a modest factor of the entries in use.
    expect(t.capacity).toBeLessThan(1.6 * t.size);
  });
});
