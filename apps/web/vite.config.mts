import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { startEarlyRequest } from './src/early-data/early-request.mts';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * nhsuk-react-components' components each start their nhsuk-frontend script after rendering, with
 * `import('nhsuk-frontend')` in an effect, but every one of those modules also imports 'nhsuk-frontend' bare at its
 * top, which pulls all of nhsuk-frontend's component scripts (tabs, file upload, character count, password
 * input...: 40 KB minified) into the first download, to be compiled and run before any page shows. Dropping the
 * bare import leaves the package to the effects: its own chunk, fetched after the first render, and only once.
 */
const BARE_FRONTEND_IMPORT = /^import ['"]nhsuk-frontend['"];?$/gm;
function frontendScriptsAfterRender(): Plugin {
  return {
    name: 'nhsuk-frontend-after-render',
    transform(code, id) {
      if (!/node_modules\/nhsuk-react-components\/dist\/esm\//.test(id)) return null;
      const without = code.replace(BARE_FRONTEND_IMPORT, '');
      return without === code ? null : { code: without, map: null };
    },
  };
}

/**
 * The public pages' early data request (src/early-data/early-request.mts), inline in the page's head, before its stylesheet, so
 * it starts while the app's script is still on its way. Inline, as a separate file would be one more request to
 * wait for; the API allows it by its hash (apps/api/src/web-app/inline-scripts.ts), not by 'unsafe-inline'.
 */
function earlyDataRequest(): Plugin {
  return {
    name: 'early-data-request',
    // Before Vite adds the stylesheet: an inline script after a stylesheet waits for it to load.
    transformIndexHtml: {
      order: 'pre',
      handler: () => [
        { tag: 'script', children: `(${startEarlyRequest.toString()})(window);`, injectTo: 'head' },
      ],
    },
  };
}

/**
 * The web app, built to dist/web and served by the API under /app (see apps/api/src/web-app).
 * Styles come from nhsuk-frontend's Sass sources (src/styles/app.scss), compressed by Sass itself: Vite's CSS
 * minifier (lightningcss) rejects the `@media screen\0` hack in the details component, so it is switched off.
 * The public folder is nhsuk-frontend's own assets (icons, favicon), so the pages fetch nothing from elsewhere.
 */
export default defineConfig({
  root: here('.'),
  plugins: [frontendScriptsAfterRender(), earlyDataRequest()],
  base: '/app/',
  publicDir: here('../../node_modules/nhsuk-frontend/dist/nhsuk/assets'),
  resolve: {
    alias: [
      // react-router's package points every bundler at its development build, which differs from the production
      // one only by keeping its development warnings (ENABLE_DEV_WARNINGS): the app ships the production build.
      {
        find: /^react-router$/,
        replacement: here('../../node_modules/react-router/dist/production/index.mjs'),
      },
    ],
  },
  css: {
    preprocessorOptions: {
      scss: { style: 'compressed', quietDeps: true, silenceDeprecations: ['import'] },
    },
  },
  build: {
    outDir: here('../../dist/web'),
    emptyOutDir: true,
    cssMinify: false,
    sourcemap: true,
    // Each page but home is its own chunk, loaded on first visit. The budget that matters is the first load's
    // JavaScript gzipped (at most 250 KB, measured by `npm run bench -- web`); minified, the first chunk is about
    // 500 KB, React DOM and nhsuk-frontend's scripts most of it.
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      // Sass takes most of the build; being told so on every build helps no one.
      checks: { bundlerTimings: false },
      // nhsuk-react-components marks its modules 'use client' (for React Server Components); a browser-only
      // bundle has no use for the directive, and dropping it is what it should do.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.tsx', 'src/**/*.test.ts'],
    setupFiles: [here('vitest.setup.ts')],
    css: false,
    // A table or form typed into by user-event takes seconds of jsdom work when the two cores are busy (the
    // jest suites run beside it in CI); the default 5 s failed there without anything being wrong.
    testTimeout: 20_000,
  },
});
