import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ContractError, DETAIL_TYPES, parseDomainEventMessage } from '../../functions/contracts/index.ts';

const SAMPLES_DIR = fileURLToPath(new URL('../../functions/contracts/samples/', import.meta.url));
const sampleFiles = readdirSync(SAMPLES_DIR).filter((file) => file.endsWith('.json')).sort();

function readSample(file: string): unknown {
  return JSON.parse(readFileSync(join(SAMPLES_DIR, file), 'utf8'));
}

/** The NpsResponseReceived sample, as a fresh object a test may break. */
function npsMessage(): { type: string; timestamp: string; data: Record<string, unknown> } {
  return readSample('NpsResponseReceived.json') as { type: string; timestamp: string; data: Record<string, unknown> };
}

/** The ContractError that `parse` throws; fails the test when nothing (or something else) is thrown. */
function contractErrorOf(parse: () => unknown): ContractError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(ContractError);
    return error as ContractError;
  }
  throw new Error('expected a ContractError, but the message was accepted');
}

describe('sample events: one file per detail-type, each a valid message', () => {
  it('given the samples folder, then it is not empty', () => {
    expect(sampleFiles.length).toBeGreaterThan(0);
  });

  it.each(sampleFiles)('given the sample %s, when it is parsed, then it is a valid message whose type is its file name', (file) => {
    const message = parseDomainEventMessage(readSample(file));
    expect(message.type).toBe(basename(file, '.json'));
  });

  it('given the samples folder, then there is exactly one sample per detail-type and none for an unknown type', () => {
    const typesOfSamples = sampleFiles.map((file) => parseDomainEventMessage(readSample(file)).type).sort();
    expect(typesOfSamples).toEqual([...DETAIL_TYPES].sort());
  });
});

describe('parseDomainEventMessage refuses what breaks the contract, naming the field', () => {
  it('given an NPS answer with a score of 11, then a ContractError names data.score', () => {
    const message = npsMessage();
    message.data.score = 11;
    const error = contractErrorOf(() => parseDomainEventMessage(message));
    expect(error.problems.some((problem) => problem.startsWith('data.score:'))).toBe(true);
  });

  it('given an NPS answer with a score of 10, then it is accepted (the upper bound is inclusive)', () => {
    const message = npsMessage();
    message.data.score = 10;
    expect(parseDomainEventMessage(message).data).toMatchObject({ score: 10 });
  });

  it('given an NPS answer with a fractional score, then a ContractError names data.score', () => {
    const message = npsMessage();
    message.data.score = 6.5;
    const error = contractErrorOf(() => parseDomainEventMessage(message));
    expect(error.problems.some((problem) => problem.startsWith('data.score:'))).toBe(true);
  });

  it('given an unknown type, then a ContractError names type', () => {
    const message = { ...npsMessage(), type: 'NpsAnswerReceived' };
    const error = contractErrorOf(() => parseDomainEventMessage(message));
    expect(error.problems.some((problem) => problem.startsWith('type:'))).toBe(true);
  });

  it('given a timestamp without an offset, then a ContractError names timestamp', () => {
    const message = { ...npsMessage(), timestamp: '2026-11-20T10:12:00' };
    const error = contractErrorOf(() => parseDomainEventMessage(message));
    expect(error.problems.some((problem) => problem.startsWith('timestamp:'))).toBe(true);
  });

  it('given a detail time without an offset, then a ContractError names data.respondedAt', () => {
    const message = npsMessage();
    message.data.respondedAt = '2026-11-20T10:12:00';
    const error = contractErrorOf(() => parseDomainEventMessage(message));
    expect(error.problems.some((problem) => problem.startsWith('data.respondedAt:'))).toBe(true);
  });

  it('given a detail without its accountId, then a ContractError names data.accountId', () => {
    const message = npsMessage();
    delete message.data.accountId;
    const error = contractErrorOf(() => parseDomainEventMessage(message));
    expect(error.problems.some((problem) => problem.startsWith('data.accountId:'))).toBe(true);
  });
});
