// Server settings from environment variables, with their defaults in one place.
//
//   const config = readConfig(process.env); // throws a readable Error on a bad value
import { resolve } from 'node:path';

/**
 * @typedef {{
 *   port: number,
 *   host: string,
 *   dataDir: string,
 *   databaseUrl: string | undefined,
 *   demo: boolean,
 *   editWindowMs: number,
 *   adminToken: string | undefined,
 *   moderation: 'off' | 'pre',
 *   rateLimit: { burst: number, perMinute: number }, // burst 0: no limit
 *   allowedOrigins: '*' | string[],
 *   trustProxy: boolean,
 * }} Config
 */

export const DEFAULTS = {
  port: 4173,
  host: '127.0.0.1',
  editWindowMinutes: 15,
  rateLimit: { burst: 20, perMinute: 10 },
};

/** Admin tokens shorter than this are refused: they could be guessed. */
const MIN_ADMIN_TOKEN_LENGTH = 24;

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {{ defaultDataDir: string }} options where data goes when DATA_DIR is not set
 * @returns {Config}
 */
export function readConfig(env, { defaultDataDir }) {
  const adminToken = env.ADMIN_TOKEN || undefined;
  if (adminToken && adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new Error(`ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters (try: openssl rand -hex 32)`);
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const rateLimit = {
    burst: readNumber(env, 'RATE_LIMIT_BURST', DEFAULTS.rateLimit.burst),
    perMinute: readNumber(env, 'RATE_LIMIT_PER_MINUTE', DEFAULTS.rateLimit.perMinute),
  };
  if (rateLimit.burst > 0 && rateLimit.perMinute === 0) {
    throw new Error('RATE_LIMIT_PER_MINUTE must be above 0 (RATE_LIMIT_BURST=0 turns the limit off)');
  }
  return {
    port: readNumber(env, 'PORT', DEFAULTS.port, { max: 65_535 }),
    host: env.HOST || DEFAULTS.host,
    dataDir: resolve(env.DATA_DIR || defaultDataDir),
    databaseUrl,
    demo: readChoice(env, 'DEMO', ['on', 'off'], 'on') === 'on',
    editWindowMs: readNumber(env, 'EDIT_WINDOW_MINUTES', DEFAULTS.editWindowMinutes) * 60_000,
    adminToken,
    moderation: readChoice(env, 'MODERATION', ['off', 'pre'], 'off'),
    rateLimit,
    allowedOrigins: readOrigins(env.ALLOWED_ORIGINS),
    trustProxy: readChoice(env, 'TRUST_PROXY', ['0', '1'], '0') === '1',
  };
}

/**
 * A non-negative number; empty or unset means the default.
 * @param {NodeJS.ProcessEnv} env @param {string} name @param {number} fallback
 * @param {{ max?: number }} [limits]
 */
function readNumber(env, name, fallback, { max = Number.MAX_SAFE_INTEGER } = {}) {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new Error(`${name} must be a number from 0 to ${max}, not "${text}"`);
  }
  return value;
}

/**
 * @template {string} T
 * @param {NodeJS.ProcessEnv} env @param {string} name @param {readonly T[]} choices @param {T} fallback
 * @returns {T}
 */
function readChoice(env, name, choices, fallback) {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  if (!choices.includes(/** @type {T} */ (text))) {
    throw new Error(`${name} must be one of ${choices.join(', ')}, not "${text}"`);
  }
  return /** @type {T} */ (text);
}

/**
 * `*`, or a comma-separated list of origins such as `https://blog.example.com`. Unset means
 * none besides the server's own host.
 * @param {string | undefined} text @returns {'*' | string[]}
 */
function readOrigins(text) {
  if (text?.trim() === '*') return '*';
  return (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      let origin;
      try {
        origin = new URL(item).origin;
      } catch {
        origin = 'null';
      }
      if (origin === 'null' || origin !== item.replace(/\/$/, '')) {
        throw new Error(`ALLOWED_ORIGINS: "${item}" is not an origin like https://blog.example.com`);
      }
      return origin;
    });
}
