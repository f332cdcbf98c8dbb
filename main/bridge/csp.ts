// The Content Security Policy shared by the Electron window and browser mode: our own files only.
/** No inline script, no eval, no remote anything; connections only back to where the page came from. */
export const metaContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

/** The header adds what a <meta> policy cannot carry (browsers ignore frame-ancestors there). */
export const contentSecurityPolicy = `${metaContentSecurityPolicy}; frame-ancestors 'none'`;
