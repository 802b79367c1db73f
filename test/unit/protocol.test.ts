/**
 * Purposeboard's "saved" message and the board-connection helpers shared by
 * the client and the sync server, checked against lib0's own decoder.
 */
import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import {
  CLOSE_BOARD_DELETED,
  CLOSE_BOARD_NOT_FOUND,
  CLOSE_INVALID_BOARD_ID,
  CLOSE_MALFORMED_MESSAGE,
  CLOSE_MESSAGE_TOO_BIG,
  CLOSE_SERVER_SHUTTING_DOWN,
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SAVED,
  MESSAGE_SYNC,
  describeCloseCode,
  describeRetryCode,
  CLOSE_RATE_LIMITED,
  CLOSE_TOO_SLOW,
  CLOSE_TOO_MANY_BOARDS,
  CLOSE_TOO_MANY_CONNECTIONS,
  CLOSE_STORAGE_UNAVAILABLE,
  encodeSaveAnswer,
  encodeSaveRequest,
  isValidBoardId,
  readSaveAnswer,
} from '../../src/protocol';

const SEQS = [0, 1, 127, 128, 300, 16_383, 16_384, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER];

describe('the "saved" message type', () => {
  it('does not collide with any standard y-websocket message type', () => {
    expect([MESSAGE_SYNC, MESSAGE_AWARENESS, MESSAGE_AUTH, MESSAGE_QUERY_AWARENESS]).toEqual([0, 1, 2, 3]);
    expect([MESSAGE_SYNC, MESSAGE_AWARENESS, MESSAGE_AUTH, MESSAGE_QUERY_AWARENESS]).not.toContain(MESSAGE_SAVED);
    expect(MESSAGE_SAVED).toBe(100);
  });
});

describe('encodeSaveRequest', () => {
  it('decodes as the saved type followed by the sequence number, and nothing else', () => {
    for (const seq of SEQS) {
      const decoder = decoding.createDecoder(encodeSaveRequest(seq));
      expect(decoding.readVarUint(decoder)).toBe(MESSAGE_SAVED);
      expect(decoding.readVarUint(decoder)).toBe(seq);
      expect(decoding.hasContent(decoder)).toBe(false);
    }
  });

  it('is the two bytes [100, seq] for a small sequence number', () => {
    expect(Array.from(encodeSaveRequest(7))).toEqual([100, 7]);
  });

  it('is not a complete save answer: reading one from it throws', () => {
    const decoder = decoding.createDecoder(encodeSaveRequest(9));
    decoding.readVarUint(decoder);
    expect(() => readSaveAnswer(decoder)).toThrow();
  });
});

describe('encodeSaveAnswer / readSaveAnswer', () => {
  it('round-trips every sequence number with ok = true and ok = false', () => {
    for (const seq of SEQS) {
      for (const ok of [true, false]) {
        const decoder = decoding.createDecoder(encodeSaveAnswer(seq, ok));
        expect(decoding.readVarUint(decoder)).toBe(MESSAGE_SAVED);
        expect(readSaveAnswer(decoder)).toEqual({ seq, ok });
        expect(decoding.hasContent(decoder)).toBe(false);
      }
    }
  });

  it('is the bytes [100, seq, 1] when stored and [100, seq, 0] when storage failed', () => {
    expect(Array.from(encodeSaveAnswer(5, true))).toEqual([100, 5, 1]);
    expect(Array.from(encodeSaveAnswer(5, false))).toEqual([100, 5, 0]);
  });

  it('reads only exactly 1 as stored: any other flag means not saved', () => {
    for (const flag of [0, 2, 255]) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SAVED);
      encoding.writeVarUint(encoder, 42);
      encoding.writeVarUint(encoder, flag);
      const decoder = decoding.createDecoder(encoding.toUint8Array(encoder));
      decoding.readVarUint(decoder);
      expect(readSaveAnswer(decoder)).toEqual({ seq: 42, ok: false });
    }
  });

  it('throws on every truncation of an answer instead of inventing a sequence number', () => {
    for (const seq of [3, 300, 2 ** 32 + 5]) {
      const full = encodeSaveAnswer(seq, true);
      // Cut after the type byte and at every point before the last byte.
      for (let length = 1; length < full.length; length += 1) {
        const decoder = decoding.createDecoder(full.subarray(0, length));
        expect(decoding.readVarUint(decoder)).toBe(MESSAGE_SAVED);
        expect(() => readSaveAnswer(decoder), `seq ${seq} cut to ${length} bytes`).toThrow();
      }
    }
  });

  it('throws on an empty remainder', () => {
    expect(() => readSaveAnswer(decoding.createDecoder(new Uint8Array(0)))).toThrow();
  });

  it('reads answers one after another from one stream, in order', () => {
    const encoder = encoding.createEncoder();
    encoding.writeUint8Array(encoder, encodeSaveAnswer(1, true));
    encoding.writeUint8Array(encoder, encodeSaveAnswer(200, false));
    const decoder = decoding.createDecoder(encoding.toUint8Array(encoder));
    expect(decoding.readVarUint(decoder)).toBe(MESSAGE_SAVED);
    expect(readSaveAnswer(decoder)).toEqual({ seq: 1, ok: true });
    expect(decoding.readVarUint(decoder)).toBe(MESSAGE_SAVED);
    expect(readSaveAnswer(decoder)).toEqual({ seq: 200, ok: false });
  });
});

describe('isValidBoardId', () => {
  it('accepts letters, digits, "_" and "-" from 1 to 64 characters', () => {
    for (const id of ['a', 'Z', '0', '_', '-', 'V1StGXR8_Z', 'housing-repairs_2024', 'x'.repeat(64)]) {
      expect(isValidBoardId(id), id).toBe(true);
    }
    expect(isValidBoardId('AZaz09_-'.repeat(8))).toBe(true);
  });

  it('rejects the empty id and ids over 64 characters', () => {
    expect(isValidBoardId('')).toBe(false);
    expect(isValidBoardId('x'.repeat(65))).toBe(false);
    expect(isValidBoardId('x'.repeat(1000))).toBe(false);
  });

  it('rejects anything that could escape a path or a URL segment', () => {
    for (const id of ['../x', '..', '.', 'a/b', 'a\\b', '%2e%2e', 'a?b', 'a#b', 'a.b']) {
      expect(isValidBoardId(id), id).toBe(false);
    }
  });

  it('rejects spaces, line breaks and control characters, even at the ends', () => {
    for (const id of ['a b', ' a', 'a ', 'abc\n', '\nabc', 'a\tb', 'a\u0000b']) {
      expect(isValidBoardId(id), JSON.stringify(id)).toBe(false);
    }
  });

  it('rejects letters outside ASCII', () => {
    for (const id of ['é', 'café', 'Ａ', 'ß', '日本']) expect(isValidBoardId(id), id).toBe(false);
  });
});

describe('describeCloseCode', () => {
  it('explains, in words, why a board connection was closed for good', () => {
    const invalid = describeCloseCode(4400);
    const notFound = describeCloseCode(4404);
    const deleted = describeCloseCode(4410);
    for (const words of [invalid, notFound, deleted]) {
      expect(typeof words).toBe('string');
      expect(words?.trim().length).toBeGreaterThan(5);
    }
    expect(invalid).toMatch(/not valid/i);
    expect(notFound).toMatch(/not found/i);
    expect(deleted).toMatch(/deleted/i);
    expect(new Set([invalid, notFound, deleted]).size).toBe(3);
  });

  it('matches the exported close-code constants', () => {
    expect([CLOSE_INVALID_BOARD_ID, CLOSE_BOARD_NOT_FOUND, CLOSE_BOARD_DELETED]).toEqual([4400, 4404, 4410]);
    expect(describeCloseCode(CLOSE_INVALID_BOARD_ID)).toBe(describeCloseCode(4400));
  });

  it('tells the user to reload after a damaged or too-large message', () => {
    expect(describeCloseCode(CLOSE_MALFORMED_MESSAGE)).toMatch(/reload/i);
    expect(describeCloseCode(CLOSE_MESSAGE_TOO_BIG)).toMatch(/reload/i);
  });

  it('says nothing for a normal close or a close that will be retried', () => {
    for (const code of [1000, 1001, 1006, CLOSE_SERVER_SHUTTING_DOWN, 0, 4999]) {
      expect(describeCloseCode(code), String(code)).toBeNull();
    }
  });

  it('uses 44xx for "do not retry" codes and 45xx for "retry later"', () => {
    for (const code of [
      CLOSE_INVALID_BOARD_ID,
      CLOSE_MALFORMED_MESSAGE,
      CLOSE_BOARD_NOT_FOUND,
      CLOSE_BOARD_DELETED,
      CLOSE_RATE_LIMITED,
    ]) {
      expect(code).toBeGreaterThanOrEqual(4400);
      expect(code).toBeLessThan(4500);
    }
    for (const code of [
      CLOSE_SERVER_SHUTTING_DOWN,
      CLOSE_STORAGE_UNAVAILABLE,
      CLOSE_TOO_SLOW,
      CLOSE_TOO_MANY_BOARDS,
      CLOSE_TOO_MANY_CONNECTIONS,
    ]) {
      expect(code).toBeGreaterThanOrEqual(4500);
      expect(code).toBeLessThan(4600);
    }
  });

  it('tells a flooding client to reload', () => {
    expect(describeCloseCode(CLOSE_RATE_LIMITED)).toMatch(/faster than the server accepts.*reload/i);
  });
});

describe('describeRetryCode', () => {
  it('says in words why the connection is being made again, for the limits', () => {
    expect(describeRetryCode(CLOSE_TOO_SLOW)).toMatch(/fell behind.*reconnecting.*nothing is lost/i);
    expect(describeRetryCode(CLOSE_TOO_MANY_CONNECTIONS)).toMatch(/too many connections.*trying again/i);
    expect(describeRetryCode(CLOSE_TOO_MANY_BOARDS)).toMatch(/as many boards open as it allows.*trying again/i);
  });

  it('says nothing for a restart, a storage hiccup, a normal close or a refusal', () => {
    for (const code of [1000, 1006, CLOSE_SERVER_SHUTTING_DOWN, CLOSE_STORAGE_UNAVAILABLE, CLOSE_RATE_LIMITED, 4403]) {
      expect(describeRetryCode(code), String(code)).toBeNull();
    }
  });
});
