/**
 * How well a participant's media arrives, as a traffic light from getStats figures.
 */

export type Quality = 'good' | 'fair' | 'poor' | 'unknown';

/** Loss from 2 % or a round trip from 300 ms is fair; from 8 % or 600 ms, poor. */
export function qualityOf(lossPercent: number, rttMs: number | null): Quality {
	if (lossPercent >= 8 || (rttMs !== null && rttMs >= 600)) return 'poor';
	if (lossPercent >= 2 || (rttMs !== null && rttMs >= 300)) return 'fair';
	return 'good';
}
