// Types for vscode-host.mjs, used from the TypeScript UI test and benchmark.
import type { Browser } from 'playwright-core';

export const root: string;
export const hostDir: string;
export function missingHost(): string | undefined;
export interface RunningServer {
  authority: string;
  env: NodeJS.ProcessEnv;
  stop(): void;
  log(): string;
}
export function startServer(options?: {
  vsix?: string[];
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
}): Promise<RunningServer>;
export function workbenchUrl(
  authority: string,
  where: { folder: string; extensionPath?: string; testsPath?: string },
): string;
export function launchBrowser(env: NodeJS.ProcessEnv): Promise<Browser>;
export function runInVSCode(options: {
  folder: string;
  extensionPath?: string;
  testsPath: string;
  timeoutMs?: number;
  shot?: string;
  echo?: boolean;
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
}): Promise<{ code: number; lines: string[] }>;
export function installVsix(vsix: string): { dir: string; node: string; dispose(): void };
