import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { prefetchInfo } from './api/prefetch.js';
import { setupI18n } from './i18n/index.js';
import './styles.css';

// The first step waits for app.info: ask for it now, while i18n starts and React renders.
prefetchInfo();
void setupI18n().then(() => {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
