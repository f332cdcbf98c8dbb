// Renderer entry: mount the console.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './features/shell/app';
import './styles.css';
import './features/drills/drills.css';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
