import './styles/app.scss';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, createAppRouter, createQueryClient } from './app';
import { SILENT_RENEW_PATH } from './auth/paths';
import { forgetEarlyAnswer } from './early-data/early-answer';

// The hidden frame of a silent OIDC renewal loads this page too: it only hands the provider's answer back.
if (window.location.pathname === SILENT_RENEW_PATH) {
  void import('./auth/oidc').then(({ finishSilentRenewal }) => finishSilentRenewal());
} else {
  // The router starts on the page asked for as soon as it is made (its code, and its data if public): before
  // React's first render, which takes a while on a slow machine.
  const queryClient = createQueryClient();
  const router = createAppRouter(queryClient);
  // The first page's loader has taken its early answer by the time the page is in; an answer left over would
  // be old news to any later navigation.
  const loaded = (state: typeof router.state) => state.initialized && state.navigation.state === 'idle';
  if (loaded(router.state)) forgetEarlyAnswer();
  else {
    const stop = router.subscribe((state) => {
      if (!loaded(state)) return;
      forgetEarlyAnswer();
      stop();
    });
  }
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App queryClient={queryClient} router={router} />
    </StrictMode>,
  );
}
