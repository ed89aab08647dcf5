/**
 * The simulated API servers' TLS identity: a self-signed certificate for the loopback addresses (SAN IP 127.0.0.1,
 * IP ::1, DNS localhost; valid 2000-01-01 to 2100-01-01, ECDSA P-256, CA:TRUE so that it is its own trust anchor)
 * and its private key.
 *
 * **Public and for tests only.** The key is published with the source on purpose, like the certificate of Go's
 * `net/http/httptest`: it lets in-process test servers speak HTTPS the way real clusters do (kubeconfigs with
 * `certificate-authority-data`, `https://127.0.0.1:<port>` servers) without generating keys at run time. It
 * protects nothing; never use it for anything but a loopback test server.
 *
 * Generated once with the openssl CLI (`openssl ecparam -name prime256v1 -genkey`, then `openssl ca -selfsign`
 * with the extensions above).
 */
export const LOOPBACK_TLS_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIICAjCCAaigAwIBAgIBATAKBggqhkjOPQQDAjBFMRkwFwYDVQQKDBBla3NhLWlh
YyB0ZXN0aW5nMSgwJgYDVQQDDB9zaW11bGF0ZWQgQVBJIHNlcnZlciAobG9vcGJh
Y2spMCAXDTAwMDEwMTAwMDAwMFoYDzIxMDAwMTAxMDAwMDAwWjBFMRkwFwYDVQQK
DBBla3NhLWlhYyB0ZXN0aW5nMSgwJgYDVQQDDB9zaW11bGF0ZWQgQVBJIHNlcnZl
ciAobG9vcGJhY2spMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE0qc9Vr2Z1S+K
kIcuvnZesa9bGIQtJdrlp6BJjIm0EWBs0WLovBR53xMdhdtzAAEpzyBVUk4Q3761
/OevrW2praOBhjCBgzAsBgNVHREEJTAjhwR/AAABhxAAAAAAAAAAAAAAAAAAAAAB
gglsb2NhbGhvc3QwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAoQwEwYD
VR0lBAwwCgYIKwYBBQUHAwEwHQYDVR0OBBYEFAndOL2EMyIGNGLfArZ54hofl3AM
MAoGCCqGSM49BAMCA0gAMEUCIQCUEJxoWekHBmRdvTd1XEmcXmqcaSINzdTHqsp9
gop9DAIgNfl4YJHyvK/5xFdW7MKBWr4X6AuMcxz96ixDgGFdkBw=
-----END CERTIFICATE-----
`;

/** The private key of {@link LOOPBACK_TLS_CERTIFICATE} (PKCS #8 PEM). Public; test use only. */
export const LOOPBACK_TLS_PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgePOBDqlVlCiPPHkq
06ioUqN1+xQT8eAgnAvWAJXayt2hRANCAATSpz1WvZnVL4qQhy6+dl6xr1sYhC0l
2uWnoEmMibQRYGzRYui8FHnfEx2F23MAASnPIFVSThDfvrX856+tbamt
-----END PRIVATE KEY-----
`;
