/**
 * Replays every recorded kube-conformance case against one fresh embedded API server and compares the answers
 * with the real kube-apiserver's (rules: /work/shared/kube-conformance/README.md). One `it` per case; a failure
 * names the step, the request and the first difference.
 */
import { expect } from 'chai';
import type { ApiServer } from '#sim/index.ts';
import { existsSync } from 'node:fs';
import { casesDir, loadCases } from './cases.ts';
import { describeFailure, runCase } from './run-case.ts';
import { startConformanceSim } from './sim.ts';

describe('kube-conformance replay against the embedded API server', function () {
  this.timeout(180_000);
  let server: ApiServer;

  before(async () => {
    server = await startConformanceSim();
  });
  after(async () => {
    await server?.stop();
  });

  if (!existsSync(casesDir)) {
    it('finds the recorded cases', () => expect.fail(`no cases folder ${casesDir} (set CONFORMANCE_CASES)`));
    return;
  }
  for (const c of loadCases()) {
    it(c.name, async () => {
      const failure = await runCase(c, server.url);
      if (failure !== undefined) expect.fail(describeFailure(failure));
    });
  }
});
