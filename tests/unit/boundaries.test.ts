import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function lintAs(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

describe('lint-enforced boundaries', () => {
  it('stops the core importing electron', async () => {
    expect(await lintAs('electron/core/vault/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toContain('no-restricted-imports');
  });

  it('stops shared/ importing Node or electron', async () => {
    expect(await lintAs('shared/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n")).toContain('no-restricted-imports');
    expect(await lintAs('shared/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toContain('no-restricted-imports');
  });

  it('stops the renderer importing from electron/', async () => {
    expect(await lintAs('renderer/x.ts', "import { createCore } from '../electron/core/core';\nexport const a = createCore;\n")).toContain('no-restricted-imports');
  });

  it('lets the core use Node', async () => {
    expect(await lintAs('electron/core/vault/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n")).toEqual([]);
  });
});
