import * as path from 'node:path';
import { generate } from './crd-generator';
import { CONSTRUCT_CRDS, SHARED_CRDS_DIR, SIMULATED_SITE_CRDS, SPEC_SCHEMA_CRDS } from './crd-imports';

const root = path.resolve(__dirname, '..');
generate({
  crdsDir: path.resolve(root, SHARED_CRDS_DIR),
  constructCrds: CONSTRUCT_CRDS,
  siteCrds: SIMULATED_SITE_CRDS,
  importsDir: path.join(root, 'src/manifests/imports'),
  schemaFile: path.join(root, 'src/testing/generated/crds.ts'),
  cdk8sBin: path.join(root, 'node_modules/.bin/cdk8s'),
  specSchemaCrds: SPEC_SCHEMA_CRDS,
  specSchemaFile: path.join(root, 'src/spec/generated/schemas.ts'),
});
console.log('imports regenerated');
