/**
 * Validating and signing fiches RCP, amending them, reading and verifying them.
 *
 * - Only the board's coordinator (or an administrator) validates, after confirming their
 *   identity again (password; an account without one signs in again with its provider).
 * - A fiche is signed once (PAdES, `signing/pades.ts`) and stored with its snapshot and
 *   its SHA-256 in `fiches`, which the database keeps immutable (migration 0010). An
 *   amendment signs a new version that supersedes the current one ("annule et remplace").
 * - Every validation, amendment and download is audited (ids, versions and hashes,
 *   never patient data).
 */
import { createHash, randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, notExists } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { CaseFicheDraft } from '../../domain/case-fiche.ts';
import { physicianName, type FicheSnapshot, type RecipientInput } from '../../domain/fiche.ts';
import { audit } from '../audit.ts';
import { verifyPassword } from '../auth/password.ts';
import { caseFor } from '../cases.ts';
import type { Database } from '../db/index.ts';
import { boards, cases, ficheRecipients, fiches, meetings, users, type Fiche, type FicheRecipient } from '../db/schema.ts';
import { loadSigningIdentity, SigningError, type SigningIdentity } from '../signing/identity.ts';
import { signPdf } from '../signing/pades.ts';
import type { SessionUser } from '../users.ts';
import { renderFichePdf } from './pdf.ts';
import { gatherFiche, personOf, signingCheck } from './snapshot.ts';
import { clock } from '../../clock.ts';

/** How long an account without password counts as freshly signed in (its provider confirmed it). */
export const FRESH_SIGN_IN_MS = 10 * 60_000;

export interface IdentityProof {
	password?: string;
	/** When the session signed in (ms since epoch), for accounts signing in with a provider. */
	signedInAt?: number | null;
}

export type IdentityCheck = { ok: true } | { ok: false; reason: 'password-required' | 'wrong-password' | 'sign-in-again' };

/** The validating coordinator confirms who they are: their password, or a fresh provider sign-in. */
export async function confirmIdentity(db: Database, user: SessionUser, proof: IdentityProof, now: Date = clock.now()): Promise<IdentityCheck> {
	const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id));
	if (row?.passwordHash) {
		if (!proof.password) return { ok: false, reason: 'password-required' };
		return (await verifyPassword(proof.password, row.passwordHash)) ? { ok: true } : { ok: false, reason: 'wrong-password' };
	}
	const fresh = proof.signedInAt != null && now.getTime() - proof.signedInAt <= FRESH_SIGN_IN_MS;
	return fresh ? { ok: true } : { ok: false, reason: 'sign-in-again' };
}

export interface SigningSettings {
	p12: { path: string; password: string } | undefined;
	developmentDir: string;
	tsaUrl: string | undefined;
}

/** The signing identity, or the French reason nothing can be signed now. */
export function signingIdentity(settings: SigningSettings, now: Date = clock.now()): { ok: true; identity: SigningIdentity } | { ok: false; message: string } {
	try {
		return { ok: true, identity: loadSigningIdentity(settings, now) };
	} catch (error) {
		if (error instanceof SigningError) return { ok: false, message: error.message };
		throw error;
	}
}

export type ValidationResult =
	| { ok: true; fiche: Fiche }
	| { ok: false; reason: 'not-found' | 'forbidden' | 'not-decided' | 'already-validated' | 'not-validated' | 'reason-required' }
	| { ok: false; reason: 'incomplete'; problems: string[] }
	| { ok: false; reason: 'signing'; message: string };

interface ValidationContext {
	user: SessionUser;
	address: string | null;
	identity: SigningIdentity;
	tsaUrl?: string;
	now?: Date;
}

/** The version of a case's fiche that no other version supersedes, if any. */
export async function currentFiche(db: Database, caseId: string): Promise<Fiche | undefined> {
	const newer = alias(fiches, 'newer');
	const [row] = await db
		.select()
		.from(fiches)
		.where(and(eq(fiches.caseId, caseId), notExists(db.select({ id: newer.id }).from(newer).where(eq(newer.supersedesId, fiches.id)))))
		.orderBy(desc(fiches.validatedAt))
		.limit(1);
	return row;
}

/** Who may validate: the board's coordinator, or an administrator. */
async function validatorAccess(db: Database, user: SessionUser, caseId: string) {
	const access = await caseFor(db, user, caseId);
	if (!access.ok) return access.reason === 'forbidden' ? ({ ok: false, reason: 'forbidden' } as const) : ({ ok: false, reason: 'not-found' } as const);
	if (!user.isAdmin && access.role !== 'coordinator') return { ok: false, reason: 'forbidden' } as const;
	return { ok: true, row: access.row } as const;
}

/**
 * Validates and signs the fiche of a decided case (first version), or, with
 * `amendment`, signs a new version of a validated one that cancels and replaces it.
 * The identity was confirmed and the signing identity loaded by the caller (once for a
 * batch).
 */
export async function validateFiche(db: Database, ctx: ValidationContext, caseId: string, amendment?: { reason: string }): Promise<ValidationResult> {
	const now = ctx.now ?? clock.now();
	const access = await validatorAccess(db, ctx.user, caseId);
	if (!access.ok) return access;
	const previous = await currentFiche(db, caseId);
	if (amendment) {
		if (!previous) return { ok: false, reason: 'not-validated' };
		if (amendment.reason.trim() === '') return { ok: false, reason: 'reason-required' };
	} else {
		if (previous || access.row.status === 'validated' || access.row.status === 'sent') return { ok: false, reason: 'already-validated' };
		if (access.row.status !== 'decided') return { ok: false, reason: 'not-decided' };
	}
	const [validatorRow] = await db.select().from(users).where(eq(users.id, ctx.user.id));
	const validator = personOf(validatorRow);
	const gathered = await gatherFiche(db, caseId, validator, now);
	if (!gathered.ok) return gathered.reason === 'not-found' ? { ok: false, reason: 'not-found' } : { ok: false, reason: 'incomplete', problems: gathered.problems };

	const id = randomUUID();
	const previousContent = previous?.content as FicheSnapshot | undefined;
	const snapshot = gathered.snapshot({
		id,
		setId: previousContent?.setId ?? id,
		version: previous ? previous.version + 1 : 1,
		supersedes: previous
			? { id: previous.id, version: previous.version, validatedAt: previous.validatedAt.toISOString(), reason: amendment!.reason.trim() }
			: null,
		developmentSignature: ctx.identity.development
	});
	let pdf: Uint8Array;
	try {
		pdf = await signPdf(await renderFichePdf(snapshot, { signedBy: ctx.identity.commonName }), ctx.identity, {
			signerName: `${physicianName(validator)}${validator.rpps ? ` (RPPS ${validator.rpps})` : ''}`,
			reason: `Validation de la fiche RCP, version ${snapshot.version}`,
			location: snapshot.board.site,
			contactInfo: snapshot.network.name,
			tsaUrl: ctx.tsaUrl,
			signingTime: now
		});
	} catch (error) {
		if (error instanceof SigningError) return { ok: false, reason: 'signing', message: error.message };
		throw error;
	}
	const sha256 = createHash('sha256').update(pdf).digest('hex');

	const fiche = await db.transaction(async (tx) => {
		const [stored] = await tx
			.insert(fiches)
			.values({
				id,
				caseId,
				meetingId: snapshot.meeting.id,
				boardId: snapshot.board.id,
				version: snapshot.version,
				supersedesId: previous?.id ?? null,
				amendmentReason: amendment?.reason.trim() ?? null,
				content: snapshot as unknown as Record<string, unknown>,
				pdf,
				sha256,
				developmentSignature: ctx.identity.development,
				validatedBy: ctx.user.id,
				validatedAt: now
			})
			.returning();
		if (!previous) {
			await tx
				.update(cases)
				.set({ status: 'validated', version: access.row.version + 1, updatedAt: now, updatedBy: ctx.user.id })
				.where(eq(cases.id, caseId));
			await tx.insert(ficheRecipients).values(defaultRecipients(caseId, snapshot));
		}
		await audit(
			tx as unknown as Database,
			{
				actorUserId: ctx.user.id,
				action: amendment ? 'fiche.amend' : 'fiche.validate',
				entityType: 'case',
				entityId: caseId,
				address: ctx.address,
				details: { ficheId: id, version: snapshot.version, sha256, supersedes: previous?.id ?? null, development: ctx.identity.development }
			},
			now
		);
		return stored;
	});
	return { ok: true, fiche };
}

/** The fiche goes to the patient's GP and to the requesting physician, by default. */
function defaultRecipients(caseId: string, snapshot: FicheSnapshot) {
	const recipients: (typeof ficheRecipients.$inferInsert)[] = [];
	if (snapshot.fiche.gpName) recipients.push({ caseId, kind: 'gp', name: snapshot.fiche.gpName, address: snapshot.fiche.gpEmail ?? null });
	if (snapshot.requester) recipients.push({ caseId, kind: 'requester', name: physicianName(snapshot.requester), address: null });
	return recipients;
}

/** A stored fiche, for a user of its board (or an administrator); downloads are audited by the caller. */
export async function ficheFor(db: Database, user: SessionUser, ficheId: string) {
	const [row] = await db.select().from(fiches).where(eq(fiches.id, ficheId));
	if (!row) return { ok: false as const, reason: 'not-found' as const };
	const access = await caseFor(db, user, row.caseId);
	if (!access.ok) return { ok: false as const, reason: access.reason === 'forbidden' ? ('forbidden' as const) : ('not-found' as const) };
	return { ok: true as const, fiche: row, current: (await currentFiche(db, row.caseId))?.id === row.id };
}

/** A line of a meeting's fiches page. */
export interface MeetingFicheLine {
	caseId: string;
	patientName: string;
	status: string;
	/** What keeps a decided case from being validated (empty: ready). */
	problems: string[];
	/** Every signed version, oldest first. */
	versions: { id: string; version: number; validatedAt: Date; sha256: string; current: boolean }[];
	recipients: { id: string; kind: string; name: string; address: string | null; sentAt: Date | null; sentVersion: number | null }[];
}

/** The meeting's decided and validated cases with their fiches and recipients (board members). */
export async function meetingFiches(db: Database, meetingId: string): Promise<MeetingFicheLine[]> {
	const rows = await db
		.select()
		.from(cases)
		.where(and(eq(cases.meetingId, meetingId), inArray(cases.status, ['decided', 'validated', 'sent'])))
		.orderBy(asc(cases.position), asc(cases.createdAt));
	if (rows.length === 0) return [];
	const ids = rows.map((row) => row.id);
	const signed = await db
		.select({ id: fiches.id, caseId: fiches.caseId, version: fiches.version, validatedAt: fiches.validatedAt, sha256: fiches.sha256, supersedesId: fiches.supersedesId })
		.from(fiches)
		.where(inArray(fiches.caseId, ids))
		.orderBy(asc(fiches.version));
	const superseded = new Set(signed.map((f) => f.supersedesId).filter(Boolean));
	const recipients = await db.select().from(ficheRecipients).where(inArray(ficheRecipients.caseId, ids)).orderBy(asc(ficheRecipients.createdAt));
	const versionOf = new Map(signed.map((f) => [f.id, f.version]));
	const lines: MeetingFicheLine[] = [];
	for (const row of rows) {
		const fiche = CaseFicheDraft.safeParse(row.fiche);
		const problems = row.status === 'decided' ? (await signingCheck(db, row)).problems : [];
		lines.push({
			caseId: row.id,
			patientName: fiche.success ? [fiche.data.familyName?.toLocaleUpperCase('fr-FR'), fiche.data.givenNames].filter(Boolean).join(' ') : '',
			status: row.status,
			problems,
			versions: signed
				.filter((f) => f.caseId === row.id)
				.map((f) => ({ id: f.id, version: f.version, validatedAt: f.validatedAt, sha256: f.sha256, current: !superseded.has(f.id) })),
			recipients: recipients
				.filter((r) => r.caseId === row.id)
				.map((r) => ({ id: r.id, kind: r.kind, name: r.name, address: r.address, sentAt: r.sentAt, sentVersion: r.sentFicheId ? (versionOf.get(r.sentFicheId) ?? null) : null }))
		});
	}
	return lines;
}

export type Verification =
	| { authentic: false }
	| {
			authentic: true;
			current: boolean;
			version: number;
			validatedAt: Date;
			boardName: string;
			meetingStartsAt: Date;
			development: boolean;
			/** The version that replaced it, when it is not current. */
			replacedBy: { version: number; validatedAt: Date } | null;
	  };

/**
 * Is this PDF a fiche Concerto signed, and its current version? Answers from the file's
 * SHA-256 alone, and says nothing of the patient (the page is open to anyone holding the file).
 */
export async function verifyFiche(db: Database, pdf: Uint8Array): Promise<Verification> {
	const sha256 = createHash('sha256').update(pdf).digest('hex');
	const [row] = await db
		.select({ fiche: fiches, boardName: boards.name, startsAt: meetings.startsAt })
		.from(fiches)
		.innerJoin(boards, eq(boards.id, fiches.boardId))
		.innerJoin(meetings, eq(meetings.id, fiches.meetingId))
		.where(eq(fiches.sha256, sha256));
	if (!row) return { authentic: false };
	const current = await currentFiche(db, row.fiche.caseId);
	return {
		authentic: true,
		current: current?.id === row.fiche.id,
		version: row.fiche.version,
		validatedAt: row.fiche.validatedAt,
		boardName: row.boardName,
		meetingStartsAt: row.startsAt,
		development: row.fiche.developmentSignature,
		replacedBy: current && current.id !== row.fiche.id ? { version: current.version, validatedAt: current.validatedAt } : null
	};
}

/**
 * How a fiche reaches a recipient. `manual`: sent outside Concerto (secure health
 * messaging, post) and marked here. A secure-messaging (MSSanté) sender implements the
 * same interface: `send` delivers, or throws and nothing is marked.
 */
export interface FicheSender {
	channel: string;
	send(fiche: Fiche, recipient: FicheRecipient): Promise<void>;
}

export const manualSender: FicheSender = { channel: 'manual', send: async () => {} };

/** Sends the current fiche to a recipient through `sender`, and marks it sent (who, when, which version). */
export async function markSent(db: Database, user: SessionUser, recipientId: string, sender: FicheSender, address: string | null, now: Date = clock.now()) {
	const [recipient] = await db.select().from(ficheRecipients).where(eq(ficheRecipients.id, recipientId));
	if (!recipient) return { ok: false as const, reason: 'not-found' as const };
	const access = await caseFor(db, user, recipient.caseId);
	if (!access.ok) return { ok: false as const, reason: access.reason === 'forbidden' ? ('forbidden' as const) : ('not-found' as const) };
	if (!access.manager) return { ok: false as const, reason: 'forbidden' as const };
	const fiche = await currentFiche(db, recipient.caseId);
	if (!fiche) return { ok: false as const, reason: 'not-validated' as const };
	await sender.send(fiche, recipient);
	const channel = sender.channel;
	await db.transaction(async (tx) => {
		await tx.update(ficheRecipients).set({ sentFicheId: fiche.id, sentAt: now, sentBy: user.id, channel }).where(eq(ficheRecipients.id, recipientId));
		// Every recipient has the current version: the case is sent.
		const waiting = await tx
			.select({ id: ficheRecipients.id })
			.from(ficheRecipients)
			.where(and(eq(ficheRecipients.caseId, recipient.caseId), isNull(ficheRecipients.sentAt)));
		if (waiting.length === 0) await tx.update(cases).set({ status: 'sent', updatedAt: now, updatedBy: user.id }).where(and(eq(cases.id, recipient.caseId), eq(cases.status, 'validated')));
		await audit(tx as unknown as Database, { actorUserId: user.id, action: 'fiche.sent', entityType: 'case', entityId: recipient.caseId, address, details: { recipientId, kind: recipient.kind, ficheId: fiche.id, version: fiche.version, channel } }, now);
	});
	return { ok: true as const };
}

/** Adds another recipient to a validated case's fiche (board managers). */
export async function addRecipient(db: Database, user: SessionUser, caseId: string, input: RecipientInput, address: string | null) {
	const access = await caseFor(db, user, caseId);
	if (!access.ok) return { ok: false as const, reason: access.reason === 'forbidden' ? ('forbidden' as const) : ('not-found' as const) };
	if (!access.manager) return { ok: false as const, reason: 'forbidden' as const };
	if (!(await currentFiche(db, caseId))) return { ok: false as const, reason: 'not-validated' as const };
	const [row] = await db.insert(ficheRecipients).values({ caseId, kind: 'other', name: input.name, address: input.address }).returning();
	// A new recipient is still to be served: the case is not "sent" any more.
	await db.update(cases).set({ status: 'validated', updatedAt: clock.now(), updatedBy: user.id }).where(and(eq(cases.id, caseId), eq(cases.status, 'sent')));
	await audit(db, { actorUserId: user.id, action: 'fiche.recipient-add', entityType: 'case', entityId: caseId, address, details: { recipientId: row.id } });
	return { ok: true as const, recipient: row };
}
