/** One temporary folder for every test server's data, removed when the run ends. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'purposeboard-run-'));
  process.env.PURPOSEBOARD_TEST_TMP = dir;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
