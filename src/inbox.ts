/**
 * The shared inbox: a text to the team number from anyone not on the team is a customer's, and reaches
 * every available member; a member answers with `R T0103 …` and the customer gets it from the team number.
 * The decisions (references, wording, parsing) are in inbox-text.ts; the state in inbox-store.ts.
 *
 * REST round trips do not grow with the team: the team is texted as TwiML <Message to> in the webhook's own
 * answer (no REST request), or, with a Messaging Service, in one parallel round of sends.
 */
import { usableName } from './caller';
import { currentHours } from './hours';
import { Member } from './config';
import { logError, logInfo } from './log';
import { maskNumber, toE164 } from './phone';
import { messagingResponse, MessagingResponse, Step } from './step';
import { SYNC_READ_MS, textMembers, within } from './team';
import { describeFailure, failureKind, failureOf } from './twilio-api';
import { replies } from './messages';
import { numberParam, param, WebhookEvent } from './webhook';
import {
  answeredNotice, customerLabel, forwardText, heldSummary, inboxReplies, mediaLabel, optedOutNotice, ReplyCommand,
  reservedWord, textReference, unansweredList,
} from './inbox-text';
import { Conversation, DAY, HOUR, InboxStore } from './inbox-store';

/** Another customer holding each candidate reference this many times in a row is all but impossible. */
const REFERENCE_ATTEMPTS = 8;
const LOOKUP_MS = 1500;
const OPTED_OUT = 21610;

function inboxOf(step: Step): InboxStore {
  return new InboxStore(step.client, step.config);
}

/** A text from someone not on the team. */
export async function customerText(step: Step, event: WebhookEvent): Promise<MessagingResponse> {
  const response = messagingResponse();
  const number = toE164(param(event, 'From'));
  // A withheld sender, a short code or an alphanumeric sender (not E.164), or our own number: nobody to answer.
  if (number === null || number === step.config.twilioNumber) {
    logInfo(step.name, `text from ${number === null ? 'a sender that is not a phone number' : 'our own number'} ignored`);
    return response;
  }
  const body = (param(event, 'Body') ?? '').trim();
  const reserved = reservedWord(body);
  if (reserved === 'help') return response; // Twilio answered it; the team has nothing to do.
  const inbox = inboxOf(step);

  const [team, existing] = await Promise.all([
    within(step, 'team state', SYNC_READ_MS, step.store.teamState(), { paused: new Set<string>(), override: undefined }),
    within(step, 'customer conversation', SYNC_READ_MS, inbox.conversationOf(number), undefined),
  ]);
  const available = step.config.members.filter((m) => !team.paused.has(m.number));

  if (reserved !== undefined) {
    await optOutOrIn(step, response, inbox, reserved, number, existing, available);
    // "Yes" is also Twilio's opt-in word, but from a customer it is most likely an answer to a member's question:
    // the team sees it. STOP, START and the rest are Twilio's alone.
    if (!(reserved === 'opt-in' && /^yes\b/i.test(body))) return response;
  }

  const fresh = existing === undefined;
  const conversation = existing ?? await newConversation(step, inbox, number);
  const who = customerLabel(number, conversation?.name);
  if (conversation === undefined) {
    // Sync could not give them a reference: the text still reaches the team, who can call them back.
    logError(step.name, `no reference for customer ${maskNumber(number)}; forwarding without one`);
    await toMembers(step, response, available, `Text from ${number} (no reference could be made, so R cannot answer it): "${body}"`);
    return response;
  }
  const { reference } = conversation;
  // Media is named ("+1 photo"), never linked: a raw MediaUrl would open for anyone holding it. Opening it the
  // same private way as voicemails is for when the voicemail page exists (follow-up: link it from there).
  const media = mediaLabel(mediaTypes(event));
  const sid = param(event, 'MessageSid') ?? `at-${Date.now()}`;
  // While the phone is closed (business hours, or a member's CLOSED), TEXT_CLOSED_REPLY when set; each once a day.
  const closed = step.config.textClosedReply !== '' && !currentHours(step.config, Date.now(), team.override).open;
  const autoReply = closed ? step.config.textClosedReply : step.config.textAutoReply;

  const [limited, owner, autoClaimed, , kept] = await Promise.all([
    forwardSlot(step, inbox, reference),
    // A new conversation has no owner yet; its link from the number is made alongside (see newConversation).
    fresh ? inbox.openConversation(conversation).then(() => undefined, (error: unknown) => {
      logError(step.name, `linking customer ${reference} to their number failed (${describeFailure(error)})`);
      return undefined;
    }) : within(step, 'owner', SYNC_READ_MS, inbox.ownerOf(reference), undefined),
    autoReply === '' ? Promise.resolve(false) : inbox.claim(`${closed ? 'auto-closed' : 'auto'}-${number}`, DAY).catch(() => false),
    inbox.setLatestText(reference, { at: Date.now(), who }, fresh).catch((error: unknown) => {
      logError(step.name, `filing text ${reference} for STATUS failed (${describeFailure(error)})`);
    }),
    inbox.keep(reference, sid, { from: number, body, media, at: Date.now() }).then(() => true, (error: unknown) => {
      logError(step.name, `keeping text ${reference} failed (${describeFailure(error)})`);
      return false;
    }),
  ]);
  if (autoClaimed) response.message(autoReply);
  // A text over the limit that could not be kept either is forwarded after all: nothing a customer sends is lost.
  const slot = limited === 'held' && !kept ? 'forward' : limited;

  if (slot === 'forward') {
    await toMembers(step, response, available, forwardText({ reference, who, body, media, ...(owner === undefined ? {} : { owner }) }, step.config.keywords));
    logInfo(step.name, `customer text ${reference} forwarded to ${available.length} member(s)`);
  } else if (slot === 'summary') {
    await toMembers(step, response, available, heldSummary(reference, who, step.config.textForwardLimit, step.config.keywords));
    logInfo(step.name, `customer ${reference} is over ${step.config.textForwardLimit} texts this hour; the team is told once, later texts are kept`);
  } else {
    logInfo(step.name, `customer text ${reference} kept for STATUS, not forwarded (over the hourly limit)`);
  }
  return response;
}

/** A member's `R …`. */
export async function answerCustomer(step: Step, member: Member, command: ReplyCommand): Promise<MessagingResponse> {
  const response = messagingResponse();
  const { keywords } = step.config;
  if (command.kind === 'no-reference') {
    response.message(inboxReplies.noReference(keywords));
    return response;
  }
  const inbox = inboxOf(step);
  const [number, paused] = await Promise.all([
    inbox.numberOf(command.reference),
    within(step, 'paused members', SYNC_READ_MS, step.store.pausedMembers(), new Set<string>()),
  ]);
  if (number === undefined) {
    response.message(inboxReplies.unknownReference(command.reference, keywords));
    return response;
  }
  if (command.kind === 'empty') {
    response.message(inboxReplies.empty(command.reference, keywords));
    return response;
  }
  const { reference, message } = command;
  const { messagingServiceSid, twilioNumber } = step.config;
  const sender = messagingServiceSid === undefined ? { from: twilioNumber } : { messagingServiceSid };
  const [sent, conversation] = await Promise.allSettled([
    step.client.messages.create({ to: number, ...sender, body: message }),
    within(step, 'customer conversation', SYNC_READ_MS, inbox.conversationOf(number), undefined),
  ]);
  const who = customerLabel(number, conversation.status === 'fulfilled' ? conversation.value?.name : undefined);
  if (sent.status === 'rejected') {
    const optedOut = failureOf(sent.reason).code === OPTED_OUT;
    logError(step.name, `answer to customer ${reference} not sent (${describeFailure(sent.reason)})`);
    response.message(optedOut ? inboxReplies.optedOut(reference, who) : replies.tryAgain(failureKind(sent.reason)));
    return response;
  }
  const now = Date.now();
  await Promise.all([
    inbox.claimOwner(reference, member.name).catch((error: unknown) => {
      logError(step.name, `owner of ${reference} not recorded (${describeFailure(error)})`);
    }),
    inbox.setAnswered(reference, now).catch((error: unknown) => {
      logError(step.name, `answer to ${reference} not marked in STATUS (${describeFailure(error)})`);
    }),
    inbox.keep(reference, sent.value.sid, { member: member.name, body: message, at: now }).catch((error: unknown) => {
      logError(step.name, `keeping the answer to ${reference} failed (${describeFailure(error)})`);
    }),
  ]);
  logInfo(step.name, `${member.name} answered customer ${reference}`);
  response.message(inboxReplies.sent(reference, who));
  const others = step.config.members.filter((m) => m.number !== member.number && !paused.has(m.number));
  await toMembers(step, response, others, answeredNotice(member.name, reference, who, message));
  return response;
}

/** STATUS's line of customer texts not yet answered, or undefined (none, or Sync did not answer in time). */
export async function unansweredTexts(step: Step): Promise<string | undefined> {
  const overview = await within(step, 'unanswered texts', SYNC_READ_MS, inboxOf(step).overview(), undefined);
  if (overview === undefined) return undefined;
  const now = Date.now();
  const open = [...overview.latest].filter(([reference, latest]) => latest.at > (overview.answeredAt.get(reference) ?? 0));
  return unansweredList(open.map(([reference, latest]) => {
    const owner = overview.owners.get(reference);
    return { reference, who: latest.who, ageSeconds: (now - latest.at) / 1000, ...(owner === undefined ? {} : { owner }) };
  }), step.config.keywords);
}

/**
 * The team hears of it by TwiML <Message to> in this very answer (no REST request), or through the Messaging
 * Service (its sender pool) when one is configured, all members in one parallel round.
 */
async function toMembers(step: Step, response: MessagingResponse, members: readonly Member[], body: string): Promise<void> {
  if (members.length === 0) return;
  if (step.config.messagingServiceSid === undefined) {
    for (const member of members) response.message({ to: member.number }, body);
    return;
  }
  await textMembers(step, members, body, 'a customer text');
}

/**
 * A new customer: a reference of their own (first free candidate) and, when enabled, their name from Lookup.
 * The number's link to it is written by the caller alongside the next round: two first texts racing compute the
 * same candidates from the number, so they arrive at the same reference and either link is the same.
 */
async function newConversation(step: Step, inbox: InboxStore, number: string): Promise<Conversation | undefined> {
  const findReference = async (): Promise<string | undefined> => {
    for (let attempt = 0; attempt < REFERENCE_ATTEMPTS; attempt += 1) {
      const candidate = textReference(number, attempt);
      if (await inbox.claimReference(candidate, number)) return candidate;
    }
    return undefined;
  };
  try {
    const [reference, name] = await Promise.all([findReference(), lookupName(step, number)]);
    if (reference === undefined) return undefined;
    return { reference, number, ...(name === undefined ? {} : { name }) };
  } catch (error) {
    logError(step.name, `opening a conversation failed (${describeFailure(error)})`);
    return undefined;
  }
}

async function lookupName(step: Step, number: string): Promise<string | undefined> {
  if (!step.config.callerNameLookup) return undefined;
  const lookup = step.client.lookups.v2.phoneNumbers(number).fetch({ fields: 'caller_name' }).then((result) => {
    // twilio 6 gives { callerName, … }; older clients gave { caller_name, … }.
    const info = result.callerName as unknown as Record<string, unknown> | null;
    const value = info?.callerName ?? info?.caller_name;
    return typeof value === 'string' ? value : undefined;
  });
  return usableName(await within(step, 'customer-name lookup', LOOKUP_MS, lookup, undefined), number);
}

/**
 * One of the hour's forwarding slots (first-wins creates that expire an hour later, so the limit is per any
 * 60 minutes), else the hour's one summary, else nothing: the text is kept for STATUS. If Sync fails, the
 * text is forwarded: a customer reaching the team matters more than the limit.
 */
async function forwardSlot(step: Step, inbox: InboxStore, reference: string): Promise<'forward' | 'summary' | 'held'> {
  try {
    for (let slot = 1; slot <= step.config.textForwardLimit; slot += 1) {
      if (await inbox.claim(`fwd-${reference}-${slot}`, HOUR)) return 'forward';
    }
    return await inbox.claim(`sum-${reference}`, HOUR) ? 'summary' : 'held';
  } catch (error) {
    logError(step.name, `forwarding limit for ${reference} unknown (${describeFailure(error)}); forwarding`);
    return 'forward';
  }
}

/**
 * STOP and the like are Twilio's: it answers them and blocks our sends. The team is told once that the customer
 * opted out (a claim kept until they opt back in), and nothing else is said to anyone. Nothing is answered here.
 */
async function optOutOrIn(
  step: Step, response: MessagingResponse, inbox: InboxStore, kind: 'opt-out' | 'opt-in', number: string,
  conversation: Conversation | undefined, available: readonly Member[],
): Promise<void> {
  const key = `optout-${number}`;
  try {
    if (kind === 'opt-in') {
      await inbox.release(key);
      return;
    }
    if (await inbox.claim(key, 30 * DAY)) {
      await toMembers(step, response, available, optedOutNotice(customerLabel(number, conversation?.name), conversation?.reference));
      logInfo(step.name, `customer ${maskNumber(number)} opted out; the team is told`);
    }
  } catch (error) {
    logError(step.name, `customer ${maskNumber(number)} texted an opt-${kind === 'opt-in' ? 'in' : 'out'} word; not recorded (${describeFailure(error)})`);
  }
}

function mediaTypes(event: WebhookEvent): string[] {
  const count = Math.min(10, Math.max(0, Math.floor(numberParam(event, 'NumMedia') ?? 0)));
  return Array.from({ length: count }, (_, i) => param(event, `MediaContentType${i}`) ?? 'application/octet-stream');
}
