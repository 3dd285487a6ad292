/**
 * Customers who text the team number, and how a member's phone answers their forwarded texts.
 * Self-contained beside phones.ts: a customer is a Phone added to the simulation, and texts in
 * through the simulator's ordinary text() path, as any phone does.
 * The patterns follow the wording in src/inbox-text.ts; a change there shows up here as a failing check.
 */
import { Phone, TextRule } from './phones';

export class CustomerPhone extends Phone {}

/** A forwarded customer text: `Text T0103 from …: "…" Reply R T0103 + answer.` */
export function isCustomerText(body: string): boolean {
  return /^Text T\d{4} from .*Reply [A-Z]+ T\d{4} \+ answer\.$/s.test(body);
}

/** The reference a forwarded customer text asks to answer with. */
export function customerReferenceIn(body: string): string | undefined {
  return /Reply [A-Z]+ (T\d{4}) \+ answer\.$/.exec(body)?.[1];
}

/** The words of a forwarded customer text, as the customer sent them. */
export function customerWordsIn(body: string): string | undefined {
  return /^Text T\d{4} from [^:]*: "([\s\S]*)"(?: \+\d+ [a-z ]+)* Reply /.exec(body)?.[1];
}

export function isHeldSummary(body: string): boolean {
  return / keeps texting: \d+ forwarded this hour/.test(body);
}

/** A member who answers each forwarded customer text with `R <ref> <message>` after `afterSeconds`. */
export function answersCustomerTexts(message: string | ((body: string) => string), afterSeconds: number): TextRule {
  return (text) => {
    const reference = isCustomerText(text.body) ? customerReferenceIn(text.body) : undefined;
    if (reference === undefined) return undefined;
    const words = typeof message === 'string' ? message : message(text.body);
    return { afterSeconds, body: `R ${reference} ${words}` };
  };
}
