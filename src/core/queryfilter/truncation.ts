// The OpenIDM fork's macro expansion drops the text after the last `${…}` macro (queryfilter.md §9
// "Bug: text after the last macro is dropped"; observed on the live server, shared/openidm/README.md
// item 1). What a filter loses there, and a form that survives it.
import { findMacros } from './macros';

export interface MacroTail {
  /** Offset in the filter where the dropped text starts (one past the last macro's `}`). */
  start: number;
  /** The text the fork drops. */
  text: string;
  /** The last macro as written, e.g. `${Time.now}`. */
  macro: string;
}

/** The text after the last complete macro, when there is any; undefined for a filter the fork keeps whole. */
export function textAfterLastMacro(filter: string): MacroTail | undefined {
  const sites = findMacros(filter);
  const last = sites[sites.length - 1];
  if (!last || last.end >= filter.length) return undefined;
  return { start: last.end, text: filter.slice(last.end), macro: filter.slice(last.start, last.end) };
}

/**
 * The fork copies an unknown macro's words without the braces and without the spaces between them
 * (queryfilter.md §9; checked live: `"${Time.now}${"}` ends in `"`, `${") and /a pr}` loses its
 * spaces). So a tail survives wrapped as `${tail}` only when it has no space that matters and no `}`:
 * closing quotes and parentheses. Returns the wrapped tail, or undefined when it cannot be wrapped.
 */
export function wrapTail(tail: string): string | undefined {
  const text = tail.replace(/ +$/, '');
  if (text === '' || /[\s}]/.test(text) || text.includes('${')) return undefined;
  // A backslash before `${` would make the fork skip the macro (§9): never produce one.
  return `\${${text}}`;
}

/** A filter that ends in a wrapped tail (`…"${Time.now}${")}`), read as the server reads it. */
export interface UnwrappedTail {
  /** The filter with the wrapper removed: what every platform parses after expansion. */
  text: string;
  /** Maps an offset in `text` back to the written filter. */
  toWritten(offset: number): number;
}

/**
 * A tail wrapped for OpenIDM (`${"}`, `${")}`: only closing quotes and parentheses, the filter's last
 * macro and its end) is the deliberate form `wrapTail` makes; undefined for any other filter.
 */
export function unwrapTail(filter: string): UnwrappedTail | undefined {
  const sites = findMacros(filter);
  const last = sites[sites.length - 1];
  if (!last || sites.length < 2 || filter.slice(last.end).trim() !== '' || !/^["')]+$/.test(last.body))
    return undefined;
  const text = filter.slice(0, last.start) + last.body + filter.slice(last.end);
  const at = last.start;
  const bodyEnd = at + last.body.length;
  // Written: prefix `${` body `}` rest; unwrapped: prefix body rest.
  return { text, toWritten: (o) => (o < at ? o : o < bodyEnd ? o + 2 : o + 3) };
}
