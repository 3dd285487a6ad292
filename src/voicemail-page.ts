/**
 * The voicemail page a member opens from their notice: small, for a phone, no script at all.
 * Every answer of the two public routes (/vm, /vm-audio) is built here: the page, the confirm and deleted
 * pages, and the one 404 every miss gets. Whoever asks is assumed hostile: every value shown is escaped,
 * the Content-Security-Policy allows nothing but our own audio and this page's own style, nothing is
 * cached by shared caches, and no Referer leaves the page (its URL holds the token).
 */
import { createHash } from 'node:crypto';
import { formatDuration } from './messages';
import type { Voicemail } from './store';

export interface PageAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** The page path and the audio path; the page path is short because it is in every notice. */
export const PAGE_PATH = '/vm';
export const AUDIO_PATH = '/vm-audio';
/** The only built functions meant to be public (a member's browser opens them); every other one is .protected. */
export const PUBLIC_FUNCTION_FILES: readonly string[] = [`${PAGE_PATH.slice(1)}.js`, `${AUDIO_PATH.slice(1)}.js`];

const STYLE = [
  'body{font:16px/1.4 system-ui,sans-serif;margin:0;padding:16px;color:#111;background:#fff;max-width:40em}',
  'h1{font-size:1.3em;margin:0 0 4px}h2{font-size:1em;margin:20px 0 4px}',
  '.number a{font-size:1.2em}dl{display:grid;grid-template-columns:auto 1fr;gap:2px 12px;margin:12px 0}',
  'dt{color:#555}dd{margin:0}audio{width:100%;margin:8px 0}.muted{color:#555}',
  'button{font:inherit;padding:8px 14px;margin-top:20px}ul{margin:0;padding-left:1.2em}',
].join('');
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

const SHARED_HEADERS: Record<string, string> = {
  // Only this response's owner may keep it; no shared cache, no back-forward copy of a deleted voicemail.
  'Cache-Control': 'private, no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Robots-Tag': 'noindex, nofollow',
  'X-Frame-Options': 'DENY',
};

const PAGE_HEADERS: Record<string, string> = {
  ...SHARED_HEADERS,
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy':
    `default-src 'none'; media-src 'self'; style-src 'sha256-${STYLE_HASH}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
};

/** The one answer to every miss: wrong, altered, expired, revoked or missing token, or a voicemail that is gone. */
export function notFound(): PageAnswer {
  return { status: 404, headers: { ...SHARED_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }, body: 'Not found\n' };
}

/** Twilio did not answer (Sync, the recording): nothing about the voicemail, just try again. */
export function unavailable(): PageAnswer {
  return { status: 503, headers: { ...SHARED_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '10' }, body: 'Temporarily unavailable, please try again.\n' };
}

export function audioAnswer(bytes: Buffer, contentType: string): PageAnswer {
  return {
    status: 200,
    headers: { ...SHARED_HEADERS, 'Content-Type': contentType, 'Content-Length': String(bytes.length), 'Content-Security-Policy': "default-src 'none'" },
    body: bytes,
  };
}

export interface PageView {
  voicemail: Voicemail;
  /** The token the page was opened with: the audio and the forms carry it on. */
  token: string;
  timeZone: string;
}

export function voicemailPage(view: PageView): PageAnswer {
  const { record, transcript } = view.voicemail;
  const t = encodeURIComponent(view.token);
  const rows: [string, string][] = [
    ...(record.place === '' ? [] : [['From', escapeHtml(record.place)] as [string, string]]),
    ['Called', escapeHtml(formatTime(record.calledAt ?? record.recordedAt, view.timeZone))],
    ...(record.waitedSeconds === undefined ? [] : [['Waited', escapeHtml(formatDuration(record.waitedSeconds))] as [string, string]]),
    ['Message', escapeHtml(formatDuration(record.seconds))],
  ];
  const opened = record.opened.map((o) => `<li>${escapeHtml(o.name)}, ${escapeHtml(formatTime(o.at, view.timeZone))}</li>`).join('');
  const body = [
    `<h1>${record.name === undefined ? 'Voicemail' : `Voicemail from ${escapeHtml(record.name)}`}</h1>`,
    record.number === undefined
      ? '<p class="number muted">Number withheld</p>'
      : `<p class="number"><a href="tel:${escapeHtml(record.number)}">${escapeHtml(record.number)}</a></p>`,
    `<dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`,
    `<audio id="message" controls preload="metadata" src="${AUDIO_PATH}?t=${t}"></audio>`,
    '<h2>Transcript</h2>',
    transcript === undefined || transcript.trim() === ''
      ? '<p id="transcript" class="muted">No transcript (yet): it shows here once Twilio sends one. Reload to check.</p>'
      : `<p id="transcript">${escapeHtml(transcript)}</p>`,
    '<h2>Opened by</h2>',
    `<ul id="opened">${opened}</ul>`,
    // The member whose link this is: Twilio rings their phone from the team number, as their CALL text would.
    ...(record.number === undefined ? [] : [form(view.token, 'call-back', 'Call back from the team number')]),
    form(view.token, 'confirm-delete', 'Delete voicemail…'),
  ];
  return page('Voicemail', body.join('\n'));
}

export function confirmDeletePage(token: string): PageAnswer {
  return page('Delete voicemail?', [
    '<h1>Delete this voicemail?</h1>',
    '<p>The recording is deleted from Twilio for the whole team, and every link to it stops working.</p>',
    form(token, 'delete', 'Yes, delete it'),
    `<p><a href="${PAGE_PATH}?t=${encodeURIComponent(token)}">No, keep it</a></p>`,
  ].join('\n'));
}

/** What the Call back button did: the reply a CALL text would have got, and the way back to the voicemail. */
export function callBackPage(token: string, reply: string): PageAnswer {
  return page('Call back', [
    '<h1>Call back</h1>',
    `<p id="call-back">${escapeHtml(reply)}</p>`,
    `<p><a href="${PAGE_PATH}?t=${encodeURIComponent(token)}">Back to the voicemail</a></p>`,
  ].join('\n'));
}

export function deletedPage(): PageAnswer {
  return page('Voicemail deleted', '<h1>Voicemail deleted</h1>\n<p>The recording is gone and its links open nothing now.</p>');
}

function form(token: string, action: string, label: string): string {
  return `<form method="post" action="${PAGE_PATH}"><input type="hidden" name="t" value="${escapeHtml(token)}">`
    + `<input type="hidden" name="do" value="${action}"><button type="submit">${escapeHtml(label)}</button></form>`;
}

function page(title: string, body: string): PageAnswer {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>
${body}
</main></body></html>
`;
  return { status: 200, headers: PAGE_HEADERS, body: html };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** "Mon, Jan 5, 2026, 9:00 AM EST" in the team's zone; an unreadable time says so rather than failing the page. */
export function formatTime(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return 'unknown time';
  return new Intl.DateTimeFormat('en-US', {
    timeZone, weekday: 'short', month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short',
  }).format(date);
}
