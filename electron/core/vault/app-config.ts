/** Which vault this installation opens: a tiny plaintext file in the user-data folder, no secrets. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './files';

const configSchema = z.object({ vaultPath: z.string().min(1) });
export type AppConfig = z.output<typeof configSchema>;

export function appConfigPath(userDataDir: string): string {
  return join(userDataDir, 'credops.json');
}

export function readAppConfig(userDataDir: string): AppConfig | null {
  try {
    const parsed = configSchema.safeParse(JSON.parse(readFileSync(appConfigPath(userDataDir), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeAppConfig(userDataDir: string, config: AppConfig): void {
  writeFileAtomic(appConfigPath(userDataDir), JSON.stringify(config, null, 2) + '\n');
}
