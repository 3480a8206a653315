// The checks mlcroissant (mlcommons/croissant, python/mlcroissant/mlcroissant/_src/structure_graph) makes when it
// loads Croissant 1.0 metadata, reproduced for a test: an error makes mlcroissant refuse the file, a warning
// is printed by its validator. The rule each check follows is named next to it.

type Json = Record<string, unknown>;

/** What mlcroissant's validator would report. */
export interface CroissantIssues {
  errors: string[];
  warnings: string[];
}

/** core/data_types.py EXPECTED_DATA_TYPES, as compact IRIs. */
const DATA_TYPES = new Set([
  'sc:Boolean',
  'sc:Date',
  'sc:DateTime',
  'sc:Float',
  'sc:Integer',
  'sc:Text',
  'sc:Time',
  'sc:URL',
  ...[
    'Float16',
    'Float32',
    'Float64',
    'Int8',
    'Int16',
    'Int32',
    'Int64',
    'UInt8',
    'UInt16',
    'UInt32',
    'UInt64',
  ].map((t) => `cr:${t}`),
]);

/** Properties of cardinality ONE (a list there is a warning: "`x` has cardinality `ONE`, but got a list"). */
const ONE = [
  'name',
  'description',
  'url',
  'version',
  'citeAs',
  'datePublished',
  'contentUrl',
  'contentSize',
  'sha256',
];

/** Source string transforms: at most one per source (nodes/source.py). */
const STRING_TRANSFORMS = ['format', 'jsonPath', 'regex', 'replace', 'separator'];

const present = (v: unknown) =>
  v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
const asList = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : v ? [v as Json] : []);
const idOf = (ref: unknown): string | undefined =>
  ref && typeof ref === 'object' ? ((ref as Json)['@id'] as string | undefined) : undefined;

export function croissantIssues(doc: Json): CroissantIssues {
  const errors: string[] = [];
  const warnings: string[] = [];
  const cardinality = (node: Json, where: string) => {
    for (const key of ONE)
      if (Array.isArray(node[key]))
        warnings.push(`${where}: \`${key}\` has cardinality \`ONE\`, but got a list`);
  };

  // nodes/metadata.py
  if (doc['@type'] !== 'sc:Dataset') errors.push('The root node is not a sc:Dataset');
  if (doc.conformsTo !== 'http://mlcommons.org/croissant/1.0') errors.push('Unknown conformsTo');
  if (typeof doc.name !== 'string' || doc.name === '') errors.push('The name should be a string');
  for (const key of ['citeAs', 'datePublished', 'license', 'version'])
    if (!present(doc[key])) warnings.push(`Property "${key}" is recommended, but does not exist.`);
  const licenses = Array.isArray(doc.license) ? (doc.license as unknown[]) : [doc.license];
  if (
    present(doc.license) &&
    licenses.some((l) => typeof l !== 'string' && (l === null || typeof l !== 'object'))
  )
    errors.push('License should be a list of str or CreativeWork');
  cardinality(doc, 'Dataset');

  // nodes/file_object.py, nodes/file_set.py
  const distribution = asList(doc.distribution);
  const ids = new Set<string>();
  for (const node of distribution) {
    const id = node['@id'] as string | undefined;
    const where = id ?? '(no @id)';
    if (!present(id)) errors.push(`${where}: Property "@id" is mandatory, but does not exist.`);
    else ids.add(id!);
    if (!present(node.encodingFormat)) errors.push(`${where}: Property "encodingFormat" is mandatory`);
    if (node['@type'] === 'cr:FileObject' && !present(node.containedIn)) {
      if (!present(node.contentUrl)) errors.push(`${where}: Property "contentUrl" is mandatory`);
      if (doc.isLiveDataset !== true && !present(node.sha256) && !present(node.md5))
        errors.push(`${where}: At least one of these properties should be defined: ['md5', 'sha256'].`);
    } else if (node['@type'] === 'cr:FileSet') {
      if (!present(node.includes)) errors.push(`${where}: Property "includes" is mandatory`);
    } else if (node['@type'] !== 'cr:FileObject') {
      errors.push(`${where}: a distribution holds FileObjects and FileSets only`);
    }
    cardinality(node, where);
  }

  // nodes/record_set.py, nodes/field.py, nodes/source.py
  for (const recordSet of asList(doc.recordSet)) {
    const rsId = recordSet['@id'] as string | undefined;
    if (!present(rsId)) errors.push('RecordSet: Property "@id" is mandatory, but does not exist.');
    const fieldIds = new Set<string>();
    const sources = new Set<string>();
    const checkField = (field: Json) => {
      const id = field['@id'] as string | undefined;
      const where = id ?? '(no @id)';
      if (!present(id)) errors.push(`${where}: Property "@id" is mandatory, but does not exist.`);
      else fieldIds.add(id!);
      const subFields = asList(field.subField);
      const source = field.source as Json | undefined;
      if (present(field.value) && present(source))
        errors.push(`${where}: defines both \`source\` and \`value\``);
      if (source) {
        const from = idOf(source.fileSet) ?? idOf(source.fileObject) ?? idOf(source.field);
        if (!from || !ids.has(from)) errors.push(`${where}: Node with uuid=${from} does not exist.`);
        else sources.add(from);
        const extract = (source.extract ?? {}) as Json;
        if (!present(extract.column) && !present(extract.jsonPath) && !present(extract.fileProperty))
          errors.push(`${where}: the source extracts nothing`);
        for (const transform of asList(source.transform)) {
          if (STRING_TRANSFORMS.filter((t) => present(transform[t])).length > 1)
            errors.push(`${where}: Too many string transforms.`);
        }
      }
      if (subFields.length === 0) {
        const types = Array.isArray(field.dataType)
          ? (field.dataType as string[])
          : [field.dataType as string];
        if (!types.some((t) => DATA_TYPES.has(t)))
          errors.push(
            `${where}: The field does not specify a valid dataType, neither does any of its predecessor.`,
          );
        if (!source && !present(field.value)) errors.push(`${where}: a field needs a source or a value`);
      }
      cardinality(field, where);
      for (const sub of subFields) checkField(sub);
    };
    for (const field of asList(recordSet.field)) checkField(field);
    // check_joins_in_fields: fields reading two sources need a declared join (`references`).
    if (sources.size > 1)
      errors.push(`${rsId}: sources ${[...sources].sort().join(', ')} used without a join`);
    for (const key of asList(recordSet.key))
      if (!fieldIds.has(idOf(key) ?? ''))
        errors.push(`${rsId}: the key ${idOf(key)} is not one of its fields`);
  }
  return { errors, warnings };
}
