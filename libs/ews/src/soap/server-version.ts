/**
 * RequestServerVersion values in release order (EWS schema, ExchangeVersionType). Later values
 * compare greater; unknown strings (a future version) are treated as the newest.
 */
const VERSIONS_IN_ORDER = [
  'Exchange2007',
  'Exchange2007_SP1',
  'Exchange2009',
  'Exchange2010',
  'Exchange2010_SP1',
  'Exchange2010_SP2',
  'Exchange2013',
  'Exchange2013_SP1',
  'Exchange2015',
  'Exchange2016',
  'V2015_10_05',
  'V2016_01_06',
  'V2016_04_13',
  'V2016_07_13',
  'V2016_10_10',
  'V2017_01_07',
  'V2017_04_14',
  'V2017_07_11',
  'V2017_10_09',
  'V2018_01_08',
] as const;

/** What ServerVersionInfo@Version echoes when the request named no version. */
export const DEFAULT_SERVER_VERSION = 'Exchange2016';

function rank(version: string): number {
  const index = (VERSIONS_IN_ORDER as readonly string[]).indexOf(version);
  return index === -1 ? VERSIONS_IN_ORDER.length : index;
}

/**
 * Whether the client understands BusyType WorkingElsewhere, added in Exchange 2013: older
 * clients (ews-java-api with Exchange2010_SP2, Google's Exchange2010) fail to parse it.
 * A request without RequestServerVersion is from a client that predates the header (DavMail),
 * so it is treated as old too.
 */
export function supportsWorkingElsewhere(requestedVersion: string | undefined): boolean {
  return requestedVersion !== undefined && rank(requestedVersion) >= rank('Exchange2013');
}
