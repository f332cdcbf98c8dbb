// A small ~/.ssh/config reader: Host blocks with HostName, User, Port, IdentityFile and ProxyJump.
import { readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** Where and how to connect, after applying ~/.ssh/config to a backend's host. */
export type SshTarget = {
  /** The name the user wrote (an alias or a hostname). */
  alias: string;
  /** The host actually dialled (HostName, or the alias itself). */
  hostName: string;
  port: number;
  user: string;
  identityFiles: string[];
  /** Hops to go through first, e.g. ["bastion", "admin@gw:2222"]; empty for a direct connection. */
  proxyJump: string[];
};

type Settings = {
  hostname?: string;
  user?: string;
  port?: string;
  identityfile: string[];
  proxyjump?: string;
};

// "Keyword value", "Keyword=value", with optional double quotes around the value.
function splitLine(line: string): [string, string[]] | null {
  const match = /^\s*([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/.exec(line);
  if (!match?.[1] || match[2] === undefined) return null;
  const args: string[] = [];
  for (const m of match[2].matchAll(/"([^"]*)"|(\S+)/g)) args.push(m[1] ?? m[2] ?? '');
  return [match[1].toLowerCase(), args];
}

function wildcard(pattern: string, text: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(text);
}

// A Host line matches when some pattern matches and no negated pattern does.
function hostMatches(patterns: string[], alias: string): boolean {
  let matched = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (wildcard(p.slice(1), alias)) return false;
    } else if (wildcard(p, alias)) matched = true;
  }
  return matched;
}

function collect(
  text: string,
  alias: string,
  settings: Settings,
  home: string,
  depth: number,
): void {
  let active = true;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    const parsed = splitLine(line);
    if (!parsed) continue;
    const [key, args] = parsed;
    if (key === 'host') active = hostMatches(args, alias);
    // Match blocks need criteria we do not evaluate: skip them rather than guess.
    else if (key === 'match') active = args[0]?.toLowerCase() === 'all';
    else if (!active) continue;
    else if (key === 'include' && depth < 5) {
      for (const file of args) {
        const path = file.startsWith('~/')
          ? join(home, file.slice(2))
          : isAbsolute(file)
            ? file
            : join(home, '.ssh', file);
        try {
          collect(readFileSync(path, 'utf8'), alias, settings, home, depth + 1);
        } catch {
          // OpenSSH ignores a missing include too
        }
      }
    } else if (key === 'identityfile' && args[0]) settings.identityfile.push(args[0]);
    else if (
      (key === 'hostname' || key === 'user' || key === 'port' || key === 'proxyjump') &&
      args[0]
    ) {
      // The first value obtained wins, as in OpenSSH.
      settings[key] ??= args[0];
    }
  }
}

// The %-tokens OpenSSH expands in IdentityFile, and a leading ~.
function expand(
  path: string,
  target: { hostName: string; user: string; port: number; alias: string },
  home: string,
): string {
  const tokens: Record<string, string> = {
    '%': '%',
    h: target.hostName,
    n: target.alias,
    r: target.user,
    p: String(target.port),
    d: home,
    u: userInfo().username,
  };
  const expanded = path.replace(/%([%hnrpdu])/g, (_, t: string) => tokens[t] ?? '');
  return expanded.startsWith('~/') ? join(home, expanded.slice(2)) : expanded;
}

/** Parse "[user@]host[:port]" as written in ProxyJump. */
export function parseJump(spec: string): {
  user: string | null;
  host: string;
  port: number | null;
} {
  const at = spec.lastIndexOf('@');
  const user = at >= 0 ? spec.slice(0, at) : null;
  let rest = at >= 0 ? spec.slice(at + 1) : spec;
  let port: number | null = null;
  const bracket = /^\[(.+)\](?::(\d+))?$/.exec(rest);
  if (bracket?.[1]) {
    rest = bracket[1];
    port = bracket[2] ? Number(bracket[2]) : null;
  } else {
    const colon = /^([^:]+):(\d+)$/.exec(rest);
    if (colon?.[1] && colon[2]) {
      rest = colon[1];
      port = Number(colon[2]);
    }
  }
  return { user, host: rest, port };
}

/** Apply ssh config text to a host; explicit port/user/identity from the workspace win over the config. */
export function resolveSshTarget(
  input: { host: string; port?: number | null; user?: string | null; identityFile?: string | null },
  options: { configText?: string; home?: string } = {},
): SshTarget {
  const home = options.home ?? homedir();
  const settings: Settings = { identityfile: [] };
  if (options.configText) collect(options.configText, input.host, settings, home, 0);
  const hostName = settings.hostname ? settings.hostname.replace(/%h/g, input.host) : input.host;
  const port = input.port ?? (settings.port ? Number(settings.port) : 22);
  const user = input.user ?? settings.user ?? userInfo().username;
  const base = { alias: input.host, hostName, port, user };
  const identityFiles = [
    ...(input.identityFile ? [input.identityFile] : []),
    ...settings.identityfile,
  ].map((f) => expand(f, base, home));
  const jumps =
    settings.proxyjump && settings.proxyjump.toLowerCase() !== 'none'
      ? settings.proxyjump.split(',')
      : [];
  return { ...base, identityFiles, proxyJump: jumps.map((j) => j.trim()).filter(Boolean) };
}

/** Read ~/.ssh/config (or the given file); a missing file means no settings. */
export function readSshConfig(path = join(homedir(), '.ssh', 'config')): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
