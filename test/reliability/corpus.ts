// The hostile-input corpus: values a Zoho Invoice organization may hold that ListSync must either
// store faithfully or reject with a reason. Used by the engine campaign (badInput.test.ts) and
// meant for reuse by end-to-end UI tests (nothing in it may execute when shown).
//
// Each case says what the engine must make of it. `corpusContacts()` turns the corpus into Zoho
// Invoice contacts for the sandbox, in a fixed order, with stable ids.
import type { EmailDefect } from '../../main/core/sync/emailValidity';
import type { SandboxContactInput } from '../../main/core/sandbox';
import { formatZohoTime } from '../../main/core/zoho';

export const megabyte = 1024 * 1024;

/** An address the rules reject: outcome "ignored", reason `empty` or `invalid` (with the named defect). */
export interface RejectedEmailCase {
  label: string;
  /** undefined: the contact has no email field at all; null: Zoho sends "email": null. */
  value: string | null | undefined;
  reason: 'empty' | 'invalid';
  defect?: EmailDefect;
}

/** An address the rules accept: the contact is created under `stored` (trimmed, lower-cased). */
export interface AcceptedEmailCase {
  label: string;
  value: string;
  stored: string;
}

/** Text for names and fields: stored as `value.trim()` (lone surrogates may become U+FFFD). */
export interface HostileTextCase {
  label: string;
  value: string;
}

export const rejectedEmails: readonly RejectedEmailCase[] = [
  // Outcome 1: empty.
  { label: 'no email field', value: undefined, reason: 'empty' },
  { label: 'email null', value: null, reason: 'empty' },
  { label: 'empty string', value: '', reason: 'empty' },
  { label: 'blanks', value: '   ', reason: 'empty' },
  { label: 'tabs and newlines', value: '\t\r\n ', reason: 'empty' },
  { label: 'no-break and ideographic spaces', value: '\u00a0\u3000\ufeff', reason: 'empty' },
  // Outcome 2: every defect the rules name, and the parser's finer ones.
  { label: 'no @ (Zoho example)', value: 'johngmail.com', defect: 'no-at', reason: 'invalid' },
  { label: 'no dot in domain (Zoho example)', value: 'jane@aol', defect: 'no-dot-in-domain', reason: 'invalid' },
  { label: 'dot missing before TLD (Zoho example)', value: 'ted@zylkercom', defect: 'no-dot-in-domain', reason: 'invalid' },
  { label: 'two @', value: 'a@b@example.com', defect: 'two-at', reason: 'invalid' },
  { label: 'two addresses with a comma', value: 'one@example.com,two@example.com', defect: 'two-at', reason: 'invalid' },
  { label: 'nothing before @', value: '@example.com', defect: 'empty-local', reason: 'invalid' },
  { label: 'nothing after @', value: 'user@', defect: 'empty-domain', reason: 'invalid' },
  { label: 'space in the local part', value: 'jo hn@example.com', defect: 'space', reason: 'invalid' },
  { label: 'space in the domain', value: 'john@exam ple.com', defect: 'space', reason: 'invalid' },
  { label: 'tab inside', value: 'john\t@example.com', defect: 'space', reason: 'invalid' },
  { label: 'ideographic space inside', value: 'john\u3000@example.com', defect: 'space', reason: 'invalid' },
  { label: 'display name', value: 'John Doe <john@example.com>', defect: 'display-name', reason: 'invalid' },
  { label: 'angle brackets only', value: '<john@example.com>', defect: 'display-name', reason: 'invalid' },
  { label: 'HTML in the address', value: '<script>alert(1)</script>@example.com', defect: 'display-name', reason: 'invalid' },
  { label: 'quoted local part', value: '"john"@example.com', defect: 'quoted-local', reason: 'invalid' },
  { label: 'quoted local part with a space', value: '"john doe"@example.com', defect: 'space', reason: 'invalid' },
  { label: 'quoted part inside the local part', value: 'john."doe"@example.com', defect: 'quoted-local', reason: 'invalid' },
  { label: 'spreadsheet formula with quotes', value: '=HYPERLINK("http://x")@example.com', defect: 'quoted-local', reason: 'invalid' },
  { label: 'comment after the local part', value: 'john(comment)@example.com', defect: 'bad-local', reason: 'invalid' },
  { label: 'comment before the local part', value: '(comment)john@example.com', defect: 'bad-local', reason: 'invalid' },
  { label: 'comment in the domain', value: 'john@(comment)example.com', defect: 'bad-domain', reason: 'invalid' },
  { label: 'IPv4 literal', value: 'john@[192.168.0.1]', defect: 'ip-literal', reason: 'invalid' },
  { label: 'IPv6 literal', value: 'john@[IPv6:2001:db8::1]', defect: 'ip-literal', reason: 'invalid' },
  { label: 'localhost', value: 'john@localhost', defect: 'no-dot-in-domain', reason: 'invalid' },
  { label: 'double dot in domain', value: 'john@example..com', defect: 'bad-domain', reason: 'invalid' },
  { label: 'leading hyphen in a label', value: 'john@-example.com', defect: 'bad-domain', reason: 'invalid' },
  { label: 'underscore in the domain', value: 'john@exa_mple.com', defect: 'bad-domain', reason: 'invalid' },
  { label: 'numeric TLD', value: 'john@example.123', defect: 'bad-domain', reason: 'invalid' },
  { label: 'trailing dot', value: 'john@example.com.', defect: 'bad-domain', reason: 'invalid' },
  { label: 'trailing semicolon', value: 'john@example.com;', defect: 'bad-domain', reason: 'invalid' },
  { label: 'double dot in local part', value: 'john..doe@example.com', defect: 'bad-local', reason: 'invalid' },
  { label: 'leading dot in local part', value: '.john@example.com', defect: 'bad-local', reason: 'invalid' },
  { label: 'trailing dot in local part', value: 'john.@example.com', defect: 'bad-local', reason: 'invalid' },
  { label: 'mailto: prefix', value: 'mailto:john@example.com', defect: 'bad-local', reason: 'invalid' },
  { label: 'SQL in the local part', value: "x');DROP/**/TABLE/**/contacts;--@example.com", defect: 'bad-local', reason: 'invalid' },
  { label: 'NUL in the local part', value: 'us\u0000er@example.com', defect: 'bad-local', reason: 'invalid' },
  { label: 'NUL in the domain', value: 'user@exam\u0000ple.com', defect: 'bad-domain', reason: 'invalid' },
  { label: 'right-to-left override in the domain', value: 'user@\u202eexample.com', defect: 'bad-domain', reason: 'invalid' },
  { label: 'zero-width space in the domain', value: 'user@exam\u200bple.com', defect: 'bad-domain', reason: 'invalid' },
  { label: '255 characters', value: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.com`, defect: 'too-long', reason: 'invalid' },
  { label: '1 MB address', value: `${'x'.repeat(megabyte)}@example.com`, defect: 'too-long', reason: 'invalid' },
];

export const acceptedEmails: readonly AcceptedEmailCase[] = [
  { label: 'plus tag', value: 'ana+tag@example.com', stored: 'ana+tag@example.com' },
  { label: 'apostrophe', value: "o'brien@example.com", stored: "o'brien@example.com" },
  { label: 'SQL comment characters that are legal', value: "a'--@example.com", stored: "a'--@example.com" },
  { label: 'percent and bang', value: 'ana%relay!x@example.org', stored: 'ana%relay!x@example.org' },
  { label: 'mixed case, padded', value: '  Mixed.Case@Example.COM  ', stored: 'mixed.case@example.com' },
  { label: 'trailing newline', value: 'newline@example.com\n', stored: 'newline@example.com' },
  { label: 'Latin with accents (IDN)', value: 'josé@bücher.de', stored: 'josé@bücher.de' },
  { label: 'punycode domain', value: 'jose@xn--bcher-kva.de', stored: 'jose@xn--bcher-kva.de' },
  { label: 'Chinese (EAI + IDN)', value: '用户@例子.广告', stored: '用户@例子.广告' },
  { label: 'Japanese', value: 'ユーザー@例え.jp', stored: 'ユーザー@例え.jp' },
  { label: 'Hindi with combining vowel signs (IDN)', value: 'उपयोगकर्ता@उदाहरण.कॉम', stored: 'उपयोगकर्ता@उदाहरण.कॉम' },
  { label: 'Thai with combining marks (IDN)', value: 'somchai@ตัวอย่าง.ไทย', stored: 'somchai@ตัวอย่าง.ไทย' },
  { label: 'Arabic (right-to-left)', value: 'مستخدم@مثال.مصر', stored: 'مستخدم@مثال.مصر' },
  { label: 'Hebrew (right-to-left)', value: 'משתמש@דוגמה.ישראל', stored: 'משתמש@דוגמה.ישראל' },
  { label: 'Cyrillic, upper case', value: 'ПОЛЬЗОВАТЕЛЬ@ПРИМЕР.РФ', stored: 'пользователь@пример.рф' },
  { label: 'Danish, upper case', value: 'ÆRØSKØBING@DÄNEMARK.DK', stored: 'ærøskøbing@dänemark.dk' },
  { label: 'longest local part (64)', value: `${'l'.repeat(64)}@example.com`, stored: `${'l'.repeat(64)}@example.com` },
  { label: '254 characters', value: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`, stored: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com` },
];

/** The same mailbox again in other letter cases: outcome 3, ignored as a file duplicate. */
export const caseDuplicateEmails: readonly AcceptedEmailCase[] = [
  { label: 'Danish in lower case after upper case', value: 'ærøskøbing@Dänemark.dk', stored: 'ærøskøbing@dänemark.dk' },
  { label: 'Cyrillic in lower case after upper case', value: 'пользователь@пример.рф', stored: 'пользователь@пример.рф' },
];

const oneMbAscii = 'A'.repeat(megabyte);
// 3 bytes in UTF-8 each: about 1 MB on the wire and in SQLite.
const oneMbEuro = '€'.repeat(Math.floor(megabyte / 3));
const oneMbWithNuls = 'ab\u0000'.repeat(Math.floor(megabyte / 3));

export const hostileTexts: readonly HostileTextCase[] = [
  { label: 'script tag', value: '<script>alert("xss")</script>' },
  { label: 'img onerror', value: '<img src=x onerror="alert(1)">' },
  { label: 'svg onload', value: '<svg/onload=alert(document.cookie)>' },
  { label: 'javascript: URL', value: 'javascript:alert(1)//' },
  { label: 'closing tags and attributes', value: '"><iframe src="https://evil.example"></iframe>' },
  { label: 'HTML entities', value: '&lt;b&gt;bold&lt;/b&gt; &amp; &#x3C;script&#x3E;' },
  { label: 'Vue/Angular template', value: '{{ constructor.constructor("alert(1)")() }}' },
  { label: 'SQL injection', value: "Robert'); DROP TABLE contacts;--" },
  { label: 'SQL union', value: "' UNION SELECT key_last4 FROM accounts --" },
  { label: 'SQL quote doubling', value: "O''Brien \\' \\\" `x`" },
  { label: 'JSON lookalike', value: '{"email":"evil@example.com","state":"active"}' },
  { label: 'prototype keys', value: '__proto__ constructor prototype' },
  { label: 'format strings', value: '%s %d %n %x ${process.env.HOME} #{1}' },
  { label: 'CSV formula', value: '=HYPERLINK("https://evil.example","click")' },
  { label: 'CSV formula with plus', value: '+1+cmd|\' /C calc\'!A0' },
  { label: 'CSV formula with minus', value: '-2+3' },
  { label: 'CSV formula with at', value: '@SUM(1+1)*cmd|\' /C calc\'!A0' },
  { label: 'comma, quotes and newlines', value: 'Line 1\nLine 2, "quoted"\r\nLine 3' },
  { label: 'right-to-left override', value: 'invoice\u202Etxt.exe' },
  { label: 'Arabic name', value: 'محمد بن سلمان' },
  { label: 'Hebrew name', value: 'דוד בן-גוריון' },
  { label: 'mixed direction with isolates', value: 'Ali \u2067علي\u2069 (CEO)' },
  { label: 'zero-width characters', value: 'Z\u200bero\u200cWidth\u200dJoiner\u2060' },
  { label: 'combining characters (zalgo)', value: 'Z̴̡̧̛͖̝a̸̢̛͉l̷̨̛g̵̡̛o̷̢̨' },
  { label: 'emoji and flags', value: '👩🏽‍💻 Ana 🇧🇷 🏳️‍🌈' },
  { label: 'astral plane', value: '𝕳𝖊𝖑𝖑𝖔 𠜎𠜱𠝹' },
  { label: 'lone surrogate', value: 'broken \ud800 surrogate' },
  { label: 'NUL bytes', value: 'before\u0000after\u0000' },
  { label: 'control characters', value: 'bell\u0007 backspace\u0008 escape\u001b[31m red' },
  { label: 'Windows reserved names', value: 'CON PRN AUX NUL COM1 LPT1' },
  { label: 'path traversal', value: '../../../../etc/passwd' },
  { label: 'padded with blanks', value: '   padded   ' },
  { label: 'only blanks inside', value: 'a\u00a0\u2003b' },
  { label: 'very long word (64 KB)', value: 'W'.repeat(65_536) },
  { label: '1 MB ASCII', value: oneMbAscii },
  { label: '1 MB of 3-byte characters', value: oneMbEuro },
  { label: '1 MB with NUL bytes', value: oneMbWithNuls },
];

/** What a text becomes when stored in an SQLite TEXT column: trimmed, lone surrogates replaced by U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

export type CorpusCase =
  | { kind: 'rejected'; contactId: string; case: RejectedEmailCase }
  | { kind: 'accepted'; contactId: string; case: AcceptedEmailCase }
  | { kind: 'case-duplicate'; contactId: string; case: AcceptedEmailCase }
  | { kind: 'text'; contactId: string; email: string; case: HostileTextCase };

/** Every case with the Zoho contact id it is served under, in created-time order. */
export function corpusCases(idBase = 955_000_000): CorpusCase[] {
  let i = 0;
  const next = () => String(idBase + ++i);
  return [
    ...rejectedEmails.map((c) => ({ kind: 'rejected' as const, contactId: next(), case: c })),
    ...acceptedEmails.map((c) => ({ kind: 'accepted' as const, contactId: next(), case: c })),
    ...caseDuplicateEmails.map((c) => ({ kind: 'case-duplicate' as const, contactId: next(), case: c })),
    ...hostileTexts.map((c, n) => ({ kind: 'text' as const, contactId: next(), email: `hostile.${n}@example.com`, case: c })),
  ];
}

/**
 * The corpus as Zoho Invoice contacts (sandbox input). Hostile texts fill the contact's name,
 * first and last name and company; rejected and accepted addresses go in the email field.
 */
export function corpusContacts(idBase = 955_000_000, start = Date.UTC(2025, 0, 1)): SandboxContactInput[] {
  return corpusCases(idBase).map((c, minute) => {
    const time = formatZohoTime(start + minute * 60_000, 330);
    const base: SandboxContactInput = { contact_id: c.contactId, created_time: time, last_modified_time: time };
    if (c.kind === 'text') {
      const v = c.case.value;
      return { ...base, contact_name: v, first_name: v, last_name: v, company_name: v, email: c.email };
    }
    const name = `Case ${c.contactId}`;
    const contact: SandboxContactInput = { ...base, contact_name: name, first_name: 'Case', last_name: c.contactId };
    if (c.case.value !== undefined) contact.email = c.case.value;
    return contact;
  });
}
