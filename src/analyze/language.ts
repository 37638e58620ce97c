// Language detection. English function words settle most texts cheaply; otherwise franc-min
// (trigram profiles of 82 languages) names the language so the error can say which it is.
import { franc } from 'franc-min';

/** Share of words that must be common English function words for a text to count as English. */
export const MIN_ENGLISH_FUNCTION_SHARE = 0.12;
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

/** ISO 639-1 code of the text's language, 'und' when there is too little text to tell. */
export function detectLanguage(text: string): string {
  const sample = text.slice(0, DETECT_SAMPLE_CHARS);
  const words = sample.toLowerCase().match(/\p{L}+/gu) ?? [];
  if (words.length < 3) return 'en'; // too short to judge; analyse it as English
  let fn = 0;
  for (const w of words) if (FUNCTION_WORDS.has(w)) fn++;
  if (fn / words.length >= MIN_ENGLISH_FUNCTION_SHARE) return 'en';
  const code = franc(sample, { minLength: 10 });
  if (code === 'und') return words.length < 12 ? 'en' : 'und';
  if (code === 'eng') return 'en';
  return ISO3_TO_1[code] ?? code;
}
