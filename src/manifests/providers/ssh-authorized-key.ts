/** Key types an OpenSSH `authorized_keys` line may carry. */
const KEY_TYPES = new Set([
  'ssh-rsa',
  'ssh-dss',
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
]);

/** An authorized key reduced to `type base64`, or why the line is not one. */
export type ParsedAuthorizedKey =
  { readonly ok: true; readonly key: string } | { readonly ok: false; readonly reason: string };

/**
 * Parses one `authorized_keys` line (optional options, key type, base64 blob, optional comment) and returns the key
 * without options and comment, as EKS-A writes it into node configs (`StripSshAuthorizedKeyComment`). The blob must
 * decode and name the same key type.
 */
export function parseAuthorizedKey(line: string): ParsedAuthorizedKey {
  const tokens = line
    .trim()
    .split(/\s+/)
    .filter((t) => t.length > 0);
  const at = tokens.findIndex((t) => KEY_TYPES.has(t) || /^[a-z0-9-]+-cert-v01@openssh\.com$/.test(t));
  if (at < 0) return { ok: false, reason: 'no key type (e.g. ssh-rsa, ssh-ed25519) found' };
  const type = tokens[at];
  const blob = tokens[at + 1];
  if (!blob || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) {
    return { ok: false, reason: `no base64 key data after ${type}` };
  }
  const bytes = Buffer.from(blob, 'base64');
  if (bytes.length < 4) return { ok: false, reason: 'the key data is truncated' };
  const length = bytes.readUInt32BE(0);
  const inner = bytes.subarray(4, 4 + length).toString('latin1');
  if (4 + length > bytes.length || inner !== type) {
    return { ok: false, reason: `the key data is not a ${type} key` };
  }
  return { ok: true, key: `${type} ${blob}` };
}
