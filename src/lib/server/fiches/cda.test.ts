/**
 * The CDA R2 "Fiche RCP" export, checked three ways.
 *
 * 1. CDA schema: `xmllint --schema infrastructure/cda/CDA_extended.xsd` (the ANS schema
 *    with the French extensions) on both sample fiches and on a fiche full of characters
 *    to escape; the same command accepts the two official examples and refuses a fiche
 *    with one required element removed.
 *
 * 2. FRCP schematron (CI-SIS_CANCER-FRCP_2022.01.sch and its includes), run with
 *    node-schematron (fontoxpath, XPath 3.1) on the phase CI-SIS_CANCER-FRCP_2022.01,
 *    made runnable by `loadSchematron` (tests/helpers/cda-validation.ts, which says what
 *    it adds to node-schematron). All 16 patterns of the phase then run: the section
 *    presence rules, the header rules (Entete_FRCP), the tumour/cTNM rules
 *    (S_cancerDiagnosis_FRCP) and the 13 value-set rules. The official examples give no
 *    failed assert; a fiche with codes outside the value sets or a missing section does.
 *    Not checked: the abstract pattern IVL_TS.sch is included but not instantiated by
 *    this phase; the displayName check is commented out in the ANS file itself; the
 *    general CI-SIS schematrons (structuration minimale, entry templates) are not part of
 *    the standards folder.
 *
 * 3. Content: codes from the value sets, INS and RPPS where the CI-SIS puts them, roles of
 *    the participants, the minimal fiche (recorded without discussion, quorum not met),
 *    the replaced version, and every narrative reference pointing to the narrative.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Schema } from 'node-schematron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STANDARDS, failedAsserts as phaseFailures, loadSchematron, query, xmllint } from '../../../../tests/helpers/cda-validation.ts';
import { CITED_TRIAL, citedFiche, fullFiche, minimalFiche } from '../../../../tests/helpers/fiche-samples.ts';
import type { FicheSnapshot } from '../../domain/fiche.ts';
import { conceptsOf, findConcept, performanceStatusConcept } from '../../domain/value-sets.ts';
import { ficheCda } from './cda.ts';

const EXAMPLES = ['Appareil', 'Transversale'].map((name) => join(STANDARDS, `examples/CANCER-FRCP_2022.01_${name}.xml`));
const FRCP_PHASE = 'CI-SIS_CANCER-FRCP_2022.01';

/** A fiche whose every name and text needs escaping, with a control character XML cannot hold. */
function awkwardFiche(): FicheSnapshot {
	const snapshot = fullFiche();
	snapshot.fiche.familyName = "D'Arc-Müller";
	snapshot.fiche.givenNames = 'Zoé Ève';
	snapshot.fiche.question = 'T < 3 cm & N0 : chirurgie « d’emblée » ?\u0007\nOu <script>alert("x")</script> ?';
	snapshot.decision.proposal = 'Résection si ratio < 0,5 && marges > 1 mm.';
	snapshot.network.name = 'Réseau "Onco" & Cie <test>';
	snapshot.participants[2].familyName = "O'Brien";
	return snapshot;
}

// ---------------------------------------------------------------------------------------
// Helpers: temporary files

let workDir: string;
beforeAll(() => {
	workDir = mkdtempSync(join(tmpdir(), 'concerto-cda-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function writeTemp(name: string, xml: string): string {
	const path = join(workDir, name);
	writeFileSync(path, xml);
	return path;
}

/** The failed asserts of the FRCP phase, as one line each. */
const failedAsserts = (schema: Schema, xml: string): string[] => phaseFailures(schema, FRCP_PHASE, xml);

// ---------------------------------------------------------------------------------------

/** The cited fiche, hors référentiel: the situation departed from and the justification. */
function departedFiche(): FicheSnapshot {
	const sample = citedFiche();
	return { ...sample, decision: { ...sample.decision, guidelineFollowed: 'no', guidelineJustification: 'Patiente fragile : monothérapie.' } };
}

const SAMPLES = { full: fullFiche, minimal: minimalFiche, awkward: awkwardFiche, cited: citedFiche, departed: departedFiche };

describe('CDA schema (xmllint, CDA_extended.xsd)', () => {
	it('accepts the official FRCP examples (the check itself works)', () => {
		for (const example of EXAMPLES) expect(xmllint(example), example).toMatchObject({ status: 0 });
	});

	it.each(Object.entries(SAMPLES))('accepts the %s fiche', (name, sample) => {
		const result = xmllint(writeTemp(`${name}.xml`, ficheCda(sample())));
		expect(result.output).toContain('validates');
		expect(result.status).toBe(0);
	});

	it('refuses a fiche with a required element removed (the check can fail)', () => {
		const broken = ficheCda(fullFiche()).replace(/<typeId [^>]*\/>/, '');
		const result = xmllint(writeTemp('broken.xml', broken));
		expect(result.status).not.toBe(0);
		expect(result.output).toMatch(/typeId/);
	});
});

describe('FRCP schematron (node-schematron, abstract patterns instantiated)', () => {
	let schema: Schema;
	beforeAll(() => {
		schema = loadSchematron(FRCP_PHASE);
	});

	it('runs every pattern of the phase with at least one rule', () => {
		const phase = schema.phases.find((p) => p.id === FRCP_PHASE);
		expect(phase?.active).toHaveLength(16);
		for (const id of phase?.active ?? []) {
			expect(schema.patterns.find((p) => p.id === id)?.rules.length, id).toBeGreaterThan(0);
		}
	});

	// Schematron over several documents: seconds of CPU, more on a loaded 2-core machine.
	it('finds no error in the official examples', { timeout: 30_000 }, () => {
		for (const example of EXAMPLES) expect(failedAsserts(schema, readFileSync(example, 'utf8')), example).toEqual([]);
	});

	it.each(Object.entries(SAMPLES))('finds no error in the %s fiche', (_, sample) => {
		expect(failedAsserts(schema, ficheCda(sample()))).toEqual([]);
	});

	it('reports codes outside the value sets and a missing section (the check can fail)', () => {
		const broken = ficheCda(fullFiche())
			.replace('code="ORG-126"', 'code="ORG-999"')
			.replace('code="MED-264"', 'code="MED-999"')
			.replace('code="C15632"', 'code="C00000"')
			.replace('root="1.2.250.1.213.1.1.2.175"', 'root="1.2.3"');
		const failures = failedAsserts(schema, broken);
		expect(failures).toHaveLength(4);
		expect(failures.join('\n')).toMatch(/JDV_StatutQuorum_CISIS/);
		expect(failures.join('\n')).toMatch(/JDV_OMSEchPerf_CISIS/);
		expect(failures.join('\n')).toMatch(/JDV_TypeTraitement_FRCP_CISIS/);
		expect(failures.join('\n')).toMatch(/FR-Cadre-de-la-proposition-therapeutique doit être présente/);
	});
});

describe('ficheCda content', () => {
	const full = query(ficheCda(fullFiche()));
	const minimal = query(ficheCda(minimalFiche()));
	const section = (templateId: string) => `//cda:section[cda:templateId/@root = '${templateId}']`;
	const PLAN = section('1.3.6.1.4.1.19376.1.5.3.1.3.36');
	const FILE_STATUS = section('1.2.250.1.213.1.1.2.33');
	const quorumValue = `${FILE_STATUS}//cda:observation[cda:code/@code = 'ORG-125']/cda:value/@code`;

	it('is a UTF-8 document with its declaration, the FRCP templateId and LOINC 34794-8', () => {
		const xml = ficheCda(fullFiche());
		expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<ClinicalDocument')).toBe(true);
		expect(full.string('/cda:ClinicalDocument/cda:templateId[@root = "1.2.250.1.213.1.1.1.8"]/@extension')).toBe('2022.01');
		expect(full.string('/cda:ClinicalDocument/cda:code/@code')).toBe('34794-8');
		expect(full.string('/cda:ClinicalDocument/cda:effectiveTime/@value')).toBe('20261216100000+0100');
		expect(full.string('/cda:ClinicalDocument/cda:setId/@extension')).toBe(fullFiche().setId);
		expect(full.string('/cda:ClinicalDocument/cda:versionNumber/@value')).toBe('2');
		expect(ficheCda(fullFiche())).toBe(xml);
	});

	it('proposes the treatment types of the decision, coded from JDV_TypeTraitement_FRCP', () => {
		const codes = full.strings(`${PLAN}/cda:entry/cda:procedure[@moodCode = 'INT']/cda:code/@code`);
		expect(codes).toEqual(fullFiche().decision.treatmentTypes);
		for (const code of codes) {
			const concept = findConcept('JDV_TypeTraitement_FRCP', code);
			expect(full.string(`${PLAN}//cda:procedure/cda:code[@code = '${code}']/@codeSystem`)).toBe(concept?.codeSystem);
		}
		// The narrative names each one with the value set's words.
		expect(full.strings(`${PLAN}/cda:text//cda:content[starts-with(@ID, 'traitement-')]`)).toEqual(
			codes.map((code) => findConcept('JDV_TypeTraitement_FRCP', code)?.displayName)
		);
		expect(conceptsOf('JDV_TypeTraitement_FRCP').map((c) => c.code)).toEqual(expect.arrayContaining(codes));
	});

	it('codes the WHO performance status from JDV_OMSEchPerf and its meaning from JDV_OMSInterpret', () => {
		const who = "//cda:observation[cda:code/@code = 'MED-239']";
		expect(full.string(`${who}/cda:value/@code`)).toBe(performanceStatusConcept(1).code);
		expect(full.string(`${who}/cda:value/@code`)).toBe('MED-264');
		expect(full.string(`${who}/cda:interpretationCode/@code`)).toBe('LA9623-5');
		expect(minimal.string(`${who}/cda:value/@code`)).toBe('MED-240');
	});

	it('says whether the quorum was met with JDV_StatutQuorum, and whether the file was complete', () => {
		expect(full.string(quorumValue)).toBe(findConcept('JDV_StatutQuorum', 'ORG-126')?.code);
		expect(full.string(`${FILE_STATUS}//cda:content[@ID = 'quorum']`)).toBe('Quorum atteint');
		expect(minimal.string(quorumValue)).toBe('ORG-133');
		expect(minimal.string(`${FILE_STATUS}//cda:content[@ID = 'quorum']`)).toBe('Quorum non atteint');
		expect(full.string(`${FILE_STATUS}//cda:observation[cda:code/@code = 'GEN-100']/cda:value/@value`)).toBe('true');
	});

	it('puts the INS and the IPP on the patient, the RPPS ("8" + RPPS) on the physicians', () => {
		const sample = fullFiche();
		expect(full.string("//cda:patientRole/cda:id[@root = '1.2.250.1.213.1.4.8']/@extension")).toBe(sample.fiche.ins);
		expect(full.strings('//cda:patientRole/cda:id/@extension')).toContain(sample.fiche.hospitalPatientId);
		expect(full.strings('//cda:patient/cda:name/cda:family')).toEqual(['DÉMO-MARTIN']);
		expect(full.string('//cda:patient/cda:administrativeGenderCode/@code')).toBe('F');
		expect(full.string('//cda:patient/cda:birthTime/@value')).toBe('19570321');
		const rpps = (path: string) => full.string(`${path}/cda:id[@root = '1.2.250.1.71.4.2.1']/@extension`);
		expect(rpps('/cda:ClinicalDocument/cda:author/cda:assignedAuthor')).toBe(`8${sample.validation.by.rpps}`);
		expect(rpps('/cda:ClinicalDocument/cda:legalAuthenticator/cda:assignedEntity')).toBe(`8${sample.validation.by.rpps}`);
		expect(full.string('/cda:ClinicalDocument/cda:legalAuthenticator/cda:time/@value')).toBe('20261216100000+0100');
		expect(rpps("/cda:ClinicalDocument/cda:participant[@typeCode = 'REFB']/cda:associatedEntity")).toBe(`8${sample.requester?.rpps}`);
		const generalPractitioner = "/cda:ClinicalDocument/cda:participant[@typeCode = 'INF'][cda:functionCode/@code = 'PCP']";
		expect(rpps(`${generalPractitioner}/cda:associatedEntity`)).toBe(`8${sample.fiche.gpRpps}`);
	});

	it('tells quorum members (353) from the other attendees (CORRE), with their presence', () => {
		const attendees = (code: string) =>
			full.strings(`/cda:ClinicalDocument/cda:participant[@typeCode = 'PRF'][cda:functionCode/@code = '${code}']//cda:family`);
		expect(attendees('353')).toEqual(['DURAND', 'BERNARD', 'PETIT']);
		expect(attendees('CORRE')).toEqual(['DUBOIS', 'PETITJEAN']);
		expect(full.strings("/cda:ClinicalDocument/cda:participant[@typeCode = 'RESP']//cda:family")).toEqual(['DURAND']);
		expect(full.string("//cda:participant[.//cda:family = 'PETIT']/cda:time/cda:high/@value")).toBe('20261215153000+0100');
	});

	it('expresses the minimal fiche: recorded without discussion, quorum not met, no GP, no cTNM', () => {
		expect(minimal.string("//cda:observation[cda:code/@code = 'ORG-127']/cda:value/@code")).toBe('ORG-128');
		expect(full.string("//cda:observation[cda:code/@code = 'ORG-127']/cda:value/@code")).toBe('ORG-134');
		expect(minimal.string(`${FILE_STATUS}//cda:content[@ID = 'commentaire-dossier']`)).toBe(
			'Dossier enregistré sans discussion (conforme au référentiel).Proposition émise malgré un quorum non atteint.'
		);
		expect(minimal.string("//cda:participant[@typeCode = 'INF']/cda:associatedEntity/@nullFlavor")).toBe('UNK');
		for (const code of ['21905-5', '21906-3', '21907-1']) {
			expect(minimal.string(`//cda:observation[cda:code/@code = '${code}']/cda:value/@nullFlavor`)).toBe('UNK');
		}
		expect(minimal.count('//cda:relatedDocument')).toBe(0);
		expect(minimal.count("//cda:patientRole/cda:id[@root = '1.2.250.1.213.1.4.8']")).toBe(1);
	});

	it('replaces the superseded version (relatedDocument RPLC) and says why', () => {
		const sample = fullFiche();
		expect(full.string('//cda:relatedDocument/@typeCode')).toBe('RPLC');
		expect(full.string('//cda:relatedDocument/cda:parentDocument/cda:id/@extension')).toBe(sample.supersedes?.id);
		expect(full.string('//cda:relatedDocument/cda:parentDocument/cda:versionNumber/@value')).toBe('1');
		expect(full.string("//cda:content[@ID = 'commentaire-fiche']")).toContain('motif : Version du référentiel corrigée');
	});

	it('frames the proposal: référentiel followed, trial proposed', () => {
		expect(full.string("//cda:content[@ID = 'referentiel']")).toBe('Thésaurus national de cancérologie digestive, version 2024');
		expect(full.string("//cda:observation[cda:code/@code = 'MED-250']/cda:value/@value")).toBe('true');
		expect(full.string("//cda:content[@ID = 'essai-clinique']")).toBe('Oui — PRODIGE 99 (NCT01234567)');
		expect(minimal.string("//cda:observation[cda:code/@code = 'MED-250']/cda:value/@value")).toBe('false');
	});

	it('names the cited référentiel, version and situation, and the directory trial with its identifiers', () => {
		const cited = query(ficheCda(citedFiche()));
		expect(cited.string("//cda:content[@ID = 'referentiel']")).toBe(
			'Cancer du côlon (référentiel régional fictif), version 2026 — situation COLON-III-R0 : Côlon, stade III, après résection R0'
		);
		// The entry points to that text.
		expect(cited.string("//cda:observation[cda:code/@code = 'MED-249']/cda:value/cda:originalText/cda:reference/@value")).toBe('#referentiel');
		expect(cited.string("//cda:content[@ID = 'essai-clinique']")).toBe(
			`Oui — ${CITED_TRIAL.acronym} — ${CITED_TRIAL.title} (EU CT 2024-512345-12-00, NCT04120701, n° local DEMO-2024-07)`
		);
		expect(cited.string("//cda:observation[cda:code/@code = 'MED-250']/cda:value/@value")).toBe('true');

		const departed = query(ficheCda(departedFiche()));
		expect(departed.strings("//cda:content[@ID = 'referentiel']")).toEqual([]);
		expect(departed.strings("//cda:observation[cda:code/@code = 'MED-249']")).toEqual([]);
		expect(departed.string("//cda:content[@ID = 'referentiel-ecart']")).toContain('situation COLON-III-R0 : Côlon, stade III, après résection R0');
		expect(departed.string("//cda:content[@ID = 'justification-ecart']")).toBe('Patiente fragile : monothérapie.');
	});

	it('points every narrative reference to a content of the narrative, and names each section and entry once', () => {
		for (const [doc, sample] of [[full, fullFiche()], [minimal, minimalFiche()], [query(ficheCda(departedFiche())), departedFiche()]] as const) {
			const ids = doc.strings('//@ID');
			expect(new Set(ids).size).toBe(ids.length);
			for (const reference of doc.strings('//cda:reference/@value')) expect(ids).toContain(reference.slice(1));
			const parts = doc.strings(`//cda:id[@root = '${sample.id.toUpperCase()}']/@extension`);
			expect(parts.length).toBeGreaterThan(20);
			expect(new Set(parts).size).toBe(parts.length);
		}
	});

	it('escapes names and free text, and drops characters XML cannot carry', () => {
		const snapshot = awkwardFiche();
		const awkward = query(ficheCda(snapshot));
		expect(awkward.strings('//cda:patient/cda:name/cda:family')).toEqual(["D'ARC-MÜLLER"]);
		expect(awkward.string('//cda:custodian//cda:name')).toBe(snapshot.network.name);
		expect(awkward.string("//cda:content[@ID = 'proposition']")).toBe(snapshot.decision.proposal);
		expect(awkward.strings("//cda:participant//cda:family[. = \"O'BRIEN\"]")).toHaveLength(1);
		const question = awkward.string(`${section('1.3.6.1.4.1.19376.1.5.3.1.3.4')}//cda:td[preceding-sibling::cda:td = 'Question posée à la RCP']`);
		expect(question).toBe('T < 3 cm & N0 : chirurgie « d’emblée » ?Ou <script>alert("x")</script> ?');
	});
});
