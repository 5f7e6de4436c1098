// xs:duration (XML Schema 1.0 part 2, 3.2.6) as TimeZoneDefinition uses it for Period Bias and
// TimeOffset: Exchange writes `PT8H` / `-PT1H`, the EWS Managed API `P0DT8H0M0.0S` /
// `-P0DT1H0M0.0S` (docs/protocol.md 4.2).
const XS_DURATION =
  /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * xs:duration text -> minutes (sign kept; seconds become a fraction of a minute). Returns
 * `undefined` for text that is not a duration, and for non-zero years or months, which have no
 * fixed length in minutes and never occur in time-zone data.
 */
export function parseXsDurationMinutes(text: string): number | undefined {
  const trimmed = text.trim();
  const match = XS_DURATION.exec(trimmed);
  if (match === null) return undefined;
  const [, minus, years, months, days, hours, minutes, seconds] = match;
  // "P" alone and a "T" with nothing after it match the pattern but are not durations.
  if ([years, months, days, hours, minutes, seconds].every((part) => part === undefined)) {
    return undefined;
  }
  if (trimmed.endsWith('T')) return undefined;
  if (Number(years ?? 0) !== 0 || Number(months ?? 0) !== 0) return undefined;
  const total =
    Number(days ?? 0) * 1440 +
    Number(hours ?? 0) * 60 +
    Number(minutes ?? 0) +
    Number(seconds ?? 0) / 60;
  return minus === undefined || total === 0 ? total : -total;
}
