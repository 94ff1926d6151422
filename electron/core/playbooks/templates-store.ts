/**
 * The template library: the built-in templates and the ones a user imported (kept as the YAML
 * they imported, read with the same parser as the built-ins). A template is named by id and
 * version; a changed template is imported under a higher version, never over an existing one.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { PlaybookTemplate, TemplateInfo } from '../../../shared/playbooks';
import { CoreError } from '../errors';
import type { Platform } from '../platform';
import { writeFileAtomic } from '../vault/files';
import type { OpenVault } from '../vault/open-vault';
import { statement } from '../vault/statements';
import { MAX_TEMPLATE_BYTES, parseTemplate, serializeTemplate } from './template-parse';

interface TemplateRow {
  id: string;
  version: number;
  name: string;
  yaml: string;
  imported_at: string;
}

let builtins: Promise<readonly PlaybookTemplate[]> | null = null;

/**
 * The built-in templates, loaded and parsed on first use: only the library needs them (a run keeps
 * the template it started from), so a core that never opens the library never reads their YAML.
 */
function builtinTemplates(): Promise<readonly PlaybookTemplate[]> {
  builtins ??= import('./builtin-templates').then(
    (module) => module.builtinTemplates(),
    (error: unknown) => {
      builtins = null;
      throw error;
    },
  );
  return builtins;
}

const YAML_FILTER = [{ name: 'Playbook template (YAML)', extensions: ['yaml', 'yml'] }];

function userRows(vault: OpenVault): TemplateRow[] {
  return statement(vault.db, 'SELECT * FROM playbook_templates ORDER BY name COLLATE NOCASE, id, version DESC').all() as TemplateRow[];
}

function fromRow(row: TemplateRow): TemplateInfo {
  return { template: parseTemplate(row.yaml, `${row.id} v${row.version}`), source: 'user', importedAt: row.imported_at };
}

export async function listTemplates(vault: () => OpenVault): Promise<TemplateInfo[]> {
  const library: TemplateInfo[] = (await builtinTemplates()).map((template) => ({ template, source: 'builtin', importedAt: null }));
  return [...library, ...userRows(vault()).map(fromRow)];
}

/** A template by id, at the given version or the highest one there is. */
export async function findTemplate(vault: () => OpenVault, id: string, version?: number): Promise<TemplateInfo> {
  const candidates = (await listTemplates(vault)).filter((info) => info.template.id === id && (version === undefined || info.template.version === version));
  if (candidates.length === 0) throw new CoreError('PLAYBOOK_NOT_FOUND', `There is no playbook "${id}"${version === undefined ? '' : ` version ${version}`}. Reload the library.`);
  return candidates.reduce((best, info) => (info.template.version > best.template.version ? info : best));
}

function readTemplateFile(path: string): string {
  const name = basename(path);
  try {
    const stat = statSync(path);
    // A device or FIFO reports size 0 and never ends: only regular files are read.
    if (!stat.isFile()) throw new CoreError('PLAYBOOK_TEMPLATE_INVALID', `${name} is not a regular file.`);
    const size = stat.size;
    if (size > MAX_TEMPLATE_BYTES) throw new CoreError('PLAYBOOK_TEMPLATE_INVALID', `${name}: the file is ${Math.ceil(size / 1024)} KiB; a template is at most ${MAX_TEMPLATE_BYTES / 1024} KiB.`);
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof CoreError) throw error;
    throw new CoreError('PLAYBOOK_TEMPLATE_INVALID', `${name} could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, { cause: error });
  }
}

/** Main asks for the file; the template is refused with its line and reason, or kept. Null when cancelled. */
export async function importTemplate(vault: () => OpenVault, platform: Platform, now: () => Date): Promise<{ template: TemplateInfo | null }> {
  vault();
  const path = await platform.chooseFile({ mode: 'open', title: 'Import a playbook template', filters: YAML_FILTER });
  if (path === null) return { template: null };
  const yaml = readTemplateFile(path);
  const template = parseTemplate(yaml, basename(path));
  const open = vault();
  const importedAt = now().toISOString();
  const taken = (what: string) =>
    new CoreError('PLAYBOOK_TEMPLATE_INVALID', `${basename(path)}: version ${template.version} of "${template.id}" ${what}. Raise its version (or change its id) to import a changed template.`);
  if ((await builtinTemplates()).some((builtin) => builtin.id === template.id && builtin.version === template.version)) throw taken('is a built-in playbook');
  const existing = statement(open.db, 'SELECT * FROM playbook_templates WHERE id = ? AND version = ?').get(template.id, template.version) as TemplateRow | undefined;
  if (existing) {
    if (existing.yaml === yaml) return { template: fromRow(existing) };
    throw taken('is already in the library');
  }
  open.write((tx) => {
    tx.db.prepare('INSERT INTO playbook_templates (id, version, name, yaml, imported_at) VALUES (?, ?, ?, ?, ?)').run(template.id, template.version, template.name, yaml, importedAt);
    tx.audit({ action: 'playbook.templateImported', target: template.id, detail: { version: template.version, name: template.name, file: basename(path), steps: template.steps.length } });
  });
  return { template: { template, source: 'user', importedAt } };
}

/** The YAML of a template: as imported for a user's, written out for a built-in. */
function yamlOf(vault: OpenVault, template: PlaybookTemplate, source: TemplateInfo['source']): string {
  if (source === 'user') {
    const row = statement(vault.db, 'SELECT yaml FROM playbook_templates WHERE id = ? AND version = ?').get(template.id, template.version) as { yaml: string } | undefined;
    if (row) return row.yaml;
  }
  return serializeTemplate(template);
}

export async function exportTemplate(vault: () => OpenVault, platform: Platform, id: string, version: number): Promise<{ saved: { fileName: string } | null }> {
  const { template, source } = await findTemplate(vault, id, version);
  const path = await platform.chooseFile({ mode: 'save', title: `Export the playbook "${template.name}"`, defaultName: `${template.id}-v${template.version}.yaml`, filters: YAML_FILTER });
  if (path === null) return { saved: null };
  const open = vault();
  const fileName = basename(path);
  try {
    writeFileAtomic(path, yamlOf(open, template, source));
  } catch (error) {
    throw new CoreError('EXPORT_FAILED', `${fileName} could not be written (${(error as NodeJS.ErrnoException).code ?? 'error'}). Choose another folder and try again.`, { cause: error });
  }
  open.write((tx) => tx.audit({ action: 'playbook.templateExported', target: template.id, detail: { version: template.version, file: fileName } }));
  return { saved: { fileName } };
}
