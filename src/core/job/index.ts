// Job files: parsing, checks, Quartz cron, layouts and script moves (DESIGN.md core/job).
export type { JobDiagnostic, Fix, TextEdit, Severity, JobLayout, Platform } from './types';
export { PLATFORMS } from './types';
export { parseJobFile, type JobDocument, type JobEntry, type JsonPath } from './document';
export { JsonString } from './json-string';
export { validateJob, type ValidateInput } from './validate';
export { scriptFindings, type ScriptFindingsInput } from './script-findings';
export {
  isJobFile,
  jobNameFromPath,
  layoutOf,
  resolveScriptPath,
  JOB_SCHEMA_FILE_PATTERNS,
  type FileAccess,
  type ScriptPath,
} from './layout';
export { nodeFileAccess, readJobFile } from './file-access';
export { decodeJobFile, encodingName, type DecodedFile, type FileEncoding } from './encoding';
export {
  PULL_LAYOUTS,
  PULL_LAYOUT_GLOBS,
  jobForFile,
  pullBaseOf,
  pulledJobFile,
  type PullLayout,
} from './pull-layout';
export {
  resolveJob,
  extractScript,
  inlineScript,
  applyTextEdits,
  type LayoutInput,
  type LayoutResult,
} from './script-layout';
export { checkCron, cronFix, nextFireTimes, describeCron, type CronProblem } from './cron';
export { jobSchema } from './schema';
export { RULE_DOCS } from './rules/docs';
export { SCRIPT_TYPES_PATH, jsconfigWithScriptTypes, type JsconfigResult } from './script-types';
