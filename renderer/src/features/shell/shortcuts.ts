// Section shortcuts. The desktop app keeps Ctrl/Cmd+1…6 (its menu owns them). In a browser those
// keys switch tabs (and Alt+1…8 too, on Linux), so browser mode uses two-key sequences that no
// browser claims: G then the section's letter (G C Catalog, G T Timeline, …), as GitHub and
// Gmail do. The sequences work in the desktop app as well.
import type { Section } from '../../../../preload/contract';
import { sections } from './sections';

/** The letter that follows G for each section. */
export const sectionKeys: Record<Section, string> = {
  catalog: 'c',
  timeline: 't',
  restore: 'r',
  drills: 'd',
  audit: 'a',
  health: 'h',
};

/** How a section's shortcut reads in the sidebar and its tooltip. */
export function shortcutText(section: Section, desktop: boolean, mac: boolean): string {
  if (desktop) {
    const digit = sections.findIndex((s) => s.id === section) + 1;
    return mac ? `⌘${digit}` : `Ctrl ${digit}`;
  }
  return `G ${sectionKeys[section].toUpperCase()}`;
}

/** Inputs that take no typed text: a G on them is a shortcut, not a letter. */
const NOT_TEXT = new Set([
  'checkbox',
  'radio',
  'button',
  'submit',
  'reset',
  'range',
  'color',
  'file',
]);

/** Typing in a field, a list box or an editable region never triggers a shortcut. */
export function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  if (el.tagName === 'INPUT') return !NOT_TEXT.has((el as HTMLInputElement).type);
  return ['SELECT', 'TEXTAREA'].includes(el.tagName) || el.isContentEditable;
}

/**
 * A keydown listener that navigates: G then a letter (within 1.5 s), and in the desktop app
 * Ctrl/Cmd+1…6. Returns the listener; `go` is told the section.
 */
export function sectionShortcuts(desktop: () => boolean, go: (section: Section) => void) {
  let pendingUntil = 0;
  return (event: KeyboardEvent): void => {
    if (event.ctrlKey || event.metaKey) {
      if (!desktop() || event.altKey || event.shiftKey) return;
      const target = sections[Number(event.key) - 1];
      if (target) {
        event.preventDefault();
        go(target.id);
      }
      return;
    }
    if (event.altKey || typingIn(event.target)) return;
    const key = event.key.toLowerCase();
    if (pendingUntil > event.timeStamp) {
      pendingUntil = 0;
      const found = sections.find((s) => sectionKeys[s.id] === key);
      if (found) {
        event.preventDefault();
        go(found.id);
      }
      return;
    }
    if (key === 'g' && !event.shiftKey) pendingUntil = event.timeStamp + 1500;
  };
}
