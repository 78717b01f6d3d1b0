import { describe, expect, it } from 'vitest';
import { addressKind, checkCallbackUrl } from '../../functions/domain/callback-url.ts';
import { hubQueryMatches, parseHubQuery } from '../../functions/domain/hub-query.ts';

describe('hub callback URLs', () => {
  it('accepts public https callbacks', () => {
    expect(checkCallbackUrl('https://listener.example.com/tmf/events', false).ok).toBe(true);
    expect(checkCallbackUrl('https://203.0.113.10/hook', false).ok).toBe(true);
  });

  it('refuses plain http to the public internet', () => {
    expect(checkCallbackUrl('http://listener.example.com/events', true)).toMatchObject({ ok: false, reason: 'callbacks must use https' });
  });

  it('accepts loopback http only where loopback is allowed', () => {
    expect(checkCallbackUrl('http://127.0.0.1:8080/listener', true).ok).toBe(true);
    expect(checkCallbackUrl('http://localhost:8080/listener', true).ok).toBe(true);
    expect(checkCallbackUrl('http://[::1]:8080/listener', true).ok).toBe(true);
    expect(checkCallbackUrl('http://127.0.0.1:8080/listener', false).ok).toBe(false);
  });

  it.each([
    'https://169.254.169.254/latest/meta-data/',
    'https://[fe80::1]/x',
    'https://[fd00:ec2::254]/x',
    'https://10.0.0.5/x',
    'https://172.16.3.4/x',
    'https://192.168.1.1/x',
    'https://100.64.0.1/x',
    'https://0.0.0.0/x',
    'https://metadata.google.internal/x',
    'https://[::ffff:10.0.0.1]/x',
    'https://user:pw@example.com/x',
    'not a url',
  ])('refuses %s everywhere', (callback) => {
    expect(checkCallbackUrl(callback, true).ok).toBe(false);
  });

  it('classifies addresses', () => {
    expect(addressKind('8.8.8.8')).toBe('public');
    expect(addressKind('127.0.0.2')).toBe('loopback');
    expect(addressKind('172.32.0.1')).toBe('public');
    expect(addressKind('2001:db8::1')).toBe('public');
  });
});

describe('hub query', () => {
  const types = ['CustomerCreateEvent', 'CustomerDeleteEvent'];
  it('matches everything when empty and the listed types otherwise', () => {
    expect(hubQueryMatches(parseHubQuery(undefined, types), 'CustomerDeleteEvent')).toBe(true);
    const parsed = parseHubQuery('eventType=CustomerCreateEvent', types);
    expect(hubQueryMatches(parsed, 'CustomerCreateEvent')).toBe(true);
    expect(hubQueryMatches(parsed, 'CustomerDeleteEvent')).toBe(false);
    expect(hubQueryMatches(parseHubQuery('eventType=CustomerCreateEvent,CustomerDeleteEvent', types), 'CustomerDeleteEvent')).toBe(true);
  });
  it('names what it cannot understand', () => {
    expect(() => parseHubQuery('eventType=Nope', types)).toThrow(/unknown eventType 'Nope'/);
    expect(() => parseHubQuery('status=active', types)).toThrow(/unsupported query clause/);
  });
});
