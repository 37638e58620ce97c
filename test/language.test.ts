// Language detection stops counting once an English verdict cannot change: it must answer exactly
// as counting the whole sample does, whatever follows the point where it stops.
import { describe, expect, it } from 'vitest';
import { countWords, detectLanguage, DETECT_SAMPLE_CHARS, MIN_ENGLISH_FUNCTION_SHARE } from '../src/analyze/language.js';

/** The verdict of the English test over the whole sample (no early stop): 'en', or null (franc decides). */
function fullCountVerdict(text: string): 'en' | null {
  const { words, fn } = countWords(text.slice(0, DETECT_SAMPLE_CHARS).toLowerCase());
  return words < 3 || fn / words >= MIN_ENGLISH_FUNCTION_SHARE ? 'en' : null;
}

describe('language detection', () => {
  const en = 'The minister said that the talks with the other side would go on for as long as it took to reach a deal. ';
  const fr = 'Le gouvernement a annoncé mardi une nouvelle réforme des retraites qui suscite la colère des syndicats. ';
  const names = 'Apple Banana Cherry Delta Echo Foxtrot Golf Hotel India Juliet Kilo Lima Mike November Oscar Papa ';
  it('answers as a full count would, for English then other words and the reverse', () => {
    for (let a = 0; a <= 60; a += 3) {
      for (const other of [fr, names, 'İ x '.repeat(20)]) {
        for (const t of [en.repeat(a) + other.repeat(60 - a), other.repeat(60 - a) + en.repeat(a), en.repeat(a).slice(0, a * 37) + other.repeat(a)]) {
          const sample = t.slice(0, DETECT_SAMPLE_CHARS).toLowerCase();
          // Not English by the count: the count never stops early, so franc gets the same sample.
          if (fullCountVerdict(t) === 'en') expect(detectLanguage(t), t.slice(0, 60)).toBe('en');
          else expect(countWords(sample, true), t.slice(0, 60)).toEqual(countWords(sample));
        }
      }
    }
  });
  it('names other languages', () => {
    expect(detectLanguage(fr.repeat(5))).toBe('fr');
    expect(detectLanguage(en.repeat(50))).toBe('en');
  });
});
