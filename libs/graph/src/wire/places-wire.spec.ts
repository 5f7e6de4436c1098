import { readPlacesResponse, roomListOf, roomOf } from './places-wire';

describe('readPlacesResponse', () => {
  it('reads a page with its nextLink, and one without', () => {
    const body = {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#places/microsoft.graph.room',
      value: [{ emailAddress: 'cf100@contoso.com' }, null, 'junk'],
      '@odata.nextLink': 'https://graph.microsoft.com/v1.0/places/microsoft.graph.room?$skip=100',
    };
    expect(readPlacesResponse(200, null, JSON.stringify(body), 0)).toEqual({
      kind: 'page',
      places: [{ emailAddress: 'cf100@contoso.com' }],
      nextLink: 'https://graph.microsoft.com/v1.0/places/microsoft.graph.room?$skip=100',
    });
    expect(readPlacesResponse(200, null, '{"value":[]}', 0)).toEqual({ kind: 'page', places: [] });
  });

  it("reports a refusal with Graph's code, message and Retry-After", () => {
    const refusal = {
      error: {
        code: 'UnknownError',
        message:
          '{"code":"invalid_permissions","message":"place.read.all permission is required to read company places, scopes/roles provided: Calendars.ReadBasic.All IsAppOnly:True"}',
      },
    };
    expect(readPlacesResponse(403, null, JSON.stringify(refusal), 0)).toMatchObject({
      kind: 'httpError',
      status: 403,
      code: 'UnknownError',
      message: expect.stringContaining('place.read.all permission is required') as string,
    });
    expect(readPlacesResponse(429, '3', '{}', 0)).toMatchObject({
      status: 429,
      retryAfterMs: 3000,
    });
  });

  it('calls a 2xx without a value[] array unreadable', () => {
    expect(readPlacesResponse(200, null, '<html>', 0)).toMatchObject({ kind: 'unreadable' });
    expect(readPlacesResponse(200, null, '{"value":{}}', 0)).toMatchObject({ kind: 'unreadable' });
  });
});

describe('roomOf and roomListOf', () => {
  it("takes capacity as Graph's documented number or as the string of its own sample", () => {
    expect(roomOf({ emailAddress: 'a@contoso.com', displayName: 'A', capacity: 12 })).toEqual({
      name: 'A',
      address: 'a@contoso.com',
      capacity: 12,
    });
    expect(roomOf({ emailAddress: 'b@contoso.com', capacity: '50' })?.capacity).toBe(50);
    for (const capacity of [null, '', 'twelve', -1, 1.5, '1e3']) {
      expect(roomOf({ emailAddress: 'c@contoso.com', capacity })?.capacity).toBeUndefined();
    }
  });

  it('reads wheelchair access under either spelling', () => {
    expect(
      roomOf({ emailAddress: 'a@contoso.com', isWheelChairAccessible: true })?.wheelchairAccessible,
    ).toBe(true);
    expect(
      roomOf({ emailAddress: 'a@contoso.com', isWheelchairAccessible: false })
        ?.wheelchairAccessible,
    ).toBe(false);
    expect(roomOf({ emailAddress: 'a@contoso.com' })?.wheelchairAccessible).toBeUndefined();
  });

  it('names a place without a display name by its address, and drops one without an address', () => {
    expect(roomListOf({ emailAddress: ' bldg1@contoso.com ', displayName: ' ' })).toEqual({
      name: 'bldg1@contoso.com',
      address: 'bldg1@contoso.com',
    });
    expect(roomListOf({ displayName: 'Building 2', emailAddress: null })).toBeUndefined();
    expect(roomOf({ displayName: 'Desk', emailAddress: 'not-an-address' })).toBeUndefined();
  });
});
