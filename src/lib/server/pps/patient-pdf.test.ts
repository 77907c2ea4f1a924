import { describe, expect, it } from 'vitest';
import { poppler } from '../../../../tests/helpers/poppler.ts';
import { addCalendarDays } from '../../domain/follow-up.ts';
import { PATIENT_BODY_SIZE, formatPlainDate, renderPatientPpsPdf } from './patient-pdf.ts';
import type { PatientPpsView } from './patient-view.ts';

// The renderer reads no clock: the sample's days are fixed, the calendar computed from the first.
const DAY_ONE = '2027-02-01';
const at = (days: number) => addCalendarDays(DAY_ONE, days);

const view = (overrides: Partial<PatientPpsView> = {}): PatientPpsView => ({
	patientName: 'Mme Jeanne Démo-Martin',
	diagnosis: 'Un cancer du côlon (adénocarcinome), opéré. Deux ganglions étaient touchés.',
	phases: [
		{ what: 'Chimiothérapie adjuvante (12 cures)', from: at(28), to: at(28 + 168), where: 'Hôpital de jour, CHU de Démo-sur-Loire' },
		{ what: 'Chirurgie : colectomie', from: at(0), to: at(7), where: 'Service de chirurgie digestive, CHU de Démo-sur-Loire' },
		{ what: 'Consultation de fin de traitement', from: at(210), to: null, where: 'Consultation d’oncologie' }
	],
	careTeam: [
		{ roleLabel: 'Médecin référent (oncologue)', name: 'Dr Claire Dubois', phone: '05 49 00 00 01', email: 'c.dubois@chu-demo.test' },
		{ roleLabel: 'Médecin traitant', name: 'Dr Louis Petitjean', phone: '05 49 00 00 00' },
		{ roleLabel: 'Infirmière de coordination', name: 'Mme Sophie Laurent', phone: '05 49 00 00 02' }
	],
	supportiveCare: [
		{ label: 'Consultation de diététique', note: 'Pour garder du poids pendant la chimiothérapie.' },
		{ label: 'Activité physique adaptée' }
	],
	socialSupport: [{ label: 'Rencontre avec l’assistante sociale', note: 'Pour votre arrêt de travail et vos droits.' }],
	sideEffects: [{ label: 'À savoir', note: 'Fièvre de 38,5 °C ou plus pendant la chimiothérapie : appelez l’hôpital de jour.' }],
	associatedMeasures: [],
	whomToCall: [
		{ situation: 'Fièvre de 38,5 °C ou plus', contact: 'Hôpital de jour : 05 49 00 00 03 (la nuit : urgences, 15)' },
		{ situation: 'Douleur qui ne passe pas', contact: 'Infirmière de coordination : 05 49 00 00 02' },
		{ situation: 'Une question', contact: 'Votre médecin traitant : 05 49 00 00 00' }
	],
	version: 2,
	date: at(-3),
	issuer: 'Réseau régional de cancérologie Démo (fictif)',
	...overrides
});

const text = (pdf: Uint8Array) => poppler('pdftotext', pdf, ['-layout', '-enc', 'UTF-8'], 'pps.txt');
/** Line breaks and runs of spaces read as one space: wrapped cells read whole. */
const squash = (value: string) => value.replace(/\s+/g, ' ');
const lineWith = (all: string, needle: string) => all.split('\n').find((line) => line.includes(needle)) ?? '';

describe('the patient’s PPS as a PDF', () => {
	it('prints the calendar as a table, in date order, with plain French dates', async () => {
		const all = text(await renderPatientPpsPdf(view()));
		expect(all).toContain('Mon calendrier de traitement');
		const header = lineWith(all, 'Quoi ?');
		expect(header).toMatch(/Quoi \?\s+Début\s+Fin\s+Où \?/);
		// Each phase's row holds its dates beside its name.
		expect(lineWith(all, 'Chirurgie : colectomie')).toMatch(/Chirurgie : colectomie\s+1er février 2027\s+8 février 2027\s+Service de chirurgie/);
		expect(lineWith(all, 'Chimiothérapie adjuvante')).toMatch(/Chimiothérapie adjuvante \(12\s+1er mars 2027\s+16 août 2027\s+Hôpital de jour, CHU/);
		expect(lineWith(all, 'Consultation de fin de')).toMatch(/30 août 2027\s+À préciser/);
		expect(all.indexOf('Chirurgie : colectomie')).toBeLessThan(all.indexOf('Chimiothérapie adjuvante (12'));
	});

	it('says what is planned for the side effects, and leaves out a section with nothing in it', async () => {
		const flat = squash(text(await renderPatientPpsPdf(view())));
		expect(flat).toContain('Les effets indésirables du traitement : ce qui est prévu');
		expect(flat).toContain('Fièvre de 38,5 °C ou plus pendant la chimiothérapie : appelez l’hôpital de jour.');
		expect(flat).not.toContain('Ce qui est prévu autour du traitement');
	});

	it('says whom to call, and how to reach the care team', async () => {
		const all = text(await renderPatientPpsPdf(view()));
		const flat = squash(all);
		expect(all).toContain('Qui appeler ?');
		expect(lineWith(all, 'Fièvre de 38,5 °C ou plus')).toContain('Hôpital de jour : 05 49 00 00 03');
		expect(flat).toContain('Douleur qui ne passe pas Infirmière de coordination : 05 49 00 00 02');
		expect(flat).toContain('Une question Votre médecin traitant : 05 49 00 00 00');
		expect(flat).toContain('Médecin référent (oncologue) Dr Claire Dubois Téléphone : 05 49 00 00 01 Courriel : c.dubois@chu-demo.test');
		// "Qui appeler ?" comes before the rest: the patient finds it at once.
		expect(all.indexOf('Qui appeler ?')).toBeLessThan(all.indexOf('Ma maladie'));
	});

	it('explains the medical words it uses, and only those', async () => {
		const flat = squash(text(await renderPatientPpsPdf(view())));
		expect(flat).toContain('Les mots des médecins');
		expect(flat).toContain("Chimiothérapie adjuvante Traitement par médicaments donné après l'opération pour réduire le risque de rechute.");
		expect(flat).toContain('Colectomie Opération qui enlève une partie du côlon (le gros intestin).');
		expect(flat).toContain('Ganglion Petit organe qui filtre la lymphe');
		expect(flat).toContain('Soins de support Soins pour aller mieux');
		expect(flat).not.toContain('Radiothérapie');
		expect(flat).not.toContain('Mammographie');
	});

	it('prints the supportive care and social support offered, the version and its date', async () => {
		const flat = squash(text(await renderPatientPpsPdf(view())));
		expect(flat).toContain('Mme Jeanne Démo-Martin');
		expect(flat).toContain(`Version 2 du ${formatPlainDate(at(-3))}`);
		expect(flat).toContain('• Consultation de diététique Pour garder du poids pendant la chimiothérapie.');
		expect(flat).toContain('• Activité physique adaptée');
		expect(flat).toContain('• Rencontre avec l’assistante sociale Pour votre arrêt de travail et vos droits.');
		expect(flat).toMatch(/Page 1 sur \d/);
	});

	it('prints its body in large type', async () => {
		const pdf = await renderPatientPpsPdf(view());
		const boxes = poppler('pdftotext', pdf, ['-bbox', '-enc', 'UTF-8'], 'pps.html');
		const word = /<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">opéré\.<\/word>/.exec(boxes);
		expect(word).not.toBeNull();
		// poppler's word box spans Helvetica's ascender and descender: 0.925 of the type size.
		const typeSize = (Number(word![2]) - Number(word![1])) / 0.925;
		expect(typeSize).toBeCloseTo(PATIENT_BODY_SIZE, 1);
		expect(PATIENT_BODY_SIZE).toBeGreaterThanOrEqual(12);
	});

	it('gives the same bytes for the same view, and names no patient in its information', async () => {
		const first = await renderPatientPpsPdf(view());
		expect(Buffer.from(await renderPatientPpsPdf(view())).equals(Buffer.from(first))).toBe(true);
		const info = poppler('pdfinfo', first);
		expect(info).toMatch(/^Title:\s+Programme personnalisé de soins$/m);
		expect(info).not.toContain('Démo-Martin');
	});

	it('says the calendar is to come when it has no phase yet, and leaves out empty sections', async () => {
		const flat = squash(text(await renderPatientPpsPdf(view({ phases: [], supportiveCare: [], socialSupport: [], whomToCall: [] }))));
		expect(flat).toContain('Le calendrier sera complété avec vous.');
		expect(flat).not.toContain('Qui appeler ?');
		expect(flat).not.toContain('Mon accompagnement social');
	});
});
