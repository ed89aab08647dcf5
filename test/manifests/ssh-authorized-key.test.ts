import { SSH_KEY, SSH_KEY_STRIPPED } from './vsphere-fixtures';
import { parseAuthorizedKey } from '../../src/manifests';

test('a key loses its comment and options, as EKS-A writes it into node configs', () => {
  expect(parseAuthorizedKey(SSH_KEY)).toStrictEqual({ ok: true, key: SSH_KEY_STRIPPED });
  expect(parseAuthorizedKey(`no-pty,command="/bin/true" ${SSH_KEY}`)).toStrictEqual({
    ok: true,
    key: SSH_KEY_STRIPPED,
  });
  expect(parseAuthorizedKey(`  ${SSH_KEY_STRIPPED}  `)).toStrictEqual({ ok: true, key: SSH_KEY_STRIPPED });
});

test('lines that are not keys say why', () => {
  expect(parseAuthorizedKey('hello world')).toStrictEqual({
    ok: false,
    reason: 'no key type (e.g. ssh-rsa, ssh-ed25519) found',
  });
  expect(parseAuthorizedKey('ssh-rsa')).toStrictEqual({
    ok: false,
    reason: 'no base64 key data after ssh-rsa',
  });
  // An ed25519 blob labelled as RSA.
  const blob = SSH_KEY_STRIPPED.split(' ')[1];
  expect(parseAuthorizedKey(`ssh-rsa ${blob}`)).toStrictEqual({
    ok: false,
    reason: 'the key data is not a ssh-rsa key',
  });
});
