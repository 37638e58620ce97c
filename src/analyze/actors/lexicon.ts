// Actor word lists (titles, countries, organisations). Owned by the actors stage.
export interface ActorLexicon {
  [key: string]: unknown;
}
export function loadActorLexicon(_dir: string): ActorLexicon {
  return {};
}
