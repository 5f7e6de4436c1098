import { readScheduleResponse } from './graph-call-outcome';

const now = Date.UTC(2024, 2, 11, 7);

describe('readScheduleResponse', () => {
  it('reads the schedules of a 200', () => {
    const body = JSON.stringify({
      '@odata.context':
        'https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)',
      value: [{ scheduleId: 'a@contoso.com', availabilityView: '0', scheduleItems: [] }],
    });
    expect(readScheduleResponse(200, null, body, now)).toEqual({
      kind: 'answered',
      schedules: [{ scheduleId: 'a@contoso.com', availabilityView: '0', scheduleItems: [] }],
    });
  });

  it('calls a 200 that is not getSchedule JSON unreadable', () => {
    expect(readScheduleResponse(200, null, '{"value": [', now)).toMatchObject({
      kind: 'unreadable',
    });
    expect(readScheduleResponse(200, null, '{"values": []}', now)).toMatchObject({
      kind: 'unreadable',
    });
    expect(readScheduleResponse(200, null, '{"value": [1]}', now)).toMatchObject({
      kind: 'unreadable',
    });
    expect(readScheduleResponse(200, null, 'null', now)).toMatchObject({ kind: 'unreadable' });
  });

  it("keeps Graph's error code and message and the Retry-After of an error", () => {
    const body = JSON.stringify({
      error: {
        code: 'TooManyRequests',
        message: 'Please retry again later.',
        innerError: { date: '2024-03-11T07:00:00' },
      },
    });
    expect(readScheduleResponse(429, '3', body, now)).toEqual({
      kind: 'httpError',
      status: 429,
      code: 'TooManyRequests',
      message: 'Please retry again later.',
      retryAfterMs: 3000,
    });
  });

  it('reads an error whose body is not JSON', () => {
    expect(readScheduleResponse(503, null, '<html>Service Unavailable</html>', now)).toEqual({
      kind: 'httpError',
      status: 503,
    });
  });
});
