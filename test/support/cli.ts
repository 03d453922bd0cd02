import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..');
const bin = join(repoRoot, 'bin', 'listsync.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  json: unknown;
  args: string[];
}

/** Runs the real `listsync` command in a child process, as a user would (stdin for keys). */
export function cli(dataDir: string, args: string[], input?: string): Promise<CliResult> {
  const all = ['--json', '--data-dir', dataDir, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...all], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      let json: unknown = undefined;
      try { json = JSON.parse(stdout); } catch { /* not JSON */ }
      resolve({ code, stdout, stderr, json, args: all });
    });
    child.stdin.end(input ?? '');
  });
}

export function cliSync(dataDir: string, args: string[], input?: string): CliResult {
  const all = ['--json', '--data-dir', dataDir, ...args];
  const r = spawnSync(process.execPath, [bin, ...all], { cwd: repoRoot, input: input ?? '', encoding: 'utf8' });
  let json: unknown = undefined;
  try { json = JSON.parse(r.stdout); } catch { /* not JSON */ }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json, args: all };
}
