// Mocha reporter: the usual spec output, plus the run's counts appended as one JSON line to the file
// named by SCANJOBS_TEST_STATS, so scripts/test-all.mjs can print one closing total for every suite,
// and the failed tests' titles and first error lines just above it (CI keeps only a log's tail).
'use strict';
const fs = require('node:fs');
const Mocha = require('mocha');

class StatsReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const failures = [];
    runner.on('fail', (test, err) => {
      const message = String((err && err.message) || err).split('\n')[0];
      failures.push({
        title: typeof test.fullTitle === 'function' ? test.fullTitle() : String(test.title),
        error: message.length > 300 ? `${message.slice(0, 300)}…` : message,
      });
    });
    runner.once('end', () => {
      const file = process.env.SCANJOBS_TEST_STATS;
      if (!file) return;
      const s = runner.stats || {};
      const line = {
        suite: process.env.SCANJOBS_TEST_SUITE || 'unknown',
        passed: s.passes || 0,
        failed: s.failures || 0,
        skipped: s.pending || 0,
        failures,
      };
      fs.appendFileSync(file, JSON.stringify(line) + '\n');
    });
  }
}
module.exports = StatsReporter;
