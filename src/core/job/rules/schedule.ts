// Trigger rules: the cron expression (idm-api.md §3.3), a simple job without startTime
// (§2.3), and concurrentExecution that cannot work without waitForCompletion (§5.9).
import { modify } from 'jsonc-parser';
import { checkCron, cronFix } from '../cron';
import { parseCron, DAY_NAMES } from '../cron/parse';
import { flag, keyRange, nodeIn, rangeOfNode, RuleContext, stringIn, valueIn } from './context';

function cronRules(ctx: RuleContext): void {
  const field = stringIn(ctx, ['schedule']);
  if (!field) return;
  const expr = field.str.value;
  if (expr.trim() === '') return; // the schema reports an empty schedule
  const fixed = cronFix(expr);
  for (const p of checkCron(expr)) {
    ctx.report({
      severity: 'error',
      code: 'cron-invalid',
      message: `Quartz cron: ${p.message}`,
      ...field.str.rangeOf(p.start, Math.max(p.end, p.start + 1)),
      fixes:
        fixed === undefined
          ? undefined
          : [
              {
                title: `Use '${fixed}'`,
                edits: [{ ...rangeOfNode(field.node), newText: JSON.stringify(fixed) }],
              },
            ],
    });
  }
  // AIC documents a known issue where day-of-week 1 is read as Monday: names are unambiguous.
  const dow = parseCron(expr).fields[5];
  if (dow && /\d/.test(dow.text) && checkCron(expr).length === 0) {
    const named = dow.text.replace(
      /(^|[,-])(\d)(?=$|[-,L#/])/g,
      (m, sep: string, d: string) => sep + DAY_NAMES[Number(d) - 1],
    );
    const range = field.str.rangeOf(dow.start, dow.start + dow.text.length);
    ctx.report({
      severity: 'info',
      code: 'cron-numeric-day-of-week',
      message: `day-of-week '${dow.text}' is numeric: in Quartz 1 is Sunday, and AIC documents a known issue reading 1 as Monday; names (${named}) are unambiguous`,
      ...range,
      fixes:
        named !== dow.text
          ? [{ title: `Use day names (${named})`, edits: [{ ...range, newText: named }] }]
          : undefined,
    });
  }
}

function simpleWithoutStart(ctx: RuleContext): void {
  if (valueIn(ctx, ['type']) !== 'simple') return;
  if (!flag(valueIn(ctx, ['enabled']), true)) return;
  const start = valueIn(ctx, ['startTime']);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 11) + '02:00:00Z';
  if (typeof start === 'string' && start !== '') {
    // "Absent or past means start now" (idm-api.md §2.1). Without an offset the time is read in the
    // job's or the server's zone, so only a time past by more than any zone's offset (14 h) is surely past.
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(Z|[+-]\d{2}:\d{2})?$/.exec(start);
    if (!m) return; // the schema reports the format
    const at = Date.parse(`${m[1]}${m[2] ?? 'Z'}`);
    const slack = m[2] ? 0 : 14 * 3_600_000;
    if (!(at + slack < Date.now())) return;
    const node = nodeIn(ctx, ['startTime'])!;
    ctx.report({
      severity: 'warning',
      code: 'simple-runs-on-push',
      message: `\`startTime\` ${start} is in the past, so this simple job fires as soon as it is pushed, and again on every push: set a future \`startTime\``,
      ...rangeOfNode(node),
      fixes: [
        { title: `Use "${tomorrow}"`, edits: [{ ...rangeOfNode(node), newText: JSON.stringify(tomorrow) }] },
      ],
    });
    return;
  }
  const typeNode = nodeIn(ctx, ['type'])!;
  const inserted = modify(ctx.text, [...ctx.job.path, 'startTime'], tomorrow, {
    formattingOptions: { insertSpaces: true, tabSize: 2 },
  });
  ctx.report({
    severity: 'warning',
    code: 'simple-runs-on-push',
    message:
      'a simple job without `startTime` fires as soon as it is pushed, and again on every push (an update re-creates its trigger): set a future `startTime` or use a cron schedule',
    ...rangeOfNode(typeNode),
    fixes: [
      {
        title: `Add "startTime": "${tomorrow}"`,
        edits: inserted.map((e) => ({ start: e.offset, end: e.offset + e.length, newText: e.content })),
      },
    ],
  });
}

function concurrentWithoutWait(ctx: RuleContext): void {
  const concurrent = valueIn(ctx, ['concurrentExecution']);
  if (concurrent === undefined || flag(concurrent, false)) return;
  if (flag(valueIn(ctx, ['invokeContext', 'waitForCompletion']), false)) return;
  const wait = nodeIn(ctx, ['invokeContext', 'waitForCompletion']);
  const edits = modify(ctx.text, [...ctx.job.path, 'invokeContext', 'waitForCompletion'], true, {
    formattingOptions: { insertSpaces: true, tabSize: 2 },
  });
  ctx.report({
    severity: 'warning',
    code: 'concurrent-execution-ineffective',
    message:
      '`concurrentExecution: false` does not stop overlapping scans while `invokeContext.waitForCompletion` is false: the job returns as soon as the scan thread starts. Set `waitForCompletion: true` for real mutual exclusion',
    ...keyRange(ctx, ['concurrentExecution']),
    fixes: [
      {
        title: wait ? 'Set waitForCompletion to true' : 'Add "waitForCompletion": true',
        edits: edits.map((e) => ({ start: e.offset, end: e.offset + e.length, newText: e.content })),
      },
    ],
  });
}

export function scheduleRules(ctx: RuleContext): void {
  cronRules(ctx);
  simpleWithoutStart(ctx);
  concurrentWithoutWait(ctx);
}
