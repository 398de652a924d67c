import { isIP } from 'node:net';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { SmtpSettings } from './mail-settings.js';

/** Who a message goes to on the wire: the sender and the recipients. */
export interface Envelope {
  readonly from: string;
  readonly to: readonly string[];
}

/** How a send ended: accepted, refused for good (a 5xx reply to this message), or not possible now. */
export type SendOutcome =
  /** `refused`: recipients the server turned down while it took the message for the others. */
  | { readonly kind: 'sent'; readonly response: string; readonly refused: readonly string[] }
  | { readonly kind: 'rejected'; readonly error: string }
  | { readonly kind: 'failed'; readonly error: string };

/** A client of the SMTP server of `settings` (nodemailer is loaded here, when a report is sent). */
export async function smtpClient(settings: SmtpSettings, heloName: string): Promise<SmtpClient> {
  const { createTransport } = await import('nodemailer');
  return new SmtpClient(settings, heloName, createTransport);
}

/** One SMTP server; each `send` is one connection (reports are a handful of messages a day). */
export class SmtpClient {
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(settings: SmtpSettings, heloName: string, createTransport: (options: SMTPTransport.Options) => Transporter<SMTPTransport.SentMessageInfo>) {
    const options: SMTPTransport.Options = {
      host: settings.host,
      port: settings.port,
      secure: settings.tls === 'tls',
      requireTLS: settings.tls === 'starttls',
      ignoreTLS: settings.tls === 'none',
      name: heloName,
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
      // A server name (SNI) may not be an IP address; the certificate is checked against it either way.
      tls: { ...(isIP(settings.host) === 0 ? { servername: settings.host } : {}), ...(settings.ca === null ? {} : { ca: settings.ca }) },
      ...(settings.auth === null ? {} : { auth: { user: settings.auth.user, pass: settings.auth.pass } }),
    };
    this.transport = createTransport(options);
  }

  /** Sends a finished message as it is (its bytes are not rebuilt). Never throws. */
  async send(envelope: Envelope, raw: Buffer): Promise<SendOutcome> {
    try {
      const info = await this.transport.sendMail({ envelope: { from: envelope.from, to: [...envelope.to] }, raw });
      // Taken for some recipients: sending it again would give those a second copy.
      return { kind: 'sent', response: info.response, refused: info.rejected.map(String) };
    } catch (error) {
      const e = error as Error & { responseCode?: number; code?: string };
      // One line: OpenSSL's messages end in a newline, which would break the log line that quotes it.
      const message = `${e.code === undefined ? '' : `${e.code}: `}${e.message}`.replace(/\s*\n\s*/g, ' ').trim();
      return e.responseCode !== undefined && e.responseCode >= 500 ? { kind: 'rejected', error: message } : { kind: 'failed', error: message };
    }
  }

  close(): void {
    this.transport.close();
  }
}
