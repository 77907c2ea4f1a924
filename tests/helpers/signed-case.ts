/**
 * Cases with a signed fiche RCP, for the tests of what follows the RCP (the PPS, the
 * follow-up): decided in the fixture's meeting by its coordinator (with the coordinator
 * and the member in the room), then validated and signed with the development certificate.
 * The fiche is the full sample of fiche-samples.ts; its requesting physician is the
 * fixture's member, who registered the case.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../src/lib/server/db/index.ts';
import { signingIdentity, validateFiche } from '../../src/lib/server/fiches/service.ts';
import { recordJoin } from '../../src/lib/server/presence.ts';
import type { SigningIdentity } from '../../src/lib/server/signing/identity.ts';
import { fullFiche } from './fiche-samples.ts';
import { decideCase, type MeetingFixture } from './meeting-fixture.ts';

/** Signs cases of one fixture: `decided` leaves a case decided (not signed), `signed` signs it. */
export interface SignedCases {
	/** A decided case whose fiche is not signed yet; `fiche` over the full sample's fields. */
	decided(fiche?: Record<string, unknown>): Promise<string>;
	/** A case with a signed fiche (version 1); returns the case's and the fiche's ids. */
	signed(fiche?: Record<string, unknown>): Promise<{ caseId: string; ficheId: string }>;
}

/** Prepares `fixture`'s meeting (the coordinator and the member in the room) and a signing identity. */
export async function signedCases(db: Database, fixture: MeetingFixture): Promise<SignedCases> {
	for (const who of ['coordinator', 'member'] as const) {
		const person = fixture.people[who];
		await recordJoin(db, { roomId: fixture.meetingId, peerId: `signed-${who}-${fixture.meetingId}`, displayName: person.givenName, meetingId: fixture.meetingId, userId: person.id, specialty: person.specialty, role: who });
	}
	const loaded = signingIdentity({ p12: undefined, developmentDir: mkdtempSync(join(tmpdir(), 'concerto-signed-case-')), tsaUrl: undefined });
	if (!loaded.ok) throw new Error(loaded.message);
	const identity: SigningIdentity = loaded.identity;
	const decided = (fiche: Record<string, unknown> = {}) =>
		decideCase(db, fixture, { ...fullFiche().fiche, requestingPhysicianId: fixture.people.member.id, ...fiche });
	return {
		decided,
		async signed(fiche = {}) {
			const caseId = await decided(fiche);
			const result = await validateFiche(db, { user: fixture.people.coordinator, address: null, identity }, caseId);
			if (!result.ok) throw new Error(`fiche not signed: ${result.reason}${'problems' in result ? ` (${result.problems.join('; ')})` : ''}`);
			return { caseId, ficheId: result.fiche.id };
		}
	};
}
