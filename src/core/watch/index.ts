export * from './events';
export * from './pace';
export * from './progress';
export * from './watcher';
export * from './hub';
export * from './stall';
