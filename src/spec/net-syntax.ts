import { isIP } from 'node:net';

/** A parsed CIDR block: the address family and prefix length. */
export interface Cidr {
  readonly family: 4 | 6;
  readonly address: string;
  readonly prefix: number;
}

/** Parses `address/prefix` (IPv4 or IPv6), as Go's net.ParseCIDR accepts it. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const family = isIP(address);
  if (family === 0 || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > (family === 4 ? 32 : 128)) return undefined;
  return { family: family as 4 | 6, address, prefix };
}

/** An IPv4 or IPv6 address. */
export function isIpAddress(text: string): boolean {
  return isIP(text) !== 0;
}

/** A DNS name made of lowercase labels (what an API server certificate SAN may be besides an IP). */
export function isDomainName(text: string): boolean {
  return (
    /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(text) &&
    text.length <= 253
  );
}

/** A TCP port given as text: digits, 1–65535. */
export function isValidPort(text: string | undefined): boolean {
  if (!text || !/^\d+$/.test(text)) return false;
  const port = Number(text);
  return port >= 1 && port <= 65535;
}

/**
 * Splits `host:port` (IPv6 hosts in brackets) as Go's net.SplitHostPort does; undefined when there is no port
 * or the shape is wrong.
 */
export function splitHostPort(text: string): { host: string; port: string } | undefined {
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0 || text[end + 1] !== ':') return undefined;
    return { host: text.slice(1, end), port: text.slice(end + 2) };
  }
  const colon = text.lastIndexOf(':');
  if (colon < 0 || text.indexOf(':') !== colon) return undefined;
  return { host: text.slice(0, colon), port: text.slice(colon + 1) };
}

/**
 * Checks a proxy address as EKS-A does (without its DNS lookup): an `http(s)://` URL or a bare `host:port`, with a
 * host and a port in 1–65535. Returns what is wrong, or undefined.
 */
export function proxyAddressProblem(proxy: string): string | undefined {
  let hostPort = proxy;
  if (proxy.startsWith('http')) {
    let url: URL;
    try {
      url = new URL(proxy);
    } catch {
      return 'is not a valid URL';
    }
    if (!url.port) return 'has no port';
    hostPort = `${url.hostname}:${url.port}`; // an IPv6 hostname keeps its brackets
  }
  const split = splitHostPort(hostPort);
  if (!split) return 'is not host:port';
  if (!split.host) return 'has no host';
  if (!isValidPort(split.port)) return `has an invalid port "${split.port}"`;
  return undefined;
}
