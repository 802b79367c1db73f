/** The board model: pure TypeScript shared by the client, the server and the CLI. */
export * from './schema';
export * from './types';
export * from './operations';
export * from './read';
export * from './time';
export * from './measures';
export * from './demand-paste';
export * from './measures-input';
export * from './elements';
export * from './templates';
export * from './capability-series';
export * from './layout';
export * from './demand-rows';
export * from './lane-geometry';
export * from './lane-moves';
export * from './board-file';
export * from './csv';
