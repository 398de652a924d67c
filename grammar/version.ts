/** Version of the rules language grammar; bump it when the meaning of a file may change. */
export const GRAMMAR_VERSION = '1';
