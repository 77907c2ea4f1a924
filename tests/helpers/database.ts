/**
 * A fresh, migrated database for one test file: PGlite in memory by default, or a new
 * database on the PostgreSQL server of DATABASE_URL (created here, dropped afterwards).
 * The same tests run on both.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type DatabaseHandle, type DatabaseSettings } from '../../src/lib/server/db/index.ts';

export interface TestDatabase extends DatabaseHandle {
	settings: DatabaseSettings;
	/** Closes the handle and removes the database. */
	dispose(): Promise<void>;
}

export const testDatabaseKind = process.env.DATABASE_URL ? 'postgres' : 'pglite';

/** Settings for a new empty database (created on the server for PostgreSQL). */
export async function createTestDatabaseSettings(): Promise<{ settings: DatabaseSettings; drop(): Promise<void> }> {
	const serverUrl = process.env.DATABASE_URL;
	if (!serverUrl) return { settings: { kind: 'pglite', dataDir: 'memory://' }, drop: async () => {} };
	const { url, drop } = await createScratchDatabase(serverUrl, 'concerto_test');
	return { settings: { kind: 'postgres', url }, drop };
}

/**
 * A new empty database `<prefix>_<random>` on the PostgreSQL server of `serverUrl`: its
 * URL, and what drops it (connections still open to it are closed).
 */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
	const name = `${prefix}_${randomBytes(6).toString('hex')}`;
	const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	await admin.end();
	const url = new URL(serverUrl);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		drop: async () => {
			const cleanup = postgres(serverUrl, { max: 1, onnotice: () => {} });
			await cleanup.unsafe(`drop database if exists ${name} with (force)`);
			await cleanup.end();
		}
	};
}

export async function openTestDatabase(): Promise<TestDatabase> {
	const { settings, drop } = await createTestDatabaseSettings();
	const handle = await openDatabase(settings);
	return {
		...handle,
		settings,
		dispose: async () => {
			await handle.close();
			await drop();
		}
	};
}
