import { describe, expect, it } from 'vitest';
import { ApiRootError, dataCenters, isLoopbackHost, resolveApiRoot } from '../../main/core/zoho';

describe('data centers and API roots', () => {
  it('maps every data center to its zohoapis host, with a label for the UI', () => {
    const roots = Object.fromEntries(dataCenters.map((d) => [d.id, d.apiRoot]));
    expect(roots).toEqual({
      us: 'https://www.zohoapis.com/invoice/v3',
      eu: 'https://www.zohoapis.eu/invoice/v3',
      in: 'https://www.zohoapis.in/invoice/v3',
      au: 'https://www.zohoapis.com.au/invoice/v3',
      jp: 'https://www.zohoapis.jp/invoice/v3',
      ca: 'https://www.zohoapis.ca/invoice/v3',
      sa: 'https://www.zohoapis.sa/invoice/v3',
      cn: 'https://www.zohoapis.com.cn/invoice/v3',
    });
    expect(dataCenters.find((d) => d.id === 'us')?.label).toBe('United States (zoho.com)');
    for (const d of dataCenters) expect(resolveApiRoot({ dc: d.id })).toBe(d.apiRoot);
    expect(() => resolveApiRoot({ dc: 'mars' })).toThrow(/Unknown Zoho data center "mars"/);
  });

  it('accepts https base URLs anywhere, trimming trailing slashes', () => {
    expect(resolveApiRoot({ baseUrl: 'https://invoice.example.com/invoice/v3/' })).toBe('https://invoice.example.com/invoice/v3');
    expect(resolveApiRoot({ baseUrl: ' https://proxy.example:8443/zoho/invoice/v3 ' })).toBe('https://proxy.example:8443/zoho/invoice/v3');
    // A bare origin gets Zoho's path.
    expect(resolveApiRoot({ baseUrl: 'https://proxy.example' })).toBe('https://proxy.example/invoice/v3');
  });

  it('allows plain http only on loopback', () => {
    expect(resolveApiRoot({ baseUrl: 'http://127.0.0.1:4010/invoice/v3' })).toBe('http://127.0.0.1:4010/invoice/v3');
    expect(resolveApiRoot({ baseUrl: 'http://127.8.9.10:4010' })).toBe('http://127.8.9.10:4010/invoice/v3');
    expect(resolveApiRoot({ baseUrl: 'http://localhost:4010/invoice/v3' })).toBe('http://localhost:4010/invoice/v3');
    expect(resolveApiRoot({ baseUrl: 'http://[::1]:4010/invoice/v3' })).toBe('http://[::1]:4010/invoice/v3');
    for (const host of ['http://10.0.0.5/invoice/v3', 'http://192.168.1.2:80', 'http://www.zohoapis.com/invoice/v3',
      'http://128.0.0.1/', 'http://127.0.0.1.evil.example/', 'http://localhost.evil.example/', 'http://[::2]/']) {
      expect(() => resolveApiRoot({ baseUrl: host }), host).toThrow(ApiRootError);
      expect(() => resolveApiRoot({ baseUrl: host }), host).toThrow(/Plain http is allowed only for this computer .*use https:\/\//);
    }
  });

  it('refuses other schemes, credentials, queries and non-URLs with a clear reason', () => {
    expect(() => resolveApiRoot({ baseUrl: 'ftp://127.0.0.1/x' })).toThrow(/must start with https:\/\/ \(got ftp\)/);
    expect(() => resolveApiRoot({ baseUrl: 'not a url' })).toThrow(/is not a valid URL/);
    expect(() => resolveApiRoot({ baseUrl: 'https://user:pw@example.com/invoice/v3' })).toThrow(/user name or password/);
    expect(() => resolveApiRoot({ baseUrl: 'https://example.com/invoice/v3?x=1' })).toThrow(/query/);
  });

  it('knows loopback hosts', () => {
    expect(['localhost', '127.0.0.1', '127.255.255.254', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['127.0.0.256', '127.0.0', 'example.com', '0.0.0.0', '[::]'].some(isLoopbackHost)).toBe(false);
  });
});
