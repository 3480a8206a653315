/**
 * The one way the server makes HTTP requests on a user's behalf (model endpoints today; a judge and "try on
 * models" later). Before connecting it resolves the host (every address) and checks each against the address
 * policy; the connection then goes to those checked addresses, with no second DNS lookup in between (a name
 * that resolves to a public address when checked and to 127.0.0.1 when connecting cannot slip through).
 * Redirects are never followed. Failures carry no detail that could tell an open port from a closed one.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { addressAllowed } from './address-policy.ts';

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface OutboundOptions {
  /** Allow loopback and private networks (CS_OUTBOUND_ALLOW_PRIVATE=1); link-local/metadata stay denied. */
  allowPrivate?: boolean;
  /** Resolves a host name to all its addresses (default node:dns lookup); tests give names their own answers. */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
  /** Largest response body read (default 8 MiB); a longer one fails as `too-large`. */
  maxBodyBytes?: number;
}

/**
 * Why a request got no usable answer: `not-allowed` (an address the policy refuses, decided before any
 * connection), `unreachable` (DNS failure, no connection, reset, timeout, or a redirect), `too-large`.
 */
export class OutboundError extends Error {
  constructor(readonly reason: 'not-allowed' | 'unreachable' | 'too-large') {
    super(reason);
    this.name = 'OutboundError';
  }
}

export interface OutboundRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface OutboundResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function createOutboundClient(options: OutboundOptions = {}) {
  const allowPrivate = options.allowPrivate ?? false;
  const resolve = options.resolve ?? ((host: string) => dnsLookup(host, { all: true, verbatim: true }));
  const maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
  // Keep-alive pools: a pooled socket was opened to an address checked when it was opened.
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  /** The URL's addresses, every one allowed by the policy, or an OutboundError. */
  async function checkedAddresses(url: URL): Promise<ResolvedAddress[]> {
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
      throw new OutboundError('not-allowed');
    }
    // WHATWG URL has already turned 0x7f000001, 2130706433 and 0177.0.0.1 into 127.0.0.1.
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    let found: ResolvedAddress[];
    if (isIP(host)) found = [{ address: host, family: isIP(host) }];
    else {
      try {
        found = await resolve(host);
      } catch {
        throw new OutboundError('unreachable');
      }
    }
    if (found.length === 0) throw new OutboundError('unreachable');
    if (!found.every((a) => addressAllowed(a.address, allowPrivate))) throw new OutboundError('not-allowed');
    return found;
  }

  function send(url: URL, addresses: ResolvedAddress[], req: OutboundRequest): Promise<OutboundResponse> {
    // Hands the connection the addresses already checked instead of asking DNS again.
    const pinned: LookupFunction = (_host, opts, callback) => {
      if (opts.all) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    };
    const secure = url.protocol === 'https:';
    return new Promise((settle, fail) => {
      const unreachable = () => fail(new OutboundError('unreachable'));
      const request = (secure ? https : http).request(
        url,
        {
          method: req.method,
          headers: req.headers,
          agent: secure ? agents.https : agents.http,
          lookup: pinned,
          signal: AbortSignal.timeout(req.timeoutMs),
        },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status >= 300 && status < 400) {
            // Never followed: the target could be anything, the policy checked only this address.
            res.destroy();
            unreachable();
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBodyBytes) {
              res.destroy();
              fail(new OutboundError('too-large'));
            } else chunks.push(chunk);
          });
          res.on('end', () =>
            settle({ status, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', unreachable);
          res.on('close', () => {
            if (!res.complete) unreachable();
          });
        },
      );
      request.on('error', unreachable);
      request.end(req.body);
    });
  }

  return {
    /**
     * Resolves and checks the URL's host without connecting (a quick refusal before long work); returns the
     * checked addresses, which a job thread can be given as its `resolve` answer (no second lookup).
     */
    check: (url: URL): Promise<ResolvedAddress[]> => checkedAddresses(url),
    /** One request to a checked address; any 3xx, connection failure or timeout is `unreachable`. */
    async request(url: URL, req: OutboundRequest): Promise<OutboundResponse> {
      return send(url, await checkedAddresses(url), req);
    },
  };
}
export type OutboundClient = ReturnType<typeof createOutboundClient>;
