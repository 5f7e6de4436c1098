/**
 * Where the relay gets tokens and calls Graph, derived from GRAPH_AUTHORITY and GRAPH_ENDPOINT.
 * Public and national clouds need nothing special; any other host (a test emulator, a proxy)
 * needs two switches, each of which otherwise fails or leaks silently:
 *
 * - @azure/identity validates an unknown authority through Microsoft's instance discovery
 *   (a request to login.microsoftonline.com): `disableInstanceDiscovery` makes it read the
 *   authority's own `{authority}/v2.0/.well-known/openid-configuration` instead, so the relay
 *   contacts no host but the configured ones (docs/architecture.md, "Graph and Entra").
 * - @microsoft/microsoft-graph-client attaches the bearer token only to Graph hosts it knows;
 *   any other endpoint host must be listed in `customHosts`, or every call is a 401.
 */

/** Entra login hosts of the public and national clouds (docs/protocol.md section 6). */
const MICROSOFT_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
]);

/** The hosts @microsoft/microsoft-graph-client 3.0.7 trusts with a token (its GRAPH_URLS). */
const MICROSOFT_GRAPH_HOSTS = new Set([
  'graph.microsoft.com',
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
  'graph.microsoft.de',
  'microsoftgraph.chinacloudapi.cn',
  'canary.graph.microsoft.com',
]);

export interface CredentialTarget {
  readonly tenantId: string;
  /** Everything of the authority before the tenant: "https://login.microsoftonline.com". */
  readonly authorityHost: string;
  readonly disableInstanceDiscovery: boolean;
}

/**
 * "https://login.microsoftonline.com/contoso.onmicrosoft.com" -> tenant and authority host.
 * The tenant is the last path segment, so an emulator mounted under a path works too.
 */
export function credentialTargetFor(authority: string): CredentialTarget {
  const url = new URL(authority);
  if (url.protocol !== 'https:') throw new Error('GRAPH_AUTHORITY must use https://');
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const tenantId = segments.pop();
  if (tenantId === undefined) {
    throw new Error(
      'GRAPH_AUTHORITY must name the tenant: https://login.microsoftonline.com/<tenant id>',
    );
  }
  const authorityHost = [url.origin, ...segments].join('/');
  return {
    tenantId: decodeURIComponent(tenantId),
    authorityHost,
    disableInstanceDiscovery:
      segments.length > 0 || !MICROSOFT_AUTHORITY_HOSTS.has(url.hostname.toLowerCase()),
  };
}

/** The app-only scope of an endpoint: "https://graph.microsoft.com/.default". */
export function graphScopeFor(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/.default`;
}

/**
 * The `customHosts` the Graph client needs for an endpoint outside Microsoft's Graph hosts
 * (the host name alone: the client compares names without the port), else undefined.
 */
export function customGraphHostsFor(endpoint: string): Set<string> | undefined {
  const host = new URL(endpoint).hostname.toLowerCase();
  return MICROSOFT_GRAPH_HOSTS.has(host) ? undefined : new Set([host]);
}

/**
 * Graph hosts of the national clouds, where the places API is not offered: place-list is
 * available in the global service only, not in US Government L4, L5 (DOD) or China operated by
 * 21Vianet (learn.microsoft.com/graph/api/place-list, "national cloud deployments"). The room
 * lists then come from ROOM_LISTS.
 */
const HOSTS_WITHOUT_PLACES = new Set([
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
  'microsoftgraph.chinacloudapi.cn',
  'graph.microsoft.de',
]);

/** Whether GRAPH_ENDPOINT's cloud has the places API (any other host is taken to have it). */
export function placesAvailableAt(endpoint: string): boolean {
  return !HOSTS_WITHOUT_PLACES.has(new URL(endpoint).hostname.toLowerCase());
}
