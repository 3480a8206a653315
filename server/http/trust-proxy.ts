import ipaddr from 'ipaddr.js';

/**
 * Express's `trust proxy`: false (trust no proxy; the client address is the socket's), a hop count,
 * or the proxies to trust by name (`loopback`, `linklocal`, `uniquelocal`), address or CIDR range.
 */
export type TrustProxy = false | number | string[];

const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

const isAddress = (s: string) => ipaddr.IPv4.isValidFourPartDecimal(s) || ipaddr.IPv6.isValid(s);

/** An address, or an address and a prefix length of 1 up to 32 (IPv4) or 128 (IPv6), as proxy-addr takes it. */
function isAddressOrRange(entry: string): boolean {
  const slash = entry.lastIndexOf('/');
  if (slash === -1) return isAddress(entry);
  const address = entry.slice(0, slash);
  const bits = entry.slice(slash + 1);
  if (!isAddress(address) || !/^\d{1,3}$/.test(bits)) return false;
  const max = ipaddr.IPv4.isValidFourPartDecimal(address) ? 32 : 128;
  return Number(bits) >= 1 && Number(bits) <= max;
}

export type TrustProxyParse = { ok: true; value: TrustProxy } | { ok: false; message: string };

/** Reads CS_TRUST_PROXY: unset, empty or `false` trusts no proxy. */
export function parseTrustProxy(raw: string | undefined): TrustProxyParse {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'false') return { ok: true, value: false };
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (!Number.isSafeInteger(hops)) return { ok: false, message: `hop count ${value} is too large` };
    return { ok: true, value: hops === 0 ? false : hops };
  }
  if (value === 'true') {
    return {
      ok: false,
      message:
        '"true" would believe any client\'s X-Forwarded-For, so anyone could choose their address; ' +
        'give the number of proxies in front of the server (e.g. 1) or their addresses',
    };
  }
  const entries = value.split(',').map((e) => e.trim());
  for (const entry of entries) {
    if (!RANGE_NAMES.has(entry) && !isAddressOrRange(entry)) {
      return {
        ok: false,
        message:
          `"${entry}" is not a hop count, loopback, linklocal, uniquelocal, an IP address or a CIDR range ` +
          '(e.g. 1, or loopback, or 10.0.0.0/8,192.168.1.7)',
      };
    }
  }
  return { ok: true, value: entries };
}
