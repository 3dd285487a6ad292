/**
 * The doctor's look at the live Twilio account (`npm run doctor` with credentials): is the number there, do its
 * webhooks point at this deployment, does a Messaging Service take its texts away, is there a voice fallback,
 * does the Sync service answer. Pure: tools/doctor.ts asks Twilio and passes the answers in.
 * Each finding says what to run to fix it.
 */
import { Config } from './config';
import type { Finding } from './doctor';
import { maskForDisplay } from './phone';
import { MessagingServiceFacts, messagingServiceProblems, NumberSettings, planWiring } from './wiring';

export interface AccountFacts {
  /** The IncomingPhoneNumber for TWILIO_PHONE_NUMBER; undefined when the account has none. */
  number: (NumberSettings & { sid: string }) | undefined;
  /** The Messaging Services that hold the number. */
  messagingServices: MessagingServiceFacts[];
  /** MESSAGING_SERVICE_SID's service: undefined when unset, 'missing' when Twilio has no such service. */
  senderService: { sid: string; friendlyName: string; senders: number } | 'missing' | undefined;
  /** 'ok', or why the Sync service could not be read. */
  sync: 'ok' | { cause: string };
  /** The deployment's domain (from --domain or the last deploy); undefined when unknown. */
  domain: string | undefined;
}

const SETUP = 'npm run setup';

export function checkAccount(config: Config, account: AccountFacts): Finding[] {
  const findings: Finding[] = [];
  const error = (subject: string, message: string): void => { findings.push({ level: 'error', subject, message }); };
  const warning = (subject: string, message: string): void => { findings.push({ level: 'warning', subject, message }); };
  const shown = maskForDisplay(config.twilioNumber);

  if (account.number === undefined) {
    error('TWILIO_PHONE_NUMBER', `${shown} is not a number of this account: check it in Console > Phone Numbers > Active numbers, and that ACCOUNT_SID is the account that owns it.`);
  } else if (account.domain === undefined) {
    warning('webhooks', `not checked: the deployment's domain is unknown. Deploy first (npm run deploy), or pass it: npm run doctor -- --domain <domain>.`);
  } else {
    const plan = planWiring(account.number, { domain: account.domain, callerNameLookup: false });
    const fix = `run ${SETUP} -- --domain ${account.domain}`;
    for (const change of plan.changes) {
      const fallback = change.label.startsWith('voice fallback');
      (fallback ? warning : error)('Twilio number', `${change.label} is ${change.from}, not ${change.to}: ${fix}.`);
    }
    for (const blocker of plan.blockers) error('Twilio number', blocker);
  }

  for (const problem of messagingServiceProblems(account.messagingServices, account.domain)) {
    error('Messaging Service', problem.replace(/^Messaging Service /, ''));
  }

  if (account.senderService === 'missing') {
    error('MESSAGING_SERVICE_SID', 'names no Messaging Service of this account: copy its SID from Console > Messaging > Services, or unset it to text from TWILIO_PHONE_NUMBER.');
  } else if (account.senderService !== undefined && account.senderService.senders === 0) {
    error('MESSAGING_SERVICE_SID', `service "${account.senderService.friendlyName}" has no sender numbers, so team notices cannot go out: add a number to its Sender Pool in the Console.`);
  }

  if (account.sync !== 'ok') {
    error('SYNC_SERVICE_SID', `the Sync service "${config.syncServiceSid}" could not be read (${account.sync.cause}): ${config.syncServiceSid === 'default'
      ? 'your account has no default Sync service reachable with these credentials; create one in Console > Sync > Services and set SYNC_SERVICE_SID.'
      : 'check the SID in Console > Sync > Services, or unset it to use the default service.'}`);
  }
  return findings;
}
