/**
 * Scriptable phones for the call simulator: the people at either end.
 * A caller follows a script in virtual seconds (wait, press keys, hang up, leave a message);
 * a team member's phone receives texts, answers them after a delay, and answers (or not) when
 * Pull Phone rings it, pressing a key or not.
 */

export interface ReceivedText {
  /** Virtual milliseconds since the simulation started. */
  at: number;
  from: string;
  body: string;
  /** REST (messages.create) or a <Message> in a reply to this phone's own text. */
  via: 'rest' | 'twiml';
}

export interface PlannedText {
  afterSeconds: number;
  body: string;
}

export type TextRule = (text: ReceivedText, phone: Phone) => PlannedText | undefined;

/** A phone that sends and receives texts. */
export class Phone {
  readonly texts: ReceivedText[] = [];
  readonly sent: { at: number; body: string }[] = [];
  private readonly rules: TextRule[] = [];

  constructor(readonly name: string, readonly number: string) {}

  /** React to received texts: the first rule that returns a text wins. */
  onText(rule: TextRule): this {
    this.rules.push(rule);
    return this;
  }

  receive(text: ReceivedText): PlannedText[] {
    this.texts.push(text);
    for (const rule of this.rules) {
      const planned = rule(text, this);
      if (planned !== undefined) return [planned];
    }
    return [];
  }

  /** The bodies received, in order. */
  bodies(): string[] {
    return this.texts.map((t) => t.body);
  }
}

/** The reference a new-call text asks a member to reply with ("… Reply Y 1234 to take …"). */
export function referenceIn(body: string): string | undefined {
  return /\bReply [A-Z]+ (\d{4})\b/.exec(body)?.[1];
}

export function isNewCallText(body: string): boolean {
  return /^Call from .*Reply [A-Z]+ \d{4} to take/.test(body);
}

/** What a member's phone does when Pull Phone rings it. */
export type Answering =
  | { kind: 'busy' }
  | { kind: 'no-answer' }
  | {
    kind: 'answer';
    /** Seconds of ringing before picking up. */
    afterSeconds: number;
    /** Key pressed after answering, or none (a person who waits, or the phone's own voicemail). */
    press?: string;
    /** Seconds after answering that the key is pressed. */
    pressAfterSeconds?: number;
    /** Hang up this many seconds after answering if still screening. */
    hangUpAfterSeconds?: number;
    /** Seconds the member talks with the caller once connected, then hangs up. */
    talkSeconds: number;
  };

export interface RingingCall {
  /** The caller ID shown. */
  callerId: string;
  /** Virtual milliseconds since the simulation started. */
  at: number;
  /** How many times this phone has rung before, in this simulation. */
  previousRings: number;
}

/** What happened on one call Pull Phone made to a member. */
export interface MemberLeg {
  at: number;
  callerId: string;
  answered: boolean;
  /** What the member heard before being connected (the screening prompt). */
  heard: string[];
  pressed: string[];
  bridged: boolean;
}

export class MemberPhone extends Phone {
  readonly legs: MemberLeg[] = [];
  private answering: (call: RingingCall) => Answering = () => ({ kind: 'no-answer' });

  /** Answer every call: pick up after `afterSeconds`, press `press` after `pressAfterSeconds`, talk `talkSeconds`. */
  answers(options: { afterSeconds?: number; press?: string; pressAfterSeconds?: number; talkSeconds?: number } = {}): this {
    const { afterSeconds = 4, press = '1', pressAfterSeconds = 3, talkSeconds = 60 } = options;
    return this.whenRinging(() => ({ kind: 'answer', afterSeconds, press, pressAfterSeconds, talkSeconds }));
  }

  /** Answer but never press a key: what a phone's own voicemail does. */
  answersWithoutPressing(afterSeconds = 4): this {
    return this.whenRinging(() => ({ kind: 'answer', afterSeconds, talkSeconds: 0 }));
  }

  doesNotAnswer(): this {
    return this.whenRinging(() => ({ kind: 'no-answer' }));
  }

  isBusy(): this {
    return this.whenRinging(() => ({ kind: 'busy' }));
  }

  whenRinging(decide: (call: RingingCall) => Answering): this {
    this.answering = decide;
    return this;
  }

  ring(call: RingingCall): Answering {
    return this.answering(call);
  }

  /** Reply `command reference` (e.g. "Y 1234") `afterSeconds` after each new-call text. */
  repliesToNewCalls(command: string, afterSeconds: number): this {
    return this.onText((text) => {
      const reference = isNewCallText(text.body) ? referenceIn(text.body) : undefined;
      return reference === undefined ? undefined : { afterSeconds, body: `${command} ${reference}` };
    });
  }
}

export interface VoicemailBehaviour {
  /** Seconds of speech after the beep (0: says nothing). */
  speakSeconds: number;
  /** How the message ends: hang up, press # (the finish key), or fall silent until Twilio stops recording. */
  end: 'hangup' | 'key' | 'silence';
  /** What a transcription would read. */
  words?: string;
}

export interface CallerScript {
  /** E.164, or what Twilio sends for a withheld number ("anonymous"). */
  from: string;
  callerName?: string;
  city?: string;
  state?: string;
  country?: string;
  /** When the call comes in, in virtual seconds since the simulation started (default: now). */
  arriveAfterSeconds?: number;
  /** Hang up this many virtual seconds after the call started, wherever the call is then. */
  hangUpAfterSeconds?: number;
  /** Keys pressed at these virtual seconds after the call started; heard only while a <Gather> listens. */
  keys?: { afterSeconds: number; digits: string }[];
  /** What the caller does when asked for a voicemail (default: speaks 8 s, then falls silent). */
  voicemail?: VoicemailBehaviour;
}

/**
 * A phone Pull Phone rings that is not a member's (a customer called back): it answers, or not, as a member's phone
 * does, and keeps each ring with the caller ID it showed (`legs`).
 */
export class CalledPhone extends MemberPhone {
  /** Pick up after `afterSeconds` and talk `talkSeconds`, then hang up. */
  picksUp(afterSeconds = 5, talkSeconds = 30): this {
    return this.whenRinging(() => ({ kind: 'answer', afterSeconds, talkSeconds }));
  }
}
