// validateJob: every check of a job file, in the order a person fixes them: JSON syntax and
// escapes, the schema, then the semantic rules (cron, schedule, scan, filter, script).
import { parseJobFile, JobDocument } from './document';
import { DecodedFile, encodingDiagnostic } from './encoding';
import { FileAccess, layoutOf } from './layout';
import { schemaDiagnostics } from './schema';
import { findScript } from './script';
import { Rule, RuleContext } from './rules/context';
import { filterRules } from './rules/filter';
import { openidmRules } from './rules/openidm';
import { placementRules } from './rules/placement';
import { scanRules } from './rules/scan';
import { scheduleRules } from './rules/schedule';
import { scriptRules } from './rules/script';
import { scriptThrowRules } from './rules/script-throw';
import { rhinoRules } from './rules/rhino';
import { JobDiagnostic, Platform } from './types';

export interface ValidateInput {
  /** The job file's path (its layout and the base of script references come from it). */
  path: string;
  text: string;
  /** Reads script files beside the job; without it, script files are not checked. */
  files?: FileAccess;
  /** The target platform, when known; a few hints differ (idm-api.md §7). */
  platform?: Platform;
  /** How the file's bytes were decoded, when the caller read them (the CLI); the editor decodes itself. */
  encoding?: Omit<DecodedFile, 'text'>;
  /** A document already parsed from `text`, to save parsing it twice. */
  document?: JobDocument;
}

const RULES: Rule[] = [
  scheduleRules,
  scanRules,
  placementRules,
  filterRules,
  openidmRules,
  scriptRules,
  scriptThrowRules,
  rhinoRules,
];

function byPosition(a: JobDiagnostic, b: JobDiagnostic): number {
  return (a.path ?? '').localeCompare(b.path ?? '') || a.start - b.start || a.end - b.end;
}

export function validateJob(input: ValidateInput): JobDiagnostic[] {
  const doc = input.document ?? parseJobFile(input.text);
  const out: JobDiagnostic[] = [...doc.diagnostics];
  const encoding = input.encoding && encodingDiagnostic(input.encoding);
  if (encoding) out.unshift(encoding);
  if (doc.root && doc.jobs.length === 0 && !doc.diagnostics.length) {
    out.push({
      severity: 'error',
      code: 'not-a-job',
      message:
        'no scheduler job found: expected an object with "invokeService" (or a Frodo export with jobs under "idm")',
      start: doc.root.offset,
      end: doc.root.offset + 1,
    });
  }
  const layout = layoutOf(input.path);
  for (const job of doc.jobs) {
    out.push(...schemaDiagnostics(job));
    const lookup = findScript(doc.text, job, input.path, layout, input.files);
    out.push(...lookup.diagnostics);
    const ctx: RuleContext = {
      text: doc.text,
      job,
      path: input.path,
      layout,
      platform: input.platform,
      script: lookup.script,
      report: (d) => out.push(d),
    };
    for (const rule of RULES) rule(ctx);
  }
  return out.sort(byPosition);
}
