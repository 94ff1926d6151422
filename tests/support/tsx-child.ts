/**
 * Node arguments for a second CredOps process in tests (crash and concurrency tests): TypeScript
 * through tsx, and `?raw` imports through raw-register.mjs, as Vite bundles them for the app.
 */
import { resolve } from 'node:path';

export const TSX_CHILD_ARGS = ['--import', 'tsx', '--import', resolve(import.meta.dirname, 'raw-register.mjs')];
