/**
 * A second CredOps process for the playbook crash test. Usage:
 *   playbook-child.ts <userDataDir> <passphrase> run <runId> <stepId>     → confirms and runs the step,
 *        printing `progress <n>` (revocations acknowledged so far) until it is killed
 *   playbook-child.ts <userDataDir> <passphrase> resume <runId> <stepId>  → unlocks, prints `interrupted <json>`
 *        (the steps the run shows interrupted), runs the step again and prints the step as JSON
 */
import { createCore } from '../../electron/core/core';
import { revocationJobId } from '../../electron/core/playbooks/actions/revoke-tokens';
import type { RunView } from '../../shared/playbooks';
import type { BulkStatus } from '../../shared/servers';
import { createTestPlatform } from './test-platform';

const [userDataDir, passphrase, mode, runId, stepId] = process.argv.slice(2);
const core = createCore({ platform: createTestPlatform(userDataDir), calibrateKdf: false, log: () => undefined });

async function value<T>(channel: string, input: unknown): Promise<T> {
  const answer = await core.router.invoke(channel, input);
  if (!answer.ok) {
    process.stdout.write(`error ${JSON.stringify(answer)}\n`);
    process.exit(1);
  }
  return answer.value as T;
}

await value('vault:unlock', { passphrase });
const { run } = await value<{ run: RunView }>('playbooks:get', { runId });

if (mode === 'run') {
  void value('playbooks:runStep', { runId, stepId, revision: run.revision, confirm: true });
  const jobId = revocationJobId(runId, stepId, 1);
  for (;;) {
    const status = await core.router.invoke('servers:bulkStatus', { jobId });
    if (status.ok) {
      const { counts } = status.value as BulkStatus;
      process.stdout.write(`progress ${counts.acknowledged + counts.inactive}\n`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
} else {
  process.stdout.write(`interrupted ${JSON.stringify(run.interruptedSteps)}\n`);
  const after = await value<RunView>('playbooks:runStep', { runId, stepId, revision: run.revision, confirm: false });
  process.stdout.write(`${JSON.stringify(after.steps.find((step) => step.id === stepId))}\n`);
  core.dispose();
  process.exit(0);
}
