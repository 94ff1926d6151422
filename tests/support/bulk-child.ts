/**
 * A second CredOps process for the bulk revocation crash test. Usage:
 *   bulk-child.ts <userDataDir> <passphrase> start <jobFile>  → starts the job in <jobFile> ({ serverId, tokens }),
 *        prints `job <id>`, then `progress <n>` as tokens are acknowledged, until it is killed
 *   bulk-child.ts <userDataDir> <passphrase> resume <jobId>   → unlocks (which resumes unfinished jobs),
 *        waits for the job to end and prints its final status as JSON
 */
import { readFileSync } from 'node:fs';
import { createCore } from '../../electron/core/core';
import type { BulkStatus } from '../../shared/servers';
import { createTestPlatform } from './test-platform';

const [userDataDir, passphrase, mode, arg] = process.argv.slice(2);
const core = createCore({ platform: createTestPlatform(userDataDir), calibrateKdf: false, log: () => undefined });
const unlocked = await core.router.invoke('vault:unlock', { passphrase });
if (!unlocked.ok) {
  process.stdout.write(`error ${JSON.stringify(unlocked)}\n`);
  process.exit(1);
}

async function status(jobId: string): Promise<BulkStatus> {
  const answer = await core.router.invoke('servers:bulkStatus', { jobId });
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.value as BulkStatus;
}

if (mode === 'start') {
  const { serverId, tokens } = JSON.parse(readFileSync(arg, 'utf8')) as { serverId: string; tokens: string[] };
  const started = await core.router.invoke('servers:bulkStart', { serverId, label: 'crash test', hint: 'access_token', tokens, credentialIds: [] });
  if (!started.ok) {
    process.stdout.write(`error ${JSON.stringify(started)}\n`);
    process.exit(1);
  }
  const jobId = (started.value as BulkStatus).id;
  process.stdout.write(`job ${jobId}\n`);
  for (;;) {
    const { counts } = await status(jobId);
    process.stdout.write(`progress ${counts.acknowledged + counts.inactive}\n`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
} else {
  for (;;) {
    const current = await status(arg);
    if (current.state === 'finished' || current.state === 'cancelled' || current.state === 'paused') {
      process.stdout.write(`${JSON.stringify(current)}\n`);
      core.dispose();
      process.exit(0);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
