/**
 * Periodic system-metric sampling for a running experiment: CPU %, RSS and heap come from the run handle's
 * `logSystemMetrics`; this adds the throughput of the work units the runner reports.
 */

/** A running sampler. */
export interface SystemSampler {
  /** Counts units of work done (trials, rounds), for the throughput column. */
  addWork(units: number): void;
  /** Takes a last sample and stops the timer. */
  stop(): void;
}

/**
 * Calls `log({ throughput })` every `intervalMs` (default 2000) with work units per second since the last call.
 * The timer is unref'd, so it never keeps the process alive. Logging failures are ignored (sampling is best effort).
 *
 * @example
 * ```ts
 * const sampler = startSystemSampler((m) => run.logSystemMetrics(m));
 * sampler.addWork(trials.length);
 * sampler.stop();
 * ```
 */
export function startSystemSampler(
  log: (metrics: { throughput: number }) => Promise<void>,
  intervalMs = 2000,
): SystemSampler {
  let work = 0;
  let last = { work: 0, at: Date.now() };
  const sample = () => {
    const now = Date.now();
    const throughput = ((work - last.work) * 1000) / Math.max(1, now - last.at);
    last = { work, at: now };
    log({ throughput }).catch(() => {});
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    addWork(units) {
      work += units;
    },
    stop() {
      clearInterval(timer);
      sample();
    },
  };
}
