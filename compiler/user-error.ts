/** A problem the user fixes outside the rule text (an unreadable file, an unwritable directory); printed without a stack. */
export class UserError extends Error {
  override readonly name = 'UserError';
}
