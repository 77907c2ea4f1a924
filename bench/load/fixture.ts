/**
 * The load's population, written to the database the server will use before it starts
 * (the embedded database opens in one process at a time): for each meeting, a board of
 * its own with a coordinator and members of several specialties (password accounts),
 * the meeting under way, cases on its agenda with a PDF report each, and one guest
 * invitation. Everything is fictitious (addresses under `.test`, patients "CHARGE-…").
 */
import { parisDate } from '../../src/lib/domain/schedule.ts';
import { BoardInput } from '../../src/lib/domain/board.ts';
import { conceptsOf } from '../../src/lib/domain/value-sets.ts';
import { hashPassword } from '../../src/lib/server/auth/password.ts';
import { addAttachment, createCase } from '../../src/lib/server/cases.ts';
import { createBoard, setMembership } from '../../src/lib/server/boards.ts';
import type { Database } from '../../src/lib/server/db/index.ts';
import { meetings, users } from '../../src/lib/server/db/schema.ts';
import { inviteGuest } from '../../src/lib/server/guests.ts';
import type { AttachmentStorage } from '../../src/lib/server/storage.ts';
import { toSessionUser, type SessionUser } from '../../src/lib/server/users.ts';
import { textPdf } from '../../server/tools/demo/documents.ts';

export const LOAD_PASSWORD = 'concerto-charge-2026';

/** Specialties given in turn to a meeting's participants (the coordinator first). */
const SPECIALTIES = [
	'digestive-surgery',
	'medical-oncology',
	'radiation-oncology',
	'radiology',
	'pathology',
	'gastroenterology',
	'pneumology',
	'thoracic-surgery'
];

export interface LoadAccount {
	email: string;
	userId: string;
	role: 'coordinator' | 'member';
}

export interface LoadMeeting {
	meetingId: string;
	boardId: string;
	/** The coordinator first. */
	accounts: LoadAccount[];
	caseIds: string[];
	/** A guest's invitation token (the link's last segment), not yet followed. */
	guestToken: string;
}

export interface LoadFixture {
	password: string;
	admin: { email: string };
	meetings: LoadMeeting[];
}

export interface FixtureOptions {
	meetings: number;
	participants: number;
	casesPerMeeting: number;
	now: Date;
	/** Distinguishes this run's accounts from an earlier run's in the same database. */
	runId: string;
	/** Give each case a PDF report (stored under the storage given). */
	documents: boolean;
}

export async function createLoadFixture(db: Database, storage: AttachmentStorage, options: FixtureOptions): Promise<LoadFixture> {
	const passwordHash = await hashPassword(LOAD_PASSWORD);
	const { now, runId } = options;
	const person = async (email: string, givenName: string, specialty: string | null, isAdmin = false): Promise<SessionUser> => {
		const [row] = await db
			.insert(users)
			.values({ email, givenName, familyName: 'Charge', specialty, passwordHash, isAdmin })
			.returning();
		return toSessionUser(row);
	};
	const adminEmail = `admin.${runId}@charge.test`;
	const admin = await person(adminEmail, 'Admin', null, true);
	const actor = { userId: admin.id, address: null };
	const apparatus = conceptsOf('JDV_RCP_Appareil')[0].code;
	const result: LoadMeeting[] = [];
	for (let m = 0; m < options.meetings; m++) {
		const board = await createBoard(
			db,
			BoardInput.parse({ name: `RCP charge ${m + 1} (${runId})`, apparatus, site: 'CHU Charge (fictif)', type: 'standard' }),
			actor
		);
		const accounts: LoadAccount[] = [];
		const people: SessionUser[] = [];
		for (let p = 0; p < options.participants; p++) {
			const email = `bot.${runId}.${m + 1}.${p + 1}@charge.test`;
			const user = await person(email, `Bot ${m + 1}.${p + 1}`, SPECIALTIES[p % SPECIALTIES.length]);
			const role = p === 0 ? 'coordinator' : 'member';
			await setMembership(db, board.id, user.id, role, actor);
			accounts.push({ email, userId: user.id, role });
			people.push(user);
		}
		// Registered two days before a meeting that started five minutes ago.
		const startsAt = new Date(now.getTime() - 5 * 60_000);
		const registeredAt = new Date(now.getTime() - 2 * 86_400_000);
		const [meeting] = await db
			.insert(meetings)
			.values({
				boardId: board.id,
				startsAt,
				durationMinutes: 240,
				registrationDeadline: new Date(now.getTime() - 86_400_000),
				status: 'scheduled'
			})
			.returning();
		const requester = people[Math.min(1, people.length - 1)];
		const caseIds: string[] = [];
		for (let c = 0; c < options.casesPerMeeting; c++) {
			const created = await createCase(
				db,
				requester,
				{
					boardId: board.id,
					meetingId: meeting.id,
					fiche: {
						familyName: `CHARGE-${m + 1}-${c + 1}`,
						givenNames: 'Fictif',
						birthDate: '1960-01-01',
						sex: 'F',
						question: 'Quelle stratégie thérapeutique ? (cas fictif de charge)'
					}
				},
				null,
				registeredAt
			);
			if (!created.ok) throw new Error(`load case refused: ${created.reason}`);
			caseIds.push(created.case.id);
			if (!options.documents) continue;
			const lines = Array.from({ length: 20 }, (_, i) => `Ligne ${i + 1} du compte rendu fictif de charge.`);
			const attached = await addAttachment(db, storage, requester, created.case.id, {
				fileName: `compte-rendu-${c + 1}.pdf`,
				bytes: textPdf(`Compte rendu fictif ${m + 1}-${c + 1}`, lines, 3)
			});
			if (!attached.ok) throw new Error(`load document refused: ${attached.reason}`);
		}
		const day = parisDate(new Date(now.getTime() + 2 * 86_400_000));
		const invited = await inviteGuest(
			db,
			{ user: people[0], address: null },
			meeting.id,
			{ name: `Invité charge ${m + 1}`, email: null, expiresDate: day, expiresTime: '23:00' },
			now
		);
		if (!invited.ok) throw new Error(`load guest refused: ${invited.reason}`);
		result.push({ meetingId: meeting.id, boardId: board.id, accounts, caseIds, guestToken: invited.token });
	}
	return { password: LOAD_PASSWORD, admin: { email: adminEmail }, meetings: result };
}
