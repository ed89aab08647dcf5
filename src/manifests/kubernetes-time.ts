/**
 * A timestamp as Kubernetes writes it (`metav1.Time` marshals `UTC().Format(time.RFC3339)`): second precision, UTC,
 * `Z`. Text that is not a time is returned unchanged, so that schema validation reports it as written.
 */
export function kubernetesTime(value: string): string {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) return value;
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
