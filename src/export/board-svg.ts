/**
 * The whole purpose map as one SVG, drawn from the board model (a board file,
 * as `exportBoardFile` reads it), never from the screen: the export button,
 * the HTTP API, the CLI and the PDF report all call this, so they show the
 * same picture, and every edge is drawn whether or not it was on screen.
 *
 * The picture follows the canvas (ux.md, src/canvas/*): lane bands and names
 * (src/model/lane-geometry.ts), step cards (value: solid green border and ✓;
 * waste: dashed red border and its waste type; PT / LT / C&A), demand
 * bubbles with their counts, the purpose with what matters, system
 * conditions as hexagons, notes, and each edge as exactly one <path> with an
 * arrowhead (handoff thicker with ⇄, rework red dashed curving back, entry
 * teal, causes dotted). A legend explains the marks.
 *
 * Deterministic: the same board gives the same bytes — elements in id order,
 * numbers with at most two decimals, no dates, no randomness. Only edges are
 * drawn as <path>, so a test can count them.
 *
 * `highlight` marks elements as added, removed or changed: the before/after
 * comparison draws two boards with it.
 */
import {
  DEMAND_X,
  LANE_HEIGHT,
  LANE_LEFT,
  formatTime,
  laneTop,
  type BoardFile,
  type BoardFileEdge,
  type BoardFileNode,
  CONDITION_TYPE_NAMES,
  type NoteColour,
} from '../model';
import { periodPhrase } from './measure-text';
import { CARD_SIZES } from './sizes';
import {
  FONT_FAMILY,
  escapeXml,
  fitText,
  mixColours,
  mixWithWhite,
  num,
  svgLines,
  svgText,
  textWidth,
  wrapText,
} from './svg-text';

export type Highlight = 'removed' | 'added' | 'changed';

export interface BoardSvgOptions {
  /** Elements (by id) to mark as added, removed or changed. */
  highlight?: Readonly<Record<string, Highlight>>;
  /** The heading above the map; the board's title when left out, none when ''. */
  title?: string;
  /** Draw the legend under the map (default true). */
  legend?: boolean;
  /** Prefix of the ids inside the SVG (markers), so two maps can share one page. Letters, digits, "-". */
  idPrefix?: string;
}

export interface BoardPicture {
  svg: string;
  /** Size of the picture in CSS px (the PNG at 2× is twice this). */
  width: number;
  height: number;
}

/** The colours of the canvas (src/app/styles.css, light theme). */
export const COLOURS = {
  text: '#1e293b',
  muted: '#526071',
  stepBorder: '#475569',
  edge: '#64748b',
  value: '#067647',
  valueBg: '#dcfae6',
  waste: '#b42318',
  wasteBg: '#fee4e2',
  rework: '#d92d20',
  entry: '#0e7490',
  valueDemandBg: '#e0f7fa',
  failure: '#b54708',
  failureBg: '#fef0c7',
  causes: '#6b5e8f',
  conditionBg: '#efecf6',
  surface: '#ffffff',
  page: '#f6f7f9',
} as const;

const NOTE_FILL: Record<NoteColour, string> = {
  yellow: '#fff3a6',
  pink: '#ffd6e0',
  blue: '#cfe8ff',
  green: '#d3f5d8',
  purple: '#e7dbff',
};

/** How a mark looks on the map: the colours of the comparison view's marks (src/compare/compare.css), so the view and its exports agree. */
export const HIGHLIGHT_LOOK: Record<Highlight, { colour: string; label: string }> = {
  added: { colour: '#1f7a4d', label: '+ added' },
  removed: { colour: '#c0362c', label: '− removed' },
  changed: { colour: '#7047c2', label: '~ changed' },
};

/** The share of a lane's colour in its band (styles.css --lane-mix, light theme). */
const LANE_MIX = 0.72;
const MARGIN = 40;

type Node<K extends BoardFileNode['kind']> = Extract<BoardFileNode, { kind: K }>;

interface Card {
  node: BoardFileNode;
  x: number;
  y: number;
  width: number;
  height: number;
  /** The card's own drawing (shape and text), in canvas units. */
  body: string[];
}

interface Point {
  x: number;
  y: number;
}

// ---------------------------------------------------------------- cards

function stepCard(node: Node<'step'>, laneName: string | null): Card {
  const { width } = CARD_SIZES.step;
  const { x, y } = node.position;
  const inner = width - 22;
  const labelLines = wrapText(node.label || ' ', inner, 14, true, 5);
  const times = node.pt === null && node.lt === null ? null : `PT ${formatTime(node.pt)} · LT ${formatTime(node.lt)}`;
  const parts = [times, node.ca === null ? null : `C&A ${Math.round(node.ca)}%`, node.customerContact ? '☎' : null];
  const oneLine = parts.filter((part): part is string => part !== null).join('  ');
  // Times and C&A share a line when they fit, as on the canvas; otherwise C&A (and ☎) go below.
  const bottom =
    oneLine === ''
      ? []
      : textWidth(oneLine, 11) <= inner
        ? [oneLine]
        : [parts[0] ?? '', parts.slice(1).filter(Boolean).join('  ')].filter(Boolean);
  const hasTop = node.stepClass !== null || laneName !== null;
  const contentHeight = (hasTop ? 18 : 0) + labelLines.length * 18 + bottom.length * 16 + (bottom.length > 0 ? 2 : 0);
  const height = Math.max(CARD_SIZES.step.height, contentHeight + 16);
  const colour =
    node.stepClass === 'value' ? COLOURS.value : node.stepClass === 'waste' ? COLOURS.waste : COLOURS.stepBorder;
  const body: string[] = [
    `<rect x="${num(x)}" y="${num(y)}" width="${num(width)}" height="${num(height)}" rx="6" fill="${COLOURS.surface}" stroke="${colour}" stroke-width="2"${node.stepClass === 'waste' ? ' stroke-dasharray="6 4"' : ''}/>`,
    `<rect x="${num(x)}" y="${num(y)}" width="6" height="${num(height)}" rx="3" fill="${colour}"/>`,
  ];
  let line = y + (height - contentHeight) / 2;
  const left = x + 14;
  if (hasTop) {
    let tagWidth = 0;
    if (node.stepClass !== null) {
      const tag = node.stepClass === 'value' ? '✓ value' : `✗ ${node.wasteType ?? 'waste'}`;
      tagWidth = textWidth(tag, 11, true) + 8;
      body.push(svgText(left, line + 13, tag, { size: 11, bold: true, fill: colour }));
    }
    if (laneName !== null) {
      const room = inner - tagWidth;
      if (room > 24) {
        body.push(
          svgText(x + width - 8, line + 13, fitText(laneName, room, 10), {
            size: 10,
            fill: COLOURS.muted,
            anchor: 'end',
          }),
        );
      }
    }
    line += 18;
  }
  body.push(...svgLines(left, line + 14, labelLines, { size: 14, bold: true, fill: COLOURS.text }, 18));
  line += labelLines.length * 18;
  bottom.forEach((text, index) =>
    body.push(svgText(left, line + 15 + index * 16, fitText(text, inner, 11), { size: 11, fill: COLOURS.muted })),
  );
  return { node, x, y, width, height, body };
}

function demandCard(node: Node<'demand'>): Card {
  const { width } = CARD_SIZES.demand;
  const { x, y } = node.position;
  const failure = node.demandClass === 'failure';
  const colour = failure ? COLOURS.failure : COLOURS.entry;
  const fill = failure ? COLOURS.failureBg : COLOURS.valueDemandBg;
  const count = node.count.toLocaleString('en-GB');
  const countWidth = Math.max(textWidth(count, 24, true), 18);
  const textLeft = x + 12 + countWidth + 10;
  const textWidthAvailable = x + width - 10 - textLeft;
  const words = wrapText(`“${node.words}”`, textWidthAvailable, 12, false, 4);
  const classLine = `${failure ? '⚠ failure demand' : '✓ value demand'}${node.predictable ? ' · predictable' : ''}`;
  const contentHeight = 16 + words.length * 15;
  const height = Math.max(CARD_SIZES.demand.height, contentHeight + 16);
  const cy = y + height / 2;
  const top = y + (height - contentHeight) / 2;
  return {
    node,
    x,
    y,
    width,
    height,
    body: [
      `<polygon points="${num(x + width - 2)},${num(cy - 2)} ${num(x + width + 14)},${num(cy + 10)} ${num(x + width - 2)},${num(cy + 10)}" fill="${colour}"/>`,
      `<rect x="${num(x)}" y="${num(y)}" width="${num(width)}" height="${num(height)}" rx="12" fill="${fill}" stroke="${colour}" stroke-width="2"/>`,
      svgText(x + 12, cy + 9, count, { size: 24, bold: true, fill: colour }),
      svgText(textLeft, top + 11, fitText(classLine, textWidthAvailable, 10, true), {
        size: 10,
        bold: true,
        fill: colour,
      }),
      ...svgLines(textLeft, top + 29, words, { size: 12, fill: COLOURS.text }, 15),
    ],
  };
}

function purposeCard(node: Node<'purpose'>): Card {
  const { width } = CARD_SIZES.purpose;
  const { x, y } = node.position;
  const inner = width - 40;
  const statement = wrapText(node.statement, inner, 19, true, 4);
  const matters = node.whatMatters.map((item) => wrapText(item, inner - 16, 13, false, 2));
  const mattersHeight = matters.length > 0 ? 22 + matters.reduce((sum, lines) => sum + lines.length * 17, 0) : 0;
  const contentHeight = 18 + statement.length * 24 + mattersHeight;
  const height = Math.max(CARD_SIZES.purpose.height, contentHeight + 26);
  const body = [
    `<rect x="${num(x)}" y="${num(y)}" width="${num(width)}" height="${num(height)}" rx="12" fill="${COLOURS.surface}" stroke="${COLOURS.text}" stroke-width="2"/>`,
    svgText(x + 20, y + 26, 'PURPOSE', { size: 11, bold: true, fill: COLOURS.muted }, 'letter-spacing="1"'),
    ...svgLines(x + 20, y + 52, statement, { size: 19, bold: true, fill: COLOURS.text }, 24),
  ];
  let line = y + 32 + statement.length * 24;
  if (matters.length > 0) {
    body.push(svgText(x + 20, line + 16, 'What matters', { size: 12, bold: true, fill: COLOURS.muted }));
    line += 22;
    for (const lines of matters) {
      body.push(svgText(x + 22, line + 14, '•', { size: 13, fill: COLOURS.text }));
      body.push(...svgLines(x + 36, line + 14, lines, { size: 13, fill: COLOURS.text }, 17));
      line += lines.length * 17;
    }
  }
  return { node, x, y, width, height, body };
}

function conditionCard(node: Node<'condition'>): Card {
  const { width } = CARD_SIZES.condition;
  const { x, y } = node.position;
  const label = wrapText(node.label, width - 48, 13, true, 3);
  const contentHeight = 16 + label.length * 16;
  const height = Math.max(CARD_SIZES.condition.height, contentHeight + 16);
  const top = y + (height - contentHeight) / 2;
  const points = [
    [x + 16, y],
    [x + width - 16, y],
    [x + width, y + height / 2],
    [x + width - 16, y + height],
    [x + 16, y + height],
    [x, y + height / 2],
  ]
    .map(([px, py]) => `${num(px)},${num(py)}`)
    .join(' ');
  return {
    node,
    x,
    y,
    width,
    height,
    body: [
      `<polygon points="${points}" fill="${COLOURS.conditionBg}" stroke="${COLOURS.causes}" stroke-width="2"/>`,
      svgText(x + 24, top + 11, `⬡ ${CONDITION_TYPE_NAMES[node.conditionType]}`, {
        size: 10,
        bold: true,
        fill: COLOURS.causes,
      }),
      ...svgLines(x + 24, top + 29, label, { size: 13, bold: true, fill: COLOURS.text }, 16),
    ],
  };
}

function noteCard(node: Node<'note'>): Card {
  const { width } = CARD_SIZES.note;
  const { x, y } = node.position;
  // Each paragraph of the note wraps on its own, as on the canvas.
  const lines = node.text
    .split('\n')
    .flatMap((paragraph) => (paragraph.trim() === '' ? [''] : wrapText(paragraph, width - 24, 13)))
    .slice(0, 24);
  const height = Math.max(CARD_SIZES.note.height, lines.length * 17 + 24);
  return {
    node,
    x,
    y,
    width,
    height,
    body: [
      `<rect x="${num(x)}" y="${num(y)}" width="${num(width)}" height="${num(height)}" rx="2" fill="${NOTE_FILL[node.colour]}" stroke="${mixColours(NOTE_FILL[node.colour], '#000000', 0.85)}" stroke-width="1"/>`,
      ...svgLines(x + 12, y + 24, lines, { size: 13, fill: '#2b2b2b' }, 17),
    ],
  };
}

function cardOf(node: BoardFileNode, laneNames: Map<string, string>): Card {
  switch (node.kind) {
    case 'step':
      return stepCard(node, node.lane === null ? null : (laneNames.get(node.lane) ?? null));
    case 'demand':
      return demandCard(node);
    case 'purpose':
      return purposeCard(node);
    case 'condition':
      return conditionCard(node);
    case 'note':
      return noteCard(node);
  }
}

// ---------------------------------------------------------------- edges

/** React Flow's control-point distance for a bezier edge (curvature 0.25). */
function controlOffset(distance: number): number {
  return distance >= 0 ? 0.5 * distance : 0.25 * 25 * Math.sqrt(-distance);
}

function bezierAt(p: Point[], t: number): Point {
  const u = 1 - t;
  const [a, b, c, d] = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t];
  return { x: a * p[0].x + b * p[1].x + c * p[2].x + d * p[3].x, y: a * p[0].y + b * p[1].y + c * p[2].y + d * p[3].y };
}

interface EdgeShape {
  edge: BoardFileEdge;
  /** Start, two control points, end: one cubic bezier. */
  curve: Point[];
  look: 'flow' | 'handoff' | 'rework' | 'entry' | 'causes';
  handoff: boolean;
}

function edgeShape(edge: BoardFileEdge, source: Card, target: Card, lanes: Map<string, string | null>): EdgeShape {
  if (edge.kind === 'causes') {
    // From the top of the condition to the bottom of what it causes, as the canvas's handles.
    const s = { x: source.x + source.width / 2, y: source.y };
    const t = { x: target.x + target.width / 2, y: target.y + target.height };
    const off = controlOffset(s.y - t.y);
    return {
      edge,
      curve: [s, { x: s.x, y: s.y - off }, { x: t.x, y: t.y + off }, t],
      look: 'causes',
      handoff: false,
    };
  }
  const s = { x: source.x + source.width, y: source.y + source.height / 2 };
  const t = { x: target.x, y: target.y + target.height / 2 };
  const sourceLane = lanes.get(edge.source) ?? null;
  const targetLane = lanes.get(edge.target) ?? null;
  const handoff = edge.kind === 'flow' && sourceLane !== null && targetLane !== null && sourceLane !== targetLane;
  if (edge.kind === 'flow' && (edge.rework || t.x < s.x)) {
    // A loop that leaves the source, dips below both ends and comes back into the target (the canvas's rework curve).
    const dip = 130 + Math.abs(s.x - t.x) * 0.1;
    const low = Math.max(s.y, t.y) + dip;
    return {
      edge,
      curve: [s, { x: s.x + 90, y: low }, { x: t.x - 90, y: low }, t],
      look: edge.rework ? 'rework' : handoff ? 'handoff' : 'flow',
      handoff,
    };
  }
  const off = controlOffset(t.x - s.x);
  return {
    edge,
    curve: [s, { x: s.x + off, y: s.y }, { x: t.x - off, y: t.y }, t],
    look: edge.kind === 'entry' ? 'entry' : handoff ? 'handoff' : 'flow',
    handoff,
  };
}

const EDGE_STROKE: Record<EdgeShape['look'], string> = {
  flow: `stroke="${COLOURS.edge}" stroke-width="2"`,
  handoff: `stroke="${COLOURS.edge}" stroke-width="4"`,
  rework: `stroke="${COLOURS.rework}" stroke-width="2.5" stroke-dasharray="8 6"`,
  entry: `stroke="${COLOURS.entry}" stroke-width="2"`,
  causes: `stroke="${COLOURS.causes}" stroke-width="2" stroke-dasharray="1 6" stroke-linecap="round"`,
};
const MARKER_COLOUR: Record<EdgeShape['look'], string> = {
  flow: COLOURS.edge,
  handoff: COLOURS.edge,
  rework: COLOURS.rework,
  entry: COLOURS.entry,
  causes: COLOURS.causes,
};

function markers(prefix: string): string {
  return (Object.keys(MARKER_COLOUR) as EdgeShape['look'][])
    .map((look) => {
      const size = look === 'handoff' ? 16 : 12;
      const shape =
        look === 'causes'
          ? `<polyline points="1,1 9,5 1,9" fill="none" stroke="${MARKER_COLOUR[look]}" stroke-width="1.6"/>`
          : `<polygon points="0,1 10,5 0,9" fill="${MARKER_COLOUR[look]}"/>`;
      return `<marker id="${prefix}-arrow-${look}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="${size}" markerHeight="${size}" markerUnits="userSpaceOnUse" orient="auto">${shape}</marker>`;
    })
    .join('');
}

function edgePath(shape: EdgeShape, prefix: string): string {
  const [s, c1, c2, t] = shape.curve;
  const d = `M${num(s.x)},${num(s.y)} C${num(c1.x)},${num(c1.y)} ${num(c2.x)},${num(c2.y)} ${num(t.x)},${num(t.y)}`;
  return `<path data-edge="${escapeXml(shape.edge.id)}" data-kind="${shape.edge.kind}" d="${d}" fill="none" ${EDGE_STROKE[shape.look]} marker-end="url(#${prefix}-arrow-${shape.look})"/>`;
}

/** The marks drawn on an edge: ⇄ on a handoff, "⟲ rework" on a loop, "causes" on a cause. */
function edgeMarks(shape: EdgeShape): string[] {
  const marks: string[] = [];
  if (shape.handoff) {
    const at = bezierAt(shape.curve, 0.5);
    marks.push(
      `<circle cx="${num(at.x)}" cy="${num(at.y)}" r="11" fill="${COLOURS.surface}" stroke="${COLOURS.edge}" stroke-width="1.5"/>`,
      svgText(at.x, at.y + 5, '⇄', { size: 13, bold: true, fill: COLOURS.text, anchor: 'middle' }),
    );
  }
  if (shape.look === 'rework') {
    const at = bezierAt(shape.curve, 0.8);
    marks.push(
      `<rect x="${num(at.x - 34)}" y="${num(at.y - 11)}" width="68" height="22" rx="11" fill="${COLOURS.surface}" stroke="${COLOURS.rework}" stroke-width="1.5"/>`,
      svgText(at.x, at.y + 4, '⟲ rework', { size: 12, bold: true, fill: COLOURS.rework, anchor: 'middle' }),
    );
  }
  if (shape.look === 'causes') {
    const at = bezierAt(shape.curve, 0.5);
    marks.push(
      `<rect x="${num(at.x - 28)}" y="${num(at.y - 10)}" width="56" height="20" rx="4" fill="${COLOURS.surface}" stroke="${COLOURS.causes}" stroke-width="1"/>`,
      svgText(at.x, at.y + 4, 'causes', { size: 11, bold: true, fill: COLOURS.causes, anchor: 'middle' }),
    );
  }
  return marks;
}

// ---------------------------------------------------------------- legend

const LEGEND_HEIGHT = 58;

function legend(x: number, y: number, prefix: string, highlights: Highlight[]): { svg: string[]; width: number } {
  const parts: string[] = [];
  let at = x + 14;
  const label = (text: string) => {
    parts.push(svgText(at, y + 34, text, { size: 12, fill: COLOURS.text }));
    at += textWidth(text, 12) + 22;
  };
  const card = (colour: string, dashed: boolean, tag: string) => {
    parts.push(
      `<rect x="${num(at)}" y="${num(y + 18)}" width="54" height="24" rx="4" fill="${COLOURS.surface}" stroke="${colour}" stroke-width="2"${dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      svgText(at + 27, y + 34, tag, { size: 11, bold: true, fill: colour, anchor: 'middle' }),
    );
    at += 62;
  };
  const line = (look: EdgeShape['look']) => {
    parts.push(
      `<line x1="${num(at)}" y1="${num(y + 30)}" x2="${num(at + 46)}" y2="${num(y + 30)}" ${EDGE_STROKE[look]} marker-end="url(#${prefix}-arrow-${look})"/>`,
    );
    at += 54;
  };
  card(COLOURS.value, false, '✓');
  label('value step');
  card(COLOURS.waste, true, '✗');
  label('waste step');
  line('flow');
  label('flow');
  line('handoff');
  label('handoff (between lanes)');
  line('rework');
  label('rework');
  line('entry');
  label('demand enters');
  line('causes');
  label('causes');
  for (const kind of highlights) {
    const look = HIGHLIGHT_LOOK[kind];
    parts.push(
      `<rect x="${num(at)}" y="${num(y + 18)}" width="30" height="24" rx="4" fill="none" stroke="${look.colour}" stroke-width="3"/>`,
    );
    at += 38;
    label(look.label.slice(2));
  }
  const width = at - x;
  return {
    svg: [
      `<rect x="${num(x)}" y="${num(y + 6)}" width="${num(width)}" height="${num(LEGEND_HEIGHT - 12)}" rx="8" fill="${COLOURS.surface}" stroke="#cbd5e1" stroke-width="1"/>`,
      ...parts,
    ],
    width,
  };
}

// ---------------------------------------------------------------- the picture

function includePoint(box: { minX: number; minY: number; maxX: number; maxY: number }, p: Point): void {
  box.minX = Math.min(box.minX, p.x);
  box.minY = Math.min(box.minY, p.y);
  box.maxX = Math.max(box.maxX, p.x);
  box.maxY = Math.max(box.maxY, p.y);
}

/** The map as SVG, with its size. */
export function boardPicture(file: BoardFile, options: BoardSvgOptions = {}): BoardPicture {
  const prefix = (options.idPrefix ?? 'pb').replace(/[^A-Za-z0-9-]/g, '') || 'pb';
  const highlight = options.highlight ?? {};
  const title = options.title ?? file.title;
  const lanes = [...file.lanes].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const laneNames = new Map(lanes.map((lane) => [lane.id, lane.name]));
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const nodes = [...file.nodes].sort(byId);
  const cards = new Map(nodes.map((node) => [node.id, cardOf(node, laneNames)]));
  const stepLanes = new Map(nodes.map((node) => [node.id, node.kind === 'step' ? node.lane : null]));
  const shapes = [...file.edges]
    .sort(byId)
    .filter((edge) => cards.has(edge.source) && cards.has(edge.target))
    .map((edge) => edgeShape(edge, cards.get(edge.source)!, cards.get(edge.target)!, stepLanes));

  // The extent of everything drawn, in canvas units.
  const box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (const card of cards.values()) {
    includePoint(box, { x: card.x, y: card.y - (highlight[card.node.id] ? 22 : 0) });
    includePoint(box, { x: card.x + card.width + (card.node.kind === 'demand' ? 14 : 0), y: card.y + card.height });
  }
  for (const shape of shapes) for (let i = 0; i <= 16; i++) includePoint(box, bezierAt(shape.curve, i / 16));
  if (lanes.length > 0) {
    includePoint(box, { x: LANE_LEFT, y: laneTop(0) });
    includePoint(box, { x: 0, y: laneTop(lanes.length) });
  }
  if (!Number.isFinite(box.minX)) {
    // An empty board: an empty strip where the demand column and the first lane would be.
    includePoint(box, { x: DEMAND_X, y: 0 });
    includePoint(box, { x: 0, y: LANE_HEIGHT });
  }

  const highlightKinds = (['added', 'removed', 'changed'] as const).filter((kind) =>
    Object.values(highlight).includes(kind),
  );
  const header = title ? 56 : 0;
  const showLegend = options.legend !== false;
  const legendDrawn = showLegend ? legend(MARGIN, 0, prefix, highlightKinds) : null;
  const width = Math.ceil(Math.max(box.maxX - box.minX + 2 * MARGIN, (legendDrawn?.width ?? 0) + 2 * MARGIN));
  const mapHeight = box.maxY - box.minY + 2 * MARGIN;
  const height = Math.ceil(header + mapHeight + (showLegend ? LEGEND_HEIGHT + 10 : 0));
  const dx = MARGIN - box.minX;
  const dy = header + MARGIN - box.minY;
  const right = width - dx;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT_FAMILY)}">`,
    `<title>${escapeXml(title || file.title)}</title>`,
    `<defs>${markers(prefix)}</defs>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="${COLOURS.surface}"/>`,
  );
  if (title) {
    out.push(
      svgText(MARGIN, 34, fitText(title, width - 2 * MARGIN, 22, true), { size: 22, bold: true, fill: COLOURS.text }),
    );
    if (file.period) {
      out.push(svgText(MARGIN, 52, periodPhrase(file.period), { size: 12, fill: COLOURS.muted }));
    }
  }
  out.push(`<g transform="translate(${num(dx)} ${num(dy)})">`);

  // Lanes: bands behind everything, from where the lanes begin to the right edge of the picture.
  out.push('<g data-layer="lanes">');
  lanes.forEach((lane, index) => {
    const top = laneTop(index);
    const band = mixWithWhite(lane.colour, LANE_MIX);
    const name = fitText(lane.name, -LANE_LEFT - 40, 15, true);
    out.push(
      `<g data-lane="${escapeXml(lane.id)}">`,
      `<rect x="${num(LANE_LEFT)}" y="${num(top)}" width="${num(right - LANE_LEFT)}" height="${LANE_HEIGHT}" fill="${band}"/>`,
      `<line x1="${num(LANE_LEFT)}" y1="${num(top + LANE_HEIGHT)}" x2="${num(right)}" y2="${num(top + LANE_HEIGHT)}" stroke="${mixColours(lane.colour, COLOURS.stepBorder, 0.4)}" stroke-width="1"/>`,
      `<rect x="${num(LANE_LEFT)}" y="${num(top)}" width="${num(textWidth(name, 15, true) + 24)}" height="30" fill="${mixWithWhite(lane.colour, 1)}" stroke="${mixColours(lane.colour, COLOURS.stepBorder, 0.5)}" stroke-width="1"/>`,
      svgText(LANE_LEFT + 12, top + 21, name, { size: 15, bold: true, fill: COLOURS.text }),
      '</g>',
    );
  });
  out.push('</g>');

  out.push('<g data-layer="edges">');
  for (const shape of shapes) out.push(edgePath(shape, prefix));
  out.push('</g>');

  out.push('<g data-layer="elements">');
  for (const card of cards.values()) {
    const mark = highlight[card.node.id];
    const faded = mark === 'removed' ? ' opacity="0.5"' : '';
    out.push(`<g data-id="${escapeXml(card.node.id)}" data-kind="${card.node.kind}"${faded}>`, ...card.body, '</g>');
    if (mark) {
      const look = HIGHLIGHT_LOOK[mark];
      out.push(
        `<rect x="${num(card.x - 6)}" y="${num(card.y - 6)}" width="${num(card.width + 12)}" height="${num(card.height + 12)}" rx="10" fill="none" stroke="${look.colour}" stroke-width="3"${mark === 'removed' ? ' stroke-dasharray="6 4"' : ''} data-highlight="${mark}"/>`,
        svgText(card.x - 4, card.y - 10, look.label, { size: 12, bold: true, fill: look.colour }),
      );
    }
  }
  out.push('</g>');

  out.push('<g data-layer="edge-marks">');
  for (const shape of shapes) out.push(...edgeMarks(shape));
  out.push('</g>', '</g>');

  if (legendDrawn) {
    out.push(`<g data-layer="legend" transform="translate(0 ${num(header + mapHeight)})">`, ...legendDrawn.svg, '</g>');
  }
  out.push('</svg>');
  return { svg: `${out.join('\n')}\n`, width, height };
}

/** The whole map as an SVG document (text). Same board, same options → the same bytes. */
export function boardSvg(file: BoardFile, options: BoardSvgOptions = {}): string {
  return boardPicture(file, options).svg;
}
