import { expect } from 'chai';
import { badValue, goFloat, goQuote, goSharpV } from './go-format.ts';
import { invalidMessage, notSupported, required } from './messages.ts';

describe('Go renderings used in messages', () => {
  it('formats floats like %v', () => {
    expect([10, 2.5, 0.1, 1e6, 123456, 1234567, 0.00001, -3].map(goFloat))
      .to.deep.equal(['10', '2.5', '0.1', '1e+06', '123456', '1.234567e+06', '1e-05', '-3']);
  });

  it('formats unstructured values like %#v with sorted keys', () => {
    expect(goSharpV({ b: [1, 'two', null], a: { x: true } }))
      .to.equal('map[string]interface {}{"a":map[string]interface {}{"x":true}, "b":[]interface {}{1, "two", interface {}(nil)}}');
  });

  it('quotes like strconv.Quote and prints bad values like field.Error', () => {
    expect(goQuote('a"b\n\x01')).to.equal('"a\\"b\\n\\x01"');
    expect([badValue(2), badValue('x'), badValue(null), badValue(true), badValue(1.5)]).to.deep.equal(['2', '"x"', 'null', 'true', '1.5']);
  });

  it('aggregates several causes as [a, b] and de-duplicates', () => {
    const a = required('spec.size');
    const b = notSupported('spec.color', 'pink', ['red', 'blue']);
    expect(invalidMessage('Widget', 'g.example.com', 'w', [a])).to.equal('Widget.g.example.com "w" is invalid: spec.size: Required value');
    expect(invalidMessage('Widget', 'g.example.com', 'w', [a, b, a])).to.equal(
      'Widget.g.example.com "w" is invalid: [spec.size: Required value, spec.color: Unsupported value: "pink": supported values: "red", "blue"]');
  });
});
