// Finds the query filter under a document offset: the `_queryFilter` (or `queryFilter`) string of a
// job's `scan` (idm-api.md §5.1), decoded with its escape map so the cursor maps into the value.
import type { Node } from 'jsonc-parser';
import { nodeAt, stringOf, type JobDocument, type JobEntry } from '../../core/job/document';
import type { JsonString } from '../../core/job/json-string';

export interface FilterString {
  job: JobEntry;
  node: Node;
  str: JsonString;
}

const FILTER_KEYS = ['_queryFilter', 'queryFilter'];

/** Every filter string in the file. */
export function filtersIn(parsed: JobDocument): FilterString[] {
  const out: FilterString[] = [];
  for (const job of parsed.jobs) {
    for (const key of FILTER_KEYS) {
      const node = nodeAt(job.node, ['invokeContext', 'scan', key]);
      if (node?.type === 'string') out.push({ job, node, str: stringOf(parsed.text, node) });
    }
  }
  return out;
}

/** The filter whose string contents hold `offset` (between the quotes), with the value index there. */
export function filterAt(
  parsed: JobDocument,
  offset: number,
): (FilterString & { index: number }) | undefined {
  for (const f of filtersIn(parsed)) {
    const open = f.node.offset;
    const close = f.str.offsetOf(f.str.value.length);
    if (offset > open && offset <= close) return { ...f, index: valueIndexAt(f.str, offset) };
  }
  return undefined;
}

/** The largest value index whose document offset is at or before `offset` (offsetOf is monotonic). */
export function valueIndexAt(str: JsonString, offset: number): number {
  let lo = 0;
  let hi = str.value.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (str.offsetOf(mid) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
