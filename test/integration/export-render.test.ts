/**
 * The map as PNG and the workshop report as PDF, rendered by the server's
 * writers (resvg, pdfkit) with the DejaVu fonts: the PNG decodes at 2× the
 * map's size and is not blank; the PDF has its pages and their text, embeds
 * its fonts, and the same board gives the same bytes.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PNG } from 'pngjs';
import { PDFParse } from 'pdf-parse';
import {
  addCondition,
  addNote,
  exportBoardFile,
  getTemplate,
  measuresOfDoc,
  setCapabilitySeries,
  setPeriod,
} from '../../src/model';
import { MEASURE_TEXTS, boardPicture, measureValueText } from '../../src/export';
import { exportBoard } from '../../server/export/exports';
import { PNG_MAX_SIDE, pngScaleFor, svgToPng } from '../../server/export/png';
import { mapParts, reportPdf } from '../../server/export/report-pdf';

const DAY = new Date(Date.UTC(2026, 2, 4, 10, 30));

function workshopBoard(): Y.Doc {
  const doc = new Y.Doc();
  getTemplate('housing-repairs-before')!.apply(doc);
  setCapabilitySeries(doc, [34560, 30240, 41760, 25920, 37440, 28800], 'days');
  setPeriod(doc, 'four weeks in March');
  addNote(doc, { position: { x: 1400, y: -300 }, text: 'Why is every job inspected twice?', colour: 'pink' });
  addCondition(doc, {
    position: { x: 1800, y: 700 },
    label: 'Call-handling target of 3 minutes',
    conditionType: 'target',
  });
  return doc;
}

/** Distinct colours in a decoded PNG (sampled every 7th pixel). */
function distinctColours(png: PNG): number {
  const colours = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4 * 7) {
    colours.add((png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2]);
  }
  return colours.size;
}

describe('PNG of the map', () => {
  it('decodes, is twice the SVG size, and is not blank', async () => {
    const doc = workshopBoard();
    const picture = boardPicture(exportBoardFile(doc));
    const png = PNG.sync.read(await svgToPng(picture.svg));
    expect(png.width).toBe(picture.width * 2);
    expect(png.height).toBe(picture.height * 2);
    expect(distinctColours(png)).toBeGreaterThan(200);
    // The top-left corner is the white page; somewhere there is the teal of a value-demand card.
    expect([...png.data.subarray(0, 3)]).toEqual([255, 255, 255]);
  });

  it('a map too wide for 2× is drawn smaller, at most PNG_MAX_SIDE pixels', () => {
    expect(pngScaleFor(1600, 900)).toBe(2);
    expect(pngScaleFor(32_000, 900)).toBe(0.5);
    expect(Math.round(20_000 * pngScaleFor(20_000, 500))).toBe(PNG_MAX_SIDE);
  });

  it('the same board gives the same PNG bytes', async () => {
    const doc = workshopBoard();
    const first = await exportBoard(doc, 'png', DAY);
    expect((await exportBoard(doc, 'png', DAY)).equals(first)).toBe(true);
  });
});

describe('the PDF workshop report', () => {
  it('has its pages in order with their text, every measure with its explanation', async () => {
    const doc = workshopBoard();
    const file = exportBoardFile(doc);
    const measures = measuresOfDoc(doc);
    const pdf = await reportPdf({ file, measures, date: DAY });
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    const result = await parser.getText();
    await parser.destroy();
    const pages = result.pages.map((p) => p.text.replace(/\s+/g, ' '));
    expect(pages.length).toBeGreaterThanOrEqual(5);
    const all = pages.join(' ');
    const pageOf = (text: string) => pages.findIndex((p) => p.includes(text));
    expect(pages[0]).toContain(file.title);
    expect(pages[0]).toContain('Workshop report · 2026-03-04');
    expect(pages[0]).toContain('Counts per four weeks in March');
    expect(pages[0]).toContain('Do the right repair at the right time');
    expect(pages[0]).toContain('Come when I');
    for (const text of MEASURE_TEXTS) {
      expect(all).toContain(text.label);
      expect(all).toContain(text.explanation.replace(/\s+/g, ' ').slice(0, 30));
      expect(all).toContain(measureValueText(measures, text.key));
    }
    const map = pageOf('The map');
    expect(map).toBeGreaterThan(0);
    // The map page holds the map's own text (lanes and steps), as text, not a bitmap.
    for (const lane of file.lanes) expect(pages[map]).toContain(lane.name);
    expect(pages[map]).toContain('Take repair call');
    // A map too wide to read on one page follows in parts, each a landscape page of its own.
    expect(pages[map + 1]).toContain('The map, part 1 of 2');
    expect(pages[map + 2]).toContain('The map, part 2 of 2');
    expect(pages[map + 1]).toContain('Take repair call');
    expect(pages[map + 2]).toContain('Close job and');
    expect(pageOf('In the customer')).toBe(map + 3);
    for (const row of measures.pareto) expect(all).toContain(row.words);
    expect(pageOf('Waste by type')).toBeGreaterThan(map);
    expect(pageOf('Capability: end-to-end')).toBe(-1); // the chart's <title> is not printed
    expect(all).toMatch(/A case takes between .+; on average .+\./);
    expect(all).toContain('Call-handling target of 3 minutes');
    expect(all).toContain('Why is every job inspected twice?');
    expect(pageOf('Notes')).toBe(pages.length - 1);
    // The template's result, with its figure (the average of its eight weeks), direction and dates.
    expect(all).toContain('Repairs fixed at the first visit, %: 59.4%');
    expect(all).toContain('Higher is better. The average of 8 values, 2026-01-05 to 2026-02-23.');
    // …and its series drawn as a process-behaviour chart, with the mean and limits labelled.
    expect(all).toContain('8 values, oldest first');
    expect(all).toMatch(/mean 59\.4%/);
  });

  it('embeds the DejaVu fonts, is A4 with the map on a landscape page, and dates itself from the board', async () => {
    const doc = workshopBoard();
    const pdf = await reportPdf({ file: exportBoardFile(doc), measures: measuresOfDoc(doc), date: DAY });
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans-Bold\b/);
    expect(raw).toContain('/FontFile2');
    expect(raw).toContain('/MediaBox [0 0 595.28 841.89]');
    expect(raw).toContain('/MediaBox [0 0 841.89 595.28]');
    expect(raw).toMatch(/\/CreationDate (\d+) 0 R/);
    const dateObject = /\/CreationDate (\d+) 0 R/.exec(raw)![1];
    expect(raw).toContain(`\n${dateObject} 0 obj\n(D:20260304103000Z)`);
    const again = await reportPdf({ file: exportBoardFile(doc), measures: measuresOfDoc(doc), date: DAY });
    expect(again.equals(pdf)).toBe(true);
  });

  it('splits only a map too wide to read on one page, into overlapping strips that cover it', () => {
    expect(mapParts(1200, 500)).toEqual([]);
    const parts = mapParts(3140, 1296);
    expect(parts).toHaveLength(2);
    expect(parts[0].x).toBe(0);
    expect(parts[1].x + parts[1].width).toBeGreaterThanOrEqual(3140);
    expect(parts[1].x).toBeLessThan(parts[0].x + parts[0].width);
    expect(mapParts(9000, 1300).length).toBeGreaterThan(3);
  });

  it('an empty board still makes a whole report that says what is missing', async () => {
    const doc = new Y.Doc();
    const pdf = await reportPdf({ file: exportBoardFile(doc), measures: measuresOfDoc(doc), date: DAY });
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    const text = (await parser.getText()).text.replace(/\s+/g, ' ');
    await parser.destroy();
    expect(text).toContain('No purpose written on the board yet.');
    expect(text).toContain('No demand counted yet.');
    expect(text).toContain('No system conditions on the board.');
    expect(text).toContain('No notes on the board.');
  });
});
