// Lets a child process run the TypeScript sources without a build: `node -r libs/testing/swc-register.cjs
// apps/cli/src/main.ts ...`. Tests use it to run a real process (its own exit, its own pipes, its own module
// cache) from the same sources jest compiles, with the same SWC settings as jest.config.js.
'use strict';
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');
const { transformSync } = require('@swc/core');

const root = resolve(__dirname, '../..');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      baseUrl: root,
      paths: { '@tre/*': ['libs/*/src'] },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
