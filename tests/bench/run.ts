/**
 * npm run bench [-- <prefix>] [-- --explore]: runs the benches any of whose figures start with the
 * prefix. Exploration benches run only when named or with --explore.
 */
import type { Bench } from './report';
import { importBenches } from './import.bench';
import { inventoryBenches } from './inventory.bench';
import { leakBenches } from './leaks.bench';
import { playbookBenches } from './playbooks.bench';
import { renderBenches } from './render.bench';
import { serverBenches } from './servers.bench';
import { tokenBenches } from './tokens.bench';
import { vaultBenches } from './vault.bench';

const benches: Bench[] = [...vaultBenches, ...inventoryBenches, ...importBenches, ...renderBenches, ...tokenBenches, ...serverBenches, ...playbookBenches, ...leakBenches];
const args = process.argv.slice(2);
const explore = args.includes('--explore');
const prefix = args.find((arg) => !arg.startsWith('--')) ?? '';

for (const bench of benches) {
  const named = bench.figures.some((figure) => figure.startsWith(prefix));
  if (!named) continue;
  if (bench.exploration && !explore && !bench.figures.some((figure) => prefix.startsWith(figure))) continue;
  await bench.run();
}
