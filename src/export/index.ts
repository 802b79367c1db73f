/**
 * Exports made from the board model: the map and the analysis charts as SVG,
 * and the measures' wording. Pure TypeScript (no DOM, no Node APIs), shared by
 * the server's PNG and PDF writers, the CLI and the before/after comparison.
 */
export * from './svg-text';
export * from './sizes';
export * from './format';
export * from './measure-text';
export * from './board-svg';
export * from './charts';
export * from './download-name';
export * from './compare-text';
export * from './compare-svg';
