/**
 * The paths of the EWS endpoint, the one list the controller, the source allowlist, the metrics
 * and the tracing go by. Google posts to whatever URL the admin typed (the earlier relay served
 * `/`); other clients use /EWS/Exchange.asmx in any letter case, DavMail /ews/exchange.asmx:
 * Fastify's router is case-insensitive (fastify-adapter.factory.ts).
 */
export const EWS_PATHS = ['/', '/EWS/Exchange.asmx'] as const;

const ROUTED_PATHS: ReadonlySet<string> = new Set(EWS_PATHS.map((path) => path.toLowerCase()));

/**
 * Whether Fastify routed a request to the EWS endpoint: `routeUrl` is the request's
 * `routeOptions.url`, the path as declared (undefined when no route matched).
 */
export function isEwsRoute(method: string, routeUrl: string | undefined): boolean {
  return method === 'POST' && routeUrl !== undefined && ROUTED_PATHS.has(routeUrl.toLowerCase());
}
