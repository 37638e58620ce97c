// Issue taxonomy of negotiations. Owned by the positions stage.
export interface IssueLexicon {
  [key: string]: unknown;
}
export function loadIssueLexicon(_dir: string): IssueLexicon {
  return {};
}
