import './styles/app.scss';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, createAppRouter, createQueryClient } from './app';
import { SILENT_RENEW_PATH } from './auth/paths';

// The hidden frame of a silent OIDC renewal loads this page too: it only hands the provider's answer back.
if (window.location.pathname === SILENT_RENEW_PATH) {
  void import('./auth/oidc').then(({ finishSilentRenewal }) => finishSilentRenewal());
} else {
  // The router starts on the page asked for as soon as it is made (its code, and its data if public): before
  // React's first render, which takes a while on a slow machine.
  const queryClient = createQueryClient();
  const router = createAppRouter(queryClient);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App queryClient={queryClient} router={router} />
    </StrictMode>,
  );
}
