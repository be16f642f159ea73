// The floor for the renderer benchmark: React 19 rendering one button, built for production.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

function Blank() {
  return (
    <button type="button" onClick={() => undefined}>
      Start
    </button>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Blank />
  </StrictMode>,
);
