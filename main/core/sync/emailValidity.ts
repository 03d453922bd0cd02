import emailAddresses from 'email-addresses';

/**
 * Why an address is not a valid mailbox, in words a person can act on.
 * The rules (sync-rules.md, outcome 2): `local@domain` with a dotted domain; no spaces,
 * no display names, no quoted local parts, no IP-literal domains.
 */
export const emailDefects = {
  'space': 'contains a space',
  'display-name': 'has a display name or angle brackets (only the bare address is accepted)',
  'no-at': 'has no @',
  'two-at': 'has more than one @',
  'empty-local': 'has nothing before the @',
  'empty-domain': 'has nothing after the @',
  'quoted-local': 'has a quoted local part',
  'ip-literal': 'has an IP address instead of a domain',
  'no-dot-in-domain': 'has no dot in the domain',
  'bad-domain': 'has a malformed domain',
  'bad-local': 'has characters not allowed before the @',
  'too-long': 'is longer than 254 characters',
} as const;
export type EmailDefect = keyof typeof emailDefects;

export type EmailCheck = { ok: true; address: string } | { ok: false; defect: EmailDefect; message: string };

const fail = (defect: EmailDefect): EmailCheck => ({ ok: false, defect, message: `The address ${emailDefects[defect]}` });

// A domain label: letters (any script, for IDNs, with the combining marks that Devanagari, Thai …
// need), digits and inner hyphens.
const domainLabel = /^[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}-]*[\p{L}\p{M}\p{N}])?$/u;

// RFC 5322 dot-atom in plain ASCII: what nearly every real address is. An address whose local part
// and domain are both this is a mailbox by the grammar itself, so the full parser (slow: ~50 µs an
// address) is left for the rest: non-ASCII, comments, obsolete forms.
const asciiDotAtom = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const asciiDomain = /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;

/**
 * Checks one trimmed, non-empty address. The named defects come first so the outcome can say
 * what is wrong; `email-addresses` (an RFC 5322/6532 parser) is the final judge of the local part.
 */
export function checkEmail(raw: string): EmailCheck {
  const address = raw.trim();
  if (address.length > 254) return fail('too-long');
  if (/[<>]/.test(address)) return fail('display-name');
  if (/\s/u.test(address)) return fail('space');
  if (address.startsWith('"')) return fail('quoted-local');
  const at = address.indexOf('@');
  if (at < 0) return fail('no-at');
  if (address.indexOf('@', at + 1) >= 0) return fail('two-at');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local === '') return fail('empty-local');
  if (domain === '') return fail('empty-domain');
  if (domain.startsWith('[')) return fail('ip-literal');
  if (!domain.includes('.')) return fail('no-dot-in-domain');
  const labels = domain.split('.');
  if (labels.some((l) => !domainLabel.test(l)) || /^\d+$/.test(labels[labels.length - 1] ?? '')) {
    return fail('bad-domain');
  }
  if (asciiDotAtom.test(local) && asciiDomain.test(domain)) return { ok: true, address };
  const parsed = emailAddresses.parseOneAddress({ input: address, rfc6532: true, rejectTLD: true });
  if (!parsed || parsed.type !== 'mailbox' || parsed.name !== null || parsed.local.startsWith('"')) {
    return fail('bad-local');
  }
  // The parser drops comments and quotes ("john(x)@…", "john.\"doe\"@…"): only a bare local part passes.
  if (parsed.local !== local) return fail(local.includes('"') ? 'quoted-local' : 'bad-local');
  return { ok: true, address };
}
