import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generate, stripSchema } from '../../projenrc/crd-generator';
import {
  CONSTRUCT_CRDS,
  SHARED_CRDS_DIR,
  SIMULATED_SITE_CRDS,
  SPEC_SCHEMA_CRDS,
} from '../../projenrc/crd-imports';

const root = path.resolve(__dirname, '../..');

describe('stripSchema', () => {
  test('drops the description keyword at every depth but keeps a field named "description"', () => {
    const schema = {
      type: 'object',
      description: 'prose',
      properties: {
        description: { type: 'string', description: 'a field called description' },
        items: {
          type: 'array',
          description: 'x',
          items: { type: 'object', description: 'y', properties: {} },
        },
      },
      additionalProperties: { type: 'string', description: 'z' },
    };
    expect(stripSchema(schema)).toEqual({
      type: 'object',
      properties: {
        description: { type: 'string' },
        items: { type: 'array', items: { type: 'object', properties: {} } },
      },
      additionalProperties: { type: 'string' },
    });
  });

  test('keeps data keywords verbatim, even when they contain a description key', () => {
    const schema = { type: 'object', default: { description: 'kept' }, enum: ['a', 'b'] };
    expect(stripSchema(schema)).toEqual(schema);
  });
});

describe('committed imports', () => {
  test('equal a fresh import from ../shared/crds', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'eksa-iac-imports-'));
    try {
      generate({
        crdsDir: path.resolve(root, SHARED_CRDS_DIR),
        constructCrds: CONSTRUCT_CRDS,
        siteCrds: SIMULATED_SITE_CRDS,
        importsDir: path.join(out, 'imports'),
        schemaFile: path.join(out, 'crds.ts'),
        cdk8sBin: path.join(root, 'node_modules/.bin/cdk8s'),
        specSchemaCrds: SPEC_SCHEMA_CRDS,
        specSchemaFile: path.join(out, 'spec-schemas.ts'),
      });
      const committedDir = path.join(root, 'src/manifests/imports');
      const fresh = fs.readdirSync(path.join(out, 'imports')).sort();
      expect(fs.readdirSync(committedDir).sort()).toEqual(fresh);
      for (const file of fresh) {
        const a = fs.readFileSync(path.join(committedDir, file), 'utf8');
        const b = fs.readFileSync(path.join(out, 'imports', file), 'utf8');
        expect({ file, same: a === b }).toEqual({ file, same: true });
      }
      const schemas = fs.readFileSync(path.join(root, 'src/testing/generated/crds.ts'), 'utf8');
      expect(schemas === fs.readFileSync(path.join(out, 'crds.ts'), 'utf8')).toBe(true);
      const specSchemas = fs.readFileSync(path.join(root, 'src/spec/generated/schemas.ts'), 'utf8');
      expect(specSchemas === fs.readFileSync(path.join(out, 'spec-schemas.ts'), 'utf8')).toBe(true);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 180_000);

  test('carry no upstream description text', () => {
    const dir = path.join(root, 'src/manifests/imports');
    for (const file of fs.readdirSync(dir)) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      expect({
        file,
        found: /More info: https:\/\/git\.k8s\.io|Standard object.s metadata/.test(text),
      }).toEqual({
        file,
        found: false,
      });
    }
    const schemas = fs.readFileSync(path.join(root, 'src/testing/generated/crds.ts'), 'utf8');
    // A field named description maps to a schema object; the keyword would map to prose.
    expect(schemas).not.toMatch(/"description":"/);
    const specSchemas = fs.readFileSync(path.join(root, 'src/spec/generated/schemas.ts'), 'utf8');
    expect(specSchemas).not.toMatch(/"description": "/);
    expect(specSchemas).not.toMatch(/"status":/);
  });
});
