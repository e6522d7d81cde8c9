import { describe, expect, it } from 'vitest';
import { normalizeOptions } from '../../src/options';
import { normalizeSso } from '../../src/ui/SignIn';

describe('the sso option', () => {
  it('is off without it, and handed to the sign-in part as given', () => {
    expect(normalizeOptions({ endpoint: '/api' }).sso).toBeNull();
    const sso = { token: 'jwt' };
    expect(normalizeOptions({ endpoint: '/api', sso }).sso).toBe(sso);
  });

  it('resolves the login and logout URLs against the page, http(s) only', () => {
    const sso = normalizeSso({ token: null, loginUrl: '/login', logoutUrl: 'https://example.com/logout' });
    expect(sso.loginUrl).toBe(new URL('/login', document.baseURI).href);
    expect(sso.logoutUrl).toBe('https://example.com/logout');
    expect(normalizeSso({ token: 'x' })).toMatchObject({ loginUrl: null, logoutUrl: null });
  });

  it.each([
    [{ token: 'x', loginUrl: 'javascript:alert(1)' }, '"sso.loginUrl" must be an http(s) URL'],
    [{ token: 'x', logoutUrl: 'data:text/html,hi' }, '"sso.logoutUrl" must be an http(s) URL'],
    [{ token: 42 }, '"sso.token" (data-sso-token) must be'],
    ['jwt', '"sso" must be an object'],
  ])('refuses %j', (sso, message) => {
    expect(() => normalizeSso(sso as never)).toThrow(message);
  });
});
