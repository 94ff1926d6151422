/**
 * What "search as you type" looks in: a credential's name, owner, tenant, client id, environment,
 * tags and scopes, lower-cased here (full Unicode, unlike SQLite's lower()) so one text serves the
 * trigram index and the plain LIKE alike, and a search matches case-insensitively either way.
 */
export interface Searchable {
  name: string;
  owner: string | null;
  tenant: string | null;
  clientId: string | null;
  environment: string;
  tags: readonly string[];
  scopes: readonly string[];
}

export function searchText(c: Searchable): string {
  return [c.name, c.owner, c.tenant, c.clientId, c.environment, ...c.tags, ...c.scopes]
    .filter((v): v is string => v !== null)
    .join('\n')
    .toLowerCase();
}
