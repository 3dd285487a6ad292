/** TwiML as a tree, so tests assert structure (verbs, attributes, nesting), not strings. */
import { Verb } from '../../sim/twiml';

// One TwiML parser for tests and simulator alike: well-formedness checked, <Response> required.
export { parseTwiml } from '../../sim/twiml';
export type { Verb };

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

/** A team notice about a caller owed a call back: `text`, then how to call them back from the team number (`CALL 0101`). */
export function withCallBack(text: string): string {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return expect.stringMatching(new RegExp(`^${escaped}(: |\\. )CALL \\d{4}$`)) as string;
}
