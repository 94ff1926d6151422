/**
 * The playbooks CredOps ships with. Each is a YAML file beside this one, inlined as text when the
 * core is bundled (Vite's `?raw`), and read with the same parser as a user's template, so a
 * built-in is held to the same rules. Parsed on first use, once.
 */
import type { PlaybookTemplate } from '../../../shared/playbooks';
import { parseTemplate } from './template-parse';
import compromisedSessions from './templates/compromised-sessions.yaml?raw';
import compromisedSigningKey from './templates/compromised-signing-key.yaml?raw';
import leakedApiKey from './templates/leaked-api-key.yaml?raw';
import leakedClientSecret from './templates/leaked-client-secret.yaml?raw';
import leakedWebhookSecret from './templates/leaked-webhook-secret.yaml?raw';

const SOURCES: [fileName: string, text: string][] = [
  ['leaked-api-key.yaml', leakedApiKey],
  ['compromised-signing-key.yaml', compromisedSigningKey],
  ['leaked-client-secret.yaml', leakedClientSecret],
  ['compromised-sessions.yaml', compromisedSessions],
  ['leaked-webhook-secret.yaml', leakedWebhookSecret],
];

let cached: PlaybookTemplate[] | null = null;

/** The built-in templates, in library order; frozen, as every caller shares them. */
export function builtinTemplates(): PlaybookTemplate[] {
  cached ??= SOURCES.map(([fileName, text]) => deepFreeze(parseTemplate(text, fileName)));
  return cached;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

export function builtinTemplate(id: string): PlaybookTemplate | null {
  return builtinTemplates().find((template) => template.id === id) ?? null;
}
