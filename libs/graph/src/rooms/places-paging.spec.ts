import { firstPageOf, nextPageOf, PLACES_MAX_PAGES } from './places-paging';

const origin = 'https://graph.microsoft.com';
const rooms = '/places/microsoft.graph.room';
const page = (over: Partial<Parameters<typeof nextPageOf>[1]>) => ({
  count: 100,
  readSoFar: 100,
  pages: 1,
  anyNew: true,
  ...over,
});

describe('walking a places collection', () => {
  it('asks every page with an explicit page size', () => {
    expect(firstPageOf(rooms)).toBe('/places/microsoft.graph.room?$top=100');
  });

  it("follows Graph's nextLink", () => {
    const nextLink = `${origin}/v1.0/places/microsoft.graph.room?$top=100&$skiptoken=abc`;
    expect(nextPageOf(rooms, page({ nextLink }), origin)).toEqual({
      kind: 'next',
      request: nextLink,
      via: 'nextLink',
    });
  });

  it('goes on with $skip after a full page without nextLink, and stops at a short one', () => {
    expect(nextPageOf(rooms, page({ count: 100, readSoFar: 200, pages: 2 }), origin)).toEqual({
      kind: 'next',
      request: '/places/microsoft.graph.room?$top=100&$skip=200',
      via: 'skip',
    });
    expect(nextPageOf(rooms, page({ count: 20, readSoFar: 120, pages: 2 }), origin)).toEqual({
      kind: 'done',
    });
    expect(
      nextPageOf(rooms, page({ count: 0, readSoFar: 200, pages: 3, anyNew: false }), origin),
    ).toEqual({ kind: 'done' });
  });

  it('never sends the token to a nextLink on another host: $skip instead', () => {
    expect(
      nextPageOf(rooms, page({ nextLink: 'https://evil.example/v1.0/places?x' }), origin),
    ).toMatchObject({ kind: 'next', via: 'skip' });
  });

  it('stops when Graph repeats a page (it ignored $skip) or after the most pages', () => {
    expect(nextPageOf(rooms, page({ anyNew: false, pages: 2 }), origin)).toMatchObject({
      kind: 'stopped',
    });
    expect(nextPageOf(rooms, page({ pages: PLACES_MAX_PAGES }), origin)).toMatchObject({
      kind: 'stopped',
    });
  });
});
