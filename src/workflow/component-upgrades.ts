import { capiProvidersOf, type CapiProvider } from './capi-providers';
import type { PreparedCluster } from './prepare';
import { planCiliumUpgrade, type CiliumDecision } from '../manifests/addons/cilium-upgrade';
import { fluxSettingsOf } from '../manifests/addons/flux-settings';

/** A component whose version the new versions bundle changes. */
export interface VersionChange {
  readonly name: string;
  readonly from: string;
  readonly to: string;
}

/** A CAPI provider to upgrade, as `clusterctl upgrade apply` names it. */
export interface ProviderUpgrade extends VersionChange {
  readonly provider: CapiProvider;
}

/** What the seed's "upgrade core components" step changes, decided from the two versions bundles. */
export interface ComponentUpgrades {
  /** CAPI providers whose version changes (only those are passed to `clusterctl upgrade apply`). */
  readonly capiProviders: readonly ProviderUpgrade[];
  readonly cilium: CiliumDecision;
  /** The EKS-A components (CRDs, controller), when the EKS-A release or its components manifest changes. */
  readonly eksaComponents?: VersionChange;
  /** Flux, for a cluster with GitOps, when the bundle's Flux version changes. */
  readonly flux?: VersionChange;
  /** The EKS-D release of the control plane, when it changes (its CRDs and Release object are applied again). */
  readonly eksd?: VersionChange;
  /** Human lines, one per component that changes. */
  readonly lines: readonly string[];
}

/**
 * The core components an upgrade from `previous` to `next` changes (EKS-A's upgrade-core-components, research A4
 * step 5): each CAPI provider whose version differs, Cilium (`planCiliumUpgrade`: new images upgrade it, other
 * settings re-apply it, `skipUpgrade` leaves it), the EKS-A components, Flux and the EKS-D release. Pure.
 */
export function planComponentUpgrades(previous: PreparedCluster, next: PreparedCluster): ComponentUpgrades {
  const before = new Map(capiProvidersOf(previous).map((p) => [`${p.type}/${p.name}`, p]));
  const capiProviders: ProviderUpgrade[] = [];
  for (const provider of capiProvidersOf(next)) {
    const old = before.get(`${provider.type}/${provider.name}`);
    if (old && old.version !== provider.version) {
      capiProviders.push({ name: provider.name, from: old.version, to: provider.version, provider });
    }
  }
  const cilium = planCiliumUpgrade(
    { config: previous.config, bundle: previous.root },
    { config: next.config, bundle: next.root },
  );
  const eksaFrom = eksaIdentity(previous);
  const eksaTo = eksaIdentity(next);
  const eksaComponents =
    eksaFrom.key !== eksaTo.key
      ? { name: 'eksa-components', from: eksaFrom.label, to: eksaTo.label }
      : undefined;
  const fluxFrom = previous.root.bundle.flux?.version;
  const fluxTo = next.root.bundle.flux?.version;
  const flux =
    fluxSettingsOf(next.config) && fluxFrom && fluxTo && fluxFrom !== fluxTo
      ? { name: 'flux', from: fluxFrom, to: fluxTo }
      : undefined;
  const eksdFrom = previous.root.bundle.eksD.name;
  const eksdTo = next.root.bundle.eksD.name;
  const eksd =
    eksdFrom && eksdTo && eksdFrom !== eksdTo ? { name: 'eks-d', from: eksdFrom, to: eksdTo } : undefined;

  const lines: string[] = [];
  if (capiProviders.length > 0) {
    lines.push(
      `CAPI providers: ${capiProviders.map((p) => `${p.name} (${p.provider.type}) ${p.from} → ${p.to}`).join(', ')}`,
    );
  }
  if (cilium.action === 'upgrade' || cilium.action === 'reconfigure') {
    lines.push(`Cilium: ${cilium.action} (${cilium.reasons.join('; ')})`);
  }
  if (eksaComponents) lines.push(`EKS-A components: ${eksaComponents.from} → ${eksaComponents.to}`);
  if (flux) lines.push(`Flux: ${flux.from} → ${flux.to}`);
  if (eksd) lines.push(`EKS-D: ${eksd.from} → ${eksd.to}`);
  return {
    capiProviders,
    cilium,
    ...(eksaComponents ? { eksaComponents } : {}),
    ...(flux ? { flux } : {}),
    ...(eksd ? { eksd } : {}),
    lines,
  };
}

function eksaIdentity(prepared: PreparedCluster): { key: string; label: string } {
  const eksa = prepared.root.bundle.eksa;
  const version = prepared.bundles.eksaVersion ?? eksa?.version ?? 'unknown';
  return { key: `${version} ${eksa?.components.uri ?? ''}`, label: version };
}
