// Quote word lists (speech and belief cues) and model weights. Owned by the quotes stage.
export interface QuoteLexicon {
  [key: string]: unknown;
}
export function loadQuoteLexicon(_dir: string): QuoteLexicon {
  return {};
}
