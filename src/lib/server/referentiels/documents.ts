/**
 * A version's document: the PDF the working group writes, kept behind the storage
 * interface like case attachments, replaced while the version is a draft, read by whoever
 * may read the version.
 */
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { mayReadVersion, versionAction } from '../../domain/referentiel.ts';
import { audit } from '../audit.ts';
import type { Database } from '../db/index.ts';
import { referentielVersions } from '../db/schema.ts';
import { checkAttachment } from '../file-type.ts';
import { newStorageKey, type AttachmentStorage } from '../storage.ts';
import type { SessionUser } from '../users.ts';
import { versionFor, type LibraryRefusal } from './access.ts';
import type { Requester } from './library.ts';

/** The displayable part of an uploaded name: no directories, no control characters. */
const cleanFileName = (name: string) =>
	(name.split(/[/\\]/).pop() ?? '')
		.replace(/[\u0000-\u001f\u007f]/g, '')
		.trim()
		.slice(0, 255);

export type DocumentUpload =
	| { ok: true; name: string; bytes: number }
	| Exclude<LibraryRefusal, { reason: 'cited' }>
	| { ok: false; reason: 'unsupported-type' }
	| { ok: false; reason: 'too-large'; maxBytes: number };

/** Sets (or replaces) the document of a draft; only a PDF is accepted, judged from its content. */
export async function uploadVersionDocument(
	db: Database,
	storage: AttachmentStorage,
	requester: Requester,
	versionId: string,
	file: { fileName: string; bytes: Uint8Array }
): Promise<DocumentUpload> {
	const found = await versionFor(db, requester.user, versionId);
	if (!found.ok) return found;
	if (!mayReadVersion(found.actor, found.state)) return { ok: false, reason: 'forbidden' };
	const verdict = versionAction(found.actor, 'edit', found.state);
	if (!verdict.ok) return verdict.reason === 'state' ? { ok: false, reason: 'state', state: found.state } : { ok: false, reason: verdict.reason };
	const name = cleanFileName(file.fileName);
	if (!name) return { ok: false, reason: 'invalid', errors: { file: 'Le fichier doit avoir un nom.' } };
	const check = checkAttachment(file.bytes);
	if (!check.ok) return check;
	if (check.mediaType !== 'application/pdf') return { ok: false, reason: 'unsupported-type' };
	const sha256 = createHash('sha256').update(file.bytes).digest('hex');
	const key = newStorageKey();
	await storage.put(key, file.bytes);
	const [updated] = await db
		.update(referentielVersions)
		.set({ documentKey: key, documentName: name, documentBytes: file.bytes.byteLength, documentSha256: sha256 })
		.where(and(eq(referentielVersions.id, versionId), eq(referentielVersions.status, 'draft')))
		.returning({ id: referentielVersions.id })
		.catch(async (error: unknown) => {
			await storage.delete(key).catch(() => {});
			throw error;
		});
	if (!updated) {
		// Submitted between the check and the write: the draft's document stays as it was.
		await storage.delete(key).catch(() => {});
		return { ok: false, reason: 'state', state: found.state };
	}
	if (found.version.documentKey) await storage.delete(found.version.documentKey).catch(() => {});
	await audit(db, {
		actorUserId: requester.user.id,
		action: 'referentiel.version.document',
		entityType: 'referentiel-version',
		entityId: versionId,
		address: requester.address,
		details: { referentielId: found.referentiel.id, label: found.version.label, bytes: file.bytes.byteLength, sha256 }
	});
	return { ok: true, name, bytes: file.bytes.byteLength };
}

export type DocumentRead =
	| { ok: true; name: string; bytes: number; sha256: string; stream: ReadableStream<Uint8Array> }
	| Extract<LibraryRefusal, { reason: 'not-found' | 'forbidden' }>;

/** The version's document, for whoever may read the version (published: every member; otherwise the group and editors). */
export async function readVersionDocument(db: Database, storage: AttachmentStorage, user: SessionUser, versionId: string): Promise<DocumentRead> {
	const found = await versionFor(db, user, versionId);
	if (!found.ok) return found;
	if (!mayReadVersion(found.actor, found.state)) return { ok: false, reason: 'forbidden' };
	const { documentKey, documentName, documentBytes, documentSha256 } = found.version;
	if (!documentKey) return { ok: false, reason: 'not-found', id: `${versionId}/document` };
	const stream = await storage.get(documentKey);
	// The row names a document whose bytes are gone: an operations problem, not the caller's.
	if (!stream) throw new Error(`Référentiel version ${versionId}: no content under storage key ${documentKey}`);
	return { ok: true, name: documentName ?? 'referentiel.pdf', bytes: documentBytes ?? 0, sha256: documentSha256 ?? '', stream };
}
