// oidc-provider ships no types and @types/oidc-provider is not a dependency, so the lab declares
// the small part of the API it uses. Written against oidc-provider 9.13 (lib/provider.js,
// lib/models/*, lib/helpers/errors.js); anything not used by lab/ is deliberately left out.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  import type { EventEmitter } from 'node:events';

  /** What oidc-provider hands an adapter to store (see example/my_adapter.js upstream). */
  export interface AdapterPayload {
    [key: string]: unknown;
    jti?: string;
    kind?: string;
    iat?: number;
    exp?: number;
    grantId?: string;
    uid?: string;
    userCode?: string;
    consumed?: unknown;
    accountId?: string;
    clientId?: string;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export type AdapterFactory = (model: string) => Adapter;

  /** The configuration object; typed loosely because the lab builds it in one place. */
  export type Configuration = Record<string, unknown>;

  export interface ClientInstance {
    clientId: string;
    clientAuthMethod: string;
    grantTypeAllowed(grantType: string): boolean;
    metadata(): Record<string, unknown>;
  }

  export interface ResourceServerInfo {
    scope: string;
    audience?: string;
    accessTokenTTL?: number;
    accessTokenFormat?: 'opaque' | 'jwt';
    jwt?: { sign?: { alg?: string; kid?: string } };
  }

  export class ResourceServer {
    constructor(identifier: string, info: ResourceServerInfo);
    accessTokenTTL?: number;
    identifier(): string;
  }

  export interface TokenInstance {
    jti: string;
    kind: string;
    iat: number;
    exp: number;
    clientId?: string;
    accountId?: string;
    grantId?: string;
    sessionUid?: string;
    scope?: string;
    resourceServer?: ResourceServer;
    readonly isValid: boolean;
    readonly isExpired: boolean;
    save(): Promise<string>;
    destroy(): Promise<void>;
  }

  export interface TokenModel<T extends TokenInstance = TokenInstance> {
    new (payload: Record<string, unknown>): T;
    find(value: string, options?: { ignoreExpiration?: boolean }): Promise<T | undefined>;
    readonly adapter: Adapter;
  }

  export interface GrantInstance extends TokenInstance {
    addOIDCScope(scope: string): void;
    addResourceScope(resource: string, scope: string): void;
  }

  export interface SessionInstance {
    jti: string;
    uid: string;
    accountId?: string;
    loginTs?: number;
    iat?: number;
    exp?: number;
    transient?: boolean;
    authorizations?: Record<string, { sid?: string; grantId?: string }>;
    sidFor(clientId: string, value?: string): string | undefined;
    grantIdFor(clientId: string, value?: string): string | undefined;
    save(ttl: number): Promise<string>;
    destroy(): Promise<void>;
  }

  export interface SessionModel {
    new (payload: Record<string, unknown>): SessionInstance;
    findByUid(uid: string): Promise<SessionInstance | undefined>;
    readonly adapter: Adapter;
  }

  export interface ClientModel {
    find(id: string): Promise<ClientInstance | undefined>;
    readonly adapter: Adapter;
  }

  export class Provider extends EventEmitter {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    readonly Session: SessionModel;
    readonly Grant: TokenModel<GrantInstance>;
    readonly AccessToken: TokenModel;
    readonly RefreshToken: TokenModel;
    readonly ClientCredentials: TokenModel;
    readonly AuthorizationCode: TokenModel;
    readonly Client: ClientModel;
    readonly ResourceServer: typeof ResourceServer;
  }

  export namespace errors {
    class OIDCProviderError extends Error {
      constructor(status: number, message: string);
      error: string;
      error_description?: string;
      status: number;
    }
    class InvalidTarget extends OIDCProviderError {
      constructor(description?: string);
    }
    class InvalidRequest extends OIDCProviderError {
      constructor(description?: string, code?: number);
    }
  }

  export default Provider;
}
