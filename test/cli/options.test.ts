import { describe, expect, it } from 'vitest';
import { baseUrl, parseOptions, portOption } from '../../sandbox/commands/options.ts';

// The command line as the commands read it: the port, the sandbox's URL, options and arguments.

describe('the port to listen on or to call', () => {
  it('given neither --port nor PORT, or an empty PORT, then 3000', () => {
    expect(portOption(undefined, {})).toBe(3000);
    expect(portOption(undefined, { PORT: '' })).toBe(3000);
  });

  it('given --port and PORT, then --port', () => expect(portOption('4000', { PORT: '5000' })).toBe(4000));
  it('given 0, then 0: any free port', () => expect(portOption('0', {})).toBe(0));

  it('given a port that is not one, then a usage error naming where it came from', () => {
    expect(() => portOption('65536', {})).toThrow('--port "65536" is not a port');
    expect(() => portOption('', {})).toThrow('--port "" is not a port');
    expect(() => portOption(undefined, { PORT: '3000x' })).toThrow('PORT="3000x" is not a port');
    expect(() => portOption('-1', {})).toThrow(expect.objectContaining({ exitCode: 2 }));
  });

  it('given --url, then it without its trailing slash; else 127.0.0.1 on PORT', () => {
    expect(baseUrl('http://127.0.0.1:3100/', {})).toBe('http://127.0.0.1:3100');
    expect(baseUrl(undefined, { PORT: '3200' })).toBe('http://127.0.0.1:3200');
    expect(() => baseUrl('ftp://example.com', {})).toThrow('--url "ftp://example.com" is not an http(s) URL');
  });
});

describe('options and arguments', () => {
  const options = { json: { type: 'boolean' }, stage: { type: 'string' } } as const;

  it('given one argument where one is allowed, then it is read', () => {
    expect(parseOptions({ args: ['a.json', '--json'], allowPositionals: true, options }, 1).positionals).toEqual(['a.json']);
  });

  it('given a misspelt option, then the closest; given an option without its value, then that it needs one', () => {
    expect(() => parseOptions({ args: ['--stgae', 'prod'], options })).toThrow('unknown option --stgae (did you mean --stage?)');
    expect(() => parseOptions({ args: ['--stage'], options })).toThrow('--stage needs a value');
    expect(() => parseOptions({ args: ['--json=yes'], options })).toThrow('--json takes no value');
  });

  it('given an argument too many, or one where none is taken, then it is named', () => {
    expect(() => parseOptions({ args: ['a.json', 'b.json'], allowPositionals: true, options }, 1)).toThrow('unexpected argument "b.json"');
    expect(() => parseOptions({ args: ['extra'], options })).toThrow('unexpected argument "extra": this command takes options only');
  });
});
