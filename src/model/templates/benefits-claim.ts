/**
 * A second worked example: a new claim for help with rent and council tax
 * (Housing Benefit / Council Tax Reduction) at a council benefits service,
 * before and after a redesign. Before: a paper form, evidence asked for by
 * letter, every assessment signed off, about six weeks end to end (the kind
 * of figure worse-performing councils report for new claims). After: the
 * claim is taken in one conversation with the evidence seen there and then,
 * and the claimant hears the decision the next day.
 *
 * Figures are illustrative but consistent: the measures they give are written
 * out in test/unit/templates.test.ts. The capability series (twenty claims
 * each, around 42 days before and 7 after) are illustrative too.
 */
import { MINUTES_PER_DAY as D } from '../time';
import type { BoardSpec } from './build';

const purpose = {
  statement: 'Pay the right benefit to the right person, from when they need it',
  whatMatters: [
    'Let me claim once',
    'Tell me everything you need from me at the start',
    'Pay me before the rent is due',
  ],
};

const valueDemand = [
  { words: 'I want to claim help with my rent', demandClass: 'value', count: 180, predictable: true },
  { words: 'I want to claim help with my council tax', demandClass: 'value', count: 80, predictable: true },
  { words: 'My circumstances have changed', demandClass: 'value', count: 140, predictable: true },
] as const;

export const benefitsClaimBefore: BoardSpec = {
  purpose,
  period: 'one week',
  lanes: ['Customer services', 'Assessment team', 'Team leader', 'Payments'],
  // Failure 420 of 820 = 51.2%.
  demand: [
    ...valueDemand,
    { words: 'Have you got my form yet?', demandClass: 'failure', count: 150, predictable: true },
    { words: "I've already sent you that", demandClass: 'failure', count: 120, predictable: true },
    { words: 'When will I be paid?', demandClass: 'failure', count: 90, predictable: true },
    { words: "I don't understand your letter", demandClass: 'failure', count: 60, predictable: true },
  ],
  // Lanes: 0 Customer services, 1 Assessment team, 2 Team leader, 3 Payments.
  steps: [
    {
      label: 'Take enquiry, post out a claim form',
      lane: 0,
      stepClass: 'waste',
      wasteType: 'admin',
      pt: 10,
      lt: 3 * D,
      ca: 70,
      customerContact: true,
    },
    {
      label: 'Scan the form and re-key it into the benefits system',
      lane: 0,
      stepClass: 'waste',
      wasteType: 'duplication',
      pt: 5,
      lt: 2 * D,
      ca: 90,
      customerContact: false,
    },
    {
      label: 'Check the form for missing evidence',
      lane: 1,
      stepClass: 'waste',
      wasteType: 'check',
      pt: 15,
      lt: 6 * D,
      ca: 50,
      customerContact: false,
    },
    {
      label: 'Write to the claimant for more evidence',
      lane: 1,
      stepClass: 'waste',
      wasteType: 'rework',
      pt: 10,
      lt: 14 * D,
      ca: 70,
      customerContact: true,
    },
    {
      label: 'Verify evidence of identity, income and rent',
      lane: 1,
      stepClass: 'waste',
      wasteType: 'check',
      pt: 20,
      lt: 4 * D,
      ca: 80,
      customerContact: false,
    },
    { label: 'Assess entitlement', lane: 1, stepClass: 'value', pt: 40, lt: 5 * D, ca: 85, customerContact: false },
    {
      label: 'Sign off the assessment',
      lane: 2,
      stepClass: 'waste',
      wasteType: 'approval',
      pt: 5,
      lt: 3 * D,
      ca: 90,
      customerContact: false,
    },
    {
      label: 'Send the decision letter',
      lane: 1,
      stepClass: 'value',
      pt: 10,
      lt: 2 * D,
      ca: 85,
      customerContact: true,
    },
    { label: 'Set up payment', lane: 3, stepClass: 'value', pt: 10, lt: 3 * D, ca: 95, customerContact: false },
  ],
  flow: [
    [1, 2],
    [2, 3],
    [3, 4],
    [4, 5],
    [5, 6],
    [6, 7],
    [7, 8],
    [8, 9],
    // Evidence not acceptable: ask for it again.
    [5, 4, 'rework'],
    // Assessment sent back by the team leader.
    [7, 6, 'rework'],
  ],
  // Demand numbers: 4 form, 5 already sent, 6 when paid, 7 letter.
  conditions: [
    { label: 'Claims only on a paper form', conditionType: 'procedure', causesSteps: [1, 2], causesDemand: [4] },
    {
      label: 'Evidence rules: originals only, checked in the back office',
      conditionType: 'eligibility',
      causesSteps: [3, 5],
      causesDemand: [5],
    },
    {
      label: 'Processing-time target starts when all evidence is in',
      conditionType: 'target',
      causesSteps: [4],
    },
    { label: 'Team leader signs off every assessment', conditionType: 'procedure', causesSteps: [7] },
    {
      label: 'Front office takes calls, back office does the work',
      conditionType: 'structure',
      causesDemand: [6],
    },
    { label: 'Standard letters written by the benefits system', conditionType: 'it', causesDemand: [7] },
  ],
  // Illustrative: twenty claims, mean 42.6 d, limits 23.3–61.9 d.
  capability: {
    unit: 'days',
    values: [44, 38, 51, 40, 36, 47, 42, 39, 55, 41, 37, 45, 43, 48, 35, 40, 46, 42, 39, 44],
  },
  // Illustrative: eight weeks of new claims decided within 14 days.
  outcomes: [
    {
      name: 'New claims decided within 14 days, %',
      unit: 'percent',
      direction: 'higher-is-better',
      points: [
        { date: '2026-01-05', value: 9 },
        { date: '2026-01-12', value: 7 },
        { date: '2026-01-19', value: 11 },
        { date: '2026-01-26', value: 8 },
        { date: '2026-02-02', value: 6 },
        { date: '2026-02-09', value: 10 },
        { date: '2026-02-16', value: 9 },
        { date: '2026-02-23', value: 8 },
      ],
    },
  ],
};

export const benefitsClaimAfter: BoardSpec = {
  purpose,
  period: 'one week',
  lanes: ['Benefits team', 'Payments'],
  // The same value demand; failure 50 of 450 = 11.1%.
  demand: [
    ...valueDemand,
    { words: 'Have you got my form yet?', demandClass: 'failure', count: 20, predictable: true },
    { words: "I've already sent you that", demandClass: 'failure', count: 10, predictable: true },
    { words: 'When will I be paid?', demandClass: 'failure', count: 15, predictable: true },
    { words: "I don't understand your letter", demandClass: 'failure', count: 5, predictable: true },
  ],
  steps: [
    {
      label: 'Book a claim appointment on the first call',
      lane: 0,
      stepClass: 'value',
      pt: 5,
      lt: 2 * D,
      ca: 95,
      customerContact: true,
    },
    {
      label: 'Take the claim with the claimant, seeing evidence there and then',
      lane: 0,
      stepClass: 'value',
      pt: 45,
      lt: 45,
      ca: 90,
      customerContact: true,
    },
    {
      label: 'Wait for evidence the claimant did not have (only when needed)',
      lane: 0,
      stepClass: 'waste',
      wasteType: 'wait',
      pt: 5,
      lt: 3 * D,
      ca: 90,
      customerContact: true,
    },
    {
      label: 'Assess and tell the claimant the decision',
      lane: 0,
      stepClass: 'value',
      pt: 30,
      lt: 1 * D,
      ca: 95,
      customerContact: true,
    },
    { label: 'Set up payment', lane: 1, stepClass: 'value', pt: 10, lt: 1 * D, ca: 100, customerContact: false },
  ],
  flow: [
    [1, 2],
    [2, 3],
    [3, 4],
    [2, 4],
    [4, 5],
  ],
  conditions: [],
  // Illustrative: twenty claims, mean 7.15 d, limits 3.5–10.8 d.
  capability: { unit: 'days', values: [7, 8, 6, 7, 9, 7, 6, 8, 7, 7, 6, 8, 7, 9, 6, 7, 8, 7, 6, 7] },
  // Illustrative: eight weeks of new claims decided within 14 days.
  outcomes: [
    {
      name: 'New claims decided within 14 days, %',
      unit: 'percent',
      direction: 'higher-is-better',
      points: [
        { date: '2026-01-05', value: 82 },
        { date: '2026-01-12', value: 86 },
        { date: '2026-01-19', value: 84 },
        { date: '2026-01-26', value: 88 },
        { date: '2026-02-02', value: 85 },
        { date: '2026-02-09', value: 87 },
        { date: '2026-02-16', value: 86 },
        { date: '2026-02-23', value: 89 },
      ],
    },
  ],
};
