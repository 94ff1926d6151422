/** One JSON line per figure, as DESIGN.md says: ratio is always our cost over the baseline's. */
export interface Figure {
  bench: string;
  value: number;
  unit: string;
  baseline: string | null;
  baselineValue: number | null;
  ratio: number | null;
  [extra: string]: unknown;
}

const round = (n: number) => Math.round(n * 100) / 100;

export function report(figure: Figure): void {
  process.stdout.write(
    JSON.stringify({ ...figure, value: round(figure.value), baselineValue: figure.baselineValue === null ? null : round(figure.baselineValue), ratio: figure.ratio === null ? null : round(figure.ratio) }) + '\n',
  );
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function time(fn: () => unknown): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

export interface Bench {
  /** The figures it prints, which `npm run bench -- <prefix>` matches. */
  figures: string[];
  run: () => Promise<void>;
  /** Printed only when asked for by name or with --explore. */
  exploration?: boolean;
}
