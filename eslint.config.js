import js from '@eslint/js';
import globals from 'globals';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/**
 * The rooms of src/, from the ground up (README "How it is built"). A room
 * imports only rooms on lower floors: never one above it, never a sideways
 * neighbour on its own floor. The server imports only the bottom two floors.
 */
const FLOORS = [
  ['model', 'protocol'],
  ['export'],
  ['collab', 'api'],
  ['ui'],
  ['canvas'],
  ['panels', 'compare'],
  ['app'],
];
const floorName = (floor) => FLOORS[floor].map((room) => `src/${room}`).join(' and ');

/** One zone per room: it may not import any room above it or beside it. */
function layerZones() {
  const zones = [];
  FLOORS.forEach((rooms, floor) => {
    for (const room of rooms) {
      const above = FLOORS.slice(floor + 1).flat();
      const beside = rooms.filter((other) => other !== room);
      for (const other of [...above, ...beside]) {
        const otherFloor = FLOORS.findIndex((f) => f.includes(other));
        zones.push({
          target: `./src/${room}`,
          from: `./src/${other}`,
          message:
            otherFloor === floor
              ? `src/${room} and src/${other} are neighbours on floor ${floor + 1} (${floorName(floor)}): neither imports the other; move what both need to a lower floor.`
              : `src/${room} is on floor ${floor + 1} (${floorName(floor)}) and may not import src/${other} on floor ${otherFloor + 1} (${floorName(otherFloor)}): a room imports only the floors below it.`,
        });
      }
    }
  });
  const clientOnly = ['collab', 'api', 'ui', 'canvas', 'panels', 'compare', 'app'];
  for (const room of clientOnly) {
    zones.push({
      target: './server',
      from: `./src/${room}`,
      message: `The server imports only src/model, src/protocol and src/export, never client code such as src/${room}.`,
    });
  }
  zones.push({ target: './server', from: './src/main.tsx', message: 'The server never imports the client entry.' });
  return zones;
}

export default tseslint.config(
  { ignores: ['dist', 'dist-bench', 'data', 'node_modules'] },
  {
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks, 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.css'] })],
      // no-cycle reads the imported files too, so it needs to know how to parse TypeScript.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/extensions': ['.ts', '.tsx', '.js'],
    },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}', 'server/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layerZones() }],
      // A circle between modules hides which one is lower (the rule follows runtime imports; type-only ones it skips).
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
);
