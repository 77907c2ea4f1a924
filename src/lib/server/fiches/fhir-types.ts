/**
 * The few FHIR R4 data types and resources the fiche RCP Bundle uses, typed as far as the
 * Bundle needs them (no FHIR library is a dependency). Field names and value sets follow
 * the R4 specification; the tests check the output against its JSON schema.
 */

export interface Coding {
	system?: string;
	code?: string;
	display?: string;
}

export interface CodeableConcept {
	coding?: Coding[];
	text?: string;
}

/** A link to another entry of the Bundle, by its `urn:uuid:` fullUrl. */
export interface Reference {
	reference?: string;
	display?: string;
}

export interface Identifier {
	use?: 'usual' | 'official' | 'temp' | 'secondary' | 'old';
	type?: CodeableConcept;
	system?: string;
	value: string;
}

export interface Period {
	start?: string;
	end?: string;
}

export interface HumanName {
	use?: 'usual' | 'official';
	text?: string;
	family?: string;
	given?: string[];
}

export interface ContactPoint {
	system: 'phone' | 'email';
	value: string;
	use?: 'work';
}

export interface Address {
	state?: string;
	country?: string;
}

export interface Annotation {
	text: string;
}

export interface Extension {
	url: string;
	valueCodeableConcept?: CodeableConcept;
	valueString?: string;
}

/** Human-readable XHTML: a `<div xmlns="http://www.w3.org/1999/xhtml">` element. */
export interface Narrative {
	status: 'generated';
	div: string;
}

export interface Patient {
	resourceType: 'Patient';
	identifier?: Identifier[];
	name?: HumanName[];
	gender?: 'male' | 'female' | 'other' | 'unknown';
	birthDate?: string;
	generalPractitioner?: Reference[];
}

export interface Practitioner {
	resourceType: 'Practitioner';
	identifier?: Identifier[];
	name?: HumanName[];
	telecom?: ContactPoint[];
}

export interface PractitionerRole {
	resourceType: 'PractitionerRole';
	practitioner: Reference;
	organization?: Reference;
	code?: CodeableConcept[];
	specialty?: CodeableConcept[];
}

export interface Organization {
	resourceType: 'Organization';
	identifier?: Identifier[];
	type?: CodeableConcept[];
	name: string;
	address?: Address[];
	partOf?: Reference;
}

export interface Condition {
	resourceType: 'Condition';
	extension?: Extension[];
	clinicalStatus?: CodeableConcept;
	category?: CodeableConcept[];
	code: CodeableConcept;
	bodySite?: CodeableConcept[];
	subject: Reference;
	stage?: { type?: CodeableConcept; assessment?: Reference[] }[];
	note?: Annotation[];
}

export interface Observation {
	resourceType: 'Observation';
	status: 'final';
	category?: CodeableConcept[];
	code: CodeableConcept;
	subject: Reference;
	focus?: Reference[];
	effectiveDateTime: string;
	valueCodeableConcept?: CodeableConcept;
	valueInteger?: number;
	interpretation?: CodeableConcept[];
	method?: CodeableConcept;
}

/** One planned activity of a CarePlan. */
export interface CarePlanActivityDetail {
	code: CodeableConcept;
	status: 'not-started' | 'scheduled';
	scheduledPeriod?: Period;
	location?: Reference;
	description?: string;
}

export interface CarePlan {
	resourceType: 'CarePlan';
	identifier?: Identifier[];
	status: 'active';
	/** A board's proposal, or the plan agreed with the patient (the PPS). */
	intent: 'proposal' | 'plan';
	title: string;
	description?: string;
	subject: Reference;
	encounter?: Reference;
	created: string;
	author?: Reference;
	contributor?: Reference[];
	careTeam?: Reference[];
	addresses?: Reference[];
	supportingInfo?: Reference[];
	activity?: { detail: CarePlanActivityDetail }[];
	note?: Annotation[];
}

/** The professionals who take care of the patient (the PPS's care team). */
export interface CareTeam {
	resourceType: 'CareTeam';
	status: 'active';
	name?: string;
	subject: Reference;
	participant: { role?: CodeableConcept[]; member: Reference }[];
}

export interface ResearchStudy {
	resourceType: 'ResearchStudy';
	identifier?: Identifier[];
	title: string;
	status: 'active';
	phase?: CodeableConcept;
	condition?: CodeableConcept[];
	description?: string;
}

/** The request that brought the case to the board. */
export interface ServiceRequest {
	resourceType: 'ServiceRequest';
	status: 'completed';
	intent: 'order';
	code?: CodeableConcept;
	subject: Reference;
	requester?: Reference;
	performer?: Reference[];
	reasonCode?: CodeableConcept[];
	reasonReference?: Reference[];
	note?: Annotation[];
}

export interface Encounter {
	resourceType: 'Encounter';
	identifier?: Identifier[];
	status: 'finished';
	class: Coding;
	type?: CodeableConcept[];
	serviceType?: CodeableConcept;
	subject: Reference;
	basedOn?: Reference[];
	participant?: { type?: CodeableConcept[]; period?: Period; individual?: Reference }[];
	period: Period;
	reasonReference?: Reference[];
	serviceProvider?: Reference;
}

export interface CompositionSection {
	title: string;
	code?: CodeableConcept;
	text: Narrative;
	entry?: Reference[];
}

export interface Composition {
	resourceType: 'Composition';
	extension?: Extension[];
	identifier: Identifier;
	status: 'final';
	type: CodeableConcept;
	subject: Reference;
	encounter?: Reference;
	date: string;
	author: Reference[];
	title: string;
	attester?: { mode: 'legal'; time: string; party: Reference }[];
	custodian?: Reference;
	relatesTo?: { code: 'replaces'; targetIdentifier: Identifier }[];
	event?: { code?: CodeableConcept[]; period?: Period; detail?: Reference[] }[];
	section: CompositionSection[];
}

/** Any resource the fiche and PPS Bundles hold. */
export type FicheResource =
	| Composition
	| Patient
	| Practitioner
	| PractitionerRole
	| Organization
	| Condition
	| Observation
	| CarePlan
	| CareTeam
	| ResearchStudy
	| ServiceRequest
	| Encounter;

/** One entry of the Bundle: the resource and the `urn:uuid:` it is referred to by. */
export interface BundleEntry<R extends FicheResource = FicheResource> {
	fullUrl: string;
	resource: R;
}

/** A FHIR R4 document Bundle: the Composition first, then everything it refers to. */
export interface FhirBundle {
	resourceType: 'Bundle';
	identifier: Identifier;
	type: 'document';
	timestamp: string;
	entry: BundleEntry[];
}

/** A reference to an entry. */
export const referenceTo = (entry: BundleEntry): Reference => ({ reference: entry.fullUrl });

/**
 * The value without what FHIR forbids in JSON: undefined members, empty or blank strings,
 * empty arrays and objects left empty by that (an element has a value or children). The
 * builders can then write optional fiche fields straight in.
 */
export function withoutEmptyValues<T>(value: T): T {
	return prune(value) as T;
}

function prune(value: unknown): unknown {
	if (typeof value === 'string') return value.trim() === '' ? undefined : value;
	if (Array.isArray(value)) {
		const items = value.map(prune).filter((item) => item !== undefined);
		return items.length > 0 ? items : undefined;
	}
	if (value !== null && typeof value === 'object') {
		const members = Object.entries(value)
			.map(([key, member]) => [key, prune(member)] as const)
			.filter(([, member]) => member !== undefined);
		return members.length > 0 ? Object.fromEntries(members) : undefined;
	}
	return value ?? undefined;
}
