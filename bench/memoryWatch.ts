// --trace only: where an import's peak RSS builds up. A worker thread reads the process's peak RSS
// (VmHWM) and the size of malloc's main heap every 5 ms and reports each new high, also while the
// main thread is inside a long synchronous step (a batch's transaction, the index build) that
// would hide it from a timer there. Linux only (it reads /proc); elsewhere it reports nothing.
import { Worker } from 'node:worker_threads';

const watcher = `
const { readFileSync } = require('node:fs');
const { workerData } = require('node:worker_threads');
let peak = 0;
let brk = 0;
setInterval(() => {
  let status, maps;
  try {
    status = readFileSync('/proc/self/status', 'utf8');
    maps = readFileSync('/proc/self/maps', 'utf8');
  } catch {
    process.exit(0);
  }
  const hwmKb = Number(/^VmHWM:\\s+(\\d+)/m.exec(status)?.[1] ?? 0);
  const heap = /^([0-9a-f]+)-([0-9a-f]+) .*\\[heap\\]$/m.exec(maps);
  const brkMb = heap ? Math.round((parseInt(heap[2], 16) - parseInt(heap[1], 16)) / 1048576) : 0;
  if (hwmKb > peak + 2048 || brkMb > brk) {
    peak = Math.max(peak, hwmKb);
    brk = Math.max(brk, brkMb);
    const at = (Date.now() - workerData.timeOrigin).toFixed(0);
    process.stderr.write('[trace ' + at + ' ms] memory.high {"peakRss":' + Math.round(hwmKb / 1024) + ',"mallocHeap":' + brkMb + '}\\n');
  }
}, 5);
`;

/** Starts the watcher; it ends with the process. */
export function watchPeakMemory(): void {
  new Worker(watcher, { eval: true, workerData: { timeOrigin: performance.timeOrigin } }).unref();
}
