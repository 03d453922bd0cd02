import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DataFolderBusyError extends Error {
  constructor(readonly pid: number, dataDir: string) {
    super(`Another ListSync process (pid ${pid}) is using ${dataDir}. Close it, or choose another data folder with --data-dir.`);
    this.name = 'DataFolderBusyError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One process owns a data folder at a time: the app, the daemon or a CLI command. This is what
 * lets start-up mark leftover 'running' runs as interrupted without touching a live one.
 * A lock left by a killed process (its pid is gone) is taken over.
 */
export function lockDataFolder(dataDir: string): () => void {
  const path = join(dataDir, 'listsync.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) throw new DataFolderBusyError(pid, dataDir);
      rmSync(path, { force: true });
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}
