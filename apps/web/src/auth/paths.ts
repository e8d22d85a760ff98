/** Where the identity provider sends the browser back after sign-in, and where a silent renewal's frame lands. */
export const SIGNED_IN_PATH = '/app/signed-in';
export const SILENT_RENEW_PATH = '/app/silent-renew';
