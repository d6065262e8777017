import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { fieldChanges } from './field-diff.ts';
import { FieldSet, fieldSetOf, fieldsV1Of, toFieldsV1, valueAt } from './field-set.ts';
import { deepEqual } from './json-value.ts';

/** The definition the fast paths replace: both full field sets, then a lookup from the root per path. */
function reference(old: KubeObject, updated: KubeObject, subresource: '' | 'status'): { changed: FieldSet; gone: FieldSet } {
  const before = fieldSetOf(old, subresource);
  const after = fieldSetOf(updated, subresource);
  const changed = new FieldSet(after.paths().filter((p) => !before.has(p) || !deepEqual(valueAt(old, p).value, valueAt(updated, p).value)));
  return { changed, gone: before.minus(after) };
}

/** A seeded generator of JSON objects with maps, keyed lists (containers, conditions), set lists and leaves. */
function generator(seed: number): { object: () => KubeObject; mutate: (o: KubeObject) => KubeObject } {
  let state = seed;
  const rnd = (): number => { state = (state * 1103515245 + 12345) & 0x7fffffff; return state / 0x7fffffff; };
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const value = (depth: number): unknown => {
    const r = rnd();
    if (depth > 3 || r < 0.35) return pick<unknown>([1, 2, 'a', true, null, {}, []]);
    if (r < 0.6) {
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(rnd() * 4); i > 0; i--) o[pick(['a', 'b', 'name', 'containers', 'finalizers', 'conditions'])] = value(depth + 1);
      return o;
    }
    const list: unknown[] = [];
    for (let i = Math.floor(rnd() * 4); i > 0; i--) list.push(rnd() < 0.6 ? { name: pick(['x', 'y']), type: pick(['Ready', 'Synced']), v: value(depth + 2) } : value(depth + 2));
    return list;
  };
  const mutate = (v: unknown, depth: number): unknown => {
    if (rnd() < 0.2) return value(depth);
    if (Array.isArray(v)) return (v as unknown[]).filter(() => rnd() < 0.9).map((x: unknown) => (rnd() < 0.3 ? mutate(x, depth + 1) : x));
    if (typeof v !== 'object' || v === null) return v;
    const o: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    for (const k of Object.keys(o)) {
      if (rnd() < 0.1) delete o[k];
      else if (rnd() < 0.4) o[k] = mutate(o[k], depth + 1);
    }
    if (rnd() < 0.3) o[pick(['a', 'z'])] = value(depth + 1);
    return o;
  };
  return {
    object: () => ({
      apiVersion: 'v1', kind: 'X',
      metadata: { name: 'n', uid: 'u', labels: value(1), finalizers: value(1) },
      spec: value(0), status: value(0), data: value(0),
    }) as unknown as KubeObject,
    mutate: (o) => ({ ...(mutate(o, 0) as KubeObject), metadata: mutate(o.metadata, 1) as KubeObject['metadata'] }),
  };
}

describe('field changes of a write (fast paths)', () => {
  it('fieldChanges gives the changed (in order) and gone fields of the full comparison', () => {
    const g = generator(1);
    for (let i = 0; i < 3000; i++) {
      const old = g.object();
      const updated = g.mutate(old);
      if (typeof updated.metadata !== 'object' || updated.metadata === null || Array.isArray(updated.metadata)) continue;
      for (const sub of ['', 'status'] as const) {
        const want = reference(old, updated, sub);
        const got = fieldChanges(old, updated, sub);
        expect(got.changed.paths(), JSON.stringify({ old, updated, sub })).to.deep.equal(want.changed.paths());
        expect(got.gone.equals(want.gone)).to.equal(true);
      }
    }
  });

  it('fieldsV1Of builds the same tree (key order included) as toFieldsV1 of the field set', () => {
    const g = generator(2);
    for (let i = 0; i < 3000; i++) {
      const object = g.object();
      for (const sub of ['', 'status'] as const) {
        expect(JSON.stringify(fieldsV1Of(object, sub))).to.equal(JSON.stringify(toFieldsV1(fieldSetOf(object, sub))));
      }
    }
  });
});
