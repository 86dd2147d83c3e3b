/**
 * Settings of remote commands, read and validated here only.
 *
 * - S2A_SECRET: passphrase the master key of encrypted private keys is derived from (scrypt).
 *   At least 16 characters. Unset: a random key file `<S2A_HOME>/secret.key` (mode 0600) is used,
 *   created on first use.
 * - S2A_HOME: where the store and the key file live (default ./.s2a).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { resolveStoreHome } from '../../store/index.ts';

export const SECRET_KEY_FILE_NAME = 'secret.key';
export const MINIMUM_SECRET_LENGTH = 16;

export interface RemoteConfig {
  /** The S2A_SECRET passphrase, when set. */
  secret: string | undefined;
  /** `<S2A_HOME>/secret.key`, used when S2A_SECRET is unset. */
  keyFile: string;
}

const blankAsUnset = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const EnvironmentSchema = z.object({
  S2A_SECRET: z.preprocess(
    blankAsUnset,
    z
      .string()
      .min(
        MINIMUM_SECRET_LENGTH,
        `S2A_SECRET must be at least ${MINIMUM_SECRET_LENGTH} characters; make one with \`openssl rand -base64 32\`, or unset it to use a generated key file`,
      )
      .optional(),
  ),
});

export function readRemoteConfig(
  environment: NodeJS.ProcessEnv = process.env,
  workingDirectory: string = process.cwd(),
): RemoteConfig {
  const parsed = EnvironmentSchema.safeParse(environment);
  if (!parsed.success) {
    // The message never repeats the value: it is a secret.
    throw new Error(`invalid setting S2A_SECRET: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  const home = resolveStoreHome(environment, workingDirectory);
  return { secret: parsed.data.S2A_SECRET, keyFile: join(home, SECRET_KEY_FILE_NAME) };
}
