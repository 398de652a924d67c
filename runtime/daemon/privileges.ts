/**
 * Drops privileges: group first (while still allowed to change it), then user. Names or
 * numbers are accepted, as Node's setgid/setuid resolve names through the system databases.
 * Returns an error message instead of throwing.
 */
export function dropPrivileges(uid: string | null, gid: string | null): string | null {
  if (uid === null && gid === null) return null;
  const { setgid, setgroups, setuid } = process;
  if (setgid === undefined || setuid === undefined || setgroups === undefined) {
    return 'changing user or group is not supported on this platform';
  }
  const id = (value: string): string | number => (/^\d+$/.test(value) ? Number(value) : value);
  try {
    if (gid !== null) {
      // Supplementary groups of the starting user (root's) must go too, or privileges linger.
      setgroups([id(gid)]);
      setgid(id(gid));
    }
    if (uid !== null) setuid(id(uid));
    return null;
  } catch (error) {
    const who = [uid === null ? null : `user ${uid}`, gid === null ? null : `group ${gid}`].filter((w) => w !== null).join(' and ');
    return `cannot switch to ${who}: ${(error as Error).message}`;
  }
}
