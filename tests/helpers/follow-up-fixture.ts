/**
 * The meeting fixture with cases decided and their fiches signed by the coordinator, for
 * the follow-up tests: a follow-up is opened only from a signed fiche. Each case is
 * requested by the fixture's member (a writer of its follow-up) and is of the colorectal
 * organ (MED-251, whose default template comes first).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clock } from '../../src/lib/clock.ts';
import type { Database } from '../../src/lib/server/db/index.ts';
import { signingIdentity, validateFiche } from '../../src/lib/server/fiches/service.ts';
import { fullFiche } from './fiche-samples.ts';
import { createMeetingFixture, decideCase, type MeetingFixture } from './meeting-fixture.ts';

export interface FollowUpFixture extends MeetingFixture {
	/** Decides a case of the fixture's meeting and signs its fiche; returns the case's id. */
	signedCase(fiche?: Record<string, unknown>): Promise<string>;
	/** Decides a case without signing its fiche. */
	decidedCase(): Promise<string>;
}

/** The patient of every fixture case, as the fiche sample gives it, colorectal. */
export const followUpPatient = (): Record<string, unknown> => ({ ...fullFiche().fiche, organ: 'MED-251' });

export async function createFollowUpFixture(db: Database): Promise<FollowUpFixture> {
	const fixture = await createMeetingFixture(db, clock.now());
	const loaded = signingIdentity({ p12: undefined, developmentDir: mkdtempSync(join(tmpdir(), 'concerto-follow-up-')), tsaUrl: undefined });
	if (!loaded.ok) throw new Error(loaded.message);
	const decidedCase = () => decideCase(db, fixture, { ...followUpPatient(), requestingPhysicianId: fixture.people.member.id });
	const signedCase = async (fiche: Record<string, unknown> = {}) => {
		const caseId = await decideCase(db, fixture, { ...followUpPatient(), ...fiche, requestingPhysicianId: fixture.people.member.id });
		const signed = await validateFiche(db, { user: fixture.people.coordinator, address: null, identity: loaded.identity }, caseId);
		if (!signed.ok) throw new Error(`fiche not signed: ${signed.reason}`);
		return caseId;
	};
	return { ...fixture, signedCase, decidedCase };
}
