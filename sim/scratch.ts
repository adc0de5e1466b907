/**
 * One scratch buffer per thread for the passes that need a large temporary and never
 * run at the same time: the yearly compaction (compact.ts) and the trust table's
 * repack (trust-table.ts). It is kept from call to call and replaced by a larger one
 * only when a call needs more, so these passes leave no garbage behind, and sharing it
 * means the process holds the larger of their needs rather than the sum. Views taken
 * from it are valid only until the next call of either pass.
 */
let buf = new ArrayBuffer(0);

/** The shared scratch buffer, at least `bytes` long. */
export function scratchBuffer(bytes: number): ArrayBuffer {
  if (buf.byteLength < bytes) buf = new ArrayBuffer(Math.ceil(bytes * 1.25));
  return buf;
}
