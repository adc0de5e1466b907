/**
 * What the workshop page lets a facilitator change, in plain English: one control per
 * policy lever the NAO report discusses (ranges, units and paragraph citations come
 * from the parameter table, sim/params.ts), the scenario file the controls stand for,
 * and the command line that reruns it. Pure: shared by the page and its tests.
 */
import { stringify } from 'yaml';
import { PARAM_TREE, type NumSpec, type Params } from '../sim/params.js';
import type { Doc } from '../scenarios/resolve.js';

/** One setting of a lever (its switch, its start year, or a strength/share). */
export interface LeverSetting {
  /** Key inside the lever, e.g. `enabled`, `startYear`, `strength`. */
  key: string;
  kind: 'switch' | 'year' | 'number';
  label: string;
  min?: number;
  max?: number;
  step?: number;
  unit?: string;
}

/** One lever as shown on the page. */
export interface LeverControl {
  /** Key under `levers` in a scenario file. */
  id: keyof Params['levers'];
  /** What switching it on means, in plain English. */
  label: string;
  /** What it represents, one or two sentences. */
  help: string;
  /** The report's paragraph(s), from the parameter table. */
  cite: string;
  settings: LeverSetting[];
}

/** Plain-English wording per lever (the parameter table holds ranges, units and sources). */
const WORDING: Record<string, { label: string; help: string; extra?: Record<string, string> }> = {
  incentiveHighPerformers: {
    label: 'Reward higher-performing schools for sharing expertise',
    help: 'Higher performers partner less because they see no need; an incentive (for example Ofsted judging partnership work) makes them keener.',
    extra: { strength: 'How strong the incentive is' },
  },
  fundingWithdrawn: {
    label: 'Withdraw dedicated funding for partnering initiatives',
    help: 'Grants that paid for partnership work end; partnerships that relied on them may stop.',
    extra: { share: 'Share of the grants withdrawn' },
  },
  costBenefitReview: {
    label: 'Schools review each partnership’s costs and benefits',
    help: 'Schools regularly check each partnership and stop those whose costs outweigh the benefits.',
    extra: { intervalYears: 'Years between reviews', daysPerPoint: 'Staff days judged worth one attainment point', daysPerExclusionAvoided: 'Staff days judged worth one exclusion avoided' },
  },
  clearObjectives: {
    label: 'Every partnership sets clear, measurable objectives',
    help: 'Partnerships agree what they want to achieve and how they will know, which the report links to success.',
  },
  governorOversight: {
    label: 'Governors oversee partnership work',
    help: 'Governors ask for succession plans and limits on staff time, so partnerships survive the loss of a key person.',
  },
  mandatedPairing: {
    label: 'Pair weak schools with strong ones by mandate',
    help: 'The weakest schools are paired with a strong school that leads, without waiting for trust to build.',
    extra: { share: 'Share of the weakest quarter of schools paired' },
  },
  statutoryBehaviourPartnerships: {
    label: 'Make behaviour partnerships statutory',
    help: 'Every school must be in a behaviour partnership; some of these only move excluded pupils around rather than working together.',
    extra: { administrativeShare: 'Share that are administrative only' },
  },
  exclusionCostProtocol: {
    label: 'Charge excluding schools for pupil referral unit places',
    help: 'Every local authority charges schools that exclude for the place a pupil then needs (the Tower Hamlets protocol).',
  },
  imposedForms: {
    label: 'Impose one standard form of partnership',
    help: 'A standard partnership form is imposed instead of leaving schools free to choose what suits them locally.',
  },
};

/** The report's reference for a lever, e.g. "NAO report, para 21e". */
function citation(source: string): string {
  const m = /\[([^\]]+)\]/.exec(source);
  if (!m) return source;
  const refs = m[1];
  const para = /^[\d.]+[a-z]?(,\s*[\d.]+[a-z]?)*$/.test(refs) ? `${refs.includes(',') ? 'paras' : 'para'} ${refs}` : refs;
  const rest = source.slice(m.index + m[0].length).replace(/^[:\s]+/, '');
  return `NAO report, ${para}${rest ? ` (${rest})` : ''}`;
}

/** Every policy lever the report discusses (the counterfactuals, no-partnering and stop-partnering, are not levers: no-partnering always runs as the reference). */
export function leverControls(): LeverControl[] {
  const levers = PARAM_TREE.levers as unknown as Record<string, Record<string, NumSpec | { kind: 'boolean'; source: string }>>;
  const out: LeverControl[] = [];
  for (const [id, w] of Object.entries(WORDING)) {
    const specs = levers[id];
    const settings: LeverSetting[] = [{ key: 'enabled', kind: 'switch', label: w.label }, { key: 'startYear', kind: 'year', label: 'Starts in' }];
    for (const [key, spec] of Object.entries(specs)) {
      if (key === 'enabled' || key === 'startYear') continue;
      const s = spec as NumSpec;
      const max = key === 'strength' ? Math.min(s.max, 2) : s.max;
      settings.push({ key, kind: 'number', label: w.extra?.[key] ?? key, min: s.min, max, step: s.max - s.min > 3 ? 0.1 : 0.05, unit: s.unit });
    }
    out.push({ id: id as LeverControl['id'], label: w.label, help: w.help, cite: citation(specs.enabled.source), settings });
  }
  return out;
}

/** The academic year as people say it: 2009 -> "2009-10". */
export function academicYear(y: number): string {
  return `${y}-${String((y + 1) % 100).padStart(2, '0')}`;
}

/** Settings of a workshop run besides the scenario. */
export interface WorkshopSettings {
  seed: number;
  schools: number;
  years: number;
  reps: number;
}

/** Name of the scenario the page builds from the controls. */
export const POLICY_NAME = 'workshop-policy';

/**
 * The scenario file the controls stand for: the starting point (`extends` a built-in,
 * or a loaded file's own parameters) with every lever set as on the page.
 */
export function policyDocument(start: { extends?: string; parameters?: Doc }, levers: Params['levers'], description: string): Doc {
  const doc: Doc = { version: 1, name: POLICY_NAME, description };
  if (start.extends) doc.extends = start.extends;
  if (start.parameters && Object.keys(start.parameters).length) doc.parameters = start.parameters;
  const ls: Doc = {};
  for (const c of leverControls()) ls[c.id] = { ...(levers[c.id] as unknown as Doc) };
  doc.levers = ls;
  return doc;
}

/** The scenario as YAML text (what "Download scenario" saves). */
export function policyYaml(doc: Doc): string {
  return `# A partnersim scenario saved from the workshop page.\n# Rerun it: see the command on the page (partnersim compare --scenarios FILE ...).\n${stringify(doc, { lineWidth: 0 })}`;
}

/** The command line that reproduces the page's numbers with the scenario saved as `file`. */
export function commandLine(file: string, s: WorkshopSettings): string {
  return `npx partnersim compare --scenarios ${file} --reps ${s.reps} --seed ${s.seed} --schools ${s.schools} --years ${s.years} --json`;
}
