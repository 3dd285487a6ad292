/**
 * Reading the live account for the doctor and setup: the number, the Messaging Services that hold it,
 * MESSAGING_SERVICE_SID's service and the Sync service. Requests that do not depend on each other go in parallel.
 */
import type { AccountFacts } from './account';
import { Config } from './config';
import { describeFailure, failureOf, TwilioClient } from './twilio-api';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployedDomain, deployedService, MessagingServiceFacts, normaliseDomain } from './wiring';

/** One round of requests in parallel, then the phone numbers of each Messaging Service in parallel. */
export async function gatherAccount(client: TwilioClient, config: Config, domain: string | undefined): Promise<AccountFacts> {
  const [numbers, services, sync, sender] = await Promise.all([
    client.incomingPhoneNumbers.list({ phoneNumber: config.twilioNumber, limit: 1 }),
    client.messaging.v1.services.list({ limit: MAX_SERVICES }),
    client.sync.v1.services(config.syncServiceSid).fetch().then(() => 'ok' as const, (error: unknown) => ({ cause: describeFailure(error) })),
    config.messagingServiceSid === undefined
      ? Promise.resolve(undefined)
      : client.messaging.v1.services(config.messagingServiceSid).fetch().then(
        async (s) => ({ sid: s.sid, friendlyName: s.friendlyName, senders: (await client.messaging.v1.services(s.sid).phoneNumbers.list({ limit: 20 })).length }),
        (error: unknown) => {
          if (failureOf(error).status === 404) return 'missing' as const;
          throw error;
        }),
  ]);
  const [number] = numbers;
  return {
    number,
    messagingServices: await servicesHolding(services, config.twilioNumber),
    senderService: sender,
    sync,
    domain,
  };
}

const MAX_SERVICES = 50;
type ServiceList = Awaited<ReturnType<TwilioClient['messaging']['v1']['services']['list']>>;

/** The Messaging Services whose sender pool holds `number`: their phone numbers are read in parallel. */
export async function servicesHolding(services: ServiceList, number: string): Promise<MessagingServiceFacts[]> {
  const holding = await Promise.all(services.map(async (s) => {
    const held = await s.phoneNumbers().list({ limit: 400 });
    return held.some((n) => n.phoneNumber === number) ? [s] : [];
  }));
  return holding.flat().map((s) => ({
    sid: s.sid, friendlyName: s.friendlyName, useInboundWebhookOnNumber: s.useInboundWebhookOnNumber, inboundRequestUrl: s.inboundRequestUrl,
  }));
}

/** servicesHolding, listing the account's services first. */
export async function messagingServicesOf(client: TwilioClient, number: string): Promise<MessagingServiceFacts[]> {
  return servicesHolding(await client.messaging.v1.services.list({ limit: MAX_SERVICES }), number);
}


/** The deployment's domain: --domain when given, else the service of the last deploy from `root` (.twiliodeployinfo). */
export async function domainOf(root: string, client: TwilioClient, config: Config, option: string | undefined): Promise<string | undefined> {
  if (option !== undefined) {
    const domain = normaliseDomain(option);
    return domain.ok ? domain.domain : undefined;
  }
  const info = join(root, '.twiliodeployinfo');
  const service = existsSync(info) ? deployedService(readFileSync(info, 'utf8'), config.accountSid) : undefined;
  if (service === undefined) return undefined;
  const environments = await client.serverless.v1.services(service.serviceSid).environments.list({ limit: 50 });
  return deployedDomain(environments.map((e) => ({ domainName: e.domainName, buildSid: e.buildSid })), service.latestBuild);
}
