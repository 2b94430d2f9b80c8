// Schema validation of a job (schemas/scan-job.schema.json, built from idm-api.md §2.1 and §5.1)
// with ajv; each error is mapped back to the range of the node it is about. Unknown fields are
// warnings: the platform keeps extra fields and ignores them.
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { Node } from 'jsonc-parser';
import schema from '../../../schemas/scan-job.schema.json';
import { JobEntry, JsonPath, keyOf, nodeAt } from './document';
import { JobDiagnostic } from './types';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  // strict: false lets ajv ignore the editor-only keywords (markdownDescription, defaultSnippets).
  compiled ??= new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
  return compiled;
}

export { schema as jobSchema };

const KNOWN: Record<string, string[]> = {
  '': Object.keys(schema.properties),
  '/invokeContext': Object.keys(schema.definitions.taskScannerContext.properties),
};

function pointerPath(instancePath: string): JsonPath {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function label(instancePath: string): string {
  return instancePath ? `\`${pointerPath(instancePath).join('.')}\`` : 'the job';
}

/** The key node when there is one (an error "about" a field reads best on its name). */
function rangeOf(node: Node | undefined, fallback: Node, preferKey: boolean): { start: number; end: number } {
  const n = node ?? fallback;
  const key = preferKey ? keyOf(n) : undefined;
  const target = key ?? n;
  if (!key && (n.type === 'object' || n.type === 'array')) return { start: n.offset, end: n.offset + 1 };
  return { start: target.offset, end: target.offset + target.length };
}

function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(
        dp[j] + 1,
        dp[j - 1] + 1,
        prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1),
      );
      prev = tmp;
    }
  }
  return dp[b.length];
}

function suggestion(name: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(name, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best && bestD <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

function toDiagnostic(e: ErrorObject, job: JobEntry): JobDiagnostic | undefined {
  const node = nodeAt(job.node, pointerPath(e.instancePath));
  const where = label(e.instancePath);
  switch (e.keyword) {
    case 'required': {
      const field = (e.params as { missingProperty: string }).missingProperty;
      const why =
        field === 'schedule'
          ? ': a cron job (the default type) needs a Quartz cron expression, or set "type": "simple"'
          : field === 'invokeContext'
            ? ': the task scanner needs `scan` and `task`'
            : '';
      return {
        severity: 'error',
        code: 'schema-required',
        message: `${where} is missing required field \`${field}\`${why}`,
        ...rangeOf(node, job.node, true),
      };
    }
    case 'additionalProperties': {
      const field = (e.params as { additionalProperty: string }).additionalProperty;
      const fieldNode = nodeAt(node, [field]);
      const keyNode = fieldNode ? keyOf(fieldNode) : undefined;
      const near = suggestion(field, KNOWN[e.instancePath] ?? []);
      const range = keyNode
        ? { start: keyNode.offset, end: keyNode.offset + keyNode.length }
        : rangeOf(node, job.node, true);
      return {
        severity: 'warning',
        code: 'unknown-field',
        message: `unknown field \`${field}\` in ${where}: the platform keeps it but does nothing with it${near ? `; did you mean \`${near}\`?` : ''}`,
        ...range,
        fixes:
          near && keyNode
            ? [{ title: `Rename to "${near}"`, edits: [{ ...range, newText: JSON.stringify(near) }] }]
            : undefined,
      };
    }
    case 'anyOf':
      if (e.schemaPath.includes('/scan/')) {
        return {
          severity: 'error',
          code: 'schema-required',
          message:
            // The platform's behaviour (idm-api.md §5.2); the message describes it without the internal citation.
            '`scan` has no query: add `_queryFilter` (or a legacy `_queryId` / `_queryExpression`); the scanner builds its query from it',
          ...rangeOf(node, job.node, true),
        };
      }
      if (e.schemaPath.includes('/script/')) {
        return {
          severity: 'error',
          code: 'schema-required',
          message: '`task.script` needs `source` (the script text) or `file` (a script file beside the job)',
          ...rangeOf(node, job.node, true),
        };
      }
      return undefined;
    case 'type':
    case 'enum':
    case 'const':
    case 'pattern':
    case 'minimum':
    case 'minLength': {
      const value = pointerPath(e.instancePath).reduce<unknown>(
        (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
        job.value,
      );
      let message: string;
      if (e.keyword === 'enum') {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map((v) =>
          JSON.stringify(v),
        );
        message = `${where} must be one of ${allowed.join(', ')}; found ${JSON.stringify(value)}`;
      } else if (e.keyword === 'type') {
        const t = (e.params as { type: string | string[] }).type;
        const types = (Array.isArray(t) ? t : String(t).split(',')).join(' or ');
        message = `${where} must be ${types}; found ${describeType(value)}`;
      } else if (e.keyword === 'pattern') {
        message = `${where} must be a date-time like 2027-01-31T02:00:00, optionally ending in Z or +hh:mm; found ${JSON.stringify(value)}`;
      } else if (e.keyword === 'minLength') {
        message = `${where} must not be empty`;
      } else {
        message = `${where} ${e.message ?? 'is invalid'}`;
      }
      const range = rangeOf(node, job.node, false);
      // A value that differs from an allowed one only in case ("Cron") has one sensible fix.
      const allowed = e.keyword === 'enum' ? (e.params as { allowedValues: unknown[] }).allowedValues : [];
      const meant =
        typeof value === 'string'
          ? allowed.filter((a) => typeof a === 'string' && a.toLowerCase() === value.toLowerCase())
          : [];
      return {
        severity: 'error',
        code: 'schema-value',
        message,
        ...range,
        fixes:
          meant.length === 1 && node
            ? [
                {
                  title: `Use ${JSON.stringify(meant[0])}`,
                  edits: [
                    { start: node.offset, end: node.offset + node.length, newText: JSON.stringify(meant[0]) },
                  ],
                },
              ]
            : undefined,
      };
    }
    default:
      return undefined; // `if` and the like only explain the errors above
  }
}

/** Schema diagnostics for one job of a parsed file. */
export function schemaDiagnostics(job: JobEntry): JobDiagnostic[] {
  const validate = validator();
  if (validate(job.value)) return [];
  const errors = validate.errors ?? [];
  const typeErrorAt = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const out: JobDiagnostic[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    // A union type (boolean or "true"/"false") fails both `type` and `enum`: say it once.
    if (e.keyword === 'enum' && typeErrorAt.has(e.instancePath)) continue;
    // The script's `anyOf` branches each report a missing field; the anyOf error says it better.
    if (e.keyword === 'required' && e.schemaPath.includes('/anyOf/')) continue;
    // Missing taskState pointers are reported by the task-state rule, with what goes wrong at run time.
    if (
      e.keyword === 'required' &&
      /\/taskState(\/|$)/.test(
        `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`,
      )
    )
      continue;
    const d = toDiagnostic(e, job);
    if (!d) continue;
    // One finding per value: a union type and a conditional schema can both reject it.
    const key = d.code === 'schema-value' ? `${d.code}:${d.start}` : `${d.code}:${d.start}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}
