/**
 * SMTP addresses as the relay compares them. Exchange and Graph treat addresses
 * case-insensitively, so one mailbox may arrive spelt several ways (`Adele@Contoso.com`,
 * `adele@contoso.com`): every cache key, duplicate check, domain rule and tenant route uses these.
 */

/** The identity of a mailbox: trimmed and lower-cased. */
export function mailboxKey(address: string): string {
  return address.trim().toLowerCase();
}

/** The domain of an address (lower case), or undefined when it has none. */
export function domainOf(address: string): string | undefined {
  const trimmed = address.trim();
  const at = trimmed.lastIndexOf('@');
  if (at < 0 || at === trimmed.length - 1) return undefined;
  return trimmed.slice(at + 1).toLowerCase();
}
