import { describe, expect, it } from 'vitest';
import { problemMessage } from './failures';

describe('what the room says when the server is full', () => {
	it('explains it in French, with the reason code to pass on', () => {
		const message = problemMessage('server-full');
		expect(message).toContain('Le serveur vidéo est complet');
		expect(message).toContain('server-full');
		expect(message).not.toBe(problemMessage('room-full'));
	});
});
