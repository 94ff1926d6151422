import { hashRaw, type Algorithm } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

export interface KdfParams {
  alg: 'argon2id';
  memoryKiB: number;
  passes: number;
  lanes: number;
  /** base64 */
  salt: string;
}

/** The floor from the design: 64 MiB, 3 passes, 4 lanes. Calibration only ever raises it. */
export const KDF_FLOOR = { memoryKiB: 64 * 1024, passes: 3, lanes: 4 } as const;
const TARGET_MS = 500;
/** Algorithm.Argon2id; the package exports a const enum, which isolated modules cannot read. */
const ARGON2ID = 2 as Algorithm;
/** The most passes calibration writes (a very fast machine); readers of KDF parameters bound by it. */
export const KDF_MAX_PASSES = 64;

/** Passphrases are normalised so the same characters typed through different input methods unlock. */
export async function deriveWrappingKey(passphrase: string, params: KdfParams): Promise<Buffer> {
  return hashRaw(passphrase.normalize('NFC'), {
    algorithm: ARGON2ID,
    memoryCost: params.memoryKiB,
    timeCost: params.passes,
    parallelism: params.lanes,
    outputLen: 32,
    salt: Buffer.from(params.salt, 'base64'),
  });
}

/**
 * Fresh parameters for a new wrapping. With `calibrate`, passes are raised until one derivation takes
 * about half a second on this machine; without it (tests), the floor is used as is.
 */
export async function chooseKdfParams(calibrate: boolean): Promise<KdfParams> {
  const params: KdfParams = { alg: 'argon2id', ...KDF_FLOOR, salt: randomBytes(16).toString('base64') };
  if (!calibrate) return params;
  // The first run pays for allocating 64 MiB; the fastest of three is what an unlock will see.
  let elapsed = Infinity;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await deriveWrappingKey('calibration', params);
    elapsed = Math.min(elapsed, Math.max(performance.now() - started, 1));
  }
  params.passes = Math.min(KDF_MAX_PASSES, Math.max(KDF_FLOOR.passes, Math.round((KDF_FLOOR.passes * TARGET_MS) / elapsed)));
  return params;
}
