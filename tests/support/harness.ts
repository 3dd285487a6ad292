/**
 * Calling our functions as Twilio would: the handler gets a context built from an environment
 * and Twilio's webhook parameters, and its REST requests go to a stand-in on loopback
 * through the twilio client's own request hook (sim/twilio-loopback.cjs).
 */
import type { ServerlessFunctionSignature } from '@twilio-labs/serverless-runtime-types/types';
import { routeTwilioTo } from '../../sim/twilio-loopback.cjs';
import { TwilioStandIn } from '../../sim/standin';
import { parseTwiml, Verb } from './twiml';

export const ACCOUNT_SID = `AC${'1'.repeat(32)}`;
export const AUTH_TOKEN = 'a'.repeat(32);
export const TWILIO_NUMBER = '+15550000000';
export const ANN = { name: 'Ann', number: '+15551230001' };
export const BOB = { name: 'Bob', number: '+15551230002' };
export const CARA = { name: 'Cara', number: '+15551230003' };
export const DOMAIN = 'pull-phone-1234-dev.twil.io';

export const ENV: Record<string, string> = {
  ACCOUNT_SID,
  AUTH_TOKEN,
  TWILIO_PHONE_NUMBER: TWILIO_NUMBER,
  TEAM_MEMBERS: `${ANN.name}:${ANN.number},${BOB.name}:${BOB.number}`,
  QUEUE_NAME: 'pull-phone',
};

/**
 * The stand-in, with the number wired to our functions as `npm run setup` leaves it (OFF/ON publish who paused to
 * its voice URL); `wired: false` for tests that set up the account's numbers themselves.
 */
export async function startTwilio(latencyMs = 0, { wired = true }: { wired?: boolean } = {}): Promise<TwilioStandIn> {
  const twilio = new TwilioStandIn({
    accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, latencyMs,
    ...(wired ? { wiredNumber: { phoneNumber: TWILIO_NUMBER, voiceUrl: `https://${DOMAIN}/incoming-call` } } : {}),
  });
  routeTwilioTo(await twilio.start());
  return twilio;
}

// Handlers are typed for their own event shapes; the harness passes plain webhook parameters.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any handler signature is accepted here
type AnyHandler = ServerlessFunctionSignature<any, any>;

export interface Answer {
  xml: string;
  twiml: Verb;
}

/** Invoke a handler as Twilio Functions would, bounded in time like Twilio's 15 s webhook limit. */
export function invoke(handler: AnyHandler, params: Record<string, unknown>, env: Record<string, string> = ENV): Promise<Answer> {
  const context = { ...env, DOMAIN_NAME: DOMAIN, PATH: '/usr/bin', SERVICE_SID: undefined, ENVIRONMENT_SID: undefined, getTwilioClient: () => { throw new Error('Pull Phone builds its own client'); } };
  const event = { ...params, request: { headers: {}, cookies: {} } };
  return new Promise<Answer>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error('handler did not answer within 15 s')); }, 15_000);
    const answer: Parameters<AnyHandler>[2] = (error, payload) => {
      clearTimeout(timer);
      if (error !== null) {
        reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
        return;
      }
      // Our handlers answer with twilio's TwiML objects, whose toString() is the XML Twilio receives.
      const xml = typeof payload === 'object' ? (payload as { toString(): string }).toString() : JSON.stringify(payload);
      resolve({ xml, twiml: parseTwiml(xml) });
    };
    try {
      void handler(context, event, answer);
    } catch (error) {
      clearTimeout(timer);
      reject(error instanceof Error ? error : new Error('handler threw'));
    }
  });
}

let callCounter = 0;
/** A fresh, well-formed CallSid. */
export function newCallSid(): string {
  callCounter += 1;
  return `CA${callCounter.toString(16).padStart(32, 'c')}`;
}

export function url(path: string): string {
  return `https://${DOMAIN}${path}`;
}
