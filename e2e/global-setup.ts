// Starts one Accord server for the whole run: a fresh SQLite database in a temp dir, migrated and
// filled by `accord demo`, served on a free loopback port. global-teardown.ts stops it.
// ACCORD_E2E_BASE_URL set by the caller means "use that server as it is" (nothing is started).
import { type FullConfig } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { accordBin, serverEnv, serverLog } from './server';

const READY_TIMEOUT_MS = 30_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

function run(bin: string, args: string[], cwd: string): void {
  const res = spawnSync(bin, args, { cwd, env: serverEnv(), encoding: 'utf8', timeout: 120_000 });
  fs.appendFileSync(serverLog, `$ accord ${args.join(' ')}\n${res.stdout ?? ''}${res.stderr ?? ''}\n`);
  if (res.error || res.status !== 0) {
    throw new Error(
      `accord ${args.join(' ')} failed (${res.error?.message ?? `exit ${res.status}`}):\n${res.stdout}${res.stderr}`,
    );
  }
}

async function waitReady(base: string, child: ReturnType<typeof spawn>): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`accord serve exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail(serverLog)}`);
    }
    try {
      const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(1_000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`accord serve did not answer 200 on /readyz within ${READY_TIMEOUT_MS} ms:\n${tail(serverLog)}`);
}

async function startServer(bin: string, dir: string, dbUrl: string, port: number, base: string): Promise<void> {
  // The temp dir is also the working dir, so no accord.toml of the developer's is read.
  run(bin, ['migrate', '--database-url', dbUrl], dir);
  run(bin, ['demo', '--database-url', dbUrl], dir);

  const out = fs.openSync(serverLog, 'a');
  const child = spawn(
    bin,
    ['serve', '--database-url', dbUrl, '--data-dir', dir, '--listen', `127.0.0.1:${port}`, '--base-url', base],
    { cwd: dir, env: serverEnv(), stdio: ['ignore', out, out] },
  );
  fs.closeSync(out);
  // Should the run be interrupted before teardown, don't leave the server behind.
  process.on('exit', () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  process.env.ACCORD_E2E_PID = String(child.pid);
  process.env.ACCORD_E2E_DIR = dir;
  process.env.ACCORD_E2E_BASE_URL = base;
  try {
    await waitReady(base, child);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
}

export default async function globalSetup(_config: FullConfig): Promise<void> {
  if (process.env.ACCORD_E2E_BASE_URL) {
    console.log(`E2E against the running server ${process.env.ACCORD_E2E_BASE_URL}`);
    return;
  }
  const bin = accordBin();
  if (!fs.existsSync(bin)) {
    throw new Error(`${bin} not found: build it first (cargo build --bin accord, or scripts/test) or set ACCORD_BIN`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-e2e-'));
  const dbUrl = `sqlite://${path.join(dir, 'e2e.db')}`;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  fs.writeFileSync(serverLog, '');

  try {
    await startServer(bin, dir, dbUrl, port, base);
  } catch (err) {
    if (!process.env.ACCORD_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  console.log(`accord serve ready at ${base} (log: ${serverLog})`);
}
