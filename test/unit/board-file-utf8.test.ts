/** A board file must be valid UTF-8: broken bytes are refused naming the field, never stored as U+FFFD. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardFileError, exportBoardFile, getTemplate, parseBoardFileBytes, serialiseBoardFile } from '../../src/model';

describe('a board file that is not valid UTF-8', () => {
  const good = (): Uint8Array => {
    const doc = new Y.Doc();
    getTemplate('housing-repairs-after')!.apply(doc);
    return new TextEncoder().encode(serialiseBoardFile(exportBoardFile(doc)));
  };
  function withBrokenByte(bytes: Uint8Array, after: string): Uint8Array {
    const text = new TextDecoder().decode(bytes);
    const at = new TextEncoder().encode(text.slice(0, text.indexOf(after) + after.length)).length;
    // 0xC3 0x28: a two-byte lead followed by "(", an invalid sequence.
    return new Uint8Array([...bytes.subarray(0, at), 0xc3, 0x28, ...bytes.subarray(at)]);
  }

  it('valid UTF-8 (with a real U+FFFD in it) reads as before', () => {
    const text = new TextDecoder().decode(good()).replace('"title": "', '"title": "\uFFFD ');
    expect(parseBoardFileBytes(new TextEncoder().encode(text)).title.startsWith('\uFFFD ')).toBe(true);
  });

  it('is refused with a clear error naming the field, not stored as U+FFFD', () => {
    const bytes = withBrokenByte(good(), '"title": "');
    expect(() => parseBoardFileBytes(bytes)).toThrow(BoardFileError);
    expect(() => parseBoardFileBytes(bytes)).toThrow(
      /^This file is not valid UTF-8 text \(a broken character in title\)\. Save it as UTF-8 and try again\.$/,
    );
  });

  it('names a field deep in the file, past a real U+FFFD earlier on', () => {
    const text = new TextDecoder().decode(good()).replace('"title": "', '"title": "\uFFFD');
    const bytes = withBrokenByte(new TextEncoder().encode(text), '"label": "');
    let error: BoardFileError | null = null;
    try {
      parseBoardFileBytes(bytes);
    } catch (e) {
      error = e as BoardFileError;
    }
    expect(error?.path).toMatch(/^nodes\[\d+\]\.label$/);
  });

  it('outside any string it gives the byte offset', () => {
    const bytes = good();
    const broken = new Uint8Array([...bytes.subarray(0, 1), 0xff, ...bytes.subarray(1)]);
    expect(() => parseBoardFileBytes(broken)).toThrow(/not valid UTF-8 text \(a broken character at byte 1\)/);
  });
});
