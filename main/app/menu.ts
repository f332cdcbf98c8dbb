// The application menu: every section has a keyboard shortcut (Ctrl/Cmd+1..6).
import { Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { Section } from '../../preload/contract';

const sections: [Section, string][] = [
  ['catalog', 'Catalog'],
  ['timeline', 'Timeline'],
  ['restore', 'Restore'],
  ['drills', 'Drills'],
  ['audit', 'Audit'],
  ['health', 'Health'],
];

/** Build and install the menu. `navigate` shows a section; `openWorkspace` runs the folder picker. */
export function installMenu(actions: {
  navigate: (section: Section) => void;
  openWorkspace: () => void;
  reloadWorkspace: () => void;
  getWindow: () => BrowserWindow | null;
}): void {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Workspace…', accelerator: 'CmdOrCtrl+O', click: actions.openWorkspace },
        {
          label: 'Reload Workspace',
          accelerator: 'CmdOrCtrl+Shift+R',
          click: actions.reloadWorkspace,
        },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'Go',
      submenu: sections.map(([section, label], i) => ({
        label,
        accelerator: `CmdOrCtrl+${i + 1}`,
        click: () => actions.navigate(section),
      })),
    },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { role: 'toggleDevTools' },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
