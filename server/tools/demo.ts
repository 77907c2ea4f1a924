/**
 * `npm run demo`: fills an empty Concerto database with a demonstration network, so that
 * a new user can try everything at once. Everything is fictitious: the people (e-mail
 * addresses under `.test`, RPPS numbers of the test range), the patients ("DÉMO-…"), the
 * documents (stamped "DOCUMENT FICTIF").
 *
 * It uses the same configuration as the server (DATA_DIR or DATABASE_URL) and the same
 * services, so that audit rows, positions and deadlines are what the app would write.
 * The embedded database can be open in one process only: stop the server first.
 */
import { and, eq, sql } from 'drizzle-orm';
import { getISODay } from 'date-fns/getISODay';
import { TZDate } from '@date-fns/tz';
import { BoardInput } from '../../src/lib/domain/board.ts';
import { registrationOpen } from '../../src/lib/domain/meeting.ts';
import type { QuorumRule } from '../../src/lib/domain/quorum.ts';
import { BOARD_TIME_ZONE } from '../../src/lib/domain/schedule.ts';
import type { SpecialtyCode } from '../../src/lib/domain/specialties.ts';
import { hashPassword } from '../../src/lib/server/auth/password.ts';
import { createBoard, setMembership } from '../../src/lib/server/boards.ts';
import { addAttachment, createCase } from '../../src/lib/server/cases.ts';
import { ConfigError, loadConfig } from '../../src/lib/server/config.ts';
import { configuredStorage } from '../../src/lib/server/database-storage.ts';
import { DatabaseBusyError, openDatabase, type Database } from '../../src/lib/server/db/index.ts';
import { boards, cases, referentiels, trials, users } from '../../src/lib/server/db/schema.ts';
import { inviteGuest } from '../../src/lib/server/guests.ts';
import { generateMeetings, listMeetings } from '../../src/lib/server/meetings.ts';
import { setNetwork } from '../../src/lib/server/settings.ts';
import type { AttachmentStorage } from '../../src/lib/server/storage.ts';
import { toSessionUser, type SessionUser } from '../../src/lib/server/users.ts';
import { DEMO_CASES, type DemoCase } from './demo/cases.ts';
import { syntheticScanPng, textPdf } from './demo/documents.ts';
import { fillNetwork, type NetworkDemo } from './demo/network.ts';
import { DEMO_REFERENTIELS, DEMO_TRIALS } from './demo/network-data.ts';
import { fillPastMeeting } from './demo/past-meeting.ts';
import { fillAfterRcp, type AfterRcpDemo } from './demo/after-rcp.ts';
import { clock, withClockAt } from '../../src/lib/clock.ts';
import { signingIdentity, validateFiche, type SigningSettings } from '../../src/lib/server/fiches/service.ts';

/** The patients of the meeting already held (fictitious, like the others). */
export const PAST_NAMES = ['DÉMO-PAPA', 'DÉMO-QUEBEC', 'DÉMO-ROMEO', 'DÉMO-SIERRA'];
/** The patient decided a year ago, with a PPS and a follow-up (issue 16). */
export const AFTER_RCP_NAME = 'DÉMO-TANGO';

/** Every demonstration account signs in with this password. */
export const DEMO_PASSWORD = 'concerto-demo-2026';

interface DemoPerson {
	key: string;
	givenName: string;
	familyName: string;
	specialty: SpecialtyCode | null;
	email: string;
	isAdmin?: boolean;
	/** Manages the network's référentiels and trials directory. */
	networkEditor?: boolean;
}

const PEOPLE: readonly DemoPerson[] = [
	{ key: 'admin', givenName: 'Alice', familyName: 'Administratrice', specialty: null, email: 'admin@concerto-demo.test', isAdmin: true },
	{ key: 'coordDigestive', givenName: 'Paul', familyName: 'Durand', specialty: 'digestive-surgery', email: 'paul.durand@concerto-demo.test' },
	{ key: 'coordThoracic', givenName: 'Hélène', familyName: 'Moreau', specialty: 'pneumology', email: 'helene.moreau@concerto-demo.test' },
	{ key: 'secretary', givenName: 'Sophie', familyName: 'Martin', specialty: null, email: 'sophie.martin@concerto-demo.test' },
	{ key: 'oncologist', givenName: 'Julie', familyName: 'Bernard', specialty: 'medical-oncology', email: 'julie.bernard@concerto-demo.test' },
	{ key: 'radiotherapist', givenName: 'Marc', familyName: 'Petit', specialty: 'radiation-oncology', email: 'marc.petit@concerto-demo.test' },
	{ key: 'radiologist', givenName: 'Anne', familyName: 'Robert', specialty: 'radiology', email: 'anne.robert@concerto-demo.test' },
	{ key: 'pathologist', givenName: 'Luc', familyName: 'Richard', specialty: 'pathology', email: 'luc.richard@concerto-demo.test' },
	{ key: 'gastroenterologist', givenName: 'Claire', familyName: 'Dubois', specialty: 'gastroenterology', email: 'claire.dubois@concerto-demo.test' },
	{ key: 'thoracicSurgeon', givenName: 'Thomas', familyName: 'Laurent', specialty: 'thoracic-surgery', email: 'thomas.laurent@concerto-demo.test' },
	{ key: 'editor', givenName: 'Nadia', familyName: 'Éditrice', specialty: null, email: 'nadia.editrice@concerto-demo.test', networkEditor: true }
];

const NETWORK = { name: 'Réseau régional de cancérologie Démo (fictif)', region: 'Région Démo' };
const SITE = 'CHU de Démo-sur-Loire (fictif)';

interface DemoBoard {
	key: 'digestive' | 'thoracic';
	name: string;
	apparatus: string;
	organ: string | null;
	quorumRule: QuorumRule;
	frequency: 'weekly' | 'biweekly';
	weekday: number;
	time: string;
	/** Who registers this board's demonstration cases (a member: the requesting physician). */
	requester: string;
	roles: Record<string, 'coordinator' | 'secretary' | 'member'>;
}

const BOARDS: readonly DemoBoard[] = [
	{
		key: 'digestive',
		name: `RCP digestive — ${SITE}`,
		apparatus: '86762007',
		organ: null,
		// A surgeon, a medical and a radiation oncologist, and at least four specialties.
		quorumRule: { minDistinctSpecialties: 4, requiredSpecialties: [{ group: 'surgery' }, { specialty: 'medical-oncology' }, { specialty: 'radiation-oncology' }] },
		frequency: 'biweekly',
		weekday: 2,
		time: '14:00',
		requester: 'gastroenterologist',
		roles: {
			coordDigestive: 'coordinator',
			secretary: 'secretary',
			oncologist: 'member',
			radiotherapist: 'member',
			radiologist: 'member',
			pathologist: 'member',
			gastroenterologist: 'member'
		}
	},
	{
		key: 'thoracic',
		name: `RCP thoracique — ${SITE}`,
		apparatus: '312419003',
		organ: 'MED-255',
		quorumRule: {
			minDistinctSpecialties: 3,
			requiredSpecialties: [{ specialty: 'thoracic-surgery' }, { specialty: 'pneumology' }, { specialty: 'medical-oncology' }]
		},
		frequency: 'weekly',
		weekday: 4,
		time: '13:00',
		requester: 'oncologist',
		roles: {
			coordThoracic: 'coordinator',
			secretary: 'secretary',
			thoracicSurgeon: 'member',
			oncologist: 'member',
			radiotherapist: 'member',
			radiologist: 'member'
		}
	}
];

/** An RPPS number of the fictitious range "10000000xx" with its Luhn key. */
function demoRpps(index: number): string {
	const body = `1000000${String(index).padStart(3, '0')}`;
	for (let key = 0; key <= 9; key++) {
		const candidate = body + key;
		let sum = 0;
		for (let i = 0; i < candidate.length; i++) {
			let digit = Number(candidate[candidate.length - 1 - i]);
			if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
			sum += digit;
		}
		if (sum % 10 === 0) return candidate;
	}
	throw new Error('unreachable');
}

/** A matricule INS consistent with the sex and birth date, of someone born abroad (99). */
function demoIns(sex: 'M' | 'F', birthDate: string, index: number): string {
	const [year, month] = birthDate.split('-');
	const thirteen = `${sex === 'M' ? 1 : 2}${year.slice(2)}${month}99${String(100 + index).padStart(3, '0')}${String(index + 1).padStart(3, '0')}`;
	const key = 97 - Number(BigInt(thirteen) % 97n);
	return thirteen + String(key).padStart(2, '0');
}

/** The next `weekday` (1 = Monday) on or after today, in Paris, as 'YYYY-MM-DD'. */
function nextWeekday(weekday: number, from: Date): string {
	const day = new TZDate(from, BOARD_TIME_ZONE);
	while (getISODay(day) !== weekday) day.setDate(day.getDate() + 1);
	return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
}

function fail(message: string): never {
	console.error(`\nnpm run demo : ${message}\n`);
	process.exit(1);
}

async function addPeople(db: Database): Promise<Map<string, SessionUser>> {
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const [existingAdmin] = await db.select().from(users).where(eq(users.isAdmin, true)).limit(1);
	const people = new Map<string, SessionUser>();
	let index = 1;
	for (const person of PEOPLE) {
		if (person.key === 'admin' && existingAdmin) {
			people.set('admin', toSessionUser(existingAdmin));
			continue;
		}
		const [row] = await db
			.insert(users)
			.values({
				email: person.email,
				givenName: person.givenName,
				familyName: person.familyName,
				specialty: person.specialty,
				rpps: person.specialty ? demoRpps(index++) : null,
				phone: '+33 5 00 00 00 00',
				passwordHash,
				isAdmin: person.isAdmin ?? false,
				networkEditor: person.networkEditor ?? false
			})
			.onConflictDoNothing()
			.returning();
		if (!row) throw new DemoRefused(`un compte ${person.email} existe déjà : la démonstration ne remplit qu’une base vide.`);
		people.set(person.key, toSessionUser(row));
	}
	return people;
}

function ficheOf(demo: DemoCase, index: number): Record<string, string> {
	const fiche: Record<string, string> = {
		familyName: demo.familyName,
		givenNames: demo.givenNames,
		birthDate: demo.birthDate,
		sex: demo.sex,
		ins: demoIns(demo.sex, demo.birthDate, index),
		hospitalPatientId: `DEMO-${String(4200 + index).padStart(6, '0')}`,
		gpName: 'Dr Martine Généraliste (fictive)',
		gpPhone: '+33 5 00 00 00 01',
		gpEmail: 'cabinet.generaliste@concerto-demo.test',
		...demo.fields
	};
	for (const field of demo.leaveOut ?? []) delete fiche[field];
	return fiche;
}

/** What the demonstration created, for the summary printed to the user. */
export interface DemoSummary {
	admin: SessionUser;
	/** True when the administrator is the demonstration's (no account existed before). */
	adminCreated: boolean;
	guest: { meetingStartsAt: Date; link: string };
	/** The patient followed after the RCP (PPS, follow-up, the GP's link). */
	afterRcp: AfterRcpDemo;
	boardIds: string[];
	/** The référentiels' versions made. */
	versions: NetworkDemo['versions'];
}

/** Thrown when the database is not empty enough for the demonstration. */
export class DemoRefused extends Error {}

/**
 * Fills `db` with the demonstration network. Refuses (DemoRefused) when a board or one of
 * the demonstration accounts already exists; an existing administrator is kept and used.
 */
export async function fillDemo(
	db: Database,
	storage: AttachmentStorage,
	publicOrigin: string,
	signing: SigningSettings,
	now: Date = clock.now()
): Promise<DemoSummary> {
	const signer = signingIdentity(signing, now);
	if (!signer.ok) throw new Error(`demo: no signing identity (${signer.message})`);
	for (const [table, what] of [
		[boards, 'des RCP'],
		[referentiels, 'des référentiels'],
		[trials, 'des essais cliniques']
	] as const) {
		if ((await db.select({ id: table.id }).from(table).limit(1)).length > 0) {
			throw new DemoRefused(`la base contient déjà ${what} : la démonstration ne remplit qu’une base vide (pour repartir de zéro, videz DATA_DIR, ./data par défaut).`);
		}
	}
	const people = await addPeople(db);
	const admin = people.get('admin')!;
	const actor = { userId: admin.id, address: null };
	await setNetwork(db, NETWORK, actor);
	const network = await fillNetwork(db, { people, editor: people.get('editor')!, storage, now });

	let guest: DemoSummary['guest'] | undefined;
	let afterRcp: AfterRcpDemo | undefined;
	const boardIds: string[] = [];
	let caseIndex = 0;
	for (const spec of BOARDS) {
		const board = await createBoard(
			db,
			BoardInput.parse({
				name: spec.name,
				apparatus: spec.apparatus,
				organ: spec.organ,
				site: SITE,
				type: 'standard',
				quorumRule: spec.quorumRule,
				recurrence: {
					frequency: spec.frequency,
					weekday: spec.weekday,
					time: spec.time,
					durationMinutes: 120,
					anchorDate: nextWeekday(spec.weekday, now)
				},
				deadline: { workingDaysBefore: 2, time: '12:00' }
			}),
			actor
		);
		boardIds.push(board.id);
		for (const [key, role] of Object.entries(spec.roles)) await setMembership(db, board.id, people.get(key)!.id, role, actor);
		const until = new Date(now);
		until.setMonth(until.getMonth() + 3);
		await generateMeetings(db, { user: admin, address: null }, board.id, now, until);
		const listed = await listMeetings(db, admin, board.id, now);
		if (!listed.ok) throw new Error('meetings not listed');
		// Cases go on the first two meetings still open to registration.
		const open = listed.meetings.filter((meeting) => registrationOpen(meeting, now)).slice(0, 2);
		const requester = people.get(spec.requester)!;
		for (const [i, demo] of DEMO_CASES.filter((d) => d.board === spec.key).entries()) {
			const meeting = open[i % open.length];
			const created = await createCase(db, requester, { boardId: board.id, meetingId: meeting.id, fiche: ficheOf(demo, caseIndex) }, null, now);
			if (!created.ok) throw new Error(`demo case ${demo.familyName} refused: ${created.reason}`);
			const slug = demo.familyName.toLowerCase().replace('démo-', '');
			await addAttachment(db, storage, requester, created.case.id, { fileName: `compte-rendu-${slug}.pdf`, bytes: textPdf(demo.report.title, demo.report.lines) });
			if (demo.withImage) {
				await addAttachment(db, storage, requester, created.case.id, { fileName: `imagerie-${slug}.png`, bytes: syntheticScanPng(caseIndex) });
			}
			caseIndex++;
		}
		if (spec.key === 'digestive') {
			// A meeting four weeks before the first open one, already held: its fiches wait for signature.
			const past = DEMO_CASES.filter((d) => d.board === 'digestive' && !d.leaveOut).slice(0, 4);
			const held = await fillPastMeeting(db, {
				boardId: board.id,
				startsAt: new Date(open[0].startsAt.getTime() - 28 * 86_400_000),
				coordinator: people.get('coordDigestive')!,
				secretary: people.get('secretary')!,
				members: ['oncologist', 'radiotherapist', 'radiologist', 'pathologist', 'gastroenterologist'].map((key) => people.get(key)!),
				nextMeetingId: open[0].id,
				library: {
					colon: await network.situation('colorectal', 'COLON-LOC'),
					rectum: await network.situation('colorectal', 'RECTUM-LA'),
					rectumTrial: await network.trial('RECTOTOTAL'),
					investigator: people.get('oncologist')!
				},
				register: async (meeting, index, at) => {
					const demo = { ...past[index], familyName: PAST_NAMES[index] };
					const created = await createCase(db, requester, { boardId: board.id, meetingId: meeting.id, fiche: ficheOf(demo, 100 + index) }, null, at);
					if (!created.ok) throw new Error(`demo case ${demo.familyName} refused: ${created.reason}`);
					return created.case.id;
				}
			});
			// The first discussed case's fiche is signed the day after: its PPS can be written.
			const [signedCase] = await db
				.select({ id: cases.id })
				.from(cases)
				.where(and(eq(cases.meetingId, held.id), sql`${cases.fiche}->>'familyName' = ${PAST_NAMES[0]}`));
			const signedAt = new Date(held.startsAt.getTime() + 86_400_000);
			const signed = await withClockAt(signedAt, () =>
				validateFiche(db, { user: people.get('coordDigestive')!, address: null, identity: signer.identity, now: signedAt }, signedCase.id)
			);
			if (!signed.ok) throw new Error(`demo: the past meeting's fiche was not signed (${signed.reason})`);
			// A patient decided a year ago: PPS in two versions, follow-up with the GP invited.
			const colon = DEMO_CASES.find((d) => d.board === 'digestive' && d.fields.tumourSiteCode?.startsWith('C18'))!;
			afterRcp = await fillAfterRcp(db, {
				boardId: board.id,
				coordinator: people.get('coordDigestive')!,
				secretary: people.get('secretary')!,
				members: ['oncologist', 'radiotherapist', 'radiologist', 'pathologist', 'gastroenterologist'].map((key) => people.get(key)!),
				requester,
				identity: signer.identity,
				now,
				publicOrigin,
				register: async (meeting, at) => {
					const created = await createCase(db, requester, { boardId: board.id, meetingId: meeting.id, fiche: ficheOf({ ...colon, familyName: AFTER_RCP_NAME }, 200) }, null, at);
					if (!created.ok) throw new Error(`demo case ${AFTER_RCP_NAME} refused: ${created.reason}`);
					return created.case.id;
				}
			});
			const meeting = open[0];
			const day = new Intl.DateTimeFormat('sv-SE', { timeZone: BOARD_TIME_ZONE }).format(meeting.startsAt);
			const invited = await inviteGuest(
				db,
				{ user: people.get('secretary')!, address: null },
				meeting.id,
				{ name: 'Dr Martine Généraliste (invitée fictive)', email: null, expiresDate: day, expiresTime: '23:59' },
				now
			);
			if (!invited.ok) throw new Error(`guest refused: ${invited.reason}`);
			guest = { meetingStartsAt: meeting.startsAt, link: `${publicOrigin}/invite/${invited.token}` };
		}
	}
	return { admin, adminCreated: admin.email === PEOPLE[0].email, guest: guest!, afterRcp: afterRcp!, boardIds, versions: network.versions };
}

const personName = (key: string) => {
	const person = PEOPLE.find((p) => p.key === key)!;
	return `${person.givenName} ${person.familyName}`;
};
const VERSION_STATUS = { published: 'publiée', superseded: 'remplacée', draft: 'brouillon' } as const;

function summary(result: DemoSummary, publicOrigin: string): string {
	const line = (role: string, key: string) => `  ${role.padEnd(34)} ${PEOPLE.find((p) => p.key === key)!.email}`;
	const when = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'full', timeStyle: 'short', timeZone: BOARD_TIME_ZONE });
	const others = PEOPLE.filter((p) => ['radiotherapist', 'radiologist', 'pathologist', 'thoracicSurgeon'].includes(p.key)).map((p) => p.email);
	return [
		'',
		`Démonstration prête : ${NETWORK.name}`,
		`  2 RCP (digestive, thoracique), leurs séances des trois prochains mois, ${DEMO_CASES.length} dossiers fictifs avec documents.`,
		`  Une séance digestive déjà tenue : 3 dossiers décidés, dont ${PAST_NAMES[0]} à la fiche signée (son PPS reste à rédiger) et 2 fiches à signer par le coordonnateur, 1 ajourné.`,
		`  Après la RCP : ${AFTER_RCP_NAME}, décidé il y a un an, a un PPS en deux versions remises et un suivi alterné en cours (/suivi) :`,
		`    une consultation du médecin traitant faite, celle du spécialiste à 6 mois en retard. Lien du médecin traitant (${result.afterRcp.gpName}) :`,
		`    ${result.afterRcp.gpLink}`,
		`  Référentiels (/referentiels) : ${result.versions.map((v) => `${v.title} ${v.label} (${VERSION_STATUS[v.status]})`).join(', ')}.`,
		`  Essais cliniques (/essais) : ${DEMO_TRIALS.length} essais fictifs, dont ${DEMO_TRIALS.filter((t) => t.status === 'closed').length} clos ; certains correspondent aux dossiers de la prochaine séance.`,
		'',
		`Comptes (mot de passe commun : ${DEMO_PASSWORD}) :`,
		result.adminCreated
			? line('Administratrice', 'admin')
			: `  ${'Administrateur'.padEnd(34)} ${result.admin.email} (votre compte, mot de passe inchangé)`,
		line('Coordonnateur RCP digestive', 'coordDigestive'),
		line('Coordonnatrice RCP thoracique', 'coordThoracic'),
		line('Secrétaire des deux RCP', 'secretary'),
		line('Membre, médecin demandeur (dig.)', 'gastroenterologist'),
		line('Membre, médecin demandeur (thor.)', 'oncologist'),
		line('Éditrice du réseau (réf., essais)', 'editor'),
		`  Groupes de travail : ${DEMO_REFERENTIELS.map((r) => `${r.title.toLowerCase()} coordonné par ${personName(r.coordinator)}`).join(', ')}`,
		`  Autres membres : ${others.join(', ')}`,
		`  Invitée (médecin traitant), séance du ${when.format(result.guest.meetingStartsAt)} :`,
		`    ${result.guest.link}`,
		'',
		`Lancez npm start puis ouvrez ${publicOrigin}`,
		''
	].join('\n');
}

async function main(): Promise<void> {
	let config;
	try {
		config = loadConfig();
	} catch (error) {
		if (error instanceof ConfigError) fail(error.message);
		throw error;
	}
	let database;
	try {
		database = await openDatabase(config.database);
	} catch (error) {
		if (error instanceof DatabaseBusyError) {
			fail(`la base embarquée (${error.dataDir}) est ouverte par Concerto (processus ${error.pid}). Arrêtez le serveur (Ctrl+C), lancez npm run demo, puis npm start.`);
		}
		throw error;
	}
	try {
		const result = await fillDemo(database.db, configuredStorage(config, database.db), config.publicOrigin, config.signing);
		console.log(summary(result, config.publicOrigin));
	} catch (error) {
		if (error instanceof DemoRefused) fail(error.message);
		throw error;
	} finally {
		await database.close();
	}
}

if (import.meta.main) await main();
