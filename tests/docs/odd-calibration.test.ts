/**
 * docs/ODD.md's statements about what is fitted, what is an input and what is a
 * check agree exactly with the code: the targets file's kinds, the fit's free
 * parameters, and the parameter table's "calibrated" column.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { oddPath } from '../../scenarios/write-docs.js';
import { listSpecs } from '../../sim/params.js';
import { FREE_PARAMETERS } from '../../analysis/calibration/evaluate.js';
import { loadTargets, momentsInJ } from '../../analysis/calibration/targets.js';

const odd = readFileSync(oddPath(), 'utf8');

/** Rows of the markdown table between two markers, as arrays of trimmed cells (header and rule dropped). */
function tableRows(start: string, end: string): string[][] {
  const a = odd.indexOf(start);
  const b = odd.indexOf(end);
  expect(a, `${start} in docs/ODD.md`).toBeGreaterThanOrEqual(0);
  expect(b).toBeGreaterThan(a);
  const lines = odd
    .slice(a + start.length, b)
    .split('\n')
    .filter((l) => l.startsWith('|'));
  return lines.slice(2).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
}

const unquote = (c: string): string => c.replace(/^`|`$/g, '');

describe('docs/ODD.md calibration section agrees with the code', () => {
  it('lists every target with its kind, exactly as scenarios/calibration/targets.yaml has them', () => {
    const documented = tableRows('<!-- calibration-targets:start -->', '<!-- calibration-targets:end -->').map((r) => [unquote(r[0]), r[1]]);
    const code = loadTargets().map((t) => [t.id, t.kind]);
    expect([...documented].sort()).toEqual([...code].sort());
  });

  it('marks as dependent (out of J) exactly the targets the code leaves out of J', () => {
    const rows = tableRows('<!-- calibration-targets:start -->', '<!-- calibration-targets:end -->');
    const outOfJ = rows.filter((r) => r[1] === 'fitted' && /left out of J/.test(r[4])).map((r) => unquote(r[0]));
    const inJ = new Set(momentsInJ(loadTargets()).map((t) => t.id));
    const code = loadTargets()
      .filter((t) => t.kind === 'fitted' && !inJ.has(t.id))
      .map((t) => t.id);
    expect(outOfJ.sort()).toEqual(code.sort());
  });

  it('names, for each input, the parameter the code says is set from it', () => {
    const rows = new Map(tableRows('<!-- calibration-targets:start -->', '<!-- calibration-targets:end -->').map((r) => [unquote(r[0]), r[4]]));
    for (const t of loadTargets().filter((x) => x.kind === 'input')) {
      for (const p of t.setBy!) expect(rows.get(t.id), t.id).toContain(`\`${p}\``);
    }
  });

  it('lists exactly the fitted parameters, with their boxes and the targets that inform them', () => {
    const rows = tableRows('<!-- fitted-parameters:start -->', '<!-- fitted-parameters:end -->');
    expect(rows.map((r) => unquote(r[0]))).toEqual(FREE_PARAMETERS.map((f) => f.path));
    rows.forEach((r, k) => {
      const f = FREE_PARAMETERS[k];
      expect(r[1]).toBe(`${f.lower} to ${f.upper}`);
      expect(r[2].split(',').map((c) => unquote(c.trim()))).toEqual(f.informedBy);
    });
  });

  it('every fitted parameter is informed only by targets that enter J, and every target in J informs one', () => {
    const inJ = new Set(momentsInJ(loadTargets()).map((t) => t.id));
    for (const f of FREE_PARAMETERS) for (const id of f.informedBy) expect(inJ.has(id), `${f.path} <- ${id}`).toBe(true);
    const used = new Set(FREE_PARAMETERS.flatMap((f) => f.informedBy));
    for (const id of inJ) expect(used.has(id), id).toBe(true);
  });

  it('no parameter an input target sets is also fitted', () => {
    const fitted = new Set(FREE_PARAMETERS.map((f) => f.path));
    for (const t of loadTargets().filter((x) => x.kind === 'input')) for (const p of t.setBy!) expect(fitted.has(p), p).toBe(false);
  });
});

describe('the parameter table says "calibrated" for exactly the fitted parameters', () => {
  it('sim/params.ts marks calibrated exactly the fit\'s free parameters, and no other source claims calibration', () => {
    const fitted = new Set(FREE_PARAMETERS.map((f) => f.path));
    const marked = listSpecs()
      .filter(({ spec }) => spec.kind === 'number' && spec.calibrated === true)
      .map(({ path }) => path);
    expect([...marked].sort()).toEqual([...fitted].sort());
    for (const { path, spec } of listSpecs()) {
      if (!fitted.has(path)) expect(spec.source, path).not.toMatch(/(^|[;.(]\s*)calibrated\b|calibrated (to|so)\b/i);
    }
  });

  it('docs/ODD.md\'s parameter table has "yes" in its calibrated column for exactly those', () => {
    const a = odd.indexOf('<!-- parameters:start -->');
    const b = odd.indexOf('<!-- parameters:end -->');
    const rows = odd
      .slice(a, b)
      .split('\n')
      .filter((l) => l.startsWith('| `'))
      .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
    const yes = rows.filter((r) => r[r.length - 1] === 'yes').map((r) => unquote(r[0]));
    expect(yes.sort()).toEqual(FREE_PARAMETERS.map((f) => f.path).sort());
  });
});
