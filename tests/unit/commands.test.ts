import { Command, parseCommand } from '../../src/commands';
import { DEFAULT_KEYWORDS, Keywords } from '../../src/config';

describe('parseCommand with the default keywords', () => {
  it.each<[string, Command]>([
    ['Y', { kind: 'accept' }],
    ['y', { kind: 'accept' }],
    ['YES', { kind: 'accept' }],
    ['Take', { kind: 'accept' }],
    ['y 4567', { kind: 'accept', reference: '4567' }],
    ['Yes4567', { kind: 'accept', reference: '4567' }],
    ['Y,4567', { kind: 'accept', reference: '4567' }],
    ['Y #4567!', { kind: 'accept', reference: '4567' }],
    ['  Y   4567\n', { kind: 'accept', reference: '4567' }],
    ['Y 12', { kind: 'accept', reference: '0012' }],
    ['Y 0', { kind: 'accept', reference: '0000' }],
    ['N', { kind: 'voicemail' }],
    ['no', { kind: 'voicemail' }],
    [' n. 4567 ', { kind: 'voicemail', reference: '4567' }],
    ['vm 0042', { kind: 'voicemail', reference: '0042' }],
    ['STATUS', { kind: 'status' }],
    ['list', { kind: 'status' }],
    ['commands', { kind: 'commands' }],
    ['Menu?', { kind: 'commands' }],
    ['OFF', { kind: 'pause' }],
    ['open', { kind: 'open' }],
    ['Closed.', { kind: 'closed' }],
    ['OPEN 1234', { kind: 'unknown' }],
    ['on', { kind: 'resume' }],
    ['On.', { kind: 'resume' }],
    ['stop', { kind: 'reserved', word: 'STOP' }],
    ['HELP', { kind: 'reserved', word: 'HELP' }],
    ['Info', { kind: 'reserved', word: 'INFO' }],
    ['START', { kind: 'reserved', word: 'START' }],
    ['unsubscribe', { kind: 'reserved', word: 'UNSUBSCRIBE' }],
    ['Y 12345', { kind: 'unknown' }],
    ['Y12345', { kind: 'unknown' }],
    ['Y 45 67', { kind: 'unknown' }],
    ['STATUS 4567', { kind: 'unknown' }],
    ['STOP 4567', { kind: 'unknown' }],
    ['4567', { kind: 'unknown' }],
    ['4567 Y', { kind: 'unknown' }],
    ['hello', { kind: 'unknown' }],
    ['yes please', { kind: 'unknown' }],
    ['YY', { kind: 'unknown' }],
    ['', { kind: 'unknown' }],
    ['   ', { kind: 'unknown' }],
    ['👍', { kind: 'unknown' }],
    ['🙂 Y 🙂', { kind: 'accept' }],
  ])('%j means %j', (body, expected) => {
    expect(parseCommand(body, DEFAULT_KEYWORDS)).toEqual(expected);
  });
});

describe('parseCommand with custom keyword lists', () => {
  const custom: Keywords = {
    accept: ['OK', 'YES'],
    voicemail: ['LATER'],
    status: ['WHO'],
    commands: ['MENU'],
    pause: ['MUTE'],
    resume: ['UNMUTE'],
    reply: ['ANSWER'],
    open: ['ATWORK'],
    closed: ['GONE'],
    call: ['RING'],
  };

  it.each<[string, Command]>([
    ['ok', { kind: 'accept' }],
    ['ok 77', { kind: 'accept', reference: '0077' }],
    ['yes', { kind: 'accept' }],
    ['later 1234', { kind: 'voicemail', reference: '1234' }],
    ['who', { kind: 'status' }],
    ['menu', { kind: 'commands' }],
    ['mute', { kind: 'pause' }],
    ['unmute', { kind: 'resume' }],
    ['AtWork!', { kind: 'open' }],
    ['Gone', { kind: 'closed' }],
    // The defaults no longer mean anything once replaced.
    ['Y', { kind: 'unknown' }],
    ['N 1234', { kind: 'unknown' }],
    ['STATUS', { kind: 'unknown' }],
    ['OFF', { kind: 'unknown' }],
    ['OPEN', { kind: 'unknown' }],
    ['stop', { kind: 'reserved', word: 'STOP' }],
  ])('%j means %j', (body, expected) => {
    expect(parseCommand(body, custom)).toEqual(expected);
  });

  it('leaves YES to Twilio (reserved) when it is not an accept keyword', () => {
    expect(parseCommand('yes', { ...custom, accept: ['OK'] })).toEqual({ kind: 'reserved', word: 'YES' });
  });
});
