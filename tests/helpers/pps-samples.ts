/**
 * PPS versions for the renderers' tests (CDA, FHIR, PDF): a full one (second version,
 * replacing the first after a relapse, every list filled in, handed over) and a minimal one
 * (first version, one open phase, no GP, not handed over). They follow the sample fiche of
 * fiche-samples.ts. Every date is counted from one fixed instant, `PPS_CREATED_AT`, so that
 * the samples never depend on the day the tests run. All fictitious.
 */
import { addDays } from 'date-fns/addDays';
import { addMinutes } from 'date-fns/addMinutes';
import { format } from 'date-fns/format';
import type { PpsSnapshot } from '../../src/lib/domain/pps.ts';
import { fullFiche } from './fiche-samples.ts';

/** When the full sample was written; the minimal one a day later. */
export const PPS_CREATED_AT = new Date('2026-12-22T09:30:00.000Z');

/** A calendar day `offset` days after the creation day (Paris and UTC agree at 09:30 UTC). */
const day = (offset: number): string => format(addDays(new Date(2026, 11, 22), offset), 'yyyy-MM-dd');
const instant = (minutes: number): string => addMinutes(PPS_CREATED_AT, minutes).toISOString();

const author = {
	id: '3f1c6d0e-1111-4a8e-9d7b-0c5e2f0a0002',
	givenName: 'Claire',
	familyName: 'Dubois',
	rpps: '10002345675',
	specialty: 'gastroenterology',
	specialtyLabel: 'Gastro-entérologie'
};

function fromFiche(): Pick<PpsSnapshot, 'network' | 'patient' | 'fiche'> {
	const fiche = fullFiche();
	const { familyName, givenNames, birthDate, sex, ins, hospitalPatientId } = fiche.fiche;
	return {
		network: fiche.network,
		patient: { familyName, givenNames, birthDate, sex, ins, hospitalPatientId },
		fiche: {
			id: fiche.id,
			setId: fiche.setId,
			caseId: fiche.caseId,
			meeting: { id: fiche.meeting.id, startsAt: fiche.meeting.startsAt },
			board: { id: fiche.board.id, name: fiche.board.name, site: fiche.board.site }
		}
	};
}

/** Second version, after a relapse: three phases, the whole care team, every list, handed over. */
export function fullPps(): PpsSnapshot {
	return {
		id: '8b1e6c8f-6666-4d2b-9a4f-6e0f2c3d0002',
		setId: '8b1e6c8f-6666-4d2b-9a4f-6e0f2c3d0001',
		version: 2,
		supersedes: { id: '8b1e6c8f-6666-4d2b-9a4f-6e0f2c3d0001', version: 1, createdAt: addDays(PPS_CREATED_AT, -5).toISOString() },
		...fromFiche(),
		author,
		content: {
			diagnosis: 'Adénocarcinome du côlon sigmoïde, cT3 N1a M0.',
			phases: [
				{ type: '387713003', description: 'Colectomie gauche par cœlioscopie', start: day(7), end: day(12), durationWeeks: null, placeOfCare: 'CHU de Démo-sur-Loire (fictif)' },
				{ type: 'C15632', description: 'FOLFOX, une cure tous les 15 jours', start: day(40), end: null, durationWeeks: 24, placeOfCare: 'Hôpital de jour, CHU de Démo-sur-Loire' },
				{ type: 'MED-226', description: '', start: day(208), end: null, durationWeeks: null, placeOfCare: 'Consultation d’oncologie et médecin traitant' }
			],
			careTeam: [
				{ role: 'referring', name: 'Dr Claire Dubois', phone: '05 49 00 00 01', email: 'c.dubois@chu-demo.test', rpps: '10002345675' },
				{ role: 'gp', name: 'Dr Louis Petitjean', phone: '05 49 00 00 00', email: 'l.petitjean@medecin.test', rpps: '10003456786' },
				{ role: 'nurse-coordinator', name: 'Mme Sophie Roux, IDE de coordination', phone: '05 49 00 00 02', email: null, rpps: null },
				{ role: 'other', name: 'M. Karim Benali, diététicien', phone: null, email: null, rpps: null }
			],
			supportiveCare: { codes: ['ORG-036', 'ORG-175', 'MED-562'], note: 'Consultation diététique avant la chirurgie.' },
			socialSupport: { codes: ['PAT-024'], note: 'Demande d’aide à domicile pendant la chimiothérapie.' },
			associatedMeasures: { codes: ['ORG-001'], note: '' },
			sideEffects: { codes: ['C20427'], note: 'Facteurs de croissance si neutropénie.' },
			updateReason: { code: '263855007', note: 'Récidive ganglionnaire : nouveau programme.' }
		},
		handedOver: { at: instant(90), by: author },
		createdAt: PPS_CREATED_AT.toISOString()
	};
}

/** First version: the diagnosis and one open phase, no GP named, not yet handed over. */
export function minimalPps(): PpsSnapshot {
	return {
		id: '8b1e6c8f-6666-4d2b-9a4f-6e0f2c3d0101',
		setId: '8b1e6c8f-6666-4d2b-9a4f-6e0f2c3d0101',
		version: 1,
		supersedes: null,
		...fromFiche(),
		author,
		content: {
			diagnosis: 'Adénocarcinome du côlon sigmoïde.',
			phases: [{ type: 'C15445', description: '', start: day(2), end: null, durationWeeks: null, placeOfCare: 'Domicile' }],
			careTeam: [{ role: 'referring', name: 'Dr Claire Dubois', phone: null, email: null, rpps: null }],
			supportiveCare: { codes: [], note: '' },
			socialSupport: { codes: [], note: '' },
			associatedMeasures: { codes: [], note: '' },
			sideEffects: { codes: [], note: '' },
			updateReason: null
		},
		handedOver: null,
		createdAt: addDays(PPS_CREATED_AT, 1).toISOString()
	};
}
