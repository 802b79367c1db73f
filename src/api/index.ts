/** The typed HTTP client: every call the screens make to /api (README "Public interfaces"). */
export * from './http';
export * from './boards';
export * from './versions';
export * from './access';
export * from './study';
