import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import type { StatusBody } from '#sim/types.ts';
import { admitCustomResource, crdDefaults, invalidMessage } from './index.ts';
import { mergePatch } from '#sim/patch/merge-patch.ts';
import { loadSteps, mismatch, type RecordedStep as Step } from '../../test/helpers/recorded-cases.ts';
import { ctxFor } from './cases.test-support.ts';

function isCrWrite(step: Step): boolean {
  const { method, path } = step.request;
  const answered = [200, 201, 422].includes(step.response.status);
  // metadata causes (resourceVersion required on update, names) belong to the store, not to this module
  const causes = (step.response.body as StatusBody | undefined)?.details?.causes ?? [];
  if (causes.some((c) => c.field.startsWith('metadata.'))) return false;
  return answered && (method === 'POST' || method === 'PATCH' || method === 'PUT') &&
    path.startsWith('/apis/') && !path.startsWith('/apis/apiextensions.k8s.io/');
}

function nameOf(step: Step): string {
  const body = step.request.body as KubeObject | undefined;
  if (step.request.method === 'POST') return body?.metadata.name ?? '';
  const parts = step.request.path.split('?')[0]?.split('/') ?? [];
  return parts[parts.indexOf('widgets') + 1] ?? '';
}

/** The object the server admits for this write: the body, or the old object with the patch applied. */
function patched(step: Step, old: KubeObject | undefined): KubeObject {
  const type = step.request.headers['Content-Type'] ?? '';
  if (step.request.method !== 'PATCH' || type.includes('apply')) return step.request.body as KubeObject;
  if (type.includes('json-patch')) {
    const out = structuredClone(old) as Record<string, unknown>;
    for (const op of step.request.body as { op: string; path: string; value: unknown }[]) {
      const keys = op.path.split('/').slice(1);
      const last = keys.pop() ?? '';
      let cur = out;
      for (const k of keys) cur = cur[k] as Record<string, unknown>;
      cur[last] = op.value;
    }
    return out as KubeObject;
  }
  return mergePatch(old, step.request.body) as KubeObject;
}

/** Replays every custom-resource write of a recorded case through admitCustomResource. */
function replay(caseName: string): void {
  describe(caseName, () => {
    const steps = loadSteps(caseName);
    const crd = crdDefaults(steps[0]?.request.body as KubeObject);
    const group = (crd['spec'] as { group: string }).group;
    const stored = new Map<string, KubeObject>();
    steps.forEach((step, i) => {
      if (!isCrWrite(step)) return;
      it(`step ${i + 1} ${step.request.method} ${step.description ?? nameOf(step)} → ${step.response.status}`, () => {
        const name = nameOf(step);
        const old = stored.get(name);
        const status = step.request.path.split('?')[0]?.endsWith('/status') ? 'status' : '';
        const isUpdate = old !== undefined && step.request.method !== 'POST';
        const body = patched(step, old);
        const { object, causes } = admitCustomResource(crd, 'v1', body, ctxFor(isUpdate ? old : undefined, status));
        const res = step.response;
        if (res.status === 422) {
          const recorded = res.body as StatusBody;
          expect(causes).to.deep.equal(recorded.details?.causes);
          expect(invalidMessage('Widget', group, name, causes)).to.equal(recorded.message);
          return;
        }
        expect(causes).to.deep.equal([]);
        const recorded = res.body as KubeObject;
        if (status === '' && step.request.method === 'POST') {
          // a create answers the admitted object itself: spec exactly as the real server stored it
          expect(object['spec']).to.deep.equal(recorded['spec']);
          expect(mismatch({ apiVersion: recorded.apiVersion, kind: recorded.kind }, object)).to.equal(undefined);
        }
        for (const path of step.compare?.absent ?? []) {
          let cur: unknown = object;
          for (const k of path) cur = (cur as Record<string, unknown> | undefined)?.[k];
          if (path[0] !== 'status') expect(cur, `absent ${path.join('.')}`).to.equal(undefined);
        }
        stored.set(name, recorded);
      });
    });
  });
}

describe('admitCustomResource against the recorded v1.24 answers', () => {
  replay('crd-validation-errors');
  replay('crd-cel-validation');
  replay('crd-defaults-and-pruning');
  replay('crd-status-subresource-generation');
  replay('crd-table-printer-columns');
  replay('crd-update-conflict-patch-types');
  replay('ssa-custom-resource-status');
  replay('crd-cluster-scoped');
});
