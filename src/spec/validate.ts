import type { ClusterConfig } from './cluster-config';
import type { Issue } from './issue';
import { validateCluster } from './validate-cluster';
import { validateReferencedObjects } from './validate-objects';
import { IssueCollector, type ValidateOptions } from './validation-context';

/**
 * Checks a config against EKS-A's rules for the Cluster and the objects it references (research/eksa.md d) and
 * returns every issue found, errors and warnings, never stopping at the first. Validate the defaulted config
 * (`setClusterDefaults`); fields the defaults would fill (first worker group name, worker counts) are read with
 * their default values.
 */
export function validateClusterConfig(config: ClusterConfig, options: ValidateOptions = {}): Issue[] {
  const out = new IssueCollector(config, options.file ?? config.file);
  validateCluster(config, options, out);
  validateReferencedObjects(config, out);
  return out.issues;
}
