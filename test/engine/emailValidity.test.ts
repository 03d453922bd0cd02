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
});
