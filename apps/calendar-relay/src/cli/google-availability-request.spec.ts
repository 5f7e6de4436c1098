import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { googleAvailabilityRequest, utcDayWindow } from './google-availability-request';

const FIXTURE = join(__dirname, '../../../../test/fixtures/ews/google-interop.xml');

describe('googleAvailabilityRequest', () => {
  it("is byte for byte Google's request shape (the google-interop.xml fixture)", () => {
    const built = googleAvailabilityRequest({
      roleAccount: 'interop-role@contoso.com',
      addresses: ['adele.vance@contoso.com', 'no.such.person@contoso.com'],
      start: '2024-03-11T00:00:00',
      end: '2024-03-18T00:00:00',
    });
    expect(built).toBe(readFileSync(FIXTURE, 'utf8').trim());
  });

  it('escapes what an admin types', () => {
    const built = googleAvailabilityRequest({
      roleAccount: 'a<b@contoso.com',
      addresses: ['x&y@contoso.com'],
      start: '2024-03-11T00:00:00',
      end: '2024-03-12T00:00:00',
    });
    expect(built).toContain('<ns2:Address>x&amp;y@contoso.com</ns2:Address>');
    expect(built).toContain('a&lt;b@contoso.com');
  });
});

describe('utcDayWindow', () => {
  it('is the UTC day around the instant, whatever the local zone', () => {
    expect(utcDayWindow(new Date('2024-03-10T23:59:59-08:00'))).toEqual({
      start: '2024-03-11T00:00:00',
      end: '2024-03-12T00:00:00',
    });
  });
});
