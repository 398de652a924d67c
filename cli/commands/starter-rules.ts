/**
 * The starter file `rulec generate` prints: every block kind, every item key explained. It
 * must pass `rulec check` with no errors and no warnings (a test holds it to that).
 */
export const STARTER_RULES = `# rulec starter rules. Check with \`rulec check FILE\`, build with \`rulec build FILE\`.
# Comments: a line starting with # (or ; in an INI section), or a heredoc with no command:
<<__EOC
Everything up to the terminator line is a comment, handy to switch off a whole block.
__EOC

# ---------------------------------------------------------------------------------------
# MailLog-style global settings for the mailed report of \`rulec report\` (docs/report.md):
# set KEY VALUE. Relative file names are read from this file's directory.
set to      "ops@example.com"
set from    "rulec@example.com"
set smtp    "smtp.example.com:587"
set subject "rulec report from {host} on {date}"
# set pgp   keys/ops.asc        OpenPGP public key file(s), or a gpg command as MailLog had
#                               ("gpg -a -e -r 'ops@example.com' --no-tty --batch");
#                               \`rulec report\` sends encrypted or not at all
# set smtp_tls  starttls        tls (smtps), starttls, opportunistic (default) or none
# set smtp_auth /etc/rulec/smtp-auth   user and password, one a line, chmod 600 (never here;
#                               or RULEC_SMTP_USER and RULEC_SMTP_PASSWORD in the environment)
# set smtp_ca   /etc/rulec/ca.pem      certificates to trust for the SMTP server
# set host  web-1               the host name reports show
# set spool /var/spool/rulec    where reports wait while SMTP is down
# set debug                     turn debugging on
#
# source "common.rules"         include another rule file (relative to this one)

# ---------------------------------------------------------------------------------------
# logNOT-style items: one [SECTION] per log item. Values run to the end of the line, so
# comments go on their own lines.
[general]
; Defaults for every item; any item key below may also be set here.
; athread_count: how many actions may run at once (1..64).
athread_count = 2
; uid / gid: user and group to run as after opening the logs (names or numbers).
; uid = rulec
; gid = adm
; state: directory for read positions, so a restart resumes where it stopped.
; state = /var/lib/rulec
; window_memory: the most the items' counting windows may need with every key at its limit
; (max_keys x the count of upbound_freq x 8 bytes, summed); rulec check refuses more. Default 1G.
; window_memory = 1G

[SSH_BRUTE_FORCE]
; path (required): the log file to follow.
path = /var/log/auth.log
; regex: a Perl-compatible regular expression; $1..$n are its groups, $0 the whole match.
regex = Failed password for (?:invalid user )?(\\S+) from (\\S+)
; upbound_freq N/T: act when more than N lines match within T seconds (0/T: every match).
upbound_freq = 5/60
; upbound_action: a program and its arguments, run WITHOUT a shell; $N fills one argument
; each, $@ is the whole line.
upbound_action = /usr/local/sbin/block-address "$2" "$1"
; upbound_holdoff: after a fire, how long the key's matches are only counted, not actioned
; (default: T of upbound_freq; 0 counts afresh at once, as logNOT did).
upbound_holdoff = 10m
; shell: true runs the item's actions under /bin/sh instead, with captures only in the
; environment as RULEC_0.. and RULEC_LINE (quote them: "$RULEC_2"); check warns about it.
shell = false
; key: count per value of a capture ($N or a named group); usecrc = true counts per CRC-32
; of the whole match instead.
key = $2
; max_keys: how many distinct keys are tracked; the least recently seen is dropped.
max_keys = 100000
; start: read new lines from the end (default) or the beginning of the file.
start = end
; file_type: file or fifo.
file_type = file
; clock: arrival (when the line is read) or log (the time stamp in the line).
clock = arrival
; time_format / time_year / time_zone: how log time stamps are read (auto, syslog,
; iso8601, epoch); the year and zone for stamps that lack them.
time_format = syslog
time_year = 2024
time_zone = UTC
; line_max: longer lines are cut to this size.
line_max = 64K
; rotate_wait: how long to keep reading a rotated file.
rotate_wait = 5s
; action_timeout: a running action is killed after this long (0: never).
action_timeout = 60s

[SSHD_SILENT]
path = /var/log/auth.log
regex = sshd\\[\\d+\\]:
; downbound_freq N/T: act when fewer than N lines matched in the last T seconds, and
; again every T while it stays quiet; downbound_action is what runs.
downbound_freq = 1/3600
downbound_action = /usr/local/bin/notify-admin "no sshd activity for an hour"
usecrc = false

[AUTH_LOG_SIZE]
path = /var/log/auth.log
regex = .*
; size: act each time the file grows past another multiple of this (B, K, M, G);
; size_action is what runs (no line matched it, so no $N or $@ there).
size = 100M
size_action = /usr/local/bin/notify-admin "auth.log passed another 100M"

# ---------------------------------------------------------------------------------------
# MailLog-style blocks: NAME <<TAG, then directives, then TAG alone. \`rulec report FILE\`
# runs each once and mails one message, an encrypted attachment per block (mime_file names
# it, description is its Content-Description).
command <<__CMD
    # exec: a program and its arguments, run without a shell; stdout is the attachment.
    exec 'df -h'
    description "Disk usage"
    mime_file "df.txt"
    # timeout: how long it may run (default 5m).
    timeout 1m
__CMD

monitor <<__MON
    description "MD5 sums of system binaries"
    mime_file "monitor.txt"
    # dir: directories listed recursively (several per line or several lines); links are
    # listed, not followed. Compare a listing with a later one: rulec monitor --check.
    dir /etc
    dir /usr/bin /usr/sbin
    # digest: md5 (default: MailLog's listings still compare) or sha256.
    digest sha256
    # cross_filesystems: yes enters mount points below a dir (default no).
    cross_filesystems no
__MON

# realtime yes: rulec run also watches the trees and reports each change as it happens.
monitor <<__RT
    dir /etc/ssh
    realtime yes
    # action: runs on each change, as an item's action: $change is added, removed or
    # changed, $path the file ($0 the whole report line). shell yes: under /bin/sh instead.
    action /usr/local/bin/notify "$change" "$path"
    shell no
__RT

watch <<__WATCH
    logfile /var/log/messages
    description "Unusual messages"
    mime_file "messages.txt"
    trim 'yes'
    # Lines matching any ignore are dropped (=~ matches, !~ does not match).
    ignore =~ /-- MARK --/
    # do ignore ... end: dropped only when ALL patterns inside hold.
    do ignore
        =~ /sshd/
        =~ /session (opened|closed)/
    end
    # filter: when present, only lines passing a filter are kept.
    do filter
        !~ /CRON/
        =~ /error|fail/i
    end
    # ignore_from: logcheck-format lists (a file, or a directory of them), as Debian's
    # logcheck-database installs them.
    # ignore_from /etc/logcheck/ignore.d.server
    # every: in rulec run, mail the period's unusual lines as an encrypted digest (needs
    # set pgp; rulec report then leaves this block to rulec run).
    # every 1h
__WATCH

# ---------------------------------------------------------------------------------------
# The Snort alert socket listener (rulec run, or rulec snort FILE): the sockets in logdir,
# handlers for every alert, and rules over alerts with an item's windows, keys and actions.
# An alert's fields are captures: $msg $gid $sid $rev $classification $priority $proto
# $src $sport $dst $dport, and $0 is the alert as Snort's alert_fast line.
snort <<__SNORT
    logdir /var/log/snort
    variant snort2
    byte_order native
    threads 1
    classification_config /etc/snort/classification.config
    handler http url=http://127.0.0.1:8080/alerts
    rule SNORT_SCAN_SOURCE <<__RULE
        msg            "^SCAN"
        gid            1
        sid            1000-1999 !1500
        rev            1-9
        priority       1-2
        classification attempted-recon
        proto          tcp
        src            10.0.0.0/8
        dst            192.168.0.0/16
        sport          1024-65535
        dport          22 80 443
        key            $src
        upbound_freq   20/60
        upbound_action /usr/local/sbin/block_source "$src"
    __RULE
__SNORT

# The same as an INI item: snort names the listener's log directory instead of a path.
[SNORT_ANY_HIGH]
; snort names the listener's log directory; conditions: msg (a regex on the message), gid,
; sid, rev, priority, classification, proto, src, dst (networks), sport, dport (lists, !x refuses)
snort          = /var/log/snort
priority       = 1
upbound_action = /usr/bin/logger -t snort "$0"

# ---------------------------------------------------------------------------------------
# A custom block: module NAME ALIAS PATH loads the JavaScript (or TypeScript) module PATH,
# whose class NAME makes ALIAS's attachments; its block takes any directives (docs/modules.md).
module DiskReport disk_report /usr/local/lib/rulec/disk-report.mjs
disk_report <<__DISK
    threshold "90%"
    mount /var
__DISK
`;
