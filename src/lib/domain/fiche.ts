/**
 * The fiche RCP as validated: one self-contained snapshot of everything it says, taken
 * when the coordinator validates it and stored with the signed PDF (table `fiches`). The
 * PDF, the CDA R2 "Fiche RCP" and the FHIR R4 Bundle are all rendered from it, so that
 * the three always say the same thing, and a later change elsewhere (a user renamed, a
 * board edited) never changes a signed fiche.
 *
 * Dates are ISO strings: a snapshot is JSON.
 */
import { z } from 'zod';
import type { CaseFicheDraft } from './case-fiche.ts';
import type { DecisionDraft } from './decision.ts';

/** A physician as the fiche names them. */
export interface FichePerson {
	/** Concerto's user id (null for a guest). */
	id: string | null;
	givenName: string;
	familyName: string;
	/** RPPS number (11 digits), when known. */
	rpps: string | null;
	/** Specialty code of src/lib/domain/specialties.ts, and its French label. */
	specialty: string | null;
	specialtyLabel: string | null;
}

/** Someone who attended the meeting (from the room's recorded presence). */
export interface FicheParticipant extends FichePerson {
	/** coordinator, secretary, member, admin or guest. */
	role: string;
	/** Counted towards the quorum of this decision (a physician whose specialty was present when it was decided). */
	quorumMember: boolean;
	/** First arrival and last departure in the meeting (null: still there when validated). */
	from: string;
	to: string | null;
}

export interface FicheReadBack {
	name: string;
	specialtyLabel: string | null;
	answer: 'confirm' | 'disagree';
	comment: string;
	at: string;
}

export interface FicheSnapshot {
	/** The fiche's own id (changes with each version) and the id shared by all its versions. */
	id: string;
	setId: string;
	version: number;
	/** The version this one cancels and replaces, with why. */
	supersedes: { id: string; version: number; validatedAt: string; reason: string } | null;

	network: { name: string; region: string };
	board: {
		id: string;
		name: string;
		site: string;
		/** BOARD_TYPES code (standard, recours…) and label. */
		type: string;
		typeLabel: string;
		/** JDV_RCP_Appareil code and label; JDV_RCP_Organe code and label when set. */
		apparatus: { code: string; label: string };
		organ: { code: string; label: string } | null;
	};
	meeting: { id: string; startsAt: string; durationMinutes: number };

	caseId: string;
	/** The fiche fields as registered (identity, GP, request, tumour, clinical, results). */
	fiche: CaseFicheDraft;
	/** The requesting physician (`fiche.requestingPhysicianId`). */
	requester: FichePerson | null;

	/** The proposal, as decided. */
	decision: DecisionDraft;
	/** Version of the proposal that was decided. */
	decisionVersion: number;
	/** Discussed in the meeting, or recorded without discussion. */
	discussed: boolean;
	/** The quorum when the proposal was decided. */
	quorum: { met: boolean; status: string; missing: string[]; present: string[]; at: string };
	/** The meeting chosen for a re-presentation (postponement), when there is one. */
	representation: { meetingId: string; startsAt: string } | null;

	participants: FicheParticipant[];
	readBack: FicheReadBack[];

	/** The coordinator who validated and signed, and when. */
	validation: { by: FichePerson; at: string };
	/** Signed with the self-signed development certificate: the PDF says so. */
	developmentSignature: boolean;
}

/** The patient's name as fiches write it: "DURAND Marie". */
export function patientName(fiche: CaseFicheDraft): string {
	return [fiche.familyName?.toLocaleUpperCase('fr-FR'), fiche.givenNames].filter(Boolean).join(' ');
}

/** A physician's name as fiches write it: "Dr Paul DURAND". */
export function physicianName(person: Pick<FichePerson, 'givenName' | 'familyName'>): string {
	return `Dr ${person.givenName} ${person.familyName.toLocaleUpperCase('fr-FR')}`;
}

/** Another recipient of a case's fiche (a surgeon of another hospital, an oncologist who follows the patient…). */
export const RecipientInput = z.object({
	name: z.string().trim().min(2, 'Indiquez le nom du destinataire.').max(200, '200 caractères au plus.'),
	/** A secure-messaging or e-mail address, when known. */
	address: z
		.string()
		.trim()
		.max(200, '200 caractères au plus.')
		.optional()
		.transform((value) => value || null)
});
export type RecipientInput = z.output<typeof RecipientInput>;
