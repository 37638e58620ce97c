// PLOVER verb patterns and model weights. Owned by the events stage.
export interface EventLexicon {
  [key: string]: unknown;
}
export function loadEventLexicon(_dir: string): EventLexicon {
  return {};
}
