/**
 * `partnersim workshop [--out FILE.html] [--open]`: write the workshop page, one
 * self-contained HTML file that runs the simulator in the browser (workshop/html.ts),
 * and optionally open it in the default browser.
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../../sim/errors.js';
import { writeFileAtomic } from '../../analysis/output/atomic.js';
import { buildWorkshopHtml, DEFAULT_OUT } from '../../workshop/html.js';

export interface WorkshopArgs {
  out?: string;
  open?: boolean;
}

/** Write the page; returns what to print. */
export function workshopCommand(a: WorkshopArgs): string {
  const out = resolve(a.out ?? DEFAULT_OUT);
  if (!/\.html?$/i.test(out)) throw InputError.at(a.out, '--out', 'expected a file name ending in .html');
  const dir = dirname(out);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw InputError.at(a.out, '--out', `the folder ${dir} does not exist; expected a file in an existing folder`);
  if (existsSync(out) && statSync(out).isDirectory()) throw InputError.at(a.out, '--out', 'is a folder; expected a file name ending in .html');
  const html = buildWorkshopHtml();
  writeFileAtomic(out, html);
  if (a.open) openInBrowser(out);
  return `Wrote the workshop page to ${out} (${(html.length / 1e6).toFixed(1)} MB, works offline). Open it in Chrome, Edge or Firefox.`;
}

/** Hand the file to the system's default browser (detached; we do not wait for it). */
function openInBrowser(file: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [file]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', file]] : ['xdg-open', [file]];
  const child = spawn(cmd, args as string[], { detached: true, stdio: 'ignore' });
  child.on('error', () => process.stderr.write(`Could not open a browser (${cmd}); open ${file} yourself.\n`));
  child.unref();
}
