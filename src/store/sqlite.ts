// The default Store: one SQLite file (better-sqlite3), WAL journal, versioned forward-only migrations,
// FTS5 full-text search over articles and attributions. One transaction per write call (a batch of articles at most).
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync, unlinkSync, writeSync } from 'node:fs';
import type { Analysis, Article } from '../analyze/types.js';
import { DEFAULT_SEARCH_LIMIT, PAGE_SIZE, StoreError, batchStories, defaultTextHash, feedStateFromRow, fts5Query, serializedOf } from './common.js';
import type { AnalysisInput, ArticleMeta, ArticleWrite, FeedState, NearDupKey, QuoteRow, SearchHit, SerializedAnalysis, Store, StoreCounts, StoredArticle, StoryRecord } from './types.js';

/** Milliseconds a writer waits for another process's lock (e.g. `watch` and `ingest` at once). */
const BUSY_TIMEOUT_MS = 10_000;
/** Words of context either side of a search match in snippets. */
const SNIPPET_TOKENS = 16;
/** Attribution rows per INSERT statement (11 parameters each, well under SQLite's limit). */
const QUOTES_PER_INSERT = 50;
/** Size of the SQLite file header, which holds the page size and page count. */
const HEADER_BYTES = 100;

/** Forward-only migrations; index + 1 is the schema version. Never edit one that has shipped. */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE articles (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    url TEXT, canonical_url TEXT, title TEXT, byline TEXT, published TEXT, outlet TEXT, language TEXT,
    text TEXT NOT NULL, source TEXT,
    text_hash TEXT NOT NULL,
    duplicate_of TEXT,
    story_id TEXT,
    analysis TEXT
  );
  CREATE INDEX articles_canonical ON articles(canonical_url) WHERE canonical_url IS NOT NULL;
  CREATE INDEX articles_text_hash ON articles(text_hash);
  CREATE INDEX articles_published ON articles(coalesce(published, ''), seq);
  CREATE INDEX articles_story ON articles(story_id);
  CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='seq', tokenize='porter unicode61');
  CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, coalesce(new.title, ''), new.text);
  END;
  CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, coalesce(old.title, ''), old.text);
  END;
  CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, coalesce(old.title, ''), old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, coalesce(new.title, ''), new.text);
  END;

  CREATE TABLE quotes (
    rid INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL, quote_id TEXT NOT NULL, kind TEXT NOT NULL,
    content TEXT NOT NULL, cue TEXT, source TEXT, speaker_id TEXT, speaker_name TEXT,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, rule TEXT NOT NULL,
    UNIQUE(article_id, quote_id)
  );
  CREATE VIRTUAL TABLE quotes_fts USING fts5(content, speaker_name, content='quotes', content_rowid='rid', tokenize='porter unicode61');
  CREATE TRIGGER quotes_ai AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts(rowid, content, speaker_name) VALUES (new.rid, new.content, coalesce(new.speaker_name, ''));
  END;
  CREATE TRIGGER quotes_ad AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, content, speaker_name) VALUES ('delete', old.rid, old.content, coalesce(old.speaker_name, ''));
  END;

  CREATE TABLE stories (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, headlines TEXT NOT NULL, outlets TEXT NOT NULL,
    article_ids TEXT NOT NULL, first TEXT, last TEXT
  );
  CREATE TABLE feeds (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, checked_at TEXT, status INTEGER);
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  // 2: each original's MinHash, so an ingest rebuilds its near-duplicate index without re-hashing texts.
  `ALTER TABLE articles ADD COLUMN minhash BLOB;`,
];

interface ArticleRow {
  seq: number;
  id: string;
  url: string | null;
  canonical_url: string | null;
  title: string | null;
  byline: string | null;
  published: string | null;
  outlet: string | null;
  language: string | null;
  text: string;
  source: string | null;
  duplicate_of: string | null;
  story_id: string | null;
  analysed?: number;
}

export function rowToArticle(r: ArticleRow): Article {
  const a: Article = { id: r.id, text: r.text };
  if (r.url != null) a.url = r.url;
  if (r.canonical_url != null) a.canonicalUrl = r.canonical_url;
  if (r.title != null) a.title = r.title;
  if (r.byline != null) a.byline = r.byline;
  if (r.published != null) a.published = r.published;
  if (r.outlet != null) a.outlet = r.outlet;
  if (r.language != null) a.language = r.language;
  if (r.source != null) a.source = r.source;
  return a;
}

function rowToStored(r: ArticleRow): StoredArticle {
  const s: StoredArticle = { article: rowToArticle(r) };
  if (r.duplicate_of != null) s.duplicateOf = r.duplicate_of;
  if (r.story_id != null) s.storyId = r.story_id;
  return s;
}

interface StoryRow {
  id: string;
  title: string;
  headlines: string;
  outlets: string;
  article_ids: string;
  first: string | null;
  last: string | null;
}

function rowToStory(r: StoryRow): StoryRecord {
  const s: StoryRecord = {
    id: r.id,
    title: r.title,
    headlines: JSON.parse(r.headlines) as string[],
    outlets: JSON.parse(r.outlets) as string[],
    articleIds: JSON.parse(r.article_ids) as string[],
  };
  if (r.first != null) s.first = r.first;
  if (r.last != null) s.last = r.last;
  return s;
}

/**
 * Checks the file header before SQLite sees it, so a truncated or foreign file gives a clear
 * message rather than a failure deep inside a query.
 */
function checkHeader(file: string): void {
  if (!existsSync(file)) return;
  const st = statSync(file);
  if (st.isDirectory()) throw new StoreError(`database ${file} is a directory, not a file`);
  if (st.size === 0) return; // a fresh empty file: SQLite initialises it
  const buf = Buffer.alloc(HEADER_BYTES);
  const fd = openSync(file, 'r');
  let n: number;
  try {
    n = readSync(fd, buf, 0, HEADER_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  if (n < HEADER_BYTES || buf.toString('latin1', 0, 16) !== 'SQLite format 3\0') {
    throw new StoreError(`database ${file} is not a SQLite file (or its header is damaged)`);
  }
  const rawPage = buf.readUInt16BE(16);
  const pageSize = rawPage === 1 ? 65536 : rawPage;
  const pages = buf.readUInt32BE(28);
  // The in-header page count is valid only when the two change counters agree (SQLite file format §1.3.7).
  const valid = buf.readUInt32BE(24) === buf.readUInt32BE(92);
  if (valid && pages > 0 && st.size < pages * pageSize) {
    throw new StoreError(
      `database ${file} is half-written: ${st.size} bytes but its header says ${pages * pageSize}; restore it from a backup or ingest into a new file`,
    );
  }
}

/** Writer locks this process holds (a second handle in the same process must not take one too). */
const HELD_LOCKS = new Set<string>();

function isAlive(pid: number): boolean {
  // Our own pid but not in HELD_LOCKS (checked first): left by an earlier process that had our pid.
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isCorruption(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? '';
  return code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB';
}

export class SqliteStore implements Store {
  readonly description: string;
  private db: Database.Database;
  private st: Record<string, Database.Statement>;
  private writeArticles: (writes: ArticleWrite[], metaEntries: Array<[string, string]>) => void;
  private writeAnalysis: (articleId: string, analysis: SerializedAnalysis) => boolean;

  constructor(readonly file: string) {
    this.description = `sqlite:${file}`;
    checkHeader(file);
    try {
      this.db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    } catch (e) {
      throw new StoreError(`cannot open database ${file}: ${(e as Error).message}`);
    }
    try {
      this.db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode: a killed process loses nothing committed; only a power cut may drop the last commits.
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      this.migrate();
    } catch (e) {
      this.db.close();
      if (e instanceof StoreError) throw e;
      if (isCorruption(e)) throw new StoreError(`database ${file} is corrupt or not a Parley database: ${(e as Error).message}`);
      throw new StoreError(`cannot open database ${file}: ${(e as Error).message}`);
    }
    const db = this.db;
    const prep = (sql: string): Database.Statement => db.prepare(sql);
    this.st = {
      upsert: prep(`INSERT INTO articles (id, url, canonical_url, title, byline, published, outlet, language, text, source, text_hash, duplicate_of, story_id, analysis, minhash)
        VALUES (@id, @url, @canonical_url, @title, @byline, @published, @outlet, @language, @text, @source, @text_hash, @duplicate_of, @story_id, @analysis, @minhash)
        ON CONFLICT(id) DO UPDATE SET url=excluded.url, canonical_url=excluded.canonical_url, title=excluded.title, byline=excluded.byline,
          published=excluded.published, outlet=excluded.outlet, language=excluded.language, text=excluded.text, source=excluded.source,
          text_hash=excluded.text_hash, duplicate_of=excluded.duplicate_of, story_id=coalesce(excluded.story_id, articles.story_id),
          analysis=coalesce(excluded.analysis, articles.analysis), minhash=coalesce(excluded.minhash, articles.minhash)`),
      setAnalysis: prep('UPDATE articles SET analysis = ? WHERE id = ?'),
      delQuotes: prep('DELETE FROM quotes WHERE article_id = ?'),
      get: prep('SELECT * FROM articles WHERE id = ?'),
      has: prep('SELECT 1 FROM articles WHERE id = ?'),
      getAnalysis: prep('SELECT analysis FROM articles WHERE id = ?'),
      setStory: prep('UPDATE articles SET story_id = ? WHERE id = ?'),
      byUrl: prep('SELECT id FROM articles WHERE canonical_url = ? AND duplicate_of IS NULL ORDER BY seq LIMIT 1'),
      byHash: prep('SELECT id FROM articles WHERE text_hash = ? AND duplicate_of IS NULL ORDER BY seq LIMIT 1'),
      pageAll: prep(`SELECT seq, id, url, canonical_url, title, byline, published, outlet, language, text, source, duplicate_of, story_id,
        analysis IS NOT NULL AS analysed FROM articles WHERE seq > ? ORDER BY seq LIMIT ?`),
      pageOrig: prep(`SELECT seq, id, url, canonical_url, title, byline, published, outlet, language, text, source, duplicate_of, story_id,
        analysis IS NOT NULL AS analysed FROM articles WHERE seq > ? AND duplicate_of IS NULL ORDER BY seq LIMIT ?`),
      pageNearDup: prep(`SELECT seq, id, minhash, CASE WHEN minhash IS NULL THEN text END AS text FROM articles
        WHERE seq > ? AND duplicate_of IS NULL ORDER BY seq LIMIT ?`),
      pageAnalyses: prep(`SELECT *, coalesce(published, '') AS pk FROM articles
        WHERE duplicate_of IS NULL AND analysis IS NOT NULL AND (coalesce(published, ''), seq) > (?, ?)
        ORDER BY coalesce(published, ''), seq LIMIT ?`),
      pageQuotes: prep('SELECT * FROM quotes WHERE rid > ? ORDER BY rid LIMIT ?'),
      unanalysed: prep('SELECT id FROM articles WHERE analysis IS NULL AND duplicate_of IS NULL ORDER BY seq'),
      putStory: prep(`INSERT INTO stories (id, title, headlines, outlets, article_ids, first, last) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET title=excluded.title, headlines=excluded.headlines, outlets=excluded.outlets,
          article_ids=excluded.article_ids, first=excluded.first, last=excluded.last`),
      getStory: prep('SELECT * FROM stories WHERE id = ?'),
      pageStories: prep('SELECT * FROM stories WHERE id > ? ORDER BY id LIMIT ?'),
      listStories: prep('SELECT * FROM stories ORDER BY coalesce(last, \'\') DESC, id'),
      searchArticles: prep(`SELECT a.id AS article_id, snippet(articles_fts, -1, '[', ']', '…', ${SNIPPET_TOKENS}) AS snippet, bm25(articles_fts) AS rank
        FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid
        WHERE articles_fts MATCH ? AND a.duplicate_of IS NULL ORDER BY rank LIMIT ?`),
      searchQuotes: prep(`SELECT q.article_id, q.quote_id, q.speaker_name, snippet(quotes_fts, 0, '[', ']', '…', ${SNIPPET_TOKENS}) AS snippet, bm25(quotes_fts) AS rank
        FROM quotes_fts JOIN quotes q ON q.rid = quotes_fts.rowid WHERE quotes_fts MATCH ? ORDER BY rank LIMIT ?`),
      counts: prep(`SELECT (SELECT count(*) FROM articles) AS articles,
        (SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL) AS duplicates,
        (SELECT count(*) FROM articles WHERE analysis IS NOT NULL) AS analysed,
        (SELECT count(*) FROM quotes) AS quotes, (SELECT count(*) FROM stories) AS stories`),
      getFeed: prep('SELECT * FROM feeds WHERE url = ?'),
      putFeed: prep(`INSERT INTO feeds (url, etag, last_modified, checked_at, status) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(url) DO UPDATE SET etag=excluded.etag, last_modified=excluded.last_modified, checked_at=excluded.checked_at, status=excluded.status`),
      getMeta: prep('SELECT value FROM meta WHERE key = ?'),
      setMeta: prep('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value'),
    };
    // An article's attributions go in with one multi-row INSERT rather than one per row: FTS5 flushes
    // its pending terms at the end of every statement (the insert trigger runs inside it), so row
    // by row each quote would cost a flush of its own; the rows and the index come out the same.
    const insQuotes = new Map<number, Database.Statement>();
    const insQuotesOf = (rows: number): Database.Statement => {
      let st = insQuotes.get(rows);
      if (!st) {
        st = prep(`INSERT INTO quotes (article_id, quote_id, kind, content, cue, source, speaker_id, speaker_name, start, "end", rule)
          VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT(article_id, quote_id) DO NOTHING`);
        insQuotes.set(rows, st);
      }
      return st;
    };
    const putQuotes = (articleId: string, analysis: SerializedAnalysis): void => {
      this.st.delQuotes!.run(articleId);
      const qs = analysis.quotes;
      for (let i = 0; i < qs.length; i += QUOTES_PER_INSERT) {
        const part = qs.slice(i, i + QUOTES_PER_INSERT);
        const params: unknown[] = [];
        for (const q of part) params.push(articleId, q.quoteId, q.kind, q.content, q.cue, q.source, q.speakerId, q.speakerName, q.start, q.end, q.rule);
        insQuotesOf(part.length).run(params);
      }
    };
    const writeRow = (article: Article, analysis: SerializedAnalysis | null, meta: ArticleMeta): void => {
      this.st.upsert!.run({
        id: article.id,
        url: article.url ?? null,
        canonical_url: article.canonicalUrl ?? null,
        title: article.title ?? null,
        byline: article.byline ?? null,
        published: article.published ?? null,
        outlet: article.outlet ?? null,
        language: article.language ?? null,
        text: article.text,
        source: article.source ?? null,
        text_hash: meta.textHash ?? defaultTextHash(article.text),
        duplicate_of: meta.duplicateOf ?? null,
        story_id: meta.storyId ?? null,
        analysis: analysis ? analysis.json : null,
        minhash: meta.minhash ?? null,
      });
      if (analysis) putQuotes(article.id, analysis);
    };
    // One transaction for the whole batch: a crash keeps all of it or none. Each story is written
    // once, as it stands after the batch (the rows of several articles that joined it would only
    // overwrite one another).
    this.writeArticles = db.transaction((writes: ArticleWrite[], metaEntries: Array<[string, string]>) => {
      for (const w of writes) writeRow(w.article, w.analysis ? serializedOf(w.analysis) : null, w.meta ?? {});
      for (const s of batchStories(writes.map((w) => w.meta?.story))) this.writeStory(s);
      for (const [k, v] of metaEntries) this.st.setMeta!.run(k, v);
    });
    this.writeAnalysis = db.transaction((articleId: string, analysis: SerializedAnalysis) => {
      if (this.st.setAnalysis!.run(analysis.json, articleId).changes === 0) return false;
      putQuotes(articleId, analysis);
      return true;
    });
  }

  private migrate(): void {
    const db = this.db;
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const row = db.prepare('SELECT max(version) AS v FROM schema_version').get() as { v: number | null };
    const current = row.v ?? 0;
    if (current === 0) {
      const foreign = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT IN ('schema_version') AND name NOT LIKE 'sqlite_%'").get() as { n: number };
      if (foreign.n > 0) throw new StoreError(`database ${this.file} holds tables but is not a Parley database`);
    }
    if (current > MIGRATIONS.length) {
      throw new StoreError(`database ${this.file} has schema version ${current}, newer than this Parley (${MIGRATIONS.length}); upgrade Parley`);
    }
    for (let v = current; v < MIGRATIONS.length; v++) {
      db.transaction(() => {
        db.exec(MIGRATIONS[v]!);
        db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(v + 1);
      }).immediate();
    }
  }

  /** Runs a statement, turning corruption into a clear one-line StoreError. */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (isCorruption(e)) throw new StoreError(`database ${this.file} is corrupt: ${(e as Error).message}`);
      throw e;
    }
  }

  async putArticle(article: Article, analysis: AnalysisInput | null, meta: ArticleMeta = {}): Promise<void> {
    this.guard(() => this.writeArticles([{ article, analysis, meta }], []));
  }

  async putArticles(writes: ArticleWrite[], metaEntries: Array<[string, string]> = []): Promise<void> {
    if (!writes.length && !metaEntries.length) return;
    this.guard(() => this.writeArticles(writes, metaEntries));
  }

  async putAnalysis(articleId: string, analysis: AnalysisInput): Promise<boolean> {
    return this.guard(() => this.writeAnalysis(articleId, serializedOf(analysis)));
  }

  async getArticle(id: string): Promise<StoredArticle | null> {
    const r = this.guard(() => this.st.get!.get(id) as ArticleRow | undefined);
    return r ? rowToStored(r) : null;
  }

  async hasArticle(id: string): Promise<boolean> {
    return this.guard(() => this.st.has!.get(id) !== undefined);
  }

  async getAnalysis(articleId: string): Promise<Analysis | null> {
    const r = this.guard(() => this.st.getAnalysis!.get(articleId) as { analysis: string | null } | undefined);
    return r?.analysis ? (JSON.parse(r.analysis) as Analysis) : null;
  }

  async setStory(articleId: string, storyId: string): Promise<void> {
    this.guard(() => this.st.setStory!.run(storyId, articleId));
  }

  async findOriginal(key: { canonicalUrl?: string; textHash?: string }): Promise<string | null> {
    return this.guard(() => {
      if (key.canonicalUrl) {
        const r = this.st.byUrl!.get(key.canonicalUrl) as { id: string } | undefined;
        if (r) return r.id;
      }
      if (key.textHash) {
        const r = this.st.byHash!.get(key.textHash) as { id: string } | undefined;
        if (r) return r.id;
      }
      return null;
    });
  }

  async *iterAnalyses(): AsyncIterable<{ article: Article; analysis: Analysis }> {
    let pk = '';
    let seq = -1;
    for (;;) {
      const rows = this.guard(() => this.st.pageAnalyses!.all(pk, seq, PAGE_SIZE) as (ArticleRow & { analysis: string; pk: string })[]);
      for (const r of rows) yield { article: rowToArticle(r), analysis: JSON.parse(r.analysis) as Analysis };
      if (rows.length < PAGE_SIZE) return;
      pk = rows[rows.length - 1]!.pk;
      seq = rows[rows.length - 1]!.seq;
    }
  }

  /** The seq just before the first article wanted after skipping `skip` (-1: none skipped; null: nothing left). */
  private seqAfterSkip(skip: number | undefined, originals: boolean): number | null {
    if (!skip || skip <= 0) return -1;
    // Found on the index, no article text is read.
    const r = this.guard(
      () => this.db.prepare(`SELECT seq FROM articles ${originals ? 'WHERE duplicate_of IS NULL' : ''} ORDER BY seq LIMIT 1 OFFSET ?`).get(skip - 1) as { seq: number } | undefined,
    );
    return r ? r.seq : null;
  }

  async *iterArticles(opts: { includeDuplicates?: boolean; skip?: number } = {}): AsyncIterable<StoredArticle & { analysed: boolean }> {
    const originals = opts.includeDuplicates === false;
    const stmt = originals ? this.st.pageOrig! : this.st.pageAll!;
    let seq = this.seqAfterSkip(opts.skip, originals);
    if (seq === null) return;
    for (;;) {
      const rows = this.guard(() => stmt.all(seq, PAGE_SIZE) as ArticleRow[]);
      for (const r of rows) yield { ...rowToStored(r), analysed: r.analysed === 1 };
      if (rows.length < PAGE_SIZE) return;
      seq = rows[rows.length - 1]!.seq;
    }
  }

  async *iterNearDupKeys(opts: { skip?: number } = {}): AsyncIterable<NearDupKey> {
    let seq = this.seqAfterSkip(opts.skip, true);
    if (seq === null) return;
    for (;;) {
      const rows = this.guard(() => this.st.pageNearDup!.all(seq, PAGE_SIZE) as { seq: number; id: string; minhash: Buffer | null; text: string | null }[]);
      for (const r of rows) yield { id: r.id, minhash: r.minhash, text: r.text };
      if (rows.length < PAGE_SIZE) return;
      seq = rows[rows.length - 1]!.seq;
    }
  }

  async *iterQuotes(): AsyncIterable<QuoteRow> {
    let rid = -1;
    for (;;) {
      const rows = this.guard(() => this.st.pageQuotes!.all(rid, PAGE_SIZE) as Record<string, unknown>[]);
      for (const r of rows) {
        yield {
          articleId: r.article_id as string,
          quoteId: r.quote_id as string,
          kind: r.kind as string,
          content: r.content as string,
          cue: r.cue as string | null,
          source: r.source as string | null,
          speakerId: r.speaker_id as string | null,
          speakerName: r.speaker_name as string | null,
          start: r.start as number,
          end: r.end as number,
          rule: r.rule as string,
        };
      }
      if (rows.length < PAGE_SIZE) return;
      rid = rows[rows.length - 1]!.rid as number;
    }
  }

  async *iterStories(): AsyncIterable<StoryRecord> {
    let id = '';
    for (;;) {
      const rows = this.guard(() => this.st.pageStories!.all(id, PAGE_SIZE) as StoryRow[]);
      for (const r of rows) yield rowToStory(r);
      if (rows.length < PAGE_SIZE) return;
      id = rows[rows.length - 1]!.id;
    }
  }

  async listUnanalysed(): Promise<string[]> {
    return this.guard(() => (this.st.unanalysed!.all() as { id: string }[]).map((r) => r.id));
  }

  private writeStory(s: StoryRecord): void {
    this.st.putStory!.run(s.id, s.title, JSON.stringify(s.headlines), JSON.stringify(s.outlets), JSON.stringify(s.articleIds), s.first ?? null, s.last ?? null);
  }

  async putStory(s: StoryRecord): Promise<void> {
    this.guard(() => this.writeStory(s));
  }

  async getStory(id: string): Promise<StoryRecord | null> {
    const r = this.guard(() => this.st.getStory!.get(id) as StoryRow | undefined);
    return r ? rowToStory(r) : null;
  }

  async listStories(): Promise<StoryRecord[]> {
    return this.guard(() => (this.st.listStories!.all() as StoryRow[]).map(rowToStory));
  }

  async search(query: string, limit = DEFAULT_SEARCH_LIMIT): Promise<SearchHit[]> {
    const q = fts5Query(query);
    if (!q) return [];
    return this.guard(() => {
      const arts = this.st.searchArticles!.all(q, limit) as { article_id: string; snippet: string; rank: number }[];
      const quotes = this.st.searchQuotes!.all(q, limit) as { article_id: string; quote_id: string; snippet: string; rank: number }[];
      const hits: SearchHit[] = [
        ...arts.map((r) => ({ kind: 'article' as const, articleId: r.article_id, snippet: r.snippet, score: -r.rank })),
        ...quotes.map((r) => ({ kind: 'quote' as const, articleId: r.article_id, quoteId: r.quote_id, snippet: r.snippet, score: -r.rank })),
      ];
      hits.sort((a, b) => b.score - a.score || a.articleId.localeCompare(b.articleId) || (a.quoteId ?? '').localeCompare(b.quoteId ?? ''));
      return hits.slice(0, limit);
    });
  }

  async counts(): Promise<StoreCounts> {
    return this.guard(() => this.st.counts!.get() as StoreCounts);
  }

  async getFeedState(url: string): Promise<FeedState | null> {
    const r = this.guard(() => this.st.getFeed!.get(url) as { url: string; etag: string | null; last_modified: string | null; checked_at: string | null; status: number | null } | undefined);
    if (!r) return null;
    return feedStateFromRow(r);
  }

  async putFeedState(s: FeedState): Promise<void> {
    this.guard(() => this.st.putFeed!.run(s.url, s.etag ?? null, s.lastModified ?? null, s.checkedAt ?? null, s.status ?? null));
  }

  async getMeta(key: string): Promise<string | null> {
    const r = this.guard(() => this.st.getMeta!.get(key) as { value: string } | undefined);
    return r ? r.value : null;
  }

  async setMeta(key: string, value: string): Promise<void> {
    this.guard(() => this.st.setMeta!.run(key, value));
  }

  async lockWriter(): Promise<() => Promise<void>> {
    const lock = `${this.file}.lock`;
    if (HELD_LOCKS.has(lock)) throw new StoreError(`${this.file} is already being ingested into by this process`);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(lock, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        HELD_LOCKS.add(lock);
        let released = false;
        return async () => {
          if (released) return;
          released = true;
          HELD_LOCKS.delete(lock);
          try {
            unlinkSync(lock);
          } catch {
            // already gone
          }
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new StoreError(`cannot create lock file ${lock}: ${(e as Error).message}`);
        const pid = Number(readFileSync(lock, 'utf8').trim());
        if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
          throw new StoreError(`another Parley process (pid ${pid}) is ingesting into ${this.file}; wait for it or stop it`);
        }
        // Left by a process that died: take it over.
        try {
          unlinkSync(lock);
        } catch {
          // raced with another taker: the next attempt decides
        }
      }
    }
    throw new StoreError(`cannot take the writer lock ${lock}`);
  }

  /** Full integrity check (slow on big files): 'ok' or the first problem. */
  integrityCheck(): string {
    return (this.db.pragma('integrity_check', { simple: true }) as string) ?? 'ok';
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
