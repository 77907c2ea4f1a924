/**
 * Reads the server's Prometheus endpoint (`/metrics`, with its bearer token) into
 * samples: metric name, labels, value. The text format's comments and types are skipped.
 */

export interface MetricSample {
	name: string;
	labels: Record<string, string>;
	value: number;
}

export function parsePrometheus(text: string): MetricSample[] {
	const samples: MetricSample[] = [];
	for (const line of text.split('\n')) {
		if (!line || line.startsWith('#')) continue;
		const match = /^([a-zA-Z_:][\w:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
		if (!match) continue;
		const labels: Record<string, string> = {};
		for (const pair of (match[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]] = pair[2];
		const value = Number(match[4]);
		if (!Number.isNaN(value)) samples.push({ name: match[1], labels, value });
	}
	return samples;
}

export async function scrapeMetrics(origin: string, token: string): Promise<MetricSample[]> {
	const response = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${token}` } });
	if (!response.ok) throw new Error(`/metrics: HTTP ${response.status}`);
	return parsePrometheus(await response.text());
}

/** The sum of a metric's samples (all labels), or null when the scrape has none. */
export function metricValue(samples: MetricSample[], name: string): number | null {
	const matching = samples.filter((s) => s.name === name);
	return matching.length === 0 ? null : matching.reduce((sum, s) => sum + s.value, 0);
}
