/**
 * `npm run test:stress [-- --busy N --runs R [test filters…]]`
 *
 * Runs the integration and e2e tests R times in a row (default 3) while N
 * CPU-bound busy loops (default 2) take the cores, the way a shared CI machine
 * does: a test that waits for time, or for an intermediate state another
 * client happens to see first on an idle machine, fails here. A failing run
 * does not stop the next; at the end every failing test is listed per run.
 * Exits non-zero when any run failed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(import.meta.dirname, '..');

interface Options {
  busy: number;
  runs: number;
  /** Passed on to vitest as file filters, to stress one file. */
  filters: string[];
}

function parseOptions(args: string[]): Options {
  const options: Options = { busy: 2, runs: 3, filters: [] };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') ? arg.split('=', 2) : [arg, undefined];
    if (flag === '--busy' || flag === '--runs') {
      const value = inline ?? args[(i += 1)];
      if (value === undefined || !/^\d+$/.test(value)) {
        throw new Error(`${flag} needs a whole number, like ${flag} 2 (got ${value ?? 'nothing'})`);
      }
      const count = Number(value);
      if (flag === '--runs' && count < 1) throw new Error('--runs must be at least 1');
      if (flag === '--busy') options.busy = count;
      else options.runs = count;
    } else if (flag === '--help' || flag === '-h') {
      console.log('usage: npm run test:stress -- [--busy N] [--runs R] [test file filters…]');
      process.exit(0);
    } else if (flag.startsWith('-')) {
      throw new Error(`unknown option ${flag}; the options are --busy N and --runs R`);
    } else {
      options.filters.push(arg);
    }
  }
  return options;
}

/** What vitest's json reporter writes (only the fields read here). */
interface JsonReport {
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
  }[];
}

interface Failure {
  file: string;
  test: string;
  error: string;
}

interface RunResult {
  passed: boolean;
  failures: Failure[];
  seconds: number;
}

function firstLine(text: string | undefined): string {
  const line = (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  return line ?? '(no error message)';
}

function failuresOf(report: JsonReport): Failure[] {
  const failures: Failure[] = [];
  for (const file of report.testResults) {
    const name = path.relative(root, file.name);
    const failed = file.assertionResults.filter((t) => t.status === 'failed');
    for (const t of failed) failures.push({ file: name, test: t.fullName, error: firstLine(t.failureMessages[0]) });
    // A failing beforeAll or an import error fails the file without failing any one test.
    if (failed.length === 0 && file.status === 'failed') {
      failures.push({ file: name, test: '(the file itself)', error: firstLine(file.message) });
    }
  }
  return failures;
}

const busyLoops = new Set<ChildProcess>();
const loops = (count: number) => `${count} busy loop${count === 1 ? '' : 's'}`;
/** The vitest run under way, started in its own process group. */
let testRun: ChildProcess | null = null;

function running(child: ChildProcess): child is ChildProcess & { pid: number } {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

/** Kills every child this script started: the busy loops and a running vitest with its workers and browsers. */
function killChildren() {
  try {
    if (testRun && running(testRun)) process.kill(-testRun.pid, 'SIGKILL');
  } catch {
    // The run ended between the check and the kill.
  }
  testRun = null;
  for (const loop of busyLoops) if (running(loop)) loop.kill('SIGKILL');
  busyLoops.clear();
}

process.on('exit', killChildren);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    console.error(`\nstress: ${signal}, stopping the busy loops and the test run`);
    killChildren();
    process.exit(130);
  });
}

function startBusyLoops(count: number) {
  for (let i = 0; i < count; i += 1) {
    // Pure CPU, but now and then it checks that this script is still its parent: a loop whose
    // script was killed outright (no chance to clean up) ends by itself instead of heating the machine.
    const loop = `for (let i = 1; ; i++) if (i % 1e8 === 0 && process.ppid !== ${process.pid}) process.exit();`;
    busyLoops.add(spawn(process.execPath, ['-e', loop], { stdio: 'ignore' }));
  }
}

function runOnce(run: number, options: Options, reportDir: string): Promise<RunResult> {
  const require = createRequire(import.meta.url);
  const vitest = path.join(path.dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
  const reportFile = path.join(reportDir, `run-${run}.json`);
  const started = Date.now();
  const args = [
    vitest,
    'run',
    '--project',
    'integration',
    '--project',
    'e2e',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${reportFile}`,
    ...options.filters,
  ];
  // CI=true: a missing browser fails the run instead of skipping the e2e tests.
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: 'inherit',
    detached: true,
    env: { ...process.env, CI: 'true' },
  });
  testRun = child;
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      testRun = null;
      const seconds = Math.round((Date.now() - started) / 1000);
      let failures: Failure[] = [];
      if (fs.existsSync(reportFile)) {
        failures = failuresOf(JSON.parse(fs.readFileSync(reportFile, 'utf8')) as JsonReport);
      }
      const passed = code === 0;
      if (!passed && failures.length === 0) {
        failures.push({
          file: '(vitest)',
          test: '(outside any test)',
          error: `vitest exited ${signal ?? `with code ${code}`}; see the errors above`,
        });
      }
      resolve({ passed, failures, seconds });
    });
  });
}

async function main() {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`stress: ${(error as Error).message}`);
    process.exit(2);
  }

  console.log('stress: building the client once');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('stress: the client build failed; nothing was run');
    process.exit(1);
  }

  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'purposeboard-stress-'));
  startBusyLoops(options.busy);
  const results: RunResult[] = [];
  try {
    for (let run = 1; run <= options.runs; run += 1) {
      console.log(`\nstress: run ${run} of ${options.runs}, with ${loops(options.busy)}`);
      const result = await runOnce(run, options, reportDir);
      results.push(result);
      console.log(`stress: run ${run} ${result.passed ? 'passed' : 'FAILED'} in ${result.seconds} s`);
    }
  } finally {
    killChildren();
    fs.rmSync(reportDir, { recursive: true, force: true });
  }

  console.log('\n== stress summary');
  results.forEach((result, i) => {
    console.log(`run ${i + 1}: ${result.passed ? 'passed' : 'FAILED'} (${result.seconds} s)`);
    for (const f of result.failures) console.log(`  ${f.file} > ${f.test} > ${f.error}`);
  });
  const passed = results.filter((r) => r.passed).length;
  console.log(`${passed} of ${results.length} runs passed with ${loops(options.busy)}`);
  process.exitCode = passed === results.length ? 0 : 1;
}

await main();
