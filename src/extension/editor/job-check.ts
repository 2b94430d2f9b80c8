// Runs core's validateJob on an editor document. Script files beside the job are read from the
// editor when open (unsaved edits count) and from disk otherwise; only `file:` documents have them.
import * as vscode from 'vscode';
import type { JobDocument } from '../../core/job/document';
import { nodeFileAccess } from '../../core/job/file-access';
import { layoutOf, type FileAccess } from '../../core/job/layout';
import { PLATFORMS, type JobDiagnostic, type JobLayout, type Platform } from '../../core/job/types';
import { validateJob } from '../../core/job/validate';
import { ACTIVE_TENANT_KEY } from '../tenant-presence';

const pathOf = (doc: vscode.TextDocument) => (doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.path);

export function layoutFor(doc: vscode.TextDocument): JobLayout {
  return layoutOf(pathOf(doc));
}

export const editorFiles: FileAccess = {
  readFile(absPath) {
    const open = vscode.workspace.textDocuments.find(
      (d) => d.uri.scheme === 'file' && d.uri.fsPath === absPath,
    );
    return open ? open.getText() : nodeFileAccess.readFile(absPath);
  },
  realPath: (absPath) => nodeFileAccess.realPath?.(absPath),
};

/**
 * The platform job files are checked for (docs/rules.md "Target platform"): the setting
 * `scanjobs.validation.platform`, or with `auto` the `platform` of the selected tenant's profile.
 * Read at each check, so a change of tenant shows at the file's next check.
 */
export function validationPlatform(state: vscode.Memento): Platform | undefined {
  const config = vscode.workspace.getConfiguration('scanjobs');
  const chosen = config.get<string>('validation.platform', 'auto');
  if (PLATFORMS.includes(chosen as Platform)) return chosen as Platform;
  const active = state.get<string>(ACTIVE_TENANT_KEY);
  const profiles = config.get<unknown[]>('tenants', []);
  const profile = (Array.isArray(profiles) ? profiles : []).find(
    (p) => (p as { name?: unknown } | null)?.name === active,
  ) as { platform?: unknown } | undefined;
  const platform = profile?.platform;
  return PLATFORMS.includes(platform as Platform) ? (platform as Platform) : undefined;
}

export function checkJob(
  doc: vscode.TextDocument,
  parsed: JobDocument,
  platform?: Platform,
): JobDiagnostic[] {
  return validateJob({
    path: pathOf(doc),
    text: parsed.text,
    document: parsed,
    files: doc.uri.scheme === 'file' ? editorFiles : undefined,
    platform,
  });
}
