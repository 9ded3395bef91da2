// Stops the server global-setup.ts started and removes its temp dir (ACCORD_E2E_KEEP=1 keeps it).
import * as fs from 'node:fs';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export default async function globalTeardown(): Promise<void> {
  const pid = Number(process.env.ACCORD_E2E_PID || 0);
  if (pid > 0 && alive(pid)) {
    process.kill(pid, 'SIGTERM');
    // Graceful shutdown first; a server that hangs is killed after 5 s.
    const deadline = Date.now() + 5_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  const dir = process.env.ACCORD_E2E_DIR;
  if (dir && !process.env.ACCORD_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
}
