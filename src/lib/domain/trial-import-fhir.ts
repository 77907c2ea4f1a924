/**
 * A FHIR R4 Bundle of ResearchStudy resources (the national trials base's API) read as
 * directory trials. What a ResearchStudy cannot say (cTNM ranges, performance status,
 * histology) stays empty for an editor to fill in; keywords go to the eligibility text,
 * because loose keywords would make the pre-screening refuse cases they do not concern.
 */
import { checkIcd10 } from './identifiers.ts';
import { EU_CT_NUMBER, NCT_ID, type TrialInput, type TrialPhase, type TrialStatus } from './trial.ts';
import { checkTrial, duplicateProblems, MAX_IMPORT_TRIALS, type ImportProblem, type TrialImport } from './trial-import-rows.ts';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const array = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);
const str = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** ResearchStudy.status (R4) → the directory's status: only "active" recruits. */
const STATUSES: Record<string, TrialStatus> = {
	active: 'open',
	'temporarily-closed-to-accrual': 'suspended',
	'temporarily-closed-to-accrual-and-intervention': 'suspended',
	// Approved or under review: not recruiting yet.
	approved: 'suspended',
	'in-review': 'suspended',
	'closed-to-accrual': 'closed',
	'closed-to-accrual-and-intervention': 'closed',
	completed: 'closed',
	'administratively-completed': 'closed',
	disapproved: 'closed',
	withdrawn: 'closed'
};

/** research-study-phase codes → TRIAL_PHASES; n-a has no phase. */
const PHASES: Record<string, TrialPhase | null> = {
	'n-a': null,
	'early-phase-1': 'I',
	'phase-1': 'I',
	'phase-1-phase-2': 'I-II',
	'phase-2': 'II',
	'phase-2-phase-3': 'II-III',
	'phase-3': 'III',
	'phase-4': 'IV'
};

const ICD10_SYSTEMS = /icd-?10|2\.16\.840\.1\.113883\.6\.3$|cim-?10/i;
const AGE_CODES = new Set(['30525-0', '424144002', '397669002', 'age']);

/** The EU CT number, NCT and local number among a study's identifiers. */
function identifiers(list: Json[]) {
	let euCtNumber = '';
	let nctId = '';
	let localNumber = '';
	for (const identifier of list) {
		const system = str(identifier.system).toLowerCase();
		const value = str(identifier.value);
		if (!value) continue;
		if (!nctId && (/clinicaltrials\.gov/.test(system) || NCT_ID.test(value.toUpperCase()))) nctId = value;
		else if (!euCtNumber && (/clinicaltrialsregister\.eu|euclinicaltrials|ctis|eudract/.test(system) || EU_CT_NUMBER.test(value))) euCtNumber = value;
		else if (!localNumber) localNumber = value;
	}
	return { euCtNumber, nctId, localNumber };
}

/** Resolves a Reference to a contained resource (#id) or an entry of the Bundle (fullUrl or Type/id). */
function resolver(bundle: Map<string, Json>, study: Json) {
	const contained = new Map(array(study.contained).map((r) => [`#${str(r.id)}`, r]));
	return (reference: unknown): Json | undefined => {
		if (!isObject(reference)) return undefined;
		const ref = str(reference.reference);
		return contained.get(ref) ?? bundle.get(ref);
	};
}

const nameOf = (resource: Json | undefined, reference: unknown) => str(resource?.name) || (isObject(reference) ? str(reference.display) : '');
const day = (value: unknown) => str(value).slice(0, 10);

/** The age bounds of the enrolled Group's characteristics, in years, when it says them. */
function ageBounds(groups: (Json | undefined)[]): { min?: number; max?: number } {
	for (const group of groups) {
		for (const characteristic of array(group?.characteristic)) {
			if (characteristic.exclude === true) continue;
			const code = isObject(characteristic.code) ? characteristic.code : {};
			const isAge = array(code.coding).some((c) => AGE_CODES.has(str(c.code))) || /\bage\b|âge/i.test(str(code.text));
			const range = characteristic.valueRange;
			if (!isAge || !isObject(range)) continue;
			const value = (q: unknown) => (isObject(q) && typeof q.value === 'number' ? q.value : undefined);
			return { min: value(range.low), max: value(range.high) };
		}
	}
	return {};
}

/** One ResearchStudy as the object TrialInput reads, with problems TrialInput cannot see. */
function studyToInput(study: Json, resolve: (reference: unknown) => Json | undefined, line: number) {
	const problems: ImportProblem[] = [];
	const status = str(study.status);
	const phaseCode = array(isObject(study.phase) ? study.phase.coding : []).map((c) => str(c.code))[0] ?? '';
	if (phaseCode && !(phaseCode in PHASES)) problems.push({ line, field: 'phase', message: `Phase inconnue : ${phaseCode}` });
	const icd10: string[] = [];
	for (const condition of array(study.condition)) {
		for (const coding of array(condition.coding)) {
			if (!ICD10_SYSTEMS.test(str(coding.system))) continue;
			const checked = checkIcd10(str(coding.code));
			if (checked.ok) icd10.push(checked.value);
			else problems.push({ line, field: 'condition', message: `${str(coding.code)} : ${checked.reason}` });
		}
	}
	const sites = array(study.site).map((reference) => ({ site: nameOf(resolve(reference), reference) }));
	// The study's investigator and contact belong to its one site; with several, each site's are unknown.
	const investigator = isObject(study.principalInvestigator) ? str(study.principalInvestigator.display) : '';
	const contact = array(study.contact).flatMap((c) => [str(c.name), ...array(c.telecom).map((t) => str(t.value))]).filter(Boolean).join(', ');
	const keywords = array(study.keyword).map((k) => str(k.text) || str(array(k.coding)[0]?.display)).filter(Boolean);
	const period = isObject(study.period) ? study.period : {};
	const input = {
		title: str(study.title),
		...identifiers(array(study.identifier)),
		sponsor: nameOf(resolve(study.sponsor), study.sponsor),
		phase: phaseCode ? (PHASES[phaseCode] ?? '') : '',
		status: STATUSES[status] ?? status,
		openedAt: day(period.start),
		closedAt: day(period.end),
		sites: sites.filter((s) => s.site).map((s) => (sites.length === 1 ? { ...s, investigator, contact } : s)),
		eligibilityText: [str(study.description), keywords.length ? `Mots-clés : ${keywords.join(', ')}` : ''].filter(Boolean).join('\n\n'),
		criteria: { icd10: [...new Set(icd10)], age: ageBounds(array(study.enrollment).map(resolve)) }
	};
	return { input, problems };
}

/** The FHIR element a TrialInput issue concerns. */
function elementOf(path: readonly PropertyKey[]): string {
	const [head, ...rest] = path.filter((p) => typeof p === 'string');
	const elements: Record<string, string> = {
		title: 'title', acronym: 'title', euCtNumber: 'identifier', nctId: 'identifier', localNumber: 'identifier', sponsor: 'sponsor',
		phase: 'phase', status: 'status', openedAt: 'period.start', closedAt: 'period.end', sites: 'site', eligibilityText: 'description'
	};
	if (head === 'criteria') return rest[0] === 'icd10' ? 'condition' : 'enrollment';
	return elements[String(head)] ?? String(head ?? 'ResearchStudy');
}

/** Reads a FHIR R4 Bundle (JSON) of ResearchStudy resources; other resources may be there to be referenced. */
export function readFhirBundle(text: string): TrialImport {
	let bundle: unknown;
	try {
		bundle = JSON.parse(text);
	} catch {
		return { ok: false, problems: [{ line: 1, field: '', message: 'JSON illisible' }] };
	}
	if (!isObject(bundle) || bundle.resourceType !== 'Bundle') {
		return { ok: false, problems: [{ line: 1, field: 'resourceType', message: 'Un Bundle FHIR R4 est attendu' }] };
	}
	const entries = array(bundle.entry);
	const byReference = new Map<string, Json>();
	for (const entry of entries) {
		const resource = isObject(entry.resource) ? entry.resource : undefined;
		if (!resource) continue;
		if (str(entry.fullUrl)) byReference.set(str(entry.fullUrl), resource);
		byReference.set(`${str(resource.resourceType)}/${str(resource.id)}`, resource);
	}
	const problems: ImportProblem[] = [];
	const trials: { line: number; trial: TrialInput }[] = [];
	entries.forEach((entry, index) => {
		const resource = isObject(entry.resource) ? entry.resource : undefined;
		if (resource?.resourceType !== 'ResearchStudy') return;
		const line = index + 1;
		const { input, problems: own } = studyToInput(resource, resolver(byReference, resource), line);
		const checked = checkTrial(line, input, elementOf);
		problems.push(...own);
		if ('trial' in checked) trials.push({ line, trial: checked.trial });
		else problems.push(...checked.problems);
	});
	if (trials.length + problems.length === 0) return { ok: false, problems: [{ line: 1, field: 'entry', message: 'Le Bundle ne contient aucune ResearchStudy' }] };
	if (trials.length > MAX_IMPORT_TRIALS) return { ok: false, problems: [{ line: 1, field: 'entry', message: `${MAX_IMPORT_TRIALS} essais au plus par fichier` }] };
	problems.push(...duplicateProblems(trials, { euCtNumber: 'identifier', nctId: 'identifier', localNumber: 'identifier' }));
	if (problems.length) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
	return { ok: true, format: 'fhir', trials: trials.map((t) => t.trial), lines: trials.map((t) => t.line) };
}
