// Input checks of `analyze --jsonl`: the line split and the binary test keep their meaning on their fast paths.
import { describe, expect, it } from 'vitest';
import { checkText, splitJsonlLines } from '../src/analyze/input.js';

/** The split as readline does it, by regex (what splitJsonlLines always did). */
function reference(text: string): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

describe('jsonl input', () => {
  it('splits lines at \\n, \\r\\n and a lone \\r, as readline does', () => {
    for (const t of ['', 'a', 'a\n', 'a\nb', 'a\n\nb\n', 'a\r\nb\r\n', 'a\rb', 'a\r\r\nb\n\r', '\n', '\r', '{"text":"x"}\n{"text":"y"}']) {
      expect(splitJsonlLines(t), JSON.stringify(t)).toEqual(reference(t));
    }
  });

  it('counts control characters from the first one on', () => {
    const text = 'plain words '.repeat(100);
    expect(checkText(text, 'x')).toBe(text);
    // 1% of the counted characters is allowed, more is binary: the same wherever the first one sits.
    const few = text.slice(0, 600) + '\u0001' + text.slice(600);
    expect(checkText(few, 'x')).toBe(few);
    const many = text.slice(0, 600) + '\u0001\u0002\u000b\ufffd\u001f'.repeat(10) + text.slice(600);
    expect(() => checkText(many, 'x')).toThrow(/looks binary \(50 control characters/);
    // Tab, line feed, form feed and carriage return are text.
    expect(checkText('a\tb\nc\fd\re '.repeat(50), 'x')).toBeTruthy();
    // Only the first 65536 characters are read.
    const late = 'w'.repeat(65536) + '\u0000'.repeat(5000);
    expect(checkText(late, 'x')).toBe(late);
  });
});
