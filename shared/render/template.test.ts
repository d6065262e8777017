import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { thrownBy } from '../../test/helpers/thrown.ts';
import { RenderError } from './errors.ts';
import { clearTemplateCache, renderDir, renderTemplate } from './template.ts';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const data = {
  name: 'acme-couchdb',
  namespace: 'tenant-acme',
  labels: { 'app.kubernetes.io/name': 'couchdb', 'app.kubernetes.io/instance': 'acme-couchdb' },
  selector: { 'app.kubernetes.io/name': 'couchdb' },
  ports: [{ name: 'http', port: 5984 }, { name: 'epmd: "x"', port: 4369 }],
  headless: true,
  serviceName: null,
  ini: '[couchdb]\nsingle_node = true\n\n[chttpd]\nport = 5984\n',
  note: 'yes: no # not a comment\nsecond line',
  password: 's3cr3t!',
};

describe('render templates', () => {
  it('renders a directory in file name order (golden)', () => {
    const golden: unknown = JSON.parse(readFileSync(join(fixtures, 'golden.json'), 'utf8'));
    expect(renderDir(join(fixtures, 'golden'), data)).to.deep.equal(golden);
  });

  it('drops documents left empty by a condition', () => {
    const objects = renderDir(new URL('./fixtures/golden', import.meta.url), { ...data, headless: false });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).to.deep.equal([
      'Service/acme-couchdb', 'ConfigMap/acme-couchdb-config', 'Secret/acme-couchdb-admin',
    ]);
  });

  it('names the template and the variable when a plain {{variable}} is missing', () => {
    const error = thrownBy(RenderError, () => renderTemplate(join(fixtures, 'bad/missing-plain.yaml.hbs'), { name: 'x' }));
    expect(error.name).to.equal('RenderError');
    expect(error.variable).to.equal('namespace');
    expect(error.template).to.equal(join(fixtures, 'bad/missing-plain.yaml.hbs'));
    expect(error.message).to.equal('template missing-plain.yaml.hbs line 5: missing variable "namespace"');
    expect(error.reasonCode).to.equal('RenderFailed');
  });

  it('names the variable when a helper argument is missing (strict mode does not check those)', () => {
    const error = thrownBy(RenderError, () => renderTemplate(join(fixtures, 'bad/missing.yaml.hbs'), { name: 'x', spec: { storage: {} } }));
    expect(error.variable).to.equal('spec.storage.size');
    expect(error.message).to.equal('template missing.yaml.hbs line 6: missing variable "spec.storage.size" in {{json spec.storage.size}}');
  });

  it('names the template when a parent object is missing', () => {
    const error = thrownBy(RenderError, () => renderTemplate(join(fixtures, 'bad/missing.yaml.hbs'), { name: 'x', spec: {} }));
    expect(error.message).to.match(/^template missing\.yaml\.hbs: /);
  });

  it('rejects documents that are not Kubernetes objects, and invalid YAML', () => {
    expect(thrownBy(RenderError, () => renderTemplate(join(fixtures, 'bad/no-name.yaml.hbs'), {})).message)
      .to.equal('template no-name.yaml.hbs document 1 has no metadata.name');
    expect(thrownBy(RenderError, () => renderTemplate(join(fixtures, 'bad/invalid.yaml.hbs'), { name: 'x', note: 'a: b: c' })).message)
      .to.match(/^template invalid\.yaml\.hbs produced invalid YAML: /);
    expect(thrownBy(RenderError, () => renderTemplate(join(fixtures, 'nope.yaml.hbs'), {})).message).to.match(/cannot read template/);
  });

  it('caches templates after the first read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nimbus-render-'));
    try {
      const file = join(dir, 'a.yaml.hbs');
      writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{name}}\n');
      expect(renderTemplate(file, { name: 'one' })[0]!.metadata.name).to.equal('one');
      writeFileSync(file, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{name}}\n');
      expect(renderTemplate(file, { name: 'two' })[0]!.kind).to.equal('ConfigMap');
      clearTemplateCache();
      expect(renderTemplate(file, { name: 'two' })[0]!.kind).to.equal('Secret');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      clearTemplateCache();
    }
  });
});
