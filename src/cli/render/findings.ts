// The output formats of `scanjobs validate` for CI: SARIF 2.1.0 (code-scanning uploads) and GitHub
// workflow commands (annotations on a pull request's files). Text and JSON stay in validate.ts.
import type * as Sarif from 'sarif';
import { RULE_DOCS } from '../../core/job';
import { ruleHelpUri, PROJECT_HOME } from '../../core/project';
import { LINT_DOCS } from '../../core/queryfilter';
import { VERSION } from '../../core/version';

/** One finding, positions 1-based in UTF-16 code units, the end column just past the last character. */
export interface Finding {
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

const SARIF_LEVEL: Record<string, Sarif.Result.level> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  hint: 'note',
};

/** A repository-relative path as a URI reference: forward slashes, each segment percent-encoded. */
function uriOf(path: string): string {
  return path.split(/[\\/]/).map(encodeURIComponent).join('/');
}

/**
 * SARIF 2.1.0 (OASIS), one run. `cwdUri` is the folder the relative paths start from
 * (`file:///…/`), given as the `%SRCROOT%` base so that a viewer can open the files.
 */
export function toSarif(findings: readonly Finding[], cwdUri: string): Sarif.Log {
  const docs: Record<string, string> = { ...RULE_DOCS, ...LINT_DOCS };
  const ids = [...new Set(findings.map((f) => f.code))].sort();
  const rules: Sarif.ReportingDescriptor[] = ids.map((id) => ({
    id,
    ...(docs[id] ? { shortDescription: { text: docs[id] } } : {}),
    helpUri: ruleHelpUri(id),
  }));
  const index = new Map(ids.map((id, i) => [id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: 'scanjobs', version: VERSION, informationUri: PROJECT_HOME, rules },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: cwdUri.endsWith('/') ? cwdUri : `${cwdUri}/` } },
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: index.get(f.code)!,
          level: SARIF_LEVEL[f.severity] ?? 'note',
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: uriOf(f.path), uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: f.line,
                  startColumn: f.column,
                  endLine: f.endLine,
                  endColumn: f.endColumn,
                },
              },
            },
          ],
        })),
      },
    ],
  };
}

/** Workflow-command escaping: the message (data) and the properties (key=value, comma-separated). */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const GITHUB_COMMAND: Record<string, string> = {
  error: 'error',
  warning: 'warning',
  info: 'notice',
  hint: 'notice',
};

/** One `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message` line per finding. */
export function toGithubAnnotations(findings: readonly Finding[]): string {
  return findings
    .map((f) => {
      const props = [
        `file=${escapeProperty(f.path.replace(/\\/g, '/'))}`,
        `line=${f.line}`,
        `col=${f.column}`,
        `endLine=${f.endLine}`,
        `endColumn=${f.endColumn}`,
        `title=${escapeProperty(`scanjobs ${f.code}`)}`,
      ].join(',');
      return `::${GITHUB_COMMAND[f.severity] ?? 'notice'} ${props}::${escapeData(f.message)}\n`;
    })
    .join('');
}
