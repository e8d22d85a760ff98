import './styles/app.scss';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { SILENT_RENEW_PATH } from './auth/paths';

// The hidden frame of a silent OIDC renewal loads this page too: it only hands the provider's answer back.
if (window.location.pathname === SILENT_RENEW_PATH) {
  void import('./auth/oidc').then(({ finishSilentRenewal }) => finishSilentRenewal());
} else {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
