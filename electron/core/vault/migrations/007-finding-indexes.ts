import type { Migration } from './index';

/**
 * Indexes for the health-finding filters that match few credentials: without them a filter walks
 * the whole inventory in name order looking for its first hundred (130 ms at 100,000 for a finding
 * nothing has); with them it reads only the matches. Partial indexes on the flags hold only the
 * credentials that have them, already in name order. "Locations unconfirmed" gets none: it is the
 * common case, where walking the name index finds a page at once.
 */
export const migration007: Migration = {
  version: 7,
  name: 'finding-indexes',
  up(db) {
    db.exec(`
      CREATE INDEX credentials_broad_scopes ON credentials (name COLLATE NOCASE, id) WHERE broad_scopes = 1;
      CREATE INDEX credentials_client_side_copy ON credentials (name COLLATE NOCASE, id) WHERE client_side_copy = 1;
      CREATE INDEX credentials_shared_environments ON credentials (name COLLATE NOCASE, id) WHERE shared_environments = 1;
      CREATE INDEX credentials_ownerless ON credentials (name COLLATE NOCASE, id) WHERE owner IS NULL;
      CREATE INDEX credentials_by_expiry ON credentials (expires_at) WHERE expires_at IS NOT NULL;
      CREATE INDEX credentials_by_last_use ON credentials (last_used_at) WHERE last_used_at IS NOT NULL;
    `);
  },
};
