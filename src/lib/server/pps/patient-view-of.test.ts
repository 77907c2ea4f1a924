import { describe, expect, it } from 'vitest';
import { fullPps, minimalPps } from '../../../../tests/helpers/pps-samples.ts';
import { poppler } from '../../../../tests/helpers/poppler.ts';
import { ppsDocument } from './documents.ts';
import { patientAddress, patientViewOf } from './patient-view-of.ts';

describe('the patient’s view of a PPS', () => {
	it('addresses the patient by civility, first name and family name', () => {
		const patient = fullPps().patient;
		expect(patientAddress(patient)).toBe('Mme Jeanne DÉMO-MARTIN');
		expect(patientAddress({ ...patient, sex: 'M', givenNames: 'Paul' })).toBe('M. Paul DÉMO-MARTIN');
		expect(patientAddress({ ...patient, sex: 'I' })).toBe('Jeanne DÉMO-MARTIN');
	});

	it('describes each phase in words, with its last day (an end date, or the start plus its weeks)', () => {
		const view = patientViewOf(fullPps());
		expect(view.phases.map((phase) => [phase.what, phase.to === null])).toEqual([
			['intervention chirurgicale : Colectomie gauche par cœlioscopie', false],
			[expect.stringMatching(/ : FOLFOX, une cure tous les 15 jours$/), false],
			[expect.not.stringContaining(' : '), true]
		]);
		const [, chemo] = view.phases;
		// 24 weeks from the start: the last day is 167 days later.
		expect((Date.parse(chemo.to!) - Date.parse(chemo.from)) / 86_400_000).toBe(167);
	});

	it('lists the care team with role labels, and the offers with their notes', () => {
		const view = patientViewOf(fullPps());
		expect(view.careTeam.map((member) => member.roleLabel)).toEqual(['Médecin référent', 'Médecin traitant', 'Infirmier(ère) de coordination', 'Autre professionnel']);
		expect(view.careTeam[3]).toEqual({ roleLabel: 'Autre professionnel', name: 'M. Karim Benali, diététicien' });
		// Three items and a note: the note is a line of its own; one item and a note: the note is that item's.
		expect(view.supportiveCare).toHaveLength(4);
		expect(view.supportiveCare.at(-1)).toEqual({ label: 'À savoir', note: 'Consultation diététique avant la chirurgie.' });
		expect(view.socialSupport).toEqual([{ label: 'Aide à domicile', note: 'Demande d’aide à domicile pendant la chimiothérapie.' }]);
		expect(view).toMatchObject({ version: 2, date: '2026-12-22', issuer: fullPps().network.name });
	});

	it('says whom to call: the nurse coordinator and the referring physician first, the GP for everyday questions, always the 15', () => {
		const calls = patientViewOf(fullPps()).whomToCall;
		expect(calls.map((call) => call.contact.split(',')[0])).toEqual(['Mme Sophie Roux', 'Dr Claire Dubois', 'Dr Louis Petitjean', 'le 15 (SAMU)']);
		expect(calls[2].situation).toBe('Les questions de tous les jours');
		expect(calls.at(-1)).toEqual({ situation: 'En cas d’urgence vitale', contact: 'le 15 (SAMU), jour et nuit' });
		// Nobody to reach by phone or e-mail: the 15 still.
		expect(patientViewOf(minimalPps()).whomToCall).toEqual([{ situation: 'En cas d’urgence vitale', contact: 'le 15 (SAMU), jour et nuit' }]);
	});

	it('renders as the patient’s PDF', async () => {
		const file = await ppsDocument(fullPps(), 'pdf');
		expect(file).toMatchObject({ contentType: 'application/pdf', fileName: 'pps-v2-patient.pdf' });
		const text = poppler('pdftotext', file.body as Uint8Array, ['-enc', 'UTF-8'], 'pps.txt').replace(/\s+/g, ' ');
		expect(text).toContain('Mme Jeanne DÉMO-MARTIN');
		expect(text).toContain('Qui appeler ?');
		expect(text).toContain('En cas d’urgence vitale');
		expect(text).toContain('Colectomie gauche par cœlioscopie');
	});
});
