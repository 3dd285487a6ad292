/**
 * TwiML as the simulator reads it: a tree of verbs, and the rules Twilio applies to it
 * (which verbs may appear where, and which may nest in which).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface Verb {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: Verb[];
}

/** Where a document runs; each place allows its own verbs (Twilio docs for Enqueue, Number, MessagingResponse). */
export type TwimlContext = 'call' | 'wait' | 'conference-wait' | 'screen' | 'messaging' | 'ignored';

const ALLOWED: Record<TwimlContext, ReadonlySet<string>> = {
  call: new Set(['Say', 'Play', 'Pause', 'Gather', 'Record', 'Dial', 'Enqueue', 'Redirect', 'Hangup', 'Reject']),
  // waitUrl documents: "Play, Say, Pause, Hangup, Redirect, Leave, Gather" (Enqueue docs).
  wait: new Set(['Say', 'Play', 'Pause', 'Gather', 'Hangup', 'Redirect', 'Leave']),
  // A <Conference waitUrl> document: "can only contain Say, Play, Pause, and Redirect" (twilio.com/docs/errors/13238).
  'conference-wait': new Set(['Say', 'Play', 'Pause', 'Redirect']),
  // <Number url>: runs on the called person's leg before the bridge; "Play, Say, Gather, Hangup".
  screen: new Set(['Say', 'Play', 'Gather', 'Hangup']),
  messaging: new Set(['Message', 'Redirect']),
  // Answers Twilio does not act on (status callbacks, an action after the caller hung up): any verb parses.
  ignored: new Set(['Say', 'Play', 'Pause', 'Gather', 'Record', 'Dial', 'Enqueue', 'Redirect', 'Hangup', 'Reject', 'Leave', 'Message']),
};

const NESTED: Record<string, ReadonlySet<string>> = {
  Gather: new Set(['Say', 'Play', 'Pause']),
  Dial: new Set(['Number', 'Client', 'Sip', 'Queue', 'Conference']),
  Message: new Set(['Body', 'Media']),
  Say: new Set([]),
  Play: new Set([]),
  Pause: new Set([]),
  Record: new Set([]),
  Enqueue: new Set([]),
  Redirect: new Set([]),
  Hangup: new Set([]),
  Reject: new Set([]),
  Leave: new Set([]),
  Number: new Set([]),
  Conference: new Set([]),
  Body: new Set([]),
};

/** Attributes holding a URL Twilio will fetch: they must be absolute (error 14202 for waitUrl). */
const URL_ATTRIBUTES = ['action', 'waitUrl', 'url', 'recordingStatusCallback', 'transcribeCallback', 'statusCallback'];

const parser = new XMLParser({
  preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false, trimValues: false,
});

type XmlNode = Record<string, unknown>;

export function parseTwiml(xml: string): Verb {
  // The parser alone accepts broken XML; its validator is deprecated in favour of a package we do not have.
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${valid.err.msg}`);
  const nodes = parser.parse(xml) as XmlNode[];
  const root = nodes.map(toVerb).find((v): v is Verb => v !== undefined);
  if (root?.name !== 'Response') throw new Error('the root element is not <Response>');
  return root;
}

function toVerb(node: XmlNode): Verb | undefined {
  const name = Object.keys(node).find((k) => k !== ':@' && k !== '#text');
  if (name === undefined || name === '?xml') return undefined;
  const children = (node[name] as XmlNode[] | undefined) ?? [];
  const attrs = (node[':@'] as Record<string, string> | undefined) ?? {};
  const text = children.map((c) => (typeof c['#text'] === 'string' ? c['#text'] : '')).join('');
  return { name, attrs, text, children: children.map(toVerb).filter((v): v is Verb => v !== undefined) };
}

/** Every rule this document breaks in its context; empty when Twilio would run it as intended. */
export function twimlProblems(root: Verb, context: TwimlContext, ownOrigin: string): string[] {
  const problems: string[] = [];
  for (const verb of root.children) {
    if (!ALLOWED[context].has(verb.name)) problems.push(`<${verb.name}> is not allowed in a ${context} document`);
    problems.push(...verbProblems(verb, ownOrigin));
  }
  return problems;
}

function verbProblems(verb: Verb, ownOrigin: string): string[] {
  const problems: string[] = [];
  const nested = NESTED[verb.name];
  if (nested === undefined) problems.push(`unknown verb <${verb.name}>`);
  for (const child of verb.children) {
    if (nested !== undefined && !nested.has(child.name)) problems.push(`<${child.name}> cannot be nested in <${verb.name}>`);
    problems.push(...verbProblems(child, ownOrigin));
  }
  const urls = URL_ATTRIBUTES.map((a) => verb.attrs[a]).filter((u): u is string => u !== undefined);
  if (verb.name === 'Redirect' || verb.name === 'Play') urls.push(verb.text.trim());
  for (const url of urls) {
    if (!/^https?:\/\//.test(url)) problems.push(`<${verb.name}> has a relative or empty URL ${JSON.stringify(url)}`);
    else if (!url.startsWith(ownOrigin)) problems.push(`<${verb.name}> points outside our functions: ${url}`);
  }
  for (const method of [verb.attrs.method, verb.attrs.waitUrlMethod]) {
    if (method !== undefined && method !== 'GET' && method !== 'POST') problems.push(`<${verb.name}> has method ${method}`);
  }
  if ((verb.name === 'Say' || verb.name === 'Enqueue') && verb.text.trim() === '') problems.push(`<${verb.name}> is empty`);
  if (verb.name === 'Number' && !/^\+[1-9]\d{7,14}$/.test(verb.text.trim())) problems.push(`<Number> is not E.164: ${verb.text}`);
  if (verb.name === 'Message' && verb.text.trim() === '' && verb.children.every((c) => c.name !== 'Body')) {
    problems.push('<Message> has no body');
  }
  return problems;
}
