/**
 * `npm run demo`: Pull Phone working end to end on this machine, with no Twilio account.
 * Starts a stand-in for Twilio's API and the real built functions (twilio-run), then plays one call:
 * a caller waits, both members are texted, Bob takes it by text, answers, presses 1 and is connected.
 * Prints what the caller hears and what each phone receives, in virtual time (a minute of hold music
 * passes in milliseconds), then stops everything it started.
 */
import { join, resolve } from 'node:path';
import { clockTime, World } from '../sim/scenario';
import { SimEvent } from '../sim/voice';

// Built to dist/tools/demo.js: the project root is two folders up.
const ROOT = resolve(__dirname, '..', '..');

const CALLER = { from: '+16175550101', city: 'Boston', state: 'MA', country: 'US' };
const MEMBERS = [{ name: 'Ann', number: '+15551230001' }, { name: 'Bob', number: '+15551230002' }];

function narrate(event: SimEvent): void {
  const at = `[${clockTime(event.at).padStart(5)}]`;
  switch (event.kind) {
    case 'call':
      console.log(`${at} A caller from Boston dials the team's Twilio number.`);
      break;
    case 'heard':
      if (event.who === 'caller') console.log(`${at}   caller hears: ${quoted(event.text)}`);
      else console.log(`${at}   ${event.who} hears on the phone: ${quoted(event.text)}`);
      break;
    case 'text-in':
      console.log(`${at} ${event.text.replace(/ gets /, "'s phone gets a text: ")}`);
      break;
    case 'text-out':
      console.log(`${at} ${event.text.replace(/ texts /, ' replies by text: ')}`);
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
  const world = await World.start({ root: ROOT, members: MEMBERS });
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
