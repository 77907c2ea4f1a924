import { describe, expect, it } from 'vitest';
import { parsePrometheus } from './metrics.ts';

describe('reading /metrics', () => {
	it('reads names, labels and values, and skips comments', () => {
		const samples = parsePrometheus(
			['# HELP concerto_rooms Rooms.', '# TYPE concerto_rooms gauge', 'concerto_rooms 3', 'concerto_worker_cpu_seconds_total{worker="0",pid="12"} 1.5e1', ''].join('\n')
		);
		expect(samples).toEqual([
			{ name: 'concerto_rooms', labels: {}, value: 3 },
			{ name: 'concerto_worker_cpu_seconds_total', labels: { worker: '0', pid: '12' }, value: 15 }
		]);
	});
});
