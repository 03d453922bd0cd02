// checkEmail decides plain ASCII addresses without the RFC 5322 parser (the fast path); it must
// never accept what the parser refuses, and it keeps naming the defects it named before.
import emailAddresses from 'email-addresses';
import { describe, expect, it } from 'vitest';
import { checkEmail } from '../../main/core/sync/emailValidity';

function parserAccepts(address: string): boolean {
  const parsed = emailAddresses.parseOneAddress({ input: address, rfc6532: true, rejectTLD: true });
  return !!parsed && parsed.type === 'mailbox' && parsed.name === null && !parsed.local.startsWith('"');
}

describe('checkEmail', () => {
  it('accepts only what the RFC 5322 parser accepts', () => {
    const alphabet = "abXZ09!#$%&'*+/=?^_`{|}~-..@()\"\\,;:[] é";
    const domains = ['x.com', 'a-b.co', 'ex.org', 'x..com', '-x.com', 'x.c0m', 'x.123', 'münchen.de'];
    let seed = 3;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    let accepted = 0;
    for (let i = 0; i < 20_000; i += 1) {
      let local = '';
      for (let j = 1 + Math.floor(random() * 10); j > 0; j -= 1) local += alphabet[Math.floor(random() * alphabet.length)];
      const address = `${local}@${domains[Math.floor(random() * domains.length)]}`;
      const check = checkEmail(address);
      if (check.ok) {
        accepted += 1;
        expect(parserAccepts(address), address).toBe(true);
      }
    }
    expect(accepted).toBeGreaterThan(1000);
  });

  it('still names the defects', () => {
    expect(checkEmail('a..b@example.com')).toMatchObject({ ok: false, defect: 'bad-local' });
    expect(checkEmail('jane@aol')).toMatchObject({ ok: false, defect: 'no-dot-in-domain' });
    expect(checkEmail('Bob.Smith+news@Example.COM')).toMatchObject({ ok: true, address: 'Bob.Smith+news@Example.COM' });
    expect(checkEmail('jöhn@example.com')).toMatchObject({ ok: true });
  });

  // Zoho's own invalid-pattern examples (Campaigns FAQ, in the reference) and the other defects
  // an Invalid pattern outcome names.
  it.each([
    ['johngmail.com', 'no-at', 'The address has no @'],
    ['jane@aol', 'no-dot-in-domain', 'The address has no dot in the domain'],
    ['ted@zylkercom', 'no-dot-in-domain', 'The address has no dot in the domain'],
    ['johndoe.yahoo.com', 'no-at', 'The address has no @'],
    ['darren@outlookcom', 'no-dot-in-domain', 'The address has no dot in the domain'],
    ['john doe@example.com', 'space', 'The address contains a space'],
    ['john@@example.com', 'two-at', 'The address has more than one @'],
    ['a@b@example.com', 'two-at', 'The address has more than one @'],
    ['@example.com', 'empty-local', 'The address has nothing before the @'],
    ['john@', 'empty-domain', 'The address has nothing after the @'],
    ['John <john@example.com>', 'display-name', 'The address has a display name or angle brackets (only the bare address is accepted)'],
    ['"john"@example.com', 'quoted-local', 'The address has a quoted local part'],
    ['john@[192.168.0.1]', 'ip-literal', 'The address has an IP address instead of a domain'],
  ])('%s is an invalid pattern: %s', (address, defect, message) => {
    expect(checkEmail(address)).toEqual({ ok: false, defect, message });
  });
});
