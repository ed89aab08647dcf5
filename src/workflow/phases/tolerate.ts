import { isKubeApiError } from '../../kube/errors';

/** The call's result, or undefined when the object (or its kind) is not there: what a delete is happy with. */
export async function tolerateNotFound<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isKubeApiError(error) && error.statusCode === 404) return undefined;
    throw error;
  }
}
