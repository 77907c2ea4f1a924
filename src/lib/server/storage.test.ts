import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAll, storageContract } from '../../../tests/helpers/storage-contract.ts';
import { StorageKeyError, fileSystemStorage, newStorageKey, type AttachmentStorage } from './storage.ts';

describe('fileSystemStorage', () => {
	let dataDir: string;
	let storage: AttachmentStorage;

	beforeEach(async () => {
		dataDir = await mkdtemp(join(tmpdir(), 'concerto-storage-'));
		storage = fileSystemStorage(dataDir);
	});
	afterEach(() => rm(dataDir, { recursive: true, force: true }));

	storageContract(() => storage);

	it('stores bytes under attachments/<2 chars>/<key>, with no temporary file left', async () => {
		const key = newStorageKey();
		await storage.put(key, new TextEncoder().encode('compte rendu'));
		expect(await readdir(join(dataDir, 'attachments'))).toEqual([key.slice(0, 2)]);
		expect(await readdir(join(dataDir, 'attachments', key.slice(0, 2)))).toEqual([key]);
		expect((await readAll(await storage.get(key))).toString()).toBe('compte rendu');
	});

	it('leaves no temporary file behind when the stream fails midway', async () => {
		const key = newStorageKey();
		async function* failing() {
			yield new TextEncoder().encode('début');
			throw new Error('connection reset');
		}
		await expect(storage.put(key, failing())).rejects.toThrow('connection reset');
		expect(await readdir(join(dataDir, 'attachments', key.slice(0, 2)))).toEqual([]);
	});

	it('creates nothing on disk for a key it refuses', async () => {
		await expect(storage.put('../../etc/passwd', new Uint8Array([1]))).rejects.toBeInstanceOf(StorageKeyError);
		expect(await readdir(dataDir)).toEqual([]);
	});

	it('makes distinct hex keys', () => {
		const keys = new Set(Array.from({ length: 100 }, newStorageKey));
		expect(keys.size).toBe(100);
		for (const key of keys) expect(key).toMatch(/^[0-9a-f]{32}$/);
	});
});
