/** TwiML as a tree, so tests assert structure (verbs, attributes, nesting), not strings. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface Verb {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: Verb[];
}

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false, trimValues: false });

type Node = Record<string, unknown>;

export function parseTwiml(xml: string): Verb {
  // Deprecated upstream in favour of a separate package; this one is already here and still validates.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`invalid XML: ${valid.err.msg}\n${xml}`);
  const nodes = parser.parse(xml) as Node[];
  const root = nodes.map(toVerb).find((v): v is Verb => v !== undefined && v.name === 'Response');
  if (root === undefined) throw new Error(`no <Response> in ${xml}`);
  return root;
}

function toVerb(node: Node): Verb | undefined {
  const name = Object.keys(node).find((k) => k !== ':@' && k !== '#text');
  if (name === undefined || name === '?xml') return undefined;
  const children = (node[name] as Node[] | undefined) ?? [];
  const attrs = (node[':@'] as Record<string, string> | undefined) ?? {};
  const text = children.map((c) => (typeof c['#text'] === 'string' ? c['#text'] : '')).join('');
  return { name, attrs, text, children: children.map(toVerb).filter((v): v is Verb => v !== undefined) };
}

/** The verbs at the top of the response, by name: ['Say', 'Enqueue']. */
export function verbNames(verb: Verb): string[] {
  return verb.children.map((c) => c.name);
}

/** Every verb in the tree with this name, depth first. */
export function findAll(verb: Verb, name: string): Verb[] {
  return [...(verb.name === name ? [verb] : []), ...verb.children.flatMap((c) => findAll(c, name))];
}

export function find(verb: Verb, name: string): Verb {
  const found = findAll(verb, name)[0];
  if (found === undefined) throw new Error(`no <${name}> in the response`);
  return found;
}

/** Everything the caller or member would hear said, in order. */
export function spoken(verb: Verb): string {
  return findAll(verb, 'Say').map((s) => s.text).join(' ');
}
