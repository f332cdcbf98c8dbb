// Fail fast, with the install command, when a real tool a test needs is missing.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const EXTRA_DIRS = ['/usr/sbin', '/sbin', '/usr/lib/postgresql/15/bin'];

/** Find a program on PATH (plus sbin and PostgreSQL 15's folder), or null. */
export function findProgram(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...EXTRA_DIRS].filter(Boolean);
  for (const dir of dirs) {
    const candidate = name.includes('/') ? name : join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here: try the next folder
    }
  }
  return null;
}

/** The absolute path of a program; throws "X is not installed: apt-get install P" when missing. */
export function requireProgram(name: string, debianPackage: string): string {
  const found = findProgram(name);
  if (found) return found;
  throw new Error(`${name} is not installed: apt-get install ${debianPackage}`);
}
