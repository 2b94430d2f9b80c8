// The cron-invalid quick fix: the Quartz expression a person most likely meant, when there is one
// sensible answer (idm-api.md §3.3). Two mistakes have one: Unix cron's five fields (seconds added,
// '?' where Unix has '*', Unix day numbers 0-6 written as Quartz's day names, since Quartz counts
// from 1 = Sunday), and day-of-month and day-of-week both set or both '?' when one of them is '*'.
// Anything else (both days given, steps over day numbers) is left to the person. A candidate that
// Quartz would still reject is never offered.
import { DAY_NAMES, parseCron } from './parse';
import { splitFields } from './field';

/** Unix day-of-week numbers (0 or 7 Sunday) as Quartz names, in plain lists and ranges only. */
function unixDays(dow: string): string | undefined {
  if (!/^[\d,-]+$/.test(dow)) return /^[A-Za-z,-]+$/.test(dow) ? dow.toUpperCase() : undefined;
  return dow.replace(/\d+/g, (n) => DAY_NAMES[Number(n) % 7]);
}

function fromUnix([min, hour, dom, month, dow]: string[]): string | undefined {
  if (dow === '*' || dow === '?') return `0 ${min} ${hour} ${dom === '?' ? '*' : dom} ${month} ?`;
  const days = unixDays(dow);
  // Unix fires when either day field matches; Quartz cannot say "or": no one answer.
  if (!days || dom !== '*') return undefined;
  return `0 ${min} ${hour} ? ${month} ${days}`;
}

function oneDayField(fields: string[]): string | undefined {
  const t = [...fields];
  const domQ = t[3] === '?';
  const dowQ = t[5] === '?';
  if (domQ && dowQ) t[3] = '*';
  else if (!domQ && !dowQ && t[5] === '*') t[5] = '?';
  else if (!domQ && !dowQ && t[3] === '*') t[3] = '?';
  else return undefined;
  return t.join(' ');
}

/** The corrected expression, or undefined when the expression is valid or has no one sensible fix. */
export function cronFix(expr: string): string | undefined {
  if (parseCron(expr).problems.length === 0) return undefined;
  const fields = splitFields(expr).map((f) => f.text);
  const candidate =
    fields.length === 5
      ? fromUnix(fields)
      : fields.length === 6 || fields.length === 7
        ? oneDayField(fields)
        : undefined;
  return candidate !== undefined && parseCron(candidate).problems.length === 0 ? candidate : undefined;
}
