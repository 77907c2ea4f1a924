/**
 * Attachment bytes in the database every node shares (ATTACHMENT_STORAGE=database): a
 * document uploaded through one node is served by all of them. PGlite and PostgreSQL
 * alike, through the Drizzle schema (`attachment_objects`, `attachment_chunks`).
 *
 * An object is cut into rows of `chunkBytes` (1 MiB), so that no query carries a whole
 * 50 MB document and a reader holds about one chunk at a time. A put writes the object
 * row and all its chunks in one transaction: readers see the previous object or the
 * whole new one, never part of it, and a put that fails leaves nothing.
 */
import { and, eq } from 'drizzle-orm';
import type { Config } from './config.ts';
import type { Database } from './db/index.ts';
import { attachmentChunks, attachmentObjects } from './db/schema.ts';
import { checkStorageKey, fileSystemStorage, type AttachmentStorage, type StorageContent } from './storage.ts';

/** The size of a chunk row. */
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;

/** A read found a chunk missing: the object was deleted or replaced while it was streamed. */
export class StorageObjectChangedError extends Error {
	readonly reason = 'object-changed';
	readonly key: string;
	constructor(key: string) {
		super(`Storage key ${key}: the object was deleted or replaced while it was read`);
		this.name = 'StorageObjectChangedError';
		this.key = key;
	}
}

/**
 * The database storage. A put's content is consumed inside its transaction: content that
 * arrives slowly keeps a connection (on PGlite, the whole database) busy meanwhile, so
 * callers hand over bytes they already hold, as `addAttachment` does.
 */
export function databaseStorage(db: Database, options: { chunkBytes?: number } = {}): AttachmentStorage {
	const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
	if (!Number.isInteger(chunkBytes) || chunkBytes < 1) throw new RangeError(`chunkBytes: expected a whole number of bytes, got ${chunkBytes}`);

	return {
		async put(key, content) {
			checkStorageKey(key);
			await db.transaction(async (tx) => {
				await tx.delete(attachmentObjects).where(eq(attachmentObjects.key, key));
				const [object] = await tx
					.insert(attachmentObjects)
					.values({ key, sizeBytes: 0, chunkCount: 0 })
					.returning({ id: attachmentObjects.id });
				let seq = 0;
				let sizeBytes = 0;
				for await (const bytes of chunksOf(content, chunkBytes)) {
					await tx.insert(attachmentChunks).values({ objectId: object.id, seq, bytes });
					seq += 1;
					sizeBytes += bytes.byteLength;
				}
				await tx.update(attachmentObjects).set({ sizeBytes, chunkCount: seq }).where(eq(attachmentObjects.id, object.id));
			});
		},

		async get(key) {
			checkStorageKey(key);
			const [object] = await db
				.select({ id: attachmentObjects.id, chunkCount: attachmentObjects.chunkCount })
				.from(attachmentObjects)
				.where(eq(attachmentObjects.key, key));
			if (!object) return undefined;
			let seq = 0;
			// One chunk per pull: the stream's queue holds one chunk ahead of its reader.
			return new ReadableStream<Uint8Array>({
				async pull(controller) {
					if (seq === object.chunkCount) return controller.close();
					const [chunk] = await db
						.select({ bytes: attachmentChunks.bytes })
						.from(attachmentChunks)
						.where(and(eq(attachmentChunks.objectId, object.id), eq(attachmentChunks.seq, seq)));
					// Rather an error than a truncated document.
					if (!chunk) throw new StorageObjectChangedError(key);
					seq += 1;
					controller.enqueue(chunk.bytes);
				}
			});
		},

		async delete(key) {
			checkStorageKey(key);
			// The chunks go with it (on delete cascade).
			await db.delete(attachmentObjects).where(eq(attachmentObjects.key, key));
		}
	};
}

/** The storage ATTACHMENT_STORAGE names: the server and the tools that add documents must agree. */
export function configuredStorage(config: Pick<Config, 'attachmentStorage' | 'dataDir'>, db: Database): AttachmentStorage {
	return config.attachmentStorage === 'database' ? databaseStorage(db) : fileSystemStorage(config.dataDir);
}

/** The content as pieces of exactly `size` bytes, the last one shorter. */
async function* chunksOf(content: StorageContent, size: number): AsyncGenerator<Uint8Array> {
	if (content instanceof Uint8Array) {
		for (let start = 0; start < content.byteLength; start += size) yield content.subarray(start, start + size);
		return;
	}
	let pending = new Uint8Array(size);
	let filled = 0;
	for await (const piece of content) {
		for (let offset = 0; offset < piece.byteLength; ) {
			const taken = Math.min(size - filled, piece.byteLength - offset);
			pending.set(piece.subarray(offset, offset + taken), filled);
			filled += taken;
			offset += taken;
			if (filled === size) {
				yield pending;
				pending = new Uint8Array(size);
				filled = 0;
			}
		}
	}
	if (filled > 0) yield pending.subarray(0, filled);
}
