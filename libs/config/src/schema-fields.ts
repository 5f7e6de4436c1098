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

/** One line per problem, `KEY message`, as ConfigurationError expects. */
export function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
}
