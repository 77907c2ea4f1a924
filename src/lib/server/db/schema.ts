/**
 * The Drizzle schema: the single description of Concerto's tables.
 * Migrations in `drizzle/` are generated from it with `npm run db:generate` and are never
 * edited by hand once shipped.
 */
import { bigint, boolean, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type { QuorumRule } from '../../domain/quorum.ts';
import type { DeadlineRule, Recurrence } from '../../domain/schedule.ts';
import { clock } from '../../clock.ts';

/**
 * Inserts take their timestamps from Concerto's clock (the SQL default `now()` stays for
 * rows written outside the app), so that a test's clock and the database agree.
 */
const now = () => clock.now();

/**
 * One presence of a participant in a video room: when they joined and left.
 * The seed of the meeting attendance (who was there, from when to when).
 */
export const roomPresences = pgTable(
	'room_presences',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** The room's id: the meeting's id for a meeting room. */
		roomId: text('room_id').notNull(),
		/** The SFU peer id of this presence (one per join). */
		peerId: text('peer_id').notNull().unique(),
		displayName: text('display_name').notNull(),
		/** The meeting, the account or guest, their specialty and role at the time (attendance). */
		meetingId: uuid('meeting_id'),
		userId: uuid('user_id'),
		guestId: uuid('guest_id'),
		specialty: text('specialty'),
		/** coordinator, secretary, member, admin or guest. */
		role: text('role'),
		joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
		leftAt: timestamp('left_at', { withTimezone: true })
	},
	(t) => [index('room_presences_room_idx').on(t.roomId, t.joinedAt), index('room_presences_meeting_idx').on(t.meetingId, t.joinedAt)]
);

export type RoomPresence = typeof roomPresences.$inferSelect;

/**
 * A person who signs in: physicians, secretaries, administrators. Guests of one
 * meeting are not users (they come with an invitation).
 */
export const users = pgTable(
	'users',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** Lower-cased; the sign-in name of local accounts. */
		email: text('email').unique(),
		givenName: text('given_name').notNull(),
		familyName: text('family_name').notNull(),
		/** A code of src/lib/domain/specialties.ts; null for non-physicians. */
		specialty: text('specialty'),
		/** National professional id (11 digits), when the user is a health professional. */
		rpps: text('rpps').unique(),
		phone: text('phone'),
		/** scrypt hash (see auth/password.ts); null for accounts that only sign in through OIDC. */
		passwordHash: text('password_hash'),
		isAdmin: boolean('is_admin').notNull().default(false),
		/** Manages the network's référentiels and trials directory (with administrators). */
		networkEditor: boolean('network_editor').notNull().default(false),
		active: boolean('active').notNull().default(true),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
		lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true })
	}
);

export type User = typeof users.$inferSelect;

/**
 * A one-time link with which a person invited by an administrator chooses a password.
 * Only the SHA-256 of the token is stored: the link itself is shown once.
 */
export const userInvitations = pgTable('user_invitations', {
	tokenHash: text('token_hash').primaryKey(),
	userId: uuid('user_id')
		.notNull()
		.references(() => users.id),
	createdBy: uuid('created_by').references(() => users.id),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
	expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
	usedAt: timestamp('used_at', { withTimezone: true })
});

/**
 * Failed sign-ins per account and per client address, kept in the database so that
 * every node slows down and locks the same way.
 */
export const signInThrottle = pgTable('sign_in_throttle', {
	/** `account:<email>` or `address:<ip>`. */
	key: text('key').primaryKey(),
	failures: integer('failures').notNull().default(0),
	lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull(),
	lockedUntil: timestamp('locked_until', { withTimezone: true })
});

/**
 * The audit trail: who did what to which record, when, from where. `details` holds
 * identifiers and field names only, never patient data.
 */
export const auditEvents = pgTable(
	'audit_events',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
		actorUserId: uuid('actor_user_id').references(() => users.id),
		/** Set instead of the user when a meeting's guest acted (meeting_guests.id; no foreign key, the table comes later). */
		actorGuestId: uuid('actor_guest_id'),
		/** What happened, e.g. `user.sign-in`, `case.read`. */
		action: text('action').notNull(),
		entityType: text('entity_type'),
		entityId: text('entity_id'),
		address: text('address'),
		details: jsonb('details').$type<Record<string, unknown>>()
	},
	(t) => [index('audit_events_at_idx').on(t.at), index('audit_events_entity_idx').on(t.entityType, t.entityId)]
);

export type AuditEvent = typeof auditEvents.$inferSelect;

/** A board (une RCP) of the regional directory. */
export const boards = pgTable('boards', {
	id: uuid('id').primaryKey().defaultRandom(),
	name: text('name').notNull(),
	/** JDV_RCP_Appareil code. */
	apparatus: text('apparatus').notNull(),
	/** JDV_RCP_Organe code, when the board covers one organ. */
	organ: text('organ'),
	site: text('site').notNull(),
	/** One of BOARD_TYPES (src/lib/domain/board.ts). */
	type: text('type').notNull(),
	/** The quorum rule as data (QuorumRule). */
	quorumRule: jsonb('quorum_rule').$type<QuorumRule>().notNull(),
	/** When the board meets (Recurrence), if it meets regularly. */
	recurrence: jsonb('recurrence').$type<Recurrence>(),
	/** The default registration deadline (DeadlineRule). */
	deadline: jsonb('deadline').$type<DeadlineRule>().notNull(),
	active: boolean('active').notNull().default(true),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now)
});

export type Board = typeof boards.$inferSelect;

/** Who belongs to a board, and as what (coordinator, secretary, member). */
export const boardMembers = pgTable(
	'board_members',
	{
		boardId: uuid('board_id')
			.notNull()
			.references(() => boards.id),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		/** One of BOARD_ROLES. */
		role: text('role').notNull(),
		since: timestamp('since', { withTimezone: true }).notNull().defaultNow().$defaultFn(now)
	},
	(t) => [primaryKey({ columns: [t.boardId, t.userId] }), index('board_members_user_idx').on(t.userId)]
);

/** A meeting (séance) of a board: its date, registration deadline and state. */
export const meetings = pgTable(
	'meetings',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		boardId: uuid('board_id')
			.notNull()
			.references(() => boards.id),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		durationMinutes: integer('duration_minutes').notNull(),
		registrationDeadline: timestamp('registration_deadline', { withTimezone: true }).notNull(),
		/** One of MEETING_STATES (src/lib/domain/meeting.ts). */
		status: text('status').notNull().default('scheduled'),
		/** Generated from the board's recurrence (true) or created by hand. */
		recurring: boolean('recurring').notNull().default(false),
		/** Locked by a moderator: nobody enters the video room without being admitted. */
		roomLocked: boolean('room_locked').notNull().default(false),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now)
	},
	(t) => [index('meetings_board_start_idx').on(t.boardId, t.startsAt), unique('meetings_board_start_unique').on(t.boardId, t.startsAt)]
);

export type Meeting = typeof meetings.$inferSelect;

/**
 * A case (dossier) presented to a board. Its fiche fields are one JSON document validated
 * by CaseFicheDraft (src/lib/domain/case-fiche.ts); `version` detects stale edits.
 */
export const cases = pgTable(
	'cases',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		boardId: uuid('board_id')
			.notNull()
			.references(() => boards.id),
		/** The meeting it is on the agenda of (null while a draft is not yet registered). */
		meetingId: uuid('meeting_id').references(() => meetings.id),
		/** Order on the agenda (ascending). */
		position: integer('position').notNull().default(0),
		estimatedMinutes: integer('estimated_minutes').notNull().default(5),
		/** One of CASE_STATES (src/lib/domain/case-lifecycle.ts). */
		status: text('status').notNull().default('draft'),
		requestedBy: uuid('requested_by')
			.notNull()
			.references(() => users.id),
		fiche: jsonb('fiche').$type<Record<string, unknown>>().notNull(),
		/**
		 * When the fiche last became complete (null while it is not): "dossier complet à la
		 * date limite" is `complete_at <= registration_deadline` of its meeting.
		 */
		completeAt: timestamp('complete_at', { withTimezone: true }),
		version: integer('version').notNull().default(1),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
		updatedBy: uuid('updated_by').references(() => users.id)
	},
	(t) => [index('cases_meeting_idx').on(t.meetingId, t.position), index('cases_board_idx').on(t.boardId)]
);

export type Case = typeof cases.$inferSelect;

/** Every meeting a case was put on, in order: postponements keep their history. */
export const caseMeetingHistory = pgTable(
	'case_meeting_history',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		meetingId: uuid('meeting_id')
			.notNull()
			.references(() => meetings.id),
		reason: text('reason').notNull(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
		by: uuid('by').references(() => users.id)
	},
	(t) => [index('case_meeting_history_case_idx').on(t.caseId, t.at), index('case_meeting_history_meeting_idx').on(t.meetingId)]
);

/** A document attached to a case (PDF, JPEG, PNG), stored behind the storage interface. */
export const caseAttachments = pgTable(
	'case_attachments',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		fileName: text('file_name').notNull(),
		/** Detected from the content, not taken from the upload. */
		mediaType: text('media_type').notNull(),
		sizeBytes: integer('size_bytes').notNull(),
		sha256: text('sha256').notNull(),
		/** Where the storage keeps the bytes. */
		storageKey: text('storage_key').notNull(),
		uploadedBy: uuid('uploaded_by')
			.notNull()
			.references(() => users.id),
		uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now)
	},
	(t) => [index('case_attachments_case_idx').on(t.caseId)]
);

export type CaseAttachment = typeof caseAttachments.$inferSelect;

/**
 * A guest of one meeting (a GP, an outside expert): no account, a link instead.
 * Only the SHA-256 of the link's token is stored. Opening the link starts a guest
 * session in that browser and ends any earlier one (`sessionHash` is replaced): one
 * person at a time, until `expiresAt` or until a manager revokes it.
 */
export const meetingGuests = pgTable(
	'meeting_guests',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		meetingId: uuid('meeting_id')
			.notNull()
			.references(() => meetings.id),
		name: text('name').notNull(),
		email: text('email'),
		tokenHash: text('token_hash').notNull().unique(),
		/** SHA-256 of the current guest session's cookie value; null before the link is opened. */
		sessionHash: text('session_hash').unique(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdBy: uuid('created_by')
			.notNull()
			.references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
		/** When the link was last opened. */
		claimedAt: timestamp('claimed_at', { withTimezone: true }),
		revokedAt: timestamp('revoked_at', { withTimezone: true })
	},
	(t) => [index('meeting_guests_meeting_idx').on(t.meetingId)]
);

export type MeetingGuest = typeof meetingGuests.$inferSelect;

/**
 * Settings of this Concerto instance that administrators change in the app (the regional
 * network it serves, …), one JSON value per key, validated by its service.
 */
export const settings = pgTable('settings', {
	key: text('key').primaryKey(),
	value: jsonb('value').$type<unknown>().notNull(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
	updatedBy: uuid('updated_by').references(() => users.id)
});

/**
 * Who a moderator let into a meeting's room, or removed from it. A guest needs an
 * `admitted` row to enter without waiting in the lobby; a `removed` participant (guest or
 * member) waits in the lobby until admitted again. Members without a row enter directly
 * (unless the room is locked).
 */
export const meetingAdmissions = pgTable(
	'meeting_admissions',
	{
		meetingId: uuid('meeting_id')
			.notNull()
			.references(() => meetings.id),
		/** `user:<id>` or `guest:<id>`. */
		participantKey: text('participant_key').notNull(),
		/** admitted or removed. */
		status: text('status').notNull(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
		by: uuid('by').references(() => users.id)
	},
	(t) => [primaryKey({ columns: [t.meetingId, t.participantKey] })]
);

/** The chat of a meeting's room, kept with the meeting, visible to its participants only. */
export const meetingChatMessages = pgTable(
	'meeting_chat_messages',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		meetingId: uuid('meeting_id')
			.notNull()
			.references(() => meetings.id),
		authorUserId: uuid('author_user_id').references(() => users.id),
		authorGuestId: uuid('author_guest_id').references(() => meetingGuests.id),
		/** The name shown with the message, as it was when sent. */
		authorName: text('author_name').notNull(),
		text: text('text').notNull(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now)
	},
	(t) => [index('meeting_chat_meeting_idx').on(t.meetingId, t.at)]
);

export type MeetingChatMessage = typeof meetingChatMessages.$inferSelect;

/**
 * A case's proposal (decision) as it stands: the latest version of its content, its
 * state (`draft` while typed, `final` while read back, `decided` once closed), and, from
 * the moment it was made final, the quorum it was decided with.
 */
export const caseDecisions = pgTable(
	'case_decisions',
	{
	caseId: uuid('case_id')
		.primaryKey()
		.references(() => cases.id),
	meetingId: uuid('meeting_id')
		.notNull()
		.references(() => meetings.id),
	/** A DecisionDraft (src/lib/domain/decision.ts). */
	content: jsonb('content').$type<Record<string, unknown>>().notNull(),
	version: integer('version').notNull(),
	/** draft, final or decided. */
	status: text('status').notNull().default('draft'),
	/** The quorum evaluation when the proposal was made final (QuorumSnapshot). */
	quorum: jsonb('quorum').$type<Record<string, unknown>>(),
	finalAt: timestamp('final_at', { withTimezone: true }),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
	updatedBy: uuid('updated_by').references(() => users.id)
	},
	(t) => [index('case_decisions_meeting_idx').on(t.meetingId)]
);

export type CaseDecision = typeof caseDecisions.$inferSelect;

/** Every saved version of a proposal: who changed it, when, to what. */
export const caseDecisionVersions = pgTable(
	'case_decision_versions',
	{
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		version: integer('version').notNull(),
		content: jsonb('content').$type<Record<string, unknown>>().notNull(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
		by: uuid('by').references(() => users.id)
	},
	(t) => [primaryKey({ columns: [t.caseId, t.version] })]
);

/** Each participant's answer to the read-back of a final proposal ("Je confirme" or not). */
export const decisionConfirmations = pgTable(
	'decision_confirmations',
	{
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		/** The version of the proposal that was read back. */
		version: integer('version').notNull(),
		/** `user:<id>` or `guest:<id>`. */
		participantKey: text('participant_key').notNull(),
		displayName: text('display_name').notNull(),
		specialty: text('specialty'),
		/** confirm or disagree. */
		answer: text('answer').notNull(),
		comment: text('comment').notNull().default(''),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now)
	},
	(t) => [primaryKey({ columns: [t.caseId, t.version, t.participantKey] })]
);

export type DecisionConfirmation = typeof decisionConfirmations.$inferSelect;

/**
 * What a live meeting shows everyone, kept in the database so that a refresh, a
 * reconnection or a server restart restores it: the case under discussion, who presents
 * it, who holds the proposal's pen, and the presenter's document view.
 */
export const meetingLiveState = pgTable('meeting_live_state', {
	meetingId: uuid('meeting_id')
		.primaryKey()
		.references(() => meetings.id),
	currentCaseId: uuid('current_case_id').references(() => cases.id),
	/** `user:<id>` or `guest:<id>` of the presenter. */
	presenterKey: text('presenter_key'),
	/** Who may edit the proposal now (one editor at a time). */
	editorKey: text('editor_key'),
	/** The presenter's document view (DocumentView of src/lib/realtime/live.ts), or null. */
	document: jsonb('document').$type<Record<string, unknown>>(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now)
});

/** When each case was opened and closed in its meeting (time spent, meeting summary). */
export const caseDiscussions = pgTable(
	'case_discussions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		meetingId: uuid('meeting_id')
			.notNull()
			.references(() => meetings.id),
		openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
		closedAt: timestamp('closed_at', { withTimezone: true }),
		/** decided, postponed, or null while open / left without outcome. */
		outcome: text('outcome')
	},
	(t) => [index('case_discussions_meeting_idx').on(t.meetingId, t.openedAt)]
);

/** Raw bytes (PostgreSQL `bytea`), as a Uint8Array. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
	dataType: () => 'bytea',
	fromDriver: (value) => new Uint8Array(value)
});

/**
 * A validated and signed fiche RCP: one row per version, never changed nor deleted once
 * written (a trigger of migration 0010 refuses UPDATE and DELETE). An amendment is a new
 * row that supersedes the previous one ("annule et remplace"); the current version of a
 * case's fiche is the one no other row supersedes.
 */
export const fiches = pgTable(
	'fiches',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		meetingId: uuid('meeting_id')
			.notNull()
			.references(() => meetings.id),
		boardId: uuid('board_id')
			.notNull()
			.references(() => boards.id),
		/** 1 for the first validation of this case in this meeting, then 2, 3… for amendments. */
		version: integer('version').notNull(),
		supersedesId: uuid('supersedes_id').references((): AnyPgColumn => fiches.id),
		/** Why the previous version was replaced (amendments only). */
		amendmentReason: text('amendment_reason'),
		/** Everything the fiche says (FicheSnapshot, src/lib/domain/fiche.ts): the PDF, CDA and FHIR are rendered from it. */
		content: jsonb('content').$type<Record<string, unknown>>().notNull(),
		/** The signed PDF. */
		pdf: bytea('pdf').notNull(),
		/** SHA-256 of the signed PDF, hex: what the verification page looks up. */
		sha256: text('sha256').notNull(),
		/** Signed with the self-signed development certificate (not for production). */
		developmentSignature: boolean('development_signature').notNull(),
		validatedBy: uuid('validated_by')
			.notNull()
			.references(() => users.id),
		validatedAt: timestamp('validated_at', { withTimezone: true }).notNull()
	},
	(t) => [
		uniqueIndex('fiches_sha256_idx').on(t.sha256),
		unique('fiches_case_version').on(t.caseId, t.meetingId, t.version),
		// A version is superseded once at most: amendments form a chain.
		uniqueIndex('fiches_supersedes_idx').on(t.supersedesId),
		index('fiches_meeting_idx').on(t.meetingId)
	]
);

export type Fiche = typeof fiches.$inferSelect;

/**
 * Who a case's fiche goes to (the GP, the requesting physician, others) and when it was
 * sent to each. Sending through secure health messaging plugs in later (`channel`).
 */
export const ficheRecipients = pgTable(
	'fiche_recipients',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		/** gp, requester or other. */
		kind: text('kind').notNull(),
		name: text('name').notNull(),
		/** An e-mail or secure-messaging address, when known. */
		address: text('address'),
		/** The version of the fiche sent, and when, by whom, how. */
		sentFicheId: uuid('sent_fiche_id').references(() => fiches.id),
		sentAt: timestamp('sent_at', { withTimezone: true }),
		sentBy: uuid('sent_by').references(() => users.id),
		/** manual (sent outside Concerto and marked here), or a sender's name. */
		channel: text('channel'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now)
	},
	(t) => [index('fiche_recipients_case_idx').on(t.caseId)]
);

export type FicheRecipient = typeof ficheRecipients.$inferSelect;

/**
 * A case document's bytes kept in the database (ATTACHMENT_STORAGE=database), so that
 * every node serves what any node received (src/lib/server/database-storage.ts). The
 * bytes are in `attachment_chunks`; the object row and its chunks are written in one
 * transaction, so an object is there whole or not at all.
 */
export const attachmentObjects = pgTable('attachment_objects', {
	/** New at every write: chunks belong to one version, so a reader never mixes two. */
	id: uuid('id').primaryKey().defaultRandom(),
	/** The storage key (`newStorageKey`), as in `case_attachments.storage_key`. */
	key: text('key').notNull().unique(),
	sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
	/** How many chunks a reader must find: a missing one means the object changed under it. */
	chunkCount: integer('chunk_count').notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now)
});

/** One piece (1 MiB at most) of an attachment object, in reading order. */
export const attachmentChunks = pgTable(
	'attachment_chunks',
	{
		objectId: uuid('object_id')
			.notNull()
			.references(() => attachmentObjects.id, { onDelete: 'cascade' }),
		/** 0, 1, 2… */
		seq: integer('seq').notNull(),
		bytes: bytea('bytes').notNull()
	},
	(t) => [primaryKey({ columns: [t.objectId, t.seq] })]
);

/**
 * A référentiel of the network: a dated guideline for one organ or tumour site, written
 * and revised by a working group (`referentiel_group_members`), published in versions
 * (`referentiel_versions`) that proposals cite.
 */
export const referentiels = pgTable('referentiels', {
	id: uuid('id').primaryKey().defaultRandom(),
	title: text('title').notNull(),
	/** JDV_RCP_Organe code of the organ or tumour site it covers. */
	organ: text('organ').notNull(),
	/** JDV_RCP_Appareil code, when the organ's apparatus is worth filtering on. */
	apparatus: text('apparatus'),
	/** What it covers, in a sentence or two. */
	description: text('description').notNull().default(''),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
	createdBy: uuid('created_by').references(() => users.id),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now)
});

export type Referentiel = typeof referentiels.$inferSelect;

/** Who writes a référentiel: the network's members in its working group, one of them its coordinator. */
export const referentielGroupMembers = pgTable(
	'referentiel_group_members',
	{
		referentielId: uuid('referentiel_id')
			.notNull()
			.references(() => referentiels.id),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		/** coordinator or member (REFERENTIEL_GROUP_ROLES). */
		role: text('role').notNull(),
		since: timestamp('since', { withTimezone: true }).notNull().defaultNow().$defaultFn(now)
	},
	(t) => [primaryKey({ columns: [t.referentielId, t.userId] }), index('referentiel_group_members_user_idx').on(t.userId)]
);

/**
 * One version of a référentiel: draft → submitted → validated (by the working group's
 * coordinator) → published → superseded (when the next one is published). Its content
 * (label, document, situations) cannot change once published (migration 0013's trigger).
 */
export const referentielVersions = pgTable(
	'referentiel_versions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		referentielId: uuid('referentiel_id')
			.notNull()
			.references(() => referentiels.id),
		/** The version as the network names it: "2026", "v3.1". Unique per référentiel. */
		label: text('label').notNull(),
		/** One of REFERENTIEL_VERSION_STATES (src/lib/domain/referentiel.ts). */
		status: text('status').notNull().default('draft'),
		/** What changed since the previous version. */
		changeSummary: text('change_summary').notNull().default(''),
		/** The version's document (a PDF), behind the storage interface. */
		documentKey: text('document_key'),
		documentName: text('document_name'),
		documentBytes: integer('document_bytes'),
		documentSha256: text('document_sha256'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
		createdBy: uuid('created_by').references(() => users.id),
		submittedAt: timestamp('submitted_at', { withTimezone: true }),
		submittedBy: uuid('submitted_by').references(() => users.id),
		validatedAt: timestamp('validated_at', { withTimezone: true }),
		validatedBy: uuid('validated_by').references(() => users.id),
		publishedAt: timestamp('published_at', { withTimezone: true }),
		publishedBy: uuid('published_by').references(() => users.id),
		supersededAt: timestamp('superseded_at', { withTimezone: true }),
		supersededById: uuid('superseded_by_id').references((): AnyPgColumn => referentielVersions.id)
	},
	(t) => [unique('referentiel_versions_label_unique').on(t.referentielId, t.label), index('referentiel_versions_status_idx').on(t.referentielId, t.status)]
);

export type ReferentielVersion = typeof referentielVersions.$inferSelect;

/**
 * A clinical situation of a référentiel version ("Côlon, stade III, après résection R0")
 * with its recommended options: the unit a proposal cites.
 */
export const referentielSituations = pgTable(
	'referentiel_situations',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		versionId: uuid('version_id')
			.notNull()
			.references(() => referentielVersions.id),
		/** A short code, unique in its version: "COLON-III-R0". */
		code: text('code').notNull(),
		heading: text('heading').notNull(),
		/** The recommended options, in words. */
		recommendation: text('recommendation').notNull().default(''),
		position: integer('position').notNull().default(0)
	},
	(t) => [unique('referentiel_situations_code_unique').on(t.versionId, t.code), index('referentiel_situations_version_idx').on(t.versionId, t.position)]
);

export type ReferentielSituation = typeof referentielSituations.$inferSelect;

/**
 * A clinical trial of the network's directory, with its pre-screening criteria
 * (TrialCriteria of src/lib/domain/trial.ts): the help a board gets to think of it.
 */
export const trials = pgTable(
	'trials',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		title: text('title').notNull(),
		acronym: text('acronym'),
		/** EU CT number (2023-501234-12-00). */
		euCtNumber: text('eu_ct_number').unique(),
		/** ClinicalTrials.gov identifier (NCT01234567). */
		nctId: text('nct_id').unique(),
		/** The network's or promoter's local number. */
		localNumber: text('local_number'),
		sponsor: text('sponsor').notNull().default(''),
		/** One of TRIAL_PHASES. */
		phase: text('phase'),
		/** open, suspended or closed (TRIAL_STATUSES). */
		status: text('status').notNull(),
		openedAt: text('opened_at'),
		closedAt: text('closed_at'),
		/** The pre-screening criteria (TrialCriteria). */
		criteria: jsonb('criteria').$type<Record<string, unknown>>().notNull(),
		/** Eligibility as the sponsor words it. */
		eligibilityText: text('eligibility_text').notNull().default(''),
		/** manual, csv or fhir: where it last came from. */
		source: text('source').notNull().default('manual'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
		updatedBy: uuid('updated_by').references(() => users.id)
	},
	(t) => [index('trials_status_idx').on(t.status)]
);

export type Trial = typeof trials.$inferSelect;

/** A site of the network where a trial recruits, with its local investigator and contact. */
export const trialSites = pgTable(
	'trial_sites',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		trialId: uuid('trial_id')
			.notNull()
			.references(() => trials.id, { onDelete: 'cascade' }),
		site: text('site').notNull(),
		investigator: text('investigator').notNull().default(''),
		contact: text('contact').notNull().default(''),
		/** Whether this site recruits now. */
		open: boolean('open').notNull().default(true),
		position: integer('position').notNull().default(0)
	},
	(t) => [index('trial_sites_trial_idx').on(t.trialId, t.position)]
);

export type TrialSite = typeof trialSites.$inferSelect;

/**
 * After the meeting, whether the patient of a case proposed for a trial was included:
 * what the inclusion rate counts.
 */
export const caseTrialOutcomes = pgTable('case_trial_outcomes', {
	caseId: uuid('case_id')
		.primaryKey()
		.references(() => cases.id),
	trialId: uuid('trial_id')
		.notNull()
		.references(() => trials.id),
	/** included, not-included (TRIAL_OUTCOMES). */
	outcome: text('outcome').notNull(),
	/** Why not (screen failure, refusal…), free text without identity. */
	reason: text('reason').notNull().default(''),
	/** The day of inclusion or of the decision, YYYY-MM-DD. */
	on: text('on'),
	recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
	recordedBy: uuid('recorded_by').references(() => users.id)
});

export type CaseTrialOutcome = typeof caseTrialOutcomes.$inferSelect;

// ---------------------------------------------------------------------------------------
// After the RCP: the patient's PPS and the post-treatment follow-up (issue 16)

/**
 * One version of a patient's PPS (programme personnalisé de soins), written from a case
 * whose fiche is signed. All versions of one case's PPS share `setId`. A version is a
 * draft while its author edits it (one draft per set at most), then issued: its
 * `snapshot` (PpsSnapshot, src/lib/domain/pps.ts) is what the PDF, CDA and FHIR say, and
 * a trigger of migration 0014 refuses any change to an issued version but its handover.
 */
export const ppsVersions = pgTable(
	'pps_versions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		setId: uuid('set_id').notNull(),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		boardId: uuid('board_id')
			.notNull()
			.references(() => boards.id),
		/** The signed fiche version this PPS follows. */
		ficheId: uuid('fiche_id')
			.notNull()
			.references(() => fiches.id),
		version: integer('version').notNull(),
		supersedesId: uuid('supersedes_id').references((): AnyPgColumn => ppsVersions.id),
		/** draft or issued. */
		status: text('status').notNull().default('draft'),
		/** The PpsDraft being edited (and, once issued, as issued). */
		content: jsonb('content').$type<Record<string, unknown>>().notNull(),
		/** JDV_MotifMiseAJour code of an update (versions 2+), also in `content`. */
		updateReason: text('update_reason'),
		/** The PpsSnapshot, set when the version is issued. */
		snapshot: jsonb('snapshot').$type<Record<string, unknown>>(),
		createdBy: uuid('created_by')
			.notNull()
			.references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
		issuedAt: timestamp('issued_at', { withTimezone: true }),
		issuedBy: uuid('issued_by').references(() => users.id),
		/** When and by whom this version was given to the patient. */
		handedOverAt: timestamp('handed_over_at', { withTimezone: true }),
		handedOverBy: uuid('handed_over_by').references(() => users.id)
	},
	(t) => [
		unique('pps_versions_set_version').on(t.setId, t.version),
		uniqueIndex('pps_versions_one_draft_idx')
			.on(t.setId)
			.where(sql`status = 'draft'`),
		index('pps_versions_case_idx').on(t.caseId),
		index('pps_versions_board_idx').on(t.boardId)
	]
);

export type PpsVersion = typeof ppsVersions.$inferSelect;

/**
 * The network's follow-up programmes per organ (FollowUpTemplate, src/lib/domain/follow-up.ts),
 * edited by its editors. Seeded with DEFAULT_FOLLOW_UP_TEMPLATES on first use. A plan keeps
 * a copy of the template it was generated from, so editing a template changes no plan.
 */
export const followUpTemplates = pgTable(
	'follow_up_templates',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		organ: text('organ').notNull(),
		name: text('name').notNull(),
		definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
		/** Withdrawn templates stay for the plans made from them but are not offered. */
		active: boolean('active').notNull().default(true),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
		createdBy: uuid('created_by').references(() => users.id),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
		updatedBy: uuid('updated_by').references(() => users.id)
	},
	(t) => [index('follow_up_templates_organ_idx').on(t.organ)]
);

export type FollowUpTemplateRow = typeof followUpTemplates.$inferSelect;

/**
 * A patient's post-treatment follow-up, opened by the specialist at the end of treatment
 * from a case with a signed fiche (one plan per case). `items` is the dated schedule
 * (ScheduleItem[]) as generated then adjusted; it is the truth, changed by later adjustments.
 */
export const followUpPlans = pgTable(
	'follow_up_plans',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		caseId: uuid('case_id')
			.notNull()
			.unique()
			.references(() => cases.id),
		boardId: uuid('board_id')
			.notNull()
			.references(() => boards.id),
		templateId: uuid('template_id').references(() => followUpTemplates.id),
		/** The template as it was when the plan was generated. */
		template: jsonb('template').$type<Record<string, unknown>>().notNull(),
		/** The end-of-treatment day the schedule counts from, YYYY-MM-DD. */
		startOn: text('start_on').notNull(),
		items: jsonb('items').$type<Record<string, unknown>[]>().notNull(),
		/** active, closed (end of follow-up) or relapse (the patient went back to the board). */
		status: text('status').notNull().default('active'),
		openedBy: uuid('opened_by')
			.notNull()
			.references(() => users.id),
		openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
		closedAt: timestamp('closed_at', { withTimezone: true })
	},
	(t) => [index('follow_up_plans_board_idx').on(t.boardId, t.status)]
);

export type FollowUpPlan = typeof followUpPlans.$inferSelect;

/**
 * The patient's GP invited to one follow-up: no account, a personal link instead, like a
 * meeting's guest (only SHA-256 hashes of the link and of the session are kept). It opens
 * that plan, its fiche and its PPS, and nothing else, until `expiresAt` or revocation.
 */
export const followUpGpLinks = pgTable(
	'follow_up_gp_links',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		planId: uuid('plan_id')
			.notNull()
			.references(() => followUpPlans.id),
		name: text('name').notNull(),
		email: text('email'),
		rpps: text('rpps'),
		tokenHash: text('token_hash').notNull().unique(),
		sessionHash: text('session_hash').unique(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdBy: uuid('created_by')
			.notNull()
			.references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
		claimedAt: timestamp('claimed_at', { withTimezone: true }),
		revokedAt: timestamp('revoked_at', { withTimezone: true })
	},
	(t) => [index('follow_up_gp_links_plan_idx').on(t.planId)]
);

export type FollowUpGpLink = typeof followUpGpLinks.$inferSelect;

/**
 * A follow-up visit as recorded by whoever saw the patient: a member (user) or the invited
 * GP (gp link). A suspected relapse names the case registered again at the board.
 */
export const followUpVisits = pgTable(
	'follow_up_visits',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		planId: uuid('plan_id')
			.notNull()
			.references(() => followUpPlans.id),
		/** The planned visit it is (ScheduleItem id), or null for an unplanned visit. */
		itemId: text('item_id'),
		doneOn: text('done_on').notNull(),
		/** specialist or gp. */
		by: text('by').notNull(),
		findings: text('findings').notNull().default(''),
		examsDone: jsonb('exams_done').$type<string[]>().notNull(),
		relapseSuspected: boolean('relapse_suspected').notNull().default(false),
		relapseNote: text('relapse_note'),
		/** The case registered at the board after a suspected relapse. */
		relapseCaseId: uuid('relapse_case_id').references(() => cases.id),
		recordedByUser: uuid('recorded_by_user').references(() => users.id),
		recordedByGpLink: uuid('recorded_by_gp_link').references(() => followUpGpLinks.id),
		recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now)
	},
	(t) => [index('follow_up_visits_plan_idx').on(t.planId, t.doneOn)]
);

export type FollowUpVisit = typeof followUpVisits.$inferSelect;
