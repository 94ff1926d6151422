/**
 * Every channel between renderer and main: its name, a strict input schema and an output schema.
 * The preload builds one method per channel from this; main parses every input with it; the router
 * checks every output against it, so nothing leaves main that the contract does not name.
 */
import { z } from 'zod';
import { exportRequest, importFile, importId, importPreview } from './credential-transfer';
import { leakChannels } from './leaks';
import { playbookChannels } from './playbooks';
import { serverChannels } from './servers';
import { bindingRequest, dpopBinding, inspection, inspectRequest, policyName, savedPolicy, tokenPolicy, unreadablePolicy } from './tokens';
import { credentialFields, credentialHistoryEntry, credentialQuery, credentialSummary, healthSummary, secretInput } from './credentials';

const empty = z.strictObject({});
const credentialId = z.uuid('Not a credential id');
const passphrase = z.string().min(1, 'Enter a passphrase').max(1024, 'A passphrase is at most 1024 characters');
const vaultPath = z
  .string()
  .min(1, 'Choose a vault location')
  .max(4096, 'That path is too long')
  .refine((p) => !p.includes('\0'), 'A path cannot contain a NUL character');

export const vaultState = z.enum(['absent', 'locked', 'unlocked']);
export const lockReason = z.enum(['user', 'idle', 'screen-lock', 'suspend', 'quit']);

export const keychainStatus = z.strictObject({
  available: z.boolean(),
  enrolled: z.boolean(),
  /** Why it is unavailable, in words a user can act on. */
  reason: z.string().optional(),
});

export const vaultStatus = z.strictObject({
  state: vaultState,
  vaultPath: z.string().nullable(),
  vaultName: z.string().nullable(),
  defaultPath: z.string(),
  keychain: keychainStatus,
  /** Epoch ms before which the next passphrase attempt is refused (wrong-passphrase backoff). */
  retryAt: z.number().nullable(),
});

export const vaultSettings = z.strictObject({
  autoLockMinutes: z.number().int().min(1).max(240),
  backupRetention: z.number().int().min(1).max(100),
  clipboardClearSeconds: z.number().int().min(5).max(300),
});

export const backupInfo = z.strictObject({
  file: z.string(),
  createdAt: z.string(),
  sizeBytes: z.number().int(),
});

export const auditEntry = z.strictObject({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});

export const auditVerification = z.strictObject({
  intact: z.boolean(),
  checked: z.number().int(),
  headSeq: z.number().int(),
  /** Set when the chain is broken: the code, the first bad sequence number and a sentence. */
  problem: z
    .strictObject({ code: z.enum(['AUDIT_TAMPERED', 'AUDIT_TRUNCATED']), seq: z.number().int(), message: z.string() })
    .optional(),
});

export const contract = {
  'vault:status': { input: empty, output: vaultStatus },
  'vault:chooseLocation': { input: empty, output: z.strictObject({ path: z.string().nullable() }) },
  'vault:create': { input: z.strictObject({ path: vaultPath, passphrase }), output: vaultStatus },
  'vault:unlock': { input: z.strictObject({ passphrase }), output: vaultStatus },
  'vault:unlockWithKeychain': { input: empty, output: vaultStatus },
  'vault:lock': { input: empty, output: vaultStatus },
  'vault:changePassphrase': {
    input: z.strictObject({ current: passphrase, next: passphrase }),
    output: z.strictObject({ changedAt: z.string() }),
  },
  'vault:enableKeychain': { input: z.strictObject({ passphrase }), output: vaultStatus },
  'vault:disableKeychain': { input: empty, output: vaultStatus },
  'vault:backup': { input: empty, output: z.strictObject({ backup: backupInfo, pruned: z.number().int() }) },
  'vault:listBackups': { input: empty, output: z.strictObject({ backups: z.array(backupInfo) }) },
  'vault:getSettings': { input: empty, output: vaultSettings },
  'vault:updateSettings': { input: vaultSettings.partial().strict(), output: vaultSettings },
  'audit:list': {
    input: z.strictObject({
      limit: z.number().int().min(1).max(500).optional(),
      beforeSeq: z.number().int().min(1).optional(),
    }),
    output: z.strictObject({ entries: z.array(auditEntry), total: z.number().int() }),
  },
  'audit:verify': { input: empty, output: auditVerification },
  'credentials:list': {
    input: credentialQuery,
    output: z.strictObject({ credentials: z.array(credentialSummary), total: z.number().int() }),
  },
  'credentials:create': {
    input: z.strictObject({ fields: credentialFields, secret: secretInput.nullable() }),
    output: credentialSummary,
  },
  'credentials:update': {
    /** `secret` replaces the stored one when present; `version` is the one the edit started from. */
    input: z.strictObject({ id: credentialId, version: z.number().int().min(1), fields: credentialFields, secret: secretInput.optional() }),
    output: credentialSummary,
  },
  'credentials:get': {
    input: z.strictObject({ id: credentialId }),
    output: z.strictObject({ credential: credentialSummary, history: z.array(credentialHistoryEntry) }),
  },
  'credentials:mark': {
    input: z.strictObject({ id: credentialId, as: z.enum(['rotated', 'revoked']), note: z.string().max(2000, 'A note is at most 2,000 characters') }),
    output: credentialSummary,
  },
  /** The one channel that carries a secret to the renderer, on purpose and audited. */
  'credentials:reveal': {
    input: z.strictObject({ id: credentialId }),
    output: z.strictObject({ secret: z.string(), hideAfterSeconds: z.number().int() }),
  },
  'credentials:copy': {
    input: z.strictObject({ id: credentialId }),
    output: z.strictObject({ clearAfterSeconds: z.number().int() }),
  },
  /** How many active credentials have each finding, for the Inventory header. */
  'credentials:health': { input: empty, output: healthSummary },
  /** Main asks for the file; null when the user cancels. */
  'credentials:importOpen': { input: empty, output: z.strictObject({ file: importFile.nullable() }) },
  'credentials:importPreview': {
    input: z.strictObject({ importId, passphrase: passphrase.optional() }),
    output: importPreview,
  },
  /** Writes every valid row of a previewed file in one transaction, or none. */
  'credentials:importCommit': { input: z.strictObject({ importId }), output: z.strictObject({ imported: z.number().int() }) },
  'credentials:importDiscard': { input: z.strictObject({ importId }), output: empty },
  /** Main asks where to save; null when the user cancels. */
  'credentials:export': {
    input: exportRequest,
    output: z.strictObject({ saved: z.strictObject({ fileName: z.string(), count: z.number().int() }).nullable() }),
  },
  /** Offline: nothing pasted leaves main, and no URL a token names is fetched. */
  'tokens:inspect': { input: inspectRequest, output: inspection },
  /** Offline too: null when the first is no DPoP proof itself (a token carrying one is not), or the second holds characters no token has. */
  'tokens:dpopBinding': { input: bindingRequest, output: z.strictObject({ binding: dpopBinding.nullable() }) },
  /** A profile that no longer reads as a policy is listed apart, never offered to check against. */
  'tokens:listPolicies': { input: empty, output: z.strictObject({ policies: z.array(savedPolicy), unreadable: z.array(unreadablePolicy) }) },
  'tokens:savePolicy': {
    /** Without an id, a new profile; with one, that profile replaced. */
    input: z.strictObject({ id: z.uuid().optional(), name: policyName, policy: tokenPolicy }),
    output: savedPolicy,
  },
  'tokens:deletePolicy': { input: z.strictObject({ id: z.uuid() }), output: empty },
  ...serverChannels,
  ...playbookChannels,
  ...leakChannels,
} as const;

/** Events main pushes to the renderer. */
export const events = {
  'vault:stateChanged': z.strictObject({ state: vaultState, reason: lockReason.or(z.literal('unlock')).or(z.literal('create')) }),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export type VaultStatus = z.output<typeof vaultStatus>;
export type VaultSettings = z.output<typeof vaultSettings>;
export type AuditEntry = z.output<typeof auditEntry>;
export type AuditVerification = z.output<typeof auditVerification>;
export type BackupInfo = z.output<typeof backupInfo>;
export type LockReason = z.output<typeof lockReason>;

export const channelNames = Object.keys(contract) as Channel[];
export const eventNames = Object.keys(events) as EventName[];

/** The typed surface the renderer sees as window.credops. */
type Split<S extends string> = S extends `${infer D}:${infer A}` ? [D, A] : never;
type DomainOf<C extends string> = Split<C>[0];
export type CredopsApi = {
  [D in DomainOf<Channel | EventName>]: {
    [C in Channel as Split<C>[0] extends D ? Split<C>[1] : never]: (
      input?: ChannelInput<C>,
    ) => Promise<import('./result').Result<ChannelOutput<C>>>;
  } & {
    [E in EventName as Split<E>[0] extends D ? `on${Capitalize<Split<E>[1]>}` : never]: (
      listener: (payload: EventPayload<E>) => void,
    ) => () => void;
  };
};
