/**
 * The map and the charts as SVG, made from the board model: every step label,
 * lane name and edge is in the picture (one <path> with an arrowhead per
 * edge), the same board gives the same bytes, text is escaped, and the charts
 * draw the measures' own numbers.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addLane,
  addNote,
  addStep,
  computeMeasures,
  connect,
  exportBoardFile,
  getTemplate,
  listTemplates,
  measuresInputFromDoc,
  measuresOfDoc,
  serialiseBoardFile,
  setCapabilitySeries,
  type BoardFile,
} from '../../src/model';
import {
  PARETO_MAX_BARS,
  boardPicture,
  boardSvg,
  capabilityChartSvg,
  escapeXml,
  formatInUnit,
  paretoChartSvg,
  wasteByTypeChartSvg,
  wrapText,
} from '../../src/export';

function templateFile(id: string): BoardFile {
  const doc = new Y.Doc();
  getTemplate(id)!.apply(doc);
  return exportBoardFile(doc);
}

/** The text of every <text> inside the element group of `id`, joined by spaces. */
function textOf(svg: string, id: string): string {
  const start = svg.indexOf(`<g data-id="${escapeXml(id)}"`);
  expect(start, `element ${id} is drawn`).toBeGreaterThanOrEqual(0);
  const group = svg.slice(start, svg.indexOf('</g>', start));
  return [...group.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).join(' ');
}

const templates = listTemplates()
  .map((t) => t.id)
  .filter((id) => id !== 'blank');

describe('the map as SVG', () => {
  it.each(templates)('"%s": every step label, lane name and edge, one <path> with a marker per edge', (id) => {
    const file = templateFile(id);
    const svg = boardSvg(file);
    expect(file.edges.length).toBeGreaterThan(5);
    for (const node of file.nodes) {
      if (node.kind === 'step') expect(textOf(svg, node.id)).toContain(escapeXml(node.label));
      if (node.kind === 'demand') expect(textOf(svg, node.id)).toContain(String(node.count));
      if (node.kind === 'condition') expect(textOf(svg, node.id)).toContain(escapeXml(node.label));
      if (node.kind === 'purpose') {
        for (const item of node.whatMatters) expect(textOf(svg, node.id)).toContain(escapeXml(item));
      }
    }
    for (const lane of file.lanes) expect(svg).toContain(`>${escapeXml(lane.name)}</text>`);
    const paths = [...svg.matchAll(/<path [^>]*>/g)].map((m) => m[0]);
    expect(paths).toHaveLength(file.edges.length);
    expect(paths.every((p) => /marker-end="url\(#pb-arrow-[a-z]+\)"/.test(p))).toBe(true);
    expect(paths.map((p) => /data-edge="([^"]+)"/.exec(p)![1]).sort()).toEqual(file.edges.map((e) => e.id).sort());
    // Each marker a path points at is defined.
    for (const p of paths) expect(svg).toContain(`<marker id="${/url\(#([^)]+)\)/.exec(p)![1]}"`);
    // The edge kinds look as on the canvas: rework red dashed, causes dotted, handoffs thicker.
    for (const edge of file.edges) {
      const path = paths.find((p) => p.includes(`data-edge="${edge.id}"`))!;
      if (edge.rework) expect(path).toContain('stroke-dasharray="8 6"');
      if (edge.kind === 'causes') expect(path).toContain('stroke-dasharray="1 6"');
      if (edge.kind === 'entry') expect(path).toContain('stroke="#0e7490"');
    }
    expect(svg).toContain('stroke-width="4"');
    expect(svg).toContain('data-layer="legend"');
    expect(svg).toContain('font-family="&apos;DejaVu Sans&apos;');
  });

  it('value steps have a solid green border and ✓, waste steps a dashed red one and their waste type', () => {
    const file = templateFile('housing-repairs-before');
    const svg = boardSvg(file);
    for (const node of file.nodes) {
      if (node.kind !== 'step' || node.stepClass === null) continue;
      const start = svg.indexOf(`<g data-id="${node.id}"`);
      const card = svg.slice(start, svg.indexOf('</g>', start));
      if (node.stepClass === 'value') {
        expect(card).toContain('stroke="#067647"');
        expect(card).not.toContain('stroke-dasharray');
        expect(card).toContain('✓ value');
      } else {
        expect(card).toContain('stroke="#b42318" stroke-width="2" stroke-dasharray="6 4"');
        expect(card).toContain(`✗ ${node.wasteType ?? 'waste'}`);
      }
    }
  });

  it('the same board gives the same bytes, whatever order its parts come in', () => {
    const file = templateFile('benefits-claim-before');
    const svg = boardSvg(file);
    expect(boardSvg(file)).toBe(svg);
    const shuffled: BoardFile = {
      ...file,
      nodes: [...file.nodes].reverse(),
      edges: [...file.edges].reverse(),
      lanes: [...file.lanes].reverse(),
    };
    expect(boardSvg(shuffled)).toBe(svg);
    expect(serialiseBoardFile(shuffled)).toBe(serialiseBoardFile(file));
    // The board's random ids (data-lane="…3e-4…") are not numbers: only the drawing's figures are checked.
    const figures = svg.replace(/ data-[\w-]+="[^"]*"/g, '');
    expect(figures).not.toMatch(/\d\.\d{3,}/);
    expect(figures).not.toMatch(/NaN|Infinity|undefined|\de-\d/);
  });

  it('escapes text: markup in a label is shown as text, never run', () => {
    const doc = new Y.Doc();
    const lane = addLane(doc, 'A & B <lane>');
    const a = addStep(doc, { label: '<script>alert("x")</script> & \'quotes\'', position: { x: 0, y: 40 }, lane });
    const b = addStep(doc, { label: 'Next', position: { x: 300, y: 40 }, lane });
    connect(doc, a, b);
    addNote(doc, { position: { x: 0, y: -200 }, text: ']]> <!-- not a comment -->', colour: 'blue' });
    const svg = boardSvg(exportBoardFile(doc), { title: 'Title with <b>tags</b> & "quotes"' });
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<b>');
    expect(svg).not.toContain('<!--');
    expect(textOf(svg, a).replace(/ /g, '')).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&apos;quotes&apos;',
    );
    expect(svg).toContain('>Title with &lt;b&gt;tags&lt;/b&gt; &amp; &quot;quotes&quot;</text>');
    expect(svg).toContain('A &amp; B &lt;lane&gt;');
    // Only the tags the writer makes.
    const tags = new Set([...svg.matchAll(/<([a-z]+)[\s>/]/g)].map((m) => m[1]));
    expect([...tags].sort()).toEqual(
      ['circle', 'defs', 'g', 'line', 'marker', 'path', 'polygon', 'polyline', 'rect', 'svg', 'text', 'title'].filter(
        (tag) => tags.has(tag),
      ),
    );
  });

  it('an empty board is a small picture with its title and legend', () => {
    const doc = new Y.Doc();
    const picture = boardPicture(exportBoardFile(doc));
    expect(picture.width).toBeGreaterThan(400);
    expect(picture.height).toBeGreaterThan(100);
    expect(picture.svg).toContain(`width="${picture.width}" height="${picture.height}"`);
    expect(picture.svg).not.toContain('<path ');
  });

  it('marks elements added, removed or changed for a before/after comparison, with a legend entry each', () => {
    const file = templateFile('housing-repairs-after');
    const [first, second, third] = file.nodes.filter((n) => n.kind === 'step');
    const svg = boardSvg(file, {
      highlight: { [first.id]: 'added', [second.id]: 'removed', [third.id]: 'changed' },
      title: 'After',
      idPrefix: 'after',
    });
    expect(svg.match(/data-highlight="(added|removed|changed)"/g)).toHaveLength(3);
    expect(svg).toContain('+ added');
    expect(svg).toContain('− removed');
    expect(svg).toContain('~ changed');
    expect(svg).toContain(`<g data-id="${second.id}" data-kind="step" opacity="0.5">`);
    expect(svg).toContain('marker-end="url(#after-arrow-');
    expect(svg).not.toContain('#pb-arrow');
    expect(svg).toContain('>After</text>');
  });

  it('long words wrap inside a card and a long label ends with …', () => {
    const lines = wrapText('Supercalifragilisticexpialidocious '.repeat(8), 150, 14, true, 3);
    expect(lines).toHaveLength(3);
    expect(lines[2].endsWith('…')).toBe(true);
  });
});

describe('the charts as SVG', () => {
  it('Pareto: one bar per demand type (at most 15), the cumulative line ending at 100%', () => {
    const doc = new Y.Doc();
    getTemplate('housing-repairs-before')!.apply(doc);
    const measures = measuresOfDoc(doc);
    const chart = paretoChartSvg(measures.pareto);
    const bars = chart.svg.match(/<rect [^>]*fill="#(0e7490|b54708)"/g) ?? [];
    expect(bars).toHaveLength(Math.min(measures.pareto.length, PARETO_MAX_BARS));
    const points = /<polyline points="([^"]+)"/.exec(chart.svg)![1].split(' ');
    expect(points).toHaveLength(bars.length);
    expect(chart.svg).toContain('>100%</text>');
    for (const row of measures.pareto) expect(chart.svg).toContain(`>${row.count}</text>`);
    expect(paretoChartSvg([]).svg).toContain('No demand counted yet.');
  });

  it('waste by type: every waste type with its count from the measures', () => {
    const doc = new Y.Doc();
    getTemplate('benefits-claim-before')!.apply(doc);
    const measures = computeMeasures(measuresInputFromDoc(doc));
    const svg = wasteByTypeChartSvg(measures.wasteByType).svg;
    for (const [type, count] of Object.entries(measures.wasteByType)) {
      expect(svg).toMatch(new RegExp(`>${type}</text>`));
      if (count > 0) expect(svg).toContain(`>${count}</text>`);
    }
  });

  it('capability: the points, the mean and both limits in the series unit; fewer than two points says so', () => {
    const doc = new Y.Doc();
    setCapabilitySeries(doc, [1440, 2880, 4320, 2000, 8000], 'days');
    const measures = measuresOfDoc(doc);
    const svg = capabilityChartSvg([1440, 2880, 4320, 2000, 8000], 'days', measures.capability).svg;
    expect(svg.match(/<circle /g)).toHaveLength(5);
    expect(svg).toContain(`mean ${formatInUnit(measures.capability!.mean, 'days')}`);
    expect(svg).toContain(`upper ${formatInUnit(measures.capability!.upper, 'days')}`);
    expect(svg).toContain(`lower ${formatInUnit(measures.capability!.lower, 'days')}`);
    expect(capabilityChartSvg([60], 'hours', null).svg).toContain('Add at least two end-to-end times');
  });

  it('capability: a shift is named under the chart, and new limits from the redesign replace the labels', () => {
    const days = [24, 26, 22, 25, 23, 27, 24, 25, 23, 26, 5, 6, 4, 5, 6, 5, 4, 6, 5, 5];
    const minutes = days.map((d) => d * 1440);
    const doc = new Y.Doc();
    setCapabilitySeries(doc, minutes, 'days');
    const measures = measuresOfDoc(doc);
    const one = capabilityChartSvg(minutes, 'days', measures.capability).svg;
    expect(one).toContain('Cases 1–10: 10 in a row above the mean — the system changed here.');
    expect(one).toContain('more signals');

    const two = capabilityChartSvg(minutes, 'days', measures.capability, 640, 0, 10).svg;
    expect(two).not.toContain('the system changed here');
    // The labels give the after limits (mean 5.1 d), not the whole series' (14.8 d).
    expect(two).toContain(`mean ${formatInUnit(5.1 * 1440, 'days')}`);
    expect(two).not.toContain(`mean ${formatInUnit(measures.capability!.mean, 'days')}`);
    expect(two.match(/stroke-dasharray="2 3"/g)).toHaveLength(1);
  });
});
