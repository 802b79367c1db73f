/**
 * The limits' settings (server/config.ts): defaults, good values, and bad
 * values refused with a message naming the variable and what it takes.
 */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../server/config';

describe('limit settings', () => {
  it('has defaults that let a workshop room behind one address in', () => {
    const config = readConfig({});
    expect(config).toMatchObject({
      maxMessagesPerSecond: 300,
      maxBytesPerSecond: 4 * 1024 * 1024,
      maxSendBufferBytes: 8 * 1024 * 1024,
      maxConnectionsPerAddress: 200,
      maxBoardsLoaded: 1000,
      trustProxy: false,
    });
  });

  it('reads good values', () => {
    const config = readConfig({
      MAX_MESSAGES_PER_SECOND: '50',
      MAX_BYTES_PER_SECOND: '65536',
      MAX_SEND_BUFFER_BYTES: '16384',
      MAX_CONNECTIONS_PER_ADDRESS: '3',
      MAX_BOARDS_LOADED: '2',
      TRUST_PROXY: 'true',
    });
    expect(config).toMatchObject({
      maxMessagesPerSecond: 50,
      maxBytesPerSecond: 65536,
      maxSendBufferBytes: 16384,
      maxConnectionsPerAddress: 3,
      maxBoardsLoaded: 2,
      trustProxy: true,
    });
    expect(readConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(readConfig({ TRUST_PROXY: ' TRUE ' }).trustProxy).toBe(true);
  });

  it.each([
    ['MAX_MESSAGES_PER_SECOND', 'lots', 'must be a whole number from 1 to 1000000, got "lots"'],
    ['MAX_MESSAGES_PER_SECOND', '0', 'must be a whole number from 1 to 1000000, got "0"'],
    ['MAX_BYTES_PER_SECOND', '10', 'must be a whole number from 1024 to 1073741824, got "10"'],
    ['MAX_SEND_BUFFER_BYTES', '1.5', 'must be a whole number from 16384 to 1073741824, got "1.5"'],
    ['MAX_SEND_BUFFER_BYTES', '100', 'must be a whole number from 16384 to 1073741824, got "100"'],
    ['MAX_CONNECTIONS_PER_ADDRESS', '0', 'must be a whole number from 1 to 1000000, got "0"'],
    ['MAX_BOARDS_LOADED', '-3', 'must be a whole number from 1 to 10000000, got "-3"'],
    ['TRUST_PROXY', 'yes', 'must be true or false, got "yes"'],
  ])('refuses %s=%s in words', (name, value, words) => {
    expect(() => readConfig({ [name]: value })).toThrow(`Invalid configuration: ${name}: ${words}`);
  });

  it('names every bad variable at once', () => {
    expect(() => readConfig({ MAX_BOARDS_LOADED: 'x', TRUST_PROXY: 'maybe' })).toThrow(
      /MAX_BOARDS_LOADED: must be a whole number.*; TRUST_PROXY: must be true or false/,
    );
  });
});
