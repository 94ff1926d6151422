/**
 * Import and export of the inventory, as the renderer sees them. Files are chosen, read and written
 * in main: a file that may hold secrets never passes through the renderer, which only ever gets a
 * preview of each row (name, environment, kind, errors), never a secret.
 */
import { z } from 'zod';

export const IMPORT_FORMATS = ['csv', 'json', 'encrypted'] as const;
export const EXPORT_FORMATS = ['csv', 'json', 'encrypted'] as const;

export const importId = z.uuid('Not an import id');

export const importFile = z.strictObject({
  importId,
  fileName: z.string(),
  format: z.enum(IMPORT_FORMATS),
  /** An encrypted CredOps export: the preview needs the passphrase it was exported with. */
  needsPassphrase: z.boolean(),
});

export const importRowPreview = z.strictObject({
  /** Line in a CSV file (the header is line 1), or 1-based position in a JSON array. */
  line: z.number().int(),
  name: z.string().nullable(),
  environment: z.string().nullable(),
  kind: z.string().nullable(),
  hasSecret: z.boolean(),
  /** Empty when the row will be imported; otherwise each reason it will not, in words. */
  errors: z.array(z.string()),
});

export const importPreview = z.strictObject({
  importId,
  fileName: z.string(),
  format: z.enum(IMPORT_FORMATS),
  total: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  /** Every invalid row (up to a bound), then valid rows, in file order, up to PREVIEW_ROWS in all. */
  rows: z.array(importRowPreview),
});

/** How many rows a preview carries to the screen; the counts always cover the whole file. */
export const PREVIEW_ROWS = 1000;

export const exportRequest = z.strictObject({
  format: z.enum(EXPORT_FORMATS),
  /** Only for the encrypted export, which alone carries secrets. */
  passphrase: z.string().min(1, 'Enter a passphrase for the export').max(1024, 'A passphrase is at most 1024 characters').optional(),
});

export type ImportFile = z.output<typeof importFile>;
export type ImportPreview = z.output<typeof importPreview>;
export type ImportRowPreview = z.output<typeof importRowPreview>;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
