/**
 * The Drizzle schema: the single description of Concerto's tables.
 * Migrations in `drizzle/` are generated from it with `npm run db:generate` and are never
 * edited by hand once shipped.
 */
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * One presence of a participant in a video room: when they joined and left.
 * The seed of the meeting attendance (who was there, from when to when).
 */
export const roomPresences = pgTable(
	'room_presences',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		roomId: text('room_id').notNull(),
		/** The SFU peer id of this presence (one per join). */
		peerId: text('peer_id').notNull().unique(),
		displayName: text('display_name').notNull(),
		joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
		leftAt: timestamp('left_at', { withTimezone: true })
	},
	(t) => [index('room_presences_room_idx').on(t.roomId, t.joinedAt)]
);

export type RoomPresence = typeof roomPresences.$inferSelect;
