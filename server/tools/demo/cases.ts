/**
 * The demonstration's patients and their questions: synthetic, clearly fictitious
 * (family names start with "DÉMO-"), medically plausible so that the screens look real.
 */

/** A fiche as the registration form sends it (strings), without identity keys computed later. */
export interface DemoCase {
	board: 'digestive' | 'thoracic';
	familyName: string;
	givenNames: string;
	birthDate: string;
	sex: 'M' | 'F';
	/** Leave the case incomplete on purpose: these fields stay empty. */
	leaveOut?: readonly string[];
	fields: Record<string, string>;
	/** Documents to attach: a report (PDF) and, when set, an image (PNG). */
	report: { title: string; lines: string[] };
	withImage?: boolean;
}

export const DEMO_CASES: readonly DemoCase[] = [
	{
		board: 'digestive',
		familyName: 'DÉMO-ALPHA',
		givenNames: 'Bernard',
		birthDate: '1954-03-18',
		sex: 'M',
		fields: {
			presentationType: 'first-presentation',
			discussionMode: 'discussion',
			question: 'Adénocarcinome du sigmoïde localisé : chirurgie d’emblée ou bilan complémentaire ?',
			organ: 'MED-251',
			tumourSiteCode: 'C18.7',
			tumourSiteLabel: 'Côlon sigmoïde',
			histology: 'Adénocarcinome lieberkühnien moyennement différencié',
			histologyCode: '8140/3',
			clinicalT: 'cT3',
			clinicalN: 'cN1',
			clinicalM: 'cM0',
			performanceStatus: '1',
			discoveryCircumstances: 'Rectorragies, coloscopie de dépistage après test immunologique positif.',
			history: 'Hypertension artérielle traitée.',
			comorbidities: 'Diabète de type 2 équilibré.',
			imagingResults: 'Scanner thoraco-abdomino-pelvien : épaississement sigmoïdien, deux ganglions régionaux, pas de lésion secondaire.',
			pathologyResults: 'Biopsies : adénocarcinome, statut MMR conservé.'
		},
		report: { title: 'Compte rendu de coloscopie (fictif)', lines: ['Lésion bourgeonnante du sigmoïde à 25 cm de la marge anale.', 'Biopsies multiples réalisées.'] },
		withImage: true
	},
	{
		board: 'digestive',
		familyName: 'DÉMO-BRAVO',
		givenNames: 'Monique',
		birthDate: '1961-11-02',
		sex: 'F',
		fields: {
			presentationType: 'first-presentation',
			discussionMode: 'discussion',
			question: 'Adénocarcinome du moyen rectum : radiochimiothérapie néoadjuvante ou traitement néoadjuvant total ?',
			organ: 'MED-251',
			tumourSiteCode: 'C20',
			tumourSiteLabel: 'Rectum',
			histology: 'Adénocarcinome',
			histologyCode: '8140/3',
			clinicalT: 'cT3',
			clinicalN: 'cN2',
			clinicalM: 'cM0',
			performanceStatus: '0',
			discoveryCircumstances: 'Syndrome rectal depuis trois mois.',
			imagingResults: 'IRM pelvienne : tumeur du moyen rectum, fascia mésorectal à 1 mm.',
			pathologyResults: 'Adénocarcinome bien différencié.'
		},
		report: { title: 'Compte rendu d’IRM pelvienne (fictif)', lines: ['Tumeur du moyen rectum classée mrT3c N2.', 'Marge circonférentielle menacée.'] },
		withImage: true
	},
	{
		board: 'digestive',
		familyName: 'DÉMO-CHARLIE',
		givenNames: 'Henri',
		birthDate: '1949-07-25',
		sex: 'M',
		fields: {
			presentationType: 'first-presentation',
			discussionMode: 'discussion',
			question: 'Tumeur de la tête du pancréas borderline : chimiothérapie première puis réévaluation chirurgicale ?',
			organ: '15776009',
			tumourSiteCode: 'C25.0',
			tumourSiteLabel: 'Tête du pancréas',
			histology: 'Adénocarcinome canalaire',
			histologyCode: '8500/3',
			clinicalT: 'cT2',
			clinicalN: 'cN1',
			clinicalM: 'cM0',
			performanceStatus: '1',
			discoveryCircumstances: 'Ictère cutanéo-muqueux indolore.',
			comorbidities: 'Cardiopathie ischémique stentée.',
			imagingResults: 'Scanner : contact veineux mésentérique supérieur inférieur à 180°.'
		},
		report: { title: 'Compte rendu d’écho-endoscopie (fictif)', lines: ['Masse hypoéchogène de la tête du pancréas de 28 mm.', 'Ponction à l’aiguille fine réalisée.'] }
	},
	{
		board: 'digestive',
		familyName: 'DÉMO-DELTA',
		givenNames: 'Yvette',
		birthDate: '1958-01-30',
		sex: 'F',
		fields: {
			presentationType: 'relapse',
			discussionMode: 'discussion',
			question: 'Métastases hépatiques métachrones : résécabilité et place de la chimiothérapie périopératoire ?',
			organ: '303270005',
			tumourSiteCode: 'C78.7',
			tumourSiteLabel: 'Métastases hépatiques d’un cancer colique',
			performanceStatus: '0',
			previousTreatments: 'Colectomie droite en 2023, chimiothérapie adjuvante 6 mois.',
			imagingResults: 'IRM hépatique : trois lésions du foie droit.'
		},
		report: { title: 'Compte rendu d’IRM hépatique (fictif)', lines: ['Trois lésions du foie droit, la plus grande de 32 mm.', 'Foie gauche indemne.'] },
		withImage: true
	},
	{
		board: 'digestive',
		familyName: 'DÉMO-ECHO',
		givenNames: 'Lucien',
		birthDate: '1966-05-14',
		sex: 'M',
		leaveOut: ['tumourSiteCode', 'tumourSiteLabel', 'performanceStatus'],
		fields: {
			presentationType: 'first-presentation',
			discussionMode: 'discussion',
			question: 'Adénocarcinome gastrique : chimiothérapie périopératoire ?',
			organ: '69695003',
			histology: 'Adénocarcinome peu cohésif'
		},
		report: { title: 'Compte rendu de gastroscopie (fictif)', lines: ['Ulcération de l’antre gastrique.', 'Biopsies en attente de relecture.'] }
	},
	{
		board: 'digestive',
		familyName: 'DÉMO-FOXTROT',
		givenNames: 'Odette',
		birthDate: '1972-09-09',
		sex: 'F',
		fields: {
			presentationType: 'end-of-treatment',
			discussionMode: 'registration-only',
			question: 'Fin de traitement adjuvant d’un cancer du côlon stade III : surveillance selon le référentiel.',
			organ: 'MED-251',
			tumourSiteCode: 'C18.2',
			tumourSiteLabel: 'Côlon ascendant',
			performanceStatus: '0',
			previousTreatments: 'Hémicolectomie droite puis FOLFOX 3 mois.'
		},
		report: { title: 'Lettre de fin de traitement (fictive)', lines: ['Chimiothérapie adjuvante terminée, bonne tolérance.', 'Proposition de surveillance.'] }
	},
	{
		board: 'thoracic',
		familyName: 'DÉMO-GOLF',
		givenNames: 'Marcel',
		birthDate: '1952-12-12',
		sex: 'M',
		fields: {
			presentationType: 'first-presentation',
			discussionMode: 'discussion',
			question: 'Adénocarcinome pulmonaire du lobe supérieur droit : lobectomie d’emblée ?',
			organ: 'MED-255',
			tumourSiteCode: 'C34.1',
			tumourSiteLabel: 'Lobe supérieur droit',
			histology: 'Adénocarcinome, TTF1 positif',
			histologyCode: '8140/3',
			clinicalT: 'cT2a',
			clinicalN: 'cN0',
			clinicalM: 'cM0',
			performanceStatus: '1',
			discoveryCircumstances: 'Nodule découvert sur un scanner de dépistage.',
			history: 'Tabagisme sevré (40 paquets-années).',
			imagingResults: 'TEP-TDM : nodule hypermétabolique de 32 mm, pas de fixation ganglionnaire.',
			pathologyResults: 'Biopsie transthoracique : adénocarcinome, PD-L1 10 %.'
		},
		report: { title: 'Compte rendu de TEP-TDM (fictif)', lines: ['Nodule lobaire supérieur droit de 32 mm, SUVmax 8.', 'Pas d’autre foyer hypermétabolique.'] },
		withImage: true
	},
	{
		board: 'thoracic',
		familyName: 'DÉMO-HOTEL',
		givenNames: 'Simone',
		birthDate: '1959-04-04',
		sex: 'F',
		fields: {
			presentationType: 'first-presentation',
			discussionMode: 'discussion',
			question: 'Carcinome épidermoïde stade III non résécable : radiochimiothérapie concomitante puis immunothérapie ?',
			organ: 'MED-255',
			tumourSiteCode: 'C34.3',
			tumourSiteLabel: 'Lobe inférieur gauche',
			histology: 'Carcinome épidermoïde',
			histologyCode: '8070/3',
			clinicalT: 'cT3',
			clinicalN: 'cN2',
			clinicalM: 'cM0',
			performanceStatus: '1',
			imagingResults: 'Adénopathies médiastinales homolatérales.'
		},
		report: { title: 'Compte rendu d’écho-endoscopie bronchique (fictif)', lines: ['Ponction des stations 4L et 7 : positives.'] }
	},
	{
		board: 'thoracic',
		familyName: 'DÉMO-INDIA',
		givenNames: 'Gérard',
		birthDate: '1947-08-21',
		sex: 'M',
		fields: {
			presentationType: 'relapse',
			discussionMode: 'discussion',
			question: 'Progression sous immunothérapie d’un adénocarcinome EGFR non muté : quelle deuxième ligne ? Essai thérapeutique ?',
			organ: 'MED-255',
			tumourSiteCode: 'C34.9',
			tumourSiteLabel: 'Poumon',
			clinicalT: 'cT4',
			clinicalN: 'cN3',
			clinicalM: 'cM1b',
			performanceStatus: '2',
			previousTreatments: 'Carboplatine-pémétrexed-pembrolizumab, 6 cures puis maintenance.',
			molecularResults: 'Pas d’altération ciblable (EGFR, ALK, ROS1, BRAF, KRAS G12C négatifs).'
		},
		report: { title: 'Compte rendu de scanner de réévaluation (fictif)', lines: ['Progression ganglionnaire et apparition d’une lésion surrénalienne.'] },
		withImage: true
	},
	{
		board: 'thoracic',
		familyName: 'DÉMO-JULIETT',
		givenNames: 'Paulette',
		birthDate: '1950-02-15',
		sex: 'F',
		fields: {
			presentationType: 'first-presentation',
			discussionMode: 'discussion',
			question: 'Épaississement pleural avec épanchement : confirmation histologique d’un mésothéliome, quelle stratégie ?',
			organ: '3120008',
			tumourSiteCode: 'C45.0',
			tumourSiteLabel: 'Plèvre',
			histology: 'Mésothéliome épithélioïde',
			histologyCode: '9052/3',
			performanceStatus: '1',
			history: 'Exposition professionnelle à l’amiante (chantiers navals).'
		},
		report: { title: 'Compte rendu de thoracoscopie (fictif)', lines: ['Nodules pleuraux pariétaux diffus, biopsies étagées.'] }
	},
	{
		board: 'thoracic',
		familyName: 'DÉMO-KILO',
		givenNames: 'René',
		birthDate: '1963-10-05',
		sex: 'M',
		leaveOut: ['question', 'performanceStatus'],
		fields: {
			presentationType: 'second-opinion',
			discussionMode: 'discussion',
			organ: 'MED-255',
			tumourSiteCode: 'C34.1',
			tumourSiteLabel: 'Lobe supérieur gauche'
		},
		report: { title: 'Courrier du pneumologue adresseur (fictif)', lines: ['Demande d’avis de recours pour un nodule mixte.'] }
	},
	{
		board: 'thoracic',
		familyName: 'DÉMO-LIMA',
		givenNames: 'Josette',
		birthDate: '1969-06-27',
		sex: 'F',
		fields: {
			presentationType: 'strategy-change',
			discussionMode: 'discussion',
			question: 'Adénocarcinome ALK réarrangé, oligoprogression cérébrale sous inhibiteur : radiothérapie stéréotaxique et poursuite du traitement ?',
			organ: 'MED-255',
			tumourSiteCode: 'C34.2',
			tumourSiteLabel: 'Lobe moyen',
			clinicalT: 'cT2b',
			clinicalN: 'cN2',
			clinicalM: 'cM1c',
			performanceStatus: '1',
			previousTreatments: 'Alectinib depuis 2024.',
			molecularResults: 'Réarrangement ALK.'
		},
		report: { title: 'Compte rendu d’IRM cérébrale (fictif)', lines: ['Deux lésions cérébrales infracentimétriques nouvelles.'] },
		withImage: true
	}
];
