/**
 * The board directory. Who may see a board is decided here, once: administrators see
 * every board, everyone else only the boards they belong to.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { BoardInput, BoardRole } from '../domain/board.ts';
import { isUuid } from '../validation.ts';
import { audit, type Actor } from './audit.ts';
import type { Database } from './db/index.ts';
import { boardMembers, boards, users, type Board } from './db/schema.ts';
import type { SessionUser } from './users.ts';
import { clock } from '../clock.ts';

export interface BoardMember {
	userId: string;
	name: string;
	specialty: string | null;
	role: BoardRole;
}

export async function createBoard(db: Database, input: BoardInput, actor: Actor): Promise<Board> {
	const [board] = await db.insert(boards).values(input).returning();
	await audit(db, { actorUserId: actor.userId, action: 'board.create', entityType: 'board', entityId: board.id, address: actor.address });
	return board;
}

export async function updateBoard(db: Database, id: string, input: BoardInput, actor: Actor): Promise<Board | undefined> {
	const [board] = await db
		.update(boards)
		.set({ ...input, updatedAt: clock.now() })
		.where(eq(boards.id, id))
		.returning();
	if (board) {
		await audit(db, { actorUserId: actor.userId, action: 'board.update', entityType: 'board', entityId: id, address: actor.address });
	}
	return board;
}

/** The boards `user` may see, by name. */
export async function listBoardsFor(db: Database, user: SessionUser): Promise<(Board & { role: BoardRole | null })[]> {
	if (user.isAdmin) {
		const rows = await db
			.select({ board: boards, role: boardMembers.role })
			.from(boards)
			.leftJoin(boardMembers, and(eq(boardMembers.boardId, boards.id), eq(boardMembers.userId, user.id)))
			.orderBy(asc(boards.name));
		return rows.map((r) => ({ ...r.board, role: (r.role as BoardRole | null) ?? null }));
	}
	const rows = await db
		.select({ board: boards, role: boardMembers.role })
		.from(boards)
		.innerJoin(boardMembers, and(eq(boardMembers.boardId, boards.id), eq(boardMembers.userId, user.id)))
		.orderBy(asc(boards.name));
	return rows.map((r) => ({ ...r.board, role: r.role as BoardRole }));
}

export type BoardAccess = { ok: true; board: Board; role: BoardRole | null } | { ok: false; reason: 'not-found' | 'forbidden' };

/** The board if `user` may see it; `role` is theirs in it (null for an administrator who is not a member). */
export async function boardFor(db: Database, user: SessionUser, boardId: string): Promise<BoardAccess> {
	if (!isUuid(boardId)) return { ok: false, reason: 'not-found' };
	const [row] = await db
		.select({ board: boards, role: boardMembers.role })
		.from(boards)
		.leftJoin(boardMembers, and(eq(boardMembers.boardId, boards.id), eq(boardMembers.userId, user.id)))
		.where(eq(boards.id, boardId));
	if (!row) return { ok: false, reason: 'not-found' };
	if (!row.role && !user.isAdmin) return { ok: false, reason: 'forbidden' };
	return { ok: true, board: row.board, role: (row.role as BoardRole | null) ?? null };
}

/** May `access` manage the board (its agenda, its meetings, its members)? */
export function canManageBoard(user: SessionUser, role: BoardRole | null): boolean {
	return user.isAdmin || role === 'coordinator' || role === 'secretary';
}

export async function listMembers(db: Database, boardId: string): Promise<BoardMember[]> {
	const rows = await db
		.select({
			userId: users.id,
			givenName: users.givenName,
			familyName: users.familyName,
			specialty: users.specialty,
			role: boardMembers.role
		})
		.from(boardMembers)
		.innerJoin(users, eq(users.id, boardMembers.userId))
		.where(eq(boardMembers.boardId, boardId))
		.orderBy(asc(users.familyName), asc(users.givenName));
	return rows.map((r) => ({
		userId: r.userId,
		name: `${r.givenName} ${r.familyName}`,
		specialty: r.specialty,
		role: r.role as BoardRole
	}));
}

/** Gives `userId` a role in the board, or removes them (`role` null). */
export async function setMembership(
	db: Database,
	boardId: string,
	userId: string,
	role: BoardRole | null,
	actor: Actor
): Promise<void> {
	if (role === null) {
		await db.delete(boardMembers).where(and(eq(boardMembers.boardId, boardId), eq(boardMembers.userId, userId)));
	} else {
		await db
			.insert(boardMembers)
			.values({ boardId, userId, role })
			.onConflictDoUpdate({ target: [boardMembers.boardId, boardMembers.userId], set: { role } });
	}
	await audit(db, {
		actorUserId: actor.userId,
		action: role ? 'board.set-member' : 'board.remove-member',
		entityType: 'board',
		entityId: boardId,
		address: actor.address,
		details: { userId, role }
	});
}

/** A board's name (for pages that reached it through a meeting already checked). */
export async function boardName(db: Database, boardId: string): Promise<string> {
	const [row] = await db.select({ name: boards.name }).from(boards).where(eq(boards.id, boardId));
	return row?.name ?? '';
}
