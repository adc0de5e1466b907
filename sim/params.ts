/**
 * Every model parameter and policy lever, with its default, range, unit and source.
 *
 * This table is the one home for parameters: defaults, scenario validation, the
 * shipped JSON Schema, the sweep parameter names and docs/ODD.md all derive from it.
 * "NAO" means the National Audit Office report *Partnering for school improvement*
 * (HC 822, July 2009); the bracketed number is its paragraph, figure or case example.
 * "Assumed" marks a modelling choice with no published figure behind it; "calibrated"
 * marks a value fitted to the report's survey figures (see docs/ODD.md).
 */

export interface NumSpec {
  readonly kind: 'number';
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly unit: string;
  readonly integer?: boolean;
  readonly description: string;
  readonly source: string;
  readonly calibrated?: boolean;
}
export interface BoolSpec {
  readonly kind: 'boolean';
  readonly default: boolean;
  readonly description: string;
  readonly source: string;
}
export type Spec = NumSpec | BoolSpec;

function num(
  def: number,
  min: number,
  max: number,
  unit: string,
  description: string,
  source: string,
  extra: { integer?: boolean; calibrated?: boolean } = {},
): NumSpec {
  return { kind: 'number', default: def, min, max, unit, description, source, ...extra };
}
function bool(def: boolean, description: string, source: string): BoolSpec {
  return { kind: 'boolean', default: def, description, source };
}
function lever<E extends Record<string, NumSpec>>(description: string, source: string, startYear: number, extra: E = {} as E): { enabled: BoolSpec; startYear: NumSpec } & E {
  return {
    enabled: bool(false, `Turn the lever on: ${description}`, source),
    startYear: num(startYear, 1990, 2100, 'academic year (2009 = 2009-10)', 'Year the lever takes effect (autumn term).', source),
    ...extra,
  };
}

const CAL = { calibrated: true } as const;

/** The parameter tree. Leaves are specs; groups are plain objects. */
export const PARAM_TREE = {
  spinup: {
    years: num(20, 0, 100, 'years', 'Years simulated before autumn 2007, from a world with no partnerships, to build the 2007 stock of partnerships, their trust and their accumulated effects. Levers do not act in it (except noPartnering), so the 2007 state is the same whichever policy follows.', 'Assumed; long against the improvement stocks\' half-life (effects.persistenceYears, 6 years) and partnership lifetimes, so the stocks are near equilibrium in 2007 (docs/ODD.md, Initialisation).', { integer: true }),
    windowYears: num(6, 0.5, 50, 'years', 'Years of the spin-up over which each school\'s yearly improvement gains are averaged to set its improvement stocks to their equilibrium (gain / (1 - fade)).', 'Assumed; analytic spin-up of slow stocks (docs/ODD.md, Initialisation).'),
    settleYears: num(3, 0, 50, 'years', 'Years the spin-up runs on after the stocks are set to equilibrium, so need, formation and outcomes settle around them.', 'Assumed.'),
  },
  world: {
    las: num(150, 1, 100000, 'local authorities', 'Local authorities at 3,300 schools; scaled in proportion to --schools.', 'About 150 LAs in England in 2009 (MODEL.md; DCSF).', { integer: true }),
    meanPupils: num(1000, 100, 3000, 'pupils', 'Mean pupils per secondary school.', 'About 3.3 million secondary pupils in about 3,300 schools (DCSF Schools, Pupils and their Characteristics, 2008).'),
    fsmMean: num(0.13, 0.01, 0.6, 'share of pupils', 'National pupil-level share eligible for free school meals.', 'About 13% (issue brief; DCSF Schools, Pupils and their Characteristics, 2008).'),
    fsmLaSpread: num(0.55, 0, 2, 'logit SD', 'Spread of FSM between LAs (clustering by LA).', 'Assumed; gives the right-skewed, LA-clustered FSM distribution.'),
    fsmSchoolSpread: num(0.65, 0, 2, 'logit SD', 'Spread of FSM between schools within an LA.', 'Assumed.'),
    absenceMean: num(0.06, 0.01, 0.3, 'share of sessions', 'Mean absence rate (1 - attendance).', 'About 6% (issue brief; DCSF absence statistics 2007/08).'),
    senMean: num(0.18, 0, 0.6, 'share of pupils', 'Mean share of pupils with special educational needs.', 'Assumed, near DCSF SEN in England 2008 (about one pupil in five).'),
    attainmentFsmSlope: num(-38, -100, 0, 'points per unit FSM share', 'Attainment at 14 falls with the FSM share of the intake.', 'Assumed; gives a school-level correlation near -0.6 (attainment strongly and negatively related to FSM: issue brief).'),
    attainmentQualitySd: num(6, 0, 20, 'points', 'Spread of attainment from school quality (the part CVA measures).', 'Assumed; between-school SD of attainment about 10 points on the model scale.'),
    primariesPerSecondary: num(5.1, 0, 20, 'primaries', 'Mean feeder primaries per secondary.', 'About 16,900 primaries and 3,300 secondaries (DCSF 2008).'),
    fixedTermPerYear: num(300000, 0, 1e7, 'exclusions per year nationally', 'Fixed-term exclusions a year across state secondaries at 3,300 schools (scaled with pupils).', 'About 300,000 (issue brief; DCSF exclusion statistics 2007/08).'),
    fsmExclusionRatio: num(3, 1, 10, 'ratio', 'How much more likely an FSM pupil is to be excluded than a non-FSM pupil.', 'About 3x (issue brief; DCSF exclusion statistics).'),
    permanentPerThousand: num(2, 0, 20, 'per 1,000 pupils per year', 'Permanent exclusion rate.', 'About 0.2% of secondary pupils (DCSF exclusion statistics 2007/08); assumed to that precision.'),
    daysPerFixedTerm: num(2.5, 0.5, 15, 'school days', 'Mean length of a fixed-term exclusion.', 'Assumed (DCSF reports most fixed-term exclusions last a day or two).'),
    ofstedOutstanding: num(0.19, 0, 1, 'share of schools', 'Share judged outstanding for learner progress at the start.', 'About 19% outstanding overall in 2008/09 (issue brief; Ofsted Annual Report 2008/09).'),
    ofstedInadequate: num(0.04, 0, 1, 'share of schools', 'Share judged inadequate for learner progress at the start.', 'About 4% inadequate overall (issue brief; Ofsted Annual Report 2008/09).'),
    ofstedGood: num(0.38, 0, 1, 'share of schools', 'Share judged good for learner progress at the start.', 'Assumed (Ofsted 2008/09: most remaining schools good or satisfactory).'),
    behaviourInadequate: num(0.05, 0, 1, 'share of schools', 'Share with inadequate behaviour in a world before partnering: sets the Ofsted behaviour cut point.', 'Input, set by `partnersim calibrate` (bisection) so the baseline at the survey date has NAO [3.2]\'s 2% (partnering has improved behaviour by then).'),
    behaviourSatisfactory: num(0.3664, 0, 1, 'share of schools', 'Share with satisfactory behaviour in a world before partnering: sets the Ofsted behaviour cut point.', 'Input, set by `partnersim calibrate` (bisection) so the baseline at the survey date has NAO [3.2]\'s further 26% no better than satisfactory.'),
    behaviourOutstanding: num(0.3, 0, 1, 'share of schools', 'Share with outstanding behaviour at the start.', 'Assumed.'),
    staffDaysPerTerm: num(30, 0, 200, 'staff days per term', 'Mean staff time a school can give to partnering.', 'Assumed, set by hand (not fitted): staff time is what limits how many partnerships a school holds (the most cited barrier, NAO [3.14]); at 20 days a term no setting of the fitted parameters reached NAO [2.5]\'s three attainment partnerships per partnering school.'),
    staffingSd: num(0.25, 0, 2, 'log SD', 'Spread of the persistent staffing factor on the staff time a school can give to partnering (vacancies, turnover, budget pressure).', 'Assumed; lack of staff time is the most cited barrier, NAO [3.14].'),
    staffingPersistence: num(0.6, 0, 0.99, 'autocorrelation per year', 'Year-to-year autocorrelation of the staffing factor.', 'Assumed.'),
    keyPersonShare: num(0.5455, 0, 1, 'share of schools', 'Schools whose partnership work rests on a few key people.', 'Fitted (partnersim calibrate) to NAO [2.20]: 23% of partnerships would fail if certain individuals left.', CAL),
    laSupportedShare: num(0.6, 0, 1, 'share of LAs', 'LAs whose support schools are satisfied with.', 'NAO [2.11]: 60% satisfied, 15% dissatisfied.'),
  },
  need: {
    attainmentScale: num(10, 0.5, 50, 'points', 'Attainment shortfall (below the national mean) that counts as strong need.', 'Assumed; need drives joining, NAO [7, 2.12].'),
    behaviourScale: num(0.5, 0.05, 5, 'log rate ratio', 'Excess exclusion rate (log ratio to national) that counts as strong need.', 'Assumed; NAO [7, 2.12].'),
    baseline: num(0.15, 0, 1, 'probability-like', 'Need felt by a school with no problem (curiosity, sharing expertise).', 'Assumed; schools without problems mostly see no reason to join, NAO [2.13, 2.14].'),
    fsmWeight: num(1, 0, 5, 'need units per SD of FSM', 'Weight of deprivation (the FSM share, in SDs across schools) in both kinds of need.', 'Assumed; schools join in response to local need and low-FSM schools partner less, NAO [7, 14, 2.6, 2.12].'),
    highPerformerDiscount: num(0.5, 0, 5, 'need units', 'How much less need a higher performer (NAO footnote 1 definition) feels: it sees no reason to join.', 'Assumed; NAO [2.6, 2.13-2.14].'),
    crossWeight: num(0, 0, 3, 'weight', 'Share of the attainment shortfall that also counts as behaviour need (deprivation, which drives both, already enters both through need.fsmWeight).', 'Assumed 0: schools join behaviour partnerships for behaviour problems and deprivation, NAO [7, 2.12, 2.14].'),
    notAnIssue: num(0.168, 0, 1, 'need', 'Attainment need below which a school says attainment is "not an issue".', 'Input, set by `partnersim calibrate` (bisection) from NAO [2.13]: 37% of non-partnering schools said attainment is not an issue; a survey threshold used nowhere else.'),
  },
  formation: {
    initiationRate: num(0.7986, 0, 1, 'per term', 'Chance a school at full need starts a partnership in a term.', 'Fitted to NAO [2.2, 2.5]: 80% of schools in an attainment partnership, about three each.', CAL),
    opennessSd: num(1.807, 0, 3, 'log SD', 'Spread between schools of their disposition to partner at all (leadership, local culture): makes the two kinds of partnering go together and leaves some schools out of both.', 'Calibrated to NAO [2.2, Figure 2]: 60% in both kinds, 13% in neither.', CAL),
    bothShare: num(1.218, 0, 2, 'probability per unit need', 'Chance a new partnership takes both focuses, per unit of the initiator\'s other need.', 'Calibrated to NAO [2.2, Figure 2]: about 60% of schools in both kinds.', CAL),
    candidates: num(8, 1, 50, 'schools', 'Local candidates an initiator considers.', 'Tomasello et al. (arXiv 1712.01755): invitations among a local pool; partner choice is local, NAO [2.12].', { integer: true }),
    maxRefusals: num(3, 1, 50, 'refusals', 'Refusals after which the initiator stops inviting.', 'Tomasello et al. (arXiv 1712.01755).', { integer: true }),
    neighbourShare: num(0.15, 0, 1, 'share', 'Share of candidates drawn from a neighbouring LA rather than the own LA.', 'Assumed; partners are mostly in the same LA, NAO [2.12].'),
    largeShare: num(0.3459, 0, 1, 'share', 'Share of new attainment partnerships that are large networks (10+ secondaries).', 'Calibrated to NAO [2.8]: 18% of most effective partnerships have 10 or more secondaries.', CAL),
    smallMeanExtra: num(1.743, 0, 10, 'schools', 'Mean secondaries beyond two in a small partnership (geometric).', 'Calibrated to NAO [2.8]: 67% of most effective partnerships have 5 or fewer secondaries.', CAL),
    primaryShare: num(0.3724, 0, 1, 'share', 'Share of attainment partnerships that include feeder primaries (transition).', 'Fitted to NAO [2.9]: six member organisations per attainment partnership (that over 40% of most effective partnerships include primaries, NAO [12], is a check).', CAL),
    otherOrgShare: num(0.4, 0, 1, 'share', 'Share of partnerships including another kind of organisation (LA, business, charity).', 'NAO [2.8]: 40% of the most effective include another kind of organisation.'),
    acceptThreshold: num(0.186, -2, 2, 'utility', 'Net expected benefit a candidate needs to accept an invitation.', 'Tomasello et al. (arXiv 1712.01755); assumed (the survey figures do not identify it apart from the initiation rates).'),
    trustWeight: num(0.6, 0, 5, 'utility per unit trust', 'Weight of prior trust in accepting a partner.', 'Klos & Nooteboom (2001); NAO [13].'),
    complementarityWeight: num(0.3, 0, 5, 'utility per SD', 'Weight of a partner being stronger than oneself.', 'Scheinert et al. (2017).'),
    coordinationCost: num(0.02, 0, 5, 'utility per partnership held', 'Cost of each partnership already held when deciding to accept.', 'Tomasello et al. (arXiv 1712.01755); NAO [3.14].'),
    behaviourConvening: num(0.8, 0, 5, 'utility', 'Extra acceptance utility when invited to a behaviour partnership: LAs convene them and the Department expected every school in one, so schools join beyond their own behaviour need.', 'NAO [2.3, 2.4, 2.9]: the Department counted 97% of schools in Behaviour and Attendance Partnerships; some LAs put all their schools in one; assumed size.'),
    networkConvening: num(0.15, 0, 5, 'utility', 'Extra acceptance utility when invited to a large (10+ secondaries) attainment network convened by the LA.', 'Assumed; NAO [2.8, 2.11].'),
    maxPerSchool: num(8, 1, 16, 'partnerships', 'Most partnerships a school can hold at once.', 'Assumed; a school has limited time, NAO [16, 2.24].', { integer: true }),
    behaviourInitiationRate: num(0.1494, 0, 1, 'per term', 'Chance a school at full behaviour need starts a behaviour partnership in a term.', 'Fitted to NAO [2.2]: 65% of schools in a behaviour partnership.', CAL),
    shareResources: num(0.3, 0, 1, 'share', 'Share of new partnerships whose members share staff, facilities or documents from the start (more come to share as trust grows: trust.sharingTrust).', 'Assumed; NAO [2.15].'),
    writtenObjectives: num(0.69, 0, 1, 'share', 'Share of partnerships with written objectives.', 'NAO [3.17]: 69% written.'),
    writtenGovernance: num(0.34, 0, 1, 'share', 'Share with a written governance document.', 'NAO [2.16]: 34%.'),
  },
  trust: {
    initial: num(0.45, 0, 1, 'trust (0-1)', 'Trust between schools that have not worked together.', 'Assumed (Klos & Nooteboom 2001).'),
    imposedInitial: num(0.2, 0, 1, 'trust (0-1)', 'Starting trust in a partnership imposed without prior trust.', 'NAO [13]: imposed partnerships start less effectively.'),
    gain: num(0.06, 0, 1, 'per good interaction', 'Trust gain alpha: t <- t + alpha (1 - t).', 'Klos & Nooteboom (2001).'),
    sharingGain: num(1.6, 1, 5, 'multiplier', 'Extra trust gain when members share resources.', 'NAO [13]: informal sharing builds trust.'),
    breach: num(0.6, 0, 1, 'multiplier', 'Trust after a breach: t <- beta t.', 'Klos & Nooteboom (2001).'),
    breachRate: num(0.02, 0, 1, 'per interaction', 'Chance an interaction is a breach in a reciprocal partnership.', 'Assumed.'),
    oneSidedBreachRate: num(0.12, 0, 1, 'per interaction', 'Chance of a breach where one school is cast as leader of others.', 'NAO [Case Example 6]: lack of reciprocity breeds tension.'),
    reciprocityBreach: num(0.07, 0, 1, 'per interaction per SD of quality gap', 'Extra chance an interaction is a breach, per SD of the gap in quality between the two schools: the further apart, the more one gives and the other takes.', 'NAO [Case Example 6]: lack of reciprocity, one school cast as leader of others, breeds tension; assumed size.'),
    sharingTrust: num(0.6, 0, 1, 'trust (0-1)', 'Trust above which a partnership whose members do not yet share resources may start to.', 'NAO [13, 2.15]: trust built by working together leads to sharing staff, facilities and documents; assumed level.'),
    sharingAdoptPerYear: num(0.3, 0, 10, 'per year', 'Rate at which a trusted partnership (trust above sharingTrust) comes to share resources.', 'NAO [13, 2.15]; assumed rate.'),
    informalRate: num(0.1, 0, 1, 'per school per term', 'Chance a school shares informally with a neighbour in a term.', 'NAO [13].'),
    decayPerYear: num(0.1, 0, 1, 'per year', 'Drift of unused trust back towards the initial level.', 'Assumed.'),
    endThreshold: num(0.35, 0, 1, 'trust (0-1)', 'Partnerships whose trust (running mean) falls below this end, once older than the effect lag (partners give a partnership time to build trust).', 'Gorobets & Nooteboom (2004); assumed.'),
    memoryYears: num(0.5, 0.01, 10, 'years', 'Time over which a partnership\'s trust is judged: its trust is a running mean of its members\' recent interactions with this half-life.', 'Assumed; trust is built and lost over time, NAO [13].'),
  },
  effects: {
    lagYears: num(1, 0, 10, 'years', 'Time before a partnership starts to raise outcomes.', 'NAO [Figure 3, 3.9]: effects grow with duration.'),
    rampYears: num(3, 0.1, 20, 'years', 'Time for an effect to approach its full size after the lag.', 'Assumed; effects grow with age and trust.'),
    attainmentPerYear: num(0.25, 0, 10, 'points per year', 'Attainment gain a year from a mature, trusted attainment partnership, for a school one SD below its partners.', 'Prior (assumed), not calibrated: sign and shape from NAO [Figure 3, 3.9], size from evidence outside the report (MODEL.md; Chapman & Muijs 2014).'),
    behaviourOnAttainment: num(0.45, 0, 10, 'points per year', 'Attainment gain a year from being in a behaviour partnership (a calmer school loses less teaching).', 'NAO [Figure 3]: being in a behaviour partnership went with better attainment; assumed size, within the evidence outside the report (MODEL.md: Behaviour Improvement Programme clusters).'),
    behaviourPerYear: num(0.015, 0, 1, 'log exclusion rate per year', 'Fall in exclusion propensity a year from a mature behaviour partnership.', 'Prior (assumed), not calibrated: sign from NAO [Figure 3], size from evidence outside the report (MODEL.md: Hallam et al. 2005; fixed-term exclusions barely move under exclusion protocols and managed moves).'),
    attainmentOnBehaviour: num(0.006, 0, 1, 'log exclusion rate per year', 'Fall in exclusion propensity from a mature attainment partnership.', 'NAO [Figure 3]: duration of attainment partnership went with better behaviour.'),
    sharingMultiplier: num(3.5, 1, 5, 'multiplier', 'Effect multiplier when members share resources (joint work with shared staff and facilities rather than meetings alone).', 'NAO [13, Figure 3, 3.9]: sharing resources builds trust and effective joint work; assumed size (light-touch networks are mostly null, MODEL.md).'),
    objectivesMultiplier: num(1.15, 1, 3, 'multiplier', 'Effect multiplier with clear (written, SMART) objectives.', 'Assumed; NAO [20a].'),
    baseGain: num(0.3, 0, 2, 'share of full effect', 'Share of the effect a school gets regardless of partners being stronger (peer support).', 'Assumed.'),
    sharedBaseGain: num(0.9, 0, 2, 'share of full effect', 'Share of the effect every member of a partnership that shares resources gets regardless of partners being stronger (replaces baseGain there).', 'NAO [2.15, Figure 3, 3.9]: shared staff, facilities and documents serve every member school, so sharing went with better outcomes among partnering schools whatever their starting point; assumed size (3 x baseGain).'),
    persistenceYears: num(6, 0.5, 50, 'years', 'Half-life of gains after the partnership that produced them ends.', 'Assumed.'),
    fundedMultiplier: num(1.25, 1, 5, 'multiplier', 'Effect multiplier while a dedicated grant runs: the resources it buys (cover, materials, a coordinator).', 'Assumed; area programmes with extra money showed gains, Excellence in Cities (MODEL.md); NAO [1.4, 2.19].'),
    otherOrgMultiplier: num(1.1, 1, 3, 'multiplier', 'Effect multiplier when another kind of organisation (LA, business, charity) takes part.', 'Assumed; NAO [2.8]: 40% of the most effective include another kind of organisation.'),
    transitionPoints: num(0.3, 0, 5, 'points', 'Attainment gain for a secondary from a mature transition partnership with its primaries.', 'Assumed; NAO [12, 2.10].'),
    attendanceSlope: num(60, 0, 300, 'points per unit attendance', 'Attainment gained per unit of attendance rate.', 'Assumed; attendance predicted all five outcomes, NAO [3.9].'),
    attendanceShockSd: num(0.015, 0, 0.1, 'share of sessions', "Stationary SD of a school's year-to-year swings in attendance about its own level (illness, cohorts).", 'Assumed; attendance predicted all five outcomes among partnering schools, NAO [Figure 3, 3.9].'),
    attendanceReversion: num(1.5, 0.05, 10, 'per year', "Rate at which a school's attendance swing reverts to its own level.", 'Assumed (a swing lasts about a year).'),
    attendanceLagYears: num(1.5, 0.05, 10, 'years', 'Attainment at 14 reflects attendance over the key stage: the attendance it responds to is an average of past attendance with this time constant.', 'Assumed (Key Stage 3 is three years; mean lag about a year and a half); NAO [3.9].'),
    qualityDrift: num(0.15, 0, 2, 'per year', 'Mean reversion of school quality to its own level.', 'Assumed.'),
    qualityNoise: num(0.15, 0, 2, 'SD per year', 'Year-to-year shocks to school quality.', 'Assumed.'),
    cohortNoise: num(1.5, 0, 10, 'points', 'Cohort-to-cohort noise in measured attainment.', 'Assumed.'),
  },
  costs: {
    attainmentDays: num(3, 0, 50, 'staff days per term', 'Settled staff time of an attainment partnership per member.', 'Assumed; costs are mostly staff time, NAO [16, 2.24].'),
    behaviourDays: num(2, 0, 50, 'staff days per term', 'Settled staff time of a behaviour partnership per member.', 'Assumed; NAO [2.24].'),
    startupMultiplier: num(2.5, 1, 10, 'multiplier', 'Extra staff time when a partnership is new.', 'NAO [16, 2.24, Case Example 5]: costs highest at the start.'),
    settleYears: num(1, 0.1, 10, 'years', 'Time for start-up costs to fall away.', 'NAO [Case Example 5].'),
    staffDayCost: num(250, 0, 2000, 'GBP per staff day', 'Cost of a day of staff time.', 'Assumed (a teacher day including on-costs, 2008 prices).'),
    grantPerYear: num(15000, 0, 1e6, 'GBP per partnership per year', 'Dedicated grant to a grant-funded partnership.', 'Assumed; total spend on initiatives featuring partnering about £400m a year, NAO [1.4].'),
    governanceDays: num(0.3, 0, 20, 'staff days per term', 'Extra staff time per member of keeping a written governance document.', 'Assumed; NAO [2.16].'),
  },
  funding: {
    ownBudget: num(0.37, 0, 1, 'share', 'Partnerships funded from the school budget alone.', 'NAO [Figure 14]: 37%.'),
    grantToSchool: num(0.19, 0, 1, 'share', 'Funded by a grant to the school.', 'NAO [Figure 14]: 19%.'),
    grantToPartnership: num(0.18, 0, 1, 'share', 'Funded by a grant to the partnership.', 'NAO [Figure 14]: 18%.'),
    several: num(0.16, 0, 1, 'share', 'Funded from several sources.', 'NAO [Figure 14]: 16%.'),
    other: num(0.07, 0, 1, 'share', 'Other funding.', 'NAO [Figure 14]: 7%.'),
    grantYears: num(3, 0.3, 20, 'years', 'Mean length of a dedicated grant.', 'Assumed (initiative funding typically for three years).'),
    continueShare: num(0.35, 0, 1, 'share', 'Partnerships that continue when dedicated funding ends.', 'NAO [2.19]: 35%.'),
    seekShare: num(0.33, 0, 1, 'share', 'Partnerships that continue only if other funding is found.', 'NAO [2.19]: about a third.'),
    endShare: num(0.08, 0, 1, 'share', 'Partnerships that end when dedicated funding ends.', 'NAO [2.19]: 8%.'),
    findFunding: num(0.5, 0, 1, 'probability', 'Chance a partnership seeking other funding finds it.', 'Assumed.'),
    staffCover: num(0.3, 0, 1, 'share', 'Share of members\' staff time on the partnership that a running dedicated grant pays cover for.', 'Assumed; costs are mostly staff time, NAO [16, 2.24]; grants fund initiatives that feature partnering, NAO [1.4].'),
  },
  people: {
    turnoverPerYear: num(0.12, 0, 1, 'per year', 'Chance a school\'s key partnering person leaves in a year.', 'Assumed (headteacher and senior staff turnover).'),
    fragileShare: num(0.6617, 0, 1, 'share', 'Chance a partnership coordinated from a key-person school would fail if that person left.', 'Assumed; with world.keyPersonShare (fitted) it gives the 23% of partnerships that would fail if key people left, NAO [2.20].'),
    trustLoss: num(0.8, 0, 1, 'multiplier', 'Trust kept by surviving partnerships when a key person leaves.', 'Assumed.'),
    governanceSuccession: num(0.5, 0, 1, 'share', 'Share of the key-person risk removed when a partnership has a written governance document (succession is written down).', 'Assumed; NAO [2.16, 2.20].'),
  },
  dissolution: {
    hazardPerYear: num(0.06, 0, 1, 'per year', 'Background chance a new partnership ends in a year.', 'Assumed; older ties are less likely to decay.'),
    hazardHalvingYears: num(3, 0.1, 50, 'years', 'Age at which the background hazard has halved.', 'Assumed.'),
    hazardFloorPerYear: num(0.1397, 0, 1, 'per year', 'Background hazard that remains at any age (schools and priorities change), so no partnership is immortal.', 'Fitted to NAO [2.7]: the age mix of most effective partnerships (41% 5+ years, 11% under 1 year).', CAL),
    overloadTolerance: num(1.2, 1, 5, 'ratio', 'Staff-time use over budget at which a school drops a partnership.', 'Assumed; too many partnerships dilute each one, NAO [3.14].'),
    objectivesMetRate: num(0.3, 0, 1, 'per year', 'Yearly chance that a partnership with written objectives whose members no longer have the need it was formed for ends, its objectives met.', 'Assumed; NAO [3.17].'),
    objectivesMetNeed: num(0.3, 0, 1, 'need', 'Mean member need (on the partnership\'s focus) below which its objectives count as met.', 'Assumed.'),
  },
  exclusions: {
    pruDayCost: num(100, 0, 1000, 'GBP per day', 'Cost of a Pupil Referral Unit place.', 'NAO [2.25]: about £100 a day.'),
    pruDaysPerPermanent: num(60, 0, 400, 'days', 'PRU days following a permanent exclusion.', 'Assumed.'),
    shortPlacementCharge: num(3345, 0, 1e5, 'GBP', 'Charge to the excluding school for a short PRU placement under the protocol.', 'NAO [2.25, Figure 15]: £3,345.'),
    managedMoveCharge: num(6345, 0, 1e5, 'GBP', 'Charge with a managed move.', 'NAO [2.25, Figure 15]: £6,345.'),
    permanentCharge: num(8685, 0, 1e5, 'GBP', 'Charge after a permanent exclusion.', 'NAO [2.25, Figure 15]: £8,685.'),
    costElasticity: num(0.1577, 0, 5, 'per £1,000', 'Fall in log exclusion propensity per £1,000 the school must pay per exclusion.', 'Input, in closed form from NAO [Case Example 2]: exp(-costElasticity x 3.345) = 0.59, the 41% first-year fall in days lost.'),
    permanentDiscretion: num(0.3417, 0, 1, 'share', 'Share of permanent exclusions that respond to their cost (the rest are for incidents no charge prevents).', 'Input, in closed form from NAO [Case Example 2]: permanent exclusions fell from 51 to 38 under the £8,685 charge.'),
    behaviourPartnershipShare: num(0.1, 0, 1, 'share', 'Share of permanent exclusions avoided by managed moves within a behaviour partnership.', 'NAO [2.4, Case Example 2].'),
  },
  inspection: {
    cycleYears: num(3, 0.5, 10, 'years', 'Mean time between Ofsted inspections.', 'Ofsted section 5 cycle, at most three years (2005-2009).'),
    noise: num(0.5, 0, 3, 'SD (latent units)', 'Inspection noise around the school\'s underlying quality.', 'Assumed.'),
    partnershipCredit: num(0.3, 0, 3, 'latent units', 'Credit in the grade for working in partnership, once Ofsted judges it.', 'NAO [21e]: from September 2009 Ofsted planned to judge partnership work.'),
  },
  levers: {
    incentiveHighPerformers: lever('higher performers are rewarded (e.g. by Ofsted) for sharing expertise', 'NAO [21e]', 2009, {
      strength: num(0.6, 0, 5, 'need units', 'Extra willingness of higher performers to partner.', 'Assumed; NAO [21e].'),
    }),
    statutoryBehaviourPartnerships: lever('every school must be in a behaviour partnership', 'NAO [2.2]: statutory from 2010', 2010, {
      administrativeShare: num(0.5, 0, 1, 'share', 'Share of statutory partnerships that are administrative (moving excluded pupils) rather than joint work.', 'NAO [10, 2.4].'),
    }),
    fundingWithdrawn: lever('dedicated funding for initiatives featuring partnering ends', 'NAO [2.19]', 2010, {
      share: num(1, 0, 1, 'share', 'Share of dedicated grants withdrawn.', 'NAO [2.19].'),
    }),
    costBenefitReview: lever('schools review each partnership and stop those whose costs outweigh benefits', 'NAO [20c]', 2009, {
      intervalYears: num(1, 0.3, 10, 'years', 'Time between reviews.', 'NAO [20c].'),
      daysPerPoint: num(60, 0, 10000, 'staff days per attainment point', 'Staff days a reviewer judges one lasting point of attainment at 14 (for one school) worth.', 'Assumed valuation (documented in docs/ODD.md); overridable.'),
      daysPerExclusionAvoided: num(1, 0, 100, 'staff days per exclusion', 'Staff days a reviewer judges one fixed-term exclusion avoided worth (meetings, reintegration, lost teaching).', 'Assumed valuation (documented in docs/ODD.md); overridable.'),
    }),
    clearObjectives: lever('every partnership sets clear, measurable objectives', 'NAO [20a]', 2009),
    governorOversight: lever('governors oversee partnership work: succession plans and staff-time limits', 'NAO [20b]', 2009),
    imposedForms: lever('a standard partnership form is imposed instead of local freedom', 'NAO [20d]', 2009),
    mandatedPairing: lever('weak schools are paired with strong ones without prior trust, the strong one leading', 'NAO [Case Example 6]', 2009, {
      share: num(0.5, 0, 1, 'share', 'Share of the weakest quartile paired.', 'Assumed.'),
    }),
    exclusionCostProtocol: lever('every LA charges excluding schools for PRU places (Tower Hamlets protocol)', 'NAO [2.25, Figure 15, Case Example 2]', 2009),
    noPartnering: {
      enabled: bool(false, 'Turn the lever on: no partnership ever, from the start of the spin-up (the counterfactual: same schools, same shocks, never partnered).', 'Model counterfactual'),
    },
    stopPartnering: lever('every partnership ends at the start year and no new ones form', 'Model counterfactual', 2007),
  },
} as const;

type ValuesOf<T> = {
  -readonly [K in keyof T]: T[K] extends NumSpec ? number : T[K] extends BoolSpec ? boolean : ValuesOf<T[K]>;
};
/** Resolved parameter values: the tree with each spec replaced by its value. */
export type Params = ValuesOf<typeof PARAM_TREE>;

/** Is this node a leaf spec? */
export function isSpec(node: unknown): node is Spec {
  return typeof node === 'object' && node !== null && 'kind' in node && ((node as Spec).kind === 'number' || (node as Spec).kind === 'boolean');
}

/** Every leaf with its dotted path, in tree order. */
export function listSpecs(): { path: string; spec: Spec }[] {
  const out: { path: string; spec: Spec }[] = [];
  const walk = (node: Record<string, unknown>, prefix: string): void => {
    for (const [k, v] of Object.entries(node)) {
      const path = prefix ? `${prefix}.${k}` : k;
      if (isSpec(v)) out.push({ path, spec: v });
      else walk(v as Record<string, unknown>, path);
    }
  };
  walk(PARAM_TREE as unknown as Record<string, unknown>, '');
  return out;
}

/** A fresh copy of the defaults. */
export function defaultParams(): Params {
  const build = (node: Record<string, unknown>): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) o[k] = isSpec(v) ? v.default : build(v as Record<string, unknown>);
    return o;
  };
  return build(PARAM_TREE as unknown as Record<string, unknown>) as Params;
}

/**
 * A copy of p for the engine: every group's keys in the parameter tree's order, in
 * objects with fast properties. Parameter sets are built by keyed stores (defaultParams,
 * scenario merges), which leave some groups as dictionaries whose every read in the step
 * loop is a hash lookup, and in different key orders from scenario to scenario, so the
 * same code would see several shapes. A structured clone of the ordered tree gives plain
 * fast objects, and every copy the same shapes.
 */
export function engineParams(p: Params): Params {
  const order = (node: Record<string, unknown>, src: Record<string, unknown>): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(node)) o[k] = isSpec(node[k]) ? src[k] : order(node[k] as Record<string, unknown>, (src[k] ?? {}) as Record<string, unknown>);
    return o;
  };
  return structuredClone(order(PARAM_TREE as unknown as Record<string, unknown>, p as unknown as Record<string, unknown>)) as Params;
}

/** Read a value by dotted path (undefined if absent). */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const k of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** Set a value by dotted path (the groups must exist). */
export function setPath(obj: unknown, path: string, value: unknown): void {
  const keys = path.split('.');
  let cur = obj as Record<string, unknown>;
  for (let i = 0; i < keys.length - 1; i++) cur = cur[keys[i]] as Record<string, unknown>;
  cur[keys[keys.length - 1]] = value;
}

/** The spec at a dotted path, or undefined. */
export function specAt(path: string): Spec | undefined {
  const node = getPath(PARAM_TREE, path);
  return isSpec(node) ? node : undefined;
}
