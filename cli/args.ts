/**
 * Checks on command-line values that yargs does not make itself: counts must be
 * whole numbers in range. Failures are InputErrors (exit code 2) naming the option.
 */
import { InputError } from '../sim/errors.js';

/** A whole number from `min` to `max`, or an InputError naming the option. */
export function wholeNumber(option: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw InputError.at(undefined, `--${option}`, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** A text seed, given explicitly with `--seed-string` (the CLI wraps it so it is never mistaken for a number). */
export interface SeedText {
  seedString: string;
}

/** Longest text seed. */
export const SEED_TEXT_MAX = 64;

/**
 * A seed (issue 14, item 12). `--seed` takes a whole number from 0 to 2^53 - 1,
 * normalised (`1.0`, `01` and `1` are the same seed, 1); anything else is an
 * InputError. A text seed must be asked for with `--seed-string` (which the CLI
 * passes as a {@link SeedText}): 1 to 64 printable characters, used as written.
 * Undefined gives the default seed, 1.
 */
export function seedValue(value: unknown): number | string {
  if (value === undefined) return 1;
  if (typeof value === 'object' && value !== null && typeof (value as SeedText).seedString === 'string') {
    const t = (value as SeedText).seedString;
    if (t.length === 0 || t.length > SEED_TEXT_MAX || /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/.test(t)) {
      throw InputError.at(undefined, '--seed-string', `expected 1 to ${SEED_TEXT_MAX} printable characters, got ${JSON.stringify(t.length > 80 ? t.slice(0, 80) + '...' : t)}`);
    }
    return t;
  }
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\s*\d+(\.0*)?\s*$/.test(value)) {
    const n = Number(value);
    if (Number.isSafeInteger(n)) return n;
  }
  const shown = typeof value === 'string' && value.length > 80 ? JSON.stringify(value.slice(0, 80) + '...') : JSON.stringify(value);
  throw InputError.at(undefined, '--seed', `expected a whole number from 0 to ${Number.MAX_SAFE_INTEGER} (e.g. --seed 7), got ${shown}; for a text seed use --seed-string TEXT`);
}
