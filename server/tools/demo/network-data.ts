/**
 * The demonstration network's référentiels and clinical trials: fictitious, medically
 * plausible. The trials' identifiers are made up (EU CT numbers of the 999xxx range, NCT
 * numbers beyond those ClinicalTrials.gov has given out); the recommendations are
 * summaries written for the demonstration, not guidance.
 */

/** A situation of a référentiel version: the unit a proposal cites. */
export interface DemoSituation {
	code: string;
	heading: string;
	recommendation: string;
}

/** A version of a demonstration référentiel, dated relative to the demonstration's day. */
export interface DemoVersion {
	/** Years before the current one: 0 for "2026" when the demo runs in 2026, 1 for "2025". */
	yearsAgo: number;
	/** published (the current one), superseded (by the next published), or draft. */
	status: 'published' | 'superseded' | 'draft';
	/** Days before the demo's day it was published (ignored for a draft). */
	publishedDaysAgo: number;
	changeSummary: string;
	/** Whether it has its PDF document. */
	withDocument: boolean;
	situations: DemoSituation[];
}

export interface DemoReferentiel {
	key: 'colorectal' | 'breast' | 'pancreas';
	title: string;
	/** JDV_RCP_Organe code. */
	organ: string;
	/** JDV_RCP_Appareil code. */
	apparatus: string | null;
	description: string;
	/** Demo people's keys (demo.ts PEOPLE): the coordinator first. */
	coordinator: string;
	members: string[];
	/** Oldest first: a later published version supersedes an earlier one. */
	versions: DemoVersion[];
}

const COLON_LOC: DemoSituation = {
	code: 'COLON-LOC',
	heading: 'Côlon, tumeur localisée résécable (cT1–T4a, M0)',
	recommendation:
		'Colectomie carcinologique avec curage ganglionnaire (au moins 12 ganglions examinés), par cœlioscopie si possible ; chimiothérapie adjuvante selon le stade pTNM.'
};

export const DEMO_REFERENTIELS: readonly DemoReferentiel[] = [
	{
		key: 'colorectal',
		title: 'Cancer colorectal',
		organ: 'MED-251',
		apparatus: '86762007',
		description: 'Prise en charge des adénocarcinomes du côlon et du rectum, de la tumeur localisée aux métastases hépatiques résécables.',
		coordinator: 'oncologist',
		members: ['coordDigestive', 'radiotherapist', 'gastroenterologist', 'pathologist'],
		versions: [
			{
				yearsAgo: 1,
				status: 'superseded',
				publishedDaysAgo: 400,
				changeSummary: 'Première version régionale, reprenant le thésaurus national.',
				withDocument: true,
				situations: [
					COLON_LOC,
					{
						code: 'COLON-III-R0',
						heading: 'Côlon, stade III, après résection R0',
						recommendation: 'Chimiothérapie adjuvante FOLFOX ou CAPOX pendant 6 mois.'
					},
					{
						code: 'RECTUM-LA',
						heading: 'Rectum moyen ou bas, localement avancé (cT3–T4 et/ou N+, M0)',
						recommendation: 'Radiochimiothérapie néoadjuvante (50 Gy avec capécitabine) puis exérèse totale du mésorectum 7 à 11 semaines après.'
					}
				]
			},
			{
				yearsAgo: 0,
				status: 'published',
				publishedDaysAgo: 60,
				changeSummary:
					'Durée de la chimiothérapie adjuvante du stade III selon le risque ; traitement néoadjuvant total du rectum localement avancé ; nouvelles situations du stade II à haut risque et des métastases hépatiques résécables.',
				withDocument: true,
				situations: [
					COLON_LOC,
					{
						code: 'COLON-II-HR',
						heading: 'Côlon, stade II à haut risque, après résection R0',
						recommendation:
							'Discuter une chimiothérapie adjuvante (fluoropyrimidine, avec oxaliplatine si plusieurs facteurs de risque) si pT4, occlusion ou perforation, moins de 12 ganglions, emboles ; aucune si la tumeur est dMMR/MSI.'
					},
					{
						code: 'COLON-III-R0',
						heading: 'Côlon, stade III, après résection R0',
						recommendation: 'Chimiothérapie adjuvante FOLFOX ou CAPOX : 3 mois de CAPOX si faible risque (pT1–T3 N1), 6 mois si haut risque (pT4 ou N2).'
					},
					{
						code: 'RECTUM-LA',
						heading: 'Rectum moyen ou bas, localement avancé (cT3–T4 et/ou N+, M0)',
						recommendation:
							'Traitement néoadjuvant total (chimiothérapie d’induction puis radiochimiothérapie ou radiothérapie courte) puis exérèse totale du mésorectum ; discuter une préservation d’organe en cas de réponse clinique complète.'
					},
					{
						code: 'CCR-MH-RES',
						heading: 'Métastases hépatiques résécables d’un cancer colorectal',
						recommendation: 'Chimiothérapie périopératoire FOLFOX (3 mois avant, 3 mois après) et hépatectomie ; RCP de recours hépatobiliaire si la résécabilité est discutable.'
					}
				]
			}
		]
	},
	{
		key: 'breast',
		title: 'Cancer du sein',
		organ: '76752008',
		apparatus: '76752008',
		description: 'Carcinomes infiltrants et in situ du sein : chirurgie, traitements néoadjuvants et adjuvants.',
		coordinator: 'radiotherapist',
		members: ['radiologist', 'pathologist', 'oncologist'],
		versions: [
			{
				yearsAgo: 0,
				status: 'published',
				publishedDaysAgo: 30,
				changeSummary: 'Version annuelle : immunothérapie néoadjuvante des cancers triple négatifs.',
				withDocument: true,
				situations: [
					{
						code: 'SEIN-CCIS',
						heading: 'Sein, carcinome canalaire in situ',
						recommendation: 'Chirurgie conservatrice avec marges saines puis radiothérapie ; mastectomie si la lésion est étendue, sans curage axillaire.'
					},
					{
						code: 'SEIN-RH-T1N0',
						heading: 'Sein, carcinome infiltrant RH+ HER2−, pT1 N0, après chirurgie conservatrice',
						recommendation: 'Radiothérapie du sein et hormonothérapie adjuvante 5 ans ; signature génomique si grade 2 pour décider d’une chimiothérapie.'
					},
					{
						code: 'SEIN-HER2-NEO',
						heading: 'Sein, HER2+, cT2 ou N+',
						recommendation:
							'Chimiothérapie néoadjuvante avec trastuzumab et pertuzumab puis chirurgie ; traitement adjuvant selon la réponse histologique (T-DM1 en cas de maladie résiduelle).'
					},
					{
						code: 'SEIN-TN-NEO',
						heading: 'Sein, triple négatif, cT2 ou N+',
						recommendation: 'Chimiothérapie néoadjuvante avec pembrolizumab puis chirurgie ; capécitabine ou olaparib adjuvants selon la réponse et le statut BRCA.'
					}
				]
			}
		]
	},
	{
		key: 'pancreas',
		title: 'Cancer du pancréas',
		organ: '15776009',
		apparatus: '86762007',
		description: 'Adénocarcinomes du pancréas exocrine, de la tumeur résécable à la maladie localement avancée.',
		coordinator: 'coordDigestive',
		members: ['gastroenterologist', 'oncologist', 'radiologist'],
		versions: [
			{
				yearsAgo: 0,
				status: 'draft',
				publishedDaysAgo: 0,
				changeSummary: 'Premier référentiel régional, en cours de rédaction par le groupe de travail.',
				withDocument: false,
				situations: [
					{
						code: 'PANC-RES',
						heading: 'Pancréas, adénocarcinome résécable',
						recommendation: 'Chirurgie d’emblée puis chimiothérapie adjuvante mFOLFIRINOX 6 mois (gemcitabine-capécitabine si l’état général est limite).'
					},
					{
						code: 'PANC-BL',
						heading: 'Pancréas, adénocarcinome borderline',
						recommendation: 'Chimiothérapie d’induction FOLFIRINOX 4 à 6 mois, réévaluation par scanner et RCP de recours chirurgicale ; radiochimiothérapie à discuter.'
					},
					{
						code: 'PANC-LA',
						heading: 'Pancréas, adénocarcinome localement avancé',
						recommendation: 'Chimiothérapie FOLFIRINOX ou gemcitabine et nab-paclitaxel ; réévaluation tous les 2 à 3 mois.'
					}
				]
			}
		]
	}
];

/** A trial of the demonstration directory; criteria in the shape of TrialCriteria (src/lib/domain/trial.ts). */
export interface DemoTrial {
	acronym: string;
	title: string;
	euCtNumber: string | null;
	nctId: string | null;
	localNumber: string | null;
	sponsor: string;
	phase: 'I' | 'I-II' | 'II' | 'II-III' | 'III' | 'IV';
	status: 'open' | 'suspended' | 'closed';
	/** Days before the demo's day it opened, and closed (closed trials only). */
	openedDaysAgo: number;
	closedDaysAgo?: number;
	criteria: Record<string, unknown>;
	eligibilityText: string;
	sites: { site: string; investigator: string; contact: string; open: boolean }[];
}

const CHU = 'CHU de Démo-sur-Loire (fictif)';
const CLCC = 'Institut régional de cancérologie Démo (fictif)';
const CH = 'Centre hospitalier de Démo-les-Bains (fictif)';
/** Wide enough for the demo's patients to stay within bounds for years. */
const ADULTS = { min: 18, max: 80 };

export const DEMO_TRIALS: readonly DemoTrial[] = [
	{
		acronym: 'RECTOTOTAL',
		title: 'Traitement néoadjuvant total versus radiochimiothérapie seule dans l’adénocarcinome du rectum localement avancé (essai fictif)',
		euCtNumber: '2025-999101-21-00',
		nctId: 'NCT09900101',
		localNumber: null,
		sponsor: 'UNICANCER',
		phase: 'III',
		status: 'open',
		openedDaysAgo: 300,
		criteria: {
			organs: ['MED-251'],
			icd10: ['C20'],
			histology: ['adénocarcinome'],
			stage: { t: { min: 'T3', max: 'T4b' }, m: ['M0'] },
			age: ADULTS,
			performanceStatusMax: 1,
			biomarkers: '',
			lines: { max: 0 }
		},
		eligibilityText: 'Adénocarcinome du moyen ou du bas rectum cT3–T4 ou N+, M0, sans traitement antérieur, OMS 0–1, patient de 18 à 80 ans.',
		sites: [
			{ site: CHU, investigator: 'Dr Julie Bernard', contact: 'ARC : Camille Lefèvre, +33 5 00 00 00 11, essais.digestif@concerto-demo.test', open: true },
			{ site: CLCC, investigator: 'Dr Karim Haddad (fictif)', contact: 'Unité de recherche clinique, +33 5 00 00 00 21', open: true }
		]
	},
	{
		acronym: 'COLOCIRC',
		title: 'Chimiothérapie adjuvante guidée par l’ADN tumoral circulant après résection d’un cancer du côlon de stade II–III (essai fictif)',
		euCtNumber: '2024-999202-33-00',
		nctId: 'NCT09900202',
		localNumber: null,
		sponsor: 'FFCD',
		phase: 'II-III',
		status: 'open',
		openedDaysAgo: 500,
		criteria: {
			organs: ['MED-251'],
			icd10: ['C18', 'C19'],
			histology: ['adénocarcinome'],
			stage: { t: { min: 'T3', max: 'T4b' }, m: ['M0'] },
			age: ADULTS,
			performanceStatusMax: 1,
			biomarkers: 'ADN tumoral circulant dosé 4 à 8 semaines après la chirurgie',
			lines: { max: 0 }
		},
		eligibilityText: 'Adénocarcinome du côlon opérable, stade II à haut risque ou III, OMS 0–1 ; inclusion avant la chirurgie, randomisation sur le dosage post-opératoire.',
		sites: [
			{ site: CHU, investigator: 'Dr Paul Durand', contact: 'ARC : Camille Lefèvre, +33 5 00 00 00 11, essais.digestif@concerto-demo.test', open: true },
			{ site: CH, investigator: 'Dr Sylvie Marchand (fictive)', contact: 'Secrétariat d’oncologie, +33 5 00 00 00 31', open: true }
		]
	},
	{
		acronym: 'NEOPULM',
		title: 'Immunothérapie néoadjuvante et adjuvante dans le cancer bronchique non à petites cellules résécable de stade II à IIIA (essai fictif)',
		euCtNumber: '2025-999303-45-00',
		nctId: null,
		localNumber: null,
		sponsor: 'Intergroupe de cancérologie thoracique Démo (fictif)',
		phase: 'III',
		status: 'open',
		openedDaysAgo: 200,
		criteria: {
			organs: ['MED-255'],
			icd10: ['C34'],
			histology: [],
			stage: { t: { min: 'T2a', max: 'T4' }, n: { max: 'N2' }, m: ['M0'] },
			age: ADULTS,
			performanceStatusMax: 1,
			biomarkers: 'Absence de mutation EGFR et de réarrangement ALK',
			lines: { max: 0 }
		},
		eligibilityText: 'CBNPC résécable de stade II à IIIA, sans traitement antérieur, OMS 0–1, fonction respiratoire compatible avec la chirurgie.',
		sites: [{ site: CHU, investigator: 'Dr Hélène Moreau', contact: 'ARC thoracique : Inès Garnier, +33 5 00 00 00 12, essais.thorax@concerto-demo.test', open: true }]
	},
	{
		acronym: 'DESESCAL-RT',
		title: 'Omission de la radiothérapie après chirurgie conservatrice d’un cancer du sein RH+ HER2− de faible risque chez la femme de 65 ans et plus (essai fictif)',
		euCtNumber: null,
		nctId: 'NCT09900404',
		localNumber: 'DEMO-2025-014',
		sponsor: CHU,
		phase: 'III',
		status: 'open',
		openedDaysAgo: 150,
		criteria: {
			organs: ['76752008'],
			icd10: ['C50'],
			histology: ['carcinome'],
			stage: { t: { max: 'T1c' }, n: { max: 'N0' }, m: ['M0'] },
			age: { min: 65 },
			performanceStatusMax: 2,
			biomarkers: 'Récepteurs hormonaux positifs, HER2 négatif, Ki-67 ≤ 20 %'
		},
		eligibilityText: 'Carcinome infiltrant pT1 N0 RH+ HER2−, marges saines, hormonothérapie prévue ; patiente de 65 ans ou plus.',
		sites: [{ site: CHU, investigator: 'Dr Marc Petit', contact: 'Secrétariat de radiothérapie, +33 5 00 00 00 13', open: true }]
	},
	{
		acronym: 'PANC-INDUCT',
		title: 'Chimiothérapie d’induction intensifiée avant chirurgie de l’adénocarcinome du pancréas borderline (essai fictif)',
		euCtNumber: '2022-999505-12-00',
		nctId: 'NCT09900505',
		localNumber: null,
		sponsor: 'PRODIGE (FFCD, UNICANCER)',
		phase: 'II',
		status: 'closed',
		openedDaysAgo: 1100,
		closedDaysAgo: 90,
		criteria: {
			organs: ['15776009'],
			icd10: ['C25'],
			histology: ['adénocarcinome'],
			stage: { m: ['M0'] },
			age: { min: 18, max: 75 },
			performanceStatusMax: 1,
			biomarkers: '',
			lines: { max: 0 }
		},
		eligibilityText: 'Adénocarcinome du pancréas borderline selon les critères NCCN, OMS 0–1. Inclusions terminées.',
		sites: [{ site: CHU, investigator: 'Dr Paul Durand', contact: 'ARC : Camille Lefèvre, +33 5 00 00 00 11', open: false }]
	}
];
