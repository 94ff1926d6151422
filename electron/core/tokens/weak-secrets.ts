/**
 * Weak HMAC secrets: a token signed with a default, tutorial or guessable secret is forgeable by
 * anyone who tries the same list, so the inspector tries it first. Also the RFC 7518 §3.2 rule that
 * an HMAC key must be at least as long as the hash output.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type HmacAlgorithm = 'HS256' | 'HS384' | 'HS512';

const HASH: Record<HmacAlgorithm, { name: string; bytes: number }> = {
  HS256: { name: 'sha256', bytes: 32 },
  HS384: { name: 'sha384', bytes: 48 },
  HS512: { name: 'sha512', bytes: 64 },
};

/**
 * Signing inputs longer than this are not tried against the dictionary: each secret costs one HMAC
 * of the whole input, and a 16 KiB input is already larger than any real JWT.
 */
export const MAX_DICTIONARY_SIGNING_INPUT = 16 * 1024;

/** Defaults of tools and frameworks, secrets from their docs and tutorials, and common passwords. */
const DICTIONARY = [
  // Empty, and what an unset environment variable turns into.
  '', 'undefined', 'null', 'None', 'nil', '[object Object]', 'process.env.JWT_SECRET', '${JWT_SECRET}', '$JWT_SECRET', '%JWT_SECRET%',
  // jwt.io and library READMEs.
  'your-256-bit-secret', 'your-384-bit-secret', 'your-512-bit-secret', 'a-string-secret-at-least-256-bits-long',
  'secret', 'Secret', 'SECRET', 'shhhhh', 'shhhhhhared-secret', 'shhh', 'shh', 'keyboard cat', 'my$ecretK3y', 'secretOrPrivateKey', 'secretOrKey',
  // Framework defaults and the secrets their getting-started guides use.
  'DO NOT USE THIS VALUE. INSTEAD, CREATE A COMPLEX SECRET AND KEEP IT SAFE OUTSIDE OF THE SOURCE CODE.',
  'super-secret-jwt-token-with-at-least-32-characters-long',
  'reallyreallyreallyreallyverysafe',
  '09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7',
  'my-secret-token-to-change-in-production',
  'my-secret-key-which-should-be-changed-in-production-and-be-base64-encoded',
  'you-will-never-guess', 'hard to guess string', 'super-secret', 'super-secret-key', 'secret-key-goes-here', 'my precious', 'dev', 'development',
  'SomeRandomString', 'somerandomstring', 'javainuse', 'mysupersecret_secretkey!123', 'superSecretKey@345', 'veryVerySecretKey',
  'this is my custom Secret key for authentication', 'ThisIsMySecretKey', 'ThisIsASecretKey', 'secret key', 'secret_key_base',
  'YOUR_CLIENT_SECRET', 'your_client_secret', 'YOUR_SECRET', 'YOUR_SECRET_KEY', 'YOUR_JWT_SECRET', 'your-secret', 'your_secret', 'yoursecret',
  'your-secret-key', 'your_secret_key', 'yourSecretKey', 'your_jwt_secret', 'your-jwt-secret', 'your-super-secret-key', 'your-secret-here',
  'change-this-secret', 'change-this', 'changethis', 'change_this_secret', 'replace-me', 'replaceme', 'REPLACE_ME', 'placeholder',
  // Named for what they are.
  'secretkey', 'secret_key', 'secret-key', 'secretKey', 'SecretKey', 'SECRET_KEY', 'mysecret', 'my_secret', 'my-secret', 'mySecret',
  'mysecretkey', 'my_secret_key', 'my-secret-key', 'mySecretKey', 'MySecretKey', 'supersecret', 'super_secret', 'superSecret', 'SuperSecret',
  'supersecretkey', 'super_secret_key', 'superSecretKey', 'mysupersecret', 'mysupersecretkey', 'my-super-secret-key', 'my_super_secret_key',
  'mySuperSecretKey', 'topsecret', 'top_secret', 'top-secret', 'TopSecret', 'verysecret', 'very_secret', 'very-secret', 'verysecretkey',
  'somesecret', 'some-secret', 'some_secret', 'anothersecret', 'randomsecret', 'random_secret', 'random', 'notasecret', 'nosecret', 'not-so-secret',
  'notsosecret', 'thisisasecret', 'this-is-a-secret', 'this_is_a_secret', 'this is a secret', 'thisismysecret', 'this_is_my_secret',
  'this-is-my-secret', 'ThisIsMySecret', 'this-is-my-secret-key', 'thisismysecretkey', 'insecure', 'unsafe', 'do-not-use-in-production',
  'dont-use-in-production', 'not-for-production', 'secret123', 'secret1234', 'Secret123', 'secret!', 's3cr3t', 's3cret', 'secr3t', 'S3cr3t',
  '$ecret', 's3cr3t-k3y', 'key', 'Key', 'KEY', 'mykey', 'my_key', 'my-key', 'myKey', 'privatekey', 'private_key', 'private-key', 'privateKey',
  'jwt', 'JWT', 'jwt_secret', 'jwt-secret', 'jwtSecret', 'JwtSecret', 'JWT_SECRET', 'jwtsecret', 'jwtkey', 'jwt_key', 'jwt-key', 'jwtKey',
  'JWT_KEY', 'jwt_secret_key', 'jwt-secret-key', 'jwtSecretKey', 'JWT_SECRET_KEY', 'jwtsecretkey', 'jwt_token_secret', 'jwt-token-secret',
  'token', 'token_secret', 'tokensecret', 'token-secret', 'TOKEN_SECRET', 'tokenSecret', 'access_token_secret', 'ACCESS_TOKEN_SECRET',
  'accessTokenSecret', 'access-token-secret', 'refresh_token_secret', 'REFRESH_TOKEN_SECRET', 'refreshTokenSecret', 'auth', 'auth_secret',
  'authsecret', 'auth-secret', 'AUTH_SECRET', 'authSecret', 'app_secret', 'appsecret', 'app-secret', 'APP_SECRET', 'appSecret', 'app_key',
  'APP_KEY', 'api_secret', 'apisecret', 'api-secret', 'API_SECRET', 'apiSecret', 'api_key', 'apikey', 'API_KEY', 'hmac', 'hmac_secret',
  'hmacsecret', 'hmac-secret', 'HMAC_SECRET', 'hmacSecret', 'signing_key', 'signingkey', 'signing-key', 'signingKey', 'signing_secret',
  'session_secret', 'SESSION_SECRET', 'sessionsecret', 'session-secret', 'sessionSecret', 'cookie_secret', 'cookie-secret', 'cookiesecret',
  'encryption_key', 'encryptionkey', 'client_secret', 'clientsecret', 'client-secret', 'clientSecret', 'server_secret', 'serversecret',
  // Placeholders and test values.
  'changeme', 'change_me', 'change-me', 'changeit', 'ChangeMe', 'CHANGEME', 'changeMe', 'default', 'Default', 'DEFAULT', 'test', 'Test',
  'TEST', 'testing', 'test123', 'testsecret', 'test-secret', 'test_secret', 'testSecret', 'testkey', 'test-key', 'test_key', 'devsecret',
  'dev-secret', 'dev_secret', 'local', 'localhost', 'example', 'sample', 'demo', 'none', 'true', 'false', 'foo', 'bar', 'baz', 'foobar',
  'hello', 'helloworld', 'hello world', 'Hello World', 'hello-world', 'xxx', 'xxxx', 'abc', 'abc123', 'abcdef', 'abcd1234', 'a', 'x', '0', '1',
  // Common passwords.
  'password', 'Password', 'PASSWORD', 'password1', 'password123', 'passw0rd', 'P@ssw0rd', 'p@ssw0rd', 'pass', 'pass123', '123', '1234', '12345',
  '123456', '1234567', '12345678', '123456789', '1234567890', '0123456789', 'qwerty', 'qwerty123', 'qwertyuiop', 'azerty', 'admin', 'admin123',
  'root', 'toor', 'letmein', 'welcome', 'welcome1', 'hunter2', 'trustno1', 'iloveyou', 'master', 'monkey', 'dragon', 'sunshine', 'princess',
  'football', 'baseball', 'shadow', 'michael', 'superman', 'batman', 'login', 'access', 'guest', 'user', 'administrator', 'god', 'love',
];

/** The built-in dictionary, without duplicates, in the order it is tried. */
export const WEAK_HMAC_SECRETS: readonly string[] = Object.freeze([...new Set(DICTIONARY)]);
const SECRET_BYTES: readonly Buffer[] = WEAK_HMAC_SECRETS.map((secret) => Buffer.from(secret, 'utf8'));

/**
 * The dictionary secret that produced this signature, or null when none did (or the signature has the
 * wrong length for the algorithm, or the signing input is over MAX_DICTIONARY_SIGNING_INPUT).
 * The caller must not show the secret whole (its first characters and length at most).
 */
const WEAK_SET: ReadonlySet<string> = new Set(SECRET_BYTES.map((bytes) => bytes.toString('latin1')));

export function findWeakHmacSecret(alg: HmacAlgorithm, signingInput: string, signature: Buffer): string | null {
  const hash = HASH[alg];
  if (!hash || signature.length !== hash.bytes || signingInput.length > MAX_DICTIONARY_SIGNING_INPUT) return null;
  const input = Buffer.from(signingInput, 'utf8');
  for (let i = 0; i < SECRET_BYTES.length; i++) {
    const digest = createHmac(hash.name, SECRET_BYTES[i]).update(input).digest();
    if (timingSafeEqual(digest, signature)) return WEAK_HMAC_SECRETS[i];
  }
  return null;
}

/** Whether a secret someone verified with is one of the dictionary's: one lookup, no HMACs. */
export function isWeakHmacSecret(secret: Buffer): boolean {
  return WEAK_SET.has(secret.toString('latin1'));
}

/**
 * Why an HMAC key is too short (RFC 7518 §3.2: at least the hash output, 32/48/64 bytes for
 * HS256/384/512), as a sentence a responder can act on, or null when it is long enough.
 */
/** The least an HMAC secret for `alg` should be, in bytes: its hash's output (RFC 7518 §3.2). */
export function hmacMinimumBytes(alg: HmacAlgorithm): number {
  return HASH[alg].bytes;
}

export function hmacSecretStrength(secretBytes: Buffer, alg: HmacAlgorithm): string | null {
  const minimum = hmacMinimumBytes(alg);
  if (secretBytes.length >= minimum) return null;
  // Random bytes this short still cannot be guessed; a secret a person chose can, and nothing here tells them apart.
  return `The secret is ${secretBytes.length} ${secretBytes.length === 1 ? 'byte' : 'bytes'}; ${alg} needs at least ${minimum} (RFC 7518 §3.2). Strict libraries refuse it, and if a person chose it rather than a generator, it can be guessed offline from one token. Replace it with ${minimum} or more random bytes.`;
}
