import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { oddPath, withTable } from '../../scenarios/write-docs.js';
import { listSpecs } from '../../sim/params.js';

const odd = readFileSync(oddPath(), 'utf8');

describe('docs/ODD.md', () => {
  it('covers the seven elements of the ODD protocol (Grimm et al. 2020)', () => {
    for (const heading of ['## 1. Purpose and patterns', '## 2. Entities, state variables and scales', '## 3. Process overview and scheduling', '## 4. Design concepts', '## 5. Initialization', '## 6. Input data', '## 7. Submodels']) {
      expect(odd).toContain(heading);
    }
  });

  it('has a current parameter table with every parameter (run `npm run docs` to regenerate)', () => {
    expect(withTable(odd)).toBe(odd);
    for (const { path } of listSpecs()) expect(odd).toContain(`| \`${path}\` |`);
  });

  it('describes every mechanism file of sim/', () => {
    for (const f of ['need.ts', 'formation.ts', 'trust.ts', 'effects.ts', 'costs.ts', 'funding.ts', 'people.ts', 'exclusions.ts', 'inspection.ts', 'dissolution.ts', 'policy.ts']) expect(odd).toContain(f);
  });
});
