// The PostgreSQL Store (package `pg`), for a shared library fed by several workers. Same semantics
// as the SQLite store: versioned migrations, one transaction per write call (a batch of articles at most), tsvector/GIN search.
import pg from 'pg';
import type { Analysis, Article } from '../analyze/types.js';
import { DEFAULT_SEARCH_LIMIT, PAGE_SIZE, StoreError, batchStories, defaultTextHash, feedStateFromRow, queryTerms, serializedOf } from './common.js';
import type { AnalysisInput, ArticleMeta, ArticleWrite, FeedState, NearDupKey, QuoteFields, QuoteRow, SearchHit, SerializedAnalysis, Store, StoreCounts, StoredArticle, StoryRecord } from './types.js';

/** Connections per process: the CLI writes from one async loop, so a few suffice. */
const POOL_SIZE = 4;
/** Milliseconds to wait for the server before giving up with a clear message. */
const CONNECT_TIMEOUT_MS = 5000;
/** Advisory-lock key serialising migrations when several workers start at once. */
const MIGRATION_LOCK = 424242;
/** Advisory-lock key of the single-writer (ingest) lock. */
const WRITER_LOCK = 424243;
/** ts_headline settings: the same [match] markers as the SQLite snippets. */
const HEADLINE_OPTS = 'StartSel=[, StopSel=], MaxWords=32, MinWords=12, MaxFragments=1';

const MIGRATIONS: string[] = [
  `
  CREATE TABLE articles (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    url TEXT, canonical_url TEXT, title TEXT, byline TEXT, published TEXT, outlet TEXT, language TEXT,
    text TEXT NOT NULL, source TEXT,
    text_hash TEXT NOT NULL,
    duplicate_of TEXT,
    story_id TEXT,
    analysis JSON, -- json, not jsonb: keeps the exact text and key order the SQLite store returns
    tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED
  );
  CREATE INDEX articles_canonical ON articles(canonical_url) WHERE canonical_url IS NOT NULL;
  CREATE INDEX articles_text_hash ON articles(text_hash);
  CREATE INDEX articles_published ON articles((coalesce(published, '')), seq);
  CREATE INDEX articles_story ON articles(story_id);
  CREATE INDEX articles_tsv ON articles USING GIN (tsv);
  CREATE TABLE quotes (
    rid BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id TEXT NOT NULL, quote_id TEXT NOT NULL, kind TEXT NOT NULL,
    content TEXT NOT NULL, cue TEXT, source TEXT, speaker_id TEXT, speaker_name TEXT,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, rule TEXT NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', content || ' ' || coalesce(speaker_name, ''))) STORED,
    UNIQUE (article_id, quote_id)
  );
  CREATE INDEX quotes_tsv ON quotes USING GIN (tsv);
  CREATE TABLE stories (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, headlines JSONB NOT NULL, outlets JSONB NOT NULL,
    article_ids JSONB NOT NULL, first TEXT, last TEXT
  );
  CREATE TABLE feeds (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, checked_at TEXT, status INTEGER);
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  // 2: each original's MinHash, so an ingest rebuilds its near-duplicate index without re-hashing texts.
  `ALTER TABLE articles ADD COLUMN minhash BYTEA;`,
];

const ARTICLE_COLS = 'seq, id, url, canonical_url, title, byline, published, outlet, language, text, source, duplicate_of, story_id';

type Row = Record<string, unknown>;

function rowToArticle(r: Row): Article {
  const a: Article = { id: r.id as string, text: r.text as string };
  const opt = (k: keyof Article, col: string): void => {
    if (r[col] != null) (a as unknown as Record<string, unknown>)[k] = r[col];
  };
  opt('url', 'url');
  opt('canonicalUrl', 'canonical_url');
  opt('title', 'title');
  opt('byline', 'byline');
  opt('published', 'published');
  opt('outlet', 'outlet');
  opt('language', 'language');
  opt('source', 'source');
  return a;
}

function rowToStored(r: Row): StoredArticle {
  const s: StoredArticle = { article: rowToArticle(r) };
  if (r.duplicate_of != null) s.duplicateOf = r.duplicate_of as string;
  if (r.story_id != null) s.storyId = r.story_id as string;
  return s;
}

function rowToStory(r: Row): StoryRecord {
  const s: StoryRecord = {
    id: r.id as string,
    title: r.title as string,
    headlines: r.headlines as string[],
    outlets: r.outlets as string[],
    articleIds: r.article_ids as string[],
  };
  if (r.first != null) s.first = r.first as string;
  if (r.last != null) s.last = r.last as string;
  return s;
}

/** Splits `?schema=NAME` off a URL: a schema per library (tests use one each). */
function parseUrl(url: string): { connectionString: string; schema: string | null } {
  const u = new URL(url);
  const schema = u.searchParams.get('schema');
  u.searchParams.delete('schema');
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new StoreError(`invalid schema name "${schema}" in database URL`);
  return { connectionString: u.toString(), schema };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

export class PgStore implements Store {
  readonly description: string;
  private constructor(
    private pool: pg.Pool,
    url: string,
  ) {
    this.description = `postgres:${redact(url)}`;
  }

  static async open(url: string): Promise<PgStore> {
    const { connectionString, schema } = parseUrl(url);
    const pool = new pg.Pool({
      connectionString,
      max: POOL_SIZE,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    pool.on('error', () => {}); // an idle client dropped by the server: the next query reconnects
    const store = new PgStore(pool, url);
    try {
      await store.migrate(schema);
    } catch (e) {
      await pool.end().catch(() => {});
      if (e instanceof StoreError) throw e;
      throw new StoreError(`cannot open PostgreSQL database ${redact(url)}: ${(e as Error).message}`);
    }
    return store;
  }

  private async migrate(schema: string | null): Promise<void> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      if (schema) await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await c.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
      const { rows } = await c.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_version');
      const current = rows[0]?.v ?? 0;
      if (current > MIGRATIONS.length) throw new StoreError(`database has schema version ${current}, newer than this Parley (${MIGRATIONS.length})`);
      for (let v = current; v < MIGRATIONS.length; v++) {
        await c.query(MIGRATIONS[v]!);
        await c.query('INSERT INTO schema_version (version) VALUES ($1)', [v + 1]);
      }
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      c.release();
    }
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const r = await fn(c);
      await c.query('COMMIT');
      return r;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      c.release();
    }
  }

  private async putQuotes(c: pg.PoolClient, articleId: string, analysis: SerializedAnalysis): Promise<void> {
    await c.query('DELETE FROM quotes WHERE article_id = $1', [articleId]);
    const rows = analysis.quotes;
    if (!rows.length) return;
    const col = <K extends keyof QuoteFields>(k: K): QuoteFields[K][] => rows.map((r) => r[k]);
    await c.query(
      `INSERT INTO quotes (article_id, quote_id, kind, content, cue, source, speaker_id, speaker_name, start, "end", rule)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[], $10::int[], $11::text[])
       ON CONFLICT (article_id, quote_id) DO NOTHING`,
      [rows.map(() => articleId), col('quoteId'), col('kind'), col('content'), col('cue'), col('source'), col('speakerId'), col('speakerName'), col('start'), col('end'), col('rule')],
    );
  }

  private async writeRow(c: pg.PoolClient, article: Article, analysis: SerializedAnalysis | null, meta: ArticleMeta): Promise<void> {
    await c.query(
      `INSERT INTO articles (id, url, canonical_url, title, byline, published, outlet, language, text, source, text_hash, duplicate_of, story_id, analysis, minhash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT (id) DO UPDATE SET url=excluded.url, canonical_url=excluded.canonical_url, title=excluded.title, byline=excluded.byline,
         published=excluded.published, outlet=excluded.outlet, language=excluded.language, text=excluded.text, source=excluded.source,
         text_hash=excluded.text_hash, duplicate_of=excluded.duplicate_of, story_id=coalesce(excluded.story_id, articles.story_id),
         analysis=coalesce(excluded.analysis, articles.analysis), minhash=coalesce(excluded.minhash, articles.minhash)`,
      [
        article.id,
        article.url ?? null,
        article.canonicalUrl ?? null,
        article.title ?? null,
        article.byline ?? null,
        article.published ?? null,
        article.outlet ?? null,
        article.language ?? null,
        article.text,
        article.source ?? null,
        meta.textHash ?? defaultTextHash(article.text),
        meta.duplicateOf ?? null,
        meta.storyId ?? null,
        analysis ? analysis.json : null,
        meta.minhash ? Buffer.from(meta.minhash.buffer, meta.minhash.byteOffset, meta.minhash.byteLength) : null,
      ],
    );
    if (analysis) await this.putQuotes(c, article.id, analysis);
  }

  async putArticle(article: Article, analysis: AnalysisInput | null, meta: ArticleMeta = {}): Promise<void> {
    await this.putArticles([{ article, analysis, meta }]);
  }

  async putArticles(writes: ArticleWrite[], metaEntries: Array<[string, string]> = []): Promise<void> {
    if (!writes.length && !metaEntries.length) return;
    // One transaction for the batch; each story written once, as it stands after the batch.
    await this.tx(async (c) => {
      for (const w of writes) await this.writeRow(c, w.article, w.analysis ? serializedOf(w.analysis) : null, w.meta ?? {});
      for (const s of batchStories(writes.map((w) => w.meta?.story))) await this.writeStory(c, s);
      for (const [k, v] of metaEntries) await this.writeMeta(c, k, v);
    });
  }

  async putAnalysis(articleId: string, input: AnalysisInput): Promise<boolean> {
    const analysis = serializedOf(input);
    return this.tx(async (c) => {
      const r = await c.query('UPDATE articles SET analysis = $1 WHERE id = $2', [analysis.json, articleId]);
      if (!r.rowCount) return false;
      await this.putQuotes(c, articleId, analysis);
      return true;
    });
  }

  async getArticle(id: string): Promise<StoredArticle | null> {
    const { rows } = await this.pool.query(`SELECT ${ARTICLE_COLS} FROM articles WHERE id = $1`, [id]);
    return rows[0] ? rowToStored(rows[0]) : null;
  }

  async hasArticle(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM articles WHERE id = $1', [id]);
    return !!rowCount;
  }

  async getAnalysis(articleId: string): Promise<Analysis | null> {
    const { rows } = await this.pool.query('SELECT analysis FROM articles WHERE id = $1', [articleId]);
    return (rows[0]?.analysis as Analysis | undefined) ?? null;
  }

  async setStory(articleId: string, storyId: string): Promise<void> {
    await this.pool.query('UPDATE articles SET story_id = $1 WHERE id = $2', [storyId, articleId]);
  }

  async findOriginal(key: { canonicalUrl?: string; textHash?: string }): Promise<string | null> {
    if (key.canonicalUrl) {
      const { rows } = await this.pool.query('SELECT id FROM articles WHERE canonical_url = $1 AND duplicate_of IS NULL ORDER BY seq LIMIT 1', [key.canonicalUrl]);
      if (rows[0]) return rows[0].id as string;
    }
    if (key.textHash) {
      const { rows } = await this.pool.query('SELECT id FROM articles WHERE text_hash = $1 AND duplicate_of IS NULL ORDER BY seq LIMIT 1', [key.textHash]);
      if (rows[0]) return rows[0].id as string;
    }
    return null;
  }

  async *iterAnalyses(): AsyncIterable<{ article: Article; analysis: Analysis }> {
    let pk = '';
    let seq = -1;
    for (;;) {
      const { rows } = await this.pool.query(
        `SELECT ${ARTICLE_COLS}, analysis, coalesce(published, '') AS pk FROM articles
         WHERE duplicate_of IS NULL AND analysis IS NOT NULL AND (coalesce(published, ''), seq) > ($1, $2)
         ORDER BY coalesce(published, ''), seq LIMIT $3`,
        [pk, seq, PAGE_SIZE],
      );
      for (const r of rows) yield { article: rowToArticle(r), analysis: r.analysis as Analysis };
      if (rows.length < PAGE_SIZE) return;
      pk = rows[rows.length - 1]!.pk as string;
      seq = Number(rows[rows.length - 1]!.seq);
    }
  }

  /** The seq just before the first article wanted after skipping `skip` (-1: none skipped; null: nothing left). */
  private async seqAfterSkip(skip: number | undefined, dupFilter: string): Promise<number | null> {
    if (!skip || skip <= 0) return -1;
    const { rows } = await this.pool.query(`SELECT seq FROM articles WHERE true ${dupFilter} ORDER BY seq LIMIT 1 OFFSET $1`, [skip - 1]);
    return rows[0] ? Number(rows[0].seq) : null;
  }

  async *iterArticles(opts: { includeDuplicates?: boolean; skip?: number } = {}): AsyncIterable<StoredArticle & { analysed: boolean }> {
    const dupFilter = opts.includeDuplicates === false ? 'AND duplicate_of IS NULL' : '';
    const start = await this.seqAfterSkip(opts.skip, dupFilter);
    if (start === null) return;
    let seq: number = start;
    for (;;) {
      const { rows } = await this.pool.query(
        `SELECT ${ARTICLE_COLS}, analysis IS NOT NULL AS analysed FROM articles WHERE seq > $1 ${dupFilter} ORDER BY seq LIMIT $2`,
        [seq, PAGE_SIZE],
      );
      for (const r of rows) yield { ...rowToStored(r), analysed: r.analysed as boolean };
      if (rows.length < PAGE_SIZE) return;
      seq = Number(rows[rows.length - 1]!.seq);
    }
  }

  async *iterNearDupKeys(opts: { skip?: number } = {}): AsyncIterable<NearDupKey> {
    const start = await this.seqAfterSkip(opts.skip, 'AND duplicate_of IS NULL');
    if (start === null) return;
    let seq: number = start;
    for (;;) {
      const { rows } = await this.pool.query(
        `SELECT seq, id, minhash, CASE WHEN minhash IS NULL THEN text END AS text FROM articles WHERE seq > $1 AND duplicate_of IS NULL ORDER BY seq LIMIT $2`,
        [seq, PAGE_SIZE],
      );
      for (const r of rows) yield { id: r.id as string, minhash: (r.minhash as Buffer | null) ?? null, text: (r.text as string | null) ?? null };
      if (rows.length < PAGE_SIZE) return;
      seq = Number(rows[rows.length - 1]!.seq);
    }
  }

  async *iterQuotes(): AsyncIterable<QuoteRow> {
    let rid = -1;
    for (;;) {
      const { rows } = await this.pool.query(
        'SELECT rid, article_id, quote_id, kind, content, cue, source, speaker_id, speaker_name, start, "end", rule FROM quotes WHERE rid > $1 ORDER BY rid LIMIT $2',
        [rid, PAGE_SIZE],
      );
      for (const r of rows) {
        yield {
          articleId: r.article_id,
          quoteId: r.quote_id,
          kind: r.kind,
          content: r.content,
          cue: r.cue,
          source: r.source,
          speakerId: r.speaker_id,
          speakerName: r.speaker_name,
          start: r.start,
          end: r.end,
          rule: r.rule,
        };
      }
      if (rows.length < PAGE_SIZE) return;
      rid = Number(rows[rows.length - 1]!.rid);
    }
  }

  async *iterStories(): AsyncIterable<StoryRecord> {
    let id = '';
    for (;;) {
      const { rows } = await this.pool.query('SELECT * FROM stories WHERE id COLLATE "C" > $1 ORDER BY id COLLATE "C" LIMIT $2', [id, PAGE_SIZE]);
      for (const r of rows) yield rowToStory(r);
      if (rows.length < PAGE_SIZE) return;
      id = rows[rows.length - 1]!.id as string;
    }
  }

  async listUnanalysed(): Promise<string[]> {
    const { rows } = await this.pool.query('SELECT id FROM articles WHERE analysis IS NULL AND duplicate_of IS NULL ORDER BY seq');
    return rows.map((r) => r.id as string);
  }

  async putStory(s: StoryRecord): Promise<void> {
    await this.writeStory(this.pool, s);
  }

  private async writeStory(c: pg.Pool | pg.PoolClient, s: StoryRecord): Promise<void> {
    await c.query(
      `INSERT INTO stories (id, title, headlines, outlets, article_ids, first, last) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET title=excluded.title, headlines=excluded.headlines, outlets=excluded.outlets,
         article_ids=excluded.article_ids, first=excluded.first, last=excluded.last`,
      [s.id, s.title, JSON.stringify(s.headlines), JSON.stringify(s.outlets), JSON.stringify(s.articleIds), s.first ?? null, s.last ?? null],
    );
  }

  async getStory(id: string): Promise<StoryRecord | null> {
    const { rows } = await this.pool.query('SELECT * FROM stories WHERE id = $1', [id]);
    return rows[0] ? rowToStory(rows[0]) : null;
  }

  async listStories(): Promise<StoryRecord[]> {
    const { rows } = await this.pool.query("SELECT * FROM stories ORDER BY coalesce(last, '') DESC, id COLLATE \"C\"");
    return rows.map(rowToStory);
  }

  async search(query: string, limit = DEFAULT_SEARCH_LIMIT): Promise<SearchHit[]> {
    const { words, phrases } = queryTerms(query);
    if (!words.length && !phrases.length) return [];
    // Every word and phrase required, as in the SQLite store; user operators are not interpreted.
    const parts: string[] = [];
    const params: unknown[] = [];
    if (words.length) {
      params.push(words.join(' '));
      parts.push(`plainto_tsquery('english', $${params.length})`);
    }
    for (const p of phrases) {
      params.push(p);
      parts.push(`phraseto_tsquery('english', $${params.length})`);
    }
    const tsq = parts.join(' && ');
    params.push(limit);
    const lim = `$${params.length}`;
    const arts = await this.pool.query(
      `WITH q AS (SELECT ${tsq} AS q), hits AS (
         SELECT a.id, a.title, a.text, ts_rank(a.tsv, q.q) AS score FROM articles a, q
         WHERE a.tsv @@ q.q AND a.duplicate_of IS NULL ORDER BY score DESC, a.id LIMIT ${lim})
       SELECT hits.id, hits.score, ts_headline('english', coalesce(hits.title, '') || ' ' || hits.text, q.q, '${HEADLINE_OPTS}') AS snippet FROM hits, q`,
      params,
    );
    const quotes = await this.pool.query(
      `WITH q AS (SELECT ${tsq} AS q), hits AS (
         SELECT t.article_id, t.quote_id, t.content, ts_rank(t.tsv, q.q) AS score FROM quotes t, q
         WHERE t.tsv @@ q.q ORDER BY score DESC, t.article_id, t.quote_id LIMIT ${lim})
       SELECT hits.article_id, hits.quote_id, hits.score, ts_headline('english', hits.content, q.q, '${HEADLINE_OPTS}') AS snippet FROM hits, q`,
      params,
    );
    const hits: SearchHit[] = [
      ...arts.rows.map((r) => ({ kind: 'article' as const, articleId: r.id as string, snippet: r.snippet as string, score: Number(r.score) })),
      ...quotes.rows.map((r) => ({
        kind: 'quote' as const,
        articleId: r.article_id as string,
        quoteId: r.quote_id as string,
        snippet: r.snippet as string,
        score: Number(r.score),
      })),
    ];
    hits.sort((a, b) => b.score - a.score || a.articleId.localeCompare(b.articleId) || (a.quoteId ?? '').localeCompare(b.quoteId ?? ''));
    return hits.slice(0, limit);
  }

  async counts(): Promise<StoreCounts> {
    const { rows } = await this.pool.query(`SELECT (SELECT count(*) FROM articles) AS articles,
      (SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL) AS duplicates,
      (SELECT count(*) FROM articles WHERE analysis IS NOT NULL) AS analysed,
      (SELECT count(*) FROM quotes) AS quotes, (SELECT count(*) FROM stories) AS stories`);
    const r = rows[0]!;
    return {
      articles: Number(r.articles),
      duplicates: Number(r.duplicates),
      analysed: Number(r.analysed),
      quotes: Number(r.quotes),
      stories: Number(r.stories),
    };
  }

  async getFeedState(url: string): Promise<FeedState | null> {
    const { rows } = await this.pool.query('SELECT * FROM feeds WHERE url = $1', [url]);
    const r = rows[0];
    if (!r) return null;
    return feedStateFromRow(r);
  }

  async putFeedState(s: FeedState): Promise<void> {
    await this.pool.query(
      `INSERT INTO feeds (url, etag, last_modified, checked_at, status) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (url) DO UPDATE SET etag=excluded.etag, last_modified=excluded.last_modified, checked_at=excluded.checked_at, status=excluded.status`,
      [s.url, s.etag ?? null, s.lastModified ?? null, s.checkedAt ?? null, s.status ?? null],
    );
  }

  async lockWriter(): Promise<() => Promise<void>> {
    // A session-level advisory lock on a connection kept out of the pool until release; it goes
    // away by itself if the process dies.
    const c = await this.pool.connect();
    const { rows } = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext(current_schema())) AS ok', [WRITER_LOCK]);
    if (!rows[0]?.ok) {
      c.release();
      throw new StoreError('another Parley process is ingesting into this PostgreSQL library; wait for it or stop it');
    }
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      await c.query('SELECT pg_advisory_unlock($1, hashtext(current_schema()))', [WRITER_LOCK]).catch(() => {});
      c.release();
    };
  }

  async getMeta(key: string): Promise<string | null> {
    const { rows } = await this.pool.query('SELECT value FROM meta WHERE key = $1', [key]);
    return (rows[0]?.value as string | undefined) ?? null;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.writeMeta(this.pool, key, value);
  }

  private async writeMeta(c: pg.Pool | pg.PoolClient, key: string, value: string): Promise<void> {
    await c.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
