import { parseArguments, UsageError } from './cli-arguments';

const spec = { valued: ['url', 'client-id'], switches: ['json'] };

describe('parseArguments', () => {
  it('reads valued flags in both spellings, switches and positionals in order', () => {
    const parsed = parseArguments(
      ['--url', 'https://relay', 'a@contoso.com', '--client-id=abc', '--json', 'b@contoso.com'],
      spec,
    );
    expect(parsed.flags.get('url')).toBe('https://relay');
    expect(parsed.flags.get('client-id')).toBe('abc');
    expect(parsed.switches.has('json')).toBe(true);
    expect(parsed.positionals).toEqual(['a@contoso.com', 'b@contoso.com']);
  });

  it('keeps every value of a flag given more than once, in order', () => {
    const parsed = parseArguments(['--url', 'a', '--client-id=x', '--url=b'], spec);
    expect(parsed.flagValues.get('url')).toEqual(['a', 'b']);
    expect(parsed.flags.get('url')).toBe('b');
    expect(parsed.flagValues.get('client-id')).toEqual(['x']);
  });

  it('takes everything after -- as positionals', () => {
    expect(parseArguments(['--', '--url'], spec).positionals).toEqual(['--url']);
  });

  it('refuses unknown options and missing values with a usage error', () => {
    expect(() => parseArguments(['--urll', 'x'], spec)).toThrow(
      new UsageError('unknown option --urll'),
    );
    expect(() => parseArguments(['--url'], spec)).toThrow('--url needs a value');
    expect(() => parseArguments(['--json=1'], spec)).toThrow('--json takes no value');
    expect(() => parseArguments(['--url', '--json'], spec)).toThrow('--url needs a value');
    expect(() => parseArguments(['--url='], spec)).toThrow('--url needs a value');
    expect(() => parseArguments(['-u', 'x'], spec)).toThrow(new UsageError('unknown option -u'));
  });
});
