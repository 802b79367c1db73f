/**
 * Real PostgreSQL and Redis servers for the tests, each started on a free
 * port in its own temporary directory from the installed binaries (Debian's
 * postgresql-15 and redis-server), and stopped when the test is done. The
 * machine's own services are never touched.
 *
 * Under CI=true a missing binary is a failure, never a skip; outside CI the
 * tests that need one skip with a message saying what to install.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { makeDataDir } from './server';

const POSTGRES_BIN = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return null;
}

function available(what: string, found: boolean, install: string): boolean {
  if (found) return true;
  if (process.env.CI === 'true') throw new Error(`${what} is missing; CI must install it (${install})`);
  console.warn(`${what} not found: skipping the tests that need it (install it: ${install})`);
  return false;
}

export function postgresAvailable(): boolean {
  return available(
    `PostgreSQL's server (${POSTGRES_BIN}/postgres)`,
    fs.existsSync(path.join(POSTGRES_BIN, 'postgres')) && fs.existsSync(path.join(POSTGRES_BIN, 'initdb')),
    'apt-get install -y postgresql-15',
  );
}

export function redisAvailable(): boolean {
  return available('redis-server', onPath('redis-server') !== null, 'apt-get install -y redis-server');
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface ServiceProcess {
  port: number;
  /** postgres://… or redis://… */
  url: string;
  dir: string;
  output(): string;
  /** Stops the server (SIGTERM, or the signal given) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function run(
  command: string,
  args: string[],
  ready: RegExp,
  what: string,
): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve({ child, output: () => output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before it was ready:\n${output}`));
    });
  });
}

function stopper(child: ChildProcess) {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
}

/**
 * PostgreSQL refuses to run as root (CI machines and these sandboxes run
 * as root): then the cluster is run as the unprivileged `postgres` user
 * that Debian's package makes, in a directory it owns.
 */
function asPostgresUser(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  // setpriv execs the command itself, so a signal sent to the child reaches postgres.
  return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', command, ...args]];
}

/**
 * A fresh PostgreSQL cluster (initdb) on a free port, with fsync off (the
 * tests check our durability rules, not the disk's), reachable as
 * postgres://postgres@127.0.0.1:<port>/postgres. Its directory is removed
 * when it stops.
 */
export async function startPostgres(): Promise<ServiceProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'purposeboard-pg-'));
  if (process.getuid?.() === 0) {
    const { execFileSync } = await import('node:child_process');
    execFileSync('chown', ['postgres', dir]);
  }
  const data = path.join(dir, 'pgdata');
  await new Promise<void>((resolve, reject) => {
    const init = spawn(
      ...asPostgresUser(path.join(POSTGRES_BIN, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync']),
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    init.stdout?.on('data', (chunk) => (output += chunk));
    init.stderr?.on('data', (chunk) => (output += chunk));
    init.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`initdb failed (${code}):\n${output}`))));
  });
  const port = await freePort();
  const { child, output } = await run(
    ...asPostgresUser(path.join(POSTGRES_BIN, 'postgres'), [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      // Every test server keeps a pool of up to 10 connections, and a file may run several servers.
      '-c',
      'max_connections=300',
    ]),
    /database system is ready to accept connections/,
    'postgres',
  );
  const stop = stopper(child);
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dir,
    output,
    async stop(signal?: NodeJS.Signals) {
      await stop(signal);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A redis-server on a free port that keeps nothing on disk, as in production (Redis holds nothing durable). */
export async function startRedis(port?: number): Promise<ServiceProcess> {
  const dir = makeDataDir();
  const chosen = port ?? (await freePort());
  const { child, output } = await run(
    'redis-server',
    ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    /Ready to accept connections/,
    'redis-server',
  );
  return { port: chosen, url: `redis://127.0.0.1:${chosen}`, dir, output, stop: stopper(child) };
}
