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

/** A seed: a whole number (or a short word, kept as text). */
export function seedValue(value: unknown): number | string {
  if (value === undefined) return 1;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  if (typeof value === 'string' && /^[\w.-]{1,64}$/.test(value)) return value;
  throw InputError.at(undefined, '--seed', `expected a whole number (or a short word of letters and digits), got ${JSON.stringify(value)}`);
}
