/**
 * A progress bar on stderr, drawn only when stderr is a terminal (never in pipes,
 * files or CI logs): done/total, rate and time left.
 */
export class Progress {
  private readonly start = Date.now();
  private last = 0;
  private readonly enabled: boolean;

  constructor(
    private readonly total: number,
    private readonly label: string,
    private readonly unit = 'steps',
    stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.enabled = Boolean(stream.isTTY) && total > 0;
    this.stream = stream;
  }
  private readonly stream: NodeJS.WriteStream;

  /** Report `done` of `total`; redraws at most ten times a second. */
  update(done: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100 && done < this.total) return;
    this.last = now;
    const secs = (now - this.start) / 1000;
    const rate = done / Math.max(secs, 1e-3);
    const left = rate > 0 ? (this.total - done) / rate : 0;
    const width = 28;
    const fill = Math.round((width * done) / this.total);
    const bar = '#'.repeat(fill) + '-'.repeat(width - fill);
    this.stream.write(`\r${this.label} [${bar}] ${done}/${this.total} ${this.unit}  ${rate.toFixed(1)}/s  ${fmtTime(left)} left `);
  }

  /** Clear the line. */
  done(): void {
    if (this.enabled) this.stream.write('\r\x1b[2K');
  }
}

function fmtTime(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.ceil(s)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.ceil(s - m * 60)).padStart(2, '0')}s`;
}
