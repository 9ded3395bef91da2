// Where the accord binary and the E2E server's state live; shared by global setup and teardown.
import * as os from 'node:os';
import * as path from 'node:path';

export function accordBin(): string {
  if (process.env.ACCORD_BIN) return process.env.ACCORD_BIN;
  const target = process.env.CARGO_TARGET_DIR || path.join(os.homedir(), '.cache', 'accord-target');
  return path.join(target, 'debug', 'accord');
}

/** The server's output, kept after the run for reading when a journey fails. */
export const serverLog = path.join(__dirname, 'accord-server.log');

/** Environment for the server: the caller's, minus any ACCORD_* setting that could point it elsewhere. */
export function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('ACCORD_')) env[key] = value;
  }
  return env;
}
