/**
 * The measures' names, values and explanations live in src/export/measure-text.ts:
 * the analysis panel and the PDF workshop report say them in the same words.
 */
export * from '../export/measure-text';
