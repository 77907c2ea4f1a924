/**
 * What every AttachmentStorage promises, as tests run on each implementation: the
 * filesystem (src/lib/server/storage.test.ts) and the database, on PGlite and PostgreSQL
 * (src/lib/server/database-storage.db.test.ts). Call it inside a `describe`.
 */
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { StorageKeyError, newStorageKey, type AttachmentStorage } from '../../src/lib/server/storage.ts';

/** Everything a stream delivers, piece by piece. */
export async function readPieces(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
	const pieces: Uint8Array[] = [];
	for await (const piece of stream) pieces.push(piece);
	return pieces;
}

export async function readAll(stream: ReadableStream<Uint8Array> | undefined): Promise<Buffer> {
	expect(stream).toBeDefined();
	return Buffer.concat(await readPieces(stream!));
}

/** `length` bytes that are not one value repeated, so that a misplaced piece shows. */
export function sampleBytes(length: number): Uint8Array {
	const bytes = new Uint8Array(length);
	for (let i = 0; i < length; i++) bytes[i] = (i * 31 + (i >> 10)) % 251;
	return bytes;
}

/** `bytes` in pieces of `size`, as an upload arrives. */
async function* inPieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
	for (let start = 0; start < bytes.byteLength; start += size) yield bytes.slice(start, start + size);
}

/** Yields `before`, then fails as a dropped connection would. */
async function* failingAfter(before: Uint8Array): AsyncGenerator<Uint8Array> {
	yield* inPieces(before, 64 * 1024);
	throw new Error('connection reset');
}

// Larger than three 1 MiB database chunks, and not a multiple of anything.
const LARGE = 3 * 1024 * 1024 + 12_345;

export function storageContract(storage: () => AttachmentStorage): void {
	it('gives back every byte value as it was stored', async () => {
		const key = newStorageKey();
		const bytes = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
		await storage().put(key, bytes);
		expect(await readAll(await storage().get(key))).toEqual(Buffer.from(bytes));
	});

	it('stores a stream of chunks', async () => {
		const key = newStorageKey();
		await storage().put(key, Readable.from([Buffer.from('page 1, '), Buffer.from('page 2')]));
		expect((await readAll(await storage().get(key))).toString()).toBe('page 1, page 2');
	});

	it('stores an empty object', async () => {
		const key = newStorageKey();
		await storage().put(key, new Uint8Array(0));
		expect(await readAll(await storage().get(key))).toEqual(Buffer.alloc(0));
	});

	it('streams a large object back in several pieces, byte for byte', async () => {
		const bytes = sampleBytes(LARGE);
		const whole = newStorageKey();
		const uploaded = newStorageKey();
		await storage().put(whole, bytes);
		await storage().put(uploaded, inPieces(bytes, 100_000));
		for (const key of [whole, uploaded]) {
			const pieces = await readPieces((await storage().get(key))!);
			expect(pieces.length).toBeGreaterThan(1);
			expect(Buffer.concat(pieces).equals(bytes)).toBe(true);
		}
	});

	it('replaces an object put again under its key, leaving nothing of the longer one', async () => {
		const key = newStorageKey();
		await storage().put(key, sampleBytes(LARGE));
		await storage().put(key, new TextEncoder().encode('version 2'));
		expect((await readAll(await storage().get(key))).toString()).toBe('version 2');
	});

	it('answers undefined for a missing key and deletes idempotently', async () => {
		const key = newStorageKey();
		expect(await storage().get(key)).toBeUndefined();
		await storage().delete(key);
		await storage().put(key, new Uint8Array([1, 2, 3]));
		await storage().delete(key);
		await storage().delete(key);
		expect(await storage().get(key)).toBeUndefined();
	});

	it('refuses keys it did not make, such as paths', async () => {
		for (const key of ['../../etc/passwd', 'scan.pdf', '', 'A'.repeat(32)]) {
			await expect(storage().put(key, new Uint8Array([1]))).rejects.toBeInstanceOf(StorageKeyError);
			await expect(storage().get(key)).rejects.toBeInstanceOf(StorageKeyError);
			await expect(storage().delete(key)).rejects.toBeInstanceOf(StorageKeyError);
		}
	});

	it('keeps nothing readable of a put that fails midway, and the objects it had', async () => {
		const kept = newStorageKey();
		const previous = sampleBytes(LARGE);
		await storage().put(kept, previous);

		const fresh = newStorageKey();
		await expect(storage().put(fresh, failingAfter(sampleBytes(LARGE)))).rejects.toThrow('connection reset');
		expect(await storage().get(fresh)).toBeUndefined();

		// A failed replacement leaves the previous object under its key.
		await expect(storage().put(kept, failingAfter(sampleBytes(LARGE - 1)))).rejects.toThrow('connection reset');
		expect((await readAll(await storage().get(kept))).equals(previous)).toBe(true);
	});
}
