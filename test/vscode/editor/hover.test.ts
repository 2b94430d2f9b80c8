import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describeCron } from '../../../src/core/job/cron';
import { openJob, scanJob } from '../builders';
import { hoverText } from '../ext';

describe('hover in job files', () => {
  let doc: vscode.TextDocument;
  before(async () => {
    doc = (await openJob(scanJob({ schedule: '0 30 2 ? * MON-FRI', timeZone: 'Europe/Paris' }))).document;
  });

  it('describes the cron expression and lists its next five fire times', async () => {
    const text = await hoverText(doc, doc.getText().indexOf('0 30 2') + 2);
    assert.ok(text.includes(describeCron('0 30 2 ? * MON-FRI')), text);
    assert.match(text, /02:30|2:30/);
    assert.equal((text.match(/^- /gm) ?? []).length, 5, text);
    assert.ok(text.includes('Europe/Paris'), text);
  });

  it('explains an operator of the filter', async () => {
    const text = await hoverText(doc, doc.getText().indexOf(' lt ') + 1);
    assert.match(text, /less than/);
  });

  it('shows what ${Time.now} is right now', async () => {
    const before = new Date().toISOString().slice(0, 10);
    const text = await hoverText(doc, doc.getText().indexOf('${Time.now}') + 3);
    assert.match(
      text,
      new RegExp('`\\$\\{Time.now\\}` is now `' + before + 'T\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z`'),
      text,
    );
  });
});
