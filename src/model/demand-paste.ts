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
    if (!words) return errors.push({ line, message: `line ${line}: the customer's words are missing` });
    const demandClass = CLASS_WORDS[klass.toLowerCase()];
    if (!demandClass) {
      return errors.push({ line, message: `line ${line}: class must be "value" or "failure", not "${klass}"` });
    }
    const parsedCount = Number(count.replace(/[\s,]/g, ''));
    if (count === '' || !Number.isInteger(parsedCount) || parsedCount < 0) {
      return errors.push({ line, message: `line ${line}: count must be a whole number of 0 or more, not "${count}"` });
    }
    const p = predictable.toLowerCase();
    if (!YES.has(p) && !NO.has(p)) {
      return errors.push({ line, message: `line ${line}: predictable must be yes or no, not "${predictable}"` });
    }
    rows.push({ words, demandClass, count: parsedCount, predictable: YES.has(p) });
  });
  return { rows, errors };
}
