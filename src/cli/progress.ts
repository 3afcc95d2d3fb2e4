/**
 * Progress reporting for long CLI work. On a TTY it draws one bar on stderr; otherwise it prints a concise
 * log line at most every few seconds. Results never go to stderr, and progress never goes to stdout.
 */

/** A progress sink; library functions take `onProgress(done, total)` and the CLI passes `tick`. */
export interface Progress {
  update(done: number, total: number, note?: string): void;
  done(note?: string): void;
}

/**
 * Creates a progress reporter for one labelled task.
 *
 * @example
 * ```ts
 * const p = createProgress("bench");
 * await evaluate(portfolio, blocks, { onProgress: (d, t) => p.update(d, t) });
 * p.done();
 * ```
 */
export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = Boolean(stream.isTTY);
  const start = Date.now();
  let lastLog = 0;
  return {
    update(done, total, note = "") {
      const now = Date.now();
      if (tty) {
        if (now - lastLog < 100 && done < total) return;
        lastLog = now;
        const width = 30;
        const frac = total > 0 ? Math.min(1, done / total) : 0;
        const bar = "█".repeat(Math.round(frac * width)).padEnd(width, "░");
        stream.write(`\r${label} ${bar} ${done}/${total} ${note}`.slice(0, (stream.columns || 100) - 1));
      } else if (now - lastLog >= 5000 || done === total) {
        lastLog = now;
        stream.write(`${label}: ${done}/${total} ${note} (${((now - start) / 1000).toFixed(1)}s)\n`);
      }
    },
    done(note = "") {
      const secs = ((Date.now() - start) / 1000).toFixed(1);
      stream.write(`${tty ? "\r\x1b[K" : ""}${label}: done in ${secs}s ${note}\n`);
    },
  };
}
