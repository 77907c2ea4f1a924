import { describe, expect, it } from 'vitest';
import * as list from './+page.server';
import * as one from './[id]/+page.server';
import * as version from './[id]/versions/[versionId]/+page.server';
import * as document from './[id]/versions/[versionId]/document/+server';

const ID = '0190a5b2-7c1d-7e3f-8a9b-0c1d2e3f4a5b';

/** What a route receives from a meeting's guest: no user, the guest's session. */
const guestEvent = () =>
	({
		locals: { user: null, guest: { id: ID, meetingId: ID, name: 'Dr Invitée' } },
		url: new URL(`http://concerto.test/referentiels/${ID}`),
		params: { id: ID, versionId: ID },
		request: new Request(`http://concerto.test/referentiels/${ID}`, { method: 'POST', body: new FormData() }),
		getClientAddress: () => '192.0.2.1'
	}) as never;

/** The HTTP status a handler ends with (SvelteKit throws errors and redirects). */
async function statusOf(run: () => unknown): Promise<number | undefined> {
	try {
		await run();
		return 200;
	} catch (thrown) {
		return (thrown as { status?: number }).status;
	}
}

describe('the référentiels routes', () => {
	const handlers: [string, (event: never) => unknown][] = [
		['list', list.load as never],
		['create', list.actions.create as never],
		['référentiel', one.load as never],
		...Object.entries(one.actions).map(([name, action]) => [`référentiel ${name}`, action as never] as [string, (event: never) => unknown]),
		['version', version.load as never],
		...Object.entries(version.actions).map(([name, action]) => [`version ${name}`, action as never] as [string, (event: never) => unknown]),
		['document', document.GET as never]
	];

	it.each(handlers)('refuse a meeting guest: %s', async (_name, handler) => {
		expect(await statusOf(() => handler(guestEvent()))).toBe(403);
	});

	it('refuse the creation of a référentiel to a member who is not an editor', async () => {
		const event = { ...(guestEvent() as object), locals: { user: { id: ID, givenName: 'A', familyName: 'B', email: null, specialty: null, isAdmin: false, networkEditor: false } } };
		expect(await statusOf(() => (list.actions.create as (e: never) => unknown)(event as never))).toBe(403);
	});
});
