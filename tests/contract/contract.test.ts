/**
 * The REST requests Pull Phone makes, checked against Twilio's own OpenAPI descriptions:
 * first the checker itself on good and bad requests, then every function driven through
 * the main flows with the checker installed on the stand-in, which refuses (422) anything
 * Twilio's description does not accept.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { handler as bridgeResult } from '../../functions/bridge-result.protected';
import { handler as callbackDial } from '../../functions/callback-dial.protected';
import { handler as callbackResult } from '../../functions/callback-result.protected';
import { handler as callbackStatus } from '../../functions/callback-status.protected';
import { handler as bridge } from '../../functions/bridge.protected';
import { handler as holdKey } from '../../functions/hold-key.protected';
import { handler as incomingCall } from '../../functions/incoming-call.protected';
import { handler as queueResult } from '../../functions/queue-result.protected';
import { handler as screen } from '../../functions/screen.protected';
import { handler as smsReply } from '../../functions/sms-reply.protected';
import { handler as voicemailDone } from '../../functions/voicemail-done.protected';
import { handler as voicemailSaved } from '../../functions/voicemail-saved.protected';
import { handler as voicemail } from '../../functions/voicemail.protected';
import { handler as waitMusic } from '../../functions/wait-music.protected';
import { contractAvailable, contractDir, ContractRequest, loadContract, SPEC_FILES } from '../../sim/contract';
import { callReference } from '../../src/reference';
import { MAPS } from '../../src/store';
import { RecordedRequest, TwilioStandIn } from '../../sim/standin';
import { arrive, sms } from '../support/calls';
import { ACCOUNT_SID, ANN, AUTH_TOKEN, BOB, ENV, invoke, newCallSid, startTwilio, TWILIO_NUMBER, url } from '../support/harness';
import { find, findAll, verbNames } from '../support/twiml';

const contract = loadContract();
if (contract === undefined) {
  // Only a checkout without ../shared/twilio-oai gets here; CI has the descriptions.
  console.warn(`REST contract tests skipped: Twilio's OpenAPI descriptions are absent (${contractDir()}: ${SPEC_FILES.join(', ')})`);
}
const describeContract = contract === undefined ? describe.skip : describe;

function check(request: ContractRequest): string | undefined {
  if (contract === undefined) throw new Error('unreachable: the contract suites are skipped without it');
  return contract.validate(request);
}

const API = `/2010-04-01/Accounts/${ACCOUNT_SID}`;
const QUEUE = `QU${'0a'.repeat(16)}`;
const CALL = `CA${'0b'.repeat(16)}`;
const api = (method: string, p: string, params: Record<string, string> = {}): ContractRequest => ({ method, host: 'api.twilio.com', path: `${API}${p}`, params });
const sync = (method: string, p: string, params: Record<string, string> = {}): ContractRequest => ({ method, host: 'sync.twilio.com', path: `/v1/Services/default${p}`, params });

describe('where the contract comes from', () => {
  it('is read from ../shared/twilio-oai beside the repository, not from a copy inside it', () => {
    expect(contractDir()).toBe(path.join(__dirname, '..', '..', '..', 'shared', 'twilio-oai'));
  });

  it('is absent (not an error) when the folder is absent, and a broken folder is an error, never a silent skip', () => {
    expect(loadContract(path.join(tmpdir(), 'pull-phone-no-such-folder'))).toBeUndefined();
    expect(contractAvailable(path.join(tmpdir(), 'pull-phone-no-such-folder'))).toBe(false);
    const empty = mkdtempSync(path.join(tmpdir(), 'pull-phone-oai-'));
    try {
      expect(contractAvailable(empty)).toBe(false);
      expect(() => loadContract(empty)).toThrow(/twilio_api_v2010\.json is missing/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describeContract('the contract check', () => {
  it('accepts each kind of request Pull Phone makes, as the twilio client sends it', () => {
    const good: ContractRequest[] = [
      api('POST', '/Messages.json', { To: ANN.number, From: TWILIO_NUMBER, Body: 'Call from JANE. Reply Y 1234 to take.' }),
      api('GET', '/Queues.json', { PageSize: '1000' }),
      api('GET', `/Queues/${QUEUE}/Members.json`, { PageSize: '1000' }),
      api('POST', `/Queues/${QUEUE}/Members/${CALL}.json`, { Url: url('/bridge?member=%2B15551230001'), Method: 'POST' }),
      { method: 'GET', host: 'lookups.twilio.com', path: '/v2/PhoneNumbers/+16175550123', params: { Fields: 'caller_name' } },
      sync('POST', '/Maps', { UniqueName: MAPS.calls }),
      sync('GET', `/Maps/${MAPS.team}/Items`, { PageSize: '100' }),
      sync('POST', `/Maps/${MAPS.outcomes}/Items`, { Key: `${CALL}-voicemail-notice`, Data: '{"sent":true}', Ttl: '86400' }),
      sync('GET', `/Maps/${MAPS.calls}/Items/1234`),
      sync('POST', `/Maps/${MAPS.calls}/Items/1234`, { Data: '{"callSid":"x"}', Ttl: '3720' }),
      sync('DELETE', `/Maps/${MAPS.team}/Items/${ANN.number}`),
    ];
    expect(good.map((r) => [r.method, r.path, check(r)])).toEqual(good.map((r) => [r.method, r.path, undefined]));
  });

  it('refuses a parameter the operation does not declare, naming it', () => {
    expect(check(api('POST', '/Messages.json', { To: ANN.number, Body: 'hi', Bogus: '1' })))
      .toMatch(/^POST \/2010-04-01\/Accounts\/\{AccountSid\}\/Messages\.json: parameter Bogus is not declared/);
    // Query parameters of one operation are not parameters of another.
    expect(check(api('POST', `/Queues/${QUEUE}/Members/${CALL}.json`, { Url: url('/bridge'), PageSize: '10' }))).toMatch(/parameter PageSize is not declared/);
    expect(check(sync('GET', `/Maps/${MAPS.calls}/Items/1234`, { Data: '{}' }))).toMatch(/parameter Data is not declared \(declared: none\)/);
  });

  it('refuses a request missing a required parameter', () => {
    expect(check(api('POST', '/Messages.json', { From: TWILIO_NUMBER, Body: 'hi' }))).toMatch(/required parameter To is missing/);
    expect(check(api('POST', `/Queues/${QUEUE}/Members/${CALL}.json`, { Method: 'POST' }))).toMatch(/required parameter Url is missing/);
    expect(check(sync('POST', `/Maps/${MAPS.calls}/Items`, { Key: '1234' }))).toMatch(/required parameter Data is missing/);
  });

  it('refuses malformed SIDs in the path', () => {
    expect(check({ ...api('GET', '/Queues.json'), path: `/2010-04-01/Accounts/AC${'z'.repeat(32)}/Queues.json` }))
      .toMatch(/path parameter AccountSid must match \^AC\[0-9a-fA-F\]\{32\}\$ \(got "ACzzz/);
    expect(check({ ...api('GET', '/Queues.json'), path: '/2010-04-01/Accounts/AC123/Queues.json' }))
      .toMatch(/path parameter AccountSid must be at least 34 characters \(got "AC123"\)/);
    expect(check(api('GET', `/Queues/XX${'0'.repeat(32)}/Members.json`))).toMatch(/path parameter QueueSid must match/);
    expect(check(api('GET', '/Queues/pull-phone/Members.json'))).toMatch(/path parameter QueueSid/);
  });

  it('refuses a method the path does not have, and paths no API has', () => {
    expect(check(api('DELETE', '/Queues.json'))).toBe('DELETE is not an operation of /2010-04-01/Accounts/{AccountSid}/Queues.json (it has GET, POST)');
    expect(check({ method: 'POST', host: 'lookups.twilio.com', path: '/v2/PhoneNumbers/+16175550123', params: {} })).toMatch(/POST is not an operation/);
    expect(check(sync('PUT', `/Maps/${MAPS.calls}/Items/1234`))).toMatch(/PUT is not an operation/);
    expect(check(api('GET', '/Nowhere.json'))).toMatch(/^no path in twilio_api_v2010\.json matches/);
    expect(check({ method: 'GET', host: 'example.com', path: '/', params: {} })).toMatch(/not one of the described Twilio APIs/);
  });

  it('refuses values outside the enum, the range or the type the spec gives', () => {
    const member = `/Queues/${QUEUE}/Members/${CALL}.json`;
    expect(check(api('POST', member, { Url: url('/bridge'), Method: 'PUT' }))).toMatch(/parameter Method must be one of GET, POST \(got "PUT"\)/);
    expect(check(api('POST', member, { Url: '/bridge' }))).toMatch(/parameter Url must be an absolute http\(s\) URL/);
    expect(check(api('GET', '/Queues.json', { PageSize: 'all' }))).toMatch(/parameter PageSize must be an integer/);
    expect(check(api('GET', '/Queues.json', { PageSize: '5000' }))).toMatch(/parameter PageSize must be at most 1000/);
    // Sync pages are smaller than the 2010 API's.
    expect(check(sync('GET', `/Maps/${MAPS.team}/Items`, { PageSize: '1000' }))).toMatch(/must be at most 100 /);
    expect(check(api('POST', '/Messages.json', { To: ANN.number, Body: 'x', SmartEncoded: 'yes' }))).toMatch(/SmartEncoded must be true or false/);
    expect(check(api('POST', '/Messages.json', { To: 'Ann', Body: 'x', ApplicationSid: 'AP1' }))).toMatch(/ApplicationSid must be at least 34 characters/);
    expect(check(api('POST', '/Messages.json', { To: '555-0100', Body: 'x' }))).toMatch(/To must be a phone number in E\.164 form/);
    expect(check(sync('POST', `/Maps/${MAPS.calls}/Items`, { Key: '1234', Data: '{callSid:1}' }))).toMatch(/Data must be a JSON string/);
    expect(check(sync('POST', `/Maps/${MAPS.calls}/Items`, { Key: '1234', Data: '{}', Ttl: '1.5' }))).toMatch(/Ttl must be an integer/);
  });

  it('names the operation a request is, for coverage checks', () => {
    expect(contract?.operationOf(api('POST', `/Queues/${QUEUE}/Members/${CALL}.json`))).toBe('UpdateMember');
    expect(contract?.operationOf(sync('GET', `/Maps/${MAPS.calls}/Items`))).toBe('ListSyncMapItem');
    expect(contract?.operationOf(sync('GET', `/Maps/${MAPS.calls}/Items/+15551230001`))).toBe('FetchSyncMapItem');
    expect(contract?.operationOf(api('PATCH', '/Queues.json'))).toBeUndefined();
  });

  it('installed on the stand-in, makes it answer a refused request with 422 and the reason, as a mock of the spec would', async () => {
    const twilio = await startTwilio();
    try {
      twilio.validator = contract?.validate;
      const auth = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
      const res = await fetch(`${twilio.url}/api.twilio.com${API}/Queues.json`, { method: 'DELETE', headers: { authorization: auth } });
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({ contract: expect.stringMatching(/DELETE is not an operation/) as unknown });
    } finally {
      await twilio.stop();
    }
  });
});

/** Every operation Pull Phone uses; each must be seen, and accepted, in the flows below. */
const PRODUCT_OPERATIONS = [
  'CreateMessage', 'ListQueue', 'ListMember', 'UpdateMember', 'FetchPhoneNumber', 'FetchCall',
  'CreateSyncMap', 'CreateSyncMapItem', 'FetchSyncMapItem', 'ListSyncMapItem', 'UpdateSyncMapItem', 'DeleteSyncMapItem',
  'ListIncomingPhoneNumber', 'UpdateIncomingPhoneNumber', 'CreateCall',
] as const;

describeContract('every REST request the functions make, against the contract', () => {
  let twilio: TwilioStandIn;
  const seen: RecordedRequest[] = [];
  const dequeued: { callSid: string; url: string }[] = [];

  beforeAll(async () => {
    // The functions' progress lines are not what these tests look at.
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    // A fresh stand-in: no Sync maps yet, so the first writes also create them, as on a new account.
    twilio = await startTwilio();
    twilio.validator = contract?.validate;
    twilio.onDequeue = (callSid, to) => { dequeued.push({ callSid, url: to }); };
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await twilio.stop();
  });
  beforeEach(() => { twilio.resetLog(); });
  afterEach(() => { seen.push(...twilio.requests); });

  /** The operations of this test's requests; fails with each refusal's reason if any was refused. */
  function operations(): string[] {
    const refused = twilio.requests.filter((r) => r.status === 422).map((r) => `${r.method} ${r.host}${r.path} ${JSON.stringify(r.params)}: ${check(r) ?? '?'}`);
    expect(refused).toEqual([]);
    return [...new Set(twilio.requests.map((r) => contract?.operationOf(r) ?? `unknown ${r.method} ${r.path}`))].sort();
  }

  it('a call arriving (name lookup on): lookup, then texts and the caller record with its map', async () => {
    const callSid = newCallSid();
    twilio.callerNames.set('+16175550123', 'JANE LOOKUP');
    const { twiml } = await invoke(incomingCall, { CallSid: callSid, From: '+16175550123', To: TWILIO_NUMBER, CallStatus: 'ringing' }, { ...ENV, CALLER_NAME_LOOKUP: 'true' });
    expect(verbNames(twiml)).toEqual(['Enqueue']);
    expect(twilio.messages.map((m) => m.to).sort()).toEqual([ANN.number, BOB.number]);
    expect(twilio.syncItems(MAPS.calls)?.get(callReference(callSid))?.data).toMatchObject({ name: 'JANE LOOKUP' });
    expect(operations()).toEqual(['CreateMessage', 'CreateSyncMap', 'CreateSyncMapItem', 'FetchPhoneNumber']);
  });

  it('a new caller with the reference of an old record replaces it (item update)', async () => {
    const callSid = newCallSid();
    twilio.setSyncItem(MAPS.calls, callReference(callSid), { callSid: 'CA-old', reference: callReference(callSid), place: '' });
    await invoke(incomingCall, { CallSid: callSid, From: '+16175550124', To: TWILIO_NUMBER });
    expect(twilio.syncItems(MAPS.calls)?.get(callReference(callSid))?.data).toMatchObject({ callSid });
    expect(operations()).toContain('UpdateSyncMapItem');
  });

  it('members pausing and resuming (item create in a new map, item delete, the set published to the number\'s voice URL)', async () => {
    const off = await invoke(smsReply, sms(BOB.number, 'OFF'));
    expect(findAll(off.twiml, 'Message')).toHaveLength(1);
    expect(twilio.syncItems(MAPS.team)?.has(BOB.number)).toBe(true);
    await invoke(smsReply, sms(BOB.number, 'ON'));
    expect(twilio.syncItems(MAPS.team)?.has(BOB.number)).toBe(false);
    expect(operations()).toEqual(['CreateSyncMap', 'CreateSyncMapItem', 'DeleteSyncMapItem', 'ListIncomingPhoneNumber', 'ListSyncMapItem', 'UpdateIncomingPhoneNumber']);
  });

  it('STATUS, a bare N with several waiting, and pulls by reference to a member and to voicemail', async () => {
    const jane = await arrive(twilio, '+16175550101', { CallerName: 'JANE' });
    const ken = await arrive(twilio, '+16175550102', { CallerName: 'KEN' });
    twilio.resetLog();
    await invoke(smsReply, sms(ANN.number, 'STATUS'));
    await invoke(smsReply, sms(ANN.number, 'N'));
    await invoke(smsReply, sms(ANN.number, `Y ${ken.reference}`));
    await invoke(smsReply, sms(BOB.number, `N ${jane.reference}`));
    // Too late: nobody waits any more, and the reference names a caller who is gone.
    await invoke(smsReply, sms(BOB.number, `Y ${ken.reference}`));
    expect(dequeued).toEqual([
      { callSid: ken.callSid, url: `${url('/bridge')}?member=%2B15551230001` },
      { callSid: jane.callSid, url: url('/voicemail') },
    ]);
    // Each pull is claimed in Sync before its dequeue; the account's first claim also creates the outcomes map.
    expect(operations()).toEqual(['CreateSyncMap', 'CreateSyncMapItem', 'FetchSyncMapItem', 'ListMember', 'ListQueue', 'ListSyncMapItem', 'UpdateMember']);
  });

  it('a bare Y pulls the longest waiting and a racing second pull loses the Sync claim, never reaching Twilio', async () => {
    const first = await arrive(twilio, '+16175550103');
    twilio.resetLog();
    twilio.latencyMs = 10;
    try {
      await Promise.all([invoke(smsReply, sms(ANN.number, 'Y')), invoke(smsReply, sms(BOB.number, `Y ${first.reference}`))]);
    } finally {
      twilio.latencyMs = 0;
    }
    // The racing second pull loses the Sync claim, so it never dequeues: one UpdateMember, accepted.
    expect(twilio.requests.filter((r) => contract?.operationOf(r) === 'UpdateMember').map((r) => r.status).sort()).toEqual([200]);
    expect(operations()).toContain('UpdateMember');
  });

  it('the pulled caller: bridge, screening, the member pressing 1, the Dial result', async () => {
    const jane = await arrive(twilio, '+16175550104', { CallerName: 'JANE' });
    twilio.resetLog();
    const dial = await invoke(bridge, { CallSid: jane.callSid, From: jane.from, member: ANN.number });
    expect(find(dial.twiml, 'Number').text).toBe(ANN.number);
    const asked = await invoke(screen, { CallSid: newCallSid(), caller: jane.callSid, member: ANN.number });
    expect(verbNames(asked.twiml)).toEqual(['Gather', 'Hangup']);
    const accepted = await invoke(screen, { CallSid: newCallSid(), caller: jane.callSid, member: ANN.number, Digits: '1' });
    expect(verbNames(accepted.twiml)).toEqual([]);
    await invoke(bridgeResult, { CallSid: jane.callSid, From: jane.from, member: ANN.number, DialCallStatus: 'completed' });
    // Not connected: the team is told.
    const ken = await arrive(twilio, '+16175550105');
    await invoke(bridgeResult, { CallSid: ken.callSid, From: ken.from, member: ANN.number, DialCallStatus: 'no-answer', DialBridged: 'false' });
    expect(twilio.messages.some((m) => m.body.startsWith('Ann did not connect'))).toBe(true);
    // The outcomes map exists already: the pulls above claimed their callers in it.
    expect(operations()).toEqual(['CreateMessage', 'CreateSyncMapItem', 'FetchSyncMapItem']);
  });

  it('waiting: hold music, a callback request, a hang-up in the queue', async () => {
    const jane = await arrive(twilio, '+16175550106', { CallerName: 'JANE' });
    const ken = await arrive(twilio, '+16175550107', { CallerName: 'KEN' });
    twilio.resetLog();
    await invoke(waitMusic, { CallSid: jane.callSid, QueueTime: '0', QueuePosition: '1' });
    await invoke(holdKey, { CallSid: jane.callSid, From: jane.from, Digits: '2', QueueTime: '20' });
    await invoke(queueResult, { CallSid: ken.callSid, From: ken.from, QueueResult: 'hangup', QueueTime: '30' });
    await invoke(queueResult, { CallSid: ken.callSid, QueueResult: 'leave' });
    expect(twilio.messages.map((m) => m.body.slice(0, 12))).toEqual(['JANE asked f', 'JANE asked f', 'Missed call:', 'Missed call:']);
    // CreateSyncMap: the callbacks map, made on the account's first lasting reference.
    expect(operations()).toEqual(['CreateMessage', 'CreateSyncMap', 'CreateSyncMapItem', 'FetchSyncMapItem']);
  });

  it('voicemail: recording, the Record action with and without a message, status and transcription callbacks', async () => {
    const jane = await arrive(twilio, '+16175550108', { CallerName: 'JANE' });
    const ken = await arrive(twilio, '+16175550109');
    twilio.resetLog();
    const transcribing = { ...ENV, TRANSCRIBE_VOICEMAIL: 'true' };
    await invoke(voicemail, { CallSid: jane.callSid }, transcribing);
    const recording = { CallSid: jane.callSid, From: jane.from, RecordingUrl: `https://api.twilio.com${API}/Recordings/RE${'1'.repeat(32)}`, RecordingDuration: '14' };
    await invoke(voicemailDone, recording, transcribing);
    await invoke(voicemailSaved, { ...recording, RecordingStatus: 'completed' }, transcribing);
    await invoke(voicemailSaved, { ...recording, RecordingDuration: undefined, TranscriptionStatus: 'completed', TranscriptionText: 'Please call me back.' }, transcribing);
    await invoke(voicemailDone, { CallSid: ken.callSid, From: ken.from, RecordingDuration: '0' });
    expect(twilio.messages.filter((m) => m.body.startsWith('Voicemail 14s from JANE'))).toHaveLength(2);
    expect(twilio.messages.filter((m) => m.body.startsWith('Missed call'))).toHaveLength(2);
    // CreateSyncMap: the voicemails map is made on first use; FetchCall: when the call began, for the page.
    expect(operations()).toEqual(['CreateMessage', 'CreateSyncMap', 'CreateSyncMapItem', 'FetchCall', 'FetchSyncMapItem']);
  });

  it('calling back: CALL creates the call to the member (Calls create), press 1 marks the claim, reaching the customer keeps who did and frees the claim; a busy member frees it', async () => {
    const jane = await arrive(twilio, '+16175550108', { CallerName: 'JANE' });
    await invoke(queueResult, { CallSid: jane.callSid, From: jane.from, QueueResult: 'hangup', QueueTime: '30' });
    twilio.resetLog();
    await invoke(smsReply, sms(ANN.number, `CALL ${jane.reference}`));
    const [created] = twilio.createdCalls;
    expect(created).toMatchObject({ to: ANN.number, from: TWILIO_NUMBER, statusCallbackEvents: ['completed'], timeout: 30 });
    const query = Object.fromEntries(new URL(created?.url ?? 'http://x').searchParams);
    await invoke(callbackDial, { CallSid: created?.sid, Digits: '1', ...query });
    await invoke(callbackResult, { CallSid: created?.sid, DialCallStatus: 'completed', DialBridged: 'true', DialCallDuration: '40', ...query });
    await invoke(smsReply, sms(BOB.number, 'CALL +16175550109'));
    const second = Object.fromEntries(new URL(twilio.createdCalls[1]?.url ?? 'http://x').searchParams);
    await invoke(callbackStatus, { CallSid: twilio.createdCalls[1]?.sid, CallStatus: 'busy', ...second });
    expect(twilio.messages.map((m) => m.body)).toEqual(['Bob could not reach +16175550109 (busy).', 'Bob could not reach +16175550109 (busy).']);
    expect(operations()).toEqual(['CreateCall', 'CreateMessage', 'CreateSyncMapItem', 'DeleteSyncMapItem', 'FetchSyncMapItem', 'UpdateSyncMapItem']);
  });

  it('all together: each kind of request Pull Phone makes was seen, and none was refused', () => {
    const refused = seen.filter((r) => r.status === 422);
    expect(refused).toEqual([]);
    const kinds = new Set(seen.map((r) => contract?.operationOf(r)));
    expect(PRODUCT_OPERATIONS.filter((op) => !kinds.has(op))).toEqual([]);
    expect([...kinds].filter((op) => op === undefined || !(PRODUCT_OPERATIONS as readonly string[]).includes(op))).toEqual([]);
  });
});
