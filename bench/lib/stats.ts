/**
 * Summaries of latency samples and a plain-text table to print them, shared by the
 * benchmarks. Percentiles use the nearest-rank method on the sorted samples: every figure
 * printed is a latency that was actually observed, never an interpolation.
 */

/** What a benchmark reports about one series of samples (all in the samples' unit). */
export interface Summary {
	n: number;
	mean: number;
	p50: number;
	p90: number;
	p95: number;
	p99: number;
	max: number;
}

/** A column a summary table can show. */
export type Statistic = keyof Summary;

/** The nearest-rank `p`-th percentile (0 < p ≤ 100) of samples already sorted ascending. */
export function percentile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) throw new RangeError('percentile of an empty series');
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarize(samples: readonly number[]): Summary {
	const sorted = [...samples].sort((a, b) => a - b);
	const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
	return {
		n: sorted.length,
		mean,
		p50: percentile(sorted, 50),
		p90: percentile(sorted, 90),
		p95: percentile(sorted, 95),
		p99: percentile(sorted, 99),
		max: sorted[sorted.length - 1]
	};
}

/** The summary of samples that may be none (no bot joined, no request was sent): then all zeros. */
export function summarizeOrZero(samples: readonly number[]): Summary {
	return samples.length > 0 ? summarize(samples) : { n: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 };
}

/** Lays out rows under a header: the first column left-aligned, the others right-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
	const line = (cells: readonly string[]) =>
		cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
	return [line(header), ...rows.map(line)].join('\n');
}

export interface SummaryTableOptions {
	/** Title of the first column, which names each series. */
	label: string;
	statistics: readonly Statistic[];
	/** Unit of the samples, shown in the column titles ("ms"). */
	unit: string;
	decimals: number;
}

/** One row per series, one column per statistic; `n` is printed as a count, without unit. */
export function summaryTable(series: readonly { label: string; summary: Summary }[], options: SummaryTableOptions): string {
	const header = [options.label, ...options.statistics.map((name) => (name === 'n' ? 'n' : `${name} ${options.unit}`))];
	const rows = series.map(({ label, summary }) => [
		label,
		...options.statistics.map((name) => (name === 'n' ? String(summary.n) : summary[name].toFixed(options.decimals)))
	]);
	return formatTable(header, rows);
}
