import { describe, expect, it } from 'vitest';
import { checkAddress, checkCallbackUrl } from '../../functions/domain/callback-url.ts';
import { hubQueryMatches, parseHubQuery } from '../../functions/domain/hub-query.ts';
import { checkedLookup } from '../../functions/events/outbound.ts';

describe('hub callback URLs', () => {
  it('accepts public https callbacks', () => {
    expect(checkCallbackUrl('https://listener.example.com/tmf/events', false).ok).toBe(true);
    expect(checkCallbackUrl('https://8.8.8.8/hook', false).ok).toBe(true);
    // TEST-NET-3 is documentation space, not the Internet
    expect(checkCallbackUrl('https://203.0.113.10/hook', false).ok).toBe(false);
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
    // IPv6 forms that embed 169.254.169.254 or loopback (NAT64, 6to4, IPv4-compatible), Teredo, benchmarking, reserved, multicast
    'https://[64:ff9b::a9fe:a9fe]/x',
    'https://[2002:a9fe:a9fe::1]/x',
    'https://[::127.0.0.1]/x',
    'https://[2001::1]/x',
    'https://198.18.0.1/x',
    'https://240.0.0.1/x',
    'https://192.0.2.1/x',
    'https://[2001:db8::1]/x',
    'https://224.0.0.1/x',
    'https://255.255.255.255/x',
    'https://user:pw@example.com/x',
    'ftp://listener.example.com/x',
    'not a url',
  ])('refuses %s everywhere', (callback) => {
    expect(checkCallbackUrl(callback, true).ok).toBe(false);
  });

  it('lets the notifier connect to public unicast addresses only, and to loopback where allowed', () => {
    for (const address of ['8.8.8.8', '172.32.0.1', '2606:4700::1111']) expect(checkAddress(address, false).ok, address).toBe(true);
    expect(checkAddress('127.0.0.2', true).ok).toBe(true);
    for (const address of ['127.0.0.2', '169.254.169.254', '64:ff9b::a9fe:a9fe', '::127.0.0.1', '198.18.0.1', 'not an address'])
      expect(checkAddress(address, false).ok, address).toBe(false);
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

describe('the notifier’s checked lookup (no DNS rebinding)', () => {
  type Resolver = NonNullable<Parameters<typeof checkedLookup>[1]>;
  const resolvingTo = (...addresses: string[]): Resolver =>
    ((_host: string, _options: unknown, callback: (error: null, addresses: { address: string; family: number }[]) => void) =>
      callback(
        null,
        addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
      )) as unknown as Resolver;
  const lookUp = (resolver: Resolver, all: boolean) =>
    new Promise<{ error: Error | null; address: unknown }>((resolve) =>
      checkedLookup(false, resolver)('listener.example.com', { all }, (error: Error | null, address: unknown) => resolve({ error, address })),
    );

  it('hands the connection exactly the addresses it checked', async () => {
    expect(await lookUp(resolvingTo('8.8.4.4'), false)).toEqual({ error: null, address: '8.8.4.4' });
    expect((await lookUp(resolvingTo('8.8.4.4', '2606:4700::1111'), true)).address).toEqual([
      { address: '8.8.4.4', family: 4 },
      { address: '2606:4700::1111', family: 6 },
    ]);
  });

  it('refuses a name when any of its addresses is not public, before connecting', async () => {
    for (const inner of ['169.254.169.254', '10.1.2.3', '64:ff9b::a9fe:a9fe', '::1']) {
      const { error } = await lookUp(resolvingTo('8.8.4.4', inner), false);
      expect(error?.message, inner).toMatch(/listener\.example\.com resolves to/);
    }
  });
});
