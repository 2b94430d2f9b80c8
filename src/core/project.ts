// Where the project is published. One place for the links that leave the product: the extension
// manifest's homepage/repository/bugs (checked equal by test/unit/project.test.ts), SARIF help links,
// and the job schema's stable `$id`.

export const PROJECT_HOME = 'https://github.com/scanjobs/scanjobs';

/** The job schema's `$id`: a stable address other editors resolve through `$schema`. */
export const JOB_SCHEMA_ID =
  'https://raw.githubusercontent.com/scanjobs/scanjobs/main/schemas/scan-job.schema.json';

/**
 * The published page of one diagnostic code: docs/rules.md has a heading per code (the query-filter
 * lints under "Query-filter lints"), and the repository host anchors headings by their text.
 */
export function ruleHelpUri(code: string): string {
  return `${PROJECT_HOME}/blob/main/docs/rules.md#${code.toLowerCase()}`;
}
