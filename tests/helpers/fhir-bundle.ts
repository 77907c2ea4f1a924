/** Reading the resources of a FHIR document Bundle in tests (fiche and PPS). */
import { expect } from 'vitest';
import type { FhirBundle } from '../../src/lib/server/fiches/fhir-types.ts';

type Resource = FhirBundle['entry'][number]['resource'];

/** The bundle's resources of one type. */
export const resources = <T extends Resource['resourceType']>(bundle: FhirBundle, type: T) =>
	bundle.entry.map((entry) => entry.resource).filter((resource): resource is Extract<Resource, { resourceType: T }> => resource.resourceType === type);

/** The bundle's one resource of that type (fails the test when there is not exactly one). */
export const only = <T extends Resource['resourceType']>(bundle: FhirBundle, type: T) => {
	const found = resources(bundle, type);
	expect(found, type).toHaveLength(1);
	return found[0];
};

/** Every `reference` anywhere in the value. */
export function referencesIn(value: unknown): string[] {
	if (Array.isArray(value)) return value.flatMap(referencesIn);
	if (value === null || typeof value !== 'object') return [];
	const own = 'reference' in value && typeof value.reference === 'string' ? [value.reference] : [];
	return [...own, ...Object.values(value).flatMap(referencesIn)];
}
