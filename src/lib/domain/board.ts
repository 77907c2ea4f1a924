/**
 * A board (une RCP) as data: what it covers, when it meets, its quorum rule and its
 * registration deadline. One zod schema for the form, the server and the database.
 */
import { z } from 'zod';
import { QuorumRule, STANDARD_QUORUM } from './quorum.ts';
import { DeadlineRule, Recurrence } from './schedule.ts';
import { codeIn } from './value-sets.ts';

/** Kinds of board (DOMAIN.md). */
export const BOARD_TYPES = ['standard', 'recours', 'rare-cancers', 'paediatric', 'molecular'] as const;
export type BoardType = (typeof BOARD_TYPES)[number];

export const BOARD_TYPE_LABELS: Record<BoardType, string> = {
	standard: 'Standard',
	recours: 'Recours (avis d’expert régional)',
	'rare-cancers': 'Cancers rares',
	paediatric: 'Pédiatrique',
	molecular: 'Moléculaire'
};

/** What a person does in a board. */
export const BOARD_ROLES = ['coordinator', 'secretary', 'member'] as const;
export type BoardRole = (typeof BOARD_ROLES)[number];

export const BOARD_ROLE_LABELS: Record<BoardRole, string> = {
	coordinator: 'Médecin coordonnateur',
	secretary: 'Secrétaire',
	member: 'Membre'
};

export const BoardInput = z.object({
	name: z.string().trim().min(3, 'Nom de la RCP : 3 caractères au moins.').max(120, 'Nom de la RCP : 120 caractères au plus.'),
	apparatus: codeIn('JDV_RCP_Appareil'),
	organ: codeIn('JDV_RCP_Organe').nullable().default(null),
	site: z.string().trim().min(1, 'Le site est obligatoire.').max(120, 'Site : 120 caractères au plus.'),
	type: z.enum(BOARD_TYPES, { error: 'Type de RCP inconnu.' }),
	quorumRule: QuorumRule.default(STANDARD_QUORUM),
	recurrence: Recurrence.nullable().default(null),
	deadline: DeadlineRule.default({ workingDaysBefore: 2, time: '12:00' })
});
export type BoardInput = z.infer<typeof BoardInput>;
