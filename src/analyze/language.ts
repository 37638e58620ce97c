// Language detection. English function words settle most texts cheaply; otherwise franc-min
// (trigram profiles of 82 languages) names the language so the error can say which it is.
import { franc } from 'franc-min';

/** MIN_ENGLISH_FUNCTION_SHARE as a fraction of integers (for the exact test of englishSettled). */
const SHARE_NUM = 12;
const SHARE_DEN = 100;
/** Share of words that must be common English function words for a text to count as English. */
export const MIN_ENGLISH_FUNCTION_SHARE = SHARE_NUM / SHARE_DEN;
/** How much text the detector reads: enough to decide, bounded so a long text costs nothing more. */
export const DETECT_SAMPLE_CHARS = 4000;

const FUNCTION_WORDS = new Set(
  'the of and to a in that is was he for it with as his on be at by i this had not are but from or have an they which one you were her all she there would their we him been has when who will more no if out so said what up its about into than them can only other new some could time these two may then do first any my now such like our over man me even most made after also did many before must through back years where much your way well down should because each just those people how too little state good very make world still own see men work long get here between both life being under never day same another know while last might us great old year off come since against go came right used take three'.split(
    ' ',
  ),
);

const ISO3_TO_1: Record<string, string> = {
  eng: 'en', fra: 'fr', deu: 'de', spa: 'es', por: 'pt', ita: 'it', nld: 'nl', rus: 'ru', ukr: 'uk',
  pol: 'pl', tur: 'tr', arb: 'ar', cmn: 'zh', jpn: 'ja', kor: 'ko', hin: 'hi', swe: 'sv', ron: 'ro',
  ces: 'cs', hun: 'hu', ell: 'el', heb: 'he', pes: 'fa', ind: 'id', vie: 'vi', tha: 'th', bul: 'bg',
};

/** Longest function word: longer words are counted without being looked up. */
const MAX_FUNCTION_WORD = Math.max(...[...FUNCTION_WORDS].map((w) => w.length));
const LETTER = /\p{L}/u;

/**
 * Words (maximal runs of Unicode letters, as /\p{L}+/gu finds them) in `s`, and how many are
 * function words. One pass over the characters: ASCII is tested inline and only short all-ASCII
 * words are sliced out, so a 4000-character sample costs a few hundred small strings, not ~700.
 */
export function countWords(s: string, stopWhenEnglish = false): { words: number; fn: number } {
  let words = 0;
  let fn = 0;
  let i = 0;
  const n = s.length;
  while (i < n) {
    // Enough function words already that no run of words in the rest could bring the share below
    // the threshold (see englishSettled): the text is English whatever follows.
    if (stopWhenEnglish && englishSettled(words, fn, n - i)) break;
    const start = i;
    let ascii = true;
    for (;;) {
      if (i >= n) break;
      const c = s.charCodeAt(i);
      if (c < 128) {
        if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) {
          i++;
          continue;
        }
        break;
      }
      const cp = s.codePointAt(i)!;
      if (!LETTER.test(String.fromCodePoint(cp))) break;
      ascii = false;
      i += cp > 0xffff ? 2 : 1;
    }
    if (i > start) {
      words++;
      if (ascii && i - start <= MAX_FUNCTION_WORD && FUNCTION_WORDS.has(s.slice(start, i))) fn++;
    } else {
      // Not a letter: step over it (a whole code point, so a surrogate pair is not split).
      const cp = s.codePointAt(i)!;
      i += cp > 0xffff ? 2 : 1;
    }
  }
  return { words, fn };
}

/**
 * Is the English verdict settled by the words counted so far, with `rest` characters still unread?
 * The rest holds at most (rest + 1) / 2 more words (a word takes a letter, and words are apart),
 * none of them perhaps a function word; if even then the share stays at or above the threshold
 * (and there are at least 3 words), the whole sample's share does too, so detectLanguage answers
 * 'en' as it would after reading everything. Integer arithmetic: the share's comparison in
 * floating point rounds monotonically, so a share at or above 12/100 passes it.
 */
function englishSettled(words: number, fn: number, rest: number): boolean {
  return words >= 3 && fn * SHARE_DEN >= SHARE_NUM * (words + Math.ceil((rest + 1) / 2));
}

/** ISO 639-1 code of the text's language, 'und' when there is too little text to tell. */
export function detectLanguage(text: string): string {
  const sample = text.slice(0, DETECT_SAMPLE_CHARS);
  // Most texts are English: counting stops once the verdict cannot change (about half way).
  const { words, fn } = countWords(sample.toLowerCase(), true);
  if (words < 3) return 'en'; // too short to judge; analyse it as English
  if (fn / words >= MIN_ENGLISH_FUNCTION_SHARE) return 'en';
  const code = franc(sample, { minLength: 10 });
  if (code === 'und') return words < 12 ? 'en' : 'und';
  if (code === 'eng') return 'en';
  return ISO3_TO_1[code] ?? code;
}
