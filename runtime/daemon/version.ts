/** The runtime's release, printed by `-V`; a test keeps it equal to package.json's version. */
export const RUNTIME_VERSION = '0.1.0';
