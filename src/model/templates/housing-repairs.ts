/**
 * The reference example of method.md: a council housing-repairs service
 * (after the published Portsmouth account), before and after its redesign.
 * Figures exactly as method.md gives them; step times are illustrative.
 *
 * The capability series are illustrative, not measured: twenty repairs each,
 * end-to-end days around method.md's 24 (before, with a wide spread) and
 * around 5 (after, narrow), so the capability chart has something to show.
 *
 * Each demand card shows a type of the example's demand study
 * (housing-repairs-study.ts, `studyType`), which holds exactly these counts:
 * the board's demand is the study's, counted once.
 */
import { MINUTES_PER_DAY as D } from '../time';
import type { BoardSpec } from './build';

const purpose = {
  statement: 'Do the right repair at the right time',
  whatMatters: ['Fix it first time', "Come when I'm in", "Don't make me chase"],
};

const valueDemand = [
  { words: 'I need a repair', demandClass: 'value', count: 420, predictable: true, studyType: 'repair' },
  {
    words: 'I need an adaptation to my home',
    demandClass: 'value',
    count: 30,
    predictable: true,
    studyType: 'adaptation',
  },
] as const;

export const housingRepairsBefore: BoardSpec = {
  purpose,
  period: 'one week',
  lanes: ['Contact centre', 'Repairs admin', 'Supervisor', 'Contractor'],
  // Failure 550 of 1,000 = 55%.
  demand: [
    ...valueDemand,
    { words: 'When are you coming?', demandClass: 'failure', count: 260, predictable: true, studyType: 'chasing' },
    {
      words: "The repair wasn't done properly",
      demandClass: 'failure',
      count: 150,
      predictable: true,
      studyType: 'not-done-properly',
    },
    { words: 'Nobody turned up', demandClass: 'failure', count: 90, predictable: true, studyType: 'no-show' },
    {
      words: "I'm reporting the same repair again",
      demandClass: 'failure',
      count: 50,
      predictable: true,
      studyType: 'repeat-report',
    },
  ],
  // Lanes: 0 Contact centre, 1 Repairs admin, 2 Supervisor, 3 Contractor.
  steps: [
    { label: 'Take repair call', lane: 0, stepClass: 'value', pt: 10, lt: 10, ca: 70, customerContact: true },
    {
      label: 'Code job to schedule of rates',
      lane: 0,
      stepClass: 'waste',
      wasteType: 'check',
      pt: 5,
      lt: 1 * D,
      ca: 60,
      customerContact: false,
    },
    {
      label: 'Pre-inspection visit',
      lane: 2,
      stepClass: 'waste',
      wasteType: 'check',
      pt: 45,
      lt: 5 * D,
      ca: 80,
      customerContact: true,
    },
    {
      label: 'Raise works order',
      lane: 1,
      stepClass: 'waste',
      wasteType: 'admin',
      pt: 10,
      lt: 2 * D,
      ca: 75,
      customerContact: false,
    },
    {
      label: 'Schedule contractor',
      lane: 1,
      stepClass: 'waste',
      wasteType: 'wait',
      pt: 5,
      lt: 4 * D,
      ca: 80,
      customerContact: false,
    },
    { label: 'Visit and diagnose', lane: 3, stepClass: 'value', pt: 30, lt: 3 * D, ca: 90, customerContact: true },
    {
      label: 'Order parts, book return visit',
      lane: 3,
      stepClass: 'waste',
      wasteType: 'rework',
      pt: 15,
      lt: 5 * D,
      ca: 85,
      customerContact: true,
    },
    { label: 'Do the repair', lane: 3, stepClass: 'value', pt: 90, lt: 1 * D, ca: 90, customerContact: true },
    {
      label: 'Post-inspection',
      lane: 2,
      stepClass: 'waste',
      wasteType: 'check',
      pt: 30,
      lt: 2 * D,
      ca: 95,
      customerContact: true,
    },
    {
      label: 'Close job and invoice',
      lane: 1,
      stepClass: 'waste',
      wasteType: 'admin',
      pt: 10,
      lt: 1 * D,
      ca: 90,
      customerContact: false,
    },
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
    [9, 10],
    // A failed post-inspection sends the job back to scheduling.
    [9, 5, 'rework'],
  ],
  conditions: [
    { label: 'Schedule-of-rates pricing', conditionType: 'procedure', causesSteps: [2, 4] },
    { label: 'Contractor paid per visit', conditionType: 'target', causesSteps: [7] },
    { label: 'Supervisor sign-off rule', conditionType: 'procedure', causesSteps: [3, 9] },
  ],
  // Illustrative: twenty repairs, mean 24.3 d, limits 7.1–41.5 d.
  capability: {
    unit: 'days',
    values: [26, 21, 31, 19, 24, 28, 22, 17, 25, 30, 23, 20, 27, 24, 33, 18, 22, 26, 29, 21],
  },
  // Illustrative: eight weeks of repairs fixed at the first visit.
  outcomes: [
    {
      name: 'Repairs fixed at the first visit, %',
      unit: 'percent',
      direction: 'higher-is-better',
      points: [
        { date: '2026-01-05', value: 61 },
        { date: '2026-01-12', value: 57 },
        { date: '2026-01-19', value: 63 },
        { date: '2026-01-26', value: 59 },
        { date: '2026-02-02', value: 55 },
        { date: '2026-02-09', value: 62 },
        { date: '2026-02-16', value: 60 },
        { date: '2026-02-23', value: 58 },
      ],
    },
  ],
};

export const housingRepairsAfter: BoardSpec = {
  purpose,
  period: 'one week',
  lanes: ['Contact centre', 'Repair team'],
  // The same value demand; failure 90 of 540 = 16.7%.
  demand: [
    ...valueDemand,
    { words: 'When are you coming?', demandClass: 'failure', count: 40, predictable: true, studyType: 'chasing' },
    {
      words: "The repair wasn't done properly",
      demandClass: 'failure',
      count: 30,
      predictable: true,
      studyType: 'not-done-properly',
    },
    { words: 'Nobody turned up', demandClass: 'failure', count: 10, predictable: true, studyType: 'no-show' },
    {
      words: "I'm reporting the same repair again",
      demandClass: 'failure',
      count: 10,
      predictable: true,
      studyType: 'repeat-report',
    },
  ],
  steps: [
    {
      label: "Take call, book visit at the tenant's chosen time",
      lane: 0,
      stepClass: 'value',
      pt: 10,
      lt: 10,
      ca: 95,
      customerContact: true,
    },
    {
      label: 'Visit, diagnose and repair',
      lane: 1,
      stepClass: 'value',
      pt: 120,
      lt: 2 * D,
      ca: 95,
      customerContact: true,
    },
    {
      label: 'Return with parts (only when needed)',
      lane: 1,
      stepClass: 'value',
      pt: 60,
      lt: 3 * D,
      ca: 95,
      customerContact: true,
    },
    {
      label: "Confirm with tenant it's done",
      lane: 1,
      stepClass: 'value',
      pt: 5,
      lt: 10,
      ca: 100,
      customerContact: true,
    },
  ],
  flow: [
    [1, 2],
    [2, 3],
    [3, 4],
    [2, 4],
  ],
  // method.md names no system conditions for the redesigned service.
  conditions: [],
  // Illustrative: twenty repairs, mean 5.25 d, limits 1.6–8.9 d.
  capability: { unit: 'days', values: [5, 6, 4, 5, 7, 5, 4, 6, 5, 5, 6, 4, 5, 6, 5, 4, 6, 5, 7, 5] },
  // Illustrative: eight weeks of repairs fixed at the first visit.
  outcomes: [
    {
      name: 'Repairs fixed at the first visit, %',
      unit: 'percent',
      direction: 'higher-is-better',
      points: [
        { date: '2026-01-05', value: 91 },
        { date: '2026-01-12', value: 94 },
        { date: '2026-01-19', value: 93 },
        { date: '2026-01-26', value: 96 },
        { date: '2026-02-02', value: 92 },
        { date: '2026-02-09', value: 95 },
        { date: '2026-02-16', value: 94 },
        { date: '2026-02-23', value: 93 },
      ],
    },
  ],
};
