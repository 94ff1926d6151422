import { describe, expect, it } from 'vitest';
import { findSensitiveData } from '../../../electron/core/tokens/sensitive-data';

/** Registered claims as a real issuer writes them: none of them is sensitive. */
const REGISTERED = {
  iss: 'https://login.example.com/realms/acme',
  sub: '3f2b8c1e-9a4d-4f6b-8e21-7c5d9a0b1e2f',
  aud: ['api://payments', 'account'],
  exp: 1_767_229_200,
  nbf: 1_767_225_600,
  iat: 1_767_225_600,
  auth_time: 1_767_225_590,
  jti: '0f8fad5b-d9cb-469f-a165-70867728950e',
  azp: 'payments-web',
  scope: 'openid profile payments:read',
  amr: ['pwd', 'otp'],
  acr: '1',
  sid: '8d7e6f5a-1b2c-4d3e-9f8a-7b6c5d4e3f2a',
  email_verified: true,
  ver: '2.0',
  version: '1.2.3',
  at_hash: 'lPn9vRO6Bn1xIJ3Chf-6Ug',
};

describe('findSensitiveData', () => {
  it('finds nothing in registered claims, identifiers, times and versions', () => {
    expect(findSensitiveData(REGISTERED)).toEqual([]);
  });

  it.each([
    ['an email address', { email: 'alice@example.com' }, 'payload.email', 'email'],
    ['an email address with a display name', { contact: 'Alice Doe <alice.doe+ops@mail.example.co.uk>' }, 'payload.contact', 'email'],
    ['an E.164 phone number', { user: { phone: '+14155552671' } }, 'payload.user.phone', 'phone'],
    ['a formatted international phone number', { mobile: '+44 20 7946 0958' }, 'payload.mobile', 'phone'],
    ['a formatted North American phone number', { callback: '(415) 555-2671' }, 'payload.callback', 'phone'],
    ['a national phone number in a claim named phone_number', { phone_number: '020 7946 0958' }, 'payload.phone_number', 'phone'],
    ['a Visa number with spaces', { cards: ['4111 1111 1111 1111'] }, 'payload.cards[0]', 'card'],
    ['a Mastercard number with dashes', { card: '5555-5555-5555-4444' }, 'payload.card', 'card'],
    ['an Amex number', { pan: '378282246310005' }, 'payload.pan', 'card'],
    ['a card number given as a JSON number', { billing: { number: 4242424242424242 } }, 'payload.billing.number', 'card'],
    ['a US social security number', { tax: '123-45-6789' }, 'payload.tax', 'national-id'],
    ['a social security number without dashes in a claim named ssn', { ssn: '123456789' }, 'payload.ssn', 'national-id'],
    ['a social security number in a claim named national_id', { national_id: '123-45-6789' }, 'payload.national_id', 'national-id'],
    ['an email address in an identifier claim', { sub: 'carol@example.com' }, 'payload.sub', 'email'],
    // Where issuers put addresses inside other values.
    ['an email address at the end of an Auth0 enterprise subject', { sub: 'samlp|acme-okta|alice.smith@acme.com' }, 'payload.sub', 'email'],
    ['an email address in an Entra v1 unique_name', { unique_name: 'live.com#alice@outlook.com' }, 'payload.unique_name', 'email'],
    ['a mailto: address', { contact: 'mailto:alice@example.com' }, 'payload.contact', 'email'],
    // A claim named for a national id holds one, whatever its country's shape.
    ['a UK national insurance number in a claim named national_id', { national_id: 'QQ123456C' }, 'payload.national_id', 'national-id'],
    ['a US ITIN in a claim named itin', { itin: '912-70-1234' }, 'payload.itin', 'national-id'],
    ['an EIN in a claim named tax_id', { tax_id: '12-3456789' }, 'payload.tax_id', 'national-id'],
    ['a person\'s address beside a service account\'s', { members: 'deployer@proj.iam.gserviceaccount.com, alice@corp.example' }, 'payload.members', 'email'],
    ['an IBAN in print form', { payout: 'GB82 WEST 1234 5698 7654 32' }, 'payload.payout', 'iban'],
    ['an IBAN in electronic form', { account: 'DE89370400440532013000' }, 'payload.account', 'iban'],
  ])('finds %s', (_name, claims, path, kind) => {
    expect(findSensitiveData({ ...REGISTERED, ...claims })).toEqual([{ path, kind }]);
  });

  it.each([
    ['password', { password: 'hunter2' }, 'payload.password'],
    ['pwd', { pwd: 'hunter2' }, 'payload.pwd'],
    ['client_secret', { client_secret: 'f8a1c3' }, 'payload.client_secret'],
    ['api_key', { api_key: 'k-123' }, 'payload.api_key'],
    ['apiKey', { apiKey: 'k-123' }, 'payload.apiKey'],
    ['private_key', { private_key: '-----BEGIN PRIVATE KEY-----' }, 'payload.private_key'],
    ['db_password, nested', { config: { db_password: 'pw' } }, 'payload.config.db_password'],
    ['a namespaced claim', { 'https://example.com/claims/secret': 'x' }, 'payload["https://example.com/claims/secret"]'],
  ])('finds a claim named like a password: %s', (_name, claims, path) => {
    expect(findSensitiveData(claims)).toEqual([{ path, kind: 'password-claim' }]);
  });

  it.each([
    ['a 16-digit number failing the Luhn check', { ref: '4111111111111112' }],
    ['a Luhn-valid number with no card issuer prefix', { ref: '1234567812345670' }],
    ['a Unix timestamp in seconds', { created: 1_767_225_600 }],
    ['a Unix timestamp in milliseconds', { created_ms: 1_767_225_600_000 }],
    ['a UUID', { request_id: '3f2b8c1e-9a4d-4f6b-8e21-7c5d9a0b1e2f' }],
    ['Luhn-valid numbers in claims named as identifiers', { user_id: 4242424242424242, accountId: '5555555555554444', 'order-id': '4111111111111111' }],
    ['a digit run not named as a phone', { order: '4155552671' }],
    ['a date', { birthday_party: '2026-01-15' }],
    ['an IP address', { ip: '192.168.100.200' }],
    ['an IBAN with wrong check digits', { account: 'GB00WEST12345698765432' }],
    ['an SSN shape with an area never issued', { ref: '666-12-3456' }],
    ['a URL with user information', { link: 'https://user:pw@example.com/path' }],
    ['password-like names with empty, false or null values', { password: '', secret: false, api_key: null }],
    ['names that only mention a password', { password_changed_at: 1_767_225_600, pwd_exp: '3600', secret_santa: 'yes' }],
    ['password-like names holding flags', { forcePassword: 0, resetPassword: 1, 'custom:force_password': 'true', requirePassphrase: 'FALSE' }],
    ['a Google Cloud service account, which is not a person', { email: 'invoker@my-proj.iam.gserviceaccount.com', azp: '1234567890' }],
    ['placeholders and masked values under national-id names', { tax_id: 'N/A', national_id: 'none', ssn: 'XXX-XX-1234', itin: 0 }],
  ])('ignores %s', (_name, claims) => {
    expect(findSensitiveData({ ...REGISTERED, ...claims })).toEqual([]);
  });

  it('reports each finding once, with the path of its array element or key', () => {
    expect(findSensitiveData({ contacts: [{ email: 'a@example.com' }, { phones: ['+14155552671', 'n/a'] }] })).toEqual([
      { path: 'payload.contacts[0].email', kind: 'email' },
      { path: 'payload.contacts[1].phones[0]', kind: 'phone' },
    ]);
  });

  it('names the root it is given', () => {
    expect(findSensitiveData({ email: 'bob@example.org' }, 'header')).toEqual([{ path: 'header.email', kind: 'email' }]);
  });

  it('stays bounded on deep, wide and huge payloads', () => {
    let deep: Record<string, unknown> = { email: 'deep@example.com' };
    for (let i = 0; i < 100_000; i++) deep = { next: deep };
    const wide = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, `user${i}@example.com`]));
    const huge = { note: `${'a'.repeat(5 * 1024 * 1024)}@example.com`, list: Array.from({ length: 1_000_000 }, () => '4111 1111 1111 1111') };
    const started = performance.now();
    expect(findSensitiveData(deep)).toEqual([]);
    expect(findSensitiveData(wide).length).toBeLessThanOrEqual(50);
    expect(findSensitiveData(huge).length).toBeLessThanOrEqual(50);
    expect(findSensitiveData('4111 1111 1111 1111')).toEqual([{ path: 'payload', kind: 'card' }]);
    // A guard against a walk that grows without bound (seconds), not a timing: tokens.huge in the bench times it.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('reads names the same way however many it has seen before', () => {
    // More distinct names than the inspector remembers what they mean, then names that matter.
    const many = Object.fromEntries(Array.from({ length: 1_500 }, (_, i) => [`claim_${i}`, 'x']));
    expect(findSensitiveData(many)).toEqual([]);
    expect(findSensitiveData({ ...many, db_password: 'pw', ssn: 123456789, user_id: 4111111111111111 })).toEqual([
      { path: 'payload.db_password', kind: 'password-claim' },
      { path: 'payload.ssn', kind: 'national-id' },
    ]);
  });
});
