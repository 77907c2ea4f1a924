/**
 * Typed access to the ANS value sets (jeux de valeurs) of the Fiche RCP. The data lives in
 * `value-sets.generated.ts`, written by `node server/tools/value-sets.ts`; nothing here
 * reads the standards folder at run time.
 */
import { z } from 'zod';
import { VALUE_SETS } from './value-sets.generated.ts';

export { VALUE_SETS };

/** Name of a value set, without the _CISIS suffix (e.g. 'JDV_RCP_Organe'). */
export type ValueSetName = keyof typeof VALUE_SETS;

/** A code of the given value set, as a literal type. */
export type ValueSetCode<N extends ValueSetName> = (typeof VALUE_SETS)[N]['concepts'][number]['code'];

/** One coded concept: what a CDA `code` element or a FHIR Coding carries. */
export interface Concept {
	code: string;
	codeSystem: string;
	displayName: string;
}

/** The concepts of a value set, in the order the ANS file lists them. */
export function conceptsOf(name: ValueSetName): readonly Concept[] {
	return VALUE_SETS[name].concepts;
}

/** The concept with this code in the value set, or undefined when the code is not in it. */
export function findConcept(name: ValueSetName, code: string): Concept | undefined {
	return conceptsOf(name).find((concept) => concept.code === code);
}

/** Zod schema accepting exactly the codes of one value set, with a French message. */
export function codeIn<N extends ValueSetName>(name: N) {
	const codes = VALUE_SETS[name].concepts.map((concept) => concept.code) as [
		ValueSetCode<N>,
		...ValueSetCode<N>[]
	];
	return z.enum(codes, { error: `Code absent de la liste ${VALUE_SETS[name].name}` });
}

/**
 * The JDV_OMSEchPerf concept of a WHO performance status (0–4). The set lists the five
 * stages in order, which the tests pin down.
 */
export function performanceStatusConcept(score: 0 | 1 | 2 | 3 | 4): Concept {
	return VALUE_SETS.JDV_OMSEchPerf.concepts[score];
}
