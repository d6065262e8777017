import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { crdDefaults, toTable } from './index.ts';
import { loadSteps, mismatch } from '../../test/helpers/recorded-cases.ts';
import { humanDuration } from './duration.ts';
import { evalJsonPath, parseJsonPath } from './jsonpath.ts';

function materialize(o: KubeObject, i: number): KubeObject {
  const out = structuredClone(o);
  out.metadata = { ...out.metadata, uid: `uid-${i}`, resourceVersion: `${100 + i}`, creationTimestamp: '2026-01-01T00:00:00Z' };
  return out;
}

describe('toTable against crd-table-printer-columns', () => {
  const steps = loadSteps('crd-table-printer-columns');
  const crd = crdDefaults(steps[0]?.request.body as KubeObject);
  const w1 = materialize(steps[3]?.response.body as KubeObject, 1);
  const w2 = materialize(steps[4]?.response.body as KubeObject, 2);

  it('GET one object as a Table', () => {
    const table = toTable(crd, 'v1', [w1], { now: new Date('2026-01-01T00:00:05Z') });
    expect(mismatch(steps[5]?.response.body, table)).to.equal(undefined);
    expect(table.rows[0]?.cells[5]).to.equal('5s');
    expect(table.metadata.resourceVersion).to.equal('101');
  });

  it('LIST as a Table', () => {
    const table = toTable(crd, 'v1', [w1, w2], { resourceVersion: '200' });
    expect(mismatch(steps[6]?.response.body, table)).to.equal(undefined);
    expect(table.metadata.resourceVersion).to.equal('200');
  });

  it('a version without printer columns gets the default Age column', () => {
    const bare = structuredClone(crd);
    const versions = (bare['spec'] as { versions: Record<string, unknown>[] }).versions;
    delete versions[0]?.['additionalPrinterColumns'];
    const table = toTable(bare, 'v1', [w1], { now: new Date('2026-01-01T03:00:00Z') });
    expect(table.columnDefinitions.map((c) => c.name)).to.deep.equal(['Name', 'Age']);
    expect(table.columnDefinitions[1]?.description).to.match(/^CreationTimestamp is a timestamp/);
    expect(table.rows[0]?.cells).to.deep.equal(['w1', '3h']);
  });

  it('evaluates filters and string-typed numbers', () => {
    const obj = { status: { conditions: [{ type: 'Progressing', status: 'False' }, { type: 'Ready', status: 'True' }] } };
    expect(evalJsonPath(parseJsonPath('.status.conditions[?(@.type=="Ready")].status'), obj)).to.deep.equal(['True']);
    expect(evalJsonPath(parseJsonPath('{.status.conditions[-1].type}'), obj)).to.deep.equal(['Ready']);
    expect(evalJsonPath(parseJsonPath(".status['conditions'][*].type"), obj)).to.deep.equal(['Progressing', 'Ready']);
    expect(evalJsonPath(parseJsonPath('.status.missing'), obj)).to.deep.equal([]);
  });

  it('prints ages like HumanDuration', () => {
    expect([0, 119e3, 120e3, 125e3, 600e3, 3 * 3600e3, 7.5 * 3600e3, 47 * 3600e3, 50 * 3600e3, 800 * 86400e3]
      .map(humanDuration)).to.deep.equal(['0s', '119s', '2m', '2m5s', '10m', '3h', '7h30m', '47h', '2d2h', '2y70d']);
  });
});
