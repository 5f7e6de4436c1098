import { requestBodyOf } from './graph-schedule.client';

describe('requestBodyOf', () => {
  it('sends the window in UTC as getSchedule wants it, with the interval', () => {
    expect(
      requestBodyOf({
        anchor: 'a@contoso.com',
        schedules: ['a@contoso.com', 'b@contoso.com'],
        window: { startMs: Date.UTC(2024, 2, 10, 8), endMs: Date.UTC(2024, 2, 11, 7) },
        intervalMinutes: 30,
      }),
    ).toEqual({
      schedules: ['a@contoso.com', 'b@contoso.com'],
      startTime: { dateTime: '2024-03-10T08:00:00', timeZone: 'UTC' },
      endTime: { dateTime: '2024-03-11T07:00:00', timeZone: 'UTC' },
      availabilityViewInterval: 30,
    });
  });

  it('widens a window with milliseconds to whole seconds, never narrowing it', () => {
    const body = requestBodyOf({
      anchor: 'a@contoso.com',
      schedules: ['a@contoso.com'],
      window: {
        startMs: Date.UTC(2024, 0, 1, 9, 0, 0, 250),
        endMs: Date.UTC(2024, 0, 1, 10, 0, 0, 1),
      },
      intervalMinutes: 15,
    });
    expect(body.startTime.dateTime).toBe('2024-01-01T09:00:00');
    expect(body.endTime.dateTime).toBe('2024-01-01T10:00:01');
  });
});
