import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { parseAllDocuments } from 'yaml';
import type { ManifestObject } from './manifest-object';
import { ClusterConfigError, providerOf, type ClusterConfig, type Issue } from '../../spec';

/** Marks the class PersistentVolumeClaims without a `storageClassName` get. */
export const DEFAULT_STORAGE_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
/** The pre-GA spelling of the same annotation, still honoured by Kubernetes. */
export const BETA_DEFAULT_STORAGE_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';
/** The vSphere CSI driver. */
export const VSPHERE_CSI_PROVISIONER = 'csi.vsphere.vmware.com';
/** The name of the default class EKS-A installed on vSphere clusters. */
export const VSPHERE_DEFAULT_STORAGE_CLASS_NAME = 'standard';
/** The vSAN policy every vSAN datastore has. */
export const DEFAULT_VSPHERE_STORAGE_POLICY = 'vSAN Default Storage Policy';

/** Properties of {@link vsphereDefaultStorageClass}. */
export interface VSphereStorageClassProps {
  /** @default "standard" */
  readonly name?: string;
  /** vSphere storage policy volumes are placed by. @default "vSAN Default Storage Policy" */
  readonly storagePolicyName?: string;
}

/** Options for {@link storageClassesFor}. */
export interface StorageClassOptions {
  /**
   * StorageClass objects of the user (parsed YAML or objects written in code). When given they replace the
   * provider's default class, so that a cluster never ends up with two default classes.
   * @default the provider's default (vSphere: `standard`; docker: none)
   */
  readonly storageClasses?: readonly unknown[];
  /** Where `storageClasses` came from, for messages. */
  readonly file?: string;
  /** Settings of the vSphere default class. */
  readonly vsphere?: VSphereStorageClassProps;
}

/**
 * The default StorageClass EKS-A installed on vSphere clusters before v0.16: `standard`, marked default,
 * provisioned by the vSphere CSI driver with the vSAN default storage policy. Volumes are provisioned only once the
 * vSphere CSI driver runs in the cluster; EKS-A no longer installs it (since v0.16), so install it yourself.
 */
export function vsphereDefaultStorageClass(props: VSphereStorageClassProps = {}): ManifestObject {
  const chart = new Chart(new App(), 'storage');
  new k8s.KubeStorageClass(chart, 'default', {
    metadata: {
      name: props.name ?? VSPHERE_DEFAULT_STORAGE_CLASS_NAME,
      annotations: { [DEFAULT_STORAGE_CLASS_ANNOTATION]: 'true' },
    },
    provisioner: VSPHERE_CSI_PROVISIONER,
    parameters: { storagePolicyName: props.storagePolicyName ?? DEFAULT_VSPHERE_STORAGE_POLICY },
  });
  return chart.toJson()[0] as ManifestObject;
}

/**
 * The StorageClasses the create workflow installs on a new cluster (the seed's "install the StorageClass" step):
 * the user's, validated, when given; else the provider's default — vSphere's `standard` class, and none on docker,
 * whose nodes run kube-controller-manager's host-path provisioner instead (CAPD's `enable-hostpath-provisioner`).
 *
 * @throws ClusterConfigError listing every problem of the user's classes, before anything is applied
 */
export function storageClassesFor(
  config: ClusterConfig,
  options: StorageClassOptions = {},
): ManifestObject[] {
  if (options.storageClasses !== undefined) {
    const issues = validateStorageClasses(options.storageClasses, options.file);
    if (issues.some((i) => i.severity === 'error')) {
      throw new ClusterConfigError(
        issues,
        `invalid StorageClass input: ${issues.length} problem${issues.length === 1 ? '' : 's'}`,
      );
    }
    return options.storageClasses.map((o) => JSON.parse(JSON.stringify(o)) as ManifestObject);
  }
  return providerOf(config) === 'vsphere' ? [vsphereDefaultStorageClass(options.vsphere)] : [];
}

/** Parses StorageClass YAML (one or more documents) for {@link storageClassesFor}; YAML errors become issues. */
export function parseStorageClassYaml(text: string, file?: string): { objects: unknown[]; issues: Issue[] } {
  const objects: unknown[] = [];
  const issues: Issue[] = [];
  parseAllDocuments(text).forEach((doc, index) => {
    for (const error of doc.errors) {
      issues.push(
        issue(
          file,
          `document ${index + 1}`,
          `is not valid YAML: ${error.message}`,
          'fix the YAML syntax',
          'yaml',
        ),
      );
    }
    if (doc.errors.length === 0) {
      const value: unknown = doc.toJS();
      if (value !== null && value !== undefined) objects.push(value);
    }
  });
  return { objects, issues };
}

const TOP_LEVEL_FIELDS = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'provisioner',
  'parameters',
  'reclaimPolicy',
  'volumeBindingMode',
  'allowVolumeExpansion',
  'mountOptions',
  'allowedTopologies',
]);
const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Checks StorageClass objects the way the API server would reject them, plus the one rule a cluster needs: at
 * most one default class. Every problem is reported, each with the object index and field.
 */
export function validateStorageClasses(objects: readonly unknown[], file?: string): Issue[] {
  const issues: Issue[] = [];
  const defaults: string[] = [];
  const names = new Map<string, number>();
  objects.forEach((object, index) => {
    const at = `storageClasses[${index}]`;
    const add = (path: string, message: string, fix: string, rule: string) =>
      issues.push(issue(file, path ? `${at}.${path}` : at, message, fix, rule));
    if (typeof object !== 'object' || object === null || Array.isArray(object)) {
      add(
        '',
        'is not an object',
        'give a StorageClass object (apiVersion, kind, metadata, provisioner)',
        'storage-class-object',
      );
      return;
    }
    const o = object as Record<string, unknown>;
    if (o.apiVersion !== 'storage.k8s.io/v1') {
      add(
        'apiVersion',
        `is ${JSON.stringify(o.apiVersion)}, not storage.k8s.io/v1`,
        'set apiVersion: storage.k8s.io/v1',
        'storage-class-api-version',
      );
    }
    if (o.kind !== 'StorageClass') {
      add(
        'kind',
        `is ${JSON.stringify(o.kind)}, not StorageClass`,
        'give only StorageClass objects here',
        'storage-class-kind',
      );
    }
    for (const field of Object.keys(o)) {
      if (!TOP_LEVEL_FIELDS.has(field)) {
        add(
          field,
          'is not a StorageClass field',
          `remove ${field} (StorageClass fields: ${[...TOP_LEVEL_FIELDS].join(', ')})`,
          'storage-class-unknown-field',
        );
      }
    }
    const meta = o.metadata;
    let name = '';
    if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
      add('metadata', 'is missing', 'add metadata.name', 'storage-class-name');
    } else {
      const m = meta as Record<string, unknown>;
      if (typeof m.name !== 'string' || m.name === '') {
        add('metadata.name', 'is missing', 'name the StorageClass', 'storage-class-name');
      } else if (m.name.length > 253 || !DNS_SUBDOMAIN.test(m.name)) {
        add(
          'metadata.name',
          `'${m.name}' is not a valid name`,
          'use lower-case letters, digits, "-" and "." (at most 253 characters)',
          'storage-class-name',
        );
      } else {
        name = m.name;
        const first = names.get(name);
        if (first !== undefined) {
          add(
            'metadata.name',
            `'${name}' is also the name of storageClasses[${first}]`,
            'give each StorageClass its own name',
            'storage-class-duplicate',
          );
        } else {
          names.set(name, index);
        }
      }
      if (m.namespace !== undefined) {
        add(
          'metadata.namespace',
          'is set, but StorageClasses are cluster-scoped',
          'remove metadata.namespace',
          'storage-class-namespace',
        );
      }
      const annotations = m.annotations as Record<string, unknown> | undefined;
      if (annotations !== undefined && (typeof annotations !== 'object' || annotations === null)) {
        add(
          'metadata.annotations',
          'is not a map',
          'give annotations as key: "value" pairs',
          'storage-class-annotations',
        );
      } else if (annotations) {
        for (const [key, value] of Object.entries(annotations)) {
          if (typeof value !== 'string') {
            add(
              `metadata.annotations.${key}`,
              `is ${JSON.stringify(value)}, not a string`,
              `quote the value: "${String(value)}"`,
              'storage-class-annotations',
            );
          }
        }
        if (
          annotations[DEFAULT_STORAGE_CLASS_ANNOTATION] === 'true' ||
          annotations[BETA_DEFAULT_STORAGE_CLASS_ANNOTATION] === 'true'
        ) {
          defaults.push(name || `#${index}`);
        }
      }
    }
    if (typeof o.provisioner !== 'string' || o.provisioner.trim() === '') {
      add(
        'provisioner',
        'is missing',
        `name the volume provisioner, e.g. ${VSPHERE_CSI_PROVISIONER}`,
        'storage-class-provisioner',
      );
    }
    if (o.parameters !== undefined) {
      if (typeof o.parameters !== 'object' || o.parameters === null || Array.isArray(o.parameters)) {
        add(
          'parameters',
          'is not a map',
          'give parameters as key: "value" pairs',
          'storage-class-parameters',
        );
      } else {
        for (const [key, value] of Object.entries(o.parameters as Record<string, unknown>)) {
          if (typeof value !== 'string') {
            add(
              `parameters.${key}`,
              `is ${JSON.stringify(value)}, not a string`,
              `quote the value: "${String(value)}"`,
              'storage-class-parameters',
            );
          }
        }
      }
    }
    if (o.reclaimPolicy !== undefined && !RECLAIM_POLICIES.includes(o.reclaimPolicy as string)) {
      add(
        'reclaimPolicy',
        `is ${JSON.stringify(o.reclaimPolicy)}`,
        `use one of ${RECLAIM_POLICIES.join(', ')}`,
        'storage-class-reclaim-policy',
      );
    }
    if (o.volumeBindingMode !== undefined && !BINDING_MODES.includes(o.volumeBindingMode as string)) {
      add(
        'volumeBindingMode',
        `is ${JSON.stringify(o.volumeBindingMode)}`,
        `use one of ${BINDING_MODES.join(', ')}`,
        'storage-class-binding-mode',
      );
    }
    if (o.allowVolumeExpansion !== undefined && typeof o.allowVolumeExpansion !== 'boolean') {
      add(
        'allowVolumeExpansion',
        `is ${JSON.stringify(o.allowVolumeExpansion)}, not true or false`,
        'set true or false',
        'storage-class-expansion',
      );
    }
    if (
      o.mountOptions !== undefined &&
      (!Array.isArray(o.mountOptions) || o.mountOptions.some((x) => typeof x !== 'string'))
    ) {
      add(
        'mountOptions',
        'is not a list of strings',
        'give mount options as a list of strings',
        'storage-class-mount-options',
      );
    }
    if (o.allowedTopologies !== undefined && !Array.isArray(o.allowedTopologies)) {
      add(
        'allowedTopologies',
        'is not a list',
        'give a list of topology selector terms',
        'storage-class-topologies',
      );
    }
  });
  if (defaults.length > 1) {
    issues.push(
      issue(
        file,
        'storageClasses',
        `${defaults.length} classes are marked default (${defaults.join(', ')})`,
        `keep ${DEFAULT_STORAGE_CLASS_ANNOTATION}: "true" on one class only`,
        'storage-class-one-default',
      ),
    );
  }
  return issues;
}

function issue(file: string | undefined, path: string, message: string, fix: string, rule: string): Issue {
  return { severity: 'error', ...(file ? { file } : {}), path, message, fix, rule };
}
