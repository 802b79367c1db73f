/**
 * The comparison picture (src/export/compare-svg.ts) from the housing-repairs
 * example pair and a redesign of it: both maps with their marks and their own
 * marker ids, the measures table in the view's words with "—" and a verdict
 * colour, the "matched by labels" note only when it is so, and the same bytes
 * for the same comparison.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  compareBoards,
  comparedSideOfDoc,
  deleteElements,
  exportBoardFile,
  nodesMap,
  readMeta,
  updateStep,
  type Comparison,
} from '../../src/model';
import { getTemplate } from '../../src/model/templates';
import {
  HIGHLIGHT_LOOK,
  MATCHED_BY_LABEL_NOTE,
  NO_HEADLINE,
  RESULTS_SLIDE,
  VERDICT_COLOURS,
  comparePicture,
  headlineParts,
  resultsSlide,
  sideName,
  escapeXml,
  formatChange,
  formatChangePct,
  formatValue,
  verdictText,
} from '../../src/export';

function template(id: string): Y.Doc {
  const doc = new Y.Doc();
  getTemplate(id)!.apply(doc);
  return doc;
}

function compared(before: Y.Doc, after: Y.Doc): Comparison {
  return compareBoards(
    comparedSideOfDoc(before, { ref: 'b', title: readMeta(before).title }),
    comparedSideOfDoc(after, { ref: 'a', title: readMeta(after).title, versionName: 'workshop 2' }),
  );
}

/** The step ids of a doc, sorted. */
function stepIds(doc: Y.Doc): string[] {
  return [...nodesMap(doc).entries()]
    .filter(([, node]) => node.get('kind') === 'step')
    .map(([id]) => id)
    .sort();
}

describe('comparePicture', () => {
  const before = template('housing-repairs-before');
  const after = template('housing-repairs-after');
  const comparison = compared(before, after);
  const picture = comparePicture(comparison, exportBoardFile(before), exportBoardFile(after));

  it('is the same bytes for the same comparison', () => {
    const again = comparePicture(compared(before, after), exportBoardFile(before), exportBoardFile(after));
    expect(again.svg).toBe(picture.svg);
  });

  it('has the title, both maps with their own markers and every removed and added step marked', () => {
    expect(picture.svg).toContain('>Before → After</text>');
    expect(picture.svg.match(/<svg /g)!.length).toBe(3);
    expect(picture.svg).toContain('id="before-arrow-flow"');
    expect(picture.svg).toContain('id="after-arrow-flow"');
    expect(picture.svg.match(/data-highlight="removed"/g)!.length).toBe(comparison.steps.removed.length);
    expect(picture.svg.match(/data-highlight="added"/g)!.length).toBe(comparison.steps.added.length);
    expect(picture.svg).toContain(`stroke="${HIGHLIGHT_LOOK.removed.colour}"`);
    expect(comparison.matchedBy).toBe('label');
    expect(picture.svg).toContain(escapeXml(MATCHED_BY_LABEL_NOTE));
  });

  it('has every row of the measures table in the view’s words, verdicts in a word and a colour', () => {
    for (const m of comparison.measures) {
      for (const cell of [
        formatValue(m.unit, m.before),
        formatValue(m.unit, m.after),
        formatChange(m.unit, m.change),
        formatChangePct(m.changePct),
      ]) {
        expect(picture.svg, m.key).toContain(`>${escapeXml(cell)}</text>`);
      }
      expect(picture.svg).toContain(`fill="${VERDICT_COLOURS[m.verdict]}">${escapeXml(verdictText(m.verdict))}</text>`);
    }
    // A change % from 0 (waste steps of a type neither board has) is "—".
    expect(comparison.measures.some((m) => m.changePct === null)).toBe(true);
    expect(picture.svg).toContain('>—</text>');
  });

  it('a redesign that keeps the ids: changed steps marked on both maps, no "matched by labels" note', () => {
    const redesign = new Y.Doc();
    Y.applyUpdate(redesign, Y.encodeStateAsUpdate(before));
    const [first, second, third] = stepIds(redesign);
    deleteElements(redesign, { nodeIds: [first] });
    updateStep(redesign, second, { pt: 1 });
    updateStep(redesign, third, { pt: 2 });
    const c = compared(before, redesign);
    expect(c.steps.changed.length).toBe(2);
    const svg = comparePicture(c, exportBoardFile(before), exportBoardFile(redesign)).svg;
    expect(svg.match(/data-highlight="changed"/g)!.length).toBe(4);
    expect(svg.match(/data-highlight="removed"/g)!.length).toBe(1);
    expect(svg).not.toContain(escapeXml(MATCHED_BY_LABEL_NOTE));
  });
});

/** Every part of every headline line, as the picture writes it (long figures may be cut with "…"). */
function headlineTexts(comparison: Comparison): string[] {
  return comparison.headline.flatMap((item) => {
    const { label, figures, change } = headlineParts(item);
    return [`${label}:`, figures, `${change ? `${change} ` : ''}${verdictText(item.verdict)}`];
  });
}

describe('the headline in the pictures', () => {
  const before = template('housing-repairs-before');
  const after = template('housing-repairs-after');
  const comparison = compared(before, after);

  it('opens the comparison picture, above the maps, in the view’s words', () => {
    const { svg } = comparePicture(comparison, exportBoardFile(before), exportBoardFile(after));
    expect(comparison.headline.length).toBeGreaterThanOrEqual(4);
    for (const text of headlineTexts(comparison)) expect(svg).toContain(`>${escapeXml(text)}</text>`);
    const headlineAt = svg.indexOf('>What changed</text>');
    expect(headlineAt).toBeGreaterThan(0);
    expect(headlineAt).toBeLessThan(svg.indexOf('id="before-arrow-flow"'));
  });

  it('is the whole of the Results slide: 16:9, the title, both boards named, each line with its verdict colour', () => {
    const slide = resultsSlide(comparison);
    expect([slide.width, slide.height]).toEqual([RESULTS_SLIDE.width, RESULTS_SLIDE.height]);
    expect(slide.svg).toContain('>Results</text>');
    expect(slide.svg).toContain(escapeXml(`${sideName(comparison.before)} → ${sideName(comparison.after)}`));
    for (const item of comparison.headline) {
      const { label, figures, change } = headlineParts(item);
      for (const text of [label, figures, `${change ? `${change} ` : ''}${verdictText(item.verdict)}`]) {
        expect(slide.svg).toContain(`>${escapeXml(text)}</text>`);
      }
    }
    for (const item of comparison.headline) expect(slide.svg).toContain(`fill="${VERDICT_COLOURS[item.verdict]}"`);
    expect(resultsSlide(compared(before, after)).svg).toBe(slide.svg);
  });

  it('says so when nothing changed, rather than showing an empty slide', () => {
    const same = compared(before, before);
    expect(same.headline).toEqual([]);
    expect(resultsSlide(same).svg).toContain(`>${escapeXml(NO_HEADLINE)}</text>`);
  });
});
