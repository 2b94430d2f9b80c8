// Task-scanner settings written one level too deep. The scanner reads waitForCompletion,
// numberOfThreads and maxRecords from invokeContext only (idm-api.md §5.1, §8.1 item 9); the AIC
// console's own test fixture puts waitForCompletion under `task`, where nothing reads it.
import { modify } from 'jsonc-parser';
import { TextEdit } from '../types';
import { keyRange, nodeIn, RuleContext, valueIn } from './context';

const CONTEXT_SETTINGS = ['waitForCompletion', 'numberOfThreads', 'maxRecords'];

export function placementRules(ctx: RuleContext): void {
  if (typeof valueIn(ctx, ['invokeContext']) !== 'object') return;
  for (const parent of ['task', 'scan']) {
    for (const field of CONTEXT_SETTINGS) {
      const path = ['invokeContext', parent, field];
      const node = nodeIn(ctx, path);
      if (!node) continue;
      const already = valueIn(ctx, ['invokeContext', field]) !== undefined;
      const options = { formattingOptions: { insertSpaces: true, tabSize: 2 } };
      const toEdits = (edits: ReturnType<typeof modify>): TextEdit[] =>
        edits.map((e) => ({ start: e.offset, end: e.offset + e.length, newText: e.content }));
      // Both edits are computed on the same text and touch different places, so they apply together.
      const remove = toEdits(modify(ctx.text, [...ctx.job.path, ...path], undefined, options));
      const add = already
        ? []
        : toEdits(modify(ctx.text, [...ctx.job.path, 'invokeContext', field], valueIn(ctx, path), options));
      ctx.report({
        severity: 'warning',
        code: 'misplaced-setting',
        message: `\`${field}\` under \`invokeContext.${parent}\` does nothing: the task scanner reads it from \`invokeContext\`${already ? ', where it is also set' : ''}`,
        ...keyRange(ctx, path),
        fixes: [
          {
            title: already ? `Remove it from ${parent}` : `Move it to invokeContext`,
            edits: [...remove, ...add],
          },
        ],
      });
    }
  }
}
