// The schema as numbered migrations, applied in order and recorded in `schema_migrations`.
// Append new migrations; never edit one that has shipped.
//
//   const { fresh } = await migrate(db, { seed: async (tx) => … }); // seed runs on a new database only
import type { Database, Queryable } from './database.js';

export const MIGRATIONS: Array<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'threads, comments, votes and idempotency keys',
    sql: `
      CREATE TABLE threads (
        id text PRIMARY KEY,
        title text,
        url text,
        locked boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE comments (
        id text PRIMARY KEY,
        thread_id text NOT NULL REFERENCES threads (id),
        parent_id text REFERENCES comments (id),
        -- The top-level comment this one hangs under (its own id at the top level), so that a
        -- page of top-level comments with all their replies is one indexed lookup.
        root_id text NOT NULL,
        author_name text NOT NULL DEFAULT '',
        author_url text,
        avatar_url text,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'pending', 'deleted')),
        score integer NOT NULL DEFAULT 0,
        -- SHA-256 of the edit token; seed comments have none.
        token_hash text,
        created_at timestamptz NOT NULL,
        edited_at timestamptz
      );
      CREATE INDEX comments_by_root ON comments (thread_id, root_id);
      CREATE INDEX comments_by_status ON comments (thread_id, status);
      CREATE INDEX roots_by_time ON comments (thread_id, created_at, id) WHERE parent_id IS NULL;
      CREATE INDEX roots_by_score ON comments (thread_id, score DESC, created_at, id) WHERE parent_id IS NULL;
      CREATE INDEX pending_by_time ON comments (created_at) WHERE status = 'pending';

      CREATE TABLE votes (
        comment_id text NOT NULL REFERENCES comments (id),
        voter text NOT NULL,
        value smallint NOT NULL CHECK (value IN (-1, 1)),
        PRIMARY KEY (comment_id, voter)
      );

      -- A post's Idempotency-Key, hashed, with the edit token sealed by that key (tokens.mjs).
      CREATE TABLE idempotency_keys (
        thread_id text NOT NULL,
        key_hash text NOT NULL,
        comment_id text NOT NULL REFERENCES comments (id),
        sealed_token text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (thread_id, key_hash)
      );
      CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
    `,
  },
  {
    version: 2,
    name: 'spam defence: commenter and body hashes, approved commenters',
    sql: `
      -- A keyed hash (HMAC, server_secrets) of the author's lower-cased, trimmed email; never the email.
      ALTER TABLE comments ADD COLUMN email_hash text;
      -- The same of the poster's client key (rate-limit key: IPv4 address or IPv6 /64); never the address.
      ALTER TABLE comments ADD COLUMN client_hash text;
      -- A hash of the whitespace-normalized body, to refuse the same comment posted twice.
      ALTER TABLE comments ADD COLUMN body_hash text;
      CREATE INDEX comments_by_body ON comments (thread_id, body_hash, created_at);

      -- Commenters with an approved comment ('email:<hash>' or 'client:<hash>'): with
      -- MODERATION=first their later comments are published directly.
      -- This installation's secrets (for now the key of the commenter hashes), made on first use.
      CREATE TABLE server_secrets (
        name text PRIMARY KEY,
        value text NOT NULL
      );

      CREATE TABLE approved_commenters (
        commenter text PRIMARY KEY,
        approved_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 3,
    name: 'moderation: moderators, sessions, audit log, bans, reports, pins, spam',
    sql: `
      ALTER TABLE comments DROP CONSTRAINT comments_status_check;
      ALTER TABLE comments ADD CONSTRAINT comments_status_check
        CHECK (status IN ('published', 'pending', 'deleted', 'spam'));
      ALTER TABLE comments ADD COLUMN pinned boolean NOT NULL DEFAULT false;
      -- 'moderator' on a moderator's reply; null for readers.
      ALTER TABLE comments ADD COLUMN author_role text;
      -- Why a pending or spam comment was held (links, blocklist, akismet, reports, ...).
      ALTER TABLE comments ADD COLUMN hold_reason text;
      -- Reports not yet decided by a moderator; > 0 puts the comment in the Reported view.
      ALTER TABLE comments ADD COLUMN open_reports integer NOT NULL DEFAULT 0;
      -- Whether readers ever saw it: a deleted comment keeps its place for them only if they did.
      ALTER TABLE comments ADD COLUMN ever_published boolean NOT NULL DEFAULT true;
      UPDATE comments SET ever_published = false WHERE status = 'pending';
      -- Who deleted it ('author' or 'moderator'): Restore brings back only what a moderator deleted.
      ALTER TABLE comments ADD COLUMN deleted_by text;

      -- The dashboard's views read newest first, by cursor, over every thread.
      CREATE INDEX comments_by_time ON comments (created_at DESC, id DESC);
      CREATE INDEX pending_newest ON comments (created_at DESC, id DESC) WHERE status = 'pending';
      CREATE INDEX spam_newest ON comments (created_at DESC, id DESC) WHERE status = 'spam';
      CREATE INDEX reported_newest ON comments (created_at DESC, id DESC) WHERE open_reports > 0;
      CREATE INDEX comments_by_thread_time ON comments (thread_id, created_at DESC, id DESC);
      CREATE INDEX comments_by_email ON comments (email_hash, created_at DESC) WHERE email_hash IS NOT NULL;
      DROP INDEX pending_by_time;

      -- The Threads view lists threads by their latest comment.
      ALTER TABLE threads ADD COLUMN last_comment_at timestamptz;
      UPDATE threads t SET last_comment_at = (SELECT max(created_at) FROM comments c WHERE c.thread_id = t.id);
      CREATE INDEX threads_by_activity ON threads (last_comment_at DESC NULLS LAST, id DESC);

      -- A moderator signs in with email and password (scrypt); invited ones have no password yet.
      CREATE TABLE moderators (
        id text PRIMARY KEY,
        email text NOT NULL UNIQUE,
        name text NOT NULL DEFAULT '',
        password_hash text,
        -- SHA-256 of the one-time link's token, and when it stops working.
        invite_hash text UNIQUE,
        invite_expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_sign_in_at timestamptz
      );

      -- A signed-in browser: SHA-256 of its cookie. moderator_id null: signed in with the admin token.
      CREATE TABLE sessions (
        token_hash text PRIMARY KEY,
        moderator_id text REFERENCES moderators (id) ON DELETE CASCADE,
        -- For an admin token session: the token's hash, so that changing ADMIN_TOKEN ends it.
        admin_token_hash text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX sessions_by_expiry ON sessions (expires_at);

      -- Every moderation action: who (actor, null for a rule), what, and the fields before and after.
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor jsonb,
        action text NOT NULL,
        thread_id text,
        comment_id text,
        before jsonb,
        after jsonb
      );

      -- A ban matches a commenter by their email's keyed hash and/or their client key's (as on comments).
      CREATE TABLE bans (
        id text PRIMARY KEY,
        email_hash text,
        client_hash text,
        author_name text NOT NULL DEFAULT '',
        note text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        created_by jsonb,
        lifted_at timestamptz
      );
      CREATE INDEX bans_by_email ON bans (email_hash) WHERE lifted_at IS NULL;
      CREATE INDEX bans_by_client ON bans (client_hash) WHERE lifted_at IS NULL;

      -- One report per reader (X-Voter) per comment; decided once a moderator acts on the comment.
      CREATE TABLE reports (
        comment_id text NOT NULL REFERENCES comments (id),
        reporter text NOT NULL,
        -- The reporter's client key, keyed-hashed as on comments: one address counts once.
        client_hash text,
        reason text NOT NULL CHECK (reason IN ('spam', 'abuse', 'off-topic', 'other')),
        note text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        decided boolean NOT NULL DEFAULT false,
        PRIMARY KEY (comment_id, reporter)
      );
    `,
  },
  {
    version: 4,
    name: 'sign-in from the host site: verified authors',
    sql: `
      -- A signed-in author's public id (sso.ts: a keyed hash of the site's user id); null for guests.
      ALTER TABLE comments ADD COLUMN author_id text;
      -- True when name, URL and picture came from a token the site signed (Confab-User).
      ALTER TABLE comments ADD COLUMN author_verified boolean NOT NULL DEFAULT false;
      CREATE INDEX comments_by_author ON comments (author_id) WHERE author_id IS NOT NULL;
    `,
  },
  {
    version: 5,
    name: 'outbox: notifications written with the change that causes them, delivered by a worker',
    sql: `
      -- One delivery to one receiver (outbox.ts). Written in the transaction of the change that
      -- causes it; a worker in each instance claims due rows with a lease, delivers outside any
      -- transaction, and marks them delivered, or retries them later, or gives them up (dead).
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        -- Sent with every attempt, the same each time: receivers drop repeats by it.
        delivery_id text NOT NULL UNIQUE,
        channel text NOT NULL CHECK (channel IN ('webhook', 'email')),
        -- A webhook's URL (email: the address's id).
        target text NOT NULL,
        -- What happened: comment.created, comment.pending, ...
        type text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        -- Claimed by a worker until then; a worker that died lets it lapse, and another takes the row.
        lease_until timestamptz,
        last_error text,
        created_at timestamptz NOT NULL,
        delivered_at timestamptz
      );
      CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';
      CREATE INDEX outbox_dead ON outbox (created_at) WHERE status = 'dead';
      CREATE INDEX outbox_delivered ON outbox (delivered_at) WHERE status = 'delivered';
    `,
  },
  {
    version: 6,
    name: 'reply emails: subscribers (double opt-in) and their subscriptions',
    sql: `
      -- An address kept only because its owner asked for reply emails; deleted by "forget my address".
      CREATE TABLE mail_subscribers (
        id text PRIMARY KEY,
        email text NOT NULL,
        -- The address's commenter hash (comments.email_hash): one row per address, and a reply by
        -- the same address is recognised as the reader's own.
        email_hash text NOT NULL UNIQUE,
        locale text NOT NULL DEFAULT 'en',
        created_at timestamptz NOT NULL,
        confirm_sent_at timestamptz,
        confirmed_at timestamptz,
        -- "Stop everything", or a permanent refusal by the address's mail server.
        stopped_at timestamptz
      );
      CREATE TABLE reply_subscriptions (
        comment_id text PRIMARY KEY REFERENCES comments (id),
        subscriber_id text NOT NULL REFERENCES mail_subscribers (id) ON DELETE CASCADE,
        thread_id text NOT NULL,
        stopped_at timestamptz
      );
      CREATE INDEX reply_subscriptions_by_subscriber ON reply_subscriptions (subscriber_id, thread_id);
    `,
  },
  {
    version: 7,
    name: 'moderator alerts by email: single-use action links',
    sql: `
      -- The one-click links of an alert (Approve, Spam, Delete share one id): used once, kept
      -- until they would have expired anyway.
      CREATE TABLE used_links (id text PRIMARY KEY, expires_at timestamptz NOT NULL);
    `,
  },
  {
    version: 8,
    name: "moderator alerts: each moderator's choice (immediate, hourly digest, off)",
    sql: `
      ALTER TABLE moderators ADD COLUMN alerts text NOT NULL DEFAULT 'immediate'
        CHECK (alerts IN ('immediate', 'digest', 'off'));
    `,
  },
  {
    version: 9,
    name: 'imports: where a comment or thread came from, and the fix-ups an import has yet to make',
    sql: `
      -- The source's own id ("disqus:123") of an imported comment, and of the first source thread
      -- of an imported thread; null for what was written here. An imported comment's id is derived
      -- from it (import/writer.ts), so the primary key already refuses a second copy: no index.
      ALTER TABLE comments ADD COLUMN source text;
      ALTER TABLE threads ADD COLUMN source text;
      -- Written with each batch of an import, emptied by the import's last step: replies whose
      -- parent had not come yet (top-level until then), and deleted placeholders, kept only if a
      -- reply hangs below them. An import killed halfway leaves its rows for the next run.
      CREATE TABLE import_fixups (
        comment_id text PRIMARY KEY,
        -- The parent it should have; null for a placeholder whose parent was there.
        wanted_parent text,
        placeholder boolean NOT NULL DEFAULT false,
        -- The run that wrote the row: its summary counts what it imported itself.
        run text NOT NULL
      );
    `,
  },
  {
    version: 10,
    name: 'replies by parent: deleting a comment checks its replies by index',
    sql: `
      -- The foreign key parent_id -> comments: deleting a comment (an import's unused placeholder,
      -- a forgotten test) looks for its replies, a scan of every comment without this. Replies only.
      CREATE INDEX comments_by_parent ON comments (parent_id) WHERE parent_id IS NOT NULL;
    `,
  },
];

// Any fixed number: it keeps two instances starting together from migrating at the same time.
const MIGRATION_LOCK = 0x636f6e66; // "conf"

/**
 * Applies what is missing, all in one transaction, together with `seed` when the database was
 * empty: a crash halfway leaves the database as it was.
 */
export async function migrate(
  db: Database,
  { seed }: { seed?: (tx: Queryable) => Promise<void> } = {},
): Promise<{ fresh: boolean; applied: number[] }> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((row) => Number(row.version)));
    const newest = Math.max(0, ...MIGRATIONS.map((m) => m.version));
    if ([...done].some((version) => version > newest)) {
      throw new Error('The database was migrated by a newer version of this server; update the server');
    }
    const applied = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied.push(migration.version);
    }
    const fresh = done.size === 0;
    if (fresh && seed) await seed(tx);
    return { fresh, applied };
  });
}
