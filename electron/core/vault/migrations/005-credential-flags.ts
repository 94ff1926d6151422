import { CLIENT_SIDE, isBroadScope, RETIRED } from '../../credentials/health';
import type { Migration } from './index';

/**
 * Health facts that need more than the row's own columns, kept beside it so the Inventory header and
 * the finding filters read plain columns instead of running JSON, subqueries or a grouping over every
 * credential: broad scopes, a copy on a client device, an unconfirmed location, and the same secret
 * in another environment. store.ts keeps them current on every write.
 */
export const migration005: Migration = {
  version: 5,
  name: 'credential-flags',
  up(db) {
    db.exec(`
      ALTER TABLE credentials ADD COLUMN broad_scopes INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE credentials ADD COLUMN client_side_copy INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE credentials ADD COLUMN unconfirmed_locations INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE credentials ADD COLUMN shared_environments INTEGER NOT NULL DEFAULT 0;
    `);
    const broad = db.prepare('UPDATE credentials SET broad_scopes = 1 WHERE id = ?');
    for (const { id, scopes } of db.prepare('SELECT id, scopes FROM credentials').all() as { id: string; scopes: string }[]) {
      if ((JSON.parse(scopes) as string[]).some(isBroadScope)) broad.run(id);
    }
    const retired = [...RETIRED].map((status) => `'${status}'`).join(', ');
    db.exec(`
      UPDATE credentials SET
        client_side_copy = EXISTS (SELECT 1 FROM credential_locations l WHERE l.credential_id = credentials.id AND l.kind IN (${[...CLIENT_SIDE].map((k) => `'${k}'`).join(', ')})),
        unconfirmed_locations = EXISTS (SELECT 1 FROM credential_locations l WHERE l.credential_id = credentials.id AND l.confirmed_at IS NULL),
        shared_environments = fingerprint IS NOT NULL AND (
          SELECT count(DISTINCT lower(o.environment)) FROM credentials o WHERE o.fingerprint = credentials.fingerprint AND o.status NOT IN (${retired})) > 1;
    `);
  },
};
