/**
 * From what someone typed in an inspector field to the value a model
 * operation takes. Only the reading is done here (is it a time, a number?);
 * the rules (LT ≥ PT, %C&A within 0–100, whole counts) stay in the model
 * operations, which throw a BoardOperationError naming the field.
 */
import { parseTime } from '../model';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** A step time: "45m", "3h", "2d", "1.5 d"; empty clears it (null). */
export function parseTimeInput(text: string): Parsed<number | null> {
  if (text.trim() === '') return { ok: true, value: null };
  const parsed = parseTime(text);
  return parsed.ok ? { ok: true, value: parsed.minutes } : { ok: false, error: parsed.error };
}

function readNumber(text: string): number | null {
  const cleaned = text
    .trim()
    .replace(/(\d),(\d{3})\b/g, '$1$2')
    .replace(/(\d),(\d)/g, '$1.$2');
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(cleaned)) return null;
  return Number(cleaned);
}

/** %C&A: "80", "80%", "92.5"; empty clears it. The range is the model's to check. */
export function parsePercentInput(text: string): Parsed<number | null> {
  const trimmed = text.trim().replace(/%$/, '').trim();
  if (trimmed === '') return { ok: true, value: null };
  const value = readNumber(trimmed);
  return value === null ? { ok: false, error: '%C&A must be a number from 0 to 100' } : { ok: true, value };
}

/** A demand count: "260", "1,000". Whole and not negative is the model's to check. */
export function parseCountInput(text: string): Parsed<number> {
  const value = text.trim() === '' ? null : readNumber(text);
  return value === null ? { ok: false, error: 'A count is a whole number of 0 or more' } : { ok: true, value };
}

/** What matters, edited as one item per line. */
export function whatMattersFromText(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/^\s*[-•*]\s*/, '').trim())
    .filter((line) => line !== '');
}
