/** Absolute URLs of our own functions and assets: Twilio rejects relative waitUrls (error 14202). */
export function stepUrl(domain: string, path: string, query: Record<string, string | undefined> = {}): string {
  // Locally twilio-run serves plain HTTP on localhost; deployed, Functions are HTTPS only.
  const local = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(domain);
  const url = new URL(`${local ? 'http' : 'https'}://${domain}${path}`);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, value);
  }
  return url.toString();
}
