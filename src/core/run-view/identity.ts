// How a run is named for people. Run ids are `<uuid>-<n>` (idm-api.md §4.1): every run of one server
// process shares the UUID, so a prefix alone ("2410…") names them all the same; the counter tells
// them apart, and four characters of the UUID tell processes (nodes, restarts) apart.

const RUN_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-(\d+)$/i;

/** `2410…-3` for `<uuid>-<n>`; other ids (plain UUIDs in old docs) as `9f25…`, short ones whole. */
export function shortRunId(id: string): string {
  const m = RUN_ID.exec(id);
  if (m) return `${m[1].slice(0, 4)}…-${m[2]}`;
  return id.length > 5 ? `${id.slice(0, 4)}…` : id;
}
