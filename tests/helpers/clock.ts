/**
 * Database and integration tests that name calendar days run on a clock set to a day
 * before them, so that the real date (or a CI run under faketime) never overtakes them.
 */
import { afterAll, beforeAll } from 'vitest';
import { ManualClock, setClock } from '../../src/lib/clock.ts';

/** Sets the process clock at `at` for the enclosing file or describe block; returns it to move it further. */
export function useManualClock(at: string): ManualClock {
	const manual = new ManualClock(at);
	beforeAll(() => setClock(manual));
	afterAll(() => setClock(undefined));
	return manual;
}
