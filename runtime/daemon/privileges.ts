import { execFileSync } from 'node:child_process';

/**
 * A user's primary group and all its groups, from `id` (which asks the system's user databases,
 * LDAP included; Node has no getpwnam). Null when `id` is missing or does not know the user.
 */
function groupsOf(user: string): { primary: number; all: number[] } | null {
  try {
    const read = (flag: string): number[] =>
      execFileSync('id', [flag, user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 }).trim().split(/\s+/).map(Number);
    const [primary] = read('-g');
    const all = read('-G');
    if (primary === undefined || ![primary, ...all].every(Number.isSafeInteger)) return null;
    return { primary, all };
  } catch {
    return null;
  }
}

/**
 * Drops privileges: group first (while still allowed to change it), then user. Names or
 * numbers are accepted, as Node's setgid/setuid resolve names through the system databases.
 * A user without a group gets the user's own groups; only when they cannot be found the
 * starting group stays (the caller warns when that is root's).
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
    } else if (uid !== null) {
      // -u alone: the user's own groups, as su and runuser give them, not root's.
      const groups = groupsOf(uid);
      if (groups !== null) {
        setgroups(groups.all);
        setgid(groups.primary);
      } else {
        setgroups([]);
      }
    }
    if (uid !== null) setuid(id(uid));
    return null;
  } catch (error) {
    const who = [uid === null ? null : `user ${uid}`, gid === null ? null : `group ${gid}`].filter((w) => w !== null).join(' and ');
    return `cannot switch to ${who}: ${(error as Error).message}`;
  }
}
