/**
 * Opens Concerto's database: embedded PGlite under DATA_DIR by default, a PostgreSQL
 * server when DATABASE_URL is set. Both get the same Drizzle schema and the same
 * migrations from `drizzle/`, applied before the handle is returned.
 *
 * Call it once per process (the composition root does): PGlite must be opened only once
 * per data directory, and a lock file (`concerto.lock`, holding the process id) makes a
 * second process (another server, `npm run demo`) refuse with DatabaseBusyError instead
 * of corrupting it.
 */
import { fileURLToPath } from 'node:url';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema.ts';

export { schema };

/** A Drizzle handle on Concerto's schema, whichever driver is behind it. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DatabaseKind = 'pglite' | 'postgres';

export type DatabaseSettings = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

/** The open database and what the process needs to supervise it. */
export interface DatabaseHandle {
	db: Database;
	kind: DatabaseKind;
	/** Runs a trivial query; resolves with the round-trip time in milliseconds. */
	ping(): Promise<number>;
	close(): Promise<void>;
}

/** The embedded database is already open in another live process. */
export class DatabaseBusyError extends Error {
	readonly dataDir: string;
	readonly pid: number;
	constructor(dataDir: string, pid: number) {
		super(`The embedded database in ${dataDir} is in use by process ${pid}: stop it first (or set DATABASE_URL to use PostgreSQL).`);
		this.name = 'DatabaseBusyError';
		this.dataDir = dataDir;
		this.pid = pid;
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Takes the data directory's lock, or throws DatabaseBusyError; returns its release. */
function lockDataDir(dataDir: string): () => void {
	const file = join(dataDir, 'concerto.lock');
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			writeFileSync(file, String(process.pid), { flag: 'wx' });
			return () => rmSync(file, { force: true });
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const holder = Number(readFileSync(file, 'utf8').trim());
			if (Number.isInteger(holder) && holder > 0 && alive(holder)) throw new DatabaseBusyError(dataDir, holder);
			// Left behind by a process that died: take it over.
			rmSync(file, { force: true });
		}
	}
	throw new Error(`Could not lock ${dataDir}`);
}

const DEFAULT_MIGRATIONS = fileURLToPath(new URL('../../../../drizzle', import.meta.url));

// Any fixed 64-bit number: serialises migrations when several nodes start together.
const MIGRATION_LOCK_KEY = 0x436f6e6365727430n;

export async function openDatabase(
	settings: DatabaseSettings,
	options: { migrationsFolder?: string } = {}
): Promise<DatabaseHandle> {
	const migrationsFolder = options.migrationsFolder ?? DEFAULT_MIGRATIONS;

	if (settings.kind === 'pglite') {
		// 'memory://' keeps everything in RAM (tests); anything else is a directory.
		let unlock = () => {};
		if (!settings.dataDir.startsWith('memory://')) {
			mkdirSync(settings.dataDir, { recursive: true });
			unlock = lockDataDir(settings.dataDir);
		}
		let client: PGlite | undefined;
		try {
			client = await PGlite.create(settings.dataDir);
			const db = drizzlePglite({ client, schema });
			await migratePglite(db, { migrationsFolder });
			const open = client;
			return {
				db: db as unknown as Database,
				kind: 'pglite',
				ping: () => timed(() => db.execute(sql`select 1`)),
				close: async () => {
					await open.close();
					unlock();
				}
			};
		} catch (error) {
			await client?.close();
			unlock();
			throw error;
		}
	}

	const client = postgres(settings.url, { max: 10, onnotice: () => {} });
	const db = drizzlePostgres({ client, schema });
	try {
		const lock = await client.reserve();
		try {
			await lock`select pg_advisory_lock(${MIGRATION_LOCK_KEY.toString()}::bigint)`;
			await migratePostgres(db, { migrationsFolder });
		} finally {
			await lock`select pg_advisory_unlock(${MIGRATION_LOCK_KEY.toString()}::bigint)`.catch(() => {});
			lock.release();
		}
	} catch (error) {
		await client.end({ timeout: 5 });
		throw error;
	}
	return {
		db: db as unknown as Database,
		kind: 'postgres',
		ping: () => timed(() => db.execute(sql`select 1`)),
		close: () => client.end({ timeout: 5 })
	};
}

async function timed(run: () => Promise<unknown>): Promise<number> {
	const start = performance.now();
	await run();
	return performance.now() - start;
}

/** Whether a query failed on a unique constraint (PostgreSQL 23505), whichever driver and wrapping. */
export function isUniqueViolation(error: unknown): boolean {
	const code = (e: unknown) => (e && typeof e === 'object' && 'code' in e ? e.code : undefined);
	return code(error) === '23505' || code((error as { cause?: unknown })?.cause) === '23505';
}
