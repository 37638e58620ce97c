// Person-name helpers: transliteration-aware keys so Zelenskyy / Zelensky / Zelenskiy (or Sergei /
// Sergey) compare equal, surname extraction, and ids. Own code: no npm package normalises
// romanisations of Slavic/Arabic names, and the rules needed are few.

import { boundedMemo } from '../memo.js';

/** Name suffixes that are not the surname ("Martin Luther King Jr."). */
const NAME_SUFFIXES = new Set(['jr', 'jr.', 'sr', 'sr.', 'ii', 'iii', 'iv']);

/**
 * A spelling-insensitive key: diacritics dropped, lower case, doubled letters collapsed, and the
 * endings -yy/-iy/-ij/-y/-ii (romanisations of Cyrillic -ий/-ій) folded to -i.
 */
export const nameKey = boundedMemo(computeKey);

function computeKey(s: string): string {
  let k = s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’']s$/, '')
    .replace(/[^a-z]/g, '');
  k = k.replace(/(?:iy|yy|ij|yi|ii|y)$/, 'i');
  k = k.replace(/kh/g, 'h').replace(/ks/g, 'x').replace(/(.)\1+/g, '$1');
  return k;
}

/** The words of a name, without suffixes like "Jr.". Cached per name: the array is shared, never modify it. */
export const nameWords = boundedMemo((name: string): string[] => {
  const w = name.split(/\s+/).filter(Boolean);
  while (w.length > 1 && NAME_SUFFIXES.has(w[w.length - 1]!.toLowerCase())) w.pop();
  return w;
});

/** The surname: the last word (particles such as "bin" or "von der" stay with the given names). */
export function surname(name: string): string {
  const w = nameWords(name);
  return w[w.length - 1] ?? name;
}

/** Slug for ids: "Volodymyr Zelenskyy" → "volodymyr-zelenskyy". */
export const slug = boundedMemo(computeSlug);

function computeSlug(s: string): string {
  return (
    s
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'x'
  );
}
