import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { openJob, scanJob } from '../builders';
import { scanJobsApi, waitFor, workspaceRoot } from '../ext';

// Quotes of both kinds, backslashes (also before quotes and letters), newlines, a tab, non-ASCII,
// and text that looks like an escape sequence.
const script = [
  'var path = "C:\\\\temp\\\\new"; // a "quoted" \\n that is not a newline',
  "logger.info('it\\'s {} \\\\ done', input.mail);",
  '\tvar re = /\\d+\\/"x"/;',
  'var s = "héllo \u2713 \\u0041";',
  'true;',
].join('\n');

async function jobBytes(uri: vscode.Uri): Promise<string> {
  return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
}

/** A job name no other test of this window uses (the copies of all jobs share one folder). */
const jobName = `sunset-${Math.random().toString(36).slice(2, 8)}`;
const scriptsFolder = () => vscode.Uri.joinPath(workspaceRoot(), '.scanjobs', 'scripts');

describe('Edit Script', () => {
  let job: vscode.TextDocument;
  let scriptUri: vscode.Uri;

  before(async () => {
    job = (await openJob(scanJob({ source: script }), `${jobName}.scanjob.json`)).document;
    scriptUri = await vscode.commands.executeCommand<vscode.Uri>('scanjobs.editScript', job.uri);
    assert.ok(scriptUri, 'Edit Script returned no document');
  });

  it('opens the inline script as a JavaScript document named after the job, byte for byte', async () => {
    const doc = await vscode.workspace.openTextDocument(scriptUri);
    assert.equal(doc.languageId, 'javascript');
    assert.equal(doc.getText(), script);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), scriptUri.toString());
  });

  it("reads like the job in the tab and the breadcrumb, not like the extension's storage", () => {
    // not a generic script.js: the job's name, from its file when the job has no _id
    assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.label, `${jobName}.js`);
    // A file of the workspace folder: the breadcrumb shows its path inside the folder,
    // `.scanjobs › scripts › <job>.js`, where a file outside every folder shows its whole path.
    assert.equal(vscode.workspace.getWorkspaceFolder(scriptUri)?.uri.toString(), workspaceRoot().toString());
    assert.equal(vscode.workspace.asRelativePath(scriptUri), `.scanjobs/scripts/${jobName}.js`);
    assert.equal(scriptUri.scheme, 'file', 'TypeScript gives full IntelliSense to file: documents only');
    assert.ok(!/globalStorage|scanjobs\.scanjobs/.test(scriptUri.path), scriptUri.path);
  });

  it('brings in the script globals through a jsconfig.json and a copy of the types beside it', async () => {
    const beside = (name: string) => jobBytes(vscode.Uri.joinPath(scriptUri, '..', name));
    const config = JSON.parse(await beside('jsconfig.json')) as { files: string[]; include: string[] };
    assert.deepEqual(config.files, ['idm-script.d.ts']);
    assert.deepEqual(config.include, ['*.js']);
    const shipped = vscode.Uri.joinPath(
      vscode.extensions.getExtension('scanjobs.scanjobs')!.extensionUri,
      'types',
      'idm-script.d.ts',
    );
    assert.equal(await beside('idm-script.d.ts'), await jobBytes(shipped));
    // The copies stay out of git: the job file is the source.
    assert.match(await beside('.gitignore'), /^\*$/m);
  });

  it('gives a second job of the same name its own file, and the same job the same file again', async () => {
    const twin = (await openJob(scanJob({ source: 'true;' }), `${jobName}.scanjob.json`)).document;
    assert.notEqual(twin.uri.toString(), job.uri.toString());
    const twinScript = await vscode.commands.executeCommand<vscode.Uri>('scanjobs.editScript', twin.uri);
    assert.equal(vscode.workspace.asRelativePath(twinScript), `.scanjobs/scripts/${jobName}-2.js`);
    assert.equal(await jobBytes(twinScript), 'true;');
    const again = await vscode.commands.executeCommand<vscode.Uri>('scanjobs.editScript', job.uri);
    assert.equal(again.toString(), scriptUri.toString());
    const links = JSON.parse(await jobBytes(vscode.Uri.joinPath(scriptsFolder(), 'links.json'))) as Record<
      string,
      { job: string; path: unknown[] }
    >;
    assert.deepEqual(links[`${jobName}.js`], { job: job.uri.toString(), path: [] });
    assert.deepEqual(links[`${jobName}-2.js`], { job: twin.uri.toString(), path: [] });
    await vscode.window.showTextDocument(scriptUri);
  });

  it('saving an unchanged script leaves the job file untouched', async () => {
    const before = await jobBytes(job.uri);
    const doc = await vscode.workspace.openTextDocument(scriptUri);
    await vscode.window.showTextDocument(doc);
    await doc.save();
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await jobBytes(job.uri), before);
  });

  it('writes an edited script back into the job, escaped, on save', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(scriptUri));
    const added = '\n// "new" \\ line\twith tab';
    await editor.edit((b) => b.insert(editor.document.positionAt(editor.document.getText().length), added));
    await editor.document.save();
    const expected = script + added;
    const saved = await waitFor('the job file to change on disk', async () => {
      const text = await jobBytes(job.uri);
      // The write-back may be caught half-written (empty or cut short): read again next time.
      let source: unknown;
      try {
        source = JSON.parse(text).invokeContext.task.script.source;
      } catch {
        return undefined;
      }
      return source === expected ? text : undefined;
    });
    // Only the source string changed: everything before and after it is the same bytes.
    const original = JSON.stringify(scanJob({ source: script }), null, 2) + '\n';
    const cut = original.indexOf(JSON.stringify(script));
    assert.equal(saved.slice(0, cut), original.slice(0, cut));
    assert.equal(
      saved.slice(cut + JSON.stringify(expected).length),
      original.slice(cut + JSON.stringify(script).length),
    );
  });

  it('still writes back after a reload: the link to the job is kept beside the script (links.json)', async () => {
    // A window reload forgets the session's links; the script tab comes back on its own.
    const restored = await scanJobsApi().reloadScriptLinks();
    assert.ok(restored >= 1, `links read back: ${restored}`);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(scriptUri));
    const before = editor.document.getText();
    const added = '\n// after the reload';
    await editor.edit((b) => b.insert(editor.document.positionAt(before.length), added));
    await editor.document.save();
    await waitFor('the job file to hold the edit made after the reload', async () => {
      try {
        return JSON.parse(await jobBytes(job.uri)).invokeContext.task.script.source === before + added;
      } catch {
        return undefined; // caught half-written: read again
      }
    });
  });
});

describe('Edit Script copies of deleted jobs', () => {
  it('are removed, with their links, at the next Edit Script', async () => {
    const gone = (await openJob(scanJob({ source: 'true;' }), `${jobName}-gone.scanjob.json`)).document.uri;
    const copy = await vscode.commands.executeCommand<vscode.Uri>('scanjobs.editScript', gone);
    assert.equal(vscode.workspace.asRelativePath(copy), `.scanjobs/scripts/${jobName}-gone.js`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(gone);
    const kept = (await openJob(scanJob({ source: 'true;' }), `${jobName}-kept.scanjob.json`)).document.uri;
    await vscode.commands.executeCommand<vscode.Uri>('scanjobs.editScript', kept);
    const exists = await vscode.workspace.fs.stat(copy).then(
      () => true,
      () => false,
    );
    assert.equal(exists, false, `${copy.path} is still there`);
    const links = JSON.parse(await jobBytes(vscode.Uri.joinPath(scriptsFolder(), 'links.json'))) as Record<
      string,
      { job: string }
    >;
    assert.equal(links[`${jobName}-gone.js`], undefined);
    assert.equal(links[`${jobName}-kept.js`]?.job, kept.toString());
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

/** A file system in memory under its own scheme: a job on it is on a virtual file system. */
class MemoryFiles implements vscode.FileSystemProvider {
  readonly files = new Map<string, Uint8Array>();
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  watch = () => new vscode.Disposable(() => undefined);
  stat(uri: vscode.Uri): vscode.FileStat {
    const data = this.files.get(uri.path);
    if (uri.path === '/') return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    if (!data) throw vscode.FileSystemError.FileNotFound(uri);
    return { type: vscode.FileType.File, ctime: 0, mtime: Date.now(), size: data.byteLength };
  }
  readDirectory = (): [string, vscode.FileType][] =>
    [...this.files.keys()].map((k) => [k.slice(1), vscode.FileType.File]);
  createDirectory = () => undefined;
  readFile(uri: vscode.Uri): Uint8Array {
    const data = this.files.get(uri.path);
    if (!data) throw vscode.FileSystemError.FileNotFound(uri);
    return data;
  }
  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    this.files.set(uri.path, content);
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }
  delete = (uri: vscode.Uri) => void this.files.delete(uri.path);
  rename = () => undefined;
}

describe('Edit Script of a job on a virtual file system', () => {
  it("puts the script in the extension's storage, and still writes it back", async () => {
    const memory = new MemoryFiles();
    const registration = vscode.workspace.registerFileSystemProvider('scanjobs-test-mem', memory);
    try {
      const job = vscode.Uri.from({ scheme: 'scanjobs-test-mem', path: '/virtual.scanjob.json' });
      memory.files.set(job.path, Buffer.from(JSON.stringify(scanJob({ source: 'true;' }), null, 2) + '\n'));
      await vscode.window.showTextDocument(job);
      const scriptUri = await vscode.commands.executeCommand<vscode.Uri>('scanjobs.editScript', job);
      assert.equal(scriptUri.scheme, 'file');
      assert.match(scriptUri.path, /\/globalStorage\/scanjobs\.scanjobs\/scripts\/virtual\.js$/);
      const editor = await vscode.window.showTextDocument(scriptUri);
      await editor.edit((b) => b.insert(editor.document.positionAt(0), '// on a virtual drive\n'));
      await editor.document.save();
      await waitFor('the job on the virtual file system to hold the edit', () => {
        const source = JSON.parse(Buffer.from(memory.files.get(job.path)!).toString('utf8')).invokeContext
          .task.script.source as string;
        return source === '// on a virtual drive\ntrue;' || undefined;
      });
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      registration.dispose();
    }
  });
});

describe('Edit Script of a job outside the workspace folder', () => {
  it('puts the script in .scanjobs/scripts beside the job', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scanjobs-outside-'));
    try {
      const file = path.join(dir, 'outside.scanjob.json');
      writeFileSync(file, JSON.stringify(scanJob({ source: 'true;' }), null, 2) + '\n');
      const job = vscode.Uri.file(file);
      const scriptUri = await vscode.commands.executeCommand<vscode.Uri>('scanjobs.editScript', job);
      assert.equal(scriptUri.fsPath, path.join(dir, '.scanjobs', 'scripts', 'outside.js'));
      assert.equal(await jobBytes(scriptUri), 'true;');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Add Script Types to Workspace', () => {
  it('copies the script globals into the workspace and names them in its jsconfig.json', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const typesUri = await vscode.commands.executeCommand<vscode.Uri>('scanjobs.addScriptTypes');
    assert.equal(typesUri.toString(), vscode.Uri.joinPath(folder, '.scanjobs', 'idm-script.d.ts').toString());
    const shipped = vscode.Uri.joinPath(
      vscode.extensions.getExtension('scanjobs.scanjobs')!.extensionUri,
      'types',
      'idm-script.d.ts',
    );
    assert.equal(await jobBytes(typesUri), await jobBytes(shipped));
    const config = JSON.parse(await jobBytes(vscode.Uri.joinPath(folder, 'jsconfig.json'))) as {
      include: string[];
    };
    assert.ok(config.include.includes('.scanjobs/idm-script.d.ts'), config.include.join(', '));
    assert.ok(!config.include.some((p) => p.startsWith('..')), 'nothing outside the workspace');
  });
});
