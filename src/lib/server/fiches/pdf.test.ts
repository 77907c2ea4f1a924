import { describe, expect, it } from 'vitest';
import { CITED_TRIAL, citedFiche, fullFiche, minimalFiche } from '../../../../tests/helpers/fiche-samples.ts';
import { poppler } from '../../../../tests/helpers/poppler.ts';
import { CASE_FICHE_FIELDS, type FicheFieldName } from '../../domain/case-fiche.ts';
import { treatmentLabel } from '../../domain/decision.ts';
import { patientName, physicianName, type FicheSnapshot } from '../../domain/fiche.ts';
import { readPkcs12, selfSignedPkcs12 } from '../signing/identity.ts';
import { signPdf } from '../signing/pades.ts';
import { DEVELOPMENT_BANNER, renderFichePdf } from './pdf.ts';
import { PAGE_MARGINS } from './pdf-layout.ts';

/** What a reader sees, page by page (pdftotext -layout separates pages with a form feed). */
function pages(pdf: Uint8Array): string[] {
	return poppler('pdftotext', pdf, ['-layout', '-enc', 'UTF-8'], 'fiche.txt').split('\f').slice(0, -1);
}

const pageCount = (pdf: Uint8Array) => Number(/^Pages:\s+(\d+)$/m.exec(poppler('pdfinfo', pdf))?.[1]);

/** The text with line breaks and runs of spaces read as one space: wrapped values read whole. */
const squash = (text: string) => text.replace(/\s+/g, ' ');

/** The line of the text that contains `needle`. */
const lineWith = (text: string, needle: string) => text.split('\n').find((line) => line.includes(needle)) ?? '';

async function render(snapshot: FicheSnapshot) {
	const pdf = await renderFichePdf(snapshot);
	const text = pages(pdf);
	return { pdf, pages: text, all: text.join('\n'), squashed: squash(text.join('\n')) };
}

describe('the fiche RCP as a PDF', () => {
	it('shows every part of the full fiche, in French with its accents intact', async () => {
		const snapshot = fullFiche();
		const { fiche, decision } = snapshot;
		const { all, squashed } = await render(snapshot);

		for (const expected of [
			'Réseau régional de cancérologie Démo (fictif) — Région Démo',
			'RCP digestive — CHU de Démo-sur-Loire (fictif)',
			'Fiche de réunion de concertation pluridisciplinaire (RCP)',
			'mardi 15 décembre 2026 à 14:00',
			'Dossier discuté en RCP',
			'Version 2 — annule et remplace la version 1 validée le mardi 15 décembre 2026 à 17:10, motif : Version du référentiel corrigée',
			// Patient, GP, requester.
			'DÉMO-MARTIN',
			'Jeanne Marie',
			'21/03/1957',
			'Féminin',
			'2 57 03 75 123 456 05',
			'IPP-000123',
			'Dr Louis Petitjean',
			'10003456786',
			'05 49 00 00 00',
			'l.petitjean@medecin.test',
			'Dr Claire DUBOIS',
			'Gastro-entérologie',
			'Première présentation (bilan initial)',
			// Tumour.
			'C18.7 — Côlon sigmoïde',
			'Adénocarcinome lieberkühnien moyennement différencié (CIM-O-3 8140/3)',
			'cT3 cN1a cM0',
			'OMS 1',
			// Question and proposal.
			fiche.question!,
			...decision.treatmentTypes.map(treatmentLabel),
			decision.proposal,
			'Thésaurus national de cancérologie digestive, version 2024',
			'Oui — PRODIGE 99 (NCT01234567)',
			decision.furtherTests,
			'Quorum atteint',
			// Validation.
			'Validée le mercredi 16 décembre 2026 à 10:00',
			'Signé électroniquement (PAdES) par Réseau régional de cancérologie Démo (fictif) pour Dr Paul DURAND (RPPS 10001234565)'
		]) {
			expect(squashed).toContain(expected);
		}
		expect(squashed).toMatch(/Conforme au référentiel Oui/);
		expect(squashed).toMatch(/Dossier complet Oui/);
		expect(squashed).toMatch(/Médecin coordonnateur Dr Paul DURAND RPPS 10001234565/);

		// Each free-text clinical field under its label, verbatim.
		const clinical = (Object.keys(CASE_FICHE_FIELDS) as FicheFieldName[]).filter((name) => ['clinical', 'results'].includes(CASE_FICHE_FIELDS[name].section));
		for (const name of clinical) {
			expect(lineWith(all, CASE_FICHE_FIELDS[name].label), name).toContain(String(fiche[name]));
		}

		// One table row per participant: name, specialty, role, presence (Paris time).
		for (const [name, specialty, role, presence] of [
			['Dr Paul DURAND', 'Chirurgie digestive', 'membre du quorum', '13:58 – 16:02'],
			['Dr Claire DUBOIS', 'Gastro-entérologie', 'participant', '14:01 – 14:40'],
			['Dr Julie BERNARD', 'Oncologie médicale', 'membre du quorum', '14:00 – fin'],
			['Dr Marc PETIT', 'Oncologie radiothérapie', 'membre du quorum', '14:05 – 15:30'],
			['Dr Louis PETITJEAN', '—', 'invité', '14:10 – 14:30']
		]) {
			expect(all).toMatch(new RegExp(`${name}\\s+${specialty}\\s+${role}\\s+${presence}`));
		}

		// The read-back: the confirmation, and the disagreement with its comment under it.
		expect(all).toMatch(/Julie Bernard\s+Oncologie médicale\s+Confirme\s+14:21/);
		expect(all).toMatch(/Marc Petit\s+Oncologie radiothérapie\s+En désaccord\s+14:21/);
		expect(squashed).toContain('Commentaire : « Je proposerais une radiothérapie préopératoire. »');

		for (const character of ['œ', 'é', '’', '«', 'ü']) expect(all).toContain(character);
		expect(all).not.toMatch(/undefined|null|NaN|\[object/);
	});

	it('names the cited référentiel, version and situation, and the directory trial with its identifiers', async () => {
		// A line may wrap after a hyphen of a code ("COLON-" / "III-R0"): read it joined.
		const joined = (text: string) => text.replace(/- /g, '-');
		const squashed = joined((await render(citedFiche())).squashed);
		expect(squashed).toContain(
			'Référentiel Cancer du côlon (référentiel régional fictif), version 2026 — situation COLON-III-R0 : Côlon, stade III, après résection R0'
		);
		expect(squashed).toContain(
			`Essai clinique proposé Oui — ${CITED_TRIAL.acronym} — ${CITED_TRIAL.title} (EU CT 2024-512345-12-00, NCT04120701, n° local DEMO-2024-07)`
		);

		// Hors référentiel: the answer says so, with the justification and the situation departed from.
		const sample = citedFiche();
		const departed = joined(
			(await render({ ...sample, decision: { ...sample.decision, guidelineFollowed: 'no', guidelineJustification: 'Patiente fragile : monothérapie.' } })).squashed
		);
		expect(departed).toMatch(/Conforme au référentiel Non \(hors référentiel\)/);
		expect(departed).toContain('Situation non suivie Cancer du côlon (référentiel régional fictif), version 2026 — situation COLON-III-R0');
		// (The justification's label wraps beside its value.)
		expect(departed).toMatch(/Justification de l’écart au Patiente fragile : monothérapie\. référentiel/);
		expect(departed).not.toMatch(/Référentiel Cancer du côlon/);
	});

	it('numbers every page "Page k sur N" and carries the development banner on each', async () => {
		const { pdf, pages: text } = await render(fullFiche());
		const count = pageCount(pdf);
		expect(count).toBeGreaterThan(1);
		expect(text).toHaveLength(count);
		text.forEach((page, i) => {
			expect(page).toContain(`Page ${i + 1} sur ${count}`);
			expect(page).toContain('Fiche 7a0d5b7e-2222-4c1a-8f3e-5d9e1b2c0002 — version 2');
			expect(page).toContain(`Fiche RCP — ${patientName(fullFiche().fiche)}, née le 21/03/1957`);
			expect(page).toContain(DEVELOPMENT_BANNER);
		});
	});

	it('prints the minimal fiche without its absent fields: registered, quorum not met and acknowledged, no banner', async () => {
		const snapshot = minimalFiche();
		const { pdf, pages: text, all, squashed } = await render(snapshot);
		for (const expected of [
			'Réseau régional de cancérologie',
			'RCP thoracique',
			'CH de Test',
			'jeudi 17 décembre 2026 à 13:00',
			'Dossier enregistré sans discussion (conforme au référentiel)',
			'Version 1',
			'TEST',
			'1 60 01 99 123 456 04',
			'Masculin',
			'C34.1 — Lobe supérieur, bronche ou poumon',
			'OMS 0',
			'Validation de la proposition standard.',
			'radiothérapie',
			'Radiothérapie stéréotaxique.',
			'Référentiel régional thoracique',
			'Essai clinique proposé Non',
			'Quorum non atteint',
			'Manquant Oncologie radiothérapie',
			'Proposition émise malgré un quorum non atteint',
			`Médecin coordonnateur ${physicianName(snapshot.validation.by)} RPPS 10001234565`
		]) {
			expect(squashed).toContain(expected);
		}
		expect(all).toMatch(/Dr Paul DURAND\s+Chirurgie digestive\s+membre du quorum/);
		// Absent optional fields and sections are left out, never printed empty.
		for (const absent of ['Médecin traitant', 'IPP', 'Histologie', 'Histoire clinique', 'Résultats', 'Relecture', 'annule et remplace', 'Examens complémentaires']) {
			expect(all).not.toContain(absent);
		}
		expect(all).not.toMatch(/undefined|null|NaN/);
		expect(all).not.toContain('SIGNATURE DE DÉVELOPPEMENT');
		const count = pageCount(pdf);
		text.forEach((page, i) => expect(page).toContain(`Page ${i + 1} sur ${count}`));
	});

	it('flows a very long proposal over several pages, whole, without touching the footer', async () => {
		const snapshot = fullFiche();
		const sentence = 'Colectomie par cœlioscopie « gauche », puis chimiothérapie adjuvante selon l’histologie définitive ; ';
		snapshot.decision.proposal = sentence.repeat(Math.ceil(15_000 / sentence.length)).slice(0, 15_000).trim();
		const { pdf, pages: text } = await render(snapshot);
		const count = pageCount(pdf);
		expect(text.filter((page) => page.includes('cœlioscopie « gauche »')).length).toBeGreaterThanOrEqual(3);

		// Nothing lost: the proposal reads whole once the banner and footers are taken out.
		const footers = /^.*(SIGNATURE DE DÉVELOPPEMENT|Fiche RCP —|Fiche 7a0d5b7e).*$/gm;
		expect(squash(text.join('\n').replace(footers, ''))).toContain(snapshot.decision.proposal);

		// Nothing below the body's bottom margin but the footer itself, on every page.
		const footerWords = new Set(squash(text.map((page) => page.split('\n').filter((line) => /Fiche RCP —|Fiche 7a0d5b7e/.test(line)).join(' ')).join(' ')).split(' '));
		const html = poppler('pdftotext', pdf, ['-bbox', '-enc', 'UTF-8'], 'fiche.html');
		const bodyBottom = 841.89 - PAGE_MARGINS.bottom;
		const pageTexts = html.split('<page ').slice(1);
		expect(pageTexts).toHaveLength(count);
		pageTexts.forEach((page, i) => {
			const low = [...page.matchAll(/<word xMin="[\d.]+" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g)]
				.filter(([, yMax]) => Number(yMax) > bodyBottom)
				.map(([, , word]) => word);
			expect(low.length, `page ${i + 1}`).toBeGreaterThan(0);
			expect(low.filter((word) => !footerWords.has(word)), `page ${i + 1}`).toEqual([]);
			expect(text[i]).toContain(`Page ${i + 1} sur ${count}`);
		});
	});

	it('never splits a table row across pages, and repeats the table header on each page', async () => {
		const snapshot = fullFiche();
		snapshot.readBack = Array.from({ length: 40 }, (_, i) => ({
			name: `Médecin numéro ${i + 1}`,
			specialtyLabel: 'Oncologie médicale',
			answer: 'disagree' as const,
			comment: `Avis ${i + 1} : ${'une radiothérapie préopératoire serait préférable, '.repeat(3)}fin.`,
			at: '2026-12-15T13:21:00.000Z'
		}));
		const { pages: text } = await render(snapshot);
		const withRows = text.filter((page) => page.includes('Médecin numéro'));
		expect(withRows.length).toBeGreaterThan(1);
		for (const page of withRows) expect(page).toMatch(/Nom\s+Spécialité\s+Réponse\s+Heure/);
		for (let i = 1; i <= 40; i++) {
			const page = squash(text.find((candidate) => candidate.includes(`Médecin numéro ${i} `)) ?? '');
			expect(page, `row ${i}`).toContain(`Commentaire : « Avis ${i} : une radiothérapie`);
			expect(page, `row ${i}`).toContain('préférable, fin. »');
		}
	});

	it('keeps the patient out of the document information, and gives the same bytes for the same snapshot', async () => {
		const pdf = await renderFichePdf(fullFiche());
		const info = poppler('pdfinfo', pdf, ['-isodates']);
		expect(info).toMatch(/^Title:\s+Fiche RCP$/m);
		expect(info).toMatch(/^Author:\s+Réseau régional de cancérologie Démo \(fictif\)$/m);
		expect(info).toMatch(/^Creator:\s+Concerto$/m);
		expect(info).toMatch(/^CreationDate:\s+2026-12-16T09:00:00/m);
		expect(info).toMatch(/^Page size:.*\(A4\)$/m);
		expect(info).not.toMatch(/DÉMO-MARTIN|Jeanne|257037512345605/i);
		expect(Buffer.from(await renderFichePdf(fullFiche())).equals(Buffer.from(pdf))).toBe(true);
	});

	it('is signed by the PAdES signer into a PDF that pdfsig verifies whole', async () => {
		const now = new Date('2026-12-16T09:00:00Z');
		const p12 = selfSignedPkcs12({
			commonName: 'Réseau Démo — signature des fiches',
			organisation: 'Réseau Démo',
			password: 'secret',
			notBefore: new Date(now.getTime() - 86_400_000),
			notAfter: new Date(now.getTime() + 365 * 86_400_000)
		});
		const signed = await signPdf(await renderFichePdf(fullFiche()), readPkcs12(p12, 'secret', now), {
			signerName: 'Dr Paul DURAND (RPPS 10001234565)',
			reason: 'Validation de la fiche RCP',
			location: 'CHU de Démo-sur-Loire (fictif)',
			contactInfo: '',
			signingTime: now
		});
		const report = poppler('pdfsig', signed);
		expect(report).toContain('Signature Validation: Signature is Valid.');
		expect(report).toContain('Total document signed');
		expect(squash(pages(signed).join('\n'))).toContain('Commentaire : « Je proposerais une radiothérapie préopératoire. »');
	});
});
