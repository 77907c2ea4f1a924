/**
 * The CDA R2 "CANCER-PPS" export, checked three ways, like the fiche's:
 *
 * 1. CDA schema (xmllint, CDA_extended.xsd) on the full, minimal and awkward samples; the
 *    same command accepts the official example and refuses a PPS with a required element
 *    removed.
 * 2. CANCER-PPS schematron (CI-SIS_CANCER-PPS_2022.01.sch and its includes) on its phase,
 *    made runnable by `loadSchematron` (tests/helpers/cda-validation.ts): the header rules
 *    (Entete_Cancer-PPS) and the seven value-set rules. The official example gives no
 *    failed assert; a PPS with codes outside the value sets or without its templateId does.
 *    Not checked: the general CI-SIS schematrons (structuration minimale, entry templates)
 *    are not part of the standards folder.
 * 3. Content: codes and dates of the phases, the care team, the version replaced and why,
 *    the handing over, the referenced documents, every narrative reference resolving.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Schema } from 'node-schematron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STANDARDS, failedAsserts, loadSchematron, query, xmllint } from '../../../../tests/helpers/cda-validation.ts';
import { fullPps, minimalPps } from '../../../../tests/helpers/pps-samples.ts';
import { PpsDraft, type PpsSnapshot } from '../../domain/pps.ts';
import { ppsCda } from './cda.ts';

const EXAMPLE = join(STANDARDS, 'examples/CANCER-PPS_2022.01_Autopresentable.xml');
const PPS_PHASE = 'CI-SIS_CANCER-PPS_2022.01';

/** A PPS whose names and texts need escaping, with a control character XML cannot hold. */
function awkwardPps(): PpsSnapshot {
	const snapshot = fullPps();
	snapshot.patient.familyName = "D'Arc-Müller";
	snapshot.content.diagnosis = 'Tumeur < 3 cm & N0\u0007\n<script>alert("x")</script>';
	snapshot.content.phases[0].placeOfCare = 'Clinique "Les Tilleuls" & Cie';
	snapshot.content.careTeam[0].name = "Dr Anne O'Brien";
	return snapshot;
}

const SAMPLES = { full: fullPps, minimal: minimalPps, awkward: awkwardPps };

let workDir: string;
beforeAll(() => {
	workDir = mkdtempSync(join(tmpdir(), 'concerto-pps-cda-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function writeTemp(name: string, xml: string): string {
	const path = join(workDir, name);
	writeFileSync(path, xml);
	return path;
}

describe('the samples', () => {
	it('are content the draft schema accepts', () => {
		for (const sample of Object.values(SAMPLES)) expect(PpsDraft.safeParse(sample().content).error).toBeUndefined();
	});
});

describe('CDA schema (xmllint, CDA_extended.xsd)', () => {
	it('accepts the official CANCER-PPS example (the check itself works)', () => {
		expect(xmllint(EXAMPLE)).toMatchObject({ status: 0 });
	});

	it.each(Object.entries(SAMPLES))('accepts the %s PPS', (name, sample) => {
		const result = xmllint(writeTemp(`${name}.xml`, ppsCda(sample())));
		expect(result.output).toContain('validates');
		expect(result.status).toBe(0);
	});

	it('refuses a PPS with a required element removed (the check can fail)', () => {
		const result = xmllint(writeTemp('broken.xml', ppsCda(fullPps()).replace(/<typeId [^>]*\/>/, '')));
		expect(result.status).not.toBe(0);
		expect(result.output).toMatch(/typeId/);
	});
});

describe('CANCER-PPS schematron (node-schematron, abstract patterns instantiated)', () => {
	let schema: Schema;
	beforeAll(() => {
		schema = loadSchematron(PPS_PHASE);
	});

	it('runs every pattern of the phase, each with at least one rule', () => {
		const phase = schema.phases.find((p) => p.id === PPS_PHASE);
		expect(phase?.active).toHaveLength(9);
		for (const id of (phase?.active ?? []).filter((id) => id !== 'variables')) {
			expect(schema.patterns.find((p) => p.id === id)?.rules.length, id).toBeGreaterThan(0);
		}
	});

	// The example is half a megabyte (with its own stylesheet): seconds of CPU.
	it('finds no error in the official example', { timeout: 60_000 }, () => {
		expect(failedAsserts(schema, PPS_PHASE, readFileSync(EXAMPLE, 'utf8'))).toEqual([]);
	});

	it.each(Object.entries(SAMPLES))('finds no error in the %s PPS', (_, sample) => {
		expect(failedAsserts(schema, PPS_PHASE, ppsCda(sample()))).toEqual([]);
	});

	it('reports codes outside the value sets and a missing templateId (the check can fail)', () => {
		const broken = ppsCda(fullPps())
			.replace('code="C15632"', 'code="C00000"')
			.replace('code="ORG-175"', 'code="ORG-999"')
			.replace('code="263855007"', 'code="1234"')
			.replace('root="1.2.250.1.213.1.1.1.26"', 'root="1.2.3"');
		const failures = failedAsserts(schema, PPS_PHASE, broken).join('\n');
		expect(failures).toMatch(/JDV_TypeTraitementPPS_CISIS/);
		expect(failures).toMatch(/JDV_SoinsOncoDeSupport_CISIS/);
		expect(failures).toMatch(/JDV_MotifMiseAJour_CISIS/);
		expect(failures).toMatch(/1\.2\.250\.1\.213\.1\.1\.1\.26" doit être présent/);
		expect(failedAsserts(schema, PPS_PHASE, broken)).toHaveLength(4);
	});
});

describe('ppsCda content', () => {
	const sample = fullPps();
	const full = query(ppsCda(sample));
	const minimal = query(ppsCda(minimalPps()));
	const treatments = "//cda:procedure[cda:code/@code = 'MED-568']";

	it('is a UTF-8 CANCER-PPS document (templateId, LOINC 18776-5), the same bytes for the same snapshot', () => {
		const xml = ppsCda(sample);
		expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<ClinicalDocument')).toBe(true);
		expect(xml).toBe(ppsCda(fullPps()));
		expect(full.string('/cda:ClinicalDocument/cda:templateId[@root = "1.2.250.1.213.1.1.1.26"]/@extension')).toBe('2022.01');
		expect(full.string('/cda:ClinicalDocument/cda:code/@code')).toBe('18776-5');
		expect(full.string('/cda:ClinicalDocument/cda:effectiveTime/@value')).toBe('20261222103000+0100');
		expect(full.string('/cda:ClinicalDocument/cda:setId/@extension')).toBe(sample.setId);
		expect(full.string('/cda:ClinicalDocument/cda:versionNumber/@value')).toBe('2');
	});

	it('plans each phase: its JDV_TypeTraitementPPS code, planned days, place and description', () => {
		expect(full.strings(`${treatments}/cda:code/cda:qualifier/cda:value/@code`)).toEqual(['387713003', 'C15632', 'MED-226']);
		const dates = (index: number, bound: string) =>
			full.string(`(${treatments})[${index}]//cda:observation[cda:code/@code = 'GEN-177']/cda:effectiveTime/cda:${bound}/@value`);
		expect([dates(1, 'low'), dates(1, 'high')]).toEqual([sample.content.phases[0].start, sample.content.phases[0].end].map((d) => d?.replaceAll('-', '')));
		// 24 weeks from Sunday 31/01/2027: the last day is the Saturday before the 25th week.
		expect(dates(2, 'high')).toBe('20270717');
		expect(full.count(`(${treatments})[3]//cda:observation[cda:code/@code = 'GEN-177']/cda:effectiveTime/cda:high`)).toBe(0);
		expect(full.string(`(${treatments})[1]/cda:performer//cda:representedOrganization/cda:name`)).toBe('CHU de Démo-sur-Loire (fictif)');
		expect(full.string("//cda:content[@ID = 'phase-2-dates']")).toBe('à partir du 31/01/2027, pendant 24 semaines');
		expect(full.string("//cda:content[@ID = 'phase-1-description']")).toBe('Colectomie gauche par cœlioscopie');
	});

	it('codes supportive care, social support, measures and side effects under their own act codes', () => {
		const qualified = (kind: string) => full.strings(`//cda:procedure[cda:code/@code = '${kind}']/cda:code/cda:qualifier/cda:value/@code`);
		expect(qualified('MED-572')).toEqual(['ORG-036', 'ORG-175', 'MED-562']);
		expect(qualified('MED-573')).toEqual(['PAT-024']);
		expect(qualified('MED-570')).toEqual(['ORG-001']);
		expect(qualified('MED-569')).toEqual(['C20427']);
		expect(full.string("//cda:content[@ID = 'soin-support-note']")).toBe('Consultation diététique avant la chirurgie.');
		expect(minimal.count("//cda:procedure[cda:code/@code = 'MED-572']")).toBe(0);
	});

	it('names the care team: members (353), the GP (PCP) with RPPS and contacts, or the GP unknown', () => {
		const members = full.strings("/cda:ClinicalDocument/cda:participant[@typeCode = 'PRF'][cda:functionCode/@code = '353']/cda:functionCode/cda:originalText");
		expect(members).toEqual(['Médecin référent', 'Infirmier(ère) de coordination', 'Autre professionnel']);
		const gp = "/cda:ClinicalDocument/cda:participant[@typeCode = 'INF'][cda:functionCode/@code = 'PCP']/cda:associatedEntity";
		expect(full.string(`${gp}/cda:id[@root = '1.2.250.1.71.4.2.1']/@extension`)).toBe('810003456786');
		expect(full.strings(`${gp}/cda:telecom/@value`)).toEqual(['tel:0549000000', 'mailto:l.petitjean@medecin.test']);
		expect(minimal.string(`${gp}/@nullFlavor`)).toBe('UNK');
		expect(full.string("//cda:patientRole/cda:id[@root = '1.2.250.1.213.1.4.8']/@extension")).toBe(sample.patient.ins);
	});

	it('replaces the previous version and says why (GEN-037, JDV_MotifMiseAJour); a first version does not', () => {
		expect(full.string('//cda:relatedDocument[@typeCode = "RPLC"]/cda:parentDocument/cda:id/@extension')).toBe(sample.supersedes?.id);
		expect(full.string("//cda:observation[cda:code/@code = 'GEN-037']/cda:value/@code")).toBe('263855007');
		expect(full.string("//cda:content[@ID = 'motif-maj-precision']")).toBe('Récidive ganglionnaire : nouveau programme.');
		expect(minimal.count('//cda:relatedDocument')).toBe(0);
		expect(minimal.count("//cda:observation[cda:code/@code = 'GEN-037']")).toBe(0);
	});

	it('dates the RCP and the handing over (with who), or says it is not handed over yet', () => {
		expect(full.string("//cda:observation[cda:code/@code = 'ORG-189']/cda:value/@value")).toBe('20261215140000+0100');
		const handed = "//cda:observation[cda:code/@code = 'GEN-178']";
		expect(full.string(`${handed}/cda:value/@value`)).toBe('20261222120000+0100');
		expect(full.string(`${handed}/cda:performer//cda:family`)).toBe('DUBOIS');
		expect(minimal.string(`${handed}/cda:value/@nullFlavor`)).toBe('NAV');
		expect(minimal.string("//cda:content[@ID = 'remise-patient']")).toBe('Pas encore remis');
	});

	it('references the fiche RCP and the replaced PPS', () => {
		expect(full.strings('//cda:externalDocument/cda:id/@extension')).toEqual([sample.fiche.id, sample.supersedes?.id]);
		expect(minimal.strings('//cda:externalDocument/cda:id/@extension')).toEqual([sample.fiche.id]);
	});

	it('points every narrative reference to a content of the narrative, and names each section and entry once', () => {
		for (const [doc, snapshot] of [[full, sample], [minimal, minimalPps()]] as const) {
			const ids = doc.strings('//@ID');
			expect(new Set(ids).size).toBe(ids.length);
			for (const reference of doc.strings('//cda:reference/@value')) expect(ids).toContain(reference.slice(1));
			const parts = doc.strings(`//cda:id[@root = '${snapshot.id.toUpperCase()}']/@extension`);
			expect(new Set(parts).size).toBe(parts.length);
		}
	});

	it('escapes names and free text, and drops characters XML cannot carry', () => {
		const awkward = query(ppsCda(awkwardPps()));
		expect(awkward.strings('//cda:patient/cda:name/cda:family')).toEqual(["D'ARC-MÜLLER"]);
		expect(awkward.string("//cda:content[@ID = 'diagnostic']")).toBe('Tumeur < 3 cm & N0<script>alert("x")</script>');
		expect(awkward.string('(//cda:procedure)[1]/cda:performer//cda:name')).toBe('Clinique "Les Tilleuls" & Cie');
	});
});
