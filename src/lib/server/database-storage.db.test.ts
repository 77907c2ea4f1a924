import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../tests/helpers/database.ts';
import { readAll, readPieces, storageContract } from '../../../tests/helpers/storage-contract.ts';
import { StorageObjectChangedError, databaseStorage } from './database-storage.ts';
import { attachmentChunks, attachmentObjects } from './db/schema.ts';
import { newStorageKey, type AttachmentStorage } from './storage.ts';

const text = (value: string) => new TextEncoder().encode(value);
const decoded = (pieces: Uint8Array[]) => pieces.map((piece) => new TextDecoder().decode(piece));

describe(`databaseStorage (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await openTestDatabase();
	});
	afterAll(() => database?.dispose());

	describe('with 1 MiB chunks', () => {
		storageContract(() => databaseStorage(database.db));
	});

	describe('with 4-byte chunks', () => {
		let storage: AttachmentStorage;
		beforeAll(() => {
			storage = databaseStorage(database.db, { chunkBytes: 4 });
		});

		const chunkRows = async () => (await database.db.select({ n: count() }).from(attachmentChunks))[0].n;

		it('cuts an object into chunk rows and streams it back one chunk a piece, leaving no rows once replaced or deleted', async () => {
			const key = newStorageKey();
			const before = await chunkRows();
			await storage.put(key, (async function* () {
				yield* [text('ab'), text('cdefg'), text('hij')];
			})());
			expect(decoded(await readPieces((await storage.get(key))!))).toEqual(['abcd', 'efgh', 'ij']);
			const [object] = await database.db.select().from(attachmentObjects).where(eq(attachmentObjects.key, key));
			expect(object).toMatchObject({ sizeBytes: 10, chunkCount: 3 });
			expect(await chunkRows()).toBe(before + 3);

			await storage.put(key, text('xyz'));
			expect(await chunkRows()).toBe(before + 1);
			await storage.delete(key);
			expect(await chunkRows()).toBe(before);
		});

		it.each([
			['deleted', (key: string) => storage.delete(key)],
			['replaced', (key: string) => storage.put(key, text('ABCDEFGHIJKLMNOP'))]
		])('fails a read, rather than cut it short or mix versions, when the object is %s meanwhile', async (_, change) => {
			const key = newStorageKey();
			await storage.put(key, text('abcdefghijklmnop'));
			const reader = (await storage.get(key))!.getReader();
			expect(decoded([(await reader.read()).value!])).toEqual(['abcd']);
			await change(key);
			// At most the chunk already fetched ahead comes before the failure.
			const rest = (async () => {
				for (let next = await reader.read(); !next.done; next = await reader.read()) expect(decoded([next.value])).toEqual(['efgh']);
			})();
			await expect(rest).rejects.toBeInstanceOf(StorageObjectChangedError);
		});

		// PostgreSQL only: PGlite runs one transaction at a time, so a reader would wait for the put.
		it.runIf(testDatabaseKind === 'postgres').each([
			['a fresh key', undefined],
			['a key holding an object', 'v1']
		])('shows other connections nothing of a put under way on %s', async (_, previous) => { // PostgreSQL only (see above)
			const key = newStorageKey();
			if (previous) await storage.put(key, text(previous));
			const firstChunkWritten = Promise.withResolvers<void>();
			const resume = Promise.withResolvers<void>();
			const put = storage.put(key, (async function* () {
				yield text('new!');
				// The storage asks for more only once it has written the full chunk before.
				firstChunkWritten.resolve();
				await resume.promise;
				yield text(' and more');
			})());
			await firstChunkWritten.promise;
			const during = await storage.get(key);
			expect(during && (await readAll(during)).toString()).toBe(previous);
			resume.resolve();
			await put;
			expect((await readAll(await storage.get(key))).toString()).toBe('new! and more');
		});
	});
});
