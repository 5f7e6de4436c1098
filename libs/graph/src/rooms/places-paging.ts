/**
 * How the relay walks a places collection to its end. Pure.
 *
 * Graph answers places "100 places per page" by default, `$top` sets the page size, `$skip` and
 * `$count=true` are supported (microsoft-graph-docs-contrib api-reference/v1.0/api/place-list.md),
 * and the next page is announced by `@odata.nextLink`, as for every Graph collection. But
 * nextLink has been reported missing from places answers again and again: "It only returns the
 * first 100 for every invocation" (microsoft-graph-docs-contrib #7196), 1,535 rooms with the
 * first page only (microsoftgraph/msgraph-sdk-dotnet #2190), "@odata.nextLink missing" (#341);
 * Microsoft's own answer is client paging with `$top` and `$skip`, past the end "the response
 * will be empty" (microsoftgraph/microsoft-graph-docs #6427). So: every page is asked with an
 * explicit `$top`; a nextLink on GRAPH_ENDPOINT's origin is followed; without one, a full page
 * is followed by `$skip` over everything read so far, until a short (or empty) page.
 */

/** The page size asked for: Graph's default, so a short page means the end. */
export const PLACES_PAGE_SIZE = 100;

/**
 * At most this many pages per collection (10,000 places): a service that ignored `$skip` and
 * kept answering full pages must not keep the relay walking.
 */
export const PLACES_MAX_PAGES = 100;

/** The first page of a collection ("/places/microsoft.graph.room"). */
export function firstPageOf(collection: string): string {
  return `${collection}?$top=${PLACES_PAGE_SIZE}`;
}

export interface PageRead {
  /** Places on the page (every object Graph sent, usable or not). */
  readonly count: number;
  readonly nextLink?: string;
  /** Places read so far, this page included. */
  readonly readSoFar: number;
  /** Pages read so far, this one included. */
  readonly pages: number;
  /** Whether this page held a place not seen on an earlier page. */
  readonly anyNew: boolean;
}

export type NextPage =
  | { readonly kind: 'next'; readonly request: string; readonly via: 'nextLink' | 'skip' }
  | { readonly kind: 'done' }
  /** Graph kept answering past what it can hold (`why` for the log): what was read stands. */
  | { readonly kind: 'stopped'; readonly why: string };

export function nextPageOf(collection: string, page: PageRead, endpointOrigin: string): NextPage {
  if (page.count > 0 && !page.anyNew) {
    return { kind: 'stopped', why: 'a page repeated earlier places (Graph ignored $skip)' };
  }
  const follow = (next: NextPage): NextPage =>
    next.kind === 'next' && page.pages >= PLACES_MAX_PAGES
      ? { kind: 'stopped', why: `more than ${PLACES_MAX_PAGES} pages` }
      : next;
  if (page.nextLink !== undefined && originOf(page.nextLink) === endpointOrigin) {
    return follow({ kind: 'next', request: page.nextLink, via: 'nextLink' });
  }
  if (page.count >= PLACES_PAGE_SIZE) {
    return follow({
      kind: 'next',
      request: `${collection}?$top=${PLACES_PAGE_SIZE}&$skip=${page.readSoFar}`,
      via: 'skip',
    });
  }
  return { kind: 'done' };
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
