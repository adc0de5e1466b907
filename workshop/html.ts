/**
 * Assembles the workshop page: ONE self-contained HTML file that runs from a USB stick
 * with no network. It inlines vega, vega-lite and vega-embed, the page script and the
 * Web Worker script bundled by `npm run build` (workshop/bundle.ts), and the built-in
 * scenario files as text; a Content-Security-Policy forbids any network access.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinDir } from '../scenarios/yaml-path.js';
import { builtinNames } from '../scenarios/loader.js';
import { browserBundlePaths, escapeHtml, jsonForScript } from '../analysis/report/html.js';
import { packageVersion } from '../analysis/output/manifest.js';
import { bundleDir } from './bundle.js';
import type { WorkshopSettings } from './levers.js';

/** Defaults of the page's run settings: England, 10 years, 20 replications (as `compare`). */
export const WORKSHOP_DEFAULTS: WorkshopSettings = { seed: 1, schools: 3300, years: 10, reps: 20 };

/** Quick mode: a smaller England and fewer replications, for an answer within seconds. */
export const QUICK = { schools: 600, reps: 8 };

/** Make a JavaScript text safe inside a <script> element. */
function inlineScript(js: string): string {
  return js.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\x21--');
}

/** Read a bundle built by `npm run build`, or say how to make it. */
function bundle(name: string): string {
  const file = join(bundleDir(), `${name}.js`);
  if (!existsSync(file)) throw new Error(`the workshop page's ${name} bundle is missing (${file}): run \`npm run build\` first`);
  return readFileSync(file, 'utf8');
}

const CSS = `
*{box-sizing:border-box}
html{font-size:18px}
body{margin:0;font-family:'DejaVu Sans',Verdana,sans-serif;color:#111;background:#fff;line-height:1.4}
header{padding:.5rem 1rem;border-bottom:3px solid #0072B2}
header h1{font-size:1.5rem;margin:.2rem 0}
header p{margin:.2rem 0}
.layout{display:grid;grid-template-columns:minmax(0,20rem) minmax(0,1fr);gap:1rem;padding:.3rem 1rem 1rem;align-items:start}
@media (max-width:56rem){.layout{grid-template-columns:minmax(0,1fr)}}
aside{min-width:0}
aside h2,#results h2.section{font-size:1.2rem;margin:.6rem 0 .3rem}
fieldset{border:1px solid #999;border-radius:6px;margin:.5rem 0;padding:.4rem .6rem;min-width:0}
fieldset.lever.on{border:2px solid #0072B2;background:#f2f8fc}
legend{font-weight:bold}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.switch{display:flex;gap:.5rem;align-items:flex-start}
.switch input{width:1.3rem;height:1.3rem;margin-top:.15rem;flex:none}
.switch label{font-weight:bold}
p.help{margin:.2rem 0 .3rem;color:#333}
.slider{display:flex;flex-direction:column;margin:.2rem 0}
.slider input{width:100%}
label{overflow-wrap:anywhere}
select,input,button{font:inherit}
select{max-width:100%;width:100%;padding:.2rem}
.field{display:flex;flex-wrap:wrap;gap:.3rem .6rem;align-items:center;margin:.3rem 0}
.field input[type=number]{width:7rem}
button{padding:.4rem .9rem;border:2px solid #0072B2;border-radius:6px;background:#fff;color:#00497a;cursor:pointer;margin:.2rem .3rem .2rem 0}
button.primary{background:#0072B2;color:#fff;font-weight:bold;font-size:1.1rem}
button:disabled{opacity:.45;cursor:default}
:focus-visible{outline:3px solid #D55E00;outline-offset:2px}
.buttons{display:flex;flex-wrap:wrap;gap:.2rem}
#toolbar{display:flex;flex-wrap:wrap;gap:.2rem 1rem;align-items:center;padding:.3rem 1rem;background:#fff;border-bottom:1px solid #ccc}
#toolbar .buttons{align-items:center}
#toolbar .progress{flex:1 1 20rem;min-width:0}
.check{display:inline-flex;gap:.4rem;align-items:center}
.check input{width:1.2rem;height:1.2rem}
progress{width:100%;height:1.1rem}
#status,#mode{margin:.2rem 0}
@media (min-width:56rem){#toolbar{position:sticky;top:0;z-index:5}aside{position:sticky;top:6.5rem;max-height:calc(100vh - 7rem);overflow-y:auto;padding-right:.4rem}}
#mode{font-weight:bold}
.note{background:#fff7e0;border-left:4px solid #E69F00;padding:.3rem .6rem;margin:.3rem 0}
.error{background:#fde8e4;border-left:4px solid #D55E00;padding:.3rem .6rem;margin:.3rem 0;overflow-wrap:anywhere}
#charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,20rem),1fr));gap:.8rem}
figure.card{margin:0;border:1px solid #bbb;border-radius:6px;padding:.4rem .6rem;min-width:0}
figure.card h2{font-size:1.1rem;margin:.1rem 0 .2rem}
p.sentence{margin:.1rem 0 .3rem;min-height:2.6em}
.vis{width:100%;min-width:0}
.vis svg{max-width:100%}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f4f4f4;border:1px solid #ccc;padding:.4rem;font-size:1rem}
#vg-tooltip-element{font-size:18px!important}
`;

/** The page's markup (controls filled in by the page script from the lever table). */
function body(version: string): string {
  return `<header>
<h1>What if schools partnered differently?</h1>
<p>Schools forming and ending partnerships, simulated after the National Audit Office report <em>Partnering for school improvement</em> (HC 822, 2009). partnersim ${escapeHtml(version)}; runs in this page, no internet needed.</p>
</header>
<div id="toolbar" role="region" aria-label="Run">
<div class="buttons">
<button type="button" id="run" class="primary">Run</button>
<button type="button" id="cancel" disabled>Cancel</button>
<span class="check"><input type="checkbox" id="quick"><label for="quick">Quick mode (600 schools, 8 replications: rough but fast)</label></span>
</div>
<div class="progress"><label for="progress" class="sr-only">Progress of the run</label><progress id="progress" value="0" max="1"></progress>
<p id="status" aria-live="polite">Nothing run yet: move the levers, then press Run.</p></div>
</div>
<div class="layout">
<aside aria-label="Policy levers and settings">
<h2>1. Start from</h2>
<div class="field"><label for="start">Starting scenario</label><select id="start"></select></div>
<div class="field"><label for="load">Or load a scenario file (.yaml)</label><input type="file" id="load" accept=".yaml,.yml,.json"></div>
<p id="loaded" aria-live="polite"></p>
<h2>2. Move the levers</h2>
<div id="levers"></div>
<h2>3. Settings</h2>
<div class="field"><label for="reps">Replications</label><input type="number" id="reps" min="1" max="10000" step="1"></div>
<div class="field"><label for="schools">Schools</label><input type="number" id="schools" min="2" max="100000" step="1"></div>
<div class="field"><label for="years">Years</label><input type="number" id="years" min="1" max="100" step="1"></div>
<div class="field"><label for="seed">Seed</label><input type="number" id="seed" min="0" step="1"></div>
<h2>4. Take it away</h2>
<div class="buttons">
<button type="button" id="show-command" aria-expanded="false" aria-controls="command-box">Show the command</button>
<button type="button" id="download">Download scenario</button>
</div>
<div id="command-box" hidden>
<p>Save the scenario with “Download scenario” as <code>workshop-policy.yaml</code>, then run:</p>
<pre id="command-text"></pre>
<p>It prints the same numbers as this page.</p>
</div>
</aside>
<main id="results" aria-label="Results">
<p id="mode">Press Run to simulate this policy against the baseline.</p>
<p id="stale" class="note" hidden>The levers have changed since this run: press Run to update.</p>
<p id="error" class="error" role="alert" hidden></p>
<div id="charts"></div>
<p>Every replication of the policy uses the same random numbers as the same replication of the baseline (common random numbers), so the differences shown are the policy's effect, not luck. Intervals are 95% intervals for the mean difference, computed by the same code as <code>partnersim compare</code>.</p>
</main>
</div>`;
}

/** Build the complete, self-contained workshop page. */
export function buildWorkshopHtml(): string {
  const paths = browserBundlePaths();
  const [vega, vegaLite, vegaEmbed] = [paths.vega, paths.vegaLite, paths.vegaEmbed].map((p) => readFileSync(p, 'utf8'));
  const page = bundle('page');
  const worker = bundle('worker');
  const builtins: Record<string, string> = {};
  for (const n of builtinNames()) builtins[n] = readFileSync(join(builtinDir(), `${n}.yaml`), 'utf8');
  const version = packageVersion();
  const data = { version, builtins, defaults: WORKSHOP_DEFAULTS, quick: QUICK };
  const csp =
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; worker-src blob:; style-src 'unsafe-inline'; " +
    "img-src data: blob:; font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'";
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="partnersim workshop ${escapeHtml(version)}">
<title>partnersim workshop: what if schools partnered differently?</title>
<style>${CSS}</style>
</head>
<body>
${body(version)}
<script type="application/json" id="workshop-data">${jsonForScript(data)}</script>
<script type="text/plain" id="worker-src">${inlineScript(worker)}</script>
<script>${inlineScript(vega)}</script>
<script>${inlineScript(vegaLite)}</script>
<script>${inlineScript(vegaEmbed)}</script>
<script>${inlineScript(page)}</script>
</body>
</html>
`;
}

/** File name for `--out` when none is given. */
export const DEFAULT_OUT = 'partnersim-workshop.html';
