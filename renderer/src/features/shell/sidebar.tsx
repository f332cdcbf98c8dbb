// Section navigation: buttons with their shortcut, arrow keys move between them.
import type { KeyboardEvent } from 'react';
import { navigate } from '../../store/actions';
import { useStore } from '../../store/index';
import { sections } from './sections';

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

/** The left-hand navigation. */
export function Sidebar() {
  const current = useStore((s) => s.section);
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
        <span className="brand-mark">◆</span> Dapple
      </div>
      <ul>
        {sections.map((s, i) => (
          <li key={s.id}>
            <button
              id={`nav-${s.id}`}
              className={s.id === current ? 'nav-item active' : 'nav-item'}
              aria-current={s.id === current ? 'page' : undefined}
              onClick={() => navigate(s.id)}
              title={`${s.purpose} (${isMac ? '⌘' : 'Ctrl+'}${i + 1})`}
            >
              <span>{s.label}</span>
              <kbd>{isMac ? `⌘${i + 1}` : `Ctrl ${i + 1}`}</kbd>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
