/**
 * Where attachment bytes live, behind a small interface: on this node's filesystem
 * (below), or in the database that every node shares (`database-storage.ts`). Keys are
 * random ids made here (`newStorageKey`), never a name a user typed; the file name shown
 * to people is kept in the database.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';

/** The bytes of an object: all at once, or as chunks (a Node or web stream). */
export type StorageContent = Uint8Array | AsyncIterable<Uint8Array>;

/** A place that keeps objects by key. */
export interface AttachmentStorage {
	/** Stores `content` under `key`; readers never see a half-written object. */
	put(key: string, content: StorageContent): Promise<void>;
	/** The object's bytes, or undefined when nothing is stored under `key`. */
	get(key: string): Promise<ReadableStream<Uint8Array> | undefined>;
	/** Removes the object; removing a missing key is not an error. */
	delete(key: string): Promise<void>;
}

/** Raised for a key that `newStorageKey` could not have made (a programming error). */
export class StorageKeyError extends Error {
	readonly reason = 'invalid-key';
	readonly key: string;
	constructor(key: string) {
		super(`Invalid storage key: ${JSON.stringify(key)}`);
		this.key = key;
	}
}

const KEY = /^[0-9a-f]{32}$/;

/** A fresh random key (128 bits, hex: safe on case-insensitive filesystems). */
export function newStorageKey(): string {
	return randomBytes(16).toString('hex');
}

/** Throws StorageKeyError unless `newStorageKey` could have made `key`. */
export function checkStorageKey(key: string): void {
	if (!KEY.test(key)) throw new StorageKeyError(key);
}

/**
 * The filesystem storage: `${dataDir}/attachments/<first 2 chars>/<key>`. Each object is
 * written to a temporary file, flushed, then renamed into place.
 */
export function fileSystemStorage(dataDir: string): AttachmentStorage {
	const root = join(dataDir, 'attachments');
	const pathOf = (key: string) => {
		checkStorageKey(key);
		return { dir: join(root, key.slice(0, 2)), file: join(root, key.slice(0, 2), key) };
	};

	return {
		async put(key, content) {
			const { dir, file } = pathOf(key);
			await mkdir(dir, { recursive: true });
			// Same directory as the target, so that the rename stays on one filesystem.
			const temp = join(dir, `.${key}.${randomBytes(6).toString('hex')}.tmp`);
			const handle = await open(temp, 'wx', 0o600);
			try {
				if (content instanceof Uint8Array) {
					await handle.writeFile(content);
				} else {
					for await (const chunk of content) await handle.write(chunk);
				}
				await handle.sync();
				await handle.close();
				await rename(temp, file);
			} catch (error) {
				await handle.close().catch(() => {});
				await rm(temp, { force: true });
				throw error;
			}
		},

		async get(key) {
			const { file } = pathOf(key);
			try {
				const handle = await open(file, 'r');
				return Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>;
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
				throw error;
			}
		},

		async delete(key) {
			await rm(pathOf(key).file, { force: true });
		}
	};
}
