/**
 * How the `permgen` executable asks V8 to collect garbage: a run of one command on a large spec
 * should peak near what it holds, not near what the machine has to spare.
 */
import { PerformanceObserver } from "node:perf_hooks";
import { getHeapStatistics, setFlagsFromString } from "node:v8";

/**
 * How far V8 lets the heap grow past what survived its last full collection before collecting
 * again, in percent. Left to itself, on a machine with memory to spare, V8 lets it grow fourfold:
 * generating 100,000 routes holds under 500 MiB at any time but peaked at 1.8 GiB, nearly all of
 * it garbage not yet collected. At 50% the same run peaks near 800 MiB in about the same time
 * (bench/README.md).
 */
const HEAP_GROWING_PERCENT = 50;

/**
 * The heap in use past which the growth above applies. `check` on `spec/` uses about 45 MiB, and
 * with the growth set from the start its extra collections cost it about 5% of its time; a spec
 * large enough for memory to matter passes this while it loads.
 */
const LARGE_HEAP_BYTES = 64 * 1024 * 1024;

/**
 * Sets the growth above once the heap in use after a collection passes `LARGE_HEAP_BYTES` (Node
 * reports collections between turns of the event loop, such as between two spec files), unless
 * Node was started with its own `--heap-growing-percent`, which wins. Only the executable calls
 * this: a build script calling the API keeps its own process's policy.
 *
 * Node says V8 flags changed after startup may not take effect. This one does on Node 20, as V8
 * reads it whenever it sets the next limit; should a later Node ignore it, nothing breaks, the
 * peak goes back to V8's, and the scale benchmark's memory line says so.
 */
export function collectGarbageSooner(): void {
  if (process.execArgv.some((arg) => arg.startsWith("--heap-growing-percent"))) return;

  const observer = new PerformanceObserver(() => {
    if (getHeapStatistics().used_heap_size < LARGE_HEAP_BYTES) return;
    setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    observer.disconnect();
  });
  observer.observe({ entryTypes: ["gc"] });
}
