/**
 * Build-time settings, validated once with zod so a typo fails loudly at start-up.
 *
 * Every value comes from a `VITE_*` variable and has a default that matches the embedded backend.
 */
import * as z from 'zod/mini';

const positive = (fallback: number, integer = false) =>
  z._default(z.coerce.number().check(z.positive(), ...(integer ? [z.multipleOf(1)] : [])), fallback);

const EnvSchema = z.object({
  /** Origin of the API; empty means same origin (Django serves the app and the API). */
  API_URL: z._default(z.string(), ''),
  /** Client-side upload size hint in megabytes; the server's limit is the authority. */
  MAX_UPLOAD_MB: positive(200),
  /** Where a 401 sends the user (DRF's login view under /api/auth/); `next` is appended. */
  LOGIN_URL: z._default(z.string(), '/api/auth/login/'),
  /** Poll interval for analysis progress while no server event arrives [ms]. */
  POLL_INTERVAL_MS: positive(1000, true),
});

export type Env = z.infer<typeof EnvSchema>;

function readEnv(): Env {
  const raw = import.meta.env;
  const parsed = EnvSchema.safeParse({
    API_URL: raw.VITE_API_URL,
    MAX_UPLOAD_MB: raw.VITE_MAX_UPLOAD_MB,
    LOGIN_URL: raw.VITE_LOGIN_URL,
    POLL_INTERVAL_MS: raw.VITE_POLL_INTERVAL_MS,
  });
  if (!parsed.success) {
    throw new Error(`Invalid front-end environment: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export const env: Env = readEnv();
