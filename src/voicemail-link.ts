/**
 * The link in a voicemail notice: one per member and voicemail, unguessable, expiring.
 *
 * A token is 24 bytes, 32 base64url characters:
 *   voicemail id (6) | member tag (2) | expiry, Unix seconds (4) | MAC (12 = 96 bits)
 * The MAC is HMAC-SHA256 over the id, the member's full number and the expiry, keyed with a key derived
 * from LINK_SECRET (or the auth token when it is unset): changing either revokes every link. The member tag
 * only says which member to check the MAC for; a member no longer in TEAM_MEMBERS has no tag to match, so
 * their links stop working. Nothing about the caller is in the token: the page's data lives in Sync.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Member } from './config';

const ID_BYTES = 6;
const TAG_BYTES = 2;
const EXPIRY_BYTES = 4;
const MAC_BYTES = 12;
const TOKEN_BYTES = ID_BYTES + TAG_BYTES + EXPIRY_BYTES + MAC_BYTES;
/** 24 bytes are exactly 32 base64url characters, with no padding bits: every character counts. */
export const TOKEN_LENGTH = (TOKEN_BYTES / 3) * 4;
const TOKEN_PATTERN = new RegExp(`^[A-Za-z0-9_-]{${TOKEN_LENGTH}}$`);

export interface LinkSecrets {
  authToken: string;
  linkSecret: string | undefined;
}

export interface OpenedLink {
  /** The Sync key of the voicemail. */
  voicemailId: string;
  member: Member;
  expiresAt: number;
}

/** The key every token is made with; a label keeps it apart from any other use of the same secret. */
export function linkKey(secrets: LinkSecrets): Buffer {
  return createHmac('sha256', secrets.linkSecret ?? secrets.authToken).update('pull-phone voicemail links v1').digest();
}

/** A voicemail's id, derived from its call: every callback about one call (recording, transcription) finds the same one. */
export function voicemailIdFor(key: Buffer, callSid: string): string {
  return mac(key, 'voicemail', callSid).subarray(0, ID_BYTES).toString('base64url');
}

export function makeToken(key: Buffer, voicemailId: string, member: Member, expiresAt: number): string {
  const id = Buffer.from(voicemailId, 'base64url');
  if (id.length !== ID_BYTES) throw new Error('not a voicemail id');
  const expiry = Buffer.alloc(EXPIRY_BYTES);
  expiry.writeUInt32BE(Math.floor(expiresAt / 1000));
  const body = Buffer.concat([id, memberTag(key, member.number), expiry]);
  return Buffer.concat([body, linkMac(key, id, member.number, expiry)]).toString('base64url');
}

/**
 * The voicemail and member a token opens, or undefined for any token that does not open one now:
 * malformed, altered, made with another key, expired, or for someone no longer on the team.
 * Callers answer every undefined the same way, so a miss says nothing about why.
 */
export function openToken(key: Buffer, token: unknown, members: readonly Member[], now: number): OpenedLink | undefined {
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== TOKEN_BYTES) return undefined;
  const id = bytes.subarray(0, ID_BYTES);
  const tag = bytes.subarray(ID_BYTES, ID_BYTES + TAG_BYTES);
  const expiry = bytes.subarray(ID_BYTES + TAG_BYTES, ID_BYTES + TAG_BYTES + EXPIRY_BYTES);
  const given = bytes.subarray(TOKEN_BYTES - MAC_BYTES);
  // Several members can share a 2-byte tag; each is checked, and the MAC over the full number decides.
  let opened: Member | undefined;
  for (const member of members) {
    if (!memberTag(key, member.number).equals(tag)) continue;
    if (timingSafeEqual(linkMac(key, id, member.number, expiry), given)) opened = member;
  }
  const expiresAt = expiry.readUInt32BE() * 1000;
  if (opened === undefined || expiresAt <= now) return undefined;
  return { voicemailId: id.toString('base64url'), member: opened, expiresAt };
}

function memberTag(key: Buffer, number: string): Buffer {
  return mac(key, 'member', number).subarray(0, TAG_BYTES);
}

function linkMac(key: Buffer, id: Buffer, number: string, expiry: Buffer): Buffer {
  return mac(key, 'link', id.toString('hex'), number, expiry.toString('hex')).subarray(0, MAC_BYTES);
}

function mac(key: Buffer, ...parts: string[]): Buffer {
  // Parts are joined with a byte none of them can contain, so no two different lists give the same input.
  return createHmac('sha256', key).update(parts.join('\u0000')).digest();
}
