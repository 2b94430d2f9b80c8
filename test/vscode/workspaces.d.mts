export function prepareWorkspaces(): { suites: { name: string; folder: string }[]; dispose(): void };
export function reportCounts(counts: { passed: number; failed: number; skipped: number }): void;
