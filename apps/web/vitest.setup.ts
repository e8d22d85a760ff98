import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// As the page's own <body> says (index.html): nhsuk-frontend's components start only in a supported browser.
document.body.classList.add('js-enabled', 'nhsuk-frontend-supported');

afterEach(() => cleanup());
