import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VALUE_SET_FILES, isExpired, parseSvs, renderModule } from '../../../server/tools/value-sets.ts';
import { VALUE_SETS, codeIn, conceptsOf, findConcept, performanceStatusConcept } from './value-sets.ts';

// Tests may read the standards folder; the app never does (it uses the generated module).
const SOURCE_DIR = join(import.meta.dirname, '../../../../shared/standards/ans-cda-frcp/jeuxDeValeurs');
const readSource = (name: string) => readFileSync(join(SOURCE_DIR, `${name}_CISIS.xml`), 'utf8');

/** Counts live concepts without the generator's parser: no end date, or one after today. */
function countLiveConcepts(xml: string): number {
	const today = new Date().toISOString().slice(0, 10).replaceAll('-', '');
	const tags = xml.match(/<Concept\s[^>]*>/g) ?? [];
	return tags.filter((tag) => {
		const end = /dateFin="(\d{8})/.exec(tag)?.[1];
		return end === undefined || end > today;
	}).length;
}

describe('generated value sets', () => {
	it('hold every listed file, with the OID and name of its <ValueSet>', () => {
		expect(Object.keys(VALUE_SETS)).toEqual([...VALUE_SET_FILES]);
		for (const name of VALUE_SET_FILES) {
			const xml = readSource(name);
			expect(xml, name).toContain(`id="${VALUE_SETS[name].id}"`);
			expect(VALUE_SETS[name].name).toBe(`${name}_CISIS`);
		}
	});

	it('have as many concepts as the XML has concepts without an end date', () => {
		for (const name of VALUE_SET_FILES) {
			expect(VALUE_SETS[name].concepts.length, name).toBe(countLiveConcepts(readSource(name)));
		}
		expect(VALUE_SETS.JDV_RCP_Organe.concepts.length).toBeGreaterThan(50);
	});

	it('are what the generator would write today (regenerate if this fails)', () => {
		const sets = Object.fromEntries(VALUE_SET_FILES.map((name) => [name, parseSvs(readSource(name))]));
		const generated = readFileSync(join(import.meta.dirname, 'value-sets.generated.ts'), 'utf8');
		expect(generated).toBe(renderModule(sets, 'standards/ans-cda-frcp/jeuxDeValeurs'));
	});
});

describe('parseSvs', () => {
	const xml = `<RetrieveValueSetResponse><ValueSet displayName="JDV_X_CISIS" id="1.2.3" version="v1" revisionDate="2024-01-01">
		<ConceptList>
			<Concept code="A" codeSystem="9.9" dateFin="" displayName="Alpha &amp; co"/>
			<Concept code="B" codeSystem="9.9" dateFin="20200101000000" displayName="Beta (ended)"/>
			<Concept code="C" codeSystem="9.9" dateFin="20990101000000" displayName="Gamma (ends later)"/>
		</ConceptList></ValueSet></RetrieveValueSetResponse>`;

	it('reads the value set attributes and skips concepts whose end date has passed', () => {
		const set = parseSvs(xml, new Date('2025-06-01T00:00:00Z'));
		expect(set).toMatchObject({ id: '1.2.3', name: 'JDV_X_CISIS', version: 'v1' });
		expect(set.concepts).toEqual([
			{ code: 'A', codeSystem: '9.9', displayName: 'Alpha & co' },
			{ code: 'C', codeSystem: '9.9', displayName: 'Gamma (ends later)' }
		]);
	});

	it('treats an end date as expired from that day on', () => {
		expect(isExpired('20250601000000', new Date('2025-06-01T10:00:00Z'))).toBe(true);
		expect(isExpired('20250602000000', new Date('2025-06-01T10:00:00Z'))).toBe(false);
		expect(isExpired('', new Date())).toBe(false);
	});
});

describe('lookups', () => {
	it('find a known concept and miss an unknown code', () => {
		expect(findConcept('JDV_RCP_Organe', '41216001')).toEqual({
			code: '41216001',
			codeSystem: '2.16.840.1.113883.6.96',
			displayName: 'prostate'
		});
		expect(findConcept('JDV_StatutQuorum', 'ORG-126')?.displayName).toBe('Quorum atteint');
		expect(findConcept('JDV_RCP_Organe', 'C18')).toBeUndefined();
		expect(findConcept('JDV_Tumeur', 'C18.7')?.codeSystem).toBe('2.16.840.1.113883.6.3');
	});

	it('codeIn accepts the codes of one set only, with a French message', () => {
		const organ = codeIn('JDV_RCP_Organe');
		expect(organ.parse('41216001')).toBe('41216001');
		const refused = organ.safeParse('ORG-126');
		expect(refused.success).toBe(false);
		expect(refused.error?.issues[0].message).toBe('Code absent de la liste JDV_RCP_Organe_CISIS');
	});

	it('hold the PPS value sets (CANCER-PPS), each code with its own code system', () => {
		expect(findConcept('JDV_TypeTraitementPPS', 'C15632')).toEqual({
			code: 'C15632',
			codeSystem: '2.16.840.1.113883.3.26.1.1',
			displayName: 'chimiothérapie'
		});
		expect(findConcept('JDV_SoinsOncoDeSupport', 'ORG-175')?.displayName).toBe('Activité physique adaptée');
		expect(findConcept('JDV_TypeAccompagnementSocioPro', 'PAT-024')?.displayName).toBe('Aide à domicile');
		expect(findConcept('JDV_MesuresAssociees', 'MED-555')?.displayName).toBe('Contraception');
		expect(findConcept('JDV_GestionEffetsSecondaires', 'C20427')?.codeSystem).toBe('2.16.840.1.113883.3.26.1.1');
		expect(findConcept('JDV_MotifMiseAJour', '263855007')?.displayName).toBe('rechute');
		expect(findConcept('JDV_TypeDeSuivi', '11429006')?.displayName).toBe('consultation');
		// A code of one PPS list is not accepted by another.
		const refused = codeIn('JDV_SoinsOncoDeSupport').safeParse('C15632');
		expect(refused.error?.issues[0].message).toBe('Code absent de la liste JDV_SoinsOncoDeSupport_CISIS');
	});

	it('maps WHO performance status 0–4 to the JDV_OMSEchPerf stages in order', () => {
		for (const score of [0, 1, 2, 3, 4] as const) {
			expect(performanceStatusConcept(score).displayName).toBe(`Echelle de performance OMS Stade ${score}`);
		}
		expect(conceptsOf('JDV_OMSEchPerf')).toHaveLength(5);
	});
});
