import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabaseSettings, testDatabaseKind } from '../../../../tests/helpers/database.ts';
import { DatabaseBusyError, openDatabase } from './index.ts';
import { roomPresences } from './schema.ts';

describe(`openDatabase (${testDatabaseKind})`, () => {
	const cleanups: (() => Promise<void>)[] = [];
	afterAll(async () => {
		for (const cleanup of cleanups.reverse()) await cleanup();
	});

	/** A persistent database: a PGlite directory, or a PostgreSQL database. */
	async function persistentSettings() {
		if (testDatabaseKind === 'postgres') {
			const { settings, drop } = await createTestDatabaseSettings();
			cleanups.push(drop);
			return settings;
		}
		const dir = await mkdtemp(join(tmpdir(), 'concerto-db-'));
		cleanups.push(() => rm(dir, { recursive: true, force: true }));
		return { kind: 'pglite' as const, dataDir: join(dir, 'pglite') };
	}

	it('applies the migrations, answers a ping and reports its kind', async () => {
		const handle = await openDatabase(await persistentSettings());
		try {
			expect(handle.kind).toBe(testDatabaseKind);
			expect(await handle.ping()).toBeGreaterThanOrEqual(0);
			const tables = await handle.db.execute(
				sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`
			);
			const names = (Array.isArray(tables) ? tables : (tables as { rows: unknown[] }).rows) as { table_name: string }[];
			expect(names.map((r) => r.table_name)).toContain('room_presences');
		} finally {
			await handle.close();
		}
	});

	it('keeps data across a restart and does not re-apply migrations', async () => {
		const settings = await persistentSettings();
		const first = await openDatabase(settings);
		await first.db.insert(roomPresences).values({ roomId: 'r', peerId: 'p-restart', displayName: 'Dr R' });
		await first.close();

		const second = await openDatabase(settings);
		try {
			const rows = await second.db.select().from(roomPresences);
			expect(rows.map((r) => r.peerId)).toEqual(['p-restart']);
		} finally {
			await second.close();
		}
	});

	it('fails clearly when the migrations folder is missing', async () => {
		const { settings, drop } = await createTestDatabaseSettings();
		cleanups.push(drop);
		await expect(openDatabase(settings, { migrationsFolder: '/nonexistent/drizzle' })).rejects.toThrow(/migrat|journal|nonexistent/i);
	});

	// Skipped on PostgreSQL: the lock guards PGlite's data directory; a PostgreSQL server has its own.
	it.runIf(testDatabaseKind === 'pglite')('refuses an embedded database another live process holds, and takes over a dead one', async () => { // PGlite only (see above)
		const settings = await persistentSettings();
		if (settings.kind !== 'pglite') return;
		const first = await openDatabase(settings);
		// Opened twice (a second server, `npm run demo` while the server runs): refused.
		await expect(openDatabase(settings)).rejects.toBeInstanceOf(DatabaseBusyError);
		await first.close();

		const other = spawn('sleep', ['30']);
		try {
			await writeFile(join(settings.dataDir, 'concerto.lock'), String(other.pid));
			await expect(openDatabase(settings)).rejects.toThrow(`in use by process ${other.pid}`);
		} finally {
			other.kill();
			await new Promise((resolve) => other.once('exit', resolve));
		}
		// The holder died without releasing the lock: the next process takes it over.
		const again = await openDatabase(settings);
		await again.close();
	});
});
