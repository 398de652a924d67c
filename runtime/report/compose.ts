import addressparser from 'nodemailer/lib/addressparser';
import type { Envelope } from './smtp.js';

/** One finished attachment: its body encrypted already, unless `encrypted` is false. */
export interface Attachment {
  readonly name: string;
  readonly description: string;
  readonly body: Buffer;
  readonly encrypted: boolean;
  /** The entry failed (its body says how, inside the encryption). */
  readonly failed: boolean;
}

/** The prefix of an attachment a block declared plaintext (`encrypted()` false). */
export const UNENCRYPTED_PREFIX = 'UNENCRYPTED-';

/** What goes around the attachments; none of it comes from a log. */
export interface Heading {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly host: string;
  readonly date: Date;
  /** Whom the attachments are encrypted to, for the text part. */
  readonly recipients: string;
}

function oneLine(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]+/g, ' ');
}

/**
 * Builds the report message (nodemailer's MailComposer): a short text part that names the
 * attachments, then one attachment per entry with its `description` as Content-Description.
 * Log text appears only inside the (encrypted) attachment bodies, never in a header.
 */
export async function composeReport(heading: Heading, attachments: readonly Attachment[]): Promise<Buffer> {
  const lines = [
    `rulec report from ${heading.host}, ${heading.date.toISOString()}.`,
    `Attachments are OpenPGP-encrypted to ${heading.recipients}.`,
    '',
    ...attachments.map((a) => `${a.encrypted ? a.name : `${UNENCRYPTED_PREFIX}${a.name} (NOT ENCRYPTED)`}: ${oneLine(a.description)}${a.failed ? ' [FAILED]' : ''}`),
    '',
  ];
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
  const composer = new MailComposer({
    from: heading.from,
    to: [...heading.to],
    subject: oneLine(heading.subject),
    date: heading.date,
    text: lines.join('\n'),
    attachments: attachments.map((a) => ({
      filename: a.encrypted ? a.name : `${UNENCRYPTED_PREFIX}${a.name}`,
      content: a.body,
      contentType: a.encrypted ? 'application/pgp-encrypted' : 'text/plain; charset=utf-8',
      // Armor is ASCII in short lines: sent as it is, so the message stays readable as text.
      contentTransferEncoding: a.encrypted && a.body.subarray(0, 64).toString('latin1').trimStart().startsWith('-----BEGIN PGP') ? '7bit' : 'base64',
      headers: { 'Content-Description': oneLine(a.description) },
    })),
  });
  return composer.compile().build();
}

/** The envelope of a finished message, from its own From and To headers (for spooled messages). */
export function envelopeOf(raw: Buffer): Envelope {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end === -1 ? raw.length : end).toString('utf8').replace(/\r\n[ \t]+/g, ' ');
  const field = (name: string): string => {
    const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    return line === undefined ? '' : line.slice(name.length + 1).trim();
  };
  const addresses = (value: string): string[] => addressparser(value, { flatten: true }).map((a) => a.address).filter((a) => a !== '');
  return { from: addresses(field('From'))[0] ?? '', to: addresses(field('To')) };
}
