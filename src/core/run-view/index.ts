// Runs as people see them: names, outcomes, durations, what this client saw, details and history
// models that the CLI and the extension's views render.
export * from './identity';
export * from './outcome';
export * from './sightings';
