import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../kube/types';

/**
 * The objects of a multi-document YAML manifest (helm template output, a downloaded components file). Empty
 * documents are skipped and `List` objects are flattened.
 * @throws Error naming the source and the document when a document is not YAML or not an object
 */
export function parseManifest(text: string, source: string): KubeObject[] {
  const out: KubeObject[] = [];
  parseAllDocuments(text).forEach((doc, index) => {
    if (doc.errors.length > 0) {
      throw new Error(`${source}: document ${index + 1} is not valid YAML: ${doc.errors[0].message}`);
    }
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new Error(`${source}: document ${index + 1} is not a Kubernetes object`);
    }
    const object = value as KubeObject;
    if (object.kind === 'List' || (object.kind?.endsWith('List') && Array.isArray(object.items))) {
      out.push(...((object.items as KubeObject[]) ?? []));
      return;
    }
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string' || !object.metadata?.name) {
      throw new Error(`${source}: document ${index + 1} lacks apiVersion, kind or metadata.name`);
    }
    out.push(object);
  });
  return out;
}
