import type { EksaObject } from './meta';

/** Kind of the `AWSIamConfig` object. */
export const AWS_IAM_CONFIG_KIND = 'AWSIamConfig';

/** Where aws-iam-authenticator reads its mappings from. `MountedFile` is not supported by EKS-A. */
export type AWSIamBackendMode = 'EKSConfigMap' | 'CRD' | 'MountedFile';

/** Maps an IAM role to a Kubernetes user and groups. */
export interface MapRoles {
  readonly roleARN: string;
  readonly username: string;
  readonly groups?: readonly string[];
}

/** Maps an IAM user to a Kubernetes user and groups. */
export interface MapUsers {
  readonly userARN: string;
  readonly username: string;
  readonly groups?: readonly string[];
}

/** aws-iam-authenticator settings. */
export interface AWSIamConfigSpec {
  readonly awsRegion: string;
  readonly backendMode: readonly AWSIamBackendMode[];
  readonly mapRoles?: readonly MapRoles[];
  readonly mapUsers?: readonly MapUsers[];
  /** AWS partition. @default "aws" */
  readonly partition?: string;
}

/** AWS IAM authentication of a cluster, referenced from `identityProviderRefs`. */
export type AWSIamConfig = EksaObject<typeof AWS_IAM_CONFIG_KIND, AWSIamConfigSpec>;
