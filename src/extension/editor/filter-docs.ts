// What each filter word means, for hover and completion (queryfilter.md §3 grammar, §8.1 how
// OpenIDM evaluates it).
export const OPERATOR_DOCS: Record<string, string> = {
  eq: '`eq`: equal. Strings compare without regard to case; a value of another type never matches; an array matches when any element does.',
  co: '`co`: contains. The field (a string) holds the value as a substring, ignoring case.',
  sw: '`sw`: starts with. The field (a string) begins with the value, ignoring case.',
  lt: '`lt`: less than. Strings compare ignoring case; ISO-8601 times in UTC compare correctly as strings.',
  le: '`le`: less than or equal.',
  gt: '`gt`: greater than.',
  ge: '`ge`: greater than or equal.',
  pr: '`pr`: present. The field exists and is not null. Takes no value.',
};

export const CONNECTIVE_DOCS: Record<string, string> = {
  and: '`and`: both sides must match. Case does not matter (`AND` works).',
  or: '`or`: either side matches. Case does not matter.',
  '!': '`!`: not. Negates the primary that follows, e.g. `!(/a pr)`; the word `not` is rejected by the platform.',
};

export const MACRO_DOCS =
  '`${Time.now}` is replaced by the task scanner with the current time in UTC, ISO-8601 with milliseconds ' +
  '(e.g. `2026-01-31T12:00:00.000Z`). `${Time.now - 1d}` and `${Time.now + 10m}` add an offset: the spaces ' +
  'around the sign are required; units are `s m h d M y`.';
