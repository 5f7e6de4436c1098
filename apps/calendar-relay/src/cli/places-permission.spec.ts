import { judgePlacesCall } from './places-permission';

describe('judgePlacesCall', () => {
  it('proves Place.Read.All with a page of room lists, or none', () => {
    expect(judgePlacesCall({ kind: 'page', places: [{}, {}] })).toEqual({
      ok: true,
      detail: 'room directory (Graph places, Place.Read.All) works: 2 room lists',
    });
    expect(judgePlacesCall({ kind: 'page', places: [] })).toMatchObject({
      detail: expect.stringMatching(/works: no room lists$/) as string,
    });
  });

  it('names the missing permission when Graph refuses, and says free/busy goes on', () => {
    const verdict = judgePlacesCall({
      kind: 'httpError',
      status: 403,
      code: 'UnknownError',
      message: 'place.read.all permission is required to read company places',
    });
    expect(verdict).toEqual({
      ok: false,
      warning: expect.stringContaining(
        'grant the app the Place.Read.All application permission',
      ) as string,
    });
    expect(verdict.ok === false && verdict.warning).toContain('free/busy is not affected');
  });
});
