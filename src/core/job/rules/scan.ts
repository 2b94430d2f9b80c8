// Rules on what the task scanner reads from the job: invokeService (idm-api.md §2.1), the
// taskState pointers and recovery.timeout (§5.1, §5.5), and scan.object (§5.1, §7).
import { modify } from 'jsonc-parser';
import { jobNameFromPath } from '../layout';
import type { TextEdit } from '../types';
import { keyRange, rangeOfNode, RuleContext, stringIn, valueIn } from './context';

const EXPANDED = 'org.forgerock.openidm.taskscanner';

function invokeService(ctx: RuleContext): void {
  const field = stringIn(ctx, ['invokeService']);
  if (!field) return;
  const v = field.str.value;
  if (v === 'taskscanner') return;
  const range = rangeOfNode(field.node);
  const fix = [{ title: 'Use "taskscanner"', edits: [{ ...range, newText: '"taskscanner"' }] }];
  if (v === EXPANDED) {
    ctx.report({
      severity: 'info',
      code: 'invoke-service',
      message: `the server adds the 'org.forgerock.openidm.' prefix itself (this is the form it echoes back); send 'taskscanner'`,
      ...range,
      fixes: fix,
    });
  } else if (v.toLowerCase() === 'taskscanner' || v.toLowerCase() === EXPANDED) {
    ctx.report({
      severity: 'error',
      code: 'invoke-service',
      message: `invokeService '${v}' matches no service (the match is case-sensitive): the job fires and only logs "Scheduled service not found". Write 'taskscanner' in lowercase`,
      ...range,
      fixes: fix,
    });
  }
}

/** The draft-02 pointer grammar: segments of percent-encoded characters, no control characters. */
function pointerProblem(p: string): string | undefined {
  if (p.trim() === '') return 'is empty';
  if (/\s/.test(p)) return 'contains white space';
  if (p.includes('${')) return 'contains a macro; taskState fields are not expanded';
  if (/\/\//.test(p) || (p.endsWith('/') && p.length > 1)) return 'has an empty segment';
  if (/%(?![0-9a-fA-F]{2})/.test(p)) return 'has a % that is not followed by two hex digits';
  return undefined;
}

function taskState(ctx: RuleContext): void {
  if (valueIn(ctx, ['invokeContext', 'scan']) === undefined) return;
  const base = ['invokeContext', 'scan', 'taskState'];
  const fields: Record<string, string | undefined> = {};
  for (const which of ['started', 'completed'] as const) {
    const raw = valueIn(ctx, [...base, which]);
    const field = stringIn(ctx, [...base, which]);
    if (raw === undefined) {
      const other = stringIn(ctx, [...base, which === 'started' ? 'completed' : 'started'])?.str.value;
      const pointer = taskStatePointer(ctx, which, other);
      const edits = insertion(ctx, [...base, which], pointer);
      ctx.report({
        severity: 'error',
        code: 'task-state',
        message: `\`scan.taskState.${which}\` is missing: the scanner fails on the first object and aborts that worker`,
        ...keyRange(ctx, valueIn(ctx, base) === undefined ? ['invokeContext', 'scan'] : base),
        fixes: edits && [{ title: `Add "${which}": "${pointer}"`, edits }],
      });
      continue;
    }
    if (!field) {
      ctx.report({
        severity: 'error',
        code: 'task-state',
        message: `\`scan.taskState.${which}\` must be a JSON pointer string such as "/sunset/task-${which}"`,
        ...keyRange(ctx, [...base, which]),
      });
      continue;
    }
    const problem = pointerProblem(field.str.value);
    if (problem) {
      ctx.report({
        severity: 'error',
        code: 'task-state',
        message: `\`scan.taskState.${which}\` is not a JSON pointer: it ${problem}`,
        ...rangeOfNode(field.node),
      });
      continue;
    }
    fields[which] = field.str.value.replace(/^\/?/, '/');
  }
  if (fields.started && fields.started === fields.completed) {
    const completed = stringIn(ctx, [...base, 'completed'])!.node;
    const pointer = taskStatePointer(ctx, 'completed', fields.started);
    ctx.report({
      severity: 'error',
      code: 'task-state',
      message: `\`taskState.started\` and \`taskState.completed\` are the same field (${fields.started}): the scanner clears completed right after it sets started, so no object is ever marked done`,
      ...rangeOfNode(completed),
      fixes: [
        {
          title: `Mark completion in "${pointer}"`,
          edits: [{ ...rangeOfNode(completed), newText: JSON.stringify(pointer) }],
        },
      ],
    });
  }
}

/** The edits that set a field of the job; none when a parent on the way is not an object. */
function insertion(ctx: RuleContext, path: string[], value: unknown): TextEdit[] | undefined {
  try {
    return modify(ctx.text, [...ctx.job.path, ...path], value, {
      formattingOptions: { insertSpaces: true, tabSize: 2 },
    }).map((e) => ({ start: e.offset, end: e.offset + e.length, newText: e.content }));
  } catch {
    return undefined; // e.g. "scan": false: the schema finding says what is wrong there
  }
}

/**
 * A pointer for a task-state field: beside the other one ("/sunset/task-started" gives
 * "/sunset/task-completed"), else under the job's name, as the documentation's jobs do (§5.1).
 */
function taskStatePointer(ctx: RuleContext, which: 'started' | 'completed', other?: string): string {
  const otherWord = which === 'started' ? 'completed' : 'started';
  if (other && new RegExp(`${otherWord}$`).test(other))
    return other.replace(new RegExp(`${otherWord}$`), which);
  if (other?.includes('/', 1)) return `${other.slice(0, other.lastIndexOf('/'))}/task-${which}`;
  const name = (ctx.job.name ?? jobNameFromPath(ctx.path, ctx.layout)).replace(/[^\w-]/g, '-') || 'scan';
  return `/${name}/task-${which}`;
}

/** The timeout the fix writes: the documentation's value, longer than most scripts take on one object. */
const SAFE_TIMEOUT = '10m';

/** `10 minutes`, `2 hrs`: a spelled-out unit has one `<integer><unit>` form. */
const SPELLED_UNIT: [RegExp, string][] = [
  [/^(s|secs?|seconds?)$/i, 's'],
  [/^(m|mins?|minutes?)$/, 'm'], // a lone capital M is months, which Quartz has as a unit
  [/^(mins?|minutes?)$/i, 'm'],
  [/^(h|hrs?|hours?)$/i, 'h'],
  [/^(d|days?)$/i, 'd'],
];

function recoveryFix(v: string): string | undefined {
  const m = /^\s*(\d+)\s*([A-Za-z]+)\s*$/.exec(v);
  const unit = m && SPELLED_UNIT.find(([re]) => re.test(m[2]))?.[1];
  return m && unit ? `${m[1]}${unit}` : undefined;
}

function recoveryTimeout(ctx: RuleContext): void {
  const path = ['invokeContext', 'scan', 'recovery', 'timeout'];
  const raw = valueIn(ctx, path);
  if (raw === undefined) return;
  const field = stringIn(ctx, path);
  const at = field ? rangeOfNode(field.node) : keyRange(ctx, path);
  const v = field?.str.value ?? String(raw);
  const m = /^(-?\d+)([a-zA-Z]*)$/.exec(v);
  if (!field || !m) {
    const fixed = field && recoveryFix(v);
    ctx.report({
      severity: 'error',
      code: 'recovery-timeout',
      message: `\`recovery.timeout\` ${JSON.stringify(raw)} is not <integer><unit> (unit s, m, h, d, M or y), e.g. "10m": the scanner fails to read it`,
      ...at,
      fixes: fixed
        ? [{ title: `Use "${fixed}"`, edits: [{ ...at, newText: JSON.stringify(fixed) }] }]
        : undefined,
    });
    return;
  }
  const unit = m[2];
  if (unit === '' || !/^[smhdMy]$/.test(unit)) {
    ctx.report({
      severity: 'warning',
      code: 'recovery-timeout',
      message: unit
        ? `unknown unit '${unit}' in \`recovery.timeout\`: the scanner treats it as seconds (units: s m h d M y; M is months, m minutes)`
        : `\`recovery.timeout\` has no unit: the scanner treats ${m[1]} as seconds; write "${m[1]}s" to say so`,
      ...at,
    });
  }
}

/** A timeout the scanner reads as no window at all: zero or negative in any unit (§5.5). */
function noWindow(v: unknown): boolean {
  return typeof v === 'string' && /^(-\d+|0+)[a-zA-Z]*$/.test(v);
}

/**
 * §5.5: without `recovery.timeout` (default 0) the claim re-takes any object whose `started` is set and
 * `completed` is not, even one another run is still processing (measured on OpenIDM 6.1.0: docs/emulator.md,
 * "Two runs over the same objects"). Quiet for a malformed value: recovery-timeout reports that one.
 */
function recoveryTimeoutMissing(ctx: RuleContext): void {
  const scan = valueIn(ctx, ['invokeContext', 'scan']);
  if (!scan || typeof scan !== 'object' || Array.isArray(scan)) return;
  const recovery = valueIn(ctx, ['invokeContext', 'scan', 'recovery']);
  if (
    recovery !== undefined &&
    (recovery === null || typeof recovery !== 'object' || Array.isArray(recovery))
  )
    return; // not an object: the schema finding says so
  const timeout = valueIn(ctx, ['invokeContext', 'scan', 'recovery', 'timeout']);
  if (timeout !== undefined && !noWindow(timeout)) return;
  const path = ['invokeContext', 'scan', 'recovery', 'timeout'];
  const field = stringIn(ctx, path);
  let at: { start: number; end: number };
  let edits: TextEdit[] | undefined;
  if (field) {
    at = rangeOfNode(field.node);
    edits = [{ ...at, newText: JSON.stringify(SAFE_TIMEOUT) }];
  } else if (recovery === undefined) {
    at = keyRange(ctx, ['invokeContext', 'scan']);
    edits = insertion(ctx, ['invokeContext', 'scan', 'recovery'], { timeout: SAFE_TIMEOUT });
  } else {
    at = keyRange(ctx, ['invokeContext', 'scan', 'recovery']);
    edits = insertion(ctx, path, SAFE_TIMEOUT);
  }
  const what = field
    ? `\`recovery.timeout\` ${JSON.stringify(field.str.value)} is no window`
    : 'no recovery.timeout';
  ctx.report({
    severity: 'warning',
    code: 'recovery-timeout-missing',
    message: `${what}: a run that overlaps another (a scheduled fire while the last run is still going, another node, Execute during a run) re-claims objects still in progress, so their script runs twice, and a completion that collides with the other run's writes ends that worker's share. Set a timeout longer than the script takes on one object, e.g. "${SAFE_TIMEOUT}"`,
    ...at,
    fixes: edits && [
      {
        title: field ? `Use "${SAFE_TIMEOUT}"` : `Add "recovery": {"timeout": "${SAFE_TIMEOUT}"}`,
        edits,
      },
    ],
  });
}

function scanObject(ctx: RuleContext): void {
  const field = stringIn(ctx, ['invokeContext', 'scan', 'object']);
  if (!field) return;
  const v = field.str.value;
  const range = rangeOfNode(field.node);
  const m = /^(managed|system)\/([^/\s]+)(\/[^/\s]+)?$/.exec(v);
  if (!m || v.includes('${')) {
    ctx.report({
      severity: 'error',
      code: 'scan-object',
      message: `\`scan.object\` '${v}' is not a managed or system resource path such as managed/alpha_user (AIC), managed/user (IDM) or system/ldap/account`,
      ...range,
    });
    return;
  }
  if (m[1] === 'managed' && /^realm-name_|^<realm>_|^REALM_/i.test(m[2])) {
    ctx.report({
      severity: 'error',
      code: 'scan-object',
      message: `'${v}' is the documentation's placeholder: replace 'realm-name' with the realm, e.g. managed/alpha_user`,
      ...range,
      fixes: [
        {
          title: 'Use managed/alpha_user',
          edits: [{ ...range, newText: JSON.stringify(v.replace(/^managed\/[^_]+_/, 'managed/alpha_')) }],
        },
      ],
    });
    return;
  }
  const bare =
    m[1] === 'managed' &&
    ['user', 'role', 'group', 'organization', 'application', 'assignment'].includes(m[2]);
  // A conf/schedule-*.json file belongs to a self-hosted IDM project.
  const platform = ctx.platform ?? (ctx.layout === 'idm-conf' ? 'idm' : undefined);
  if (bare && platform !== 'idm' && platform !== 'openidm') {
    ctx.report({
      severity: platform === 'aic' ? 'warning' : 'info',
      code: 'scan-object-realm',
      message: `in PingOne AIC managed objects carry the realm as a prefix (managed/alpha_${m[2]}, managed/bravo_${m[2]}); '${v}' exists only in self-hosted IDM`,
      ...range,
      fixes: [
        {
          title: `Use managed/alpha_${m[2]}`,
          edits: [{ ...range, newText: JSON.stringify(`managed/alpha_${m[2]}`) }],
        },
      ],
    });
  }
}

export function scanRules(ctx: RuleContext): void {
  invokeService(ctx);
  taskState(ctx);
  recoveryTimeout(ctx);
  recoveryTimeoutMissing(ctx);
  scanObject(ctx);
}
