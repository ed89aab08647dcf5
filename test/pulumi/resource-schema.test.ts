import { widgetSchema } from './fixtures/widget-schema';
import {
  deepEqual,
  defineResourceSchema,
  diffInputs,
  dynamicTypeToken,
} from '../../src/pulumi/handler-runtime';

describe('defineResourceSchema', () => {
  test('lists every problem at once', () => {
    expect(() =>
      defineResourceSchema<{ schemaVersion: number; shared: string }, { shared: string }>({
        module: 'bad module',
        type: 'Thing',
        handler: { module: '', name: 'Thing' },
        version: 0,
        inputs: { schemaVersion: {}, shared: {} },
        outputs: { shared: {} },
      }),
    ).toThrow(
      [
        "Invalid resource schema 'bad module:Thing':",
        "  - module 'bad module' must match /^[A-Za-z][A-Za-z0-9-]*$/",
        '  - handler.module is empty',
        '  - version 0 must be a positive integer',
        "  - 'schemaVersion' is reserved and cannot be an input or output",
        "  - 'shared' is both an input and an output; inputs are echoed already",
      ].join('\n'),
    );
  });

  test('gives the dynamic type token under the eksa-iac module prefix', () => {
    expect(dynamicTypeToken(widgetSchema)).toBe('pulumi-nodejs:dynamic/eksa-iac/test:Widget');
  });
});

describe('diffInputs', () => {
  test('compares only declared inputs, structurally, and names replacements with their reasons', () => {
    const olds = {
      dir: '/d',
      widgetName: 'a',
      size: 1,
      upstream: undefined,
      phase: 'ready',
      __provider: 'old',
    };

    expect(
      diffInputs(widgetSchema, olds, { dir: '/d', widgetName: 'a', size: 1, __provider: 'new' }).changed,
    ).toEqual([]);
    expect(diffInputs(widgetSchema, olds, { dir: '/d', widgetName: 'b', size: 2 })).toEqual({
      changed: ['widgetName', 'size'],
      unknown: [],
      replacements: [
        { input: 'widgetName', reason: "the name is the widget's identity on disk", unknown: false },
      ],
    });
  });

  test('deepEqual treats a missing key and undefined alike, and order of keys as irrelevant', () => {
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual({ a: [1, { x: 2 }], b: 1 }, { b: 1, a: [1, { x: 2 }] })).toBe(true);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual(null, undefined)).toBe(false);
  });
});
