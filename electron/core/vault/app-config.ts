/** Which vault this installation opens: a tiny plaintext file in the user-data folder, no secrets. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CoreError } from '../errors';
import { writeFileAtomic } from './files';

const configSchema = z.object({ vaultPath: z.string().min(1) });
export type AppConfig = z.output<typeof configSchema>;

export function appConfigPath(userDataDir: string): string {
  return join(userDataDir, 'credops.json');
}

/** null when no vault was ever set up; a damaged file is an error, never taken for "no vault". */
export function readAppConfig(userDataDir: string): AppConfig | null {
  const path = appConfigPath(userDataDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CoreError('APP_CONFIG_CORRUPT', `${path} could not be read (${(error as NodeJS.ErrnoException).code}).`);
  }
  let parsed;
  try {
    parsed = configSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = null;
  }
  if (!parsed?.success) {
    throw new CoreError('APP_CONFIG_CORRUPT', `${path} is damaged. It only says where the vault is: fix the "vaultPath" in it, or delete it to start over.`);
  }
  return parsed.data;
}

export function writeAppConfig(userDataDir: string, config: AppConfig): void {
  writeFileAtomic(appConfigPath(userDataDir), JSON.stringify(config, null, 2) + '\n');
}
