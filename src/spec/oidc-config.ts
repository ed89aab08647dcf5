import type { EksaObject } from './meta';

/** Kind of the `OIDCConfig` object. */
export const OIDC_CONFIG_KIND = 'OIDCConfig';

/** A claim every ID token must carry (`--oidc-required-claim`). */
export interface OIDCRequiredClaim {
  readonly claim?: string;
  readonly value?: string;
}

/** API server OIDC authentication (`--oidc-*` flags). */
export interface OIDCConfigSpec {
  readonly clientId: string;
  /** HTTPS URL of the issuer. */
  readonly issuerUrl: string;
  readonly groupsClaim?: string;
  readonly groupsPrefix?: string;
  readonly requiredClaims?: readonly OIDCRequiredClaim[];
  readonly usernameClaim?: string;
  readonly usernamePrefix?: string;
}

/** OIDC identity provider of a cluster, referenced from `identityProviderRefs`. */
export type OIDCConfig = EksaObject<typeof OIDC_CONFIG_KIND, OIDCConfigSpec>;
