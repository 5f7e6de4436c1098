import { ConfigurationError } from './configuration-error';
import { parseRelayConfig } from './relay-config.schema';

const base = {
  GOOGLE_CLIENT_ID: 'google-interop',
  GOOGLE_CLIENT_SECRET: 'secret-0123456789',
};

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    parseRelayConfig({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

describe('the room directory keys', () => {
  it('caches for an hour, with no all-rooms list and no configured lists, by default', () => {
    expect(parseRelayConfig(base).rooms).toEqual({ cacheTtlSeconds: 3600, configuredLists: [] });
  });

  it('turns the all-rooms list on with its address, named "All rooms" unless named', () => {
    expect(
      parseRelayConfig({ ...base, ALL_ROOMS_LIST_ADDRESS: ' all-rooms@contoso.com ' }).rooms
        .allRoomsList,
    ).toEqual({ name: 'All rooms', address: 'all-rooms@contoso.com' });
    expect(
      parseRelayConfig({
        ...base,
        ALL_ROOMS_LIST_ADDRESS: 'everything@contoso.com',
        ALL_ROOMS_LIST_NAME: 'Every room at Contoso',
        ROOMS_CACHE_TTL_SECONDS: '0',
      }).rooms,
    ).toMatchObject({
      cacheTtlSeconds: 0,
      allRoomsList: { name: 'Every room at Contoso', address: 'everything@contoso.com' },
    });
  });

  it('reads ROOM_LISTS: named or bare addresses, lists separated by semicolons', () => {
    expect(
      parseRelayConfig({
        ...base,
        ROOM_LISTS:
          'Building 1 <b1@contoso.us>: Board Room <board@contoso.us>, huddle@contoso.us; lab-list@contoso.us:',
      }).rooms.configuredLists,
    ).toEqual([
      {
        name: 'Building 1',
        address: 'b1@contoso.us',
        rooms: [
          { name: 'Board Room', address: 'board@contoso.us' },
          { name: 'huddle@contoso.us', address: 'huddle@contoso.us' },
        ],
      },
      { name: 'lab-list@contoso.us', address: 'lab-list@contoso.us', rooms: [] },
    ]);
  });

  it('names the key and the form for a bad value', () => {
    expect(problemsOf({ ALL_ROOMS_LIST_ADDRESS: 'all rooms' })).toEqual([
      expect.stringMatching(/^ALL_ROOMS_LIST_ADDRESS must be one email address/),
    ]);
    expect(problemsOf({ ROOMS_CACHE_TTL_SECONDS: '-1' })).toEqual([
      expect.stringMatching(/^ROOMS_CACHE_TTL_SECONDS must be an integer 0\.\.86400/),
    ]);
    for (const [value, said] of [
      ['Building 1 <b1@contoso.us> board@contoso.us', 'has no ":" before its rooms'],
      ['Building 1: board@contoso.us', '"Building 1" is not a list\'s address'],
      ['b1@contoso.us: Board Room', '"Board Room" is not a room\'s address'],
      ['b1@contoso.us: a@contoso.us; B1@contoso.us: b@contoso.us', 'B1@contoso.us is listed twice'],
    ]) {
      const problems = problemsOf({ ROOM_LISTS: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^ROOM_LISTS .*\(the form is "Name <list@domain>: Room/);
      expect(problems[0]).toContain(said);
    }
  });
});
