// Where Edit Script puts a job's inline script, and which job each copy belongs to (issue 16 item 4).
// The copy is a real `file:` document, `<workspace folder>/.scanjobs/scripts/<job>.js`, so the tab,
// the title and the breadcrumb read like the job (`.scanjobs › scripts › sunset.js`) instead of the
// extension's storage path, and VS Code's TypeScript server gives it full IntelliSense (it only does
// for `file:` documents in a Node host: a scheme of our own would get syntax colouring alone). The
// folder holds a jsconfig.json and a copy of the shipped types/idm-script.d.ts, a .gitignore that
// keeps all of it out of git, and links.json: which job, and which script of it, each copy holds.
// A job outside every workspace folder uses `.scanjobs/scripts/` beside itself; one on a virtual file
// system, or where that folder cannot be written, the extension's global storage.
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { JsonPath } from '../../core/job/document';

export interface ScriptLink {
  job: vscode.Uri;
  path: JsonPath;
}

/** links.json: per script file name, its job's URI and the job's path in that file. */
type StoredLinks = Record<string, { job: string; path: JsonPath }>;

const LINKS_FILE = 'links.json';
const TYPES_FILE = 'idm-script.d.ts';
/** The scripts folder inside a workspace folder (or beside a job outside every folder). */
const HOME = ['.scanjobs', 'scripts'] as const;

/** The copies known this session (created or read back), by the copy's URI. */
const links = new Map<string, ScriptLink>();
/** Folders whose links.json was read this session. */
const read = new Set<string>();
let storageHome: vscode.Uri | undefined;

const parent = (uri: vscode.Uri) => vscode.Uri.joinPath(uri, '..');
export const samePath = (a: JsonPath, b: JsonPath): boolean =>
  a.length === b.length && a.every((s, i) => s === b[i]);

/** The global-storage folder used when the job's own place cannot hold its scripts. */
export function useStorage(context: vscode.ExtensionContext): vscode.Uri {
  storageHome = vscode.Uri.joinPath(context.globalStorageUri, 'scripts');
  return storageHome;
}

/**
 * Whether a document is an Edit Script copy (by where it lives): a `.js` file in a
 * `.scanjobs/scripts/` folder or in the storage folder. Cheap: asked for every document opened.
 */
export function isScriptCopy(uri: vscode.Uri, storage?: vscode.Uri): boolean {
  if (uri.scheme !== 'file' || !uri.path.endsWith('.js')) return false;
  const dir = uri.path.slice(0, uri.path.lastIndexOf('/'));
  const home = storage ?? storageHome;
  return dir.endsWith(`/${HOME.join('/')}`) || (home !== undefined && dir === home.path);
}

/** Where a job's scripts are copied to: its workspace folder's `.scanjobs/scripts/`, else beside it. */
export function homeOf(job: vscode.Uri): vscode.Uri | undefined {
  if (job.scheme !== 'file') return storageHome;
  const root = vscode.workspace.getWorkspaceFolder(job)?.uri ?? parent(job);
  return vscode.Uri.joinPath(root, ...HOME);
}

function readStored(folder: vscode.Uri): StoredLinks {
  try {
    const stored = JSON.parse(
      readFileSync(vscode.Uri.joinPath(folder, LINKS_FILE).fsPath, 'utf8'),
    ) as unknown;
    return typeof stored === 'object' && stored !== null && !Array.isArray(stored)
      ? (stored as StoredLinks)
      : {};
  } catch {
    return {}; // no links yet, or an unreadable file: nothing is linked
  }
}

/** Reads a folder's links.json into this session's links (once per session). */
function readFolder(folder: vscode.Uri): void {
  if (read.has(folder.toString())) return;
  read.add(folder.toString());
  for (const [file, stored] of Object.entries(readStored(folder))) {
    if (typeof stored?.job !== 'string' || !Array.isArray(stored.path) || file.includes('/')) continue;
    const script = vscode.Uri.joinPath(folder, file);
    if (!links.has(script.toString()))
      links.set(script.toString(), { job: vscode.Uri.parse(stored.job), path: stored.path });
  }
}

/**
 * The job and script path an Edit Script copy belongs to: this session's, or read from the links.json
 * beside it (a tab VS Code restored after a reload). Undefined for every other document.
 */
export function scriptLink(script: vscode.Uri): Readonly<ScriptLink> | undefined {
  const known = links.get(script.toString());
  if (known || !isScriptCopy(script)) return known;
  readFolder(parent(script));
  return links.get(script.toString());
}

/** The Edit Script copies of a job known this session. */
export function scriptsOf(job: vscode.Uri): vscode.Uri[] {
  return [...links].filter(([, l]) => l.job.toString() === job.toString()).map(([k]) => vscode.Uri.parse(k));
}

/** The file name a job's script gets in `folder`: its earlier copy's, else `<name>.js` not yet taken. */
function fileFor(stored: StoredLinks, job: vscode.Uri, path: JsonPath, name: string): string {
  const own = Object.entries(stored).find(([, l]) => l.job === job.toString() && samePath(l.path, path));
  if (own) return own[0];
  const safe = name.replace(/[^\w.-]/g, '_');
  for (let n = 1; ; n++) {
    const file = `${safe}${n === 1 ? '' : `-${n}`}.js`;
    if (!stored[file] && file !== TYPES_FILE) return file;
  }
}

/** Writes `text` only when the file does not already hold it (a rewrite would wake file watchers). */
async function writeIfChanged(uri: vscode.Uri, text: string): Promise<void> {
  const now = await vscode.workspace.fs.readFile(uri).then(
    (b) => new TextDecoder().decode(b),
    () => undefined,
  );
  if (now !== text) await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}

/** The folder's jsconfig.json, types and .gitignore; throws when the folder cannot be written. */
async function prepare(folder: vscode.Uri, types: vscode.Uri): Promise<void> {
  await vscode.workspace.fs.createDirectory(folder);
  // Copies of jobs' scripts: never committed (the job file is the source).
  await writeIfChanged(vscode.Uri.joinPath(folder, '.gitignore'), '# Scan Jobs: Edit Script copies\n*\n');
  const jsconfig = {
    compilerOptions: { checkJs: true, target: 'es2020', lib: ['es2020'], types: [] },
    files: [TYPES_FILE],
    include: ['*.js'],
  };
  await writeIfChanged(
    vscode.Uri.joinPath(folder, 'jsconfig.json'),
    JSON.stringify(jsconfig, null, 2) + '\n',
  );
  // A copy, not a path into the extension's install folder, which changes with each update.
  await writeIfChanged(
    vscode.Uri.joinPath(folder, TYPES_FILE),
    new TextDecoder().decode(await vscode.workspace.fs.readFile(types)),
  );
}

/**
 * Writes a job's script to its copy and records the link; resolves with the copy's URI. `name` is the
 * job's name; `types` the shipped idm-script.d.ts.
 */
export async function writeCopy(
  link: ScriptLink,
  name: string,
  text: string,
  types: vscode.Uri,
): Promise<vscode.Uri> {
  const home = homeOf(link.job);
  let folder = home;
  try {
    if (!folder) throw new Error('no place for scripts');
    await prepare(folder, types);
  } catch (e) {
    // A read-only folder beside the job: the extension's storage always takes it.
    if (!storageHome || folder?.toString() === storageHome.toString()) throw e;
    folder = storageHome;
    await prepare(folder, types);
  }
  const stored = readStored(folder);
  // Jobs deleted since their script was edited: their copies go too.
  for (const [file, l] of Object.entries(stored)) {
    const job = vscode.Uri.parse(l.job);
    const gone =
      job.scheme === 'file' &&
      !(await vscode.workspace.fs.stat(job).then(
        () => true,
        () => false,
      ));
    if (!gone) continue;
    delete stored[file];
    links.delete(vscode.Uri.joinPath(folder, file).toString());
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, file)).then(undefined, () => undefined);
  }
  const file = fileFor(stored, link.job, link.path, name);
  stored[file] = { job: link.job.toString(), path: link.path };
  const script = vscode.Uri.joinPath(folder, file);
  await vscode.workspace.fs.writeFile(script, new TextEncoder().encode(text));
  await vscode.workspace.fs.writeFile(
    vscode.Uri.joinPath(folder, LINKS_FILE),
    new TextEncoder().encode(JSON.stringify(stored, null, 2) + '\n'),
  );
  read.add(folder.toString());
  links.set(script.toString(), link);
  return script;
}

/**
 * Reads back the links of the Edit Script copies open now (tabs VS Code restored after a reload), so
 * they write back on save and show their findings; resolves with how many were read back.
 */
export function restoreLinks(): number {
  const open = new Set<string>();
  for (const doc of vscode.workspace.textDocuments) open.add(doc.uri.toString());
  for (const group of vscode.window.tabGroups.all)
    for (const tab of group.tabs)
      if (tab.input instanceof vscode.TabInputText) open.add(tab.input.uri.toString());
  let restored = 0;
  for (const key of open) {
    const uri = vscode.Uri.parse(key);
    if (!links.has(key) && scriptLink(uri)) restored++;
  }
  return restored;
}

/** Test hook: forgets this session's links, as a window reload does. */
export function forgetLinks(): void {
  links.clear();
  read.clear();
}
