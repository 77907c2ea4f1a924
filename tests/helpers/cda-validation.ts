/**
 * Checks a CDA document the way the CI-SIS does, for the tests of the fiche RCP and PPS
 * exports: the CDA schema with `xmllint`, and an ANS schematron with node-schematron.
 *
 * node-schematron resolves the includes but not the rest of what the ANS schematrons rely
 * on: on its own, the value-set patterns (`is-a="dansJeuDeValeurs"`) come out with no rule
 * and pass anything, the `<let>`s of the pattern "variables" (paths of the value-set
 * files) are not seen by the other patterns, and XSLT's `document()` does not exist.
 * `loadSchematron` does what an ISO Schematron processor does first: instantiates the
 * abstract patterns with their `<param>`s, makes those `<let>`s global (as the reference
 * XSLT implementation does), and gives `document()` the value-set files; it also anchors
 * absolute rule contexts on the document node, which selects the same nodes without
 * node-schematron's quadratic search.
 *
 * Tests may read the standards folder; the app never does.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// Default imports: both packages are CommonJS, whose named exports Node (and Playwright's
// loader, for the browser tests) do not see; Vite does either way.
import fontoxpath from 'fontoxpath';
import schematron from 'node-schematron';
import { parseXmlDocument, type Document, type Element } from 'slimdom';

const { evaluateXPathToNodes, evaluateXPathToString, evaluateXPathToStrings, registerCustomXPathFunction } = fontoxpath;
const { Schema } = schematron;
type Schema = InstanceType<typeof Schema>;

/** The ANS material: schema, schematrons, value sets, examples. */
export const STANDARDS = join(import.meta.dirname, '../../../shared/standards/ans-cda-frcp');
const SCHEMA = join(STANDARDS, 'infrastructure/cda/CDA_extended.xsd');
const SCHEMATRONS = join(STANDARDS, 'schematrons');

/** xmllint's exit status and its messages on one file, against CDA_extended.xsd. */
export function xmllint(path: string): { status: number | null; output: string } {
	const run = spawnSync('/usr/bin/xmllint', ['--noout', '--schema', SCHEMA, path], { encoding: 'utf8' });
	return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const NAMESPACES: Record<string, string> = { cda: 'urn:hl7-org:v3', xsi: 'http://www.w3.org/2001/XMLSchema-instance' };
const namespaceResolver = (prefix: string) => NAMESPACES[prefix] ?? null;

/** XPath over a CDA document, with the prefix `cda`. */
export function query(xml: string) {
	const doc = parseXmlDocument(xml);
	return {
		doc,
		strings: (path: string) => evaluateXPathToStrings(path, doc, null, null, { namespaceResolver }),
		string: (path: string) => evaluateXPathToString(path, doc, null, null, { namespaceResolver }),
		count: (path: string) => evaluateXPathToNodes(path, doc, null, null, { namespaceResolver }).length
	};
}

const SCH = 'http://purl.oclc.org/dsdl/schematron';
const schChildren = (node: Element, name: string) => node.children.filter((child) => child.namespaceURI === SCH && child.localName === name);

const valueSetFiles = new Map<string, Document>();
let documentFunctionRegistered = false;
/** XSLT's document(), for the value-set files the schematrons name relative to themselves. */
function registerDocumentFunction(): void {
	if (documentFunctionRegistered) return;
	documentFunctionRegistered = true;
	registerCustomXPathFunction(
		{ namespaceURI: 'http://www.w3.org/2005/xpath-functions', localName: 'document' },
		['xs:string?'],
		'document-node()?',
		(_, href: string | null) => {
			if (href === null) return null;
			const path = join(SCHEMATRONS, href);
			if (!valueSetFiles.has(path)) valueSetFiles.set(path, parseXmlDocument(readFileSync(path, 'utf8')));
			return valueSetFiles.get(path);
		}
	);
}

/** Writes the abstract pattern's rules into the pattern that instantiates it, `$param`s replaced. */
function instantiate(pattern: Element, abstract: Element): void {
	const params = schChildren(pattern, 'param')
		.map((param) => [param.getAttribute('name') ?? '', param.getAttribute('value') ?? ''] as const)
		.sort(([a], [b]) => b.length - a.length);
	for (const rule of schChildren(abstract, 'rule')) {
		const copy = rule.cloneNode(true) as Element;
		for (const element of [copy, ...Array.from(copy.getElementsByTagNameNS('*', '*'))]) {
			for (const { name, value } of Array.from(element.attributes)) {
				const replaced = params.reduce(
					(text, [param, replacement]) => text.replace(new RegExp(`\\$${param}(?![\\w.-])`, 'g'), () => replacement),
					value
				);
				element.setAttribute(name, replaced);
			}
		}
		pattern.appendChild(copy);
	}
	pattern.removeAttribute('is-a');
}

/** One of the ANS schematrons (`CI-SIS_CANCER-FRCP_2022.01`, `CI-SIS_CANCER-PPS_2022.01`), made runnable. */
export function loadSchematron(name: string): Schema {
	registerDocumentFunction();
	const doc = parseXmlDocument(readFileSync(join(SCHEMATRONS, `${name}.sch`), 'utf8'));
	const root = doc.documentElement as Element;
	for (const include of schChildren(root, 'include')) {
		const included = parseXmlDocument(readFileSync(join(SCHEMATRONS, include.getAttribute('href') ?? ''), 'utf8'));
		root.replaceChild(included.documentElement as Element, include);
	}
	const patterns = schChildren(root, 'pattern');
	const abstracts = new Map(patterns.filter((p) => p.getAttribute('abstract') === 'true').map((p) => [p.getAttribute('id'), p]));
	for (const pattern of patterns.filter((p) => p.hasAttribute('is-a'))) {
		const abstract = abstracts.get(pattern.getAttribute('is-a'));
		if (!abstract) throw new Error(`abstract pattern not found: ${pattern.getAttribute('is-a')}`);
		instantiate(pattern, abstract);
	}
	for (const abstract of abstracts.values()) root.removeChild(abstract);
	// node-schematron finds a rule's nodes with `//(context)`: an absolute context is then
	// evaluated from every node of the document (some 20 s per example). Anchored on the
	// document node it selects the same nodes, from one place.
	for (const rule of Array.from(root.getElementsByTagNameNS(SCH, 'rule'))) {
		const context = rule.getAttribute('context') ?? '';
		if (/^\/[^/]/.test(context)) rule.setAttribute('context', `self::document-node()${context}`);
	}
	for (const pattern of schChildren(root, 'pattern')) {
		for (const variable of schChildren(pattern, 'let')) root.insertBefore(variable, pattern);
	}
	return Schema.fromDom(doc);
}

/** The failed asserts of a phase, as one line each. */
export const failedAsserts = (schema: Schema, phaseId: string, xml: string): string[] =>
	schema.validateString(xml, { phaseId }).map((result) => (result.message ?? '').replace(/\s+/g, ' ').trim());
