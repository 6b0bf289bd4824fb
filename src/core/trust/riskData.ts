/**
 * The risk list of the consent dialog, as data: programs given inline code, options that load or run other code,
 * and environment variables that inject code or redirect downloads and traffic. risks.ts walks a launch against
 * these tables; extending the heuristic means adding a row here. Program names are lower-case file names without
 * `.exe`; env names are compared upper-case.
 */
import type { LaunchRiskKind } from './risks';

export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'csh', 'tcsh', 'busybox']);
export const PRIVILEGE: ReadonlySet<string> = new Set(['sudo', 'doas', 'pkexec', 'su', 'runas', 'gsudo']);

/** An interpreter flag whose value (or next argument) is code. */
export interface InlineRule {
  readonly matches: (program: string) => boolean;
  /** Is this argument the flag that makes the next argument (or its own value) code? */
  readonly isInlineFlag: (arg: string) => boolean;
  /** For the message, e.g. `Python`. */
  readonly label: string;
}

export const INLINE_RULES: readonly InlineRule[] = [
  // -c, or combined short flags containing c: -lc, -ic, -xec
  { matches: (p) => SHELLS.has(p), isInlineFlag: (a) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a), label: 'shell' },
  { matches: (p) => p === 'cmd', isInlineFlag: (a) => /^\/[ck]$/i.test(a), label: 'cmd' },
  {
    matches: (p) => p === 'powershell' || p === 'pwsh' || p === 'powershell_ise',
    isInlineFlag: (a) => /^[-/](c|com|comm|comma|comman|command|e|ec|en|enc|enco|encod|encode|encoded|encodedc|encodedcommand|encodedco\w*)(:.*)?$/i.test(a),
    label: 'PowerShell',
  },
  { matches: (p) => p === 'node' || p === 'nodejs' || p === 'bun', isInlineFlag: (a) => /^(-e|-p|-pe|--eval|--print)(=.*)?$/.test(a), label: 'Node.js' },
  {
    matches: (p) => /^python(\d+(\.\d+)?)?w?$/.test(p) || p === 'py' || p === 'pypy' || p === 'pypy3',
    isInlineFlag: (a) => /^-[a-zA-Z]*c$/.test(a) || /^-c.+/.test(a),
    label: 'Python',
  },
  { matches: (p) => p === 'perl', isInlineFlag: (a) => /^-[a-zA-Z]*[eE]$/.test(a), label: 'Perl' },
  { matches: (p) => p === 'ruby', isInlineFlag: (a) => /^-[a-zA-Z]*e$/.test(a), label: 'Ruby' },
  { matches: (p) => p === 'php', isInlineFlag: (a) => a === '-r', label: 'PHP' },
  { matches: (p) => p === 'osascript', isInlineFlag: (a) => a === '-e', label: 'AppleScript' },
  { matches: (p) => p === 'deno' || p === 'bun', isInlineFlag: (a) => a === 'eval' || a === '-e' || a === '--eval', label: 'Deno/Bun' },
];

/** One risky option of a program. `--flag=value`, `-fvalue` and `-f value` all match a flag. */
export interface OptionRule {
  readonly flags: readonly string[];
  /** The option takes a value (shown in the message). */
  readonly takesValue: boolean;
  /** Only a value matching this is risky (`git -c core.sshCommand=...`, not `git -c user.name=...`). */
  readonly value?: RegExp;
  readonly kind: LaunchRiskKind;
  /** The rest of the message after `<program> <flag> `; `{setting}` is the value's name part (`core.sshCommand`). */
  readonly why: string;
}

/** Options of a program (after an optional subcommand), read up to the first argument that is not an option. */
export interface ArgRule {
  readonly programs: readonly string[];
  /** When set, the options are only looked for after one of these subcommands (`npm exec`, `docker run`). */
  readonly subcommands?: readonly (readonly string[])[];
  /** Other options that take the next argument as their value (so the scan does not stop at that value). */
  readonly valueOptions?: RegExp;
  readonly options: readonly OptionRule[];
}

const NPX_OPTIONS: readonly OptionRule[] = [
  { flags: ['-c', '--call'], takesValue: true, kind: 'inlineCode', why: 'runs a shell command' },
  { flags: ['--registry'], takesValue: true, kind: 'packageSource', why: 'downloads packages from another registry' },
  { flags: ['--userconfig'], takesValue: true, kind: 'packageSource', why: 'reads npm settings from another file' },
];
const NPX_VALUES = /^(-p|--package|-w|--workspace|--prefix|--cache)$/;

/** Package specs that do not come from the package index: git, URLs, local paths and archives. */
const OFF_INDEX = /^(git\+|hg\+|svn\+|bzr\+|https?:|file:|ssh:|\.{0,2}[/\\]|~|[A-Za-z]:\\)|\.(whl|tar\.gz|tgz|zip)$|@\s*(git\+|https?:|file:)/i;
const UV_OPTIONS: readonly OptionRule[] = [
  { flags: ['--from', '--with', '--with-editable', '--spec'], takesValue: true, value: OFF_INDEX, kind: 'packageSource', why: 'installs the package from outside the package index' },
  { flags: ['--index-url', '-i', '--extra-index-url', '--index', '--default-index', '--find-links', '-f'], takesValue: true, kind: 'packageSource', why: 'downloads packages from another index' },
  { flags: ['--with-requirements', '--config-file', '--pip-args'], takesValue: true, kind: 'packageSource', why: 'reads what to install from elsewhere' },
];
const UV_VALUES = /^(-p|--python|--directory|--project|--env-file|--cache-dir|--python-preference|--color)$/;

/** git settings whose value is a command, a program or more settings. */
const GIT_COMMAND_SETTINGS =
  /^\s*(core\.(sshcommand|fsmonitor|pager|editor|hookspath|askpass|gitproxy|alternaterefscommand)|sequence\.editor|diff\.external|(diff|merge|filter)\.[^=]+\.(textconv|command|driver|clean|smudge|process)|credential\.([^=]*\.)?helper|pager\.[^=]+|alias\.[^=]+|include\.path|includeif\.[^=]+|uploadpack\.packobjectshook|gpg\.([^=]*\.)?program|protocol\.[^=]*allow|url\.[^=]+|https?\.proxy|ssh\.variant|remote\.[^=]+\.(uploadpack|receivepack|proxy))\s*(=|$)/i;

/** ssh_config keywords that run a local command or read more settings. */
const SSH_COMMAND_SETTINGS = /^\s*(proxycommand|localcommand|permitlocalcommand|knownhostscommand|match|include|pkcs11provider|securitykeyprovider)\b/i;

export const ARG_RULES: readonly ArgRule[] = [
  {
    programs: ['node', 'nodejs'],
    valueOptions: /^(-C|--conditions|--title|--input-type|--redirect-warnings|--diagnostic-dir|--report-dir|--icu-data-dir|--openssl-config)$/,
    options: [
      { flags: ['-r', '--require'], takesValue: true, kind: 'loadsCode', why: 'loads a module before the server' },
      { flags: ['--import'], takesValue: true, kind: 'loadsCode', why: 'loads a module before the server' },
      { flags: ['--loader', '--experimental-loader'], takesValue: true, kind: 'loadsCode', why: 'loads a module loader (its code runs first)' },
      { flags: ['--env-file', '--env-file-if-exists'], takesValue: true, kind: 'loadsCode', why: 'reads environment variables (NODE_OPTIONS too) from a file' },
    ],
  },
  { programs: ['bun'], options: [{ flags: ['-r', '--preload'], takesValue: true, kind: 'loadsCode', why: 'loads a module before the server' }] },
  { programs: ['npx'], valueOptions: NPX_VALUES, options: NPX_OPTIONS },
  { programs: ['npm'], subcommands: [['exec'], ['x']], valueOptions: NPX_VALUES, options: NPX_OPTIONS },
  { programs: ['pnpm'], subcommands: [['dlx'], ['exec']], options: [{ flags: ['-c', '--shell-mode'], takesValue: false, kind: 'inlineCode', why: 'runs the command through a shell' }] },
  {
    programs: ['env'],
    valueOptions: /^(-u|--unset|-C|--chdir)$/,
    options: [{ flags: ['-S', '--split-string'], takesValue: true, kind: 'inlineCode', why: 'runs a command line from one string' }],
  },
  {
    programs: ['git'],
    valueOptions: /^(-C|--git-dir|--work-tree|--namespace|--super-prefix)$/,
    options: [
      { flags: ['-c', '--config-env'], takesValue: true, value: GIT_COMMAND_SETTINGS, kind: 'inlineCode', why: 'sets {setting}, which makes git run a command or read more settings' },
      { flags: ['--exec-path'], takesValue: true, value: /./, kind: 'loadsCode', why: 'makes git run its helper programs from another folder' },
    ],
  },
  {
    programs: ['ssh', 'scp', 'sftp'],
    valueOptions: /^-[bBcDEeIiJLlmOpQRSWw]$/,
    options: [
      { flags: ['-o'], takesValue: true, value: SSH_COMMAND_SETTINGS, kind: 'inlineCode', why: 'sets {setting}, which can run a local command' },
      { flags: ['-F'], takesValue: true, kind: 'loadsCode', why: 'reads ssh settings (which can run commands) from another file' },
    ],
  },
  {
    programs: ['docker', 'podman', 'nerdctl'],
    subcommands: [['run'], ['create'], ['container', 'run'], ['container', 'create']],
    valueOptions:
      /^(-[eplwuhmc]|--(env|env-file|label|name|publish|workdir|user|hostname|network|net|entrypoint|cap-drop|device|platform|pull|memory|cpus|add-host|dns|ipc|tmpfs|ulimit|log-driver|log-opt|restart|runtime|shm-size|gpus|group-add|expose|label-file|cidfile|stop-signal|uts|volumes-from|link))$/,
    options: [
      { flags: ['--privileged'], takesValue: false, kind: 'privilege', why: 'gives the container full access to the host (every device and capability)' },
      { flags: ['-v', '--volume'], takesValue: true, value: /^\/+(:|$)/, kind: 'privilege', why: 'mounts the whole file system' },
      { flags: ['-v', '--volume'], takesValue: true, value: /^\/(var\/)?run\/docker\.sock(:|$)/, kind: 'privilege', why: 'mounts the Docker socket (control of the host)' },
      { flags: ['--mount'], takesValue: true, value: /(^|,)(source|src)=\/+(,|$)/, kind: 'privilege', why: 'mounts the whole file system' },
      { flags: ['--pid', '--userns', '--cgroupns'], takesValue: true, value: /^host$/i, kind: 'privilege', why: "shares the host's namespace" },
      { flags: ['--cap-add'], takesValue: true, value: /^(cap_)?(all|sys_admin|sys_ptrace|sys_module|dac_read_search)$/i, kind: 'privilege', why: 'adds a capability that reaches the host' },
      { flags: ['--security-opt'], takesValue: true, value: /unconfined|label[=:]disable/i, kind: 'privilege', why: 'turns off a security profile' },
    ],
  },
  { programs: ['uvx'], valueOptions: UV_VALUES, options: UV_OPTIONS },
  { programs: ['uv'], subcommands: [['tool', 'run'], ['tool', 'install'], ['run'], ['pip', 'install']], valueOptions: UV_VALUES, options: UV_OPTIONS },
  { programs: ['pipx'], subcommands: [['run'], ['install']], options: UV_OPTIONS },
];

/** An environment variable that loads or runs other code, or sends downloads or traffic elsewhere. */
export interface EnvRule {
  /** Tested with the upper-cased name. */
  readonly test: (name: string) => boolean;
  /** The rest of `env NAME <why>`. */
  readonly why: string;
  /** `url`: the value may carry credentials (`https://user:pw@host`): show it with the password masked. */
  readonly display?: 'url';
}

const oneOf =
  (...names: string[]) =>
  (n: string): boolean =>
    names.includes(n);

export const ENV_RULES: readonly EnvRule[] = [
  { test: oneOf('NODE_OPTIONS'), why: 'can make Node.js load any module (--require, --import)' },
  { test: oneOf('NODE_PATH'), why: 'changes where Node.js finds modules' },
  { test: oneOf('LD_PRELOAD', 'LD_AUDIT'), why: 'loads a shared library into the process' },
  { test: oneOf('LD_LIBRARY_PATH'), why: 'changes which shared libraries are loaded' },
  { test: oneOf('GCONV_PATH'), why: 'makes the C library load shared libraries from another folder' },
  { test: (n) => n.startsWith('DYLD_'), why: 'changes which dynamic libraries are loaded (macOS)' },
  { test: oneOf('BASH_ENV', 'ENV', 'ZDOTDIR', 'PROMPT_COMMAND'), why: 'makes a shell run a script' },
  { test: oneOf('PYTHONSTARTUP', 'PYTHONPATH', 'PYTHONHOME', 'PYTHONINSPECT'), why: 'changes what Python loads or runs' },
  { test: oneOf('PYTHONWARNINGS'), why: 'can make Python import a module at start' },
  { test: oneOf('PERL5OPT', 'PERL5LIB', 'PERLLIB'), why: 'changes what Perl loads' },
  { test: oneOf('RUBYOPT', 'RUBYLIB'), why: 'changes what Ruby loads' },
  { test: oneOf('JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS'), why: 'adds JVM options (agents)' },
  { test: (n) => n === 'DOTNET_STARTUP_HOOKS' || n.startsWith('CORECLR_PROFILER'), why: 'loads code into .NET processes' },
  {
    test: oneOf('GIT_SSH_COMMAND', 'GIT_SSH', 'GIT_PROXY_COMMAND', 'GIT_EXTERNAL_DIFF', 'GIT_ASKPASS', 'SSH_ASKPASS', 'GIT_PAGER', 'GIT_EDITOR', 'GIT_SEQUENCE_EDITOR', 'GIT_EXEC_PATH'),
    why: 'runs a command',
  },
  { test: (n) => n === 'GIT_CONFIG' || n.startsWith('GIT_CONFIG_'), why: 'adds git settings (which can run commands)' },
  { test: oneOf('BROWSER', 'EDITOR', 'VISUAL', 'PAGER'), why: 'names a program the server may run' },
  { test: oneOf('ELECTRON_RUN_AS_NODE'), why: 'turns an Electron app into a Node.js interpreter' },
  { test: oneOf('PATH'), why: 'changes which programs are found' },
  // npm reads npm_config_* in any case. Credentials (`_authToken`, `_password`) are secrets, not code: masked as such.
  {
    test: (n) => n.startsWith('NPM_CONFIG_') && !/(_AUTH|TOKEN|PASSWORD|_PASS$|KEYFILE)/.test(n),
    why: 'changes npm settings (registry, scripts, config file)',
    display: 'url',
  },
  {
    test: oneOf('UV_INDEX_URL', 'UV_DEFAULT_INDEX', 'UV_EXTRA_INDEX_URL', 'UV_INDEX', 'UV_FIND_LINKS', 'PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'PIP_FIND_LINKS'),
    why: 'changes where packages are downloaded from',
    display: 'url',
  },
  { test: oneOf('UV_CONFIG_FILE', 'PIP_CONFIG_FILE'), why: 'reads package-installer settings from another file' },
  {
    test: oneOf('NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE'),
    why: 'adds trusted TLS certificates (encrypted traffic can be read)',
  },
  { test: oneOf('NODE_TLS_REJECT_UNAUTHORIZED'), why: 'can turn off TLS certificate checks' },
  { test: oneOf('HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY'), why: "sends the server's network traffic through a proxy", display: 'url' },
];
