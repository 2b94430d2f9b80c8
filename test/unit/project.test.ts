// The Marketplace and Open VSX listing: the manifest's links agree with src/core/project.ts (which the
// SARIF help links and the schema's $id use), and the icon is a real PNG of at least 128 × 128.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { JOB_SCHEMA_ID, PROJECT_HOME } from '../../src/core/project';

const root = path.resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  homepage: string;
  repository: { url: string };
  bugs: { url: string };
  icon: string;
  galleryBanner: { color: string; theme: string };
  keywords: string[];
  categories: string[];
};

describe('the extension listing', function () {
  it('links the project home, its repository and its issue tracker', function () {
    assert.equal(manifest.homepage, PROJECT_HOME);
    assert.equal(manifest.repository.url, `${PROJECT_HOME}.git`);
    assert.equal(manifest.bugs.url, `${PROJECT_HOME}/issues`);
  });

  it('has a PNG icon of at least 128 × 128 pixels and a gallery banner', function () {
    const png = readFileSync(path.join(root, manifest.icon));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
    assert.ok(png.readUInt32BE(16) >= 128 && png.readUInt32BE(20) >= 128, 'icon is at least 128 px');
    assert.match(manifest.galleryBanner.color, /^#[0-9a-f]{6}$/i);
    assert.ok(['dark', 'light'].includes(manifest.galleryBanner.theme));
  });

  it('is found by the words users search for', function () {
    const words = manifest.keywords.map((k) => k.toLowerCase());
    for (const w of ['pingone', 'aic', 'forgerock', 'idm', 'task scanner', 'scheduler'])
      assert.ok(words.includes(w), `keyword ${w}`);
    assert.ok(manifest.keywords.length <= 30, 'the Marketplace takes at most 30 keywords');
  });

  it('shows only screenshots that are in the repository on its Marketplace page', function () {
    const page = readFileSync(path.join(root, 'docs/marketplace.md'), 'utf8');
    const images = [...page.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
    assert.ok(images.length >= 3, 'editor diagnostics, the sidebar with a run, the run details');
    for (const img of images) {
      assert.ok(!/^https?:/.test(img), `${img} is a file of the repository (vsce links it)`);
      const png = readFileSync(path.join(root, img));
      assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', `${img} is a PNG`);
    }
  });

  it('publishes the job schema under the $id it declares', function () {
    const schema = JSON.parse(readFileSync(path.join(root, 'schemas/scan-job.schema.json'), 'utf8')) as {
      $id: string;
    };
    assert.equal(schema.$id, JOB_SCHEMA_ID);
    assert.ok(
      JOB_SCHEMA_ID.startsWith('https://') && JOB_SCHEMA_ID.endsWith('/schemas/scan-job.schema.json'),
    );
  });
});
