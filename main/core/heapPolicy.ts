import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what its last full collection kept, in percent:
 * 50 lets it reach 1.5 times that before it collects again.
 *
 * Why: the process that syncs keeps little (about 15 MB of live heap, during a 1M-contact import
 * as at rest), but an import turns over ~150 MB of page data a second, and what is in flight
 * (pages fetched ahead, the batch being decided) is promoted before it dies. V8's own factor, on a
 * machine with memory to spare, goes up to 4: the old generation filled with 50–75 MB of garbage
 * between full collections, and the longer the run, the higher the worst of its cycles reached
 * (bench/: peak RSS 224–246 MB at 1M, 177–199 MB at 100k). At 50% the same imports peak around
 * 185 MB and 150 MB, in the same time: full collections come more often, and cost a few
 * milliseconds each with so little live.
 */
export const defaultHeapGrowingPercent = 50;

/**
 * The percent to use: LISTSYNC_HEAP_GROWING_PERCENT when it is a whole number (0 keeps V8's own
 * heuristics, for comparison), else the default.
 */
export function heapGrowingPercentFrom(env: Readonly<Record<string, string | undefined>>): number {
  const text = env.LISTSYNC_HEAP_GROWING_PERCENT?.trim();
  if (!text || !/^\d{1,4}$/.test(text)) return defaultHeapGrowingPercent;
  return Number(text);
}

/**
 * Applies the policy to this process (Electron main, the browser host and the CLI all start
 * through createCore; setting the same flag again is harmless). V8 reads the flag at every full
 * collection, so setting it after start-up takes effect; Electron's main process could not take
 * it from its command line anyway.
 */
export function applyHeapPolicy(env: Readonly<Record<string, string | undefined>> = process.env): void {
  const percent = heapGrowingPercentFrom(env);
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
