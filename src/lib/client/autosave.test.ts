import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Autosave, throttle } from './autosave';

/** A save the test answers by hand. */
function controlledSave() {
	const calls: { content: string; resolve: (version: number) => void; reject: (error: unknown) => void }[] = [];
	const save = vi.fn(
		(content: string) =>
			new Promise<number>((resolve, reject) => {
				calls.push({ content, resolve, reject });
			})
	);
	return { save, calls };
}

describe('Autosave', () => {
	beforeEach(() => {
		vi.useFakeTimers();
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('saves once the typing has paused for the delay, with the last content', async () => {
		const { save, calls } = controlledSave();
		const autosave = new Autosave({ save, delayMs: 250 });
		autosave.schedule('C');
		await vi.advanceTimersByTimeAsync(200);
		autosave.schedule('Co');
		await vi.advanceTimersByTimeAsync(200);
		autosave.schedule('Col');
		await vi.advanceTimersByTimeAsync(249);
		expect(save).not.toHaveBeenCalled();
		await vi.advanceTimersByTimeAsync(1);
		expect(calls.map((call) => call.content)).toEqual(['Col']);
	});

	it('keeps one save in flight and saves only the latest content after it', async () => {
		const { save, calls } = controlledSave();
		const saved = vi.fn();
		const autosave = new Autosave({ save, delayMs: 250, onSaved: saved });
		autosave.schedule('A');
		await vi.advanceTimersByTimeAsync(250);
		autosave.schedule('B');
		await vi.advanceTimersByTimeAsync(250);
		autosave.schedule('C');
		await vi.advanceTimersByTimeAsync(1000);
		// A is still in flight: nothing else has gone.
		expect(calls.map((call) => call.content)).toEqual(['A']);

		calls[0].resolve(1);
		await vi.advanceTimersByTimeAsync(0);
		expect(calls.map((call) => call.content)).toEqual(['A', 'C']);
		calls[1].resolve(2);
		await vi.advanceTimersByTimeAsync(0);
		expect(saved.mock.calls).toEqual([
			[1, 'A'],
			[2, 'C']
		]);
		expect(autosave.busy).toBe(false);
	});

	it('waits for the debounce of a change made during a save', async () => {
		const { calls, save } = controlledSave();
		const autosave = new Autosave({ save, delayMs: 250 });
		autosave.schedule('A');
		await vi.advanceTimersByTimeAsync(250);
		autosave.schedule('AB');
		calls[0].resolve(1);
		await vi.advanceTimersByTimeAsync(100);
		expect(calls).toHaveLength(1);
		await vi.advanceTimersByTimeAsync(150);
		expect(calls.map((call) => call.content)).toEqual(['A', 'AB']);
	});

	it('flushes on demand, without the debounce, and resolves once everything is saved', async () => {
		const { calls, save } = controlledSave();
		const autosave = new Autosave({ save, delayMs: 250 });
		autosave.schedule('A');
		let flushed = false;
		const flushing = autosave.flush().then(() => (flushed = true));
		await vi.advanceTimersByTimeAsync(0);
		expect(calls.map((call) => call.content)).toEqual(['A']);
		expect(flushed).toBe(false);
		calls[0].resolve(1);
		await flushing;
		expect(flushed).toBe(true);
		expect(autosave.busy).toBe(false);
	});

	it('flushes behind a save in flight', async () => {
		const { calls, save } = controlledSave();
		const autosave = new Autosave({ save, delayMs: 250 });
		autosave.schedule('A');
		await vi.advanceTimersByTimeAsync(250);
		autosave.schedule('AB');
		const flushing = autosave.flush();
		expect(calls).toHaveLength(1);
		calls[0].resolve(1);
		await vi.advanceTimersByTimeAsync(0);
		expect(calls.map((call) => call.content)).toEqual(['A', 'AB']);
		calls[1].resolve(2);
		await expect(flushing).resolves.toBeUndefined();
	});

	it('resolves a flush at once when nothing waits', async () => {
		const { save } = controlledSave();
		await expect(new Autosave({ save }).flush()).resolves.toBeUndefined();
		expect(save).not.toHaveBeenCalled();
	});

	it('reports a failed save and goes on with newer content', async () => {
		const { calls, save } = controlledSave();
		const failed = vi.fn();
		const autosave = new Autosave({ save, delayMs: 250, onError: failed });
		autosave.schedule('A');
		await vi.advanceTimersByTimeAsync(250);
		autosave.schedule('AB');
		await vi.advanceTimersByTimeAsync(250);
		const error = new Error('timeout');
		calls[0].reject(error);
		await vi.advanceTimersByTimeAsync(0);
		expect(failed).toHaveBeenCalledWith(error, 'A');
		expect(calls.map((call) => call.content)).toEqual(['A', 'AB']);
	});

	it('drops the content waiting behind a save that conflicted when the owner cancels', async () => {
		const { calls, save } = controlledSave();
		const autosave: Autosave<string, number> = new Autosave({ save, delayMs: 250, onError: () => autosave.cancel() });
		autosave.schedule('A');
		await vi.advanceTimersByTimeAsync(250);
		autosave.schedule('AB');
		await vi.advanceTimersByTimeAsync(250);
		calls[0].reject(new Error('conflict'));
		await vi.advanceTimersByTimeAsync(1000);
		expect(calls).toHaveLength(1);
		expect(autosave.busy).toBe(false);
	});

	it('sends nothing after dispose', async () => {
		const { save } = controlledSave();
		const autosave = new Autosave({ save, delayMs: 250 });
		autosave.schedule('A');
		autosave.dispose();
		await vi.advanceTimersByTimeAsync(1000);
		expect(save).not.toHaveBeenCalled();
	});

	it('tells when a save starts', async () => {
		const { save } = controlledSave();
		const saving = vi.fn();
		const autosave = new Autosave({ save, delayMs: 250, onSaving: saving });
		autosave.schedule('A');
		expect(saving).not.toHaveBeenCalled();
		await vi.advanceTimersByTimeAsync(250);
		expect(saving).toHaveBeenCalledWith('A');
	});
});

describe('throttle', () => {
	beforeEach(() => {
		vi.useFakeTimers();
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('sends the first value at once, then at most one per interval, and always the last', async () => {
		const sent: number[] = [];
		const paced = throttle((value: number) => sent.push(value), 100);
		paced(1);
		expect(sent).toEqual([1]);
		paced(2);
		paced(3);
		await vi.advanceTimersByTimeAsync(50);
		paced(4);
		expect(sent).toEqual([1]);
		await vi.advanceTimersByTimeAsync(50);
		expect(sent).toEqual([1, 4]);
		await vi.advanceTimersByTimeAsync(500);
		expect(sent).toEqual([1, 4]);
		paced(5);
		expect(sent).toEqual([1, 4, 5]);
	});

	it('sends the waiting value on flush, and drops it on cancel', async () => {
		const sent: string[] = [];
		const paced = throttle((value: string) => sent.push(value), 100);
		paced('a');
		paced('b');
		paced.flush();
		expect(sent).toEqual(['a', 'b']);
		paced('c');
		paced.cancel();
		await vi.advanceTimersByTimeAsync(500);
		expect(sent).toEqual(['a', 'b']);
	});
});
