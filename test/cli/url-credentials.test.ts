// A user and password written into a tenant URL (issue 12 item 5): refused everywhere a URL is taken
// (`tenants add --url`, `--tenant`, SCANJOBS_TENANT, TENANT_BASE_URL, a hand-edited profile file),
// with a message that says where credentials go instead, and never stored or printed.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ensureBuilt } from './support';

const PASSWORD = 'Sup3r-s3cret';

describe('credentials in a tenant URL', function () {
  this.timeout(60_000);
  let config: string;
  before(() => ensureBuilt());
  beforeEach(() => {
    config = join(mkdtempSync(join(tmpdir(), 'scanjobs-urlcred-')), 'config');
  });

  const noPassword = (text: string) =>
    assert.ok(!text.includes(PASSWORD) && !text.includes('s3cret'), `the password is printed:\n${text}`);

  it('tenants add refuses a URL with a password, stores nothing and says where the password goes', async () => {
    const r = await cli(
      [
        'tenants',
        'add',
        'x',
        '--url',
        `https://admin:${PASSWORD}@tenant.example.com`,
        '--sign-in',
        'idm-password',
      ],
      { SCANJOBS_CONFIG_DIR: config },
    );
    assert.equal(r.code, 3, r.err);
    assert.match(
      r.err,
      /holds a user name or password: give the URL without them \(https:\/\/tenant\.example\.com\)/,
    );
    assert.match(r.err, /IDM_PASSWORD/);
    assert.match(r.err, /secret storage/);
    noPassword(r.out + r.err);
    assert.equal(existsSync(join(config, 'tenants.json')), false, 'a profile file was written');
  });

  it('refuses a user name alone too, and a password holding "/" or "@"', async () => {
    for (const url of [
      'https://admin@tenant.example.com',
      `https://admin:${PASSWORD}/x@y@tenant.example.com`,
    ]) {
      const r = await cli(['tenants', 'add', 'x', '--url', url, '--sign-in', 'idm-password'], {
        SCANJOBS_CONFIG_DIR: config,
      });
      assert.equal(r.code, 3, `${url}: ${r.err}`);
      assert.match(r.err, /user name or password|is not a URL/);
      noPassword(r.out + r.err);
    }
  });

  it('refuses it from --tenant, SCANJOBS_TENANT and TENANT_BASE_URL without printing it', async () => {
    const url = `http://admin:${PASSWORD}@127.0.0.1:1`;
    const base = { SCANJOBS_CONFIG_DIR: config, IDM_USERNAME: 'admin', IDM_PASSWORD: 'elsewhere-1' };
    const runs = [
      await cli(['jobs', '--tenant', url], base),
      await cli(['jobs', '--tenant', `admin:${PASSWORD}@127.0.0.1`], base),
      await cli(['jobs'], { ...base, SCANJOBS_TENANT: url }),
      await cli(['jobs'], { ...base, TENANT_BASE_URL: url }),
    ];
    for (const r of runs) {
      assert.equal(r.code, 3, r.err);
      noPassword(r.out + r.err);
    }
    assert.match(runs[0].err, /'http:\/\/\*\*\*@127\.0\.0\.1:1' holds a user name or password/);
    assert.match(runs[1].err, /No tenant profile named '\*\*\*@127\.0\.0\.1'/);
  });

  it('refuses a hand-edited profile whose baseUrl holds a password', async () => {
    mkdirSync(config, { recursive: true });
    const file = join(config, 'tenants.json');
    writeFileSync(
      file,
      JSON.stringify({
        tenants: [
          { name: 'dev', baseUrl: `https://admin:${PASSWORD}@h.example.com`, signIn: 'idm-password' },
        ],
      }),
    );
    const before = readFileSync(file, 'utf8');
    for (const argv of [
      ['tenants', 'list'],
      ['jobs', '--tenant', 'dev'],
    ]) {
      const r = await cli(argv, { SCANJOBS_CONFIG_DIR: config, IDM_PASSWORD: 'elsewhere-1' });
      assert.notEqual(r.code, 0, `${argv.join(' ')} accepted it: ${r.out}`);
      assert.match(r.err, /holds a user name or password/);
      noPassword(r.out + r.err);
    }
    assert.equal(readFileSync(file, 'utf8'), before);
  });
});
