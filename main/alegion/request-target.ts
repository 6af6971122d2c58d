/**
 * Where a request to a signed storage URL goes, taken from the URL exactly as the API wrote it. A signature covers
 * the path and query as the signer encoded them, and WHATWG URL parsing (what `new URL`, node:http given a URL
 * object, and got all do) rewrites some of them: a `'` in a query becomes `%27`, a `\` in a path becomes `/`, and
 * `/./` or `/../` segments are folded away. The path and query therefore go out byte for byte, as curl sends them;
 * only the scheme, host and port are read through `new URL`.
 */

/** Host, port and the request target (path and query, as written) of a URL, for node:http(s).request. */
interface RequestTarget {
  secure: boolean;
  /** Without the brackets of an IPv6 literal, as node:http wants it. */
  hostname: string;
  port: number | undefined;
  /** Path and query exactly as in the URL (no fragment); `/` when the URL has no path. */
  path: string;
}

/**
 * Bytes that can never appear on an HTTP request line (controls, space, and anything outside ASCII) are
 * percent-encoded as UTF-8, which is also what the WHATWG parser does with them. Every other byte is kept.
 */
function wireSafe(text: string): string {
  return text.replace(/[^\x21-\x7e]/gu, (char) =>
    [...Buffer.from(char, 'utf8')]
      .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
      .join(''),
  );
}

/**
 * The request target of an http(s) URL. Throws a plain Error (never quoting the URL, which is a secret) when the
 * text is not an absolute http or https URL.
 */
export function requestTargetOf(url: string): RequestTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('the storage link is not a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`the storage link has the unsupported scheme ${parsed.protocol}`);
  }
  // After "scheme://", the authority runs to the first "/", "?" or "#"; the target runs from there to any "#".
  // A URL not written that way ("http:host", backslashes) has no written form to keep: the parsed one is used.
  const written = /^[a-z][a-z\d+.-]*:\/\//i.exec(url.trim());
  if (!written) return targetOf(parsed, `${parsed.pathname}${parsed.search}`);
  const rest = url.trim().slice(written[0].length);
  const authorityEnd = rest.search(/[/\\?#]/);
  if (rest[authorityEnd] === '\\') return targetOf(parsed, `${parsed.pathname}${parsed.search}`);
  const tail = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
  const fragment = tail.indexOf('#');
  const target = fragment < 0 ? tail : tail.slice(0, fragment);
  return targetOf(parsed, target === '' ? '/' : target.startsWith('?') ? `/${target}` : target);
}

function targetOf(parsed: URL, path: string): RequestTarget {
  return {
    secure: parsed.protocol === 'https:',
    hostname: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? undefined : Number(parsed.port),
    path: wireSafe(path),
  };
}
