// First: starts the calls the first screen needs before React's modules are even evaluated.
import './api/boot.js';
import { StrictMode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { startBoot } from './api/prefetch.js';
import { prefetchStrings, setupI18n } from './i18n/index.js';
import './styles.css';

// One render, with both answers and the strings of the language the saved progress names (a
// click can then never be overwritten by progress arriving late).
prefetchStrings();
void startBoot().then(async (boot) => {
  await setupI18n(boot.progress?.language);
  const root = createRoot(document.getElementById('root')!);
  // In this task, not one the scheduler queues after it: everything the first screen needs is here.
  flushSync(() =>
    root.render(
      <StrictMode>
        <App boot={boot} />
      </StrictMode>,
    ),
  );
});
