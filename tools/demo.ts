/**
 * `npm run demo`: Pull Phone working end to end on this machine, with no Twilio account.
 * Starts a stand-in for Twilio's API and the real built functions (twilio-run), then plays two calls:
 * a caller waits, both members are texted, Bob takes it by text, answers, presses 1 and is connected;
 * then a customer texts the number, both members get it and Ann answers with R;
 * then a caller hangs up while waiting, the team is told of the missed call with `CALL <ref>`, Ann texts it, her
 * phone rings from the team number, she presses 1 and the caller's phone rings showing the team number;
 * then a caller is sent to voicemail and each member gets a one-segment notice with their own page link,
 * which can be opened in a browser on this machine while the demo keeps the server up.
 * Prints what the caller hears and what each phone receives, in virtual time (a minute of hold music
 * passes in milliseconds), then stops everything it started.
 */
import { join, resolve } from 'node:path';
import { clockTime, TEST_TWILIO_NUMBER, World } from '../sim/scenario';
import { reportsAbout } from '../sim/reports';
import { answersCustomerTexts, CustomerPhone } from '../sim/customers';
import { callsBack } from '../sim/callbacks';
import { CalledPhone } from '../sim/phones';
import { SimEvent } from '../sim/voice';
import { isSingleSegment } from '../src/sms-text';

// Built to dist/tools/demo.js: the project root is two folders up.
const ROOT = resolve(__dirname, '..', '..');

const CALLER = { from: '+16175550101', city: 'Boston', state: 'MA', country: 'US' };
const SECOND_CALLER = { from: '+13125550102', city: 'Chicago', state: 'IL', country: 'US' };
const THIRD_CALLER = { from: '+12125550103', callerName: 'DANA', city: 'New York', state: 'NY', country: 'US' };
const MEMBERS = [{ name: 'Ann', number: '+15551230001' }, { name: 'Bob', number: '+15551230002' }];

function narrate(event: SimEvent): void {
  const at = `[${clockTime(event.at).padStart(5)}]`;
  switch (event.kind) {
    case 'call':
      console.log(event.text.startsWith('Twilio calls') ? `${at} ${event.text}.` : `${at} A caller dials the team's Twilio number.`);
      break;
    case 'heard':
      if (event.who === 'caller') console.log(`${at}   caller hears: ${quoted(event.text)}`);
      else console.log(`${at}   ${event.who} hears on the phone: ${quoted(event.text)}`);
      break;
    case 'text-in':
      console.log(`${at} ${event.text.replace(/ gets /, "'s phone gets a text: ")}`);
      break;
    case 'text-out':
      console.log(`${at} ${event.text.replace(/ texts /, event.who.includes('customer') ? ' texts the team number: ' : ' replies by text: ')}`);
      break;
    case 'pressed':
      console.log(`${at}   ${event.who === 'caller' ? 'caller' : event.who} presses ${event.text}`);
      break;
    case 'dial':
    case 'hangup':
      console.log(`${at}   ${event.text}`);
      break;
    case 'queue':
      if (event.text.startsWith('pulled')) console.log(`${at}   Twilio takes the caller out of the queue (${event.text.replace(/^pulled out of the queue to /, '')})`);
      break;
    case 'outcome':
      console.log(`${at} The call ends: ${event.text}.`);
      break;
    case 'violation':
      console.log(`${at} PROBLEM: ${event.text}`);
      break;
    case 'record':
      console.log(`${at}   caller ${event.text}`);
      break;
  }
}

function quoted(text: string): string {
  return text.startsWith('(') ? text : `"${text}"`;
}

async function main(): Promise<number> {
  console.log('Pull Phone demo: one caller, two team members (Ann and Bob), and no Twilio account.');
  console.log('Starting a stand-in for Twilio and the built functions (twilio-run) on this machine...');
  // Transcription on, so the voicemail page shows what the caller said.
  const world = await World.start({ root: ROOT, members: MEMBERS, env: { TRANSCRIBE_VOICEMAIL: 'true' } });
  const stop = (): void => {
    void world.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    console.log(`Functions served at ${world.server.url}; Twilio's API answered by the stand-in.\n`);
    const scene = world.scene({ onEvent: narrate });
    // Ann is busy and does not reply; Bob replies 25 s after the text, answers, listens, presses 1.
    scene.member('Bob').repliesToNewCalls('Y', 25).answers({ afterSeconds: 5, press: '1', pressAfterSeconds: 6, talkSeconds: 45 });
    const call = scene.sim.call(CALLER);
    await scene.sim.run();
    console.log('');
    const ok = call.outcome === 'connected' && scene.sim.violations.length === 0;
    console.log(ok
      ? `Done: Bob took the call by text and was connected after ${Math.round((call.queueSeconds() ?? 0))} s in the queue. Every answer to Twilio was valid TwiML.`
      : `The demo did not go as expected (outcome: ${call.outcome ?? 'none'}, ${scene.sim.violations.length} invalid answers).`);
    console.log(`Texts sent: Ann ${scene.member('Ann').texts.length}, Bob ${scene.member('Bob').texts.length}. Webhooks Twilio would have made: ${scene.sim.webhooks.length}.`);
    if (!ok) console.log(`twilio-run output:\n${world.server.output().slice(-3000)}`);

    console.log('\nA customer texts the team number instead of calling; Ann answers by text.\n');
    const inbox = world.scene({ onEvent: narrate });
    const jane = inbox.sim.addPhone(new CustomerPhone('Jane (a customer)', CALLER.from));
    inbox.member('Ann').onText(answersCustomerTexts('Yes, 9 to 5 on Saturday. See you then!', 40));
    inbox.sim.text(jane, 'Hi, are you open Saturday?', 2);
    await inbox.sim.run();
    const answered = jane.bodies().includes('Yes, 9 to 5 on Saturday. See you then!') && jane.texts.every((t) => t.from === TEST_TWILIO_NUMBER);
    console.log('');
    console.log(answered && inbox.sim.violations.length === 0
      ? "Done: Jane's text reached both members; Ann's answer reached Jane from the team's number, and Bob saw what Ann said."
      : 'The customer text did not go as expected.');
    if (!answered) return 1;

    console.log('\nA caller hangs up before anyone takes them; Ann calls them back from the team number.\n');
    const missed = world.scene({ onEvent: narrate });
    const dana = missed.sim.addPhone(new CalledPhone('Dana (the caller)', THIRD_CALLER.from)).picksUp(6, 40);
    missed.member('Ann').onText(callsBack(30, (body) => body.startsWith('Missed call: '))).answers({ afterSeconds: 4, press: '1', pressAfterSeconds: 3 });
    missed.sim.call({ ...THIRD_CALLER, hangUpAfterSeconds: 25 });
    await missed.sim.run();
    const calledBack = dana.legs.some((l) => l.bridged && l.callerId === TEST_TWILIO_NUMBER) && missed.sim.violations.length === 0;
    console.log('');
    console.log(calledBack
      ? "Done: the missed-call notice said CALL and a reference; Ann's phone rang from the team number, she pressed 1, and Dana's phone showed the team number, not Ann's."
      : 'The callback did not go as expected.');
    if (!calledBack) return 1;

    console.log('\nA second caller; this time Bob texts N and the caller leaves a voicemail.\n');
    const second = world.scene({ onEvent: narrate });
    second.member('Bob').repliesToNewCalls('N', 20);
    const voicemailCall = second.sim.call({ ...SECOND_CALLER, voicemail: { speakSeconds: 14, end: 'hangup', words: 'Hi, this is Ken about my order. Please call me back.' } });
    await second.sim.run();
    const notice = reportsAbout(second.member('Ann'), SECOND_CALLER.from).find((r) => r.kind === 'voicemail')?.body;
    const link = /https?:\/\/\S+/.exec(notice ?? '')?.[0];
    const voicemailOk = voicemailCall.outcome === 'voicemail' && notice !== undefined && isSingleSegment(notice) && link !== undefined;
    console.log('');
    if (!voicemailOk) {
      console.log(`The voicemail did not go as expected (outcome: ${voicemailCall.outcome ?? 'none'}).`);
      return 1;
    }
    console.log(`Ann's voicemail notice, ${notice.length} characters, one SMS segment (GSM-7, at most 160):`);
    console.log(`  ${notice}`);
    console.log('Bob got his own link to the same voicemail. Open Ann\'s in a browser on this machine:');
    console.log(`  ${link}`);
    if (process.stdin.isTTY) {
      console.log('The page and its audio are served until you press Enter (or Ctrl+C).');
      await new Promise<void>((resolve) => {
        process.stdin.once('data', () => { resolve(); });
      });
      process.stdin.pause();
    } else {
      console.log('(Not a terminal, so the demo stops now: run `npm run demo` in a terminal to keep the server up while you open it.)');
    }
    return ok ? 0 : 1;
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    await world.stop();
  }
}

main().then((code) => {
  process.exitCode = code;
}, (error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  console.error(`(project root: ${join(ROOT)})`);
  process.exitCode = 1;
});
