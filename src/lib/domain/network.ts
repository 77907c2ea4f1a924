/**
 * The regional cancer network (réseau régional de cancérologie) this Concerto serves:
 * its name heads the fiches and the indicators.
 */
import { z } from 'zod';

export const NetworkInput = z.object({
	name: z.string().trim().min(3, 'Indiquez le nom du réseau (3 caractères au moins).').max(200, '200 caractères au plus.'),
	region: z.string().trim().max(100, '100 caractères au plus.').default('')
});
export type NetworkInput = z.infer<typeof NetworkInput>;

/** What an instance shows until an administrator names its network. */
export const DEFAULT_NETWORK: NetworkInput = { name: 'Réseau régional de cancérologie', region: '' };
