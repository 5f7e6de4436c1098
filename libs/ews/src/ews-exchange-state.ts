/**
 * What the fault filter needs to know about a request it did not see parsed: the version to
 * echo in ServerVersionInfo. Kept beside the request object without widening its type.
 */
const requestedVersions = new WeakMap<object, string | undefined>();

export function rememberRequestedVersion(request: object, version: string | undefined): void {
  requestedVersions.set(request, version);
}

export function requestedVersionOf(request: object): string | undefined {
  return requestedVersions.get(request);
}
