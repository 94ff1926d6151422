// Node module hooks for tsx-run scripts (bench, child processes): `import text from './x.yaml?raw'`
// gives the file's text, as Vite and Vitest do, so the core's built-in playbook templates load.
import { readFile } from 'node:fs/promises';

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && new URL(url).searchParams.has('raw')) {
    const path = new URL(url);
    path.search = '';
    return { format: 'module', source: `export default ${JSON.stringify(await readFile(path, 'utf8'))};`, shortCircuit: true };
  }
  return nextLoad(url, context);
}
