// `${Time.now}` substitution as the task scanner's ConfigMacroUtil does it (queryfilter.md §9), except
// that text after the last macro is kept (the upstream truncation is a defect, §9) and the clock is given.

export interface MacroProblem {
  code: string;
  message: string;
  start: number;
  end: number;
  /** 'error' where upstream throws (the whole expansion fails); 'warning' where it logs and goes on. */
  severity: 'error' | 'warning';
  /** For errors: the exception text the server's expansion fails with. */
  upstreamMessage?: string;
}

export interface MacroSite {
  /** Offsets of `${` and one past the first `}` after it. */
  start: number;
  end: number;
  /** The text between `${` and `}`. */
  body: string;
}

export const MacroCode = {
  badOffset: 'macro-bad-offset',
  unknown: 'unknown-macro',
  unknownUnit: 'macro-unknown-unit',
  missingQuantity: 'macro-missing-quantity',
  badOperator: 'macro-bad-operator',
  badClock: 'macro-bad-clock',
  outOfRange: 'macro-time-out-of-range',
} as const;

/**
 * The macros ConfigMacroUtil would expand [CMU L97-190]: each `${` not preceded by `\`, up to the
 * first `}`; one starting inside an earlier macro is skipped (§9 "overlapping macros are skipped").
 */
export function findMacros(text: string): MacroSite[] {
  const sites: MacroSite[] = [];
  let lastEnd = -1;
  let from = 0;
  // The first `}` after a start serves every start before it: searching again per start is quadratic.
  let close = -1;
  for (;;) {
    const start = text.indexOf('${', from);
    if (start < 0) break;
    from = start + 1;
    if (start > 0 && text.charCodeAt(start - 1) === 92) continue;
    if (close < start) close = text.indexOf('}', start);
    if (close < 0) break;
    if (start < lastEnd) continue;
    sites.push({ start, end: close + 1, body: text.slice(start + 2, close) });
    lastEnd = close + 1;
  }
  return sites;
}

/** Java String.split(" "): trailing empty strings removed. */
function javaSplitSpace(s: string): string[] {
  const parts = s.split(' ');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Integer.parseInt for the offset quantity (ASCII digits; Java also takes other Unicode digits). */
function parseInt32(s: string): number | undefined {
  if (!/^[+-]?\p{Nd}+$/u.test(s)) return undefined;
  const ascii = s.replace(/\p{Nd}/gu, (d) => {
    const c = d.charCodeAt(0);
    let z = c;
    while (/\p{Nd}/u.test(String.fromCharCode(z - 1))) z--;
    return String((c - z) % 10);
  });
  const n = Number(ascii);
  if (!Number.isSafeInteger(n) || n > 2147483647 || n < -2147483648) return undefined;
  return n;
}

/** Joda plus(Period) for one field, in UTC; months and years clamp to the month's last day. */
function addPeriod(date: Date, amount: number, unit: string): Date {
  const d = new Date(date.getTime());
  switch (unit) {
    case 'm':
      return new Date(d.getTime() + amount * 60_000);
    case 'h':
      return new Date(d.getTime() + amount * 3_600_000);
    case 'd':
      return new Date(d.getTime() + amount * 86_400_000);
    case 'M':
    case 'y': {
      const months = unit === 'M' ? amount : amount * 12;
      const day = d.getUTCDate();
      d.setUTCDate(1);
      d.setUTCMonth(d.getUTCMonth() + months);
      const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
      d.setUTCDate(Math.min(day, last));
      return d;
    }
    default:
      return new Date(d.getTime() + amount * 1000);
  }
}

/** DateUtil.formatDateTime: ISO chronology in UTC, `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'` (§9). */
export function formatMacroTime(date: Date): string {
  return date.toISOString();
}

function interpolate(site: MacroSite, now: Date, problems: MacroProblem[]): string {
  const tokens = javaSplitSpace(site.body);
  let out = '';
  let upstream: string | undefined;
  const at = (code: string, message: string, severity: 'error' | 'warning') =>
    problems.push({
      code,
      message,
      start: site.start,
      end: site.end,
      severity,
      ...(severity === 'error' && upstream !== undefined ? { upstreamMessage: upstream } : {}),
    });
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token !== 'Time.now') {
      // Java's split keeps empty tokens between double spaces; they add nothing and warn about nothing useful.
      if (token === '') continue;
      at(
        MacroCode.unknown,
        `unknown macro token \`${token}\` in \`\${${site.body}}\`: it is copied without \`\${ }\`; only \`Time.now\` (optionally \` + 1d\`) is substituted`,
        'warning',
      );
      out += token;
      continue;
    }
    let date = now;
    if (i + 1 < tokens.length) {
      const op = tokens[++i]!;
      if (op === '+' || op === '-') {
        if (i + 1 < tokens.length) {
          const quantity = tokens[++i]!;
          const amount = parseInt32(quantity.slice(0, -1));
          if (amount === undefined) {
            // token.substring(0, length - 1) on an empty token (two spaces after the sign) throws first.
            upstream =
              quantity === '' ? 'begin 0, end -1, length 0' : `For input string: "${quantity.slice(0, -1)}"`;
            at(
              MacroCode.badOffset,
              `\`${quantity}\` in \`\${${site.body}}\` is not a number followed by a unit (s m h d M y), e.g. \`1d\``,
              'error',
            );
            return site.body;
          }
          const unit = quantity[quantity.length - 1]!;
          if (!'smhdMy'.includes(unit)) {
            at(
              MacroCode.unknownUnit,
              `unknown unit \`${unit}\` in \`\${${site.body}}\`: the server counts it as seconds`,
              'warning',
            );
          }
          date = addPeriod(now, op === '-' ? -amount : amount, unit);
        } else {
          at(
            MacroCode.missingQuantity,
            `\`${op}\` in \`\${${site.body}}\` is not followed by a quantity such as \`1d\``,
            'warning',
          );
        }
      } else {
        at(
          MacroCode.badOperator,
          `\`${op}\` after Time.now in \`\${${site.body}}\` is ignored: only \` + \` and \` - \` are offsets`,
          'warning',
        );
      }
    }
    if (Number.isNaN(date.getTime()) || Math.abs(date.getUTCFullYear()) > 9999) {
      at(MacroCode.outOfRange, `\`\${${site.body}}\` gives a time outside the years 0–9999`, 'error');
      return site.body;
    }
    out += formatMacroTime(date);
  }
  return out;
}

/**
 * Expands every macro in place. Never throws: a `${Time.now + 1}` (upstream NumberFormatException)
 * gives an 'error' problem and the text is returned unchanged, as the server would not expand it.
 */
export interface MacroExpansion {
  text: string;
  problems: MacroProblem[];
  /** Each substituted macro: its span in the input and the text that replaced it, in order. */
  replacements: { start: number; end: number; text: string }[];
}

export function expandMacros(text: string, now: Date): MacroExpansion {
  const problems: MacroProblem[] = [];
  if (typeof text !== 'string') return { text: String(text), problems, replacements: [] };
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    problems.push({
      code: MacroCode.badClock,
      message: 'the current time given for `${Time.now}` is not a valid date',
      start: 0,
      end: 0,
      severity: 'error',
    });
    return { text, problems, replacements: [] };
  }
  const sites = findMacros(text);
  if (sites.length === 0) return { text, problems, replacements: [] };
  let out = '';
  let last = 0;
  const replacements: MacroExpansion['replacements'] = [];
  for (const site of sites) {
    out += text.slice(last, site.start);
    const replacement = interpolate(site, now, problems);
    replacements.push({ start: site.start, end: site.end, text: replacement });
    out += replacement;
    last = site.end;
  }
  out += text.slice(last);
  if (problems.some((p) => p.severity === 'error')) return { text, problems, replacements: [] };
  return { text: out, problems, replacements };
}

/**
 * Maps an offset in the expanded text back to the input: inside a replacement it lands on the
 * macro's start (its end for the `end` side of a span), elsewhere it shifts by the length change.
 */
export function originalOffset(
  expansion: Pick<MacroExpansion, 'replacements'>,
  offset: number,
  side: 'start' | 'end' = 'start',
): number {
  let delta = 0;
  for (const r of expansion.replacements) {
    const startOut = r.start + delta;
    const endOut = startOut + r.text.length;
    if (offset < startOut) break;
    if (offset < endOut) return side === 'end' ? r.end : r.start;
    if (offset === endOut) return r.end;
    delta += r.text.length - (r.end - r.start);
  }
  return offset - delta;
}
