/**
 * The desktop renderer's Content-Security-Policy, sent as a header by the `app://` protocol handler (the page also
 * carries it in a meta tag). Scripts come from the app only: no inline script, no eval, no remote code.
 */

/** The origin the renderer is served from. */
export const APP_ORIGIN = 'app://renderer';

/** The policy, one directive per entry. */
const APP_CSP_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  // React sets style attributes; styles cannot run code.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
] as const;

/** The policy as a header value. */
export const APP_CSP = APP_CSP_DIRECTIVES.join('; ');
