/**
 * Instance settings administrators change in the app. Each value is validated when read,
 * so a hand-edited row never reaches a page unchecked.
 */
import { eq } from 'drizzle-orm';
import { DEFAULT_NETWORK, NetworkInput } from '../domain/network.ts';
import { audit, type Actor } from './audit.ts';
import type { Database } from './db/index.ts';
import { settings } from './db/schema.ts';
import { clock } from '../clock.ts';

const NETWORK_KEY = 'network';

/** The regional network this instance serves (a default until an administrator names it). */
export async function getNetwork(db: Database): Promise<NetworkInput> {
	const [row] = await db.select().from(settings).where(eq(settings.key, NETWORK_KEY));
	const parsed = NetworkInput.safeParse(row?.value);
	return parsed.success ? parsed.data : DEFAULT_NETWORK;
}

export async function setNetwork(db: Database, input: NetworkInput, actor: Actor): Promise<void> {
	const now = clock.now();
	await db
		.insert(settings)
		.values({ key: NETWORK_KEY, value: input, updatedAt: now, updatedBy: actor.userId })
		.onConflictDoUpdate({ target: settings.key, set: { value: input, updatedAt: now, updatedBy: actor.userId } });
	await audit(db, { actorUserId: actor.userId, action: 'settings.network', entityType: 'settings', entityId: NETWORK_KEY, address: actor.address });
}
