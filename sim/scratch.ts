/**
 * One scratch buffer per thread for the passes that need a large temporary and never
 * run at the same time: the yearly compaction (compact.ts) and the trust table's
 * repack (trust-table.ts). It is kept from call to call and replaced by a larger one
 * only when a call needs more, so these passes leave no garbage behind, and sharing it
 * means the process holds the larger of their needs rather than the sum. Views taken
 * from it are valid only until the next call of either pass.
 */
let buf = new ArrayBuffer(0);

/**
 * Make the buffer at least `bytes` long now (a State reserves what its passes will need,
 * generously, once: pages never written cost no memory, and growing later would leave
 * each smaller buffer behind as garbage until a full collection).
 */
export function reserveScratch(bytes: number): void {
  if (buf.byteLength < bytes) buf = new ArrayBuffer(bytes);
}

/**
 * Reserve what a world of n schools needs (world generation, set-up, compaction, trust
 * repacks: about 22 bytes a school are written in a default run), generously, so that
 * the buffer is allocated once for a run.
 */
export function reserveScratchFor(n: number): void {
  reserveScratch(n * 64 + 262144);
}

/** The shared scratch buffer, at least `bytes` long. */
export function scratchBuffer(bytes: number): ArrayBuffer {
  if (buf.byteLength < bytes) buf = new ArrayBuffer(Math.ceil(bytes * 1.25));
  return buf;
}

/** What a resizable ArrayBuffer (ES2024) adds; absent where the platform has none. */
interface MaybeResizable {
  readonly resizable?: boolean;
  resize?(bytes: number): void;
}
const Resizable = ArrayBuffer as unknown as new (bytes: number, options: { maxByteLength: number }) => ArrayBuffer & MaybeResizable;

/**
 * A buffer for a temporary that lives across steps but not to the end of a run (the spin-up's window sums): a resizable
 * ArrayBuffer, whose memory releaseBuffer gives back to the operating system at once (resized to nothing, V8 decommits
 * its pages), where a dropped buffer would stay resident until a full collection, which a run that allocates next to
 * nothing may never do. Where resizable buffers are unsupported the option is ignored: a plain buffer, left to the collector.
 */
export function releasableBuffer(bytes: number): ArrayBuffer {
  return new Resizable(bytes, { maxByteLength: bytes });
}

/** Give a releasableBuffer's memory back now; views of it read as empty from then on. */
export function releaseBuffer(buf: ArrayBuffer): void {
  const b = buf as ArrayBuffer & MaybeResizable;
  if (b.resizable === true && typeof b.resize === 'function') b.resize(0);
}
