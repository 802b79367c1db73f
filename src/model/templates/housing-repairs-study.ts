/**
 * The demand study that ships with the housing-repairs example: three weeks
 * of what tenants asked the repairs service for, written down by the people
 * on the phones, the area office counter and the repairs inbox, so a new
 * user opens the before board and sees a filled study at once.
 *
 * Made, not measured: the entries are drawn from a seeded generator (the same
 * study every time, so tests and exports are stable), in the proportions of
 * the board's own demand (method.md: 55% failure demand). The words are what
 * tenants say, not what the service calls things: each verbatim is picked
 * from phrasings written in the customer's voice, with the details (which
 * repair, how long ago) varied the way real calls vary.
 *
 * The after study (`housingRepairsAfterStudy`) is two weeks of the redesigned
 * service, for the before/after comparison: the same value demand, little
 * failure demand, most repairs booked at the tenant's chosen time in one call.
 */
import type { BoardFileStudy, BoardFileStudyEntry, BoardFileStudySettings } from '../board-file';

type Class = 'value' | 'failure';
type TypeName =
  | 'I need a repair'
  | 'I need an adaptation to my home'
  | 'When are you coming?'
  | "The repair wasn't done properly"
  | 'Nobody turned up'
  | "I'm reporting the same repair again";

const REPAIR: TypeName = 'I need a repair';
const ADAPTATION: TypeName = 'I need an adaptation to my home';

/** The demand types, named in the tenants' words as the board's demand cards are, each with its operational definition. */
const DEMAND_TYPES: { name: TypeName; class: Class; definition: string }[] = [
  {
    name: REPAIR,
    class: 'value',
    definition: 'Value: the tenant reports something in the home that is broken, leaking, unsafe or not working.',
  },
  {
    name: ADAPTATION,
    class: 'value',
    definition:
      'Value: the tenant (or their occupational therapist) asks for a change to the home so they can live in it: rails, ramps, showers.',
  },
  {
    name: 'When are you coming?',
    class: 'failure',
    definition: 'Chasing: the tenant asks when a repair they already reported will be done, or why nobody has said.',
  },
  {
    name: "The repair wasn't done properly",
    class: 'failure',
    definition: 'Failure: someone came, but the repair is not finished, not working, or has made something else worse.',
  },
  {
    name: 'Nobody turned up',
    class: 'failure',
    definition: 'Failure: the tenant was told someone would come at a time, stayed in, and nobody came or rang.',
  },
  {
    name: "I'm reporting the same repair again",
    class: 'failure',
    definition:
      'Failure: a repair reported before (and often closed) is reported again because it was never put right.',
  },
];

/** Each type's id: what an entry names its type by. */
const TYPE_ID: Record<TypeName, string> = {
  [REPAIR]: 'repair',
  [ADAPTATION]: 'adaptation',
  'When are you coming?': 'chasing',
  "The repair wasn't done properly": 'not-done-properly',
  'Nobody turned up': 'no-show',
  "I'm reporting the same repair again": 'repeat-report',
};

const CLASS_OF = new Map(DEMAND_TYPES.map((t) => [t.name, t.class]));

const HANDLING = {
  oneStop: 'One stop',
  passOn: 'Pass-on',
  passBack: 'Pass-back',
  callBack: 'Call back promised',
} as const;
type Handling = (typeof HANDLING)[keyof typeof HANDLING];

const CATEGORIES = {
  inWhen: "Come when I'm in",
  noChase: "Don't make me chase",
  firstTime: 'Fix it first time',
  informed: 'Keep me informed',
  safe: 'Keep us safe',
} as const;
type Category = (typeof CATEGORIES)[keyof typeof CATEGORIES];

function settingsOf(start: string, end: string): BoardFileStudySettings {
  return {
    demandTypes: DEMAND_TYPES.map((t) => ({ id: TYPE_ID[t.name], ...t })),
    handlingTypes: [
      { name: HANDLING.oneStop, oneStop: true },
      { name: HANDLING.passOn, oneStop: false },
      { name: HANDLING.passBack, oneStop: false },
      { name: HANDLING.callBack, oneStop: false },
    ],
    contactMethods: ['Phone', 'Email', 'Web form', 'Walk-in'],
    defaultContactMethod: 'Phone',
    points: ['Contact centre', 'Area office counter', 'Repairs inbox'],
    whatMattersCategories: Object.values(CATEGORIES),
    start,
    end,
    capture: { classification: true, handling: true, valueLinking: true },
  };
}

// ---------------------------------------------------------------- what tenants say

/** Things that go wrong in a council home, as a tenant names them. */
const THINGS = [
  'boiler',
  'kitchen tap',
  'toilet',
  'heating',
  'shower',
  'back door',
  'bedroom window',
  'bathroom ceiling',
  'damp in the bedroom',
  'leak under the sink',
  'front door lock',
  'extractor fan',
  'radiator in the front room',
  'kitchen lights',
  'guttering',
] as const;
/** Fittings that work or do not ("my boiler has packed up"). */
const FITTINGS = ['boiler', 'shower', 'toilet', 'extractor fan', 'front door lock', 'kitchen tap'] as const;

const AGO = [
  'last week',
  'ten days ago',
  'two weeks ago',
  'over a fortnight ago',
  'nearly a month ago',
  'back at the start of the month',
];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];

/**
 * Each type's phrasings; {thing}, {fitting}, {ago} and {day} are filled from the lists
 * above. Short and plain, with the hedges and asides people use on the phone.
 */
const SAYINGS: Record<TypeName, string[]> = {
  [REPAIR]: [
    "My kitchen tap won't stop dripping, it's been like it for a week now",
    "The boiler's making a banging noise every time the heating comes on",
    "There's water coming through the bathroom ceiling from the flat upstairs",
    "The back door lock's broken, I can't lock it at night",
    "Toilet won't flush properly, you have to hold the handle down",
    "Half the radiators aren't getting warm, the front room's freezing",
    "The extractor fan in the bathroom's stopped working and the mould's coming back",
    "My bedroom window won't shut, there's a draught coming right through",
    'The light in the hallway keeps tripping the electrics',
    'Kitchen cupboard door has come off its hinge',
    "There's a crack in the bath and it's leaking onto the floor",
    "The shower's only running cold",
    "There's a damp patch on my bedroom wall and it's getting bigger",
    "Gutter's hanging off at the back and water's pouring down the wall",
    "The banister on the stairs is loose, I'm worried my mum will fall",
    'No hot water since Saturday',
    'The kitchen sink is blocked and it smells',
    'Front door has swollen, I have to kick it to get it open',
    'The fence at the back blew down in the wind',
    'Tiles are coming off the bathroom wall',
    'The smoke alarm keeps beeping even with a new battery',
    "There's a gap under the kitchen units and mice are getting in",
    'The pilot light on the boiler keeps going out',
    'Water is dripping from the overflow pipe outside',
    'My {fitting} has packed up and I need someone to look at it',
    "Can someone come and look at my {fitting}? It's not right",
  ],
  [ADAPTATION]: [
    "My husband's just come out of hospital and he can't get up the stairs, can we have a rail?",
    'I need a grab rail by the toilet, the OT said to ring you',
    "Could the bath be changed to a walk-in shower? I can't get my leg over the side any more",
    'The occupational therapist has done an assessment for a ramp at the front',
    'I need the front step lowered for my wheelchair',
    'Can I get a lever tap in the kitchen, my arthritis is bad',
    'My daughter uses a wheelchair and we need the bedroom door widened',
    'I was told I could have a second banister put in, who do I speak to?',
  ],
  'When are you coming?': [
    "I reported the {thing} {ago} and I still haven't heard anything",
    "Just ringing to find out when someone's coming about the {thing}",
    "Nobody's told me when they're coming for the {thing}, I've been waiting in every day",
    'I was told someone would ring me with a date for the {thing}, and nobody has',
    "It's the third time I've called about the {thing}, when is it actually getting done?",
    'Can you tell me if my repair has even been booked?',
    "I got a letter saying the job's been raised but there's no date on it",
    "The man who came to look at the {thing} said he'd order a part, what's happening with that?",
    "I've taken a day off work twice now, I just want a date",
    'Is there any update on the {thing}? I reported it {ago}',
    'I was promised a call back on {day} about the {thing} and never got one',
    "Someone came to inspect the {thing} {ago}, said it'd be booked in, and nothing since",
    "How long does it take? I've been without a working {fitting} since {day}",
  ],
  "The repair wasn't done properly": [
    "They came and fixed the tap on {day} and it's dripping again already",
    "The bloke who came just painted over the damp, it's coming straight back through",
    "They've left the bathroom in a right state, there's grout all over the floor",
    "The new lock they fitted doesn't line up, the door won't close",
    "They fixed the leak but left a hole in the ceiling and haven't come back to fill it",
    "The boiler worked for two days after they came out and now it's gone again",
    "He said he couldn't finish the job on the {thing} because he didn't have the right part",
    'The window they replaced still lets the rain in',
    "Someone came about the {thing} on {day} but it's no better than before",
    "They sent a plumber but it's an electrical fault, so he couldn't do anything",
    'They took the old radiator off and never put the new one on',
  ],
  'Nobody turned up': [
    'I waited in all day yesterday and nobody came',
    'I had an appointment this morning between eight and twelve, nobody showed up and nobody rang',
    'I took {day} off work for the electrician and he never came',
    'They put a card through saying they called, but I was in all day',
    "That's the second time nobody's turned up for the {thing}",
    'I was told {day}, I stayed in, nothing',
    "I've been sat in since eight for the {thing}, is anyone coming?",
    'My neighbour waited in for me on {day} and nobody came',
  ],
  "I'm reporting the same repair again": [
    'I reported this same leak {ago} and it was never sorted',
    "This is the same toilet problem as before, they closed the job but it's not fixed",
    "I've been told my job was cancelled, I don't know why, so I'm reporting it again",
    'Same damp as last winter, they said it was sorted',
    'I reported the {thing} on the website and got a reference, but nobody seems to have it',
    "The {thing} was supposed to be fixed {ago}. It wasn't, so here I am again",
    "I'm reporting the {thing} again because the last job just disappeared",
  ],
};

/** How people open a call or an email, sometimes. */
const OPENINGS = ['', '', '', '', 'Hiya, ', 'Hello, ', 'Morning, ', 'Hi love, ', 'Sorry to bother you, '];
/** What they add at the end, sometimes. */
const CLOSINGS: Record<Class | 'adaptation', string[]> = {
  value: [
    '',
    '',
    '',
    '',
    " — I'm in most days",
    ' — can you send someone?',
    ". I've got a little one, so I need it sorting",
  ],
  adaptation: ['', '', '', ' — the OT has sent you a letter', ". I'm in every day"],
  failure: [
    '',
    '',
    '',
    ' — this is getting ridiculous',
    ". I'm fed up now",
    " — I've got a reference number somewhere",
  ],
};

/** Why each failure happened, as the team found out when it looked. */
const CAUSES: Partial<Record<TypeName, string[]>> = {
  'When are you coming?': [
    'No appointment given at the first call',
    'Waiting for a pre-inspection',
    'Part ordered, no date given',
    'Call back not made',
  ],
  "The repair wasn't done properly": [
    'Wrong trade sent',
    'Part not on the van',
    'Job closed before the work was finished',
    'Fault not diagnosed at the first visit',
  ],
  'Nobody turned up': [
    'Contractor not told about the appointment',
    'Appointment slot overbooked',
    'Access details not passed on',
  ],
  "I'm reporting the same repair again": [
    'Job closed before the work was finished',
    'Job cancelled without telling the tenant',
    'Fault not diagnosed at the first visit',
  ],
};

/** What matters to the tenant, in their words, by category. */
const WHAT_MATTERS: Record<Category, string[]> = {
  [CATEGORIES.inWhen]: [
    'I work shifts, mornings are no good for me',
    'I can only do after three, I pick the kids up',
    "Just tell me a time and I'll be in",
    "I'm in every day, I just need to know which one",
  ],
  [CATEGORIES.noChase]: [
    "I shouldn't have to keep ringing you",
    'I just want someone to ring me back when they say they will',
    "I've spent more time on the phone than they've spent fixing it",
  ],
  [CATEGORIES.firstTime]: [
    'I want it done properly, not patched up',
    'Send someone who can actually fix it',
    "Don't send three different people to look at it",
  ],
  [CATEGORIES.informed]: [
    "Even a text to say it's booked would do",
    "Just let me know what's happening",
    'Tell me if the part is going to take weeks',
  ],
  [CATEGORIES.safe]: [
    "I've got a baby in the house and the water's near the sockets",
    "My dad's 84, he can't be without heating",
    "I can't lock the door at night, I'm on my own",
  ],
};

// ---------------------------------------------------------------- the generator

/** mulberry32: a small seeded generator, so the example is the same study on every machine. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Collector {
  name: string;
  contactMethods: [string, number][];
  point: string;
  /** Days (0-based from the start) this collector was not collecting. */
  away: (day: number) => boolean;
  /** Share of the day's demand this collector takes. */
  share: number;
}

/** What one study is like: how much arrives, of which types, and how it is handled. */
interface StudyProfile {
  seed: number;
  start: string;
  /** Working days (Monday to Friday) from the start. */
  days: number;
  /** Entries on a Monday … Friday. */
  perWeekday: [number, number, number, number, number];
  typeWeights: [TypeName, number][];
  /** For each class of demand, how it was handled: weights. */
  handling: Record<Class | 'adaptation', [Handling, number][]>;
  collectors: Collector[];
  /** The last few days of the study are not classified yet (what the team still has to do). */
  unclassifiedDays: number;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}
function weighted<T>(random: () => number, items: readonly [T, number][]): T {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return items[items.length - 1][0];
}

function addDays(day: string, n: number): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + n);
  return date.toISOString().slice(0, 10);
}
/** The n-th working day (Monday to Friday) from a Monday. */
function workingDay(start: string, n: number): string {
  return addDays(start, Math.floor(n / 5) * 7 + (n % 5));
}

function fill(random: () => number, saying: string): string {
  return saying
    .replace('{thing}', () => pick(random, THINGS))
    .replace('{fitting}', () => pick(random, FITTINGS))
    .replace('{ago}', () => pick(random, AGO))
    .replace('{day}', () => pick(random, DAYS));
}

function verbatimOf(random: () => number, type: TypeName): string {
  const klass = CLASS_OF.get(type)!;
  const opening = pick(random, OPENINGS);
  let body = fill(random, pick(random, SAYINGS[type]));
  if (opening) body = body.charAt(0).toLowerCase() + body.slice(1);
  // "I" stays a capital after an opening.
  body = body.replace(/^i(?=[ '’])/, 'I');
  const closing = body.endsWith('?') ? '' : pick(random, CLOSINGS[type === ADAPTATION ? 'adaptation' : klass]);
  return `${opening}${body}${closing}`;
}

/** Monday mornings are busiest; the afternoon tails off. A minute of the working day (08:00–18:00). */
function minuteOfDay(random: () => number): number {
  const morning = random() < 0.6;
  const from = morning ? 8 * 60 : 12 * 60;
  const span = morning ? 4 * 60 : 6 * 60;
  return from + Math.floor(random() * span);
}

function makeStudy(profile: StudyProfile): BoardFileStudy {
  const random = seeded(profile.seed);
  const end = workingDay(profile.start, profile.days - 1);
  const entries: BoardFileStudyEntry[] = [];
  let serial = 0;
  for (let day = 0; day < profile.days; day++) {
    const date = workingDay(profile.start, day);
    const count = profile.perWeekday[day % 5] + Math.floor(random() * 5) - 2;
    const collectors = profile.collectors.filter((c) => !c.away(day));
    const minutes = Array.from({ length: count }, () => minuteOfDay(random)).sort((a, b) => a - b);
    const classified = day < profile.days - profile.unclassifiedDays;
    for (const minute of minutes) {
      serial += 1;
      const collector = weighted(
        random,
        collectors.map((c) => [c, c.share] as [Collector, number]),
      );
      const type = weighted(random, profile.typeWeights);
      const klass = CLASS_OF.get(type)!;
      const contactMethod = weighted(random, collector.contactMethods);
      const hh = String(Math.floor(minute / 60)).padStart(2, '0');
      const mm = String(minute % 60).padStart(2, '0');
      const ss = String(Math.floor(random() * 60)).padStart(2, '0');
      const entry: BoardFileStudyEntry = {
        id: `hr-${profile.seed}-${String(serial).padStart(4, '0')}`,
        at: `${date}T${hh}:${mm}:${ss}.000Z`,
        collector: collector.name,
        verbatim: verbatimOf(random, type),
        contactMethod,
        point: collector.point,
      };
      // Collectors write what they can as the call happens; the team classifies later. Recent
      // days are still waiting, and a few entries everyone was unsure about stay "not sure".
      const unsure = random() < 0.03;
      if (!classified && random() < 0.7) {
        if (unsure) entry.class = 'unsure';
      } else if (unsure) {
        entry.class = 'unsure';
      } else {
        entry.class = klass;
        entry.type = TYPE_ID[type];
        const handledAs = type === ADAPTATION ? 'adaptation' : klass;
        if (random() < 0.95) entry.handling = weighted(random, profile.handling[handledAs]);
        if (klass === 'failure') {
          if (random() < 0.85) entry.valueDemandType = TYPE_ID[random() < 0.93 ? REPAIR : ADAPTATION];
          const causes = CAUSES[type];
          if (causes && random() < 0.8) entry.cause = pick(random, causes);
        }
      }
      if (random() < 0.35) {
        const category = weighted<Category>(
          random,
          klass === 'failure'
            ? [
                [CATEGORIES.noChase, 4],
                [CATEGORIES.inWhen, 3],
                [CATEGORIES.firstTime, 3],
                [CATEGORIES.informed, 3],
                [CATEGORIES.safe, 1],
              ]
            : [
                [CATEGORIES.inWhen, 4],
                [CATEGORIES.firstTime, 2],
                [CATEGORIES.safe, 2],
                [CATEGORIES.informed, 1],
              ],
        );
        entry.whatMatters = random() < 0.6 ? { category, note: pick(random, WHAT_MATTERS[category]) } : { category };
      }
      entries.push(entry);
    }
  }
  // Oldest first, as the board file keeps them (two in one minute are ordered by their seconds).
  entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1));
  return { settings: settingsOf(profile.start, end), entries };
}

const phones: [string, number][] = [['Phone', 1]];
const BEFORE_COLLECTORS: Collector[] = [
  { name: 'Aisha', contactMethods: phones, point: 'Contact centre', away: () => false, share: 3 },
  { name: 'Dave', contactMethods: phones, point: 'Contact centre', away: (d) => d === 4, share: 3 },
  { name: 'Priya', contactMethods: phones, point: 'Contact centre', away: () => false, share: 3 },
  // Tom stopped collecting after the first week and a half: the coverage chart shows it.
  { name: 'Tom', contactMethods: phones, point: 'Contact centre', away: (d) => d >= 8, share: 2 },
  { name: 'Joan', contactMethods: [['Walk-in', 1]], point: 'Area office counter', away: () => false, share: 1 },
  {
    name: 'Ellie',
    contactMethods: [
      ['Email', 3],
      ['Web form', 2],
    ],
    point: 'Repairs inbox',
    away: () => false,
    share: 2,
  },
];

/** Three weeks before the redesign (Monday 2 to Friday 20 March 2026), about 375 entries, 55% failure demand. */
export const HOUSING_REPAIRS_STUDY_BEFORE: StudyProfile = {
  seed: 1402,
  start: '2026-03-02',
  days: 15,
  perWeekday: [32, 26, 24, 23, 20],
  // The board's own demand, 420 : 30 : 260 : 150 : 90 : 50.
  typeWeights: [
    [REPAIR, 420],
    [ADAPTATION, 30],
    ['When are you coming?', 260],
    ["The repair wasn't done properly", 150],
    ['Nobody turned up', 90],
    ["I'm reporting the same repair again", 50],
  ],
  handling: {
    // Before: a repair is logged and passed to repairs admin; few are booked in the call.
    value: [
      [HANDLING.oneStop, 22],
      [HANDLING.passOn, 58],
      [HANDLING.passBack, 12],
      [HANDLING.callBack, 8],
    ],
    adaptation: [
      [HANDLING.passOn, 9],
      [HANDLING.passBack, 1],
    ],
    failure: [
      [HANDLING.oneStop, 15],
      [HANDLING.passOn, 45],
      [HANDLING.callBack, 35],
      [HANDLING.passBack, 5],
    ],
  },
  collectors: BEFORE_COLLECTORS,
  unclassifiedDays: 2,
};

/** Two weeks after the redesign (Monday 4 to Friday 15 May 2026): the same value demand, 17% failure demand. */
export const HOUSING_REPAIRS_STUDY_AFTER: StudyProfile = {
  seed: 1405,
  start: '2026-05-04',
  days: 10,
  perWeekday: [20, 16, 15, 15, 12],
  typeWeights: [
    [REPAIR, 420],
    [ADAPTATION, 30],
    ['When are you coming?', 40],
    ["The repair wasn't done properly", 30],
    ['Nobody turned up', 10],
    ["I'm reporting the same repair again", 10],
  ],
  handling: {
    // After: the repair is booked at the tenant's chosen time while they are on the phone.
    value: [
      [HANDLING.oneStop, 82],
      [HANDLING.passOn, 12],
      [HANDLING.passBack, 6],
    ],
    adaptation: [
      [HANDLING.oneStop, 3],
      [HANDLING.passOn, 7],
    ],
    failure: [
      [HANDLING.oneStop, 60],
      [HANDLING.passOn, 30],
      [HANDLING.callBack, 10],
    ],
  },
  collectors: BEFORE_COLLECTORS.map((c) => ({ ...c, away: () => false })),
  unclassifiedDays: 0,
};

/** The example's before study: settings and every entry, in the board file's form. */
export function housingRepairsBeforeStudy(): BoardFileStudy {
  return makeStudy(HOUSING_REPAIRS_STUDY_BEFORE);
}

/** The example's after study (for the before/after comparison). */
export function housingRepairsAfterStudy(): BoardFileStudy {
  return makeStudy(HOUSING_REPAIRS_STUDY_AFTER);
}
