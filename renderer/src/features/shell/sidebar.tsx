// Section navigation: buttons with their shortcut, arrow keys move between them.
import type { KeyboardEvent } from 'react';
import { navigate } from '../../store/actions';
import { useStore } from '../../store/index';
import { ApproveButton } from '../approvals/approve-dialog';
import { sections } from './sections';
import { shortcutText } from './shortcuts';

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

/** The left-hand navigation. */
export function Sidebar() {
  const current = useStore((s) => s.section);
  const desktop = useStore((s) => s.appInfo?.transport === 'electron');
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const index = sections.findIndex((s) => s.id === current);
    const next =
      sections[(index + (event.key === 'ArrowDown' ? 1 : sections.length - 1)) % sections.length];
    if (next) {
      navigate(next.id);
      document.getElementById(`nav-${next.id}`)?.focus();
    }
    event.preventDefault();
  };
  return (
    <nav className="sidebar" aria-label="Sections" onKeyDown={onKeyDown}>
      <div className="brand" aria-hidden="true">
        <span className="brand-mark">◆</span>
        <span className="brand-name"> Dapple</span>
      </div>
      <ul>
        {sections.map((s) => {
          const keys = shortcutText(s.id, desktop, isMac);
          return (
            <li key={s.id}>
              <button
                id={`nav-${s.id}`}
                className={s.id === current ? 'nav-item active' : 'nav-item'}
                aria-current={s.id === current ? 'page' : undefined}
                // A G-sequence cannot be said in aria-keyshortcuts (a space means "or").
                aria-keyshortcuts={
                  desktop ? keys.replace('⌘', 'Meta+').replace('Ctrl ', 'Control+') : undefined
                }
                onClick={() => navigate(s.id)}
                title={`${s.label}: ${s.purpose} (${keys})`}
              >
                <span className="nav-initial" aria-hidden="true">
                  {s.label.charAt(0)}
                </span>
                <span className="nav-label">{s.label}</span>
                <kbd>{keys}</kbd>
              </button>
            </li>
          );
        })}
      </ul>
      <div className="sidebar-approve">
        <ApproveButton />
      </div>
    </nav>
  );
}
