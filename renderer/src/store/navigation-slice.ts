// Which section is showing, and the theme.
import type { StateCreator } from 'zustand';
import type { Section } from '../../../preload/contract';
import type { Store } from './index';

export type Theme = 'dark' | 'light';

/** Navigation and appearance. */
export type NavigationSlice = {
  section: Section;
  theme: Theme;
};

const savedTheme = (): Theme => {
  try {
    return localStorage.getItem('dapple.theme') === 'light' ? 'light' : 'dark';
  } catch {
    return 'dark';
  }
};

export const createNavigationSlice: StateCreator<Store, [], [], NavigationSlice> = () => ({
  section: 'catalog',
  theme: savedTheme(),
});
