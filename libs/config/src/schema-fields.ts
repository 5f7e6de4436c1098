import { z } from 'zod';
import { readAddressRanges, type AddressRangeOptions } from './address-ranges';

/**
 * Field parsers shared by the relay's schemas (relay-config.schema.ts, secret-source.settings.ts):
 * every key is a string from the environment, a .env file, a Vault secret or a secrets file, and
 * each message names what is expected without echoing the value (it may be a secret).
 */

export const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** A secret: when present it must not be empty or blank (an empty secret is a typo, not a choice). */
export const secret = (what: string) =>
  z
    // Zod 4: a missing key is an invalid_type issue whose input is undefined.
    .string({ error: (issue) => (issue.input === undefined ? `is required (${what})` : undefined) })
    .refine((v) => v.trim().length > 0, { message: `must not be empty (${what})` });

export const optionalSecret = (what: string) =>
  z
    .string()
    .optional()
    .refine((v) => v === undefined || v.trim().length > 0, {
      message: `must not be empty when set (${what})`,
    });

export const integer = (what: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      if (!/^\d+$/.test(v.trim())) {
        ctx.addIssue({ code: 'custom', message: `must be an integer ${min}..${max} (${what})` });
        return z.NEVER;
      }
      const n = Number(v.trim());
      if (n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be an integer ${min}..${max} (${what})` });
        return z.NEVER;
      }
      return n;
    });

export const boolean = (what: string, fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const s = v.trim().toLowerCase();
      if (s === 'true' || s === '1' || s === 'yes') return true;
      if (s === 'false' || s === '0' || s === 'no') return false;
      ctx.addIssue({ code: 'custom', message: `must be true or false (${what})` });
      return z.NEVER;
    });

export const httpsUrl = (what: string, fallback?: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const raw = v === undefined || v.trim() === '' ? fallback : v.trim();
      if (raw === undefined) return undefined;
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be an absolute https:// URL (${what})` });
        return z.NEVER;
      }
      if (url.protocol !== 'https:') {
        ctx.addIssue({ code: 'custom', message: `must use https:// (${what})` });
        return z.NEVER;
      }
      return raw.replace(/\/+$/, '');
    });

/** TRUST_PROXY, IP_ALLOWLIST, TOKEN_IP_ALLOWLIST: parsed here, so every reader judges alike. */
export const addressRanges = (options: AddressRangeOptions) =>
  optionalText.transform((text, ctx) => {
    if (text === undefined) return undefined;
    const result = readAddressRanges(text, options);
    if ('problem' in result) {
      ctx.addIssue({ code: 'custom', message: result.problem });
      return z.NEVER;
    }
    return result.ranges;
  });

/** An email domain (lower case): labels of letters, digits and inner hyphens. */
export const DOMAIN = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;

/** ALLOWED_DOMAINS, a tenant's DOMAINS: comma-separated email domains, lower-cased. */
export const domainList = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const items = (v ?? '')
      .split(',')
      .map((d) => d.trim().toLowerCase())
      .filter((d) => d.length > 0);
    for (const d of items) {
      if (!DOMAIN.test(d)) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a comma-separated list of email domains such as contoso.com; "${d}" is not one`,
        });
        return z.NEVER;
      }
    }
    return items;
  });

/**
 * EVENT_DETAILS: `false` (default, free/busy only), `true` (every domain), or the domains whose
 * mailboxes show subject/location (Google's "Show event details" is set per Interop endpoint,
 * and an admin serving several domains may want it for some only).
 */
export const eventDetailsSetting = z
  .string()
  .optional()
  .transform((v, ctx): boolean | readonly string[] => {
    const s = (v ?? '').trim().toLowerCase();
    if (s === '' || s === 'false' || s === '0' || s === 'no') return false;
    if (s === 'true' || s === '1' || s === 'yes') return true;
    const domains = s
      .split(',')
      .map((d) => d.trim())
      .filter((d) => d.length > 0);
    const bad = domains.find((d) => !DOMAIN.test(d));
    if (bad !== undefined || domains.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: `must be true, false or a comma-separated list of email domains${bad === undefined ? '' : `; "${bad}" is not one`}`,
      });
      return z.NEVER;
    }
    return domains;
  });

/** One SMTP address (`local@domain`), lower-cased: Graph compares mailboxes that way. */
export const optionalMailbox = (what: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = (v ?? '').trim().toLowerCase();
      if (s === '') return undefined;
      const at = s.lastIndexOf('@');
      if (at < 1 || !/^[^\s@,;<>"]+$/.test(s.slice(0, at)) || !DOMAIN.test(s.slice(at + 1))) {
        ctx.addIssue({
          code: 'custom',
          message: `must be one email address such as interop@contoso.com (${what})`,
        });
        return z.NEVER;
      }
      return s;
    });

/** One line per problem, `KEY message`, as ConfigurationError expects. */
export function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
}
