/**
 * Demand rows pasted from a spreadsheet or typed as CSV: "words, class, count,
 * predictable", tab- or comma-separated, with or without a header line. Good
 * rows become demand items; each bad row is reported by its line number and
 * none of it is guessed.
 */
import type { DemandClass } from './measures';

export interface DemandRow {
  words: string;
  demandClass: DemandClass;
  count: number;
  predictable: boolean;
}

export interface DemandRowError {
  line: number;
  message: string;
}

const CLASS_WORDS: Record<string, DemandClass> = { value: 'value', v: 'value', failure: 'failure', f: 'failure' };
const YES = new Set(['yes', 'y', 'true', '1', 'predictable']);
const NO = new Set(['no', 'n', 'false', '0', '', 'unpredictable']);

/** Splits one CSV line, honouring "quoted, fields" and "" escapes. */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}

function isHeader(fields: string[]): boolean {
  return /words|demand|what.*customer/i.test(fields[0] ?? '') && /class|type/i.test(fields[1] ?? '');
}

/** "you wrote 2.5", or "it is empty". */
function wrote(value: string): string {
  return value === '' ? 'it is empty' : `you wrote ${value}`;
}

export function parseDemandRows(text: string): { rows: DemandRow[]; errors: DemandRowError[] } {
  const rows: DemandRow[] = [];
  const errors: DemandRowError[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const fields = (raw.includes('\t') ? raw.split('\t') : splitCsvLine(raw)).map((f) => f.trim());
    if (index === 0 && isHeader(fields)) return;
    const [words, klass = '', count = '', predictable = ''] = fields;
    // Each refusal says the row, what is wrong, what was written and so what to write instead.
    const refuse = (problem: string) => errors.push({ line, message: `Demand row ${line}: ${problem}.` });
    if (!words) return refuse("the customer's words are missing: write what the customer said in the first column");
    const demandClass = CLASS_WORDS[klass.toLowerCase()];
    if (!demandClass) return refuse(`the class must be “value” or “failure” (${wrote(klass)})`);
    const parsedCount = Number(count.replace(/[\s,]/g, ''));
    if (count === '' || !Number.isInteger(parsedCount) || parsedCount < 0) {
      return refuse(`the count must be a whole number of 0 or more (${wrote(count)})`);
    }
    const p = predictable.toLowerCase();
    if (!YES.has(p) && !NO.has(p)) return refuse(`“predictable” must be yes or no (${wrote(predictable)})`);
    rows.push({ words, demandClass, count: parsedCount, predictable: YES.has(p) });
  });
  return { rows, errors };
}
