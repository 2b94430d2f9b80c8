// Runs as people see them: names, outcomes, durations, what this client saw, details and history
// models that the CLI and the extension's views render.
export * from './identity';
export * from './outcome';
export * from './sightings';
export * from './chart';
export * from './details';
export * from './paging';
export * from './tenant-report';
export * from './report-source';
export * from './history';
