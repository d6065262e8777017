import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { thrownBy } from '../../test/helpers/thrown.ts';
import { RenderError } from './errors.ts';
import { tokenPrefix } from './placeholders.ts';
import { clearTemplateCache, renderCounts, renderTemplate, renderTemplatePlain } from './template.ts';

const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';

/** Strings YAML would mistake for something else, every JSON escape, and characters js-yaml refuses in blocks. */
const tricky = [
  'a: b # c', '- d', '"quoted" \'single\'', 'back\\slash', 'line\nbreak\r\ttab', '', ' lead and trail ', 'yes', 'null',
  '012', '1e3', '---', '...', '{[,]}', '&anchor *alias !tag', 'ümlaut ✓ 🦀', '\u2028\u2029\u0085', '\u007f\u0080\u009f',
  '\ud800 lone', '\ufeffbom', '\u0000nul\u0001', `${'x'.repeat(2000)}`,
];
const values: unknown[] = [
  ...tricky, 0, 5, -5, 0.1, -1.5e-7, 1e21, 2 ** 53 + 2, 123456789012345680000, true, false, null,
  [], {}, [1, 'two', null, [3]], { a: 1, b: { c: [true] } },
  { undefinedDropped: undefined, kept: 1 }, [undefined, 1], { 10: 'a', 2: 'b', z: 'c', '-1': 'd', __proto__: null },
  JSON.parse('{"__proto__": {"polluted": true}, "b": 1}') as unknown, new Date(0), { toJSON: () => 'custom' },
];

let dir: string;
let count = 0;

function template(source: string): string {
  const file = join(dir, `t${++count}.yaml.hbs`);
  writeFileSync(file, source);
  return file;
}

/** What each path gives: the objects (as JSON text, so key order counts) or the error message. */
function outcome(render: () => unknown): string {
  try {
    return `ok ${JSON.stringify(render())}`;
  } catch (error) {
    expect(error).to.be.instanceOf(RenderError);
    return `error ${(error as Error).message}`;
  }
}

/** Renders `source` with `data` on both paths: same objects, same key order, same error. Returns the fast path use. */
function same(source: string, data: object): { fast: number; result: string } {
  const file = template(source);
  const plain = outcome(() => renderTemplatePlain(file, data));
  const before = renderCounts.fast;
  const fast = outcome(() => renderTemplate(file, data));
  const used = renderCounts.fast - before;
  expect(fast, `${source} with ${JSON.stringify(data)}`).to.equal(plain);
  // Deep equality too: JSON text hides -0, prototypes and undefined.
  if (plain.startsWith('ok')) expect(renderTemplate(file, data)).to.deep.equal(renderTemplatePlain(file, data));
  return { fast: used, result: fast };
}

describe('render fast path (placeholders + memoised parse)', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-fast-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    clearTemplateCache();
  });

  it('puts values where plain scalars were: block mapping, block sequence, flow sequence, flow mapping', () => {
    const source = `${head}data:\n  v: {{json v}}\n  list:\n    - {{json v}}\n  flow: [{{json v}}, {{json v}}]\n`
      + `  map: { k: {{json v}}, other: 1 }\n  after: {{json v}} # comment\n`;
    for (const v of values) expect(same(source, { v }).fast, JSON.stringify(v)).to.equal(1);
  });

  it('puts values in a document with several documents, one left empty', () => {
    const source = `${head}data: {{json v}}\n---\n{{#if more}}${head}{{/if}}\n---\n${head}spec: {{json v}}\n`;
    expect(same(source, { v: { a: [1] }, more: false }).fast).to.equal(1);
    expect(same(source, { v: 'x', more: true }).result).to.match(/^error .*duplicated|^ok/);
  });

  it('takes mapping keys from placeholders, and fails like YAML on a repeated or complex key', () => {
    const source = `${head}data:\n  fixed: 1\n  {{json k}}: {{json v}}\n`;
    for (const k of ['key', 'with: colon', 5, 1.5, true, null, '__proto__', '10']) {
      expect(same(source, { k, v: 'x' }).fast, String(k)).to.equal(1);
    }
    expect(same(source, { k: 'fixed', v: 1 }).result).to.match(/^error .*duplicated mapping key/);
    expect(same(`${head}data:\n  {{json a}}: 1\n  {{json b}}: 2\n`, { a: 'same', b: 'same' }).result).to.match(/duplicated/);
    same(source, { k: { complex: 1 }, v: 1 });
    same(source, { k: [1], v: 1 });
  });

  it('splices values into literal and folded blocks', () => {
    const source = `${head}data:\n  literal: |\n    first {{json v}} line\n    {{json v}}\n  folded: >-\n    a {{json v}}\n    b\n`;
    for (const v of values) {
      const { fast } = same(source, { v });
      // js-yaml refuses some characters in blocks: those renders take the plain path, which reports the error.
      if (!/[\u007f-\u0084\u0086-\u009f]/.test(JSON.stringify(v) ?? '')) expect(fast, JSON.stringify(v)).to.equal(1);
    }
  });

  it('splices values into quoted strings when the quoting allows, and otherwise renders the plain way', () => {
    const double = `${head}data:\n  port: "{{json n}}"\n  url: "http://host:{{json n}}/x"\n`;
    expect(same(double, { n: 5984 }).fast).to.equal(1);
    expect(same(double, { n: [1, null] }).fast).to.equal(1);
    expect(same(double, { n: 'quoted' }).fast).to.equal(0);
    const single = `${head}data:\n  s: 'x {{json s}} y'\n`;
    expect(same(single, { s: 'a "b" \\ c' }).fast).to.equal(1);
    expect(same(single, { s: "it's" }).fast).to.equal(0);
  });

  it('puts nested JSON values, and leaves js-yaml to judge values nested too deep', () => {
    const source = `${head}data:\n  spec: {{json v}}\n  list: [{{json v}}]\n`;
    const nested = { a: { b: [{ c: { d: [1, { e: 'f' }] } }] }, g: [[[]]] };
    expect(same(source, { v: nested }).fast).to.equal(1);
    let deep: unknown = 'leaf';
    for (let i = 0; i < 120; i++) deep = [deep];
    expect(same(source, { v: deep }).result).to.match(/^error .*maxDepth/);
  });

  it('renders the plain way what it cannot prove: plain scalars with more text, consumed tokens, token-like data', () => {
    expect(same(`${head}data:\n  name: a-{{json n}}\n  n: 1{{json n}}\n`, { n: 5 }).fast).to.equal(0);
    expect(same(`${head}data:\n  b: {{b64 (json v)}}\n`, { v: 'x' }).fast).to.equal(0);
    expect(same(`${head}data:\n  e: {{#if (eq (json v) "1")}}one{{else}}other{{/if}}\n`, { v: 1 }).fast).to.equal(0);
    expect(same(`${head}data:\n  t: {{text}}\n  v: {{json v}}\n`, { text: `${tokenPrefix}0_`, v: 1 }).fast).to.equal(0);
    expect(same(`${head}data:\n  a: &a {{json v}}\n  b: *a\n`, { v: 1 }).fast).to.equal(0);
    expect(same(`${head}data:\n  a: !!str {{json v}}\n`, { v: 1 }).fast).to.equal(0);
    expect(same(`${head}# {{json v}}\ndata: {}\n`, { v: 1 }).fast).to.equal(0);
  });

  it('memoises the parse, and every call returns its own objects', () => {
    const file = template(`${head}data:\n  labels: {{json labels}}\n  list: [1, 2]\n`);
    const before = renderCounts.parses;
    const first = renderTemplate(file, { labels: { a: 'b' } });
    const second = renderTemplate(file, { labels: { a: 'b' } });
    const third = renderTemplate(file, { labels: { other: 'tenant' } });
    expect(renderCounts.parses - before).to.equal(1);
    (first[0]!['data'] as { labels: Record<string, string>; list: number[] }).labels['a'] = 'changed';
    (first[0]!['data'] as { list: number[] }).list.push(3);
    first[0]!.metadata.name = 'changed';
    expect(second[0]).to.deep.equal({ ...first[0], metadata: { name: 'x' }, data: { labels: { a: 'b' }, list: [1, 2] } });
    expect(third[0]!['data']).to.deep.equal({ labels: { other: 'tenant' }, list: [1, 2] });
    clearTemplateCache();
    renderTemplate(file, { labels: {} });
    expect(renderCounts.parses - before).to.equal(2);
  });

  it('still names the template, line and variable of a missing value', () => {
    const file = template(`${head}data:\n  size: {{json spec.size}}\n`);
    const error = thrownBy(RenderError, () => renderTemplate(file, { spec: {} }));
    expect(error.message).to.equal(`template t${count}.yaml.hbs line 6: missing variable "spec.size" in {{json spec.size}}`);
    expect(error.variable).to.equal('spec.size');
    expect(error.template).to.equal(file);
  });

  it('checks the documents it builds like the plain path (apiVersion, kind, metadata.name from placeholders)', () => {
    const source = 'apiVersion: {{json api}}\nkind: {{json kind}}\nmetadata:\n  name: {{json name}}\n';
    expect(same(source, { api: 'v1', kind: 'Secret', name: 'n' }).fast).to.equal(1);
    expect(same(source, { api: 'v1', kind: 'Secret', name: '' }).result).to.match(/has no metadata.name/);
    expect(same(source, { api: 1, kind: 'Secret', name: 'n' }).result).to.match(/has no apiVersion/);
  });
});
