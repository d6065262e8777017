import { expect } from 'chai';
import Handlebars from 'handlebars';
import { load } from 'js-yaml';
import { helpers, MissingValue, withJsonCapture } from './helpers.ts';

const hb = Handlebars.create();
hb.registerHelper(helpers);
const render = (source: string, data: object): string => hb.compile(source, { strict: true, noEscape: true })(data);

describe('render helpers', () => {
  it('json puts any value into YAML safely', () => {
    const tricky = { s: 'a: b # c\n- d "e" \'f\'', n: 3, list: [1, 'x'], nested: { k: null }, empty: '' };
    const text = render('v: {{json v}}\n', { v: tricky });
    expect(load(text)).to.deep.equal({ v: tricky });
    expect(render('v: {{json v}}', { v: null })).to.equal('v: null');
  });

  it('json hands its text to an active capture and prints what the capture returns, only during the capture', () => {
    const texts: string[] = [];
    const into = { add: (text: string) => `<${texts.push(text) - 1}>` };
    const text = withJsonCapture(into, () => render('a: {{json a}}\nb: {{json b}}\nf: {{json f}}', { a: 'x', b: { c: [1] }, f: () => 1 }));
    expect(text).to.equal('a: <0>\nb: <1>\nf: ');
    expect(texts).to.deep.equal(['"x"', '{"c":[1]}']);
    expect(render('a: {{json a}}', { a: 'x' })).to.equal('a: "x"');
  });

  it('b64 encodes UTF-8', () => {
    expect(render('{{b64 v}}', { v: 'pässword' })).to.equal(Buffer.from('pässword').toString('base64'));
    expect(render('{{b64 v}}', { v: 42 })).to.equal('NDI=');
  });

  it('indent indents every non-empty line', () => {
    expect(render('{{indent 2 v}}', { v: 'a\n\nb\n' })).to.equal('  a\n\n  b\n');
  });

  it('eq and default', () => {
    expect(render('{{#if (eq r 1)}}single{{else}}cluster{{/if}}', { r: 1 })).to.equal('single');
    expect(render('{{#if (eq r 1)}}single{{else}}cluster{{/if}}', { r: 3 })).to.equal('cluster');
    expect(render('{{default v "x"}}', { v: null })).to.equal('x');
    expect(render('{{default v "x"}}', { v: 'y' })).to.equal('y');
    expect(render('{{#if missing}}a{{else}}b{{/if}}', {})).to.equal('b');
  });

  it('value helpers throw MissingValue with the location for undefined arguments', () => {
    for (const source of ['{{json v}}', '{{b64 v}}', '{{indent 2 v}}']) {
      let error: unknown;
      try { render(`x\n  ${source}`, {}); } catch (e) { error = e; }
      expect(error, source).to.be.instanceOf(MissingValue);
      expect((error as MissingValue).loc?.start).to.deep.equal({ line: 2, column: 2 });
    }
  });
});
