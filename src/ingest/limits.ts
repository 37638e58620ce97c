// Documented defaults that bound what one ingest item may cost. Each can be overridden per call.

/** Largest HTML page accepted (bytes). News pages run to ~1.5 MB with inline scripts; 10 MiB leaves room. */
export const MAX_PAGE_BYTES = 10 * 1024 * 1024;
/** Largest feed document accepted (bytes). */
export const MAX_FEED_BYTES = 20 * 1024 * 1024;
/** Largest plain-text / JSON file accepted (bytes). */
export const MAX_TEXT_FILE_BYTES = 20 * 1024 * 1024;
/** Items read from one feed; the rest are skipped with a note (a 100,000-item feed yields this many). */
export const MAX_FEED_ITEMS = 1000;
/** Feeds read from one OPML list. */
export const MAX_OPML_FEEDS = 500;
/** Files read from one folder (recursively). */
export const MAX_FOLDER_FILES = 100_000;
