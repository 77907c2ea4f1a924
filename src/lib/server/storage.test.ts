import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageKeyError, fileSystemStorage, newStorageKey, type AttachmentStorage } from './storage.ts';

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
	return Buffer.from(await new Response(stream).arrayBuffer()).toString();
}

describe('fileSystemStorage', () => {
	let dataDir: string;
	let storage: AttachmentStorage;

	beforeEach(async () => {
		dataDir = await mkdtemp(join(tmpdir(), 'concerto-storage-'));
		storage = fileSystemStorage(dataDir);
	});
	afterEach(() => rm(dataDir, { recursive: true, force: true }));

	it('stores bytes under attachments/<2 chars>/<key>, with no temporary file left', async () => {
		const key = newStorageKey();
		await storage.put(key, new TextEncoder().encode('compte rendu'));
		expect(await readdir(join(dataDir, 'attachments'))).toEqual([key.slice(0, 2)]);
		expect(await readdir(join(dataDir, 'attachments', key.slice(0, 2)))).toEqual([key]);
		expect(await readAll((await storage.get(key))!)).toBe('compte rendu');
	});

	it('stores a stream of chunks', async () => {
		const key = newStorageKey();
		await storage.put(key, Readable.from([Buffer.from('page 1, '), Buffer.from('page 2')]));
		expect(await readAll((await storage.get(key))!)).toBe('page 1, page 2');
	});

	it('leaves nothing behind when the stream fails midway', async () => {
		const key = newStorageKey();
		async function* failing() {
			yield new TextEncoder().encode('début');
			throw new Error('connection reset');
		}
		await expect(storage.put(key, failing())).rejects.toThrow('connection reset');
		expect(await readdir(join(dataDir, 'attachments', key.slice(0, 2)))).toEqual([]);
		expect(await storage.get(key)).toBeUndefined();
	});

	it('answers undefined for a missing key and deletes idempotently', async () => {
		const key = newStorageKey();
		expect(await storage.get(key)).toBeUndefined();
		await storage.put(key, new Uint8Array([1, 2, 3]));
		await storage.delete(key);
		await storage.delete(key);
		expect(await storage.get(key)).toBeUndefined();
	});

	it('refuses keys it did not make, such as paths', async () => {
		for (const key of ['../../etc/passwd', 'scan.pdf', '', 'A'.repeat(32)]) {
			await expect(storage.put(key, new Uint8Array([1]))).rejects.toBeInstanceOf(StorageKeyError);
			await expect(storage.get(key)).rejects.toBeInstanceOf(StorageKeyError);
		}
		expect(await readdir(dataDir)).toEqual([]);
	});

	it('makes distinct hex keys', () => {
		const keys = new Set(Array.from({ length: 100 }, newStorageKey));
		expect(keys.size).toBe(100);
		for (const key of keys) expect(key).toMatch(/^[0-9a-f]{32}$/);
	});
});
