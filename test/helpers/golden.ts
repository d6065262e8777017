/**
 * Golden files for rendered objects: compare a render with `testdata/<name>.golden.yaml`, or rewrite the file when
 * `UPDATE_GOLDEN=1`. Test support only.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';

/** Objects as one multi-document YAML text, in the given order. */
export function toYaml(objects: readonly KubeObject[]): string {
  return objects.map((o) => yaml.dump(o, { lineWidth: -1, noRefs: true })).join('---\n');
}

/** Asserts `objects` render to the golden file at `path` (absolute), or writes it when UPDATE_GOLDEN=1. */
export function expectGolden(path: string, objects: readonly KubeObject[]): void {
  const actual = toYaml(objects);
  if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(path)) {
    if (process.env['UPDATE_GOLDEN'] !== '1') throw new Error(`golden file ${path} is missing: run with UPDATE_GOLDEN=1`);
    writeFileSync(path, actual);
    return;
  }
  expect(actual, `render differs from ${path} (UPDATE_GOLDEN=1 rewrites it)`).to.equal(readFileSync(path, 'utf8'));
}

/** A deterministic stand-in for crypto.randomBytes: each call returns the next bytes of a counter. */
export function fakeRandom(): (size: number) => Buffer {
  let next = 0;
  return (size) => Buffer.from(Array.from({ length: size }, () => next++ & 0xff));
}
