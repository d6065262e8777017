/**
 * The comparison rules of the replay, each shown to pass and to FAIL on small synthetic answers.
 */
import { expect } from 'chai';
import { compareBody, compareEvents, compareStep } from './compare.ts';
import type { CompareContext } from './compare.ts';
import { resolvePath } from './path.ts';
import { substituteRequest } from './template.ts';
import type { CaseStep, StepResult } from './types.ts';
import { holds } from './until.ts';

const ctx: CompareContext = { results: [] };
const ok = (rec: unknown, act: unknown, c: CompareContext = ctx): void => {
  expect(compareBody(rec, act, c)).to.equal(null);
};
const bad = (rec: unknown, act: unknown, c: CompareContext = ctx): void => {
  expect(compareBody(rec, act, c)).to.be.a('string');
};

describe('conformance comparison rules', () => {
  it('objects: recorded ⊆ actual, extra keys allowed, missing keys fail', () => {
    ok({ a: 1 }, { a: 1, b: 2 });
    bad({ a: 1, c: 3 }, { a: 1 });
    expect(compareBody({ m: { x: 'y' } }, { m: {} }, ctx)).to.equal('.m.x: expected "y", got absent');
  });

  it('null matches absent and null only; {} must be present as an object', () => {
    ok({ t: null }, {});
    ok({ t: null }, { t: null });
    bad({ t: null }, { t: 'x' });
    ok({ status: {} }, { status: { phase: 'x' } });
    bad({ status: {} }, {});
    bad({ status: {} }, { status: 'x' });
  });

  it('scalars are strictly equal', () => {
    ok({ n: 1, b: true }, { n: 1, b: true });
    bad({ n: 1 }, { n: '1' });
    bad({ b: true }, { b: 'true' });
  });

  it('placeholders match whole strings of their pattern', () => {
    ok({ name: 'cfg-<generated>' }, { name: 'cfg-x7k2p' });
    bad({ name: 'cfg-<generated>' }, { name: 'cfg-abc' });
    bad({ name: 'cfg-<generated>' }, { name: 'other-x7k2p' });
    ok({ t: '<time>' }, { t: '2026-01-01T00:00:00Z' });
    ok({ t: '<time>' }, { t: '2026-01-01T00:00:00.123456Z' });
    bad({ t: '<time>' }, { t: 'yesterday' });
    ok({ uid: '<uid>' }, { uid: 'a-b-c' });
    bad({ uid: '<uid>' }, { uid: '' });
    bad({ uid: '<uid>' }, { uid: 42 });
    ok({ ip: '<ip>' }, { ip: '10.0.0.12' });
    bad({ ip: '<ip>' }, { ip: 'None' });
    ok({ c: '<continue>' }, { c: '' });
    ok({ m: 'too old (<rv>)' }, { m: 'too old (123)' });
    ok({ a: '<any>' }, { a: 'x y' });
  });

  it('back-references equal the value of an earlier actual result', () => {
    const results: StepResult[] = [{ status: 201, contentType: 'application/json', body: { metadata: { resourceVersion: '7' } } }];
    ok({ rv: '{{step1.body.metadata.resourceVersion}}' }, { rv: '7' }, { results });
    bad({ rv: '{{step1.body.metadata.resourceVersion}}' }, { rv: '8' }, { results });
  });

  it('list items: matched by identity, any order, equal count', () => {
    const item = (name: string, v = '1'): unknown => ({ metadata: { namespace: 'ns', name }, data: { v } });
    ok({ items: [item('a'), item('b')] }, { items: [item('b'), item('a')] });
    bad({ items: [item('a')] }, { items: [item('a'), item('b')] });
    bad({ items: [] }, { items: [item('a')] });
    bad({ items: [item('a', '1')] }, { items: [item('a', '2')] });
    ok({ items: [item('cfg-<generated>')] }, { items: [item('cfg-ab12c')] });
    bad({ items: [item('a')] }, { items: [item('c')] });
  });

  it('details.causes: multiset of (field, reason), messages ignored', () => {
    const st = (causes: unknown[]): unknown => ({ kind: 'Status', details: { causes } });
    const c = (field: string, reason: string, message = 'm'): unknown => ({ field, reason, message });
    ok(st([c('a', 'R'), c('b', 'S')]), st([c('b', 'S', 'other'), c('a', 'R')]));
    bad(st([c('a', 'R')]), st([c('a', 'R'), c('a', 'R')]));
    bad(st([c('a', 'R'), c('a', 'R')]), st([c('a', 'R'), c('b', 'R')]));
    bad(st([c('a', 'R')]), st([c('a', 'S')]));
  });

  it('discovery lists: recorded entries present and matching, extra entries allowed', () => {
    const res = (name: string, verbs: string[]): unknown => ({ name, verbs, namespaced: true });
    ok({ kind: 'APIResourceList', resources: [res('pods', ['get', 'list'])] },
      { kind: 'APIResourceList', resources: [res('secrets', ['get']), res('pods', ['list', 'get'])] });
    bad({ kind: 'APIResourceList', resources: [res('pods', ['get'])] }, { kind: 'APIResourceList', resources: [res('secrets', ['get'])] });
    bad({ kind: 'APIResourceList', resources: [res('pods', ['get', 'list'])] }, { kind: 'APIResourceList', resources: [res('pods', ['get'])] });
    ok({ kind: 'APIGroupList', groups: [{ name: 'apps' }] }, { kind: 'APIGroupList', groups: [{ name: 'batch' }, { name: 'apps' }] });
    bad({ kind: 'APIGroupList', groups: [{ name: 'apps' }] }, { kind: 'APIGroupList', groups: [{ name: 'batch' }] });
    ok({ kind: 'APIGroup', versions: [{ groupVersion: 'a/v1' }] }, { kind: 'APIGroup', versions: [{ groupVersion: 'a/v2' }, { groupVersion: 'a/v1' }] });
    bad({ kind: 'APIGroup', versions: [{ groupVersion: 'a/v1' }] }, { kind: 'APIGroup', versions: [{ groupVersion: 'a/v2' }] });
  });

  it('verbs, shortNames and categories are sets; other arrays are ordered with equal length', () => {
    ok({ shortNames: ['a', 'b'] }, { shortNames: ['b', 'a'] });
    bad({ shortNames: ['a', 'b'] }, { shortNames: ['a'] });
    bad({ categories: ['all'] }, { categories: ['all', 'x'] });
    ok({ finalizers: ['a', 'b'] }, { finalizers: ['a', 'b'] });
    bad({ finalizers: ['a', 'b'] }, { finalizers: ['b', 'a'] });
    bad({ containers: [{ name: 'a' }] }, { containers: [{ name: 'a' }, { name: 'b' }] });
  });

  it('managedFields and compare.ignore paths (with *) are never compared', () => {
    ok({ metadata: { managedFields: [{ manager: 'x' }] } }, { metadata: {} });
    ok({ status: { a: 1 } }, { status: { a: 2 } }, { results: [], ignore: [['status']] });
    ok({ x: [{ t: 1 }] }, { x: [{ t: 2 }] }, { results: [], ignore: [['x', '*', 't']] });
    bad({ status: { a: 1 } }, { status: { a: 2 } }, { results: [], ignore: [['spec']] });
  });

  it('Status message: exact by default, or prefix / contains / ignore', () => {
    const st = (message: string): unknown => ({ kind: 'Status', message });
    ok(st('a b'), st('a b'));
    bad(st('a b'), st('a b c'));
    ok(st('X is invalid: whatever'), st('X is invalid: other'), { results: [], message: { prefix: 'X is invalid: ' } });
    bad(st('X is invalid: whatever'), st('Y is invalid: other'), { results: [], message: { prefix: 'X is invalid: ' } });
    ok(st('x'), st('rule: must not exceed'), { results: [], message: { contains: ['must not exceed'] } });
    bad(st('x'), st('rule: other'), { results: [], message: { contains: ['must not exceed'] } });
    ok(st('x'), st('y'), { results: [], message: 'ignore' });
  });

  it('steps: status code, media type, string bodies and absent paths', () => {
    const step = (response: CaseStep['response'], compare?: CaseStep['compare']): CaseStep =>
      ({ request: { method: 'GET', path: '/' }, response, ...(compare ? { compare } : {}) });
    const json = (status: number, body: unknown): StepResult => ({ status, contentType: 'application/json; charset=utf-8', body });
    expect(compareStep(step({ status: 200, contentType: 'application/json', body: {} }), json(200, {}), [])).to.equal(null);
    expect(compareStep(step({ status: 200, contentType: 'application/json', body: {} }), json(201, {}), [])).to.match(/^status/);
    expect(compareStep(step({ status: 404, contentType: 'text/plain', body: '404 page not found\n' }), { status: 404, contentType: 'text/plain; charset=utf-8', body: '404 page not found\n' }, [])).to.equal(null);
    expect(compareStep(step({ status: 404, contentType: 'text/plain', body: '404 page not found\n' }), json(404, '404 page not found\n'), [])).to.match(/^content type/);
    expect(compareStep(step({ status: 404, contentType: 'text/plain', body: '404 page not found\n' }), { status: 404, contentType: 'text/plain', body: '404 page not found' }, [])).to.match(/^body/);
    const absent = step({ status: 200, contentType: 'application/json', body: {} }, { absent: [['data', 'b']] });
    expect(compareStep(absent, json(200, { data: { a: '1' } }), [])).to.equal(null);
    expect(compareStep(absent, json(200, { data: { b: '1' } }), [])).to.match(/expected absent/);
  });

  it('watch events: bookmarks dropped, in order by default, as a set when eventsUnordered', () => {
    const ev = (type: string, name: string): { type: string; object: unknown } => ({ type, object: { metadata: { namespace: 'n', name, resourceVersion: '1' } } });
    const rec = [ev('ADDED', 'a'), ev('MODIFIED', 'a')];
    expect(compareEvents(rec, [ev('ADDED', 'a'), ev('BOOKMARK', ''), ev('MODIFIED', 'a')], {}, [])).to.equal(null);
    expect(compareEvents(rec, [ev('MODIFIED', 'a'), ev('ADDED', 'a')], {}, [])).to.be.a('string');
    expect(compareEvents(rec, [ev('ADDED', 'a')], {}, [])).to.be.a('string');
    expect(compareEvents([ev('ADDED', 'a'), ev('ADDED', 'b')], [ev('ADDED', 'b'), ev('ADDED', 'a')], { eventsUnordered: true }, [])).to.equal(null);
    expect(compareEvents([ev('ADDED', 'a'), ev('ADDED', 'b')], [ev('ADDED', 'b'), ev('ADDED', 'b')], { eventsUnordered: true }, [])).to.be.a('string');
    expect(compareEvents([], [{ type: 'BOOKMARK', object: { metadata: {} } }], {}, [])).to.match(/BOOKMARK/);
  });
});

describe('conformance templates and poll conditions', () => {
  const results: StepResult[] = [
    { status: 201, contentType: 'application/json', body: {
      metadata: { name: 'cfg-x1', uid: 'u1', resourceVersion: '12', annotations: { 'a.b/c': 'dot' } },
      status: { conditions: [{ type: 'Other', status: 'False' }, { type: 'Ready', status: 'True' }], token: 't0k' },
      items: [1, 2, 3], groups: [{ name: 'x.example.com' }],
    } },
  ];

  it('resolves keys, indexes, [key=value], ["dotted/key"] and .length', () => {
    expect(resolvePath(results[0], 'body.status.conditions[type=Ready].status')).to.equal('True');
    expect(resolvePath(results[0], 'body.metadata.annotations["a.b/c"]')).to.equal('dot');
    expect(resolvePath(results[0], 'body.items[1]')).to.equal(2);
    expect(resolvePath(results[0], 'body.items.length')).to.equal(3);
    expect(resolvePath(results[0], 'body.groups[name=x.example.com].name')).to.equal('x.example.com');
    expect(resolvePath(results[0], 'body.nothing.here')).to.equal(undefined);
  });

  it('substitutes whole-string templates with their type, partial ones as text', () => {
    const req = substituteRequest({
      method: 'PUT', path: '/x/{{step1.body.metadata.name}}?resourceVersion={{step1.body.metadata.resourceVersion}}',
      headers: { Authorization: 'Bearer {{step1.body.status.token}}' },
      body: { n: '{{step1.body.items.length}}', uid: '{{step1.body.metadata.uid}}', s: 'rv {{step1.body.items.length}}' },
    }, results);
    expect(req.path).to.equal('/x/cfg-x1?resourceVersion=12');
    expect(req.headers).to.deep.equal({ Authorization: 'Bearer t0k' });
    expect(req.body).to.deep.equal({ n: 3, uid: 'u1', s: 'rv 3' });
    expect(() => substituteRequest({ method: 'GET', path: '/{{step2.body.x}}' }, results)).to.throw(/step 2/);
  });

  it('evaluates until conditions: ==, !=, &&, missing = null, string forms', () => {
    const r = results[0]!;
    expect(holds('status == 201', r)).to.equal(true);
    expect(holds('status == "201"', r)).to.equal(true);
    expect(holds('status != 201', r)).to.equal(false);
    expect(holds('body.status.conditions[type=Ready].status == "True"', r)).to.equal(true);
    expect(holds('body.status.conditions[type=Gone].status == null', r)).to.equal(true);
    expect(holds('body.status.conditions[type=Gone].status == "True"', r)).to.equal(false);
    expect(holds('body.metadata == null', r)).to.equal(false);
    expect(holds('status == 201 && body.metadata.name == cfg-x1', r)).to.equal(true);
    expect(holds('status == 201 && body.metadata.name == other', r)).to.equal(false);
  });
});
