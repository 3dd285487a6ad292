import { stepUrl } from '../../src/urls';

describe('stepUrl', () => {
  it.each(['localhost:3000', 'localhost', '127.0.0.1:3000', '[::1]:3000'])('uses http for the local server at %s', (domain) => {
    expect(stepUrl(domain, '/wait-music')).toBe(`http://${domain}/wait-music`);
  });

  it.each(['pull-phone-1234-dev.twil.io', 'example.com', 'localhost.example.com', 'mylocalhost:3000'])('uses https for %s', (domain) => {
    expect(stepUrl(domain, '/wait-music')).toBe(`https://${domain}/wait-music`);
  });

  it('encodes query values so a + survives', () => {
    const url = stepUrl('pull-phone-1234-dev.twil.io', '/bridge', { member: '+15551230001' });
    expect(url).toBe('https://pull-phone-1234-dev.twil.io/bridge?member=%2B15551230001');
    expect(new URL(url).searchParams.get('member')).toBe('+15551230001');
  });

  it('encodes spaces, ampersands and unicode, and round-trips them', () => {
    const query = { note: 'a & b = c', name: 'Zoë 😀', returning: '1' };
    const url = new URL(stepUrl('x.twil.io', '/hold', query));
    expect(Object.fromEntries(url.searchParams)).toEqual(query);
    expect(url.search).not.toContain(' ');
    expect(url.search).not.toMatch(/& b/);
  });

  it('leaves out undefined values', () => {
    expect(stepUrl('x.twil.io', '/wait-music', { returning: undefined, a: '1' })).toBe('https://x.twil.io/wait-music?a=1');
    expect(stepUrl('x.twil.io', '/wait-music', { returning: undefined })).toBe('https://x.twil.io/wait-music');
  });
});
